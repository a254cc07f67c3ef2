// `leakstop audit`'s items over plain inputs: each once passing, once failing,
// with the evidence written out by hand.
#include <catch2/catch.hpp>

#include "audit_helpers.hpp"

using namespace leakstop;
using namespace leakstop::audit;
using leakstop::test::file;
using leakstop::test::finding;
using leakstop::test::paths_of;
using Paths = std::vector<std::string>;

TEST_CASE("keys-in-env: a committed secret fails with a read-from-env example in its language", "[audit]") {
  AuditInput in;
  REQUIRE(check_keys_in_env(in).status == Status::pass);
  in.head_findings = {finding("stripe.secret-key", test::stripe_live(), "app/billing.py", 7),
                      finding("github.pat", test::github_classic(), "cmd/main.go", 3)};
  Item item = check_keys_in_env(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) == Paths{"app/billing.py:7", "cmd/main.go:3"});
  CHECK_THAT(item.evidence[0].detail, Catch::Contains("os.environ[\"STRIPE_SECRET_KEY\"]"));
  CHECK_THAT(item.evidence[1].detail, Catch::Contains("os.Getenv(\"GITHUB_PAT\")"));
  CHECK(item.evidence[0].secret == test::stripe_live());
}

TEST_CASE("keys-in-env: what the repository's configuration suppressed is shown as a warning", "[audit]") {
  AuditInput in;
  in.suppressed_findings = {finding("generic.api-key", "Zq8vR2mXk4Lp9sTb", "src/index.js", 2)};
  Item item = check_keys_in_env(in);
  CHECK(item.status == Status::warn);
  CHECK_THAT(item.evidence.at(0).detail, Catch::Contains("suppressed by the repository's configuration"));
}

TEST_CASE("keys-in-env: one-line examples per language", "[audit]") {
  AuditInput in;
  for (const char* path : {"a.ts", "b.rb", "C.java"}) {
    in.head_findings.push_back(finding("svc.token", "Zq8vR2mXk4Lp9sTb", path));
  }
  Item item = check_keys_in_env(in);
  CHECK_THAT(item.evidence[0].detail, Catch::EndsWith("process.env.SVC_TOKEN"));
  CHECK_THAT(item.evidence[1].detail, Catch::EndsWith("ENV[\"SVC_TOKEN\"]"));
  CHECK_THAT(item.evidence[2].detail, Catch::EndsWith("System.getenv(\"SVC_TOKEN\")"));
}

TEST_CASE("env-ignored: tracked .env files with values fail, examples with placeholders pass", "[audit]") {
  AuditInput in;
  in.is_ignored = [](const std::string&) { return true; };
  in.tracked = {file(".env.example", "API_KEY=\nSECRET_TOKEN=your_token_here\nPORT=3000\n"),
                file("web/.env.sample", "# copy to .env\nDB_PASSWORD=changeme\n")};
  CHECK(check_env_ignored(in).status == Status::pass);

  in.tracked.push_back(file(".env.production", "# prod\nexport STRIPE_KEY=\"Zq8vR2mXk4Lp9sTb\"\nEMPTY=\n"));
  in.tracked.push_back(file(".env.template", "SIGNING_SECRET=9fK2xQ7mLpR4vZt8\n"));
  Item item = check_env_ignored(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) == Paths{".env.production:2", ".env.template:1"});
  CHECK_THAT(item.evidence[0].detail, Catch::Contains("git rm --cached .env.production"));
  CHECK_THAT(item.evidence[1].detail, Catch::Contains("an example file with a real-looking value for SIGNING_SECRET"));
}

TEST_CASE("env-ignored: a root .env the rules do not ignore fails with the lines to add", "[audit]") {
  AuditInput in;
  in.root_env_exists = true;
  // Only .env.local is ignored already: the other three lines are missing.
  in.is_ignored = [](const std::string& path) { return path == ".env.local"; };
  Item item = check_env_ignored(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) == Paths{".env"});
  CHECK_THAT(item.evidence[0].detail, Catch::EndsWith("add to .gitignore: .env .env.*.local .env.production"));
  CHECK_THAT(item.remedy, Catch::EndsWith("root:\n.env\n.env.*.local\n.env.production"));
}

TEST_CASE("keys-per-env: one value in two environments fails, whichever rule found it", "[audit]") {
  AuditInput in;
  in.tracked = {file("config/dev.json", "{}"), file("config/prod.json", "{}")};
  in.head_findings = {finding("svc.key", "Zq8vR2mXk4Lp9sTb", "config/dev.json", 2),
                      finding("other.key", "9fK2xQ7mLpR4vZt8", "config/prod.json", 2)};
  CHECK(check_keys_per_env(in).status == Status::pass);

  in.head_findings.push_back(finding("generic.key", "Zq8vR2mXk4Lp9sTb", "deploy/overlays/production/secret.yaml", 5));
  in.head_findings.push_back(finding("svc.key", "Zq8vR2mXk4Lp9sTb", "charts/api/values-staging.yaml", 9));
  Item item = check_keys_per_env(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) ==
        Paths{"config/dev.json:2", "deploy/overlays/production/secret.yaml:5", "charts/api/values-staging.yaml:9"});
  CHECK_THAT(item.evidence[0].detail, Catch::StartsWith("the same value is used for dev, prod, staging"));
}

TEST_CASE("keys-per-env: n/a without environment-specific files", "[audit]") {
  AuditInput in;
  in.tracked = {file("src/app.js", "")};
  CHECK(check_keys_per_env(in).status == Status::not_applicable);
}

TEST_CASE("no-live-keys-outside-prod: live keys in dev, staging and tests fail, in prod they pass", "[audit]") {
  AuditInput in;
  in.head_findings = {finding("stripe.secret-key", test::stripe_live(), ".env.production"),
                      finding("stripe.secret-key", "sk_test_Zq8vR2mXk4Lp9sTb", "tests/fixtures/payment.json")};
  CHECK(check_no_live_keys_outside_prod(in).status == Status::pass);

  in.head_findings.push_back(finding("stripe.secret-key", test::stripe_live(), "spec/billing_spec.rb", 4));
  in.head_findings.push_back(finding("stripe.restricted-key", "rk_live_Zq8vR2mXk4Lp9sTb", "config/staging.yml", 8));
  in.head_findings.push_back(finding("checkout-com.live-secret-key", "sk_q3w5e7r9", "src/PaymentTest.java", 12));
  Item item = check_no_live_keys_outside_prod(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) == Paths{"spec/billing_spec.rb:4", "config/staging.yml:8", "src/PaymentTest.java:12"});
  CHECK_THAT(item.evidence[0].detail, Catch::Equals("live key in test material: use a test-mode key (sk_test_) here"));
  CHECK_THAT(item.evidence[1].detail, Catch::StartsWith("live key in staging configuration"));
}

TEST_CASE("minimal-scopes: classic PATs and Stripe secret keys warn with the narrower kind", "[audit]") {
  AuditInput in;
  in.head_findings = {finding("stripe.restricted-key", "rk_live_Zq8vR2mXk4Lp9sTb", "a.env")};
  CHECK(check_minimal_scopes(in).status == Status::pass);
  in.head_findings.push_back(finding("github.pat", test::github_classic(), "ci.sh", 2));
  in.head_findings.push_back(finding("stripe.secret-key", test::stripe_live(), "pay.js", 3));
  Item item = check_minimal_scopes(in);
  CHECK(item.status == Status::warn);
  CHECK(paths_of(item) == Paths{"ci.sh:2", "pay.js:3"});
  CHECK_THAT(item.evidence[0].detail, Catch::Contains("fine-grained token"));
  CHECK_THAT(item.evidence[1].detail, Catch::Contains("restricted key (rk_live_)"));
}

TEST_CASE("history-exposure: secrets gone from HEAD fail unless recorded as rotated", "[audit]") {
  AuditInput in;
  CHECK(check_history_exposure(in).status == Status::not_applicable);
  Finding gone = finding("svc.key", "Zq8vR2mXk4Lp9sTb", "old/config.py", 4);
  gone.location.commit = CommitInfo{std::string(40, 'a'), "A", "a@x", "2024-01-01T00:00:00+00:00", "add"};
  gone.still_at_head = false;
  Finding kept = finding("svc.key", "9fK2xQ7mLpR4vZt8", "app.py", 1);
  kept.still_at_head = true;
  in.history_findings = std::vector<Finding>{gone, kept};
  Item item = check_history_exposure(in);
  CHECK(item.status == Status::fail);
  CHECK(paths_of(item) == Paths{"old/config.py:4"});
  CHECK(item.evidence[0].commit == std::string(40, 'a'));
  CHECK(item.evidence[0].detail == "rotate: anyone with a clone has it");

  in.rotated_fingerprints = {gone.fingerprint};
  CHECK(check_history_exposure(in).status == Status::pass);
}

TEST_CASE("scanning-in-place: warns for each missing place, with the command", "[audit]") {
  AuditInput in;
  in.hook = Hook::missing;
  Item item = check_scanning_in_place(in);
  CHECK(item.status == Status::warn);
  REQUIRE(item.evidence.size() == 3);
  CHECK_THAT(item.evidence[2].detail, Catch::Contains("leakstop install"));

  in.hook = Hook::installed;
  in.tracked = {file(".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks:\n      - id: leakstop\n"),
                file(".github/workflows/secrets.yml", "steps:\n  - run: leakstop history --format sarif\n")};
  CHECK(check_scanning_in_place(in).status == Status::pass);
}

TEST_CASE("audit-log: warns unless runs are logged here or in CI", "[audit]") {
  AuditInput in;
  CHECK(check_audit_log(in).status == Status::warn);
  in.tracked = {file(".gitlab-ci.yml", "secrets:\n  script: leakstop history --audit-log audit.jsonl\n")};
  CHECK(check_audit_log(in).status == Status::pass);
  in.tracked.clear();
  in.audit_log = "/var/log/leakstop/audit.jsonl";
  CHECK(check_audit_log(in).status == Status::pass);
}

TEST_CASE("exit code: 1 when an item fails, 0 for warnings alone", "[audit]") {
  AuditInput in;
  in.hook = Hook::missing;
  std::vector<Item> items = run_audit(in);
  REQUIRE(items.size() == 10);
  CHECK(items[8].status == Status::warn);
  CHECK(exit_code(items) == 0);
  in.head_findings = {finding("svc.key", "Zq8vR2mXk4Lp9sTb", "app.py")};
  CHECK(exit_code(run_audit(in)) == 1);
}

TEST_CASE("check data: a team's file extends the built-in lists, errors name file and line", "[audit]") {
  AuditInput in;
  in.tracked = {file("deploy/acceptance/app.env", ""), file("deploy/prod/app.env", "")};
  in.head_findings = {finding("svc.key", "Zq8vR2mXk4Lp9sTb", "deploy/acceptance/app.env"),
                      finding("svc.key", "Zq8vR2mXk4Lp9sTb", "deploy/prod/app.env")};
  CHECK(check_keys_per_env(in).status == Status::pass);  // "acceptance" means nothing yet
  extend_check_data(in.data,
                    "[environments]\nstaging = [\"Acceptance\"]\n"
                    "[[webhooks]]\nlanguage = \"csharp\"\nextensions = [\".cs\"]\n"
                    "hmac_markers = [\"new HMACSHA256(\"]\nsafe = \"CryptographicOperations.FixedTimeEquals\"\n",
                    "team.toml");
  CHECK(check_keys_per_env(in).status == Status::fail);

  in.tracked = {file("Hooks.cs", "var hash = new HMACSHA256(key).ComputeHash(body);\n"
                                 "if (Convert.ToHexString(hash) == signature) { return Ok(); }\n")};
  Item item = check_webhook_signatures(in);
  CHECK(item.status == Status::warn);
  CHECK(paths_of(item) == Paths{"Hooks.cs:2"});
  CHECK(item.evidence[0].detail == "HMAC signature compared with ==: use CryptographicOperations.FixedTimeEquals");

  CHECK_THROWS_WITH(extend_check_data(in.data, "[paths]\ntest_dir = [\"qa\"]\n", "team.toml"),
                    "team.toml:2: 'test_dir' is not a key of [paths]");
  CHECK_THROWS_WITH(extend_check_data(in.data, "[live_keys]\nvalue_markers = \"x\"\n", "team.toml"),
                    "team.toml:2: 'value_markers' must be an array of strings");
}

