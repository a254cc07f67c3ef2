#pragma once
// Organisation scans: the list of repositories (repos.txt) and the bare
// mirrors kept of them under the store (DIR/mirrors/<folder>).
//
// Credentials. An https remote that asks for them gets the token in
// $LEAKSTOP_GIT_TOKEN (user name: the URL's, else $LEAKSTOP_GIT_USER, else
// "x-access-token", which GitHub and GitLab both accept with a token). It is
// a variable of leakstop's own, not GITHUB_TOKEN or GITLAB_TOKEN, because
// whatever it holds is sent to every host in repos.txt: that must be a
// deliberate choice. It is never sent over plain http (nor is a password in
// an http:// URL): the fetch is refused, saying so. ssh authenticates
// through the ssh agent ($SSH_AUTH_SOCK). URLs are stored and shown with
// their userinfo stripped (core/url.hpp); so are error messages.

#include "sources/git.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace leakstop::sources {

// One line of repos.txt.
struct RepoEntry {
  std::string url;   // as written (credentials included), or an absolute local path
  std::string name;  // as written, else derived from the URL (default_repo_name)
  std::size_t line = 0;
};

// Parses a repository list: one clone URL (https://, http://, ssh://,
// git://, file://, scp-like user@host:path) or local path a line, optionally
// followed by whitespace and a name; blank lines and # comments are skipped.
// Relative local paths are taken from `base_dir`. Throws ConfigError
// "<source>:<line>: <what is wrong>" for a bad line or a repeated name or
// URL.
std::vector<RepoEntry> parse_repo_list(std::string_view text, std::string_view source,
                                       const std::filesystem::path& base_dir);
// What is wrong with a repository URL or path as repos.txt takes it (scheme,
// host, path), or empty; and with a repository name (at most 200 bytes of
// letters, digits and . _ - / : @ +, no "..", no leading '-'). Also for
// the lists a hosting service hands back (hosting/).
std::string repo_url_problem(std::string_view url);
std::string repo_name_problem(std::string_view name);
// Reads and parses `file` (relative paths from its folder); ConfigError if
// it cannot be read.
std::vector<RepoEntry> read_repo_list(const std::filesystem::path& file);

// "host/path" of a URL without ".git" ("example.org/acme/web"), or a local
// path's last component.
std::string default_repo_name(std::string_view url);

// A folder name for the mirror of `url`: the sanitized host and path (only
// [A-Za-z0-9._-], no "..", at most 64 bytes) plus '-' and 12 hex digits of
// the SHA-256 of the stripped URL, so that it is unique and stable.
std::string mirror_folder_name(std::string_view url);

// The shard (0 to shards-1) of `url`: from the SHA-256 of the stripped URL,
// so that `--shard K/N` splits a list the same way in every process, on
// every machine, whatever credentials the URL carries. `shards` > 0.
std::size_t shard_of(std::string_view url, std::size_t shards);

struct MirrorOptions {
  // Lock files (*.lock) and temporary packs in the mirror older than this
  // were left by a killed run and are removed before fetching. The default,
  // the start of this process, is safe because the store's lock keeps any
  // other leakstop out.
  std::filesystem::file_time_type stale_before = process_start_time();
  std::string token_variable = "LEAKSTOP_GIT_TOKEN";
  // Called as objects arrive (for a progress line); returning false cancels
  // the fetch, which then fails with "cancelled": Ctrl-C need not wait for a
  // large repository. Empty: no calls.
  std::function<bool(const git_indexer_progress&)> progress;

  static std::filesystem::file_time_type process_start_time();
};

struct MirrorResult {
  std::string error;     // empty on success; never holds credentials
  bool created = false;  // this call made the mirror
  std::size_t stale_locks_removed = 0;
  bool ok() const { return error.empty(); }
};

// Creates (first time) or updates the bare mirror of `url` in `dir`: remote
// "origin" with refspec +refs/*:refs/*, fetched with prune, HEAD following
// the remote's default branch. The config holds the stripped URL; the one
// with credentials lives only in memory. Never throws for a remote's fault
// (network, authentication, deleted upstream, corrupt pack): the error comes
// back in the result, so that the run can record it and go on.
MirrorResult update_mirror(const LibGit2& libgit2, const std::string& url, const std::filesystem::path& dir,
                           const MirrorOptions& options = {});

// Removes the stale lock files and temporary packs in the repository `dir`;
// returns how many.
std::size_t remove_stale_locks(const std::filesystem::path& dir, std::filesystem::file_time_type before);

// The hex ids of every blob in the tree of every branch tip (refs/heads/*):
// the heads against which store::Store::close_repository resolves findings.
std::unordered_set<std::string> blobs_at_branch_tips(git_repository* repo);

} // namespace leakstop::sources
