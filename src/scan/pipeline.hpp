#pragma once
// One scan: rules loaded for a work tree, each blob from a source matched,
// judged (new in this change? suppressed? severe enough?) and collected,
// with diagnostics. Nothing is printed: the caller reports the result.
//
// Thread-safety: not thread-safe. One thread calls scan(), record(), add()
// and error(); examine(), make_scanner() and passes_filters() are const and
// may be called from any thread (history and parallel_scan.hpp workers do),
// each with its own scanner.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scanner.hpp"
#include "report/report.hpp"
#include "scan/options.hpp"
#include "scan/rule_loading.hpp"
#include "scan/suppress.hpp"
#include "sources/sources.hpp"

namespace leakstop::scan {

// What a finished scan hands back.
struct ScanResult {
  std::vector<Finding> findings;  // sorted by path, line, column
  report::Summary summary;        // counts, diagnostics, baselined
  std::vector<std::string> unused_ignores;  // "<file>:<line>: <entry>"
  std::string baseline_file;
  // What the repository's own configuration switched off, one line each
  // ("disables 2 rules: a, b"), so that a pull request cannot silence its
  // own scan unseen. Raw: escape before printing.
  std::vector<std::string> config_notes;

  bool has_errors() const;
};

// The notice for a blob whose decoding stopped at `offset` (see
// engine::Scanner::decode_stopped_at): a skip is never silent.
std::string decode_stop_message(std::size_t offset);

// Severity and confidence thresholds. Thread-safe (immutable).
class FindingThreshold {
public:
  // Throws ConfigError for a name that is no severity or confidence.
  FindingThreshold(const std::string& min_severity, const std::string& min_confidence);
  bool passes(const Finding& f) const { return f.severity >= m_severity && f.confidence >= m_confidence; }

private:
  Severity m_severity;
  Confidence m_confidence;
};

// What one blob gave before the pipeline judged it (suppressions, counts):
// worked out on any thread by Pipeline::examine, recorded on the pipeline's.
struct BlobOutcome {
  std::vector<Finding> findings;
  std::optional<Diagnostic> diagnostic;
  std::size_t files_scanned = 0;  // 1 when its content was scanned
  std::uint64_t bytes_scanned = 0;
};

class Pipeline {
public:
  // `repo_root`: the work tree whose .leakstop.toml and ignore files apply,
  // or empty outside a repository.
  Pipeline(const ScanOptions& options, const std::filesystem::path& repo_root);

  std::uint64_t max_file_size() const { return m_max_file_size; }

  // Scans one blob from a source: path rules, content rules, and for
  // changes only the findings the change brought in. Returns Flow::next.
  // The same as record(examine(<the pipeline's scanner>, blob)).
  sources::Flow scan(const sources::SourceBlob& blob);

  // What scan() would find in `blob`, using `scanner` (one of
  // make_scanner()'s): call it on any thread, each with its own scanner.
  BlobOutcome examine(engine::Scanner& scanner, const sources::SourceBlob& blob) const;
  // Counts the outcome, judges and collects its findings: the order of the
  // calls is the order of the diagnostics (and of findings at one place).
  void record(BlobOutcome outcome);

  // A diagnostic that makes the result an error.
  void error(const std::string& path, const std::string& message);
  // Any diagnostic (an error, or a notice of something not scanned).
  void diagnose(Diagnostic d) { m_summary.diagnostics.push_back(std::move(d)); }

  // HEAD's commit id, for reports that need one (GitLab's).
  void set_head_commit(std::string id) { m_summary.head_commit = std::move(id); }

  // The pipeline's own scanner, for its own thread.
  engine::Scanner& scanner() { return *m_scanner; }
  // A scanner for another thread, sharing the compiled rules.
  std::unique_ptr<engine::Scanner> make_scanner() const;

  bool passes_filters(const Finding& f) const { return m_threshold.passes(f); }

  // Collects `f` unless a baseline or ignore file suppresses it.
  void add(Finding f);

  const std::vector<Finding>& findings() const { return m_findings; }

  // The result, findings sorted; the pipeline is spent.
  ScanResult finish() &&;

private:
  bool wanted(const Finding& f);
  std::vector<std::string> config_notes() const;

  ScanOptions m_options;
  RepoFiles m_files;
  Suppressions m_suppressions;  // first: a bad baseline is named before rules compile
  LoadedRules m_rules;
  engine::ScanOptions m_scan_options;
  std::unique_ptr<engine::Scanner> m_scanner;
  std::uint64_t m_max_file_size;
  FindingThreshold m_threshold;
  std::vector<Finding> m_findings;
  report::Summary m_summary;
};

} // namespace leakstop::scan
