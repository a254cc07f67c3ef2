// `org report --format sarif|csv`: the store's findings for code-scanning
// dashboards and spreadsheets.
#include <fmt/format.h>

#include <map>

#include "cli/org_report.hpp"
#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "report/pieces.hpp"

namespace leakstop::cli {
namespace {

using nlohmann::json;

json sarif_rule(const store::StoredFinding& f) {
  const std::string description = fmt::format("A secret found by the leakstop rule {}.", f.rule_id);
  return {{"id", f.rule_id},
          {"shortDescription", {{"text", description}}},
          {"fullDescription", {{"text", description}}},
          {"help", {{"text", "Rotate the secret, then record it with leakstop org triage FINGERPRINT --status rotated."}}},
          {"defaultConfiguration", {{"level", report::sarif_level(f.severity)}}},
          {"properties",
           {{"tags", {"security", "secret"}}, {"security-severity", report::sarif_security_severity(f.severity)}}}};
}

json sarif_location(const store::StoredLocation& l, std::size_t id) {
  json physical = {{"artifactLocation", {{"uri", report::sarif_uri(l.path)}}},
                   {"region", {{"startLine", std::max<std::uint32_t>(l.line, 1)}}}};
  json properties = {{"repository", l.repository}, {"commit", l.commit}, {"atHead", l.at_head}};
  if (!l.date.empty()) {
    properties["date"] = l.date;
  }
  return {{"id", id},
          {"physicalLocation", physical},
          {"message", {{"text", fmt::format("In repository {}, commit {}.", l.repository, l.commit)}}},
          {"properties", properties}};
}

json sarif_result(const store::StoredFinding& f, std::size_t rule_index, std::int64_t now) {
  json locations = json::array();
  for (const store::StoredLocation& l : f.locations) {
    locations.push_back(sarif_location(l, locations.size()));
  }
  const auto [exposed, days] = exposure_of(f, now);
  json properties = {{"status", store::to_string(f.status)},
                     {"secretRedacted", f.preview},
                     {"firstSeen", f.first_seen},
                     {"lastSeen", f.last_seen},
                     {"exposedSince", exposed},
                     {"exposureDays", days}};
  json result = {{"ruleId", f.rule_id},
                 {"ruleIndex", rule_index},
                 {"level", report::sarif_level(f.severity)},
                 {"message", {{"text", fmt::format("A {} secret, {} ({}).", f.rule_id, f.preview, store::to_string(f.status))}}},
                 {"partialFingerprints", {{"leakstopFingerprint/v1", f.fingerprint}}},
                 {"properties", properties}};
  if (!locations.empty()) {
    result["locations"] = locations;
  }
  if (f.triage != store::Triage::none) {
    // Decided outside the code: code scanning shows the alert as dismissed.
    std::string why = std::string(store::to_string(f.triage));
    if (!f.triage_note.empty()) {
      why += ": " + f.triage_note;
    }
    result["suppressions"] = json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", why}}});
    result["properties"]["triage"] = {{"status", store::to_string(f.triage)}, {"by", f.triage_by}, {"at", f.triage_at}};
  }
  return result;
}

} // namespace

std::pair<std::string, std::int64_t> exposure_of(const store::StoredFinding& f, std::int64_t now) {
  const std::optional<std::int64_t> since = store::exposed_since(f);
  if (!since) {
    return {"", 0};
  }
  return {iso8601_utc(*since) + "Z", store::age_days(*since, now)};
}

void write_org_sarif(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                     const std::vector<store::RepositoryInfo>& repositories, std::int64_t now) {
  // Rules sorted by id, each once.
  std::map<std::string, const store::StoredFinding*> first_of_rule;
  for (const store::StoredFinding& f : findings) {
    first_of_rule.emplace(f.rule_id, &f);
  }
  json rules = json::array();
  std::map<std::string, std::size_t> index;
  for (const auto& [id, f] : first_of_rule) {
    index[id] = rules.size();
    rules.push_back(sarif_rule(*f));
  }
  json results = json::array();
  for (const store::StoredFinding& f : findings) {
    results.push_back(sarif_result(f, index[f.rule_id], now));
  }
  json invocation = {{"executionSuccessful", true}};
  json notifications = json::array();
  for (const store::RepositoryInfo& r : repositories) {
    if (!r.last_error.empty()) {
      notifications.push_back(
          {{"level", "warning"},
           {"message", {{"text", fmt::format("Repository {} ({}): the last fetch failed: {}.", r.name, r.url, r.last_error)}}}});
    }
  }
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = notifications;
  }
  json driver = {{"name", "leakstop"}, {"version", LEAKSTOP_VERSION}, {"semanticVersion", LEAKSTOP_VERSION}, {"rules", rules}};
  json run = {{"tool", {{"driver", driver}}}, {"invocations", json::array({invocation})}, {"results", results}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  out << log.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

void write_org_csv(std::ostream& out, const std::vector<store::StoredFinding>& findings, std::int64_t now) {
  out << "fingerprint,rule_id,severity,status,triage,triage_note,triage_by,triage_at,secret_redacted,first_seen,"
         "first_seen_run,last_seen,last_seen_run,exposed_since,exposure_days,repository,commit,path,line,author,date,"
         "at_head\r\n";
  for (const store::StoredFinding& f : findings) {
    const auto [exposed, days] = exposure_of(f, now);
    const std::vector<std::string> finding = {f.fingerprint,
                                              f.rule_id,
                                              std::string(to_string(f.severity)),
                                              std::string(store::to_string(f.status)),
                                              std::string(store::to_string(f.triage)),
                                              f.triage_note,
                                              f.triage_by,
                                              f.triage_at,
                                              f.preview,
                                              f.first_seen,
                                              std::to_string(f.first_seen_run),
                                              f.last_seen,
                                              std::to_string(f.last_seen_run),
                                              exposed,
                                              std::to_string(days)};
    std::vector<std::vector<std::string>> places;
    for (const store::StoredLocation& l : f.locations) {
      places.push_back({l.repository, l.commit, l.path, std::to_string(l.line), l.author, l.date, l.at_head ? "true" : "false"});
    }
    if (places.empty()) {
      places.emplace_back(7, "");
    }
    for (const std::vector<std::string>& place : places) {
      const char* separator = "";
      for (const std::vector<std::string>* part : {&finding, &place}) {
        for (const std::string& cell : *part) {
          out << separator << report::csv_field(cell);
          separator = ",";
        }
      }
      out << "\r\n";
    }
  }
}

} // namespace leakstop::cli
