// `leakstop org report` in every format, and the store crediting a blob
// shared by several repositories to each: real repositories made by the
// real `git`, scanned by the real binary. Expected counts come from what
// each test planted.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "git_fixture.hpp"
#include "org_fixture.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
using leakstop::test::run_in;
namespace fs = std::filesystem;

namespace {

const std::string& k_secret_a = leakstop::test::k_stripe_a;
const std::string& k_secret_b = leakstop::test::k_stripe_b;
// Shaped like a live Stripe key; made up.
const std::string k_secret_c = "sk_live_2Hd7Kq9Xm4Vb8Nc1Zr5Tw3Yf6Jg0Lp9Q";
// Ages are judged as of this date, whatever the clock says.
const std::string k_now = "2026-01-01T00:00:00Z";

// Repositories under up/, the store under store/, commits dated at will.
class Workspace {
public:
  fs::path base() const { return m_ws.tmp(); }
  fs::path up(const std::string& name) const { return base() / "up" / name; }

  void init(const std::string& name) const {
    fs::create_directories(up(name));
    must(up(name), "git init -q -b main . && git config commit.gpgsign false");
  }
  // Writes `file` (creating folders) and commits every change, dated `date`.
  void commit(const std::string& name, const std::string& file, const std::string& content,
              const std::string& date = "2025-12-31T12:00:00Z") const {
    fs::create_directories((up(name) / file).parent_path());
    std::ofstream(up(name) / file, std::ios::binary | std::ios::trunc) << content;
    must(up(name), fmt::format("GIT_AUTHOR_DATE={0} GIT_COMMITTER_DATE={0} git add -A && "
                               "GIT_AUTHOR_DATE={0} GIT_COMMITTER_DATE={0} git commit -q -m {1}",
                               quote(date), quote("change " + file)));
  }
  void remove(const std::string& name, const std::string& file) const {
    must(up(name), "git rm -q " + quote(file) + " && git commit -q -m " + quote("remove " + file));
  }
  void clone(const std::string& from, const std::string& to) const {
    must(base() / "up", "git clone -q " + quote(from) + " " + quote(to));
  }
  // repos.txt: each folder of up/ under its own name, or the one `names` gives it.
  void repos(const std::vector<std::string>& folders, const std::map<std::string, std::string>& names = {}) const {
    std::string lines;
    for (const std::string& n : folders) {
      lines += "file://" + up(n).string() + " " + (names.count(n) ? names.at(n) : n) + "\n";
    }
    std::ofstream(base() / "repos.txt", std::ios::binary) << lines;
  }

  RunResult org(const std::string& args) const { return run_in(base(), quote(LEAKSTOP_TEST_BIN) + " org " + args); }
  RunResult scan() const { return org("scan --repos repos.txt --store store --threads 2"); }
  // `org report --format json <args>`, valid against #/$defs/org_report.
  nlohmann::json json_report(const std::string& args = "") const {
    RunResult r = org("report --store store --format json --now " + k_now + " " + args + " 2>/dev/null >report.json");
    REQUIRE(r.rc == 0);
    RunResult valid = run_in(base(), quote(LEAKSTOP_PYTHON3) + " " +
                                       quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/validate_json.py") + " " +
                                       quote(std::string(LEAKSTOP_SOURCE_DIR) + "/docs/report-schema.json") +
                                       " report.json org_report");
    INFO(valid.out);
    REQUIRE(valid.rc == 0);
    return nlohmann::json::parse(GitRepo::read_bytes(base() / "report.json"));
  }
  const GitRepo& repo() const { return m_ws; }

private:
  static void must(const fs::path& dir, const std::string& command) {
    RunResult r = run_in(dir, command);
    if (r.rc != 0) {
      throw std::runtime_error(command + ": " + r.out);
    }
  }
  GitRepo m_ws;
};

std::set<std::string> fingerprints(const nlohmann::json& report) {
  std::set<std::string> out;
  for (const auto& f : report["findings"]) {
    out.insert(f["fingerprint"].get<std::string>());
  }
  return out;
}

// The finding whose location in `repository` is at `path`; null if none.
const nlohmann::json* finding_at(const nlohmann::json& report, const std::string& repository, const std::string& path) {
  for (const auto& f : report["findings"]) {
    for (const auto& l : f["locations"]) {
      if (l["repository"] == repository && l["path"] == path) {
        return &f;
      }
    }
  }
  return nullptr;
}

// True when a line of `text` matches `pattern` whole.
bool has_line(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, re)) {
      return true;
    }
  }
  return false;
}

// RFC 4180 records (CRLF-separated, fields quoted with "" for a quote).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) {
    rows.pop_back();
  }
  return rows;
}

} // namespace

// Planted: alpha has A (committed 2024-11-01, removed from the head in the
// second run: resolved, over a year old) and, from the second run, C in
// "=cmd.txt" (committed 2025-12-30: new, under 7 days); beta has B
// (2025-12-20: 7-30 days), triaged false-positive; "@gamma" is clean.
TEST_CASE("org report: every format, --since a run or a date, summaries by repository, rule and age", "[org][report]") {
  Workspace w;
  w.init("alpha");
  w.commit("alpha", "a.txt", "stripe " + k_secret_a + "\n", "2024-11-01T10:00:00Z");
  w.init("beta");
  w.commit("beta", "b.txt", "stripe " + k_secret_b + "\n", "2025-12-20T10:00:00Z");
  w.init("gamma");
  w.commit("gamma", "README", "nothing here\n");
  w.repos({"alpha", "beta", "gamma"}, {{"gamma", "@gamma"}});
  REQUIRE(w.scan().rc == 1);
  const nlohmann::json first = w.json_report();
  REQUIRE(first["findings"].size() == 2);
  const std::string fingerprint_b = (*finding_at(first, "beta", "b.txt"))["fingerprint"];
  const std::string fingerprint_a = (*finding_at(first, "alpha", "a.txt"))["fingerprint"];
  REQUIRE(w.org("triage " + fingerprint_b + " --status false-positive --note '=not a key' --store store").rc == 0);

  ::sleep(1);  // first_seen has seconds: the second run's findings are later
  w.remove("alpha", "a.txt");
  w.commit("alpha", "=cmd.txt", "stripe " + k_secret_c + "\n", "2025-12-30T10:00:00Z");
  RunResult second = w.scan();
  INFO(second.out);
  REQUIRE(second.rc == 1);

  const nlohmann::json all = w.json_report();
  REQUIRE(all["findings"].size() == 3);
  REQUIRE(all["runs"].size() == 2);
  const nlohmann::json* c = finding_at(all, "alpha", "=cmd.txt");
  REQUIRE(c);
  const std::string fingerprint_c = (*c)["fingerprint"];
  CHECK(all["now"] == k_now);
  CHECK(all["since"].is_null());

  {  // json: the summary counts what was planted
    const nlohmann::json& s = all["summary"];
    const nlohmann::json total = {{"findings", 3}, {"new", 1}, {"open", 0}, {"resolved", 1}, {"reopened", 0}, {"triaged", 1}};
    CHECK(s["total"] == total);
    std::map<std::string, nlohmann::json> repos;
    for (const auto& r : s["by_repository"]) {
      repos[r["repository"]] = r;
    }
    REQUIRE(repos.size() == 3);
    CHECK(repos["alpha"]["findings"] == 2);
    CHECK(repos["alpha"]["new"] == 1);
    CHECK(repos["alpha"]["resolved"] == 1);
    CHECK(repos["beta"]["findings"] == 1);
    CHECK(repos["beta"]["triaged"] == 1);
    CHECK(repos["@gamma"]["findings"] == 0);
    REQUIRE(s["by_rule"].size() == 1);  // three Stripe keys
    CHECK(s["by_rule"][0]["rule_id"].get<std::string>().rfind("stripe.", 0) == 0);
    CHECK(s["by_rule"][0]["findings"] == 3);
    std::map<std::string, int> ages;
    for (const auto& a : s["by_exposure_age"]) {
      ages[a["age"]] = a["findings"];
    }
    CHECK(ages == std::map<std::string, int>{{"<7 days", 1}, {"7-30 days", 1}, {"30-90 days", 0}, {"90-365 days", 0}, {">1 year", 1}});
    // 2024-11-01T10:00 to 2026-01-01T00:00: 425 whole days.
    CHECK((*finding_at(all, "alpha", "a.txt"))["exposure_days"] == 425);
    CHECK((*finding_at(all, "alpha", "a.txt"))["exposed_since"] == "2024-11-01T10:00:00Z");
    CHECK((*c)["exposure_days"] == 1);
  }

  {  // --since a run, a date; --new; bad values
    const nlohmann::json since2 = w.json_report("--since 2");
    CHECK(fingerprints(since2) == std::set<std::string>{fingerprint_c});
    CHECK(since2["since"]["run"] == 2);
    CHECK(since2["summary"]["total"]["findings"] == 1);
    CHECK(fingerprints(w.json_report("--since 1")).size() == 3);
    CHECK(fingerprints(w.json_report("--new")) == std::set<std::string>{fingerprint_c});
    // A date: the second run's start, then one before every run and one after.
    const std::string started = all["runs"][1]["started"];
    CHECK(fingerprints(w.json_report("--since " + started)) == std::set<std::string>{fingerprint_c});
    CHECK(fingerprints(w.json_report("--since 2000-01-01")).size() == 3);
    const nlohmann::json future = w.json_report("--since @4102444800");  // 2100
    CHECK(future["findings"].empty());
    CHECK(future["since"]["date"] == "2100-01-01T00:00:00Z");
    for (const char* bad : {"--since 3", "--since yesterday-ish", "--since 2 --new", "--now soon"}) {
      RunResult r = w.org(std::string("report --store store ") + bad);
      INFO(bad << ": " << r.out);
      CHECK(r.rc == 2);
      CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    }
  }

  {  // text: the listing, then the tables
    RunResult text = w.org("report --store store --now " + k_now);
    INFO(text.out);
    REQUIRE(text.rc == 0);
    CHECK_THAT(text.out, Catch::Contains("summary: 3 findings: 1 new, 0 open, 1 resolved, 0 reopened, 1 triaged"));
    CHECK_THAT(text.out, Catch::Contains("findings  new  open  resolved  reopened  triaged"));
    CHECK(has_line(text.out, "  alpha +2 +1 +0 +1 +0 +0"));
    CHECK(has_line(text.out, "  beta +1 +0 +0 +0 +0 +1"));
    CHECK(has_line(text.out, "  >1 year +1 +0 +0 +1 +0 +0"));
    for (const std::string& secret : {k_secret_a, k_secret_b, k_secret_c}) {
      CHECK(text.out.find(secret) == std::string::npos);
    }
  }

  {  // sarif: valid, a location per place with repository and commit, triage as a suppression
    const nlohmann::json sarif = leakstop::test::sarif_report(w.repo(), "org report --format sarif --store " +
                                                                              quote((w.base() / "store").string()));
    const std::string dumped = sarif.dump();
    for (const std::string& secret : {k_secret_a, k_secret_b, k_secret_c}) {
      CHECK(dumped.find(secret) == std::string::npos);
    }
    const auto& results = sarif["runs"][0]["results"];
    REQUIRE(results.size() == 3);
    std::map<std::string, nlohmann::json> by_fingerprint;
    for (const auto& r : results) {
      by_fingerprint[r["partialFingerprints"]["leakstopFingerprint/v1"]] = r;
    }
    REQUIRE(by_fingerprint.size() == 3);
    const nlohmann::json& rc = by_fingerprint[fingerprint_c];
    REQUIRE(rc["locations"].size() == 1);
    const auto& where = rc["locations"][0];
    CHECK(where["physicalLocation"]["artifactLocation"]["uri"] == "%3Dcmd.txt");
    CHECK(where["physicalLocation"]["region"]["startLine"] == 1);
    CHECK(where["properties"]["repository"] == "alpha");
    const std::string head = run_in(w.up("alpha"), "git rev-parse HEAD").out.substr(0, 40);
    CHECK(where["properties"]["commit"] == head);
    CHECK(rc["properties"]["status"] == "new");
    CHECK_FALSE(rc.contains("suppressions"));
    REQUIRE(by_fingerprint[fingerprint_b].contains("suppressions"));
    CHECK(by_fingerprint[fingerprint_b]["suppressions"][0]["justification"] == "false-positive: =not a key");
    CHECK(by_fingerprint[fingerprint_a]["properties"]["status"] == "resolved");
  }

  {  // csv: a header and a row per location, formulas neutralised
    RunResult csv = w.org("report --store store --format csv --now " + k_now + " 2>/dev/null");
    REQUIRE(csv.rc == 0);
    const auto rows = parse_csv(csv.out);
    REQUIRE(rows.size() == 4);  // the header and three locations
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < rows[0].size(); ++i) {
      column[rows[0][i]] = i;
    }
    for (const char* name : {"fingerprint", "rule_id", "status", "triage", "repository", "commit", "path", "line",
                             "secret_redacted", "exposure_days"}) {
      CHECK(column.count(name) == 1);
    }
    std::map<std::string, std::vector<std::string>> by_fingerprint;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      REQUIRE(rows[i].size() == rows[0].size());
      by_fingerprint[rows[i][column["fingerprint"]]] = rows[i];
    }
    REQUIRE(by_fingerprint.size() == 3);
    CHECK(by_fingerprint[fingerprint_c][column["path"]] == "'=cmd.txt");
    CHECK(by_fingerprint[fingerprint_c][column["status"]] == "new");
    CHECK(by_fingerprint[fingerprint_b][column["triage_note"]] == "'=not a key");
    CHECK(by_fingerprint[fingerprint_b][column["triage"]] == "false-positive");
    CHECK(by_fingerprint[fingerprint_a][column["exposure_days"]] == "425");
    CHECK(by_fingerprint[fingerprint_a][column["repository"]] == "alpha");
    for (const std::string& secret : {k_secret_a, k_secret_b, k_secret_c}) {
      CHECK(csv.out.find(secret) == std::string::npos);
    }
  }
}

// origin has A in key.txt, then a second version of key.txt (a new blob,
// still holding A); fork is a clone of origin plus a clean commit; vendor
// copies the second version to third_party/key.txt. Each blob is read once,
// yet A is located in all three.
TEST_CASE("org scan: a blob shared by several repositories is read once and located in each", "[org][report]") {
  Workspace w;
  w.init("origin");
  w.commit("origin", "key.txt", "stripe " + k_secret_a + "\n");
  w.commit("origin", "key.txt", "stripe " + k_secret_a + "\nrotate me\n");
  w.clone("origin", "fork");
  w.commit("fork", "NOTES", "a fork\n");
  w.init("vendor");
  w.commit("vendor", "third_party/key.txt", "stripe " + k_secret_a + "\nrotate me\n");
  w.repos({"origin", "fork", "vendor"});

  RunResult first = w.scan();
  INFO(first.out);
  REQUIRE(first.rc == 1);
  nlohmann::json report = w.json_report();
  CHECK(report["runs"][0]["blobs_scanned"] == 3);  // origin's two versions of key.txt, fork's NOTES
  REQUIRE(report["findings"].size() == 1);
  std::set<std::string> where;
  for (const auto& l : report["findings"][0]["locations"]) {
    where.insert(l["repository"].get<std::string>() + ":" + l["path"].get<std::string>());
    CHECK(l["line"] == 1);
  }
  CHECK(where == std::set<std::string>{"origin:key.txt", "fork:key.txt", "vendor:third_party/key.txt"});
  const std::string vendor_head = run_in(w.up("vendor"), "git rev-parse HEAD").out.substr(0, 40);
  CHECK((*finding_at(report, "vendor", "third_party/key.txt"))["locations"].size() == 3);
  for (const auto& l : report["findings"][0]["locations"]) {
    if (l["repository"] == "vendor") {
      CHECK(l["commit"] == vendor_head);
      CHECK(l["at_head"] == true);
    }
  }
  CHECK(report["summary"]["by_repository"].size() == 3);
  for (const auto& r : report["summary"]["by_repository"]) {
    CHECK(r["new"] == 1);
  }

  // A repository added later with the shared blob alone: nothing read, and
  // the finding gains it; dropped from vendor's head, vendor's location is
  // no longer at a head but the finding stays open (still at origin's).
  w.init("late");
  w.commit("late", "copy.txt", "stripe " + k_secret_a + "\n");
  w.remove("vendor", "third_party/key.txt");
  w.repos({"origin", "fork", "vendor", "late"});
  RunResult second = w.scan();
  INFO(second.out);
  REQUIRE(second.rc == 1);
  report = w.json_report();
  CHECK(report["runs"][1]["blobs_scanned"] == 0);
  REQUIRE(report["findings"].size() == 1);
  CHECK(finding_at(report, "late", "copy.txt"));
  CHECK(report["findings"][0]["status"] == "open");
  for (const auto& l : report["findings"][0]["locations"]) {
    if (l["repository"] == "vendor") {
      CHECK(l["at_head"] == false);
    }
  }
}

// A store made before blob secrets were kept (schema version 1) still
// opens, and what its locations say is enough to credit a shared blob.
TEST_CASE("org scan: a version 1 store is migrated and its blobs credited to a new repository", "[org][report]") {
  Workspace w;
  w.init("origin");
  w.commit("origin", "key.txt", "stripe " + k_secret_b + "\n");
  w.repos({"origin"});
  REQUIRE(w.scan().rc == 1);
  {
    // Back to version 1: what a leakstop of that schema left behind.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open((w.base() / "store" / "leakstop.db").c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
    REQUIRE(sqlite3_exec(db.get(), "DROP TABLE blob_secrets; PRAGMA user_version = 1;", nullptr, nullptr, nullptr) ==
            SQLITE_OK);
  }
  w.clone("origin", "copy");
  w.repos({"origin", "copy"});
  RunResult second = w.scan();
  INFO(second.out);
  REQUIRE(second.rc == 1);
  const nlohmann::json report = w.json_report();
  CHECK(report["runs"][1]["blobs_scanned"] == 0);
  CHECK(finding_at(report, "copy", "key.txt"));
  CHECK(finding_at(report, "origin", "key.txt"));
}
