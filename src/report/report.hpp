#pragma once
// Turning findings into output. Reporters only format: they never decide
// what is a finding, and they see secrets only to redact them (the full
// value is printed only with ShowSecrets::yes).

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace leakstop::report {

enum class Format { text, json };
enum class Color { off, on };
enum class ShowSecrets { no, yes };

// Where the findings were found decides the advice: a staged secret is not
// committed yet; a secret in history is published.
enum class Context { staged, worktree, history };

struct Summary {
  std::size_t files_scanned = 0;
  std::uint64_t bytes_scanned = 0;
  std::vector<Diagnostic> diagnostics;
};

struct ReportOptions {
  Format format = Format::text;
  Color color = Color::off;
  ShowSecrets show_secrets = ShowSecrets::no;
  Context context = Context::worktree;
};

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
