// `leakstop org scan --on-new COMMAND`: real repositories, real scans, real
// shell commands that record, fail and hang; the store's audit log read back.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <sstream>
#include <vector>

#include "git_fixture.hpp"
#include "org_fixture.hpp"

using namespace leakstop::test;  // NOLINT: the fixtures' names
namespace fs = std::filesystem;

namespace {

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// The store's audit log lines for the --on-new command.
std::vector<nlohmann::json> on_new_records(const Org& o) {
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& record : json_lines(GitRepo::read_bytes(o.store() / "audit.jsonl"))) {
    if (record["action"] == "org scan on-new") {
      out.push_back(record);
    }
  }
  return out;
}

// Two repositories, three planted secrets.
void plant(Org& o) {
  o.make_repo("one", "key.txt", "stripe " + k_stripe_a + "\n");
  o.make_repo("two", "app.txt", "STRIPE=" + k_stripe_b + "\n");
  o.commit("two", "more.txt", "STRIPE_2=" + k_stripe_c + "\n");
  o.repos(fmt::format("file://{} one\nfile://{} two\n", o.up("one").string(), o.up("two").string()));
}

std::set<std::pair<std::string, std::string>> fingerprints_and_rules(const std::vector<nlohmann::json>& findings) {
  std::set<std::pair<std::string, std::string>> out;
  for (const nlohmann::json& f : findings) {
    out.emplace(f["fingerprint"], f["rule_id"]);
  }
  return out;
}

// Dead or a zombie (a container's init may never reap it).
bool process_gone(const std::string& pid) {
  const std::string stat = GitRepo::read_bytes(fs::path("/proc") / pid / "stat");
  const std::size_t paren = stat.rfind(')');
  return stat.empty() || (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0);
}

} // namespace

TEST_CASE("org scan --on-new: the new findings as JSON lines on stdin, redacted, and no run when nothing is new",
          "[org][on-new]") {
  Org o;
  plant(o);
  RunResult first = o.scan("--on-new 'cat > first.jsonl'");
  INFO(first.out);
  CHECK(first.rc == 1);
  const std::string sent = GitRepo::read_bytes(o.base() / "first.jsonl");
  for (const std::string& secret : {k_stripe_a, k_stripe_b, k_stripe_c}) {
    CHECK(sent.find(secret) == std::string::npos);
  }
  // Each line an org_finding of docs/report-schema.json.
  RunResult valid = o.validate("first.jsonl", "org-jsonl");
  INFO(valid.out);
  CHECK(valid.rc == 0);
  const std::vector<nlohmann::json> lines = json_lines(sent);
  std::set<std::string> previews;
  for (const nlohmann::json& f : lines) {
    CHECK(f["status"] == "new");
    previews.insert(f["secret_redacted"]);
  }
  // The planted three, each under a stripe rule, as the store holds them.
  const nlohmann::json report = o.report();
  std::vector<nlohmann::json> stored(report["findings"].begin(), report["findings"].end());
  CHECK(fingerprints_and_rules(lines) == fingerprints_and_rules(stored));
  std::size_t stripe = 0;
  for (const auto& [fingerprint, rule] : fingerprints_and_rules(lines)) {
    stripe += rule.rfind("stripe.", 0) == 0;
  }
  CHECK(stripe == 3);
  CHECK(previews.size() == 3);
  std::vector<nlohmann::json> records = on_new_records(o);
  REQUIRE(records.size() == 1);
  CHECK(records[0]["exit_code"] == 0);
  CHECK(records[0]["findings"] == lines.size());

  // Nothing new: the command does not run.
  RunResult second = o.scan("--on-new 'cat > second.jsonl'");
  INFO(second.out);
  CHECK(second.rc == 1);
  CHECK_FALSE(fs::exists(o.base() / "second.jsonl"));
  CHECK(on_new_records(o).size() == 1);

  // One new secret: only it is sent.
  o.commit("one", "later.txt", "stripe sk_live_9Zx8Cv7Bn6Mq5Wd4Ty3Ur2Ie1Op0As9D\n");
  RunResult third = o.scan("--on-new 'cat > third.jsonl'");
  INFO(third.out);
  CHECK(third.rc == 1);
  const std::vector<nlohmann::json> news = json_lines(GitRepo::read_bytes(o.base() / "third.jsonl"));
  REQUIRE(news.size() == 1);
  CHECK(news[0]["locations"][0]["path"] == "later.txt");
  CHECK(news[0]["locations"][0]["repository"] == "one");
}

TEST_CASE("org scan --on-new: a failing command is recorded, the scan's exit code stands", "[org][on-new]") {
  Org o;
  plant(o);
  RunResult failed = o.scan("--on-new 'cat >/dev/null; echo webhook down >&2; exit 7'");
  INFO(failed.out);
  CHECK(failed.rc == 1);  // open findings, as without --on-new
  CHECK_THAT(failed.out, Catch::Contains("--on-new command exited with 7"));
  CHECK_THAT(failed.out, Catch::Contains("webhook down"));
  std::vector<nlohmann::json> records = on_new_records(o);
  REQUIRE(records.size() == 1);
  CHECK(records[0]["exit_code"] == 7);
  CHECK(records[0]["result"] == "error");
  CHECK(records[0]["findings"] == 3);

  // A command that does not exist (the shell's 127), and one that reads
  // nothing of its stdin: neither takes the scan down.
  o.commit("one", "b.txt", "stripe " + k_stripe_b + "x\n");
  RunResult absent = o.scan("--on-new no-such-command-leakstop-test");
  INFO(absent.out);
  CHECK(absent.rc == 1);
  o.commit("one", "c.txt", "stripe " + k_stripe_c + "x\n");
  RunResult deaf = o.scan("--on-new 'exit 0'");
  INFO(deaf.out);
  CHECK(deaf.rc == 1);
  records = on_new_records(o);
  REQUIRE(records.size() == 3);
  CHECK(records[1]["exit_code"] == 127);
  CHECK(records[2]["exit_code"] == 0);
  RunResult valid = o.validate("store/audit.jsonl", "audit-log");
  INFO(valid.out);
  CHECK(valid.rc == 0);
}

TEST_CASE("org scan --on-new-timeout: a hanging command is killed with its process group and recorded",
          "[org][on-new]") {
  Org o;
  plant(o);
  const auto start = std::chrono::steady_clock::now();
  RunResult hung = o.scan("--on-new 'sleep 300 & echo $! > sleep.pid; wait' --on-new-timeout 1");
  const auto took = std::chrono::steady_clock::now() - start;
  INFO(hung.out);
  CHECK(hung.rc == 1);
  CHECK_THAT(hung.out, Catch::Contains("--on-new command timed out after 1 s"));
  CHECK(took < std::chrono::seconds(60));  // far from the sleep's 300 s: it did not wait for it
  const std::string pid = GitRepo::read_bytes(o.base() / "sleep.pid");
  REQUIRE(!pid.empty());
  CHECK(process_gone(pid.substr(0, pid.find('\n'))));
  std::vector<nlohmann::json> records = on_new_records(o);
  REQUIRE(records.size() == 1);
  CHECK(records[0]["exit_code"] == 124);
  CHECK(records[0]["result"] == "error");

  RunResult bad = o.scan("--on-new true --on-new-timeout 0");
  CHECK(bad.rc == 2);
}
