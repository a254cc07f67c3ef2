#include <iostream>

#include "cli/commands.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

int cmd_pre_push(const sources::LibGit2& git, const CommonOptions& options, const std::string& remote, std::istream& in) {
  // git's list of what is pushed comes first: the hook's stdin is not ours to keep.
  std::vector<sources::CommitRange> ranges = sources::parse_pre_push_input(in, remote);
  fs::path root = sources::find_worktree_root(".");
  Session session(options, root, report::Context::push);
  sources::Repository repo = sources::open_repository(git, ".");
  sources::CommitOptions source_options;
  source_options.max_file_size = session.max_file_size();
  sources::enumerate_commits(repo.get(), ranges, source_options, [&](const sources::SourceBlob& blob) { session.scan(blob); });
  return session.finish(std::cout, std::cerr);
}

} // namespace leakstop::cli
