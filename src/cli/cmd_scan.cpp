#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

int cmd_scan(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths) {
  git.ready();
  fs::path root = repo_root_of(paths);
  Session session(options, root, report::Context::worktree);
  if (options.format == "gitlab") {
    session.set_head_commit(head_commit_of(git, root));  // GitLab wants a commit for every location
  }
  sources::WorktreeOptions source_options;
  source_options.max_file_size = session.max_file_size();
  sources::enumerate_paths(git, paths, source_options, [&](const sources::SourceBlob& blob) { session.scan(blob); });
  return session.finish(std::cout, std::cerr);
}

} // namespace leakstop::cli
