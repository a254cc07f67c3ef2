#pragma once
// Turning findings into output. Reporters only format: they never decide
// what is a finding, and they see secrets only to redact them (the full
// value is printed only with ShowSecrets::yes).

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace leakstop::report {

enum class Format { text, json, jsonl, sarif, csv, junit, gitlab };

// "text", "json", ... as on the command line; nullopt for another name.
std::optional<Format> parse_format(std::string_view name);
// Every format name, for help texts: "text|json|jsonl|sarif|csv|junit|gitlab".
std::string format_names();
// The same names, one per element, for option checks.
std::vector<std::string> format_name_list();
// The format a report file's name implies (.json, .jsonl, .sarif, .csv,
// .xml for JUnit); nullopt when it implies none.
std::optional<Format> format_of_file(const std::filesystem::path& file);
enum class Color { off, on };
enum class ShowSecrets { no, yes };

// Where the findings were found decides the advice: a staged secret is not
// committed yet; one in commits being pushed is in local history only; a
// secret in history is published.
enum class Context { staged, worktree, history, push };

struct Summary {
  std::size_t files_scanned = 0;
  std::uint64_t bytes_scanned = 0;
  std::vector<Diagnostic> diagnostics;
  std::size_t baselined = 0;   // findings hidden because the baseline has them
  std::string started_at;      // UTC, "YYYY-MM-DDTHH:MM:SS"
  std::string head_commit;     // the repository's HEAD when known (GitLab reports need one)
};

struct ReportOptions {
  Format format = Format::text;
  Color color = Color::off;
  ShowSecrets show_secrets = ShowSecrets::no;
  Context context = Context::worktree;
  std::string tool_version;  // for SARIF and GitLab reports
};

// Thread-safety: not thread-safe; one per report written.
class Reporter {
public:
  virtual ~Reporter() = default;
  // Writes the whole report for `findings` (already sorted) to `out`.
  virtual void write(const std::vector<Finding>& findings, const Summary& summary, std::ostream& out) = 0;
};

std::unique_ptr<Reporter> make_reporter(const ReportOptions& options);

// The secret as it may be shown under `options`.
std::string shown_secret(const Finding& finding, ShowSecrets show);

} // namespace leakstop::report
