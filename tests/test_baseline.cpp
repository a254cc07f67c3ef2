// Baselines for adopting leakstop on a repository that already holds
// secrets, and the ignore files with --report-unused-ignores.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>

#include "git_fixture.hpp"
#include "report_checks.hpp"
#include "sample_rules.hpp"

using leakstop::test::GitRepo;
using nlohmann::json;

namespace {

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_github = "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";

std::string fingerprint_of(const GitRepo& repo, const std::string& path) {
  return leakstop::test::json_report(repo, "scan -f json " + path)[0]["fingerprint"].get<std::string>();
}

// Runs `baseline create` and returns what it printed on stdout.
std::string create_baseline(const GitRepo& repo, const std::string& args = "") {
  auto r = repo.leakstop("baseline create " + args + " 2>/dev/null");
  REQUIRE(r.rc == 0);
  return r.out;
}

} // namespace

TEST_CASE("a baseline hides the findings it records and shows a new one") {
  GitRepo repo;
  repo.write("old/a.txt", "key=" + k_stripe + "\n");
  repo.write("old/b.txt", "also=" + k_stripe + "\n");
  const std::string stripe = fingerprint_of(repo, "old/a.txt");
  const std::string baseline = create_baseline(repo);
  leakstop::test::require_valid_json_report(repo, baseline, "baseline");
  auto doc = json::parse(baseline);
  CHECK(doc["version"] == 1);
  // One entry per fingerprint: the same key in two files is one entry.
  REQUIRE(doc["findings"].size() == 1);
  CHECK(doc["findings"][0] == json({{"fingerprint", stripe}, {"rule_id", "stripe.live-secret-key"}, {"secret", "sk_live_51wm…"}}));
  CHECK(baseline.find(k_stripe) == std::string::npos);
  CHECK(baseline.find("old/") == std::string::npos);  // no paths: moving files does not change it
  repo.write(".leakstop-baseline.json", baseline);

  auto quiet = repo.leakstop("scan --baseline .leakstop-baseline.json old");
  CHECK(quiet.rc == 0);
  CHECK_THAT(quiet.out, Catch::Contains("2 finding(s) already in the baseline .leakstop-baseline.json not shown"));

  repo.write("new/c.txt", "token=" + k_github + "\n");
  auto r = repo.leakstop("scan --baseline .leakstop-baseline.json --format json old new 2>/dev/null");
  CHECK(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto findings = json::parse(r.out);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0]["path"] == "new/c.txt");
  CHECK(findings[0]["rule_id"] == "github.pat-classic");
}

TEST_CASE("a baseline is sorted, has no times, and does not change when a secret moves") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("b.txt", "token=" + k_github + "\n");
  const std::string first = create_baseline(repo);
  leakstop::test::require_valid_json_report(repo, first, "baseline");
  auto doc = json::parse(first);
  REQUIRE(doc["findings"].size() == 2);
  CHECK(doc["findings"][0]["fingerprint"].get<std::string>() < doc["findings"][1]["fingerprint"].get<std::string>());
  repo.write("a.txt", "\n\n# moved\n    key = \"" + k_stripe + "\"\n");
  repo.must("mv b.txt renamed.txt");
  CHECK(create_baseline(repo) == first);
}

TEST_CASE("baseline create --staged records the staged changes") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("b.txt", "token=" + k_github + "\n");
  repo.must("git add a.txt");
  const std::string staged = create_baseline(repo, "--staged");
  leakstop::test::require_valid_json_report(repo, staged, "baseline");
  auto doc = json::parse(staged);
  REQUIRE(doc["findings"].size() == 1);
  CHECK(doc["findings"][0]["rule_id"] == "stripe.live-secret-key");
}

TEST_CASE("baseline prune drops the entries no longer found") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("b.txt", "token=" + k_github + "\n");
  repo.write(".leakstop-baseline.json", create_baseline(repo));
  const std::string github = fingerprint_of(repo, "b.txt");
  repo.write("a.txt", "key=from-the-environment\n");
  auto r = repo.leakstop("baseline prune");
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("pruned 1 of 2 baseline entries no longer found; 1 kept in .leakstop-baseline.json"));
  leakstop::test::require_valid_json_report(repo, repo.read(".leakstop-baseline.json"), "baseline");
  auto doc = json::parse(repo.read(".leakstop-baseline.json"));
  REQUIRE(doc["findings"].size() == 1);
  CHECK(doc["findings"][0]["fingerprint"] == github);
}

TEST_CASE("baseline create --history records secrets removed from the tree since") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.must("git add . && git commit -q -m leak");
  const std::string stripe = fingerprint_of(repo, "a.txt");
  repo.write("a.txt", "key=from-the-environment\n");
  repo.write("b.txt", "token=" + k_github + "\n");
  repo.must("git add . && git commit -q -m fix");
  const std::string github = fingerprint_of(repo, "b.txt");
  auto tree = json::parse(create_baseline(repo));
  REQUIRE(tree["findings"].size() == 1);
  CHECK(tree["findings"][0]["fingerprint"] == github);
  const std::string history = create_baseline(repo, "--history");
  leakstop::test::require_valid_json_report(repo, history, "baseline");
  auto doc = json::parse(history);
  REQUIRE(doc["findings"].size() == 2);
  std::set<std::string> fingerprints{doc["findings"][0]["fingerprint"], doc["findings"][1]["fingerprint"]};
  CHECK(fingerprints == std::set<std::string>{stripe, github});
}

TEST_CASE("baseline errors: a missing or foreign file exits 2") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  auto missing = repo.leakstop("scan --baseline nope.json a.txt");
  CHECK(missing.rc == 2);
  CHECK_THAT(missing.out, Catch::Contains("nope.json: cannot read baseline file"));
  repo.write("other.json", "[1, 2]\n");
  auto foreign = repo.leakstop("scan --baseline other.json a.txt");
  CHECK(foreign.rc == 2);
  CHECK_THAT(foreign.out, Catch::Contains("other.json: not a leakstop baseline"));
}

// tests/fuzz/fuzz_suppress (regress-version-array): json::value("version", 0)
// threw type_error on a version that is no number, ending the scan (exit 3).
TEST_CASE("a baseline whose version is no number is not a leakstop baseline, exit 2") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("odd.json", "{\"version\": [], \"findings\": []}\n");
  auto r = repo.leakstop("scan --baseline odd.json a.txt");
  CHECK(r.rc == 2);
  CHECK_THAT(r.out, Catch::Contains("odd.json: not a leakstop baseline"));
}

TEST_CASE(".leakstopignore and .gitleaksignore suppress, and --report-unused-ignores lists what matched nothing") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("b.txt", "x\ntoken=" + k_github + "\n");
  const std::string stripe = fingerprint_of(repo, "a.txt");
  repo.write(".leakstopignore", "# reviewed keys\n" + stripe + "  # test key, revoked\n" +
                                  "00000000000000000000000000000000 # gone\n");
  repo.write(".gitleaksignore", "b.txt:github.pat-classic:2\n"
                                "0123456789abcdef0123456789abcdef01234567:b.txt:github.pat-classic:2\n");
  auto r = repo.leakstop("scan --report-unused-ignores a.txt b.txt");
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("leakstop: unused ignore: .leakstopignore:3: 00000000000000000000000000000000"));
  // A commit-qualified gitleaks entry matches only a finding from that commit.
  CHECK_THAT(r.out, Catch::Contains("leakstop: unused ignore: .gitleaksignore:2: 0123456789abcdef"));
  CHECK_THAT(r.out, !Catch::Contains(".leakstopignore:2") && !Catch::Contains(".gitleaksignore:1"));
  // gitleaks fingerprints name a line: once the line moves, the entry no longer matches.
  repo.write("b.txt", "token=" + k_github + "\n");
  auto moved = repo.leakstop("scan --report-unused-ignores b.txt");
  CHECK(moved.rc == 1);
  CHECK_THAT(moved.out, Catch::Contains("unused ignore: .gitleaksignore:1: b.txt:github.pat-classic:2"));
}

TEST_CASE("a renamed or split rule keeps its old id as an alias: baselines made before still hide its findings") {
  GitRepo repo;
  // The sample rule without its header and id line, to give it other ids.
  const std::string sample = leakstop::test::k_token_rule;
  const std::string body = sample.substr(sample.find("\ndescription"));
  repo.write("rules/demo.toml", "[[rule]]\nid = \"demo.token\"" + body);
  repo.write("a.txt", "t = dmo_q8Zr2LmX0pW4nT7yB3cV\n");
  repo.write(".leakstop-baseline.json", create_baseline(repo, "--rules rules a.txt"));
  const std::string scan = "scan --rules rules --baseline .leakstop-baseline.json a.txt";
  REQUIRE(repo.leakstop(scan).rc == 0);

  SECTION("renamed without an alias: the old baseline no longer matches (why aliases exist)") {
    repo.write("rules/demo.toml", "[[rule]]\nid = \"demo.api-token\"" + body);
    auto r = repo.leakstop(scan);
    CHECK(r.rc == 1);
    CHECK_THAT(r.out, Catch::Contains("demo.api-token"));
  }
  SECTION("renamed with the old id as an alias") {
    repo.write("rules/demo.toml", "[[rule]]\nid = \"demo.api-token\"\naliases = [\"demo.token\"]" + body);
    CHECK(repo.leakstop(scan).rc == 0);
    // A repository config may still disable it by its old id.
    repo.write(".leakstop.toml", "disabled_rules = [\"demo.token\"]\n");
    CHECK(repo.leakstop("scan --rules rules a.txt").rc == 0);
  }
  SECTION("split in two, both carrying the old id") {
    repo.write("rules/demo.toml", "[[rule]]\nid = \"demo.live-token\"\naliases = [\"demo.token\"]" + body +
                                    "\n[[rule]]\nid = \"demo.test-token\"\naliases = [\"demo.token\"]" + body);
    CHECK(repo.leakstop(scan).rc == 0);
  }
  SECTION("an alias that names another rule's id is refused") {
    repo.write("rules/demo.toml", "[[rule]]\nid = \"demo.token\"" + body +
                                    "\n[[rule]]\nid = \"demo.api-token\"\naliases = [\"demo.token\"]" + body);
    auto r = repo.leakstop(scan);
    CHECK(r.rc == 2);
    CHECK_THAT(r.out, Catch::Contains("duplicate id"));
  }
}

// std::stoul threw out_of_range on such a line number, and the uncaught
// exception ended the scan (tests/fuzz/fuzz_suppress, regress-line-overflow).
TEST_CASE("a .gitleaksignore line number too large for any file is no fingerprint, not a crash") {
  GitRepo repo;
  repo.write("b.txt", "token=" + k_github + "\n");
  repo.write(".gitleaksignore", "b.txt:github.pat-classic:99999999999999999999999\nb.txt:github.pat-classic:4294967296\n");
  auto r = repo.leakstop("scan --report-unused-ignores b.txt");
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("1 secret found"));
}
