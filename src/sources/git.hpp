#pragma once
// libgit2 handles as owning types, and the one place its return codes turn
// into exceptions. An object handed back through `**out` is owned (a
// unique_ptr here); one returned by value is borrowed from its parent (a raw
// const pointer). Objects are used by one thread at a time: each worker
// opens its own Repository.

#include <git2.h>

#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <string_view>

namespace leakstop::sources {

template <auto Free> struct GitFree {
  template <typename T> void operator()(T* p) const { Free(p); }
};

using Repository = std::unique_ptr<git_repository, GitFree<git_repository_free>>;
using Index = std::unique_ptr<git_index, GitFree<git_index_free>>;
using Tree = std::unique_ptr<git_tree, GitFree<git_tree_free>>;
using Commit = std::unique_ptr<git_commit, GitFree<git_commit_free>>;
using Blob = std::unique_ptr<git_blob, GitFree<git_blob_free>>;
using Object = std::unique_ptr<git_object, GitFree<git_object_free>>;
using Reference = std::unique_ptr<git_reference, GitFree<git_reference_free>>;
using Diff = std::unique_ptr<git_diff, GitFree<git_diff_free>>;
using Patch = std::unique_ptr<git_patch, GitFree<git_patch_free>>;
using Config = std::unique_ptr<git_config, GitFree<git_config_free>>;
using Odb = std::unique_ptr<git_odb, GitFree<git_odb_free>>;
using OdbObject = std::unique_ptr<git_odb_object, GitFree<git_odb_object_free>>;
using Revwalk = std::unique_ptr<git_revwalk, GitFree<git_revwalk_free>>;

enum class Init { now, background };

// Keeps libgit2 initialised; construct one in main() before any other call.
//
// NOTE: Debian's libgit2 loads and parses every system CA certificate in
// git_libgit2_init (its mbedTLS backend), ~6.5 ms on the CI machine: half of
// the pre-commit budget. Init::background runs that on another thread while
// the hook loads its rules; ready() waits for it. Every function here that
// opens a repository takes the guard and waits, so nothing can run early.
// Thread-safety: thread-safe; ready() may be called from any thread.
class LibGit2 {
public:
  explicit LibGit2(Init init = Init::now);
  ~LibGit2();
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;

  // Returns once libgit2 is initialised. Thread-safe.
  void ready() const { m_done.wait(); }

private:
  std::shared_future<void> m_done;
};

// Throws RepoError("<what>: <libgit2 message>") when rc < 0. The message is
// read on the failing thread, where libgit2 keeps it.
void check(int rc, std::string_view what);

// Opens the repository containing `path` (searching upwards, like git),
// honouring git's environment (GIT_DIR, GIT_INDEX_FILE...): a hook fired by
// `git commit -a` must read the temporary index git prepared, not .git/index.
// Throws RepoError naming the path when there is none.
Repository open_repository(const LibGit2& libgit2, const std::string& path);

std::string oid_hex(const git_oid& oid);

// For hash maps keyed by object id: ids are uniformly distributed already.
struct OidHash {
  std::size_t operator()(const git_oid& id) const {
    std::size_t h;
    std::memcpy(&h, id.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

// Whether git's environment ($GIT_WORK_TREE...) decides: yes in a hook,
// which git runs with it set; no for paths named on the command line.
enum class GitEnv { honour, ignore };

// The work tree containing `start` (a file or a directory): with
// GitEnv::honour $GIT_WORK_TREE when set, else the nearest directory upwards
// holding `.git` (a directory, or a file as in linked work trees and
// submodules); empty if none. The one root finder: found without libgit2,
// so that it costs nothing while libgit2 initialises.
std::filesystem::path find_worktree_root(const std::filesystem::path& start, GitEnv env = GitEnv::honour);

// The commit a revision names (`HEAD~2`, a branch, a tag, an id), peeled
// from tags. Throws ConfigError (a usage error, exit 2) naming the revision
// when it names nothing or no commit, in every command alike.
git_oid resolve_commit(git_repository* repo, const std::string& spec);

// A revision argument, as git reads one: `B`, `^A`, `A..B` (B without A) or
// `A...B` (either, not both). An empty side of `..`/`...` means HEAD.
struct RevisionSpec {
  enum class Kind { include, exclude, range, symmetric } kind = Kind::include;
  std::string from;  // range and symmetric: the left side
  std::string to;    // the revision; range and symmetric: the right side
};
RevisionSpec parse_revision(const std::string& spec);

} // namespace leakstop::sources
