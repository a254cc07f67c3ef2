#include <iostream>

#include "cli/commands.hpp"

namespace leakstop::cli {

int cmd_pre_push(const sources::LibGit2& git, const CommonOptions& options, const std::string& remote, std::istream& in) {
  // git's list of what is pushed comes first: the hook's stdin is not ours to keep.
  std::vector<sources::CommitRange> ranges = sources::parse_pre_push_input(in, remote);
  scan::Pipeline pipeline(scan_options(git, options, "."), sources::find_worktree_root("."));
  sources::Repository repo = sources::open_repository(git, ".");
  sources::CommitOptions source_options;
  source_options.max_file_size = pipeline.max_file_size();
  sources::enumerate_commits(repo.get(), ranges, source_options,
                             [&](const sources::SourceBlob& blob) { return pipeline.scan(blob); });
  return finish(options, report::Context::push, std::move(pipeline).finish(), std::cout, std::cerr);
}

} // namespace leakstop::cli
