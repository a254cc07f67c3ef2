#pragma once
// Internal to leakstop_report: one factory per output format, and what
// several formats share.

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "report/report.hpp"

namespace leakstop::report {

std::unique_ptr<Reporter> make_text_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_jsonl_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_sarif_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_csv_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_junit_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_gitlab_reporter(const ReportOptions& options);

// One finding as the json and jsonl formats show it (docs/report-schema.json).
nlohmann::json finding_json(const Finding& f, ShowSecrets show);

// Serialises `j`; invalid UTF-8 in a path or secret is replaced, never fatal.
std::string dump(const nlohmann::json& j, int indent);

// True when a diagnostic is an error (the scan is incomplete).
bool has_errors(const Summary& summary);

// "path:line:column", or the path alone for path rules.
std::string where(const Finding& f);

} // namespace leakstop::report
