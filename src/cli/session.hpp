#pragma once
// What every scanning command shares: loading rules and the repository's
// configuration, matching each blob from a source, filtering, reporting and
// choosing the exit code.

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/suppress.hpp"
#include "engine/scanner.hpp"
#include "report/report.hpp"
#include "rules/gitleaks.hpp"
#include "rules/repo_config.hpp"
#include "sources/sources.hpp"

namespace leakstop::cli {

struct CommonOptions {
  std::string rules_dir;
  std::vector<std::string> extra_rule_files;
  std::string cache_dir;
  bool no_cache = false;
  std::string format;       // empty: text, or what --report's file name implies
  std::string report_file;  // --report: this format to the file, text to stdout
  std::string baseline_file;
  bool report_unused_ignores = false;
  std::string gitleaks_config;  // --config gitleaks.toml
  bool show_secrets = false;
  std::string min_severity = "info";
  std::string min_confidence = "low";
  std::optional<std::uint64_t> max_file_size;
  int decode_depth = engine::DecodeOptions{}.depth;  // --decode-depth; --no-decode sets 0
};

class Session {
public:
  // `repo_root`: the work tree whose .leakstop.toml and .leakstopignore
  // apply, or empty outside a repository.
  Session(const CommonOptions& options, const std::filesystem::path& repo_root, report::Context context);

  std::uint64_t max_file_size() const { return m_max_file_size; }

  // Scans one blob from a source: path rules, content rules, and for staged
  // changes only the findings that touch an added line.
  void scan(const sources::SourceBlob& blob);

  // Adds a diagnostic that turns the exit code into 3.
  void error(const std::string& path, const std::string& message);

  // HEAD's commit id, for reports that need one (GitLab's).
  void set_head_commit(std::string id) { m_summary.head_commit = std::move(id); }

  // A scanner for another thread, sharing the compiled rules.
  std::unique_ptr<engine::Scanner> make_scanner() const;

  // True when `f` passes --min-severity and --min-confidence. Thread-safe:
  // history workers call it; suppressions are judged in add(), on one thread.
  bool passes_filters(const Finding& f) const;

  // Reports `f` unless a baseline or ignore file suppresses it.
  void add(Finding f);

  const std::vector<Finding>& findings() const { return m_findings; }
  const report::Summary& summary() const { return m_summary; }

  // Prints the diagnostics and notices to `err`; true when one is an error.
  bool write_diagnostics(std::ostream& err);

  // Writes the report(s) and returns the exit code.
  int finish(std::ostream& out, std::ostream& err);

private:
  bool wanted(const Finding& f);

  CommonOptions m_options;
  report::Context m_context;
  rules::RepoConfig m_config;
  std::shared_ptr<const engine::CompiledRules> m_compiled;
  engine::ScanOptions m_scan_options;
  std::unique_ptr<engine::Scanner> m_scanner;
  Suppressions m_suppressions;
  std::uint64_t m_max_file_size;
  Severity m_min_severity;
  Confidence m_min_confidence;
  std::vector<Finding> m_findings;
  report::Summary m_summary;
};

// The shipped rule files plus --rule-file ones, read but not parsed.
rules::RuleFiles shipped_rule_files(const CommonOptions& options);
// The same, parsed (no repository config).
rules::RuleSet load_shipped_rules(const CommonOptions& options);
engine::CacheOptions cache_options(const CommonOptions& options);
// The shipped rules (or, without [extend] useDefault, only `gitleaks`'s)
// with a gitleaks configuration and a repository's config applied,
// compiled, from the cache when it holds them (validated in full when not).
std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const CommonOptions& options,
                                                                const rules::RepoConfig& config,
                                                                const rules::GitleaksConfig* gitleaks = nullptr);

// The work tree of the first path (where .leakstop.toml applies), or empty
// outside a repository; "-" and no paths mean the current directory.
std::filesystem::path repo_root_of(const std::vector<std::string>& paths);

// HEAD's commit id in the work tree `root`, or empty (no repository, no commit).
std::string head_commit_of(const sources::LibGit2& git, const std::filesystem::path& root);

// Writes the report of `findings`: `--format` to `out`; with --report FILE,
// that format to FILE and the text report to `out`. Throws ConfigError when
// the format cannot be told or FILE cannot be written.
void write_reports(const CommonOptions& options, report::Context context, const std::vector<Finding>& findings,
                   const report::Summary& summary, std::ostream& out);

// Colour only on a terminal, and never with NO_COLOR set or TERM=dumb.
report::Color stdout_color();

} // namespace leakstop::cli
