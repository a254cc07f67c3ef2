// `leakstop org report`, `org triage` and `org merge`: what the store holds,
// read out, decided on, and combined from shards. JSON: #/$defs/org_report
// in docs/report-schema.json; SARIF, CSV and the summaries in
// org_report_*.cpp.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/org_html.hpp"
#include "cli/org_json.hpp"
#include "cli/org_log.hpp"
#include "cli/org_report.hpp"
#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace leakstop::cli {

nlohmann::json finding_json(const store::StoredFinding& f, std::int64_t now) {
  nlohmann::json locations = nlohmann::json::array();
  for (const store::StoredLocation& l : f.locations) {
    locations.push_back({{"repository", l.repository},
                         {"commit", l.commit},
                         {"path", l.path},
                         {"line", l.line},
                         {"author", l.author},
                         {"date", l.date},
                         {"at_head", l.at_head}});
  }
  nlohmann::json j = {{"fingerprint", f.fingerprint},
                      {"rule_id", f.rule_id},
                      {"severity", to_string(f.severity)},
                      {"secret_redacted", f.preview},
                      {"status", store::to_string(f.status)},
                      {"first_seen", f.first_seen},
                      {"first_seen_run", f.first_seen_run},
                      {"last_seen", f.last_seen},
                      {"last_seen_run", f.last_seen_run},
                      {"moved_after_triage", f.moved_after_triage},
                      {"locations", locations}};
  const auto [exposed, days] = exposure_of(f, now);
  j["exposed_since"] = exposed;
  j["exposure_days"] = days;
  if (f.triage != store::Triage::none) {
    j["triage"] = {{"status", store::to_string(f.triage)}, {"note", f.triage_note}, {"by", f.triage_by},
                   {"at", f.triage_at}};
  }
  return j;
}

namespace {

void write_text(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                const std::vector<store::RepositoryInfo>& repositories) {
  for (const store::StoredFinding& f : findings) {
    const std::string triage = f.triage == store::Triage::none ? "" : fmt::format(", {}", store::to_string(f.triage));
    out << fmt::format("{} [{}{}{}] {} ({}) {}\n", f.fingerprint, store::to_string(f.status), triage,
                       f.moved_after_triage ? ", seen in a new place since" : "", printable(f.rule_id),
                       to_string(f.severity), printable(f.preview));
    out << fmt::format("  first seen {} (run {}), last seen {} (run {})\n", f.first_seen, f.first_seen_run, f.last_seen,
                       f.last_seen_run);
    if (f.triage != store::Triage::none) {
      out << fmt::format("  triage: {} by {} at {}{}\n", store::to_string(f.triage), printable(f.triage_by),
                         f.triage_at, f.triage_note.empty() ? "" : ": " + printable(f.triage_note));
    }
    for (const store::StoredLocation& l : f.locations) {
      out << fmt::format("  {} {} {}:{}{}{}\n", printable(l.repository), printable(l.commit.substr(0, 12)),
                         printable(l.path), l.line, l.author.empty() ? "" : " by " + printable(l.author),
                         l.at_head ? " (at a head)" : "");
    }
  }
  std::size_t failing = 0;
  for (const store::RepositoryInfo& r : repositories) {
    if (!r.last_error.empty()) {
      ++failing;
      out << fmt::format("repository {} ({}): last fetch failed: {}\n", printable(r.name), printable(r.url),
                         printable(r.last_error));
    }
  }
  out << fmt::format("{} findings; {} repositories, {} failing\n", findings.size(), repositories.size(), failing);
}

void write_json(std::ostream& out, const std::vector<store::RunInfo>& runs,
                const std::vector<store::RepositoryInfo>& repositories, const std::vector<store::StoredFinding>& findings,
                bool only_new, const std::optional<store::Since>& since, std::int64_t now) {
  nlohmann::json list = nlohmann::json::array();
  for (const store::StoredFinding& f : findings) {
    list.push_back(finding_json(f, now));
  }
  nlohmann::json repos = nlohmann::json::array();
  for (const store::RepositoryInfo& r : repositories) {
    repos.push_back({{"name", r.name}, {"url", r.url}, {"last_fetch", r.last_fetch}, {"last_error", r.last_error}});
  }
  nlohmann::json run_list = nlohmann::json::array();
  for (const store::RunInfo& r : runs) {
    run_list.push_back({{"id", r.id},
                        {"started", r.started},
                        {"finished", r.finished},
                        {"status", store::to_string(r.status)},
                        {"repositories", r.repositories_closed},
                        {"blobs_scanned", r.blobs_scanned}});
  }
  nlohmann::json since_json = nullptr;
  if (since && since->run) {
    since_json = {{"run", *since->run}};
  } else if (since && since->time) {
    since_json = {{"date", iso8601_utc(*since->time) + "Z"}};
  }
  nlohmann::json report = {{"runs", run_list},
                           {"only_new", only_new},
                           {"since", since_json},
                           {"now", iso8601_utc(now) + "Z"},
                           {"repositories", repos},
                           {"findings", list},
                           {"summary", org_summary_json(store::summarise(findings, repositories, now))}};
  out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

// Report and triage read a store that a scan made: they never create one.
store::Store open_existing(const std::string& dir) {
  if (!std::filesystem::exists(std::filesystem::path(dir) / "leakstop.db")) {
    throw ConfigError(fmt::format("no store at {} (no leakstop.db there; leakstop org scan makes one)", printable(dir)));
  }
  return store::Store::open(dir);
}

} // namespace

int cmd_org_report(const sources::LibGit2& git, const OrgArgs& args) {
  if (args.format != "text" && args.format != "json" && args.format != "sarif" && args.format != "csv" &&
      args.format != "html") {
    throw ConfigError("org report --format takes text, json, sarif, csv or html");
  }
  if (args.only_new && !args.since.empty()) {
    throw ConfigError("org report: --new and --since do not combine (--new is --since the latest run)");
  }
  const std::int64_t now = reference_time(args.now);
  store::Store store = open_existing(args.store_dir);
  const std::vector<store::RunInfo> runs = store.runs();
  std::vector<store::StoredFinding> findings;
  std::optional<store::Since> since;
  if (args.only_new) {
    findings = runs.empty() ? std::vector<store::StoredFinding>{} : store.findings_since(store.previous_run(runs.back().id));
  } else {
    findings = store.findings();
    if (!args.since.empty()) {
      since = store::parse_since(args.since, runs, now);
      findings = store::first_seen_since(std::move(findings), *since);
    }
  }
  const std::vector<store::RepositoryInfo> repositories = store.repositories();
  if (args.format == "json") {
    write_json(std::cout, runs, repositories, findings, args.only_new, since, now);
  } else if (args.format == "sarif") {
    write_org_sarif(std::cout, findings, repositories, now);
  } else if (args.format == "csv") {
    write_org_csv(std::cout, findings, now);
  } else if (args.format == "html") {
    write_org_html(std::cout, findings, repositories, runs, now);
  } else {
    write_text(std::cout, findings, repositories);
    write_org_summary_text(std::cout, store::summarise(findings, repositories, now));
  }
  append_store_audit(git, args.store_dir, "org report", "", 0, findings.size(), 0);
  return static_cast<int>(ExitCode::clean);
}

int cmd_org_triage(const sources::LibGit2& git, const OrgArgs& args) {
  const std::optional<store::Triage> status = store::parse_triage(args.status);
  if (!status || *status == store::Triage::none) {
    throw ConfigError(fmt::format("--status '{}': expected rotated, false-positive or accepted-risk",
                                  printable(args.status)));
  }
  store::Store store = open_existing(args.store_dir);
  const std::string who = org_actor(git);
  if (!store.triage(args.fingerprint, *status, args.note, who)) {
    throw ConfigError(fmt::format("no finding has the fingerprint '{}' (leakstop org report lists them)",
                                  printable(args.fingerprint)));
  }
  // The decision is in the store; the log says that one was made.
  append_store_audit(git, args.store_dir, fmt::format("org triage {}", store::to_string(*status)), "", 0, 1, 0);
  std::cerr << fmt::format("leakstop: {} marked {} by {}\n", printable(args.fingerprint), store::to_string(*status),
                           printable(who));
  return static_cast<int>(ExitCode::clean);
}

int cmd_org_merge(const sources::LibGit2& git, const OrgArgs& args) {
  store::Store store = store::Store::open(args.store_dir);
  for (const std::string& other : args.others) {
    store.merge(other);
    append_store_audit(git, args.store_dir, "org merge", std::filesystem::absolute(other).string(), 0, 0, 0);
  }
  std::cerr << fmt::format("leakstop: merged {} stores into {}\n", args.others.size(), printable(args.store_dir));
  return static_cast<int>(ExitCode::clean);
}

} // namespace leakstop::cli
