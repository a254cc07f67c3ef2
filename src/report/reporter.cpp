#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <utility>

#include "core/secret.hpp"
#include "report/formats.hpp"
#include "report/report.hpp"

namespace leakstop::report {
namespace {

constexpr std::array<std::pair<std::string_view, Format>, 7> k_formats = {{
  {"text", Format::text},
  {"json", Format::json},
  {"jsonl", Format::jsonl},
  {"sarif", Format::sarif},
  {"csv", Format::csv},
  {"junit", Format::junit},
  {"gitlab", Format::gitlab},
}};

} // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& [n, format] : k_formats) {
    if (n == name) {
      return format;
    }
  }
  return std::nullopt;
}

std::vector<std::string> format_name_list() {
  std::vector<std::string> out;
  for (const auto& [n, format] : k_formats) {
    out.emplace_back(n);
  }
  return out;
}

std::string format_names() {
  return fmt::format("{}", fmt::join(format_name_list(), "|"));
}

std::optional<Format> format_of_file(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".json") {
    return Format::json;
  }
  if (ext == ".jsonl" || ext == ".ndjson") {
    return Format::jsonl;
  }
  if (ext == ".sarif") {
    return Format::sarif;
  }
  if (ext == ".csv") {
    return Format::csv;
  }
  if (ext == ".xml") {
    return Format::junit;
  }
  if (ext == ".txt") {
    return Format::text;
  }
  return std::nullopt;
}

std::string shown_secret(const Finding& finding, ShowSecrets show) {
  if (finding.path_rule) {
    return "";
  }
  return show == ShowSecrets::yes ? finding.secret : redact(finding.secret);
}

bool has_errors(const Summary& summary) {
  for (const Diagnostic& d : summary.diagnostics) {
    if (d.kind == Diagnostic::Kind::error) {
      return true;
    }
  }
  return false;
}

std::string where(const Finding& f) {
  return f.path_rule ? f.location.path : fmt::format("{}:{}:{}", f.location.path, f.location.line, f.location.column);
}

std::unique_ptr<Reporter> make_reporter(const ReportOptions& options) {
  switch (options.format) {
  case Format::json: return make_json_reporter(options);
  case Format::jsonl: return make_jsonl_reporter(options);
  case Format::sarif: return make_sarif_reporter(options);
  case Format::csv: return make_csv_reporter(options);
  case Format::junit: return make_junit_reporter(options);
  case Format::gitlab: return make_gitlab_reporter(options);
  case Format::text: break;
  }
  return make_text_reporter(options);
}

} // namespace leakstop::report
