#pragma once
// What every scanning command shares on the command line: the scan's
// options plus how to report, and turning a scan's result into output and
// an exit code.

#include <ostream>
#include <string>
#include <vector>

#include "cli/audit_log.hpp"
#include "report/report.hpp"
#include "scan/pipeline.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

struct CommonOptions : scan::ScanOptions {
  std::string format;       // empty: text, or what --report's file name implies
  std::string report_file;  // --report: this format to the file, text to stdout
  bool report_unused_ignores = false;
  bool show_secrets = false;
  std::string config_from;  // --config-from REV
  bool verbose = false;     // --verbose: list every file not scanned
  std::string audit_log;    // --audit-log FILE: main appends one record of the run
  unsigned threads = 0;     // --threads (scan, staged, baseline): 0 for every core
  RunRecord* run = nullptr; // where finish() and cmd_audit put the run's counts for that record; may be null
};

// The scan's options for the repository at `repo_path`: with --config-from,
// its configuration read from that commit (ConfigError when it names none).
scan::ScanOptions scan_options(const sources::LibGit2& git, const CommonOptions& options, const std::string& repo_path);

// How binary files not scanned are told: one line each, or counted in one
// line (a directory scan, without --verbose).
enum class BinarySkips { listed, counted };

// Prints the result's diagnostics and notices to `err`, every string from
// a repository escaped; true when one is an error.
bool write_diagnostics(const CommonOptions& options, const scan::ScanResult& result, std::ostream& err,
                       BinarySkips binary = BinarySkips::listed);

// Writes the report of `findings`: `--format` to `out`; with --report FILE,
// that format to FILE and the text report to `out`. Throws ConfigError when
// the format cannot be told or FILE cannot be written.
void write_reports(const CommonOptions& options, report::Context context, const std::vector<Finding>& findings,
                   const report::Summary& summary, std::ostream& out);

// Diagnostics, then the report(s); returns the exit code: 3 when a
// diagnostic is an error, else 1 with findings, 0 without. Fills
// options.run when set.
int finish(const CommonOptions& options, report::Context context, const scan::ScanResult& result, std::ostream& out,
           std::ostream& err);

// Colour only on a terminal, and never with NO_COLOR set or TERM=dumb.
report::Color stdout_color();

} // namespace leakstop::cli
