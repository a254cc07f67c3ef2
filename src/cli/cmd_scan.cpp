#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

// The work tree of the first path, whose .leakstop.toml applies.
fs::path repo_root_of(const std::vector<std::string>& paths) {
  std::string first = paths.empty() || paths.front() == "-" ? "." : paths.front();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, first.c_str(), 0, nullptr) != 0) {
    return {};
  }
  sources::Repository repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  return workdir ? fs::path(workdir) : fs::path();
}

} // namespace

int cmd_scan(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths) {
  git.ready();
  Session session(options, repo_root_of(paths), report::Context::worktree);
  sources::WorktreeOptions source_options;
  source_options.max_file_size = session.max_file_size();
  sources::enumerate_paths(git, paths, source_options, [&](const sources::SourceBlob& blob) { session.scan(blob); });
  return session.finish(std::cout, std::cerr);
}

} // namespace leakstop::cli
