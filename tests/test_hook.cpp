// The pre-commit hook end to end: real repositories, `leakstop install`,
// and a real `git commit` firing the hook.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "git_fixture.hpp"
#include "report_checks.hpp"
#include "rules/ruleset.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;

namespace {

const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";

// Gives `repo` one clean commit and installs the hook.
void make_hooked(GitRepo& repo) {
  repo.write("README", "hello\n");
  repo.must("git add . && git commit -q -m init");
  repo.install_hook();
}

// The commit was refused because of a finding of `rule_id`: git's exit 1 from
// the hook, the rule named in the hook's output, and no scanning failure, so
// a crash or missing rules can never pass as a refusal.
void check_refused_by(const RunResult& r, const std::string& rule_id) {
  INFO(r.out);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains(rule_id) && Catch::Contains("commit refused"));
  CHECK_THAT(r.out, !Catch::Contains("could not scan"));
}

} // namespace

TEST_CASE("a staged live key refuses the commit, with guidance") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("config/app.env.yml", "stripe:\n  key: " + k_stripe + "\n");
  repo.must("git add .");
  auto r = repo.commit();
  check_refused_by(r, "stripe.live-secret-key");
  CHECK_THAT(r.out, Catch::Contains("config/app.env.yml:2:8"));
  CHECK_THAT(r.out, Catch::Contains("sk_live_51wm…"));
  CHECK_THAT(r.out, !Catch::Contains(k_stripe));
  CHECK_THAT(r.out, Catch::Contains("Roll the key in the Stripe Dashboard"));
  CHECK_THAT(r.out, Catch::Contains("git commit --no-verify"));
  CHECK_THAT(r.out, Catch::Contains("leakstop:allow"));
  CHECK(repo.must("git rev-list --count HEAD") == "1\n");
}

TEST_CASE("a clean commit passes") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("src/main.c", "int main(void) { return 0; }\n");
  repo.must("git add .");
  auto r = repo.commit();
  CHECK(r.rc == 0);
  CHECK(repo.must("git rev-list --count HEAD") == "2\n");
}

TEST_CASE("the very first commit is scanned") {
  GitRepo repo;
  repo.install_hook();
  repo.write("keys.txt", "STRIPE=" + k_stripe + "\n");
  repo.must("git add .");
  check_refused_by(repo.commit(), "stripe.live-secret-key");
  repo.write("keys.txt", "nothing here\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
}

TEST_CASE("partial staging: the staged version is what counts") {
  GitRepo repo;
  make_hooked(repo);
  SECTION("secret only in the working tree passes") {
    repo.write("a.txt", "clean\n");
    repo.must("git add a.txt");
    repo.write("a.txt", "clean\nkey=" + k_stripe + "\n");
    CHECK(repo.commit().rc == 0);
  }
  SECTION("secret staged, then removed from the working tree, is refused") {
    repo.write("a.txt", "key=" + k_stripe + "\n");
    repo.must("git add a.txt");
    repo.write("a.txt", "clean\n");
    check_refused_by(repo.commit(), "stripe.live-secret-key");
  }
}

TEST_CASE("a secret already in HEAD does not block an unrelated change to the same file") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("legacy.cfg", "a=1\nkey=" + k_stripe + "\nb=2\n");
  repo.must("git add . && git commit -q --no-verify -m legacy");
  repo.write("legacy.cfg", "a=1\nkey=" + k_stripe + "\nb=3\nc=4\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
}

TEST_CASE("deleting or renaming a file that holds a secret passes") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("old.cfg", "key=" + k_stripe + "\n");
  repo.write("gone.cfg", "key=" + k_stripe + "\n");
  repo.must("git add . && git commit -q --no-verify -m legacy");
  repo.must("git mv old.cfg new.cfg && git rm -q gone.cfg");
  CHECK(repo.commit().rc == 0);
}

TEST_CASE("a binary file is skipped with a notice") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("blob.bin", std::string("\x7f" "ELF\0\0\0", 7) + k_stripe);
  repo.must("git add .");
  auto r = repo.commit();
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("blob.bin: not scanned: binary file"));
}

TEST_CASE("a file over the size limit is skipped with a notice, never silently") {
  GitRepo repo;
  make_hooked(repo);
  repo.write(".leakstop.toml", "max_file_size = 1000\n");
  repo.write("huge.txt", std::string(2000, 'z') + "\nkey=" + k_stripe + "\n");
  repo.must("git add .");
  auto r = repo.commit();
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("huge.txt: not scanned") && Catch::Contains("size limit of 1000 bytes"));
}

TEST_CASE(".env files are refused whatever they hold, templates with placeholders pass") {
  GitRepo repo;
  make_hooked(repo);
  SECTION(".env") {
    repo.write(".env", "DEBUG=true\n");
    repo.must("git add .env");
    auto r = repo.commit();
    check_refused_by(r, "dotenv.file");
    CHECK_THAT(r.out, Catch::Contains("git rm --cached"));
    CHECK_THAT(r.out, Catch::Contains(".env is not ignored by git"));
  }
  SECTION(".env.production in a subdirectory") {
    repo.write("deploy/.env.production", "PORT=80\n");
    repo.must("git add .");
    check_refused_by(repo.commit(), "dotenv.file");
  }
  SECTION(".env.example with placeholders") {
    repo.write(".env.example",
               "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\nCLARI_API_KEY=<your-key>\nAPI_TOKEN=${API_TOKEN}\n"
               "DB_PASSWORD=changeme\nSECRET=\n");
    repo.must("git add .");
    auto r = repo.commit();
    CHECK(r.rc == 0);
  }
  SECTION(".env.example is still scanned for real keys") {
    repo.write(".env.example", "STRIPE_SECRET_KEY=" + k_stripe + "\n");
    repo.must("git add .");
    check_refused_by(repo.commit(), "stripe.live-secret-key");
  }
}

TEST_CASE("Clari keys in env, shell, YAML, JSON and code are refused") {
  GitRepo repo;
  make_hooked(repo);
  const std::string key = "UHazNdwAM0d5Neoz69rEiRYimLnLslYlQde9NBgr";
  for (const auto& [path, content, rule_id] : std::vector<std::tuple<std::string, std::string, std::string>>{
         {"deploy.sh", "export CLARI_API_KEY=" + key + "\n", "clari.api-key"},
         {"values.yaml", "clari:\n  CLARI_SECRET: \"" + key + "\"\n", "clari.secret"},
         {"settings.json", "{\"CLARI_API_KEY\": \"" + key + "\"}\n", "clari.api-key"},
         {"client.py", "os.environ[\"CLARI_API_KEY\"] = \"" + key + "\"\n", "clari.api-key"}}) {
    INFO(path);
    repo.write(path, content);
    repo.must("git add " + quote(path));
    auto r = repo.commit();
    check_refused_by(r, rule_id);
    CHECK_THAT(r.out, Catch::Contains("Clari"));
    repo.must("git reset -q && rm " + quote(path));
  }
}

TEST_CASE("after a refused commit the index and working tree are byte-for-byte unchanged") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("a.txt", "one\nkey=" + k_stripe + "\n");
  repo.write("b.txt", "two\n");
  repo.must("git add a.txt b.txt");
  repo.write("b.txt", "two, edited after staging\n");
  // git itself may refresh the index's stat cache; let it do so first, so
  // that what remains to compare is what the hook could have changed.
  repo.must("git update-index -q --refresh || true");
  const auto index_file = repo.root() / ".git" / "index";
  const std::string index_before = GitRepo::read_bytes(index_file);
  CHECK(repo.leakstop("staged").rc == 1);
  CHECK(GitRepo::read_bytes(index_file) == index_before);

  const std::string entries_before = repo.must("git ls-files --stage");
  const std::string head_before = repo.must("git rev-parse HEAD");
  const std::string refs_before = repo.must("git for-each-ref");
  check_refused_by(repo.commit(), "stripe.live-secret-key");
  CHECK(repo.must("git ls-files --stage") == entries_before);
  CHECK(repo.must("git rev-parse HEAD") == head_before);
  CHECK(repo.must("git for-each-ref") == refs_before);
  CHECK(repo.read("a.txt") == "one\nkey=" + k_stripe + "\n");
  CHECK(repo.read("b.txt") == "two, edited after staging\n");
  CHECK(repo.must("git diff --cached --name-only") == "a.txt\nb.txt\n");
}

TEST_CASE("an existing hook keeps working after install, and is restored by uninstall") {
  GitRepo repo;
  repo.write("README", "hello\n");
  repo.must("git add . && git commit -q -m init");
  repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/previous-hook-ran\"\nexit 0\n");
  repo.must("chmod +x .git/hooks/pre-commit");
  const std::string original = repo.read(".git/hooks/pre-commit");
  repo.install_hook();
  repo.write("c.txt", "clean\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
  CHECK(repo.read(".git/previous-hook-ran") == "ran\n");
  repo.write("d.txt", "key=" + k_stripe + "\n");
  repo.must("git add .");
  check_refused_by(repo.commit(), "stripe.live-secret-key");
  repo.must("git reset -q && rm d.txt");
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --uninstall");
  CHECK(repo.read(".git/hooks/pre-commit") == original);
  repo.write("e.txt", "clean\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
  CHECK(repo.read(".git/previous-hook-ran") == "ran\nran\n");
}

TEST_CASE("install honours core.hooksPath") {
  GitRepo repo;
  repo.must("git config core.hooksPath .githooks");
  repo.install_hook();
  CHECK(std::filesystem::exists(repo.root() / ".githooks" / "pre-commit"));
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add .");
  check_refused_by(repo.commit(), "stripe.live-secret-key");
}

TEST_CASE("install --global covers new repositories and keeps their own hooks") {
  GitRepo repo;
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --global");
  CHECK_THAT(repo.must("git config --global core.hooksPath"), Catch::Contains("leakstop/hooks"));
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add .");
  check_refused_by(repo.commit(), "stripe.live-secret-key");
  repo.must(quote(leakstop::test::leakstop_bin()) + " install --global --uninstall");
  CHECK(repo.run("git config --global core.hooksPath").rc == 1);  // git config: the key is not set
  CHECK(repo.commit().rc == 0);
}

TEST_CASE("the hook fails closed") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("a.txt", "clean\n");
  repo.must("git add .");
  SECTION("leakstop missing") {
    std::string hook = repo.read(".git/hooks/pre-commit");
    hook.replace(hook.find("leakstop_bin='"), 14, "leakstop_bin='/nonexistent");
    repo.write(".git/hooks/pre-commit", hook);
    auto r = repo.run("PATH=/usr/bin:/bin git commit -q -m x");
    INFO(r.out);
    CHECK(r.rc == 1);
    CHECK_THAT(r.out, Catch::Contains("leakstop program is not installed") && Catch::Contains("commit refused") &&
                        Catch::Contains("--no-verify"));
  }
  SECTION("invalid configuration") {
    repo.write(".leakstop.toml", "disabled_rules = [\"no.such.rule\"]\n");
    auto r = repo.commit();
    INFO(r.out);
    CHECK(r.rc == 1);
    // leakstop's exit 2 (configuration), reported by the hook as such.
    CHECK_THAT(r.out, Catch::Contains("no.such.rule") && Catch::Contains("could not scan the staged changes (exit 2"));
  }
}

TEST_CASE("suppressions: inline comment, path allowlist, disabled rule, ignored fingerprint") {
  GitRepo repo;
  make_hooked(repo);
  SECTION("inline") {
    repo.write("a.txt", "key=" + k_stripe + "  # leakstop:allow\n");
  }
  SECTION("path allowlist") {
    repo.write(".leakstop.toml", "[allowlist]\npaths = ['''^fixtures/''']\n");
    repo.write("fixtures/a.txt", "key=" + k_stripe + "\n");
  }
  SECTION("disabled rule") {
    repo.write(".leakstop.toml", "disabled_rules = [\"stripe.live-secret-key\"]\n");
    repo.write("a.txt", "key=" + k_stripe + "\n");
  }
  SECTION("fingerprint in .leakstopignore") {
    repo.write("a.txt", "key=" + k_stripe + "\n");
    auto json = repo.leakstop("scan --format json a.txt").out;
    leakstop::test::require_valid_json_report(repo, json);
    auto at = json.find("\"fingerprint\": \"");
    REQUIRE(at != std::string::npos);
    repo.write(".leakstopignore", "# reviewed: test key\n" + json.substr(at + 16, 32) + "  # fixture\n");
  }
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
}

TEST_CASE("odd paths, CRLF files and symlinks") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("dir with space/naïve file.txt", "a\r\nb\r\nkey=" + k_stripe + "\r\n");
  repo.must("ln -s 'dir with space/naïve file.txt' link.txt && git add .");
  auto r = repo.commit();
  check_refused_by(r, "stripe.live-secret-key");
  CHECK_THAT(r.out, Catch::Contains("dir with space/naïve file.txt:3:5"));
  CHECK_THAT(r.out, !Catch::Contains("link.txt:"));
}

TEST_CASE("a positive example of every rule refuses the commit") {
  // One file per rule, all staged at once: the hook must refuse, and every
  // file must have a finding (of its own rule, or of a more specific one
  // that reports the same secret). One commit keeps this quick with 1,000+
  // rules; the per-file check keeps it as strict as one commit per rule.
  GitRepo repo;
  make_hooked(repo);
  leakstop::rules::RuleSet set;
  set.add_directory(LEAKSTOP_TEST_RULES_DIR, leakstop::rules::Examples::required);
  std::map<std::string, std::vector<std::string>> rules_of_path;
  std::size_t n = 0;
  for (const auto& rule : set.rules()) {
    std::string path = rule.is_path_rule() ? rule.examples.front()
                       : rule.example_path.empty() ? fmt::format("src/leak{}.txt", n++)
                                                   : rule.example_path;
    while (!path.empty() && (path.front() == '/' || path.front() == '~')) {
      path.erase(0, 1);
    }
    if (rules_of_path.count(path)) {
      path = fmt::format("more{}/{}", n++, path);  // two rules' examples never share a file
    }
    repo.write(path, rule.is_path_rule() ? "content\n" : rule.examples.front() + "\n");
    rules_of_path[path].push_back(rule.id);
  }
  repo.must("git add -A -f .");
  const auto report = repo.tmp() / "staged.json";
  REQUIRE(repo.leakstop("staged --report " + quote(report.string())).rc == 1);
  std::map<std::string, std::size_t> findings_of_path;
  for (const auto& finding : nlohmann::json::parse(GitRepo::read_bytes(report))) {
    ++findings_of_path[finding.at("path").get<std::string>()];
  }
  for (const auto& [path, ids] : rules_of_path) {
    INFO(ids.front() << " at " << path);
    CHECK(findings_of_path[path] > 0);
  }
  auto r = repo.commit();
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("commit refused") && !Catch::Contains("could not scan"));
  CHECK(repo.must("git rev-list --count HEAD") == "1\n");
}

TEST_CASE("git commit -a and git commit <path> are scanned through git's temporary index") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("tracked.cfg", "a=1\n");
  repo.must("git add . && git commit -q -m tracked");
  repo.write("tracked.cfg", "a=1\nkey=" + k_stripe + "\n");
  SECTION("commit -a") {
    auto r = repo.run("git commit -q -a -m sneaky");
    check_refused_by(r, "stripe.live-secret-key");
    CHECK_THAT(r.out, Catch::Contains("tracked.cfg:2:5"));
  }
  SECTION("commit <path>") {
    auto r = repo.run("git commit -q -m sneaky tracked.cfg");
    check_refused_by(r, "stripe.live-secret-key");
    CHECK_THAT(r.out, Catch::Contains("tracked.cfg:2:5"));
  }
  CHECK(repo.must("git rev-list --count HEAD") == "2\n");
}

TEST_CASE("an existing secret that moves within its file, or along a renamed file, does not block") {
  GitRepo repo;
  make_hooked(repo);
  repo.write("app.cfg", "a=1\nkey=" + k_stripe + "\nb=2\n");
  repo.must("git add . && git commit -q --no-verify -m legacy");
  repo.write("app.cfg", "# header\nb=2\n\n   key = \"" + k_stripe + "\"\na=1\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
  repo.must("git mv app.cfg renamed.cfg");
  repo.write("renamed.cfg", repo.read("renamed.cfg") + "c=3\n");
  repo.must("git add .");
  CHECK(repo.commit().rc == 0);
  repo.write("renamed.cfg", repo.read("renamed.cfg") + "new=sk_live_9Tq2Wm4Zr7Xv1Bn8Kd3Lp6Hs0Fy5Gc\n");
  repo.must("git add .");
  auto r = repo.commit();
  check_refused_by(r, "stripe.live-secret-key");
  CHECK_THAT(r.out, Catch::Contains("renamed.cfg:7:5"));
}
