// `leakstop org report`, `org triage` and `org merge`: what the store holds,
// read out, decided on, and combined from shards. JSON: #/$defs/org_report
// in docs/report-schema.json.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/org_html.hpp"
#include "cli/org_json.hpp"
#include "cli/org_log.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace leakstop::cli {

nlohmann::json finding_json(const store::StoredFinding& f) {
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

// Report and triage read a store that a scan made: they never create one.
store::Store open_existing(const std::string& dir) {
  if (!std::filesystem::exists(std::filesystem::path(dir) / "leakstop.db")) {
    throw ConfigError(fmt::format("no store at {} (no leakstop.db there; leakstop org scan makes one)", printable(dir)));
  }
  return store::Store::open(dir);
}

} // namespace

int cmd_org_report(const sources::LibGit2& git, const OrgArgs& args) {
  if (args.format != "text" && args.format != "json" && args.format != "html") {
    throw ConfigError("org report --format takes text, json or html");
  }
  store::Store store = open_existing(args.store_dir);
  const std::vector<store::RunInfo> runs = store.runs();
  std::vector<store::StoredFinding> findings;
  if (args.only_new) {
    findings = runs.empty() ? std::vector<store::StoredFinding>{} : store.findings_since(store.previous_run(runs.back().id));
  } else {
    findings = store.findings();
  }
  const std::vector<store::RepositoryInfo> repositories = store.repositories();
  if (args.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const store::StoredFinding& f : findings) {
      list.push_back(finding_json(f));
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
    nlohmann::json report = {{"runs", run_list},
                             {"only_new", args.only_new},
                             {"repositories", repos},
                             {"findings", list}};
    std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (args.format == "html") {
    write_org_html(std::cout, findings, repositories, runs, std::time(nullptr));
  } else {
    write_text(std::cout, findings, repositories);
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
