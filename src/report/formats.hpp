#pragma once
// Internal to leakstop_report: one factory per output format.

#include <memory>

#include "report/report.hpp"

namespace leakstop::report {

std::unique_ptr<Reporter> make_text_reporter(const ReportOptions& options);
std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options);

} // namespace leakstop::report
