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

#include "engine/scanner.hpp"
#include "report/report.hpp"
#include "rules/repo_config.hpp"
#include "sources/sources.hpp"

namespace leakstop::cli {

struct CommonOptions {
  std::string rules_dir;
  std::vector<std::string> extra_rule_files;
  std::string cache_dir;
  bool no_cache = false;
  std::string format = "text";
  bool show_secrets = false;
  std::string min_severity = "info";
  std::string min_confidence = "low";
  std::optional<std::uint64_t> max_file_size;
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

  // A scanner for another thread, sharing the compiled rules.
  std::unique_ptr<engine::Scanner> make_scanner() const;

  // True when `f` passes --min-severity, --min-confidence and .leakstopignore.
  bool wanted(const Finding& f) const;

  // Reports `f` (already filtered by wanted()).
  void add(Finding f) { m_findings.push_back(std::move(f)); }

  const std::vector<Finding>& findings() const { return m_findings; }
  const report::Summary& summary() const { return m_summary; }

  // Writes the report and returns the exit code.
  int finish(std::ostream& out, std::ostream& err);

private:
  CommonOptions m_options;
  report::Context m_context;
  rules::RepoConfig m_config;
  std::shared_ptr<const engine::CompiledRules> m_compiled;
  engine::ScanOptions m_scan_options;
  std::unique_ptr<engine::Scanner> m_scanner;
  std::set<std::string, std::less<>> m_ignored_fingerprints;
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

// Colour only on a terminal, and never with NO_COLOR set or TERM=dumb.
report::Color stdout_color();

} // namespace leakstop::cli
