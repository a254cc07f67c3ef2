#include <fmt/format.h>

#include <fstream>

#include "cli/session.hpp"
#include "core/error.hpp"

namespace leakstop::cli {

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
