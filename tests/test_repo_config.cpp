// A repository's own configuration (issue 11): what it switches off is
// said on every scan, and CI can refuse it (--no-repo-config) or take it
// from a trusted commit (--config-from REV). Real repositories, the real
// binary (bad_input.hpp's Repo: Stripe's rules only).
#include "bad_input.hpp"

using namespace leakstop::test;
using namespace leakstop::test::bad_input;

namespace {

// A pull request's branch that stages a live key and a configuration
// switching the Stripe rule off and ignoring everything it can.
void silence_the_scan(const Repo& repo) {
  repo.write(".leakstop.toml", "disabled_rules = [\"" + k_rule + "\"]\n[allowlist]\npaths = ['''.*''']\n");
  repo.write(".gitleaksignore", "k.txt:" + k_rule + ":1\nnot-a-fingerprint\n");
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add .leakstop.toml .gitleaksignore k.txt");
}

std::size_t lines_with_count(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    n += line.find(word) != std::string::npos;
  }
  return n;
}

} // namespace

TEST_CASE("repository config: what it switches off is said, one line each") {
  Repo repo;
  silence_the_scan(repo);
  RunResult r = repo.ls("staged");
  INFO(r.out);
  CHECK(r.rc == 0);  // silenced, as configured; but not unseen:
  check_exit(r, 0, {"repository config:", ".leakstop.toml: disables 1 rule: " + k_rule});
  check_exit(r, 0, {"repository config:", ".leakstop.toml: allowlists 1 path pattern: .*"});
  check_exit(r, 0, {"repository config:", ".gitleaksignore: ignores 1 finding"});
  // A line that is no gitleaks fingerprint is named with its line number.
  check_exit(r, 0, {"repository config:", ".gitleaksignore:2: not-a-fingerprint", "ignores nothing"});
}

TEST_CASE("repository config: --no-repo-config refuses it") {
  Repo repo;
  silence_the_scan(repo);
  RunResult r = repo.ls("staged --no-repo-config");
  check_exit(r, 1, {"k.txt:1:5", k_rule});
  CHECK_THAT(r.out, !Catch::Contains("repository config:"));
  check_exit(repo.ls("scan --no-repo-config k.txt"), 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("repository config: --config-from takes it from a trusted commit") {
  Repo repo;  // main: one clean commit, no configuration
  repo.must("git checkout -q -b pull-request");
  silence_the_scan(repo);
  repo.must("git commit -q -m 'switch scanning off'");
  // The branch's own configuration would silence it; main's does not.
  check_exit(repo.ls("scan k.txt"), 0, {"repository config:", "disables 1 rule"});
  check_exit(repo.ls("scan --config-from main k.txt"), 1, {"k.txt:1:5", k_rule});
  check_exit(repo.ls("history --config-from main"), 1, {"k.txt", k_rule});
  // main gets a configuration of its own: it is read from main, and named so.
  repo.must("git checkout -q main");
  repo.write(".leakstopignore", "0123456789abcdef0123456789abcdef\n");
  repo.must("git add .leakstopignore && git commit -q -m ignore && git checkout -q pull-request");
  check_exit(repo.ls("scan --config-from main k.txt"), 1, {"main:.leakstopignore: ignores 1 fingerprint"});
  check_exit(repo.ls("scan --config-from no-such-branch k.txt"), 2, {"bad revision 'no-such-branch'"});
}

TEST_CASE("a directory scan counts binary files in one line, --verbose names each") {
  Repo repo;
  repo.write("bin/a.bin", std::string("\0\1\2key", 6));
  repo.write("bin/b.bin", std::string("\0\3\4key", 6));
  repo.write("bin/c.txt", "plain text\n");
  RunResult r = repo.ls("scan bin");
  check_exit(r, 0, {"2 binary files not scanned", "--verbose"});
  CHECK_THAT(r.out, !Catch::Contains("a.bin"));
  RunResult verbose = repo.ls("scan --verbose bin");
  check_exit(verbose, 0, {"bin/a.bin", "not scanned: binary file"});
  check_exit(verbose, 0, {"bin/b.bin", "not scanned: binary file"});
}

TEST_CASE("staged FILE...: a secret HEAD already holds is said to be committed, not new") {
  Repo repo;
  repo.write("old.txt", "key=" + k_stripe + "\n");
  repo.must("git add old.txt && git commit -q -m leak");
  repo.write("new.txt", "token=sk_live_51Zq8Wm2Rt6Yp4Lk9Xc3Vb7Nh1Jd5Gf0Sa\n");
  repo.must("git add new.txt");
  // What `pre-commit run --all-files` runs: whole files, committed or not.
  RunResult r = repo.ls("staged old.txt new.txt");
  check_exit(r, 1, {"2 secrets in the staged files, 1 of them already committed"});
  check_exit(r, 1, {"(already committed)", "rotate it"});
  CHECK(lines_with_count(r.out, "HEAD has this secret at this path") == 1);  // old.txt only
  check_exit(r, 1, {"Already committed"});
  check_exit(r, 1, {"Not committed yet"});  // new.txt's secret is not
  // The plain hook run (no FILE) still reports only what the change adds.
  RunResult hook = repo.ls("staged");
  check_exit(hook, 1, {"1 secret in the staged changes"});
  CHECK_THAT(hook.out, !Catch::Contains("already committed"));
}

TEST_CASE("max-file-size: the option takes bytes or a size with a unit, and names what it cannot read") {
  Repo repo;
  repo.write("big.txt", std::string(3000, 'x') + "\nkey=" + k_stripe + "\n");
  check_exit(repo.ls("scan --max-file-size 2KB big.txt"), 0, {"big.txt", "over the size limit of 2000 bytes"});
  check_exit(repo.ls("scan --max-file-size 2KiB big.txt"), 0, {"big.txt", "over the size limit of 2048 bytes"});
  check_exit(repo.ls("scan --max-file-size 4000 big.txt"), 1, {"big.txt:2:5", k_rule});
  check_exit(repo.ls("scan --max-file-size big big.txt"), 2, {"--max-file-size", "'big'", "with a unit"});
}
