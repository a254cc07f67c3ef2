// `leakstop org` end to end: real repositories served by a real `git
// daemon` on 127.0.0.1 and by file:// URLs, scanned by the real binary into
// a real store. Nothing is mocked.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

#include "git_fixture.hpp"
#include "org_fixture.hpp"
#include "servers.hpp"
#include "store/store.hpp"

using leakstop::test::GitDaemon;
using leakstop::test::GitRepo;
using leakstop::test::Org;
using leakstop::test::quote;
using leakstop::test::RunResult;
using leakstop::test::run_in;
namespace fs = std::filesystem;

namespace {

const std::string& k_secret_a = leakstop::test::k_stripe_a;
const std::string& k_secret_b = leakstop::test::k_stripe_b;

const nlohmann::json* finding_in(const nlohmann::json& report, const std::string& repository) {
  for (const auto& f : report["findings"]) {
    for (const auto& l : f["locations"]) {
      if (l["repository"] == repository) {
        return &f;
      }
    }
  }
  return nullptr;
}

std::set<std::string> repository_names(const nlohmann::json& report) {
  std::set<std::string> names;
  for (const auto& r : report["repositories"]) {
    names.insert(r["name"].get<std::string>());
  }
  return names;
}

} // namespace

TEST_CASE("org scan: new, then nothing read and open, then resolved when the head drops it (git daemon)",
          "[org][daemon]") {
  Org o;
  o.make_repo("alpha", "notes.txt", "stripe " + k_secret_a + "\n");
  o.make_repo("beta", "README", "nothing here\n");
  GitDaemon daemon(o.base() / "up");
  o.repos(daemon.url("alpha") + " alpha\n" + daemon.url("beta") + " beta\n");

  RunResult first = o.scan();
  INFO(first.out);
  CHECK(first.rc == 1);
  CHECK(first.out.find(k_secret_a) == std::string::npos);
  nlohmann::json report = o.report();
  REQUIRE(!report["findings"].empty());
  CHECK_THAT(first.out, Catch::Contains(fmt::format("findings: {} new", report["findings"].size())));
  bool stripe = false;
  for (const auto& f : report["findings"]) {
    CHECK(f["status"] == "new");
    REQUIRE(f["locations"].size() == 1);
    CHECK(f["locations"][0]["repository"] == "alpha");
    CHECK(f["locations"][0]["path"] == "notes.txt");
    CHECK(f["locations"][0]["at_head"] == true);
    stripe = stripe || f["rule_id"].get<std::string>().rfind("stripe.", 0) == 0;
  }
  CHECK(stripe);
  CHECK(report["runs"][0]["blobs_scanned"] == 2);  // alpha's notes.txt and beta's README

  RunResult second = o.scan();
  INFO(second.out);
  CHECK(second.rc == 1);  // nothing new, but the secret is still open
  CHECK_THAT(second.out, Catch::Contains(", 0 read;"));
  report = o.report();
  REQUIRE(report["runs"].size() == 2);
  CHECK(report["runs"][1]["blobs_scanned"] == 0);
  CHECK(report["runs"][1]["status"] == "completed");
  for (const auto& f : report["findings"]) {
    CHECK(f["status"] == "open");
  }

  o.commit("alpha", "notes.txt", "moved to the vault\n");
  RunResult third = o.scan();
  INFO(third.out);
  CHECK(third.rc == 0);
  CHECK_THAT(third.out, Catch::Contains(", 1 read;"));  // only the new version of notes.txt
  report = o.report();
  for (const auto& f : report["findings"]) {
    CHECK(f["status"] == "resolved");
    CHECK(f["locations"][0]["at_head"] == false);
  }

  // The audit log: a line per repository and per run, in --audit-log's format, no secret in it.
  std::string audit = GitRepo::read_bytes(o.store() / "audit.jsonl");
  CHECK(audit.find(k_secret_a) == std::string::npos);
  RunResult valid = run_in(o.base(), quote(LEAKSTOP_PYTHON3) + " " +
                                       quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/validate_json.py") + " " +
                                       quote(std::string(LEAKSTOP_SOURCE_DIR) + "/docs/report-schema.json") + " " +
                                       quote((o.store() / "audit.jsonl").string()) + " audit-log");
  INFO(valid.out);
  CHECK(valid.rc == 0);
  std::map<std::string, int> actions;
  std::istringstream lines(audit);
  for (std::string line; std::getline(lines, line);) {
    ++actions[nlohmann::json::parse(line)["action"].get<std::string>()];
  }
  CHECK(actions["org scan"] == 3);
  CHECK(actions["org scan repository"] == 6);
}

TEST_CASE("org scan: a failing repository is recorded, the others scanned, no credential anywhere", "[org][daemon]") {
  Org o;
  o.make_repo("good", "key.txt", k_secret_b + "\n");
  o.make_repo("served", "README", "clean\n");
  GitDaemon daemon(o.base() / "up");
  o.repos("https://user:hunter2pass@127.0.0.1:1/x.git creds\n" + daemon.url("missing") + " missing\nfile://" +
          o.up("good").string() + " good\n" + daemon.url("served") + " served\n");

  RunResult r = o.scan();
  INFO(r.out);
  CHECK(r.rc == 3);
  CHECK_THAT(r.out, Catch::Contains("failed repositories"));
  CHECK_THAT(r.out, Catch::Contains("missing ("));
  CHECK(r.out.find("hunter2pass") == std::string::npos);
  nlohmann::json report = o.report();
  CHECK(finding_in(report, "good"));
  std::size_t failing = 0;
  for (const auto& repo : report["repositories"]) {
    failing += !repo["last_error"].get<std::string>().empty();
  }
  CHECK(failing == 2);
  // Neither the database, the mirrors' configs nor the audit log hold it.
  RunResult grep = run_in(o.base(), "grep -r -a -l hunter2pass store");
  CHECK(grep.rc == 1);
  CHECK(grep.out == "");
  CHECK(run_in(o.base(), "find store").out.find("hunter2pass") == std::string::npos);  // nor a file name
  RunResult text = o.org("report --store store");
  CHECK(text.out.find("hunter2pass") == std::string::npos);
}

TEST_CASE("org scan: a store in use is refused at once", "[org]") {
  Org o;
  o.make_repo("one", "README", "clean\n");
  o.repos("file://" + o.up("one").string() + "\n");
  leakstop::store::Store held = leakstop::store::Store::open(o.store());
  RunResult r = o.scan();
  INFO(r.out);
  CHECK(r.rc == 2);
  CHECK_THAT(r.out, Catch::Contains("in use"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}

TEST_CASE("org triage: the decision shows in the report and survives the next run", "[org]") {
  Org o;
  o.make_repo("one", "key.txt", k_secret_a + "\n");
  o.repos("file://" + o.up("one").string() + " one\n");
  REQUIRE(o.scan().rc == 1);
  nlohmann::json report = o.report();
  REQUIRE(report["findings"].size() == 1);
  const std::string fingerprint = report["findings"][0]["fingerprint"];

  RunResult bad = o.org("triage " + fingerprint + " --status ignored --store store");
  CHECK(bad.rc == 2);
  RunResult unknown = o.org("triage 0123456789abcdef0123456789abcdef --status rotated --store store");
  CHECK(unknown.rc == 2);
  CHECK_THAT(unknown.out, Catch::Contains("no finding"));

  RunResult t = o.org("triage " + fingerprint + " --status rotated --note 'rotated on the 3rd' --store store");
  INFO(t.out);
  REQUIRE(t.rc == 0);
  CHECK(o.scan().rc == 0);
  report = o.report();
  CHECK(report["findings"][0]["triage"]["status"] == "rotated");
  CHECK(report["findings"][0]["triage"]["note"] == "rotated on the 3rd");
  RunResult text = o.org("report --store store");
  CHECK_THAT(text.out, Catch::Contains("rotated on the 3rd"));
  CHECK_THAT(text.out, Catch::Contains(fingerprint + " [open, rotated]"));
  CHECK_THAT(GitRepo::read_bytes(o.store() / "audit.jsonl"), Catch::Contains("\"org triage rotated\""));

  RunResult nowhere = o.org("report --store nowhere");
  CHECK(nowhere.rc == 2);
  CHECK_THAT(nowhere.out, Catch::Contains("no store at nowhere"));
  CHECK_FALSE(fs::exists(o.base() / "nowhere"));
}

TEST_CASE("org scan --shard: shards split the list, merged they are the whole", "[org]") {
  Org o;
  std::string list;
  for (int i = 0; i < 6; ++i) {
    const std::string name = fmt::format("r{}", i);
    o.make_repo(name, "key.txt", (i % 2 ? k_secret_a : k_secret_b) + "\n" + name + "\n");
    list += "file://" + o.up(name).string() + " " + name + "\n";
  }
  o.repos(list);
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    RunResult r = o.org(fmt::format("scan --repos repos.txt --store shard{0} --shard {0}/3", k));
    INFO(r.out);
    CHECK((r.rc == 0 || r.rc == 1));
    for (const std::string& name : repository_names(o.report(fmt::format("shard{}", k)))) {
      CHECK(seen.insert(name).second);  // in one shard only
    }
  }
  CHECK(seen.size() == 6);
  CHECK(o.org("scan --repos repos.txt --store store --shard 3/3").rc == 2);

  RunResult merged = o.org("merge --store store shard0 shard1 shard2");
  INFO(merged.out);
  REQUIRE(merged.rc == 0);
  nlohmann::json report = o.report();
  CHECK(repository_names(report).size() == 6);
  CHECK(report["findings"].size() == 2);
}

TEST_CASE("integrations/kubernetes: the Indexed Job's shard commands and the merge step give one run's findings",
          "[org][kubernetes]") {
  Org o;
  std::string list;
  for (int i = 0; i < 5; ++i) {
    const std::string name = fmt::format("k{}", i);
    o.make_repo(name, "app.env", "KEY=" + (i % 2 ? k_secret_a : k_secret_b) + "\n# " + name + "\n");
    list += "file://" + o.up(name).string() + " " + name + "\n";
  }
  o.repos(list);
  RunResult parsed = run_in(o.base(), quote(LEAKSTOP_PYTHON3) + " " +
                                        quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/k8s_commands.py") + " " +
                                        quote(std::string(LEAKSTOP_SOURCE_DIR) + "/integrations/kubernetes/org-scan.yaml"));
  INFO(parsed.out);
  REQUIRE(parsed.rc == 0);
  const nlohmann::json k8s = nlohmann::json::parse(parsed.out);
  const int shards = k8s["shards"];
  CHECK(k8s["parallelism"] == shards);
  CHECK(k8s["mode"] == "Indexed");
  REQUIRE(k8s["scan"][0] == "leakstop");

  // Each pod as Kubernetes runs it: $(JOB_COMPLETION_INDEX) expanded from
  // the pod's environment, the volumes' paths under this test's directory.
  const auto local = [&](std::string arg) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"/config/", ""}, {"/stores/", "stores/"}}) {
      if (std::size_t at = arg.find(from); at != std::string::npos) {
        arg.replace(at, from.size(), to);
      }
    }
    return arg;
  };
  for (int k = 0; k < shards; ++k) {
    std::string command = fmt::format("export JOB_COMPLETION_INDEX={}; {}", k, quote(LEAKSTOP_TEST_BIN));
    for (std::size_t i = 1; i < k8s["scan"].size(); ++i) {
      std::string arg = local(k8s["scan"][i]);
      const std::string var = "$(JOB_COMPLETION_INDEX)";
      if (std::size_t at = arg.find(var); at != std::string::npos) {
        arg.replace(at, var.size(), "\"$JOB_COMPLETION_INDEX\"");
        command += fmt::format(" {}", arg);  // left for the shell to expand, as Kubernetes does
      } else {
        command += fmt::format(" {}", quote(arg));
      }
    }
    RunResult r = run_in(o.base(), command);
    INFO(command << "\n" << r.out);
    CHECK((r.rc == 0 || r.rc == 1));
  }
  std::string merge = k8s["merge"];
  REQUIRE(merge.rfind("leakstop ", 0) == 0);
  merge = quote(LEAKSTOP_TEST_BIN) + merge.substr(8);
  for (std::size_t at; (at = merge.find(" /stores/")) != std::string::npos;) {
    merge.replace(at, 9, " stores/");
  }
  RunResult merged = run_in(o.base(), merge);
  INFO(merge << "\n" << merged.out);
  REQUIRE(merged.rc == 0);

  REQUIRE(o.scan().rc == 1);  // one unsharded run, for comparison
  const auto fingerprints = [](const nlohmann::json& report) {
    std::set<std::pair<std::string, std::string>> out;  // fingerprint, repository
    for (const auto& f : report["findings"]) {
      for (const auto& l : f["locations"]) {
        out.emplace(f["fingerprint"], l["repository"]);
      }
    }
    return out;
  };
  const nlohmann::json whole = o.report();
  const nlohmann::json sharded = o.report("stores/merged");
  CHECK(fingerprints(sharded) == fingerprints(whole));
  std::set<std::string> repositories;
  for (const auto& [fingerprint, repository] : fingerprints(whole)) {
    repositories.insert(repository);
  }
  CHECK(repositories.size() == 5);
  CHECK(repository_names(sharded).size() == 5);
}

TEST_CASE("org scan: SIGTERM finishes the repository in flight, the run is interrupted, the next run continues",
          "[org][signal]") {
  Org o;
  std::string list;
  constexpr int k_repos = 40;
  for (int i = 0; i < k_repos; ++i) {
    const std::string name = fmt::format("s{:02}", i);
    o.make_repo(name, "key.txt", fmt::format("{}\n{}\n", k_secret_b, name));
    list += fmt::format("file://{} {}\n", o.up(name).string(), name);
  }
  o.repos(list);
  // Stopped once the second repository starts: well before the fortieth.
  RunResult stopped = run_in(o.base(), quote(LEAKSTOP_TEST_BIN) +
                                         " org scan --repos repos.txt --store store --threads 1 2>err.txt & pid=$!; "
                                         "for i in $(seq 1000); do grep -q '\\[2/' err.txt && break; sleep 0.01; done; "
                                         "kill -TERM $pid; wait $pid; echo rc=$?; cat err.txt");
  INFO(stopped.out);
  REQUIRE_THAT(stopped.out, Catch::Contains("rc=143"));
  CHECK_THAT(stopped.out, Catch::Contains("(interrupted)"));
  nlohmann::json report = o.report();
  REQUIRE(report["runs"].size() == 1);
  CHECK(report["runs"][0]["status"] == "interrupted");
  const int done = report["runs"][0]["repositories"];
  CHECK(done >= 1);
  CHECK(done < k_repos);

  RunResult rest = o.scan();
  INFO(rest.out);
  CHECK(rest.rc == 1);  // still open: nobody has triaged it
  report = o.report();
  CHECK(report["runs"][1]["status"] == "completed");
  CHECK(report["runs"][1]["blobs_scanned"] == k_repos - done);  // only what the first run had not read
  REQUIRE(report["findings"].size() == 1);
  CHECK(report["findings"][0]["locations"].size() == k_repos);
}

TEST_CASE("history --store: a rerun reads nothing and reports nothing, a new commit's blob alone is read",
          "[org][history]") {
  GitRepo repo;
  repo.write("a.txt", "stripe " + k_secret_a + "\n");
  repo.write("b.txt", "plain\n");
  repo.must("git add -A && git commit -q -m one");
  const std::string store = (repo.tmp() / "store").string();

  RunResult first = repo.leakstop("history --threads 2 --store " + quote(store));
  INFO(first.out);
  CHECK(first.rc == 1);
  CHECK_THAT(first.out, Catch::Contains("2 of 2 blobs read"));

  RunResult again = repo.leakstop("history --threads 2 --store " + quote(store));
  INFO(again.out);
  CHECK(again.rc == 0);
  CHECK_THAT(again.out, Catch::Contains("0 of 2 blobs read"));

  repo.write("c.txt", "stripe " + k_secret_b + "\n");
  repo.must("git add -A && git commit -q -m two");
  RunResult third = repo.leakstop("history --threads 2 --store " + quote(store));
  INFO(third.out);
  CHECK(third.rc == 1);
  CHECK_THAT(third.out, Catch::Contains("1 of 3 blobs read"));
  CHECK_THAT(third.out, Catch::Contains("c.txt"));
  CHECK(third.out.find("a.txt") == std::string::npos);

  // The store holds both, open, as `org report` shows them.
  RunResult report = run_in(repo.tmp(), quote(LEAKSTOP_TEST_BIN) + " org report --format json --store store");
  REQUIRE(report.rc == 0);
  const nlohmann::json parsed = nlohmann::json::parse(report.out.substr(0, report.out.rfind('}') + 1));
  CHECK(parsed["findings"].size() == 2);
  CHECK(parsed["runs"].size() == 3);

  RunResult baseline = repo.leakstop("history --store " + quote(store) + " --baseline none.json");
  CHECK(baseline.rc == 2);
  CHECK_THAT(baseline.out, Catch::Contains("does not combine"));
}
