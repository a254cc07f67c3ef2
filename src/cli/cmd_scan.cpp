#include <iostream>

#include "cli/commands.hpp"
#include "scan/parallel_scan.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

// HEAD's commit id in the work tree `root`, or empty (no repository, no commit).
std::string head_commit_of(const sources::LibGit2& git, const fs::path& root) {
  if (root.empty()) {
    return "";
  }
  sources::Repository repo = sources::open_repository(git, root.string());
  git_oid oid{};
  if (git_reference_name_to_id(&oid, repo.get(), "HEAD") != 0) {
    return "";
  }
  return sources::oid_hex(oid);
}

} // namespace

int cmd_scan(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths) {
  git.ready();
  // The work tree of the first path (where .leakstop.toml applies); "-"
  // means the current directory.
  const fs::path root = sources::find_worktree_root(paths.empty() || paths.front() == "-" ? "." : paths.front(),
                                                    sources::GitEnv::ignore);
  scan::Pipeline pipeline(scan_options(git, options, root.empty() ? "." : root.string()), root);
  if (options.format == "gitlab") {
    pipeline.set_head_commit(head_commit_of(git, root));  // GitLab wants a commit for every location
  }
  sources::WorktreeOptions source_options;
  source_options.max_file_size = pipeline.max_file_size();
  const unsigned threads = scan::scan_threads(options.threads);
  scan::ParallelScan parallel(pipeline, threads);
  sources::enumerate_paths(git, paths, source_options, threads, parallel.sink());
  parallel.finish();
  return finish(options, report::Context::worktree, std::move(pipeline).finish(), std::cout, std::cerr);
}

} // namespace leakstop::cli
