// Every output format, for a repository with known findings, checked field
// by field against values written by hand; JSON against
// docs/report-schema.json and SARIF with Microsoft's SARIF Multitool.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "git_fixture.hpp"
#include "report/report.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using nlohmann::json;

namespace {

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_github = "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";

// Three findings: .env (path rule), a GitHub token at 2:8 and a Stripe key
// at 3:11 of a file whose name has a space.
void make_findings(GitRepo& repo) {
  repo.write("cfg/app one.yml", "a: 1\ntoken: " + k_github + "\nstripe = \"" + k_stripe + "\"\n");
  repo.write(".env", "DEBUG=1\n");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    out.push_back(line);
  }
  return out;
}

} // namespace

TEST_CASE("json: an array of findings, sorted by path, valid against the schema") {
  GitRepo repo;
  make_findings(repo);
  auto r = repo.leakstop("scan --format json .");
  REQUIRE(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto j = json::parse(r.out);
  REQUIRE(j.size() == 3);
  CHECK(j[0]["rule_id"] == "dotenv.file");
  CHECK(j[0]["path_rule"] == true);
  CHECK(j[0]["line"] == 0);
  CHECK(j[0]["secret"] == "");
  CHECK(j[1]["rule_id"] == "github.pat-classic");
  CHECK(j[1]["path"] == "cfg/app one.yml");
  CHECK(j[1]["line"] == 2);
  CHECK(j[1]["column"] == 8);
  CHECK(j[2]["rule_id"] == "stripe.live-secret-key");
  CHECK(j[2]["severity"] == "critical");
  CHECK(j[2]["line"] == 3);
  CHECK(j[2]["column"] == 11);
  CHECK(j[2]["secret"] == "sk_live_51wm…");
  CHECK(j[2]["link"] == "https://docs.stripe.com/keys");
  CHECK(j[2]["link_title"] == "Stripe documentation: API keys");
}

TEST_CASE("jsonl: one finding object per line, each valid against the schema") {
  GitRepo repo;
  make_findings(repo);
  auto r = repo.leakstop("scan --format jsonl .");
  REQUIRE(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out, "jsonl");
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3);
  auto first = json::parse(lines[0]);
  auto second = json::parse(lines[1]);
  auto third = json::parse(lines[2]);
  CHECK(first["rule_id"] == "dotenv.file");
  CHECK(second["rule_id"] == "github.pat-classic");
  CHECK(second["secret"] == "ghp_zcvvXYBg…");
  CHECK(third["fingerprint"].get<std::string>().size() == 32);
  CHECK(r.out.find(k_stripe) == std::string::npos);
  repo.write("empty/clean.txt", "nothing\n");
  auto clean = repo.leakstop("scan --format jsonl empty");
  CHECK(clean.rc == 0);
  CHECK(clean.out.empty());
}

TEST_CASE("sarif: rules, levels, help, fingerprints and GitHub-ready locations, and the Multitool finds no error") {
  GitRepo repo;
  make_findings(repo);
  auto r = repo.leakstop("scan --format sarif --report out.sarif .");
  REQUIRE(r.rc == 1);
  // --report still prints the text summary.
  CHECK_THAT(r.out, Catch::Contains("leakstop: 3 secrets found.") && Catch::Contains("cfg/app one.yml:3:11"));
  leakstop::test::require_valid_sarif(repo, repo.root() / "out.sarif");
  auto log = json::parse(repo.read("out.sarif"));
  CHECK(log["version"] == "2.1.0");
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(log["runs"].size() == 1);
  const auto& run = log["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "leakstop");
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 3);
  CHECK(rules[0]["id"] == "dotenv.file");
  CHECK(rules[1]["id"] == "github.pat-classic");
  CHECK(rules[2]["id"] == "stripe.live-secret-key");
  CHECK(rules[2]["shortDescription"]["text"] == "Stripe live-mode secret API key.");
  CHECK_THAT(rules[2]["help"]["text"].get<std::string>(),
             Catch::StartsWith("Roll the key in the Stripe Dashboard") &&
               Catch::EndsWith("Stripe documentation: API keys: https://docs.stripe.com/keys"));
  CHECK(rules[2]["helpUri"] == "https://docs.stripe.com/keys");
  CHECK(rules[2]["defaultConfiguration"]["level"] == "error");
  CHECK(rules[2]["properties"]["security-severity"] == "9.5");
  CHECK(rules[1]["properties"]["security-severity"] == "8.0");
  CHECK(rules[2]["properties"]["tags"] == json::array({"security", "secret"}));

  const auto& results = run["results"];
  REQUIRE(results.size() == 3);
  const auto& stripe = results[2];
  CHECK(stripe["ruleId"] == "stripe.live-secret-key");
  CHECK(stripe["ruleIndex"] == 2);
  CHECK(stripe["level"] == "error");
  CHECK(stripe["message"]["text"] == "Stripe live-mode secret API key: sk_live_51wm….");
  const auto& location = stripe["locations"][0]["physicalLocation"];
  CHECK(location["artifactLocation"]["uri"] == "cfg/app%20one.yml");
  CHECK(location["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(location["region"]["startLine"] == 3);
  CHECK(location["region"]["startColumn"] == 11);
  CHECK(location["region"]["endLine"] == 3);
  CHECK(location["region"]["endColumn"] == 11 + 40);
  CHECK(results[0]["locations"][0]["physicalLocation"]["region"] == json({{"startLine", 1}}));
  auto plain = leakstop::test::json_report(repo, "scan --format json .");
  CHECK(stripe["partialFingerprints"]["leakstopFingerprint/v1"] == plain[2]["fingerprint"]);
  CHECK(repo.read("out.sarif").find(k_stripe) == std::string::npos);
  CHECK(repo.read("out.sarif").find(k_github) == std::string::npos);
}

TEST_CASE("sarif: a clean scan is a valid log with no results, and fingerprints survive moved lines") {
  GitRepo repo;
  repo.write("clean.txt", "nothing\n");
  CHECK(repo.leakstop("scan -f sarif --report clean.sarif clean.txt").rc == 0);
  leakstop::test::require_valid_sarif(repo, repo.root() / "clean.sarif");
  auto log = json::parse(repo.read("clean.sarif"));
  CHECK(log["runs"][0]["results"].empty());
  CHECK(log["runs"][0]["tool"]["driver"]["rules"].empty());

  repo.write("k.txt", "key=" + k_stripe + "\n");
  auto before = leakstop::test::sarif_report(repo, "scan -f sarif k.txt")["runs"][0]["results"][0];
  repo.write("k.txt", "# moved\n\n   key = '" + k_stripe + "'\n");
  auto after = leakstop::test::sarif_report(repo, "scan -f sarif k.txt")["runs"][0]["results"][0];
  CHECK(after["locations"][0]["physicalLocation"]["region"]["startLine"] == 3);
  CHECK(after["partialFingerprints"] == before["partialFingerprints"]);
}

TEST_CASE("csv: a header and one quoted-as-needed row per finding") {
  GitRepo repo;
  repo.write("a,b.txt", "key=" + k_stripe + "\n");
  auto r = repo.leakstop("scan --format csv a,b.txt");
  REQUIRE(r.rc == 1);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "rule_id,description,severity,confidence,path,line,column,end_line,secret,fingerprint,commit,author,date");
  auto fingerprint = leakstop::test::json_report(repo, "scan -f json a,b.txt")[0]["fingerprint"].get<std::string>();
  CHECK(lines[1] == "stripe.live-secret-key,Stripe live-mode secret API key,critical,high,\"a,b.txt\",1,5,1,sk_live_51wm…," +
                      fingerprint + ",,,");
  CHECK(r.out.find("\r\n") != std::string::npos);
}

TEST_CASE("junit: one failed test case per finding, well-formed XML") {
  GitRepo repo;
  make_findings(repo);
  auto r = repo.leakstop("scan --format junit --report report.xml .");
  REQUIRE(r.rc == 1);
  const std::string xml = repo.read("report.xml");
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  CHECK_THAT(xml, Catch::Contains("<testsuite name=\"leakstop\" tests=\"3\" failures=\"3\" errors=\"0\""));
  CHECK_THAT(xml, Catch::Contains("<testcase classname=\"leakstop.github.pat-classic\" name=\"cfg/app one.yml:2:8\" "
                                  "file=\"cfg/app one.yml\" line=\"2\">"));
  CHECK_THAT(xml, Catch::Contains("message=\"Stripe live-mode secret API key: sk_live_51wm…\""));
  CHECK_THAT(xml, Catch::Contains("git rm --cached &lt;path&gt;"));
  CHECK(xml.find(k_stripe) == std::string::npos);
  auto parsed = repo.run(quote(LEAKSTOP_PYTHON3) +
                         " -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
                         "print(len(r.findall(\".//testcase/failure\")))' report.xml");
  CHECK(parsed.rc == 0);
  CHECK(parsed.out == "3\n");

  repo.write("clean.txt", "nothing\n");
  auto clean = repo.leakstop("scan --format junit clean.txt");
  CHECK(clean.rc == 0);
  CHECK_THAT(clean.out, Catch::Contains("tests=\"1\" failures=\"0\"") && Catch::Contains("name=\"no secrets found\""));
}

TEST_CASE("gitlab: a secret-detection report with HEAD's commit on every location") {
  GitRepo repo;
  make_findings(repo);
  repo.must("git add . && git commit -q -m findings");
  const std::string head = repo.must("git rev-parse HEAD").substr(0, 40);
  auto r = repo.leakstop("scan --format gitlab --report gl.json .");
  REQUIRE(r.rc == 1);
  auto report = json::parse(repo.read("gl.json"));
  CHECK(report["version"] == "15.0.7");
  CHECK(report["scan"]["type"] == "secret_detection");
  CHECK(report["scan"]["status"] == "success");
  CHECK(report["scan"]["scanner"]["id"] == "leakstop");
  CHECK(report["scan"]["start_time"].get<std::string>().size() == 19);
  const auto& v = report["vulnerabilities"];
  REQUIRE(v.size() == 3);
  CHECK(v[2]["name"] == "Stripe live-mode secret API key");
  CHECK(v[2]["severity"] == "Critical");
  CHECK(v[1]["severity"] == "High");
  CHECK(v[2]["description"] == "Stripe live-mode secret API key: sk_live_51wm…");
  CHECK(v[2]["location"]["file"] == "cfg/app one.yml");
  CHECK(v[2]["location"]["start_line"] == 3);
  CHECK(v[2]["location"]["commit"]["sha"] == head);
  CHECK(v[2]["identifiers"][0]["value"] == "stripe.live-secret-key");
  CHECK(v[2]["identifiers"][0]["url"] == "https://docs.stripe.com/keys");
  CHECK_THAT(v[2]["solution"].get<std::string>(), Catch::StartsWith("Roll the key"));
  CHECK(v[0]["location"].contains("start_line") == false);
  CHECK(v[0]["id"] != v[1]["id"]);
}

TEST_CASE("a report file takes its format from its name, and leakstop says so when it cannot") {
  GitRepo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  CHECK(repo.leakstop("scan --report r.jsonl k.txt").rc == 1);
  leakstop::test::require_valid_json_report(repo, repo.read("r.jsonl"), "jsonl");
  CHECK(repo.leakstop("scan --report r.json k.txt").rc == 1);
  leakstop::test::require_valid_json_report(repo, repo.read("r.json"));
  auto unknown = repo.leakstop("scan --report r.out k.txt");
  CHECK(unknown.rc == 2);
  CHECK_THAT(unknown.out, Catch::Contains("--report r.out: cannot tell the format") && Catch::Contains("--format"));
  auto unwritable = repo.leakstop("scan --report no/such/dir/r.json k.txt");
  CHECK(unwritable.rc == 2);
  CHECK_THAT(unwritable.out, Catch::Contains("no/such/dir/r.json: cannot write the report file"));
}

TEST_CASE("the text report's advice depends on where the secret is") {
  leakstop::Finding f;
  f.rule_id = "stripe.live-secret-key";
  f.description = "Stripe live-mode secret API key";
  f.secret = k_stripe;
  f.fingerprint = "0123456789abcdef0123456789abcdef";
  f.location.path = "a.txt";
  f.location.line = 1;
  f.location.column = 5;
  f.link = "https://docs.stripe.com/keys";
  f.link_title = "Stripe documentation: API keys";
  auto text = [&](leakstop::report::Context context) {
    leakstop::report::ReportOptions options;
    options.context = context;
    std::ostringstream out;
    leakstop::report::make_reporter(options)->write({f}, {}, out);
    return out.str();
  };
  std::string staged = text(leakstop::report::Context::staged);
  CHECK_THAT(staged, Catch::Contains("commit refused") && Catch::Contains("Not committed yet") &&
                       Catch::Contains("git restore --staged <path>") && Catch::Contains("git commit --no-verify"));
  CHECK_THAT(staged, Catch::Contains("see          Stripe documentation: API keys: https://docs.stripe.com/keys"));
  f.location.commit = leakstop::CommitInfo{"b6907985c064aa11bb22cc33dd44ee55ff667788", "A", "a@example.org",
                                           "2024-05-01T12:00:00+00:00", "add key"};
  std::string push = text(leakstop::report::Context::push);
  CHECK_THAT(push, Catch::Contains("push refused") && Catch::Contains("rewrite them before pushing") &&
                     Catch::Contains("git rebase -i b6907985c064~1") && Catch::Contains("Rotate it if in doubt") &&
                     Catch::Contains("git push --no-verify"));
  std::string history = text(leakstop::report::Context::history);
  CHECK_THAT(history, Catch::Contains("It is published: rotate it first") &&
                        Catch::Contains("git filter-repo --replace-text replacements.txt") &&
                        Catch::Contains("git push --force --all && git push --force --tags"));
  CHECK(history.find("Not committed yet") == std::string::npos);
  CHECK(history.find(k_stripe) == std::string::npos);
}
