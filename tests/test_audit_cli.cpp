// `leakstop audit` through the built binary (issue 15's acceptance): for
// each of the ten items a real repository where it passes and one where it
// fails (or warns), with the evidence written out by hand from the fixture;
// key ages from backdated commits and --now; the JSON schema, SARIF through
// the Multitool, exit codes; and --audit-log's records.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "git_fixture.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using nlohmann::json;

namespace {

// Secret-shaped values made for these tests: Stripe keys are the prefix and
// 24 alphanumerics, the GitHub tokens carry the CRC32 their format requires.
// Split so that no full key sits in the source.
const std::string k_live_a = std::string("sk_") + "live_3gNsQoxcRAG3ksUY9TKItXWa";
const std::string k_live_b = std::string("sk_") + "live_VJFed5KBXIyMk8aM6u9LmDZt";
const std::string k_live_c = std::string("sk_") + "live_8DnkWHGomoFb22ctzlZ4hNC5";
const std::string k_live_d = std::string("sk_") + "live_JYFh7lQswwuvufKUnEBRHroC";
const std::string k_restricted = std::string("rk_") + "live_TM3dpEIJak2H0HTCWk2GQgUy";
const std::string k_test_mode = std::string("sk_") + "test_Qe4Wn8Rt2Yu6Io0Pa3Sd7Fg1";
const std::string k_github = std::string("ghp_") + "Ub9CdVAL5mmda8HWIjXzFQDDiMaXQz4W3rLs";

// The redacted previews leakstop prints (a third of the value, at most 12 bytes).
const std::string k_live_a_shown = "sk_live_3g…";
const std::string k_live_c_shown = "sk_live_8D…";
const std::string k_live_d_shown = "sk_live_JY…";
const std::string k_restricted_shown = "rk_live_TM…";
const std::string k_github_shown = "ghp_Ub9CdVAL…";

struct Audit {
  int rc;
  json report;
};

// `leakstop audit --format json ARGS`, its output checked against the schema.
// `env` is put before the command ("SOURCE_DATE_EPOCH=... ").
Audit audit_json(const GitRepo& repo, const std::string& args, const std::string& env = "") {
  auto r = repo.run(env + quote(leakstop::test::leakstop_bin()) + " audit --format json " + args + " 2>/dev/null");
  INFO(r.out);
  leakstop::test::require_valid_json_report(repo, r.out, "audit");
  return {r.rc, json::parse(r.out)};
}

const json& item(const Audit& a, const std::string& id) {
  for (const json& i : a.report["items"]) {
    if (i["id"] == id) {
      return i;
    }
  }
  FAIL("no item " << id);
  throw std::logic_error("unreachable");
}

// Each piece of evidence as the text report shows it, with the full commit:
// "path:line (commit ID) preview: detail", sorted.
std::vector<std::string> evidence(const json& i) {
  std::vector<std::string> out;
  for (const json& e : i["evidence"]) {
    std::string where = e["path"].get<std::string>();
    if (where.empty()) {
      where = "(repository)";
    } else if (e["line"].get<int>() > 0) {
      where += ":" + std::to_string(e["line"].get<int>());
    }
    if (e.contains("commit")) {
      where += " (commit " + e["commit"].get<std::string>() + ")";
    }
    if (e.contains("secret")) {
      where += " " + e["secret"].get<std::string>();
    }
    out.push_back(where + ": " + e["detail"].get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

void commit_all(const GitRepo& repo, const std::string& message, const std::string& date = "") {
  std::string dates = date.empty() ? "" : "GIT_AUTHOR_DATE=" + quote(date) + " GIT_COMMITTER_DATE=" + quote(date) + " ";
  repo.must("git add -A && " + dates + "git commit -q -m " + quote(message));
}

std::string head(const GitRepo& repo) {
  std::string id = repo.must("git rev-parse HEAD");
  return id.substr(0, id.find('\n'));
}

// A repository with nothing to find: every item passes, is n/a, or warns
// only for the scanning and audit-log set-up.
void clean_repository(const GitRepo& repo) {
  repo.write("README.md", "# service\n");
  commit_all(repo, "readme");
}

} // namespace

TEST_CASE("audit keys-in-env: passes when the code reads the environment", "[audit-cli]") {
  GitRepo repo;
  repo.write("src/app.js", "const Stripe = require(\"stripe\");\nconst stripe = Stripe(process.env.STRIPE_KEY);\n");
  commit_all(repo, "app");
  Audit a = audit_json(repo, "--no-history");
  CHECK(item(a, "keys-in-env")["status"] == "pass");
  CHECK(item(a, "keys-in-env")["evidence"].empty());
}

TEST_CASE("audit keys-in-env: a committed key and a tracked .env fail with the fix in the file's language", "[audit-cli]") {
  GitRepo repo;
  repo.write("src/app.js", "const Stripe = require(\"stripe\");\nconst stripe = Stripe(\"" + k_live_a + "\");\n");
  repo.write(".env", "DEBUG=true\n");
  commit_all(repo, "app");
  Audit a = audit_json(repo, "--no-history");
  CHECK(a.rc == 1);
  const json& i = item(a, "keys-in-env");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    ".env: Environment file (.env) committed at HEAD; keep this file out of git (see env-ignored)",
    "src/app.js:2 " + k_live_a_shown + ": Stripe live-mode secret API key committed at HEAD; read it from the "
    "environment instead: process.env.STRIPE_LIVE_SECRET_KEY",
  }));
}

TEST_CASE("audit keys-in-env: what .leakstop.toml allowlists is shown as a warning, not hidden", "[audit-cli]") {
  GitRepo repo;
  repo.write(".leakstop.toml", "[allowlist]\npaths = ['''^legacy/''']\n");
  repo.write("legacy/billing.py", "import stripe\nstripe.api_key = \"" + k_live_a + "\"\n");
  commit_all(repo, "legacy");
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "keys-in-env");
  CHECK(i["status"] == "warn");
  CHECK(evidence(i) == sorted({
    "legacy/billing.py:2 " + k_live_a_shown + ": stripe.live-secret-key suppressed by the repository's configuration",
  }));
}

TEST_CASE("audit env-ignored: ignored .env and an example with empty values pass", "[audit-cli]") {
  GitRepo repo;
  repo.write(".gitignore", ".env\n.env.*\n!.env.example\n");
  repo.write(".env.example", "SECRET_KEY=\nAPI_TOKEN=changeme\nDEBUG=true\n");
  commit_all(repo, "example");
  repo.write(".env", "SECRET_KEY=q8Jm2vX9rT4wLc7n\n");  // on disk, ignored
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "env-ignored");
  CHECK(i["status"] == "pass");
  CHECK(i["evidence"].empty());
}

TEST_CASE("audit env-ignored: tracked env files, a real value in the example and an unignored .env fail", "[audit-cli]") {
  GitRepo repo;
  repo.write(".env.example", "SECRET_KEY=q8Jm2vX9rT4wLc7n\nDEBUG=\n");
  repo.write(".env.production", "# production\nAPI_TOKEN=Zx81kQmP3vN7tR2w\n");
  commit_all(repo, "env files");
  repo.write(".env", "LOCAL=1\n");  // untracked, and nothing ignores it
  Audit a = audit_json(repo, "--no-history");
  CHECK(a.rc == 1);
  const json& i = item(a, "env-ignored");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    ".env.example:1: an example file with a real-looking value for SECRET_KEY: leave it empty",
    ".env.production:2: API_TOKEN has a value in a tracked environment file: git rm --cached .env.production",
    ".env: not ignored by the repository's ignore rules: add to .gitignore: .env .env.local .env.*.local "
    ".env.production",
  }));
  CHECK_THAT(i["remedy"].get<std::string>(),
             Catch::EndsWith("Add these lines to the .gitignore at the repository's root:\n.env\n.env.local\n"
                             ".env.*.local\n.env.production"));
}

TEST_CASE("audit keys-per-env: one key per environment passes, a shared one fails", "[audit-cli]") {
  GitRepo repo;
  repo.write("config/dev.yml", "stripe_key: " + k_live_b + "\n");
  repo.write("config/prod.yml", "# production\nstripe_key: " + k_live_a + "\n");
  commit_all(repo, "separate keys");
  CHECK(item(audit_json(repo, "--no-history"), "keys-per-env")["status"] == "pass");
  CHECK(item(audit_json(repo, "--no-history"), "keys-per-env")["evidence"].empty());

  repo.write("config/dev.yml", "stripe_key: " + k_live_a + "\n");
  commit_all(repo, "shared key");
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "keys-per-env");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    "config/dev.yml:1 " + k_live_a_shown + ": the same value is used for dev, prod (this file: dev)",
    "config/prod.yml:2 " + k_live_a_shown + ": the same value is used for dev, prod (this file: prod)",
  }));
}

TEST_CASE("audit no-live-keys-outside-prod: live keys in prod only pass, and in staging and tests they fail",
          "[audit-cli]") {
  GitRepo repo;
  repo.write("config/prod.yml", "stripe_key: " + k_live_a + "\n");
  repo.write("tests/payment_test.py", "import stripe\nstripe.api_key = \"" + k_test_mode + "\"\n");
  commit_all(repo, "prod and test keys");
  Audit pass = audit_json(repo, "--no-history");
  CHECK(item(pass, "no-live-keys-outside-prod")["status"] == "pass");
  CHECK(item(pass, "no-live-keys-outside-prod")["evidence"].empty());

  repo.write("config/staging.yml", "stripe_key: " + k_live_c + "\n");
  repo.write("tests/payment_test.py", "import stripe\nRESTRICTED = \"" + k_restricted + "\"\n");
  commit_all(repo, "live keys outside prod");
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "no-live-keys-outside-prod");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    "config/staging.yml:1 " + k_live_c_shown + ": live key in staging configuration: use a test-mode key (sk_test_) here",
    "tests/payment_test.py:2 " + k_restricted_shown +
      ": live key in test material: use a test-mode restricted key (rk_test_) here",
  }));
}

TEST_CASE("audit minimal-scopes: a restricted key passes, and a classic PAT and a Stripe secret key warn", "[audit-cli]") {
  GitRepo repo;
  repo.write("config/prod.yml", "stripe_key: " + k_restricted + "\n");
  commit_all(repo, "restricted key");
  Audit pass = audit_json(repo, "--no-history");
  CHECK(item(pass, "minimal-scopes")["status"] == "pass");
  CHECK(item(pass, "minimal-scopes")["evidence"].empty());

  repo.write("config/prod.yml", "stripe_key: " + k_live_a + "\n");
  repo.write("scripts/deploy.sh", "#!/bin/sh\nexport GH_TOKEN=" + k_github + "\n");
  commit_all(repo, "broad keys");
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "minimal-scopes");
  CHECK(i["status"] == "warn");
  CHECK(evidence(i) == sorted({
    "config/prod.yml:1 " + k_live_a_shown + ": Stripe secret key (full account access): a restricted key (rk_live_) "
    "with only the permissions used would do",
    "scripts/deploy.sh:2 " + k_github_shown + ": GitHub classic personal access token: replace it with a "
    "fine-grained token limited to the repositories and permissions it needs",
  }));
}

TEST_CASE("audit webhook-signatures: timingSafeEqual passes, === on the HMAC warns", "[audit-cli]") {
  GitRepo repo;
  const std::string top = "const crypto = require(\"crypto\");\n"
                          "function verify(body, header, secret) {\n"
                          "  const expected = crypto.createHmac(\"sha256\", secret).update(body).digest(\"hex\");\n";
  repo.write("webhooks/stripe.js",
             top + "  return crypto.timingSafeEqual(Buffer.from(header), Buffer.from(expected));\n}\n");
  commit_all(repo, "safe handler");
  Audit pass = audit_json(repo, "--no-history");
  CHECK(item(pass, "webhook-signatures")["status"] == "pass");
  CHECK(item(pass, "webhook-signatures")["evidence"].empty());

  repo.write("webhooks/stripe.js", top + "  return header === expected;\n}\n");
  commit_all(repo, "unsafe handler");
  Audit a = audit_json(repo, "--no-history");
  const json& i = item(a, "webhook-signatures");
  CHECK(i["status"] == "warn");
  CHECK(evidence(i) == sorted({"webhooks/stripe.js:4: HMAC signature compared with ===: use crypto.timingSafeEqual"}));
  CHECK(a.rc == 0);  // a warning alone
}

TEST_CASE("audit rotation: a backdated key is overdue as of --now, in time before", "[audit-cli]") {
  GitRepo repo;
  repo.write("config/prod.yml", "stripe_key: " + k_live_a + "\n");
  commit_all(repo, "key", "2024-01-10T12:00:00Z");
  const std::string introduced = head(repo);
  repo.write("README.md", "# service\n");
  commit_all(repo, "later", "2024-05-20T12:00:00Z");

  Audit early = audit_json(repo, "--now 2024-03-01T12:00:00Z");  // 51 days
  CHECK(item(early, "rotation")["status"] == "pass");
  CHECK(item(early, "rotation")["evidence"].empty());
  CHECK(early.report["summary"]["now"] == "2024-03-01T12:00:00Z");

  Audit late = audit_json(repo, "--now 2024-06-01T12:00:00Z");  // 143 days (2024 is a leap year)
  const json& i = item(late, "rotation");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    "config/prod.yml:1 (commit " + introduced + ") " + k_live_a_shown +
      ": rotation overdue: introduced 2024-01-10 (143 days ago, limit 90); provider's steps: https://docs.stripe.com/keys",
  }));
  CHECK(late.report["summary"]["rotation_days"] == 90);

  CHECK(item(audit_json(repo, "--now 2024-06-01T12:00:00Z --rotation-days 150"), "rotation")["status"] == "pass");
  // SOURCE_DATE_EPOCH stands for --now: 2024-06-01T12:00:00Z.
  Audit epoch = audit_json(repo, "--rotation-days 142", "SOURCE_DATE_EPOCH=1717243200 ");
  CHECK(item(epoch, "rotation")["status"] == "fail");
  CHECK(epoch.report["summary"]["now"] == "2024-06-01T12:00:00Z");
  // Without a history scan there are no ages.
  CHECK(item(audit_json(repo, "--no-history --now 2024-06-01"), "rotation")["status"] == "n/a");
}

TEST_CASE("audit history-exposure: a key still at HEAD passes, one only in history fails", "[audit-cli]") {
  GitRepo repo;
  repo.write("billing/client.py", "import stripe\nstripe.api_key = \"" + k_live_d + "\"\n");
  commit_all(repo, "key", "2024-02-01T09:00:00Z");
  const std::string introduced = head(repo);
  Audit pass = audit_json(repo, "--now 2024-02-02");
  CHECK(item(pass, "history-exposure")["status"] == "pass");
  CHECK(item(pass, "history-exposure")["evidence"].empty());

  repo.write("billing/client.py", "import os\nimport stripe\nstripe.api_key = os.environ[\"STRIPE_KEY\"]\n");
  commit_all(repo, "key from the environment", "2024-02-03T09:00:00Z");
  Audit a = audit_json(repo, "--now 2024-02-04");
  const json& i = item(a, "history-exposure");
  CHECK(i["status"] == "fail");
  CHECK(evidence(i) == sorted({
    "billing/client.py:2 (commit " + introduced + ") " + k_live_d_shown + ": rotate: anyone with a clone has it",
  }));
  CHECK(item(a, "keys-in-env")["status"] == "pass");
  CHECK(a.rc == 1);
  CHECK(item(audit_json(repo, "--no-history"), "history-exposure")["status"] == "n/a");
}

TEST_CASE("audit scanning-in-place: pre-commit, CI and the hook in place pass, and each missing one warns",
          "[audit-cli]") {
  GitRepo repo;
  clean_repository(repo);
  Audit a = audit_json(repo, "");
  const json& i = item(a, "scanning-in-place");
  CHECK(i["status"] == "warn");
  CHECK(evidence(i) == sorted({
    ".pre-commit-config.yaml: no leakstop entry for the pre-commit framework: add a hook with `id: leakstop` (see "
    ".pre-commit-hooks.yaml in leakstop's repository)",
    "(repository): no CI file runs leakstop: copy integrations/github/leakstop.yml to .github/workflows/ or include "
    "integrations/gitlab/leakstop.gitlab-ci.yml",
    "(repository): no leakstop hook in this clone: run `leakstop install`",
  }));
  CHECK(a.rc == 0);  // warnings alone

  repo.write(".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks:\n      - id: leakstop\n");
  repo.write(".github/workflows/secrets.yml",
             "on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: leakstop history\n");
  commit_all(repo, "scanning");
  repo.install_hook();
  Audit pass = audit_json(repo, "");
  CHECK(item(pass, "scanning-in-place")["status"] == "pass");
  CHECK(item(pass, "scanning-in-place")["evidence"].empty());
}

TEST_CASE("audit audit-log: passes with --audit-log or a CI job logging, warns otherwise", "[audit-cli]") {
  GitRepo repo;
  clean_repository(repo);
  Audit warn = audit_json(repo, "");
  const json& i = item(warn, "audit-log");
  CHECK(i["status"] == "warn");
  CHECK(evidence(i) == sorted({"(repository): no --audit-log in this run nor in a CI file running leakstop"}));

  const auto log = repo.tmp() / "audit.jsonl";
  Audit logged = audit_json(repo, "--audit-log " + quote(log.string()));
  CHECK(item(logged, "audit-log")["status"] == "pass");
  CHECK(item(logged, "audit-log")["evidence"].empty());
  CHECK(std::filesystem::exists(log));

  repo.write(".github/workflows/secrets.yml", "steps:\n  - run: leakstop history --audit-log audit.jsonl\n");
  commit_all(repo, "ci logs");
  CHECK(item(audit_json(repo, ""), "audit-log")["status"] == "pass");
}

TEST_CASE("audit text: one status line per item in the issue's order, evidence under failures", "[audit-cli]") {
  GitRepo repo;
  repo.write("src/app.js", "const stripe = Stripe(\"" + k_live_a + "\");\n");
  commit_all(repo, "app");
  auto r = repo.leakstop("audit --no-history 2>/dev/null");
  CHECK(r.rc == 1);
  std::istringstream in(r.out);
  std::vector<std::string> statuses;
  std::vector<std::string> details;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("      ", 0) == 0) {
      details.push_back(line.substr(6));
      continue;
    }
    // "status id title": columns padded with spaces.
    std::istringstream words(line);
    std::string status, id, title;
    words >> status >> id;
    std::getline(words >> std::ws, title);
    statuses.push_back(status + " " + id + " | " + title);
  }
  CHECK(statuses == std::vector<std::string>{
    "fail keys-in-env | API keys are read from environment variables, not committed",
    "pass env-ignored | .env files are ignored by git, and only examples are committed",
    "n/a keys-per-env | Each environment (dev, staging, prod) has its own keys",
    "pass no-live-keys-outside-prod | Live keys appear only in production configuration",
    "warn minimal-scopes | Keys have the narrowest scope the provider offers",
    "n/a webhook-signatures | Webhook signatures are verified in constant time",
    "n/a rotation | Keys are rotated on schedule",
    "n/a history-exposure | Secrets removed from HEAD were rotated",
    "warn scanning-in-place | Secret scanning runs before commits and in CI",
    "warn audit-log | leakstop's runs are audit-logged",
  });
  REQUIRE_FALSE(details.empty());
  CHECK(details[0] == "src/app.js:1 " + k_live_a_shown + ": Stripe live-mode secret API key committed at HEAD; read it "
                      "from the environment instead: process.env.STRIPE_LIVE_SECRET_KEY");
  CHECK(r.out.find(k_live_a) == std::string::npos);
}

TEST_CASE("audit --format sarif validates with the SARIF Multitool, one result per evidence", "[audit-cli][sarif]") {
  GitRepo repo;
  repo.write("src/app.js", "const stripe = Stripe(\"" + k_live_a + "\");\n");
  commit_all(repo, "app");
  json sarif = leakstop::test::sarif_report(repo, "audit --format sarif --no-history");
  const json& results = sarif["runs"][0]["results"];
  std::vector<std::string> rules;
  for (const json& r : results) {
    rules.push_back(r["ruleId"].get<std::string>());
  }
  // keys-in-env (1), minimal-scopes (1), scanning-in-place (3: pre-commit, CI, hook), audit-log (1).
  CHECK(sorted(rules) == sorted({"audit/keys-in-env", "audit/minimal-scopes", "audit/scanning-in-place",
                                 "audit/scanning-in-place", "audit/scanning-in-place", "audit/audit-log"}));
  CHECK(sarif.dump().find(k_live_a) == std::string::npos);
}

TEST_CASE("audit exit codes: 1 on a failure, 0 on warnings alone, 2 on a bad --now", "[audit-cli]") {
  GitRepo repo;
  clean_repository(repo);
  Audit clean = audit_json(repo, "");
  CHECK(clean.rc == 0);
  CHECK(clean.report["summary"]["exit_code"] == 0);
  CHECK(clean.report["summary"]["fail"] == 0);
  CHECK(clean.report["summary"]["warn"] == 2);  // scanning-in-place, audit-log

  repo.write("src/app.py", "KEY = \"" + k_live_a + "\"\n");
  commit_all(repo, "key");
  Audit failing = audit_json(repo, "");
  CHECK(failing.rc == 1);
  CHECK(failing.report["summary"]["exit_code"] == 1);

  auto bad = repo.leakstop("audit --now not-a-date");
  CHECK(bad.rc == 2);
  CHECK_THAT(bad.out, Catch::Contains("--now 'not-a-date'"));
  auto bad_epoch = repo.run("SOURCE_DATE_EPOCH=soon " + quote(leakstop::test::leakstop_bin()) + " audit");
  CHECK(bad_epoch.rc == 2);
  CHECK_THAT(bad_epoch.out, Catch::Contains("SOURCE_DATE_EPOCH 'soon'"));
  CHECK(repo.leakstop("audit --format csv").rc == 2);
}

// ---- --audit-log ----

namespace {

std::vector<json> log_lines(const std::filesystem::path& file) {
  std::istringstream in(GitRepo::read_bytes(file));
  std::vector<json> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(json::parse(line));  // throws, failing the test, on a broken line
  }
  return out;
}

} // namespace

TEST_CASE("audit log option: every scanning command appends one JSON line, and never a secret", "[audit-cli][audit-log]") {
  GitRepo repo;
  repo.write("app.py", "import os\n");
  commit_all(repo, "app");
  repo.write("leak.py", "KEY = \"" + k_live_a + "\"\n");
  const auto log = repo.tmp() / "runs.jsonl";
  const std::string bin = "USER=auditor " + quote(leakstop::test::leakstop_bin());
  const std::string flag = " --audit-log " + quote(log.string());

  CHECK(repo.run(bin + " scan ." + flag).rc == 1);            // leak.py and app.py
  CHECK(repo.run("git add leak.py && " + bin + " staged" + flag).rc == 1);
  CHECK(repo.run(bin + " history" + flag).rc == 0);           // the key is not committed
  CHECK(repo.run(bin + " pre-push origin" + flag).rc == 0);   // nothing pushed on stdin
  CHECK(repo.run(bin + " audit --no-history" + flag).rc == 0);  // HEAD holds no key: warnings only

  std::vector<json> lines = log_lines(log);
  REQUIRE(lines.size() == 5);
  const std::vector<std::string> actions = {"scan", "staged", "history", "pre-push", "audit"};
  const std::vector<std::string> results = {"findings", "findings", "clean", "clean", "clean"};
  const std::vector<int> findings = {1, 1, 0, 0, 0};
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const json& l = lines[n];
    INFO(l.dump());
    CHECK(l["action"] == actions[n]);
    CHECK(l["actor"] == "auditor");
    CHECK(l["repository"] == repo.root().string());
    CHECK(l["result"] == results[n]);
    CHECK(l["exit_code"] == (results[n] == "findings" ? 1 : 0));
    CHECK(l["findings"] == findings[n]);
    CHECK(l["time"].get<std::string>().size() == 20);  // YYYY-MM-DDTHH:MM:SSZ
    CHECK(l["time"].get<std::string>().back() == 'Z');
    CHECK(l.size() == 8);
  }
  CHECK(lines[0]["files_scanned"] == 2);  // app.py, leak.py
  CHECK(lines[1]["files_scanned"] == 1);  // leak.py staged
  CHECK(lines[4]["files_scanned"] == 1);  // app.py at HEAD
  const std::string text = GitRepo::read_bytes(log);
  leakstop::test::require_valid_json_report(repo, text, "audit-log");  // docs/report-schema.json#/$defs/audit_log
  CHECK(text.find(k_live_a) == std::string::npos);
  CHECK(text.find("sk_live") == std::string::npos);
}

TEST_CASE("audit log option: a failed run is recorded as an error, and an unwritable log is exit 2", "[audit-cli][audit-log]") {
  GitRepo repo;
  clean_repository(repo);
  const auto log = repo.tmp() / "runs.jsonl";
  const std::string bin = "env -u USER " + quote(leakstop::test::leakstop_bin());
  CHECK(repo.run(bin + " audit --now never --audit-log " + quote(log.string())).rc == 2);
  std::vector<json> lines = log_lines(log);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["action"] == "audit");
  CHECK(lines[0]["actor"] == "unknown");
  CHECK(lines[0]["result"] == "error");
  CHECK(lines[0]["exit_code"] == 2);

  auto r = repo.leakstop("scan README.md --audit-log " + quote((repo.tmp() / "no-such-dir" / "log").string()));
  CHECK(r.rc == 2);
  CHECK_THAT(r.out, Catch::Contains("--audit-log") && Catch::Contains("cannot open it"));
}

TEST_CASE("audit log option: concurrent runs append whole lines", "[audit-cli][audit-log]") {
  GitRepo repo;
  clean_repository(repo);
  const auto log = repo.tmp() / "runs.jsonl";
  std::string runs;
  for (int n = 0; n < 12; ++n) {
    runs += quote(leakstop::test::leakstop_bin()) + " scan README.md --audit-log " + quote(log.string()) + " & ";
  }
  repo.must(runs + "wait");
  std::vector<json> lines = log_lines(log);
  CHECK(lines.size() == 12);
  leakstop::test::require_valid_json_report(repo, GitRepo::read_bytes(log), "audit-log");
  for (const json& l : lines) {
    CHECK(l["action"] == "scan");
    CHECK(l["result"] == "clean");
    CHECK(l["files_scanned"] == 1);
  }
}
