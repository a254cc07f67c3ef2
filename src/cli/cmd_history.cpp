// `leakstop history`: the arguments, the progress line and the summary
// around scan::scan_history.
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/history_store.hpp"
#include "cli/progress.hpp"
#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "scan/history_scan.hpp"

namespace leakstop::cli {
namespace {

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

// The end-of-scan summary, on stderr: what was read, skipped and found.
void print_summary(std::ostream& err, const scan::HistoryTotals& t, const std::vector<Finding>& findings, double seconds) {
  const sources::WalkStats& s = t.walk;
  err << fmt::format("leakstop: history: {} commits{}, {} blobs; {} scanned ({}) in {:.2f} s, {:.1f} MB/s, {} thread{}\n",
                     s.commits, s.tagged_objects ? fmt::format(" and {} tagged objects", s.tagged_objects) : "", t.blobs,
                     t.scanned, megabytes(t.bytes), seconds, seconds > 0 ? static_cast<double>(t.bytes) / 1e6 / seconds : 0.0,
                     t.threads, t.threads == 1 ? "" : "s");
  err << fmt::format("leakstop: skipped: {} binary, {} Git LFS pointers (their content is on the LFS server), {} over the "
                     "size limit, {} unreadable; not scanned: {} submodule entries, {} symbolic links\n",
                     t.binary, t.lfs, t.large.size(), t.unreadable, s.submodule_entries, s.symlinks);
  std::map<Severity, std::size_t> by_severity;
  std::map<std::string, std::size_t> by_rule;
  for (const Finding& f : findings) {
    ++by_severity[f.severity];
    ++by_rule[f.rule_id];
  }
  std::string severities;
  for (auto it = by_severity.rbegin(); it != by_severity.rend(); ++it) {
    severities += fmt::format("{}{} {}", severities.empty() ? "" : ", ", to_string(it->first), it->second);
  }
  std::string rules;
  for (const auto& [rule, count] : by_rule) {
    rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", rule, count);
  }
  err << fmt::format("leakstop: findings: {}{}\n", findings.size(),
                     findings.empty() ? "" : fmt::format(" ({}); by rule: {}", severities, rules));
  if (!t.large.empty()) {
    constexpr std::size_t k_listed = 50;
    err << fmt::format("leakstop: not scanned, over the size limit of {} bytes (--max-file-size):\n", t.max_file_size);
    for (std::size_t i = 0; i < t.large.size() && i < k_listed; ++i) {
      const scan::LargeBlob& blob = t.large[i];
      err << fmt::format("  {:>10}  {}  (blob {})\n", megabytes(blob.size),
                         blob.path.empty() ? "(unreachable)" : printable(blob.path), blob.blob_id.substr(0, 12));
    }
    if (t.large.size() > k_listed) {
      err << fmt::format("  … and {} more\n", t.large.size() - k_listed);
    }
  }
}

// The progress line, as the scan reports it.
class ProgressLine : public scan::HistoryProgress {
public:
  ProgressLine() : m_progress(std::cerr, Progress::on_terminal()) {}
  void walked(std::size_t done, std::size_t total) override { m_progress.walked(done, total); }
  void start_blobs(std::size_t total) override { m_progress.start_blobs(total); }
  void blob_done(std::uint64_t bytes) override { m_progress.blob_done(bytes); }
  void finish() override { m_progress.finish(); }

private:
  Progress m_progress;
};

} // namespace

int cmd_history(const sources::LibGit2& git, const CommonOptions& options, const HistoryArgs& args,
                std::vector<Finding>* collect) {
  const auto start = std::chrono::steady_clock::now();
  git.ready();
  // A first argument naming a directory is the repository; the rest are revisions.
  scan::HistoryRequest request;
  request.revisions = args.positional;
  std::error_code ec;
  if (!args.positional.empty() && std::filesystem::is_directory(args.positional.front(), ec)) {
    request.repo_path = args.positional.front();
    request.revisions.erase(request.revisions.begin());
  }
  request.threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  request.all_objects = args.all_objects;
  if (!args.since.empty()) {
    request.since = parse_date(args.since, static_cast<std::int64_t>(std::time(nullptr)));
    if (!request.since) {
      throw ConfigError(fmt::format("--since '{}': expected a date (2024-01-31, 2024-01-31T09:00:00+01:00), "
                                    "@<unix time> or '<n> days ago'", args.since));
    }
  }
  std::optional<HistoryStore> store;
  if (!args.store_dir.empty()) {
    if (!options.baseline_file.empty() || collect) {
      throw ConfigError("--store does not combine with a baseline: the store reports only what it has not seen");
    }
    store.emplace(git, args.store_dir, request.repo_path);
  }
  ProgressLine progress;
  const scan::ScanOptions effective = scan_options(git, options, request.repo_path);
  if (store) {
    store->begin(effective);
    store->attach(request);
  }
  scan::HistoryResult result = scan::scan_history(git, effective, request, progress);
  if (store) {
    store->record(result);
    std::cerr << fmt::format("leakstop: store {}: run {}: {} of {} blobs read, the others scanned before\n",
                             printable(args.store_dir), store->run(), result.scanned_blob_ids.size(),
                             result.totals.blobs);
  }
  if (!result.nothing_to_scan.empty()) {
    std::cerr << "leakstop: note: " << result.nothing_to_scan << '\n';
    return static_cast<int>(ExitCode::clean);
  }
  if (collect) {
    if (write_diagnostics(options, result.scan, std::cerr)) {
      throw RepoError("the history scan had errors (see above)");
    }
    *collect = std::move(result.scan.findings);
    return static_cast<int>(ExitCode::clean);
  }
  const int rc = finish(options, report::Context::history, result.scan, std::cout, std::cerr);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(std::cerr, result.totals, result.scan.findings, seconds);
  return rc;
}

} // namespace leakstop::cli
