#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "scan/committed.hpp"
#include "scan/dotenv.hpp"
#include "scan/parallel_scan.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

int cmd_staged(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths) {
  // libgit2 compares the index with HEAD on one core while the rules load on
  // the other; the repository's root (for .leakstop.toml) is found without
  // libgit2, as git finds it.
  // NOTE: on bench/precommit.sh's repository the two take ~4 ms each.
  fs::path root = sources::find_worktree_root(".");
  const scan::ScanOptions scan = scan_options(git, options, ".");
  sources::Repository repo;
  auto changes = std::async(std::launch::async, [&] {
    repo = sources::open_repository(git, ".");
    return paths.empty() ? std::optional(sources::list_staged_changes(repo.get())) : std::nullopt;
  });
  std::optional<scan::Pipeline> pipeline;
  try {
    pipeline.emplace(scan, root);
  } catch (...) {
    changes.wait();  // never leave the worker running past its captures
    throw;
  }
  std::optional<sources::StagedChanges> staged = changes.get();
  sources::StagedOptions source_options;
  source_options.max_file_size = pipeline->max_file_size();
  const unsigned threads = scan::scan_threads(options.threads);
  scan::ParallelScan parallel(*pipeline, threads);
  std::mutex dotenv_mutex;
  std::vector<std::pair<std::size_t, std::string>> dotenv;  // place in the source's order, path
  auto sink = [&](unsigned worker, std::size_t order, const sources::SourceBlob& blob) {
    if (scan::is_dotenv_name(blob.path)) {
      std::lock_guard<std::mutex> lock(dotenv_mutex);
      dotenv.emplace_back(order, blob.path);
    }
    return parallel.scan(worker, order, blob);
  };
  if (staged) {
    sources::read_staged_changes(repo.get(), *staged, source_options, threads, sink);
  } else {
    sources::enumerate_staged_paths(repo.get(), paths, source_options, threads, sink);
  }
  parallel.finish();
  std::sort(dotenv.begin(), dotenv.end());
  std::vector<std::string> staged_dotenv;
  for (auto& [order, path] : dotenv) {
    staged_dotenv.push_back(std::move(path));
  }
  if (!root.empty()) {
    if (std::optional<std::string> path = scan::first_unignored_dotenv(repo.get(), root, staged_dotenv)) {
      // Warn when the repository would let `git add .` sweep a .env file in.
      std::cerr << fmt::format(
        "leakstop: warning: {} is not ignored by git. Add these lines to .gitignore:\n  .env\n  .env.*\n  "
        "!.env.example\n",
        printable(*path));
    }
  }
  scan::ScanResult result = std::move(*pipeline).finish();
  if (!staged) {
    scan::mark_already_committed(repo.get(), result.findings);  // whole files: some may be in HEAD
  }
  return finish(options, report::Context::staged, result, std::cout, std::cerr);
}

} // namespace leakstop::cli
