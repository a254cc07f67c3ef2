#include "core/secret.hpp"
#include "report/formats.hpp"
#include "report/report.hpp"

namespace leakstop::report {

std::string shown_secret(const Finding& finding, ShowSecrets show) {
  if (finding.path_rule) {
    return "";
  }
  return show == ShowSecrets::yes ? finding.secret : redact(finding.secret);
}

std::unique_ptr<Reporter> make_reporter(const ReportOptions& options) {
  switch (options.format) {
  case Format::json: return make_json_reporter(options);
  case Format::text: break;
  }
  return make_text_reporter(options);
}

} // namespace leakstop::report
