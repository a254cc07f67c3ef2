#pragma once
// A repository's own configuration: .leakstop.toml, .leakstopignore and
// .gitleaksignore. In CI the repository is whatever a pull request made it,
// so where these come from is a choice: the work tree (the default), a
// trusted commit (--config-from REV, say the base branch), or nowhere
// (--no-repo-config).
//
// Thread-safety: free functions; `repo` is used by one thread at a time.

#include <filesystem>
#include <optional>
#include <string>

struct git_repository;

namespace leakstop::scan {

struct RepoFiles {
  std::optional<std::string> leakstop_toml;
  std::optional<std::string> leakstopignore;
  std::optional<std::string> gitleaksignore;
  std::string origin;  // prefixes the ignore files' names in messages: "" or "REV:"
  std::string toml_name = ".leakstop.toml";  // in messages: its path, or "REV:.leakstop.toml"
};

// From the work tree `root` (nothing when empty), through the checked
// reader: regular files of at most 1 MiB, or ConfigError naming them.
RepoFiles read_worktree_files(const std::filesystem::path& root);

// From the tree of the commit `revision` names in `repo`. Throws
// ConfigError for a revision that names no commit, or a file there that is
// no regular file or is larger than 1 MiB.
RepoFiles read_revision_files(git_repository* repo, const std::string& revision);

} // namespace leakstop::scan
