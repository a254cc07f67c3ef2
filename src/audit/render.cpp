// The audit's three outputs. Text and JSON are the audit's own shapes;
// SARIF goes through leakstop_report, each piece of evidence a result.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>

#include "audit/audit.hpp"
#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/secret.hpp"
#include "report/report.hpp"

namespace leakstop::audit {
namespace {

std::string where(const Evidence& e) {
  if (e.path.empty()) {
    return "(repository)";
  }
  return e.line ? fmt::format("{}:{}", printable(e.path), e.line) : printable(e.path);
}

} // namespace

void write_text(const std::vector<Item>& items, std::ostream& out) {
  for (const Item& item : items) {
    out << fmt::format("{:<5} {:<26} {}\n", to_string(item.status), item.id, item.title);
    if (item.status != Status::fail && item.status != Status::warn) {
      continue;
    }
    for (const Evidence& e : item.evidence) {
      // NOTE: fmt rather than std::string's operator+: GCC 12 warns
      // (-Wrestrict) on `"literal" + std::string&&` at -O2.
      std::string commit = e.commit.empty() ? "" : fmt::format(" (commit {})", e.commit.substr(0, 12));
      std::string secret = e.secret.empty() ? "" : fmt::format(" {}", printable(redact(e.secret)));
      out << fmt::format("      {}{}{}: {}\n", where(e), commit, secret, printable(e.detail));
    }
    std::string_view remedy = item.remedy;
    std::string_view prefix = "      what to do: ";
    while (!remedy.empty()) {
      std::size_t nl = remedy.find('\n');
      out << prefix << printable(remedy.substr(0, nl)) << '\n';
      remedy = nl == std::string_view::npos ? std::string_view() : remedy.substr(nl + 1);
      prefix = "        ";
    }
  }
}

void write_json(const std::vector<Item>& items, const AuditInput& input, std::ostream& out) {
  using nlohmann::json;
  json list = json::array();
  std::array<std::size_t, 4> counts{};
  for (const Item& item : items) {
    ++counts[static_cast<std::size_t>(item.status)];
    json evidence = json::array();
    for (const Evidence& e : item.evidence) {
      json j = {{"path", e.path}, {"line", e.line}, {"detail", e.detail}};
      if (!e.commit.empty()) {
        j["commit"] = e.commit;
      }
      if (!e.secret.empty()) {
        j["secret"] = redact(e.secret);
      }
      if (!e.fingerprint.empty()) {
        j["fingerprint"] = e.fingerprint;
      }
      evidence.push_back(std::move(j));
    }
    list.push_back({{"id", item.id},
                    {"title", item.title},
                    {"status", to_string(item.status)},
                    {"evidence", std::move(evidence)},
                    {"remedy", item.remedy}});
  }
  json summary = {{"pass", counts[0]},
                  {"fail", counts[1]},
                  {"warn", counts[2]},
                  {"n/a", counts[3]},
                  {"exit_code", exit_code(items)},
                  {"rotation_days", input.rotation_days},
                  {"now", iso8601_utc(input.now) + "Z"}};
  json report = {{"items", std::move(list)}, {"summary", std::move(summary)}};
  out << report.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

void write_sarif(const std::vector<Item>& items, const std::string& tool_version, std::ostream& out) {
  std::vector<Finding> findings;
  for (const Item& item : items) {
    if (item.status != Status::fail && item.status != Status::warn) {
      continue;
    }
    for (const Evidence& e : item.evidence) {
      Finding f;
      f.rule_id = "audit/" + item.id;
      f.description = item.title;
      f.remediation = item.remedy;
      f.severity = item.status == Status::fail ? Severity::high : Severity::medium;
      f.confidence = Confidence::high;
      f.secret = e.secret;
      f.path_rule = e.secret.empty();
      f.location.path = e.path.empty() ? "." : e.path;
      f.location.line = e.line;
      f.location.column = f.path_rule ? 0 : std::max<std::uint32_t>(e.column, 1);
      f.end_line = e.line;
      f.fingerprint = !e.fingerprint.empty() ? e.fingerprint : fingerprint(f.rule_id, e.detail, f.location.path);
      findings.push_back(std::move(f));
    }
  }
  report::ReportOptions options;
  options.format = report::Format::sarif;
  options.tool_version = tool_version;
  report::make_reporter(options)->write(findings, report::Summary{}, out);
}

} // namespace leakstop::audit
