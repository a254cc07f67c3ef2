// `leakstop org` as it is operated: the GitHub Actions workflow of
// integrations/github run job by job on this machine (tests/tools/gha_run.py
// plays the runner and the cache and artifact actions with directories),
// the Kubernetes manifest as kubectl decodes it, and a scan killed with
// SIGKILL then run again. Organisations come from bench/make_org.py: real
// git repositories served by file:// URLs. Nothing of leakstop is mocked.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <random>
#include <set>
#include <tuple>

#include "git_fixture.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
using leakstop::test::run_in;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string k_source = LEAKSTOP_SOURCE_DIR;

std::string python(const std::string& script) {
  return quote(LEAKSTOP_PYTHON3) + " " + quote(k_source + "/" + script);
}

// Every location of every finding in a store: what must not depend on how
// the scan was split or interrupted.
using Location = std::tuple<std::string, std::string, std::string, std::string, bool>;  // fingerprint, repository, commit, path, at_head

// An organisation made by bench/make_org.py under a temporary directory:
// up/rNN repositories and repos.txt listing them by file:// URL.
class GeneratedOrg {
public:
  GeneratedOrg(int repos, int commits, int file_kb = 2) {
    RunResult made = run_in(base(), python("bench/make_org.py") + fmt::format(" . {} {} --file-kb {}", repos, commits, file_kb));
    if (made.rc != 0) {
      throw std::runtime_error("make_org.py: " + made.out);
    }
    planted = json::parse(made.out.substr(made.out.rfind('{')))["planted"];
  }
  fs::path base() const { return m_ws.tmp(); }

  RunResult leakstop(const std::string& args) const { return run_in(base(), quote(LEAKSTOP_TEST_BIN) + " " + args); }

  json report(const std::string& store) const {
    RunResult r = run_in(base(), quote(LEAKSTOP_TEST_BIN) + " org report --format json --store " + quote(store) +
                                   " 2>/dev/null");
    INFO(r.out);
    REQUIRE(r.rc == 0);
    return json::parse(r.out);
  }

  std::set<Location> locations(const std::string& store) const {
    std::set<Location> out;
    const json whole = report(store);
    for (const json& f : whole["findings"]) {
      for (const json& l : f["locations"]) {
        out.emplace(f["fingerprint"], l["repository"], l["commit"], l["path"], l["at_head"]);
      }
    }
    return out;
  }

  std::set<std::string> fingerprints(const std::string& store) const {
    std::set<std::string> out;
    for (const Location& l : locations(store)) {
      out.insert(std::get<0>(l));
    }
    return out;
  }

  int planted = 0;  // repositories given a secret by make_org.py, one distinct secret each

private:
  GitRepo m_ws;  // for its temporary directory and isolated environment
};

// `PRAGMA integrity_check` through SQLite itself: "ok" or what is wrong.
std::string integrity(const fs::path& db) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string error = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return "cannot open: " + error;
  }
  std::string result;
  auto collect = [](void* out, int columns, char** values, char**) {
    for (int i = 0; i < columns; ++i) {
      *static_cast<std::string*>(out) += values[i] ? values[i] : "NULL";
    }
    return 0;
  };
  char* error = nullptr;
  if (sqlite3_exec(raw, "PRAGMA integrity_check", collect, &result, &error) != SQLITE_OK) {
    result = std::string("integrity_check failed: ") + (error ? error : "");
    sqlite3_free(error);
  }
  sqlite3_close(raw);
  return result;
}

// One job of integrations/github/org-scan.yml, run by tests/tools/gha_run.py
// in a fresh working directory (a fresh runner: only the cache and the
// artifacts under STATE carry anything from job to job).
json run_job(const GeneratedOrg& org, const std::string& job, int run_id, const std::string& what,
             const std::string& variables) {
  const fs::path workdir = org.base() / "runners" / fmt::format("{}-{}", run_id, what);
  fs::create_directories(workdir);
  fs::copy_file(org.base() / "repos.txt", workdir / "repos.txt");
  const std::string bin_dir = fs::path(LEAKSTOP_TEST_BIN).parent_path().string();
  RunResult r = run_in(org.base(), "PATH=" + quote(bin_dir) + ":\"$PATH\" " + python("tests/tools/gha_run.py") + " " +
                                     quote(k_source + "/integrations/github/org-scan.yml") + " " + job + " " +
                                     quote(workdir.string()) + " state " + std::to_string(run_id) + " " + variables);
  INFO(job << " " << what << ":\n" << r.out);
  REQUIRE(r.rc == 0);
  return json::parse(r.out.substr(r.out.rfind("\n{") + 1));
}

bool step_ran(const json& job, const std::string& name_start) {
  for (const json& s : job["steps"]) {
    if (s["name"].get<std::string>().rfind(name_start, 0) == 0) {
      return s["ran"];
    }
  }
  FAIL("no step named " << name_start);
  return false;
}

} // namespace

TEST_CASE("integrations/github/org-scan.yml: shard jobs, then the merge job, give one run's findings, and triage "
          "dispatched by hand survives the nights",
          "[org][github]") {
  GeneratedOrg org(8, 3);
  REQUIRE(org.planted >= 2);
  std::ofstream(org.base() / "repos.txt", std::ios::app) << "file://" << (org.base() / "gone").string() << " gone\n";

  RunResult parsed = run_in(org.base(), python("tests/tools/gha_org_commands.py") + " " +
                                          quote(k_source + "/integrations/github/org-scan.yml"));
  INFO(parsed.out);
  REQUIRE(parsed.rc == 0);  // it also refuses a `${{ }}` inside a run script
  const json spec = json::parse(parsed.out);
  const int shards = spec["shards"];
  REQUIRE(spec["matrix"].size() == static_cast<std::size_t>(shards));
  CHECK(spec["fail_fast"] == false);
  CHECK(spec["merge_needs"] == "scan");
  CHECK(spec["dispatch_inputs"] == json({"fingerprint", "note", "status"}));

  // Night 1: every shard, each in its own process and directory.
  int failed_shards = 0;
  for (int k = 0; k < shards; ++k) {
    const json job = run_job(org, "scan", 1, fmt::format("shard{}", k), fmt::format("matrix.shard={}", k));
    const std::string rc = job["outputs"]["scan"]["rc"];
    CHECK((rc == "0" || rc == "1" || rc == "3"));
    CHECK(step_ran(job, "Keep the store"));
    CHECK(step_ran(job, "Hand the store"));
    // A failed repository fails its shard's job (after the store is saved); open findings do not.
    CHECK(job["rc"] == (rc == "3" ? 3 : 0));
    failed_shards += rc == "3";
  }
  CHECK(failed_shards == 1);  // the shard that holds `gone`

  json merge = run_job(org, "merge", 1, "merge", "");
  CHECK(merge["rc"] == 1);  // open findings, nobody has judged them
  CHECK_FALSE(step_ran(merge, "Triage"));
  const fs::path merged = org.base() / "state/cache/leakstop-merged-1";  // the cache entry holds the directory's content
  REQUIRE(fs::exists(merged / "leakstop.db"));

  // The same findings as one unsharded run on its own store.
  RunResult whole = org.leakstop("org scan --repos repos.txt --store whole --threads 2");
  INFO(whole.out);
  CHECK(whole.rc == 3);
  const std::set<Location> expected = org.locations("whole");
  CHECK(org.locations(merged.string()) == expected);
  CHECK(org.fingerprints("whole").size() == static_cast<std::size_t>(org.planted));

  // Nights 2..: the shards start from their cached stores and read nothing;
  // each night a manual dispatch triages one finding in the merge job, those
  // at a head first (one removed from every head is resolved from the
  // second run on and does not keep the job red); the merge job goes green
  // once every one at a head is judged,
  // so every decision survived the merged store's cache and the re-merge
  // of the shard stores.
  std::vector<std::string> fingerprints;
  std::size_t open = 0;
  const json whole_report = org.report("whole");
  for (const json& f : whole_report["findings"]) {
    bool at_head = false;
    for (const json& l : f["locations"]) {
      at_head = at_head || l["at_head"] == true;
    }
    const bool resolved = !at_head;
    fingerprints.insert(resolved ? fingerprints.end() : fingerprints.begin() + static_cast<std::ptrdiff_t>(open),
                        f["fingerprint"].get<std::string>());
    open += !resolved;
  }
  REQUIRE(open >= 1);
  int night = 2;
  for (const std::string& fingerprint : fingerprints) {
    for (int k = 0; k < shards; ++k) {
      run_job(org, "scan", night, fmt::format("shard{}", k), fmt::format("matrix.shard={}", k));
      const json shard =
        org.report((org.base() / "state/cache" / fmt::format("leakstop-shard-{}-of-{}-{}", k, shards, night)).string());
      CHECK(shard["runs"].size() == static_cast<std::size_t>(night));
      CHECK(shard["runs"].back()["blobs_scanned"] == 0);
    }
    merge = run_job(org, "merge", night, "merge",
                    "inputs.fingerprint=" + fingerprint + " inputs.status=rotated 'inputs.note=rotated in the test'");
    CHECK(step_ran(merge, "Triage"));
    CHECK(merge["rc"] == (static_cast<std::size_t>(night - 1) >= open ? 0 : 1));
    ++night;
  }
  const json last = org.report((org.base() / "state/cache" / fmt::format("leakstop-merged-{}", night - 1)).string());
  REQUIRE(last["findings"].size() == fingerprints.size());
  for (const json& f : last["findings"]) {
    CHECK(f["triage"]["status"] == "rotated");
    CHECK(f["triage"]["note"] == "rotated in the test");
  }
}

TEST_CASE("integrations/kubernetes/org-scan.yaml: kubectl decodes it into the objects and commands the tests run",
          "[org][kubernetes]") {
  GitRepo ws;
  if (run_in(ws.tmp(), "command -v kubectl").rc != 0) {
    WARN("kubectl is not installed: the manifest is checked only by the YAML test");
    return;
  }
  const std::string manifest = quote(k_source + "/integrations/kubernetes/org-scan.yaml");
  // `kubectl create --dry-run=client` needs a cluster to map kinds; `set env
  // --local` decodes every object into Kubernetes' own types without one (a
  // misspelt kind or a wrongly typed field fails) and prints them back.
  RunResult decoded = run_in(ws.tmp(), "KUBECONFIG=/dev/null kubectl set env --local -o yaml -f " + manifest +
                                         " LEAKSTOP_CHECKED=1 > decoded.yaml");
  INFO(decoded.out);
  REQUIRE(decoded.rc == 0);
  RunResult as_decoded = run_in(ws.tmp(), python("tests/tools/k8s_commands.py") + " decoded.yaml");
  RunResult as_written = run_in(ws.tmp(), python("tests/tools/k8s_commands.py") + " " + manifest);
  INFO(as_decoded.out << as_written.out);
  REQUIRE(as_decoded.rc == 0);
  REQUIRE(as_written.rc == 0);
  CHECK(json::parse(as_decoded.out) == json::parse(as_written.out));

  std::ofstream(ws.tmp() / "bad.yaml") << GitRepo::read_bytes(k_source + "/integrations/kubernetes/org-scan.yaml")
                                       << "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec: {completions: four}\n";
  CHECK(run_in(ws.tmp(), "KUBECONFIG=/dev/null kubectl set env --local -o yaml -f bad.yaml X=1").rc != 0);
}

namespace {

// `org scan` started in the background on `store`, killed with SIGKILL once
// `when_to_kill` (a shell condition) holds; its exit status and stderr.
RunResult killed_scan(const GeneratedOrg& org, const std::string& store, const std::string& when_to_kill) {
  return run_in(org.base(), quote(LEAKSTOP_TEST_BIN) + " org scan --repos repos.txt --threads 2 --store " + quote(store) +
                                " 2>err-" + store + ".txt & pid=$!; " + when_to_kill + "; kill -KILL $pid; wait $pid; echo rc=$?; cat err-" +
                                store + ".txt");
}

void rerun_and_compare(const GeneratedOrg& org, const std::string& store, const std::set<Location>& expected) {
  if (fs::exists(org.base() / store / "leakstop.db")) {
    CHECK(integrity(org.base() / store / "leakstop.db") == "ok");  // as the kill left it
  }
  RunResult rerun = org.leakstop("org scan --repos repos.txt --threads 2 --store " + quote(store));
  INFO(rerun.out);
  CHECK(rerun.rc == 1);
  CHECK(org.locations(store) == expected);
  CHECK(integrity(org.base() / store / "leakstop.db") == "ok");
  const json report = org.report(store);
  CHECK(report["runs"].back()["status"] == "completed");
}

} // namespace

TEST_CASE("org scan killed with SIGKILL, then run again: the findings of an uninterrupted run, the store intact",
          "[org][kill]") {
  constexpr int k_repos = 12;
  GeneratedOrg org(k_repos, 8, 4);
  const auto started = std::chrono::steady_clock::now();
  RunResult reference = org.leakstop("org scan --repos repos.txt --threads 2 --store reference");
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  INFO(reference.out);
  REQUIRE(reference.rc == 1);
  const std::set<Location> expected = org.locations("reference");
  REQUIRE(org.fingerprints("reference").size() == static_cast<std::size_t>(org.planted));

  {  // killed once the first repository is recorded
    RunResult killed = killed_scan(org, "first",
                                   "for i in $(seq 2000); do grep -q ' blobs, ' err-first.txt && break; sleep 0.005; done");
    INFO(killed.out);
    REQUIRE_THAT(killed.out, Catch::Contains("rc=137"));  // still running when killed
    CHECK_THAT(killed.out, !Catch::Contains("org scan: run"));  // no summary: it never finished
    rerun_and_compare(org, "first", expected);
    const json report = org.report("first");
    REQUIRE(report["runs"].size() == 2);
    CHECK(report["runs"][0]["status"] != "completed");
    CHECK(report["runs"][0]["repositories"] >= 1);  // what was done before the kill is kept...
    CHECK(report["runs"][1]["repositories"] == k_repos);
  }
  {  // killed at random early moments

    std::random_device seed;
    std::mt19937 pick(seed());
    for (int attempt = 0; attempt < 2; ++attempt) {
      const std::string store = fmt::format("random{}", attempt);
      const int delay_ms = std::uniform_int_distribution<int>(0, static_cast<int>(took.count() * 6 / 10))(pick);
      RunResult killed = killed_scan(org, store, fmt::format("sleep {}.{:03}", delay_ms / 1000, delay_ms % 1000));
      INFO("killed after " << delay_ms << " ms of a " << took.count() << " ms run\n" << killed.out);
      REQUIRE_THAT(killed.out, Catch::Contains("rc=137"));
      rerun_and_compare(org, store, expected);
    }
  }
}

TEST_CASE("org scan: a repository's own configuration is ignored and what it would hide counted, --repo-config "
          "honours it",
          "[org][repo-config]") {
  GitRepo ws;
  const fs::path base = ws.tmp();
  const std::string allowed_key = "sk_live_7Hq2Vz9Lw4Rt1Np6Kc3Xb8Dm5Fj0Gs2T";  // made up
  const std::string plain_key = "sk_live_3Mf8Yq1Wz6Tb9Rk4Nd7Hc2Lp5Vx0Js8Q";    // made up
  const std::string broken_key = "sk_live_9Pd4Xs7Kq2Wm5Zr8Tb1Hn6Vc3Jf0Lg4R";   // made up
  const auto make = [&](const std::string& name, const std::string& files) {
    const fs::path dir = base / "up" / name;
    fs::create_directories(dir);
    REQUIRE(run_in(dir, "git init -q -b main . && " + files + " && git add -A && git -c commit.gpgsign=false commit -q -m c")
              .rc == 0);
  };
  make("allowed", "mkdir config && echo STRIPE=" + allowed_key +
                    " > config/app.py && printf \"[allowlist]\\npaths = ['^config/']\\n\" > .leakstop.toml");
  make("plain", "echo STRIPE=" + plain_key + " > app.py");
  make("broken", "echo STRIPE=" + broken_key + " > other.py && echo 'not = [toml' > .leakstop.toml");
  std::ofstream(base / "repos.txt") << "file://" << (base / "up/allowed").string() << " allowed\nfile://"
                                    << (base / "up/plain").string() << " plain\nfile://"
                                    << (base / "up/broken").string() << " broken\n";
  const auto previews = [&](const std::string& store) {
    RunResult r = run_in(base, quote(LEAKSTOP_TEST_BIN) + " org report --format json --store " + store + " 2>/dev/null");
    REQUIRE(r.rc == 0);
    std::set<std::pair<std::string, std::string>> out;  // repository, path
    const json report = json::parse(r.out);
    for (const json& f : report["findings"]) {
      for (const json& l : f["locations"]) {
        out.emplace(l["repository"], l["path"]);
      }
    }
    return out;
  };
  const std::string scan = quote(LEAKSTOP_TEST_BIN) + " org scan --repos repos.txt --threads 2 ";

  RunResult security_view = run_in(base, scan + "--store ignored");
  INFO(security_view.out);
  CHECK(security_view.rc == 1);  // a broken .leakstop.toml of one repository does not stop the run
  CHECK_THAT(security_view.out, Catch::Contains("allowed: ") &&
                                  Catch::Contains("its own configuration would hide 1 (allowlist.paths)"));
  CHECK_THAT(security_view.out, Catch::Contains("broken: ") && Catch::Contains("its own configuration is ignored: "));
  CHECK_THAT(security_view.out, Catch::Contains("; 1 reported that repositories' own configuration would hide"));
  CHECK(previews("ignored") == std::set<std::pair<std::string, std::string>>{
                                 {"allowed", "config/app.py"}, {"plain", "app.py"}, {"broken", "other.py"}});
  CHECK_THAT(GitRepo::read_bytes(base / "ignored/audit.jsonl"), Catch::Contains("\"org scan repository config would hide\""));

  RunResult honoured = run_in(base, scan + "--store honoured --repo-config");
  INFO(honoured.out);
  CHECK(honoured.rc == 1);
  CHECK_THAT(honoured.out, Catch::Contains("its own configuration hid 1 (allowlist.paths)"));
  CHECK(previews("honoured") ==
        std::set<std::pair<std::string, std::string>>{{"plain", "app.py"}, {"broken", "other.py"}});
  CHECK_THAT(GitRepo::read_bytes(base / "honoured/audit.jsonl"), Catch::Contains("\"org scan repository config hid\""));

  // Both ways at once: refused, as a contradiction.
  RunResult both = run_in(base, scan + "--store both --repo-config --no-repo-config");
  CHECK(both.rc == 2);
}

TEST_CASE("org scan on a terminal: one progress line, each repository's result above it", "[org][progress]") {
  GeneratedOrg org(2, 2);
  // `script` gives the scan a terminal for stderr, and records what it drew.
  RunResult r = run_in(org.base(), "TERM=xterm script -qec " +
                                     quote(quote(LEAKSTOP_TEST_BIN) + " org scan --repos repos.txt --store store") +
                                     " typescript >/dev/null; echo rc=$?; cat typescript");
  INFO(r.out);
  CHECK_THAT(r.out, Catch::Contains("rc=1"));
  CHECK_THAT(r.out, Catch::Contains("\rleakstop: org 0 done of 2, r00: "));
  CHECK_THAT(r.out, Catch::Contains("\rleakstop: org 1 done of 2, r01: "));
  CHECK_THAT(r.out, Catch::Contains("leakstop: org: r00: ") && Catch::Contains("leakstop: org: r01: "));
  CHECK_THAT(r.out, !Catch::Contains("[1/2]"));  // the plain start lines are for logs
  CHECK_THAT(r.out, Catch::Contains("leakstop: org scan: run 1: 2 of 2 repositories"));
}
