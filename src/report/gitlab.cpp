// GitLab's secret-detection report (security report schema 15.x), read by
// a CI job's `artifacts:reports:secret_detection`. GitLab requires a commit
// for every location: the finding's own, else HEAD's.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "core/dates.hpp"
#include "core/secret.hpp"
#include "report/formats.hpp"

namespace leakstop::report {
namespace {

using nlohmann::json;

constexpr const char* k_schema_version = "15.0.7";

std::string_view gitlab_severity(Severity s) {
  switch (s) {
  case Severity::critical: return "Critical";
  case Severity::high: return "High";
  case Severity::medium: return "Medium";
  case Severity::low: return "Low";
  case Severity::info: break;
  }
  return "Info";
}

// A stable UUID-shaped id for one finding at one place.
std::string vulnerability_id(const Finding& f) {
  std::string h = sha256_hex(fmt::format("{}\n{}\n{}", f.fingerprint, f.location.path, f.location.line));
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20, 12));
}

std::string now_utc() {
  return iso8601_utc(std::time(nullptr));
}

class GitlabReporter : public Reporter {
public:
  explicit GitlabReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary& summary, std::ostream& out) override {
    json vulnerabilities = json::array();
    for (const Finding& f : findings) {
      std::string sha = f.location.commit ? f.location.commit->id
                        : summary.head_commit.empty() ? "0000000"
                                                      : summary.head_commit;
      json location = {{"file", f.location.path}, {"commit", {{"sha", sha}}}};
      if (!f.path_rule) {
        location["start_line"] = f.location.line;
        location["end_line"] = std::max(f.end_line, f.location.line);
      }
      std::string description =
        f.path_rule ? f.description : fmt::format("{}: {}", f.description, shown_secret(f, m_options.show_secrets));
      json identifier = {{"type", "leakstop_rule_id"}, {"name", "leakstop " + f.rule_id}, {"value", f.rule_id}};
      if (!f.link.empty()) {
        identifier["url"] = f.link;
      }
      vulnerabilities.push_back({{"id", vulnerability_id(f)},
                                 {"name", f.description},
                                 {"description", description},
                                 {"severity", gitlab_severity(f.severity)},
                                 {"solution", f.remediation},
                                 {"identifiers", json::array({identifier})},
                                 {"location", location}});
    }
    json tool = {{"id", "leakstop"}, {"name", "leakstop"}, {"version", m_options.tool_version},
                 {"vendor", {{"name", "leakstop"}}}};
    const bool failed = has_errors(summary);
    std::string end = now_utc();
    json scan = {{"analyzer", tool},
                 {"scanner", tool},
                 {"type", "secret_detection"},
                 {"start_time", summary.started_at.empty() ? end : summary.started_at},
                 {"end_time", end},
                 {"status", failed ? "failure" : "success"}};
    json report = {{"version", k_schema_version}, {"vulnerabilities", vulnerabilities}, {"scan", scan}};
    out << dump(report, 2) << '\n';
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_gitlab_reporter(const ReportOptions& options) {
  return std::make_unique<GitlabReporter>(options);
}

} // namespace leakstop::report
