#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "cli/common.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "scan/repo_files.hpp"

namespace leakstop::cli {

scan::ScanOptions scan_options(const sources::LibGit2& git, const CommonOptions& options, const std::string& repo_path) {
  scan::ScanOptions out = options;
  if (!options.config_from.empty() && !options.no_repo_config) {
    sources::Repository repo = sources::open_repository(git, repo_path);
    out.repo_files = scan::read_revision_files(repo.get(), options.config_from);
  }
  return out;
}

report::Color stdout_color() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool on = ::isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  return on ? report::Color::on : report::Color::off;
}

bool write_diagnostics(const CommonOptions& options, const scan::ScanResult& result, std::ostream& err,
                       BinarySkips binary) {
  for (const std::string& note : result.config_notes) {
    err << "leakstop: repository config: " << printable(note) << '\n';
  }
  std::size_t binaries = 0;
  for (const Diagnostic& d : result.summary.diagnostics) {
    if (binary == BinarySkips::counted && d.kind == Diagnostic::Kind::skipped_binary) {
      ++binaries;
      continue;
    }
    const char* level = d.kind == Diagnostic::Kind::error ? "error" : "notice";
    err << fmt::format("leakstop: {}: {}: {}\n", level, printable(d.path), printable(d.message));
  }
  if (binaries > 0) {
    err << fmt::format("leakstop: notice: {} binary file{} not scanned (path rules still applied; --verbose lists them)\n",
                       binaries, binaries == 1 ? "" : "s");
  }
  if (result.summary.baselined > 0) {
    err << fmt::format("leakstop: notice: {} finding(s) already in the baseline {} not shown\n", result.summary.baselined,
                       printable(result.baseline_file));
  }
  if (options.report_unused_ignores) {
    for (const std::string& entry : result.unused_ignores) {
      err << fmt::format("leakstop: unused ignore: {}\n", printable(entry));
    }
  }
  return result.has_errors();
}

int finish(const CommonOptions& options, report::Context context, const scan::ScanResult& result, std::ostream& out,
           std::ostream& err) {
  const bool failed = write_diagnostics(
    options, result, err,
    context == report::Context::worktree && !options.verbose ? BinarySkips::counted : BinarySkips::listed);
  write_reports(options, context, result.findings, result.summary, out);
  if (options.run) {
    options.run->findings = result.findings.size();
    options.run->files_scanned = result.summary.files_scanned;
  }
  if (failed) {
    return static_cast<int>(ExitCode::internal);
  }
  return static_cast<int>(result.findings.empty() ? ExitCode::clean : ExitCode::findings);
}

void write_reports(const CommonOptions& options, report::Context context, const std::vector<Finding>& findings,
                   const report::Summary& summary, std::ostream& out) {
  report::ReportOptions base;
  base.show_secrets = options.show_secrets ? report::ShowSecrets::yes : report::ShowSecrets::no;
  base.context = context;
  base.tool_version = LEAKSTOP_VERSION;

  std::optional<report::Format> format;
  if (!options.format.empty()) {
    format = report::parse_format(options.format);
    if (!format) {
      throw ConfigError(fmt::format("--format {}: not one of {}", options.format, report::format_names()));
    }
  } else if (!options.report_file.empty()) {
    format = report::format_of_file(options.report_file);
    if (!format) {
      throw ConfigError(fmt::format("--report {}: cannot tell the format from the file name: add --format {}",
                                    options.report_file, report::format_names()));
    }
  }

  report::ReportOptions text = base;
  text.format = report::Format::text;
  text.color = stdout_color();
  if (options.report_file.empty()) {
    report::ReportOptions chosen = format && *format != report::Format::text ? base : text;
    chosen.format = format.value_or(report::Format::text);
    report::make_reporter(chosen)->write(findings, summary, out);
    return;
  }
  // The file first: a CI step that fails on findings still leaves it.
  report::ReportOptions to_file = base;
  to_file.format = *format;
  std::ofstream file(options.report_file, std::ios::binary | std::ios::trunc);
  if (file) {
    report::make_reporter(to_file)->write(findings, summary, file);
  }
  if (!file.flush()) {
    throw ConfigError(fmt::format("--report {}: cannot write the report file", options.report_file));
  }
  report::make_reporter(text)->write(findings, summary, out);
}

} // namespace leakstop::cli
