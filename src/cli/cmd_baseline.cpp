#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "scan/parallel_scan.hpp"
#include "scan/suppress.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

// Every current finding of the source `options` names, ignoring any
// --baseline (a baseline is made from, and pruned against, everything).
std::vector<Finding> current_findings(const sources::LibGit2& git, CommonOptions common, const BaselineOptions& options) {
  common.baseline_file.clear();
  common.report_unused_ignores = false;
  if (options.history) {
    HistoryArgs args;
    args.positional = options.paths;
    std::vector<Finding> findings;
    cmd_history(git, common, args, &findings);
    return findings;
  }
  git.ready();
  std::vector<std::string> paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  fs::path root = options.staged ? sources::find_worktree_root(".")
                                 : sources::find_worktree_root(paths.front() == "-" ? "." : paths.front(), sources::GitEnv::ignore);
  scan::Pipeline pipeline(scan_options(git, common, root.empty() ? "." : root.string()), root);
  const unsigned threads = scan::scan_threads(common.threads);
  scan::ParallelScan parallel(pipeline, threads);
  if (options.staged) {
    sources::Repository repo = sources::open_repository(git, ".");
    sources::StagedOptions source_options;
    source_options.max_file_size = pipeline.max_file_size();
    sources::read_staged_changes(repo.get(), sources::list_staged_changes(repo.get()), source_options, threads, parallel.sink());
  } else {
    sources::WorktreeOptions source_options;
    source_options.max_file_size = pipeline.max_file_size();
    sources::enumerate_paths(git, paths, source_options, threads, parallel.sink());
  }
  parallel.finish();
  scan::ScanResult result = std::move(pipeline).finish();
  if (write_diagnostics(common, result, std::cerr)) {
    throw RepoError("the scan had errors (see above): no baseline written");
  }
  return std::move(result.findings);
}

} // namespace

int cmd_baseline_create(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options) {
  std::vector<Finding> findings = current_findings(git, common, options);
  scan::write_baseline(findings, std::cout);
  std::cerr << fmt::format("leakstop: baseline of {} finding(s)\n", findings.size());
  if (common.run) {
    common.run->findings = findings.size();  // recorded, not reported: the run's exit stays 0
  }
  return 0;
}

int cmd_baseline_prune(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options) {
  const fs::path file = common.baseline_file.empty() ? fs::path(".leakstop-baseline.json") : fs::path(common.baseline_file);
  scan::read_baseline(file);  // a clear error before scanning, when it is not one
  std::set<std::string, std::less<>> found;
  for (const Finding& f : current_findings(git, common, options)) {
    found.insert(f.fingerprint);
  }
  nlohmann::json doc = nlohmann::json::parse(*read_whole_file(file));
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& entry : doc["findings"]) {
    if (found.count(entry["fingerprint"].get<std::string>())) {
      kept.push_back(entry);
    }
  }
  const std::size_t dropped = doc["findings"].size() - kept.size();
  doc["findings"] = kept;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (!out.flush()) {
    throw RepoError(fmt::format("{}: cannot write the baseline", file.string()));
  }
  std::cerr << fmt::format("leakstop: pruned {} of {} baseline entries no longer found; {} kept in {}\n", dropped,
                           dropped + kept.size(), kept.size(), file.string());
  return 0;
}

} // namespace leakstop::cli
