// `leakstop audit` on real repositories: the ignore check through libgit2,
// key ages from backdated commits, and the three outputs validated as the
// suite validates every report.
#include <catch2/catch.hpp>

#include <sstream>

#include "audit_helpers.hpp"
#include "git_fixture.hpp"
#include "report_checks.hpp"
#include "sources/git.hpp"

using namespace leakstop;
using namespace leakstop::audit;
using leakstop::test::GitRepo;
using leakstop::test::quote;

namespace {

// AuditInput::is_ignored and root_env_exists as the command fills them.
Status env_ignored_status(const GitRepo& repo, const sources::LibGit2& libgit2) {
  sources::Repository handle = sources::open_repository(libgit2, repo.root().string());
  AuditInput in;
  in.is_ignored = make_ignore_check(handle.get());
  in.root_env_exists = std::filesystem::exists(repo.root() / ".env");
  return check_env_ignored(in).status;
}

} // namespace

TEST_CASE("env-ignored: libgit2 decides as git does, nested .gitignore, info/exclude, core.excludesFile", "[audit][git]") {
  sources::LibGit2 libgit2;
  GitRepo repo;
  repo.write(".env", "API_KEY=Zq8vR2mXk4Lp9sTb\n");
  repo.write("app/.gitignore", ".env\n");
  repo.write("app/.env", "API_KEY=Zq8vR2mXk4Lp9sTb\n");
  {
    sources::Repository handle = sources::open_repository(libgit2, repo.root().string());
    auto ignored = make_ignore_check(handle.get());
    CHECK(ignored("app/.env"));
    CHECK_FALSE(ignored(".env"));  // the nested rule covers its own directory only
  }
  CHECK(env_ignored_status(repo, libgit2) == Status::fail);
  CHECK(repo.run("git check-ignore -q .env").rc == 1);  // git agrees

  repo.write(".git/info/exclude", "/.env\n.env.local\n.env.*.local\n.env.production\n");
  CHECK(env_ignored_status(repo, libgit2) == Status::pass);
  CHECK(repo.run("git check-ignore -q .env").rc == 0);

  repo.write(".git/info/exclude", "");
  repo.write("../global-ignore", ".env*\n");
  repo.must("git config core.excludesFile " + quote((repo.tmp() / "global-ignore").string()));
  CHECK(env_ignored_status(repo, libgit2) == Status::pass);
}

TEST_CASE("rotation: the age of the commit that introduced a secret, against --now", "[audit][git]") {
  GitRepo repo;
  repo.write("config.py", "KEY = 'Zq8vR2mXk4Lp9sTb'\n");
  repo.must("git add . && GIT_AUTHOR_DATE='2024-01-10T12:00:00+02:00' "
            "GIT_COMMITTER_DATE='2024-01-10T12:00:00+02:00' git commit -q -m key");
  std::istringstream log(repo.must("git log -1 --format='%H%n%aI'"));
  std::string id, date;
  std::getline(log, id);
  std::getline(log, date);

  Finding introduced = test::finding("svc.key", "Zq8vR2mXk4Lp9sTb", "config.py");
  introduced.location.commit = CommitInfo{id, "Test Author", "author@example.org", date, "key"};
  introduced.still_at_head = true;
  AuditInput in;
  in.head_findings = {test::finding("svc.key", "Zq8vR2mXk4Lp9sTb", "config.py")};
  CHECK(check_rotation(in).status == Status::not_applicable);  // no history scan
  in.history_findings = std::vector<Finding>{introduced};
  in.now = 1704880800 + 90 * 86400;  // 2024-01-10T10:00:00Z plus exactly 90 days
  CHECK(check_rotation(in).status == Status::pass);

  in.now += 86400;
  Item item = check_rotation(in);
  CHECK(item.status == Status::fail);
  REQUIRE(item.evidence.size() == 1);
  CHECK(item.evidence[0].commit == id);
  CHECK(item.evidence[0].detail == "rotation overdue: introduced 2024-01-10 (91 days ago, limit 90)");
  CHECK_THAT(item.remedy, Catch::Contains("generate a new key") && Catch::Contains("revoke the old one"));
  in.rotation_days = 365;
  CHECK(check_rotation(in).status == Status::pass);
}

TEST_CASE("audit output: text escapes, JSON matches the schema, SARIF validates", "[audit][git][output]") {
  GitRepo repo;
  AuditInput in;
  in.now = 1767225600;  // 2026-01-01T00:00:00Z
  in.head_findings = {test::finding("stripe.secret-key", test::stripe_live(), "tests/pay\x1b[31m.yml", 3)};
  in.tracked = {test::file("hook.js", "const sig = crypto.createHmac('sha256', k).update(body).digest('hex');\n"
                                      "if (sig == req.headers['x-sig']) { ok(); }\n")};
  std::vector<Item> items = run_audit(in);

  std::ostringstream text;
  write_text(items, text);
  CHECK_THAT(text.str(), Catch::StartsWith("fail  keys-in-env"));
  CHECK_THAT(text.str(), Catch::Contains("      tests/pay\\x1b[31m.yml:3 sk_live_4eC3…: "));
  CHECK_THAT(text.str(), Catch::Contains("warn  webhook-signatures"));
  CHECK_THAT(text.str(), Catch::Contains("      hook.js:2: HMAC signature compared with ==: use crypto.timingSafeEqual"));
  CHECK(text.str().find(test::stripe_live()) == std::string::npos);

  std::ostringstream json;
  write_json(items, in, json);
  test::require_valid_json_report(repo, json.str(), "audit");
  auto parsed = nlohmann::json::parse(json.str());
  CHECK(parsed["items"][0]["id"] == "keys-in-env");
  CHECK(parsed["items"][0]["evidence"][0]["secret"] == "sk_live_4eC3…");
  CHECK(parsed["summary"]["fail"] == 2);  // keys-in-env, no-live-keys-outside-prod
  CHECK(parsed["summary"]["exit_code"] == 1);
  CHECK(parsed["summary"]["now"] == "2026-01-01T00:00:00Z");

  auto sarif_file = repo.tmp() / "audit.sarif";
  {
    std::ofstream out(sarif_file, std::ios::binary);
    write_sarif(items, "0.0.0-test", out);
  }
  test::require_valid_sarif(repo, sarif_file);
  auto sarif = nlohmann::json::parse(GitRepo::read_bytes(sarif_file));
  const auto& results = sarif["runs"][0]["results"];
  CHECK(results[0]["ruleId"] == "audit/keys-in-env");
  CHECK(results[0]["level"] == "error");
  bool webhook_line = false;
  for (const auto& r : results) {
    webhook_line = webhook_line || (r["ruleId"] == "audit/webhook-signatures" &&
                                    r["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
  }
  CHECK(webhook_line);
}

TEST_CASE("tracked_at_head: HEAD's regular files, read on demand, feed the items", "[audit][git]") {
  sources::LibGit2 libgit2;
  GitRepo repo;
  {
    sources::Repository empty = sources::open_repository(libgit2, repo.root().string());
    CHECK(tracked_at_head(empty.get()).empty());  // no commit yet
  }
  repo.write(".env.production", "STRIPE_KEY=Zq8vR2mXk4Lp9sTb\n");
  repo.write(".env.example", "STRIPE_KEY=\n");
  repo.write("src/app.js", "module.exports = {};\n");
  repo.must("ln -s src/app.js link.js && git add . && git commit -q -m files");
  repo.write("src/app.js", "changed in the work tree, not at HEAD\n");

  sources::Repository handle = sources::open_repository(libgit2, repo.root().string());
  AuditInput in;
  in.tracked = tracked_at_head(handle.get());
  in.is_ignored = make_ignore_check(handle.get());
  std::vector<std::string> paths;
  for (const TrackedFile& f : in.tracked) {
    paths.push_back(f.path);
  }
  CHECK(paths == std::vector<std::string>{".env.example", ".env.production", "src/app.js"});
  CHECK(in.tracked[2].content() == std::optional<std::string>("module.exports = {};\n"));

  Item item = check_env_ignored(in);
  CHECK(item.status == Status::fail);
  REQUIRE(item.evidence.size() == 1);
  CHECK(item.evidence[0].path == ".env.production");
  CHECK(item.evidence[0].line == 1);
  CHECK_THAT(item.remedy, Catch::EndsWith("root:\n.env\n.env.local\n.env.*.local\n.env.production"));
}
