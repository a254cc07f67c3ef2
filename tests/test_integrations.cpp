// The integrations people already use: the pre-commit framework (the real
// `pre-commit` tool with this repository's .pre-commit-hooks.yaml), and the
// CI files of integrations/, parsed and their leakstop commands run.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "git_fixture.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using nlohmann::json;

namespace {

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";

// PATH with the leakstop under test first, as `language: system` and CI
// steps find it.
std::string with_leakstop_on_path() {
  return "PATH=" + quote(std::filesystem::path(leakstop::test::leakstop_bin()).parent_path().string()) + ":\"$PATH\" ";
}

// What integrations/<kind>/<file> asks to run, from tests/tools/ci_commands.py.
json ci_spec(const GitRepo& repo, const std::string& kind, const std::string& file) {
  std::string source = LEAKSTOP_SOURCE_DIR;
  auto r = repo.run(quote(LEAKSTOP_PYTHON3) + " " + quote(source + "/tests/tools/ci_commands.py") + " " + kind + " " +
                    quote(source + "/integrations/" + file));
  INFO(r.out);
  REQUIRE(r.rc == 0);
  return json::parse(r.out);
}

// A repository whose only content hook is ours, through the framework.
void use_pre_commit_framework(GitRepo& repo) {
  const auto hooks = repo.tmp() / "hooks-repo";
  std::filesystem::create_directories(hooks);
  std::filesystem::copy_file(std::string(LEAKSTOP_SOURCE_DIR) + "/.pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml");
  leakstop::test::run_in(hooks, "git init -q -b main . && git add . && git -c commit.gpgsign=false commit -q -m hooks");
  const std::string rev = leakstop::test::run_in(hooks, "git rev-parse HEAD").out.substr(0, 40);
  repo.write(".pre-commit-config.yaml", "repos:\n  - repo: " + hooks.string() + "\n    rev: " + rev +
                                          "\n    hooks:\n      - id: leakstop\n");
  repo.write("README", "hello\n");
  repo.must("git add . && git commit -q -m init");
}

std::string pre_commit(const GitRepo& repo) {
  return "PRE_COMMIT_HOME=" + quote((repo.tmp() / "pre-commit-home").string()) + " " + with_leakstop_on_path() +
         "pre-commit ";
}

} // namespace

TEST_CASE("pre-commit run --all-files with our hook fails on a committed secret and passes on a clean tree") {
  GitRepo repo;
  use_pre_commit_framework(repo);
  auto clean = repo.run(pre_commit(repo) + "run --all-files");
  INFO(clean.out);
  CHECK(clean.rc == 0);
  CHECK_THAT(clean.out, Catch::Contains("leakstop (secrets)") && Catch::Contains("Passed"));

  repo.write("config/a.cfg", "x\nkey=" + k_stripe + "\n");
  repo.must("git add . && git commit -q -m leak");  // no git hook installed: it gets in
  auto r = repo.run(pre_commit(repo) + "run --all-files");
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("leakstop (secrets)") && Catch::Contains("Failed"));
  CHECK_THAT(r.out, Catch::Contains("config/a.cfg:2:5") && Catch::Contains("stripe.live-secret-key"));
  CHECK_THAT(r.out, !Catch::Contains(k_stripe));
  auto one = repo.run(pre_commit(repo) + "run --files config/a.cfg");
  CHECK(one.rc == 1);
  CHECK(repo.run(pre_commit(repo) + "run --files README").rc == 0);
}

TEST_CASE("pre-commit install: the framework's git hook refuses a commit that adds a secret") {
  GitRepo repo;
  use_pre_commit_framework(repo);
  repo.must(pre_commit(repo) + "install");
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  auto r = repo.run(pre_commit(repo).substr(0, pre_commit(repo).size() - std::string("pre-commit ").size()) +
                    "git commit -q -m leak");
  CHECK(r.rc != 0);
  CHECK_THAT(r.out, Catch::Contains("k.txt:1:5"));
  CHECK(repo.must("git rev-list --count HEAD") == "1\n");
}

TEST_CASE("integrations/github: the workflow's scan fails on a secret and leaves SARIF its upload step accepts") {
  GitRepo repo;
  json spec = ci_spec(repo, "github", "github/leakstop.yml");
  CHECK_THAT(spec["upload_uses"].get<std::string>(), Catch::StartsWith("github/codeql-action/upload-sarif@"));
  CHECK(spec["upload_if"] == "always()");  // the alerts are uploaded when the scan fails
  CHECK(spec["permissions"]["security-events"] == "write");
  REQUIRE(spec["commands"].size() == 1);
  const std::string command = spec["commands"][0].get<std::string>();
  const std::string report = spec["report"].get<std::string>();

  repo.write("src/app.py", "STRIPE = \"" + k_stripe + "\"\n");
  repo.must("git add . && git commit -q -m app");
  auto r = repo.run(with_leakstop_on_path() + command);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("src/app.py:1:11"));
  leakstop::test::require_valid_sarif(repo, repo.root() / report);
  auto log = json::parse(repo.read(report));
  REQUIRE(log["runs"][0]["results"].size() == 1);
  CHECK(log["runs"][0]["results"][0]["ruleId"] == "stripe.live-secret-key");
  CHECK(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app.py");

  repo.must("git rm -q src/app.py && rm " + report);
  CHECK(repo.run(with_leakstop_on_path() + command).rc == 0);
  leakstop::test::require_valid_sarif(repo, repo.root() / report);

  // A pull request that switches its own scan off: on a pull request the
  // workflow reads the configuration from the base branch.
  repo.must("git commit -q -m clean && git checkout -q -b pull-request");
  repo.write(".leakstop.toml", "disabled_rules = [\"stripe.live-secret-key\"]\n");
  repo.write("src/app.py", "STRIPE = \"" + k_stripe + "\"\n");
  repo.must("git add . && git commit -q -m 'app, quietly'");
  CHECK(repo.run(with_leakstop_on_path() + command).rc == 0);  // as a push: its own config
  auto pull_request = repo.run("export LEAKSTOP_CONFIG_FROM=main && " + with_leakstop_on_path() + command);
  CHECK(pull_request.rc == 1);
  CHECK_THAT(pull_request.out, Catch::Contains("src/app.py:1:11"));
}

TEST_CASE("integrations/gitlab: the job's script fails on a secret and leaves a secret-detection report") {
  GitRepo repo;
  json spec = ci_spec(repo, "gitlab", "gitlab/leakstop.gitlab-ci.yml");
  CHECK(spec["when"] == "always");
  REQUIRE(spec["commands"].size() == 1);
  const std::string report = spec["report"].get<std::string>();
  repo.write("deploy/env.sh", "export STRIPE=" + k_stripe + "\n");
  repo.must("git add . && git commit -q -m deploy");
  const std::string head = repo.must("git rev-parse HEAD").substr(0, 40);
  auto r = repo.run(with_leakstop_on_path() + spec["commands"][0].get<std::string>());
  CHECK(r.rc == 1);
  auto doc = json::parse(repo.read(report));
  CHECK(doc["scan"]["type"] == "secret_detection");
  REQUIRE(doc["vulnerabilities"].size() == 1);
  const auto& v = doc["vulnerabilities"][0];
  CHECK(v["identifiers"][0]["value"] == "stripe.live-secret-key");
  CHECK(v["severity"] == "Critical");
  CHECK(v["location"]["file"] == "deploy/env.sh");
  CHECK(v["location"]["start_line"] == 1);
  CHECK(v["location"]["commit"]["sha"] == head);
  CHECK(repo.read(report).find(k_stripe) == std::string::npos);
}
