// The bad-input matrix (ctest -R bad-input), part one: command lines,
// configuration files and the compiled-rules cache. See bad_input.hpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "bad_input.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
using namespace leakstop::test::bad_input;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Command lines
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: unknown option") {
  Repo repo;
  check_exit(repo.ls("staged --bogus"), 2, {"--bogus"});
}

TEST_CASE("bad-input: unknown command") {
  Repo repo;
  check_exit(repo.ls("frobnicate"), 2, {"frobnicate"});
}

TEST_CASE("bad-input: negative --max-file-size") {
  Repo repo;
  check_exit(repo.ls("staged --max-file-size -1"), 2, {"--max-file-size"});
}

TEST_CASE("bad-input: --decode-depth out of range") {
  Repo repo;
  check_exit(repo.ls("staged --decode-depth 9"), 2, {"--decode-depth", "9"});
}

TEST_CASE("bad-input: bad revision range") {
  Repo repo;
  check_exit(repo.ls("history nosuchref..HEAD"), 2, {"bad revision", "nosuchref"});
}

TEST_CASE("bad-input: bad --since date") {
  Repo repo;
  check_exit(repo.ls("history --since garbage"), 2, {"--since", "garbage"});
}

TEST_CASE("bad-input: no HOME") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  // No cache directory can be named: the rules are compiled, and the scan goes on.
  RunResult r = repo.run("env -u HOME -u LEAKSTOP_CACHE_DIR -u XDG_CACHE_HOME timeout -k 5 30 " +
                         quote(leakstop::test::leakstop_bin()) + " staged");
  check_exit(r, 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: no HOME for install --global") {
  Repo repo;
  RunResult r = repo.run("env -u HOME -u XDG_CONFIG_HOME timeout -k 5 30 " + quote(leakstop::test::leakstop_bin()) +
                         " install --global");
  check_exit(r, 3, {"global git config", "HOME is not set"});
}

TEST_CASE("bad-input: not inside a repository") {
  Repo repo;
  check_exit(repo.ls("staged", repo.tmp()), 3, {"not inside a git repository"});
}

// ---------------------------------------------------------------------------
// Configuration files: .leakstop.toml, .leakstopignore, rule files, baselines
// ---------------------------------------------------------------------------

TEST_CASE("bad-input: .leakstop.toml with malformed TOML") {
  Repo repo;
  repo.write(".leakstop.toml", "[allowlist\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml:1", "invalid TOML"});
}

TEST_CASE("bad-input: .leakstop.toml with an unknown key") {
  Repo repo;
  repo.write(".leakstop.toml", "disabled_rules = []\nbogus = 1\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "unknown key 'bogus'"});
}

TEST_CASE("bad-input: .leakstop.toml symlinked to /dev/zero") {
  Repo repo;
  repo.must("ln -s /dev/zero .leakstop.toml");
  check_exit(repo.ls("staged", {}, 2'000'000), 2, {".leakstop.toml", "a device, not a regular file"});
}

TEST_CASE("bad-input: .leakstop.toml symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo .leakstop.toml");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: .leakstop.toml over 1 MiB") {
  Repo repo;
  repo.write(".leakstop.toml", "# " + std::string(1024 * 1024, 'x') + "\n");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "larger than the limit", "1 MiB"});
}

TEST_CASE("bad-input: .leakstop.toml in a symlink loop") {
  Repo repo;
  repo.must("ln -s loop .leakstop.toml && ln -s .leakstop.toml loop");
  check_exit(repo.ls("staged"), 2, {".leakstop.toml", "loop of symbolic links"});
}

TEST_CASE("bad-input: .leakstop.toml unreadable (permission denied)") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  repo.write(".leakstop.toml", "disabled_rules = [\"" + k_rule + "\"]\n");
  // Let nobody in (the temporary directories are 0700), and trust the
  // repository (libgit2 refuses one owned by another user).
  repo.must("chmod 000 .leakstop.toml && chmod -R a+rX,a+w " + quote(repo.tmp().string()) +
            " && chmod 000 .leakstop.toml && git config --global --add safe.directory '*'");
  RunResult r = repo.ls_unprivileged("staged");
  check_exit(r, 2, {".leakstop.toml", "Permission denied"});
}

TEST_CASE("bad-input: .leakstopignore symlinked to /dev/zero") {
  Repo repo;
  repo.must("ln -s /dev/zero .leakstopignore");
  check_exit(repo.ls("staged", {}, 2'000'000), 2, {".leakstopignore", "a device, not a regular file"});
}

TEST_CASE("bad-input: .leakstopignore symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo .leakstopignore");
  check_exit(repo.ls("staged"), 2, {".leakstopignore", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: malformed .leakstopignore lines suppress nothing and are listed") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  repo.write(".leakstopignore", "not-a-fingerprint\n# comment\n8391fb97 extra words\n");
  RunResult r = repo.ls("staged --report-unused-ignores");
  check_exit(r, 1, {"k.txt:1:5", k_rule});
  check_exit(r, 1, {".leakstopignore:1", "not-a-fingerprint"});
  check_exit(r, 1, {".leakstopignore:3", "8391fb97"});
}

TEST_CASE("bad-input: rule file with malformed TOML") {
  Repo repo;
  repo.write("bad.toml", "[[rule]\nid = 1\n");
  check_exit(repo.ls("staged --rule-file bad.toml"), 2, {"bad.toml:1", "invalid TOML"});
}

TEST_CASE("bad-input: rule file symlinked to /dev/zero") {
  Repo repo;
  repo.must("ln -s /dev/zero zero.toml");
  check_exit(repo.ls("staged --rule-file zero.toml", {}, 2'000'000), 2, {"zero.toml", "a device, not a regular file"});
}

TEST_CASE("bad-input: rule file symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo fifo.toml");
  check_exit(repo.ls("staged --rule-file fifo.toml"), 2, {"fifo.toml", "a FIFO, not a regular file"});
}

TEST_CASE("bad-input: rule file unreadable (permission denied)") {
  Repo repo;
  repo.write("secret.toml", k_demo_rule);
  repo.must("chmod -R a+rX,a+w " + quote(repo.tmp().string()) + " && chmod 000 secret.toml");
  RunResult r = repo.ls_unprivileged("scan --rule-file secret.toml README");
  check_exit(r, 2, {"secret.toml", "Permission denied"});
}

TEST_CASE("bad-input: rule whose Hyperscan compile blows up") {
  Repo repo;
  // Within RE2's limits (40 x 16 repeats), past what Hyperscan will build.
  // With a frequent keyword the rule is matched by its regex in Hyperscan
  // at run time, so loading it fails, naming it.
  repo.write("blowup.toml", R"([[rule]]
id = "demo.blowup"
description = "Pathological"
severity = "high"
regex = '''(key(?:[a-z]{1,16}\d){40})'''
keywords = ["key"]
remediation = "Rotate it."
)");
  check_exit(repo.ls("staged --rule-file blowup.toml"), 2, {"blowup.toml:1", "demo.blowup", "Pattern is too large"});
}

TEST_CASE("bad-input: keyword-anchored rule Hyperscan cannot compile") {
  Repo repo;
  // A rare keyword: matching needs only RE2 (Hyperscan finds the keyword),
  // so a scan works; the rule tooling still refuses the rule, naming it,
  // since every rule must compile in both engines.
  repo.write("blowup.toml", R"([[rule]]
id = "demo.blowup"
description = "Pathological"
severity = "high"
regex = '''(dmo(?:[a-z]{1,16}\d){40})'''
keywords = ["dmo"]
remediation = "Rotate it."
examples = ["dmoa1", "dmob2"]
negative_examples = ["x", "y"]
)");
  auto scan = repo.ls("staged --rule-file blowup.toml");
  INFO(scan.out);
  CHECK(scan.rc == 0);
  check_exit(repo.ls("rules test blowup.toml"), 2, {"blowup.toml:1", "demo.blowup", "Pattern is too large"});
}

TEST_CASE("bad-input: malformed JSON baseline") {
  Repo repo;
  repo.write("bad.json", "{\"version\": 1, \"findings\": [");
  check_exit(repo.ls("staged --baseline bad.json"), 2, {"bad.json", "not a leakstop baseline"});
}

TEST_CASE("bad-input: baseline symlinked to a FIFO") {
  Repo repo;
  repo.must("mkfifo ../fifo && ln -s ../fifo fifo.json");
  check_exit(repo.ls("staged --baseline fifo.json"), 2, {"fifo.json", "cannot read baseline file"});
}

TEST_CASE("bad-input: malformed gitleaks configuration") {
  Repo repo;
  repo.write("gitleaks.toml", "[[rules]\nid = \"x\"\n");
  check_exit(repo.ls("staged --config gitleaks.toml"), 2, {"gitleaks.toml:1", "invalid TOML"});
}

// ---------------------------------------------------------------------------
// The compiled-rules cache
// ---------------------------------------------------------------------------

namespace {

// Stages a key, fills the cache, then lets `spoil` do its worst to every
// cache file: the scan must still find the key (a bad cache is rebuilt).
void check_cache_survives(const std::string& spoil) {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  REQUIRE(repo.ls("staged --cache-dir ../c").rc == 1);
  repo.must("cd ../c && for f in *; do " + spoil + "; done");
  check_exit(repo.ls("staged --cache-dir ../c", {}, 2'000'000), 1, {"k.txt:1:5", k_rule});
  check_exit(repo.ls("staged --cache-dir ../c"), 1, {"k.txt:1:5", k_rule});
}

} // namespace

TEST_CASE("bad-input: corrupt rules cache") {
  check_cache_survives("head -c 4096 /dev/urandom > \"$f\"");
}

TEST_CASE("bad-input: truncated rules cache") {
  check_cache_survives("truncate -s $(($(stat -c %s \"$f\") / 2)) \"$f\"");
}

TEST_CASE("bad-input: rules cache replaced by a FIFO") {
  check_cache_survives("rm \"$f\" && mkfifo \"$f\"");
}

TEST_CASE("bad-input: rules cache replaced by a symlink to /dev/zero") {
  check_cache_survives("rm \"$f\" && ln -s /dev/zero \"$f\"");
}

TEST_CASE("bad-input: --cache-dir that is a file") {
  Repo repo;
  repo.write("k.txt", "key=" + k_stripe + "\n");
  repo.must("git add k.txt");
  check_exit(repo.ls("staged --cache-dir README"), 1, {"k.txt:1:5", k_rule});
}

TEST_CASE("bad-input: stale rules cache (a rule file edited in place, its mtime put back)") {
  Repo repo;
  const fs::path rules = repo.tmp() / "demo-rules";
  fs::create_directories(rules);
  const fs::path file = rules / "demo.toml";
  std::ofstream(file) << k_demo_rule;
  repo.write("a.txt", "t = dmo_q8Zr2LmX0pW4nT7yB3cV\n");
  repo.write("b.txt", "t = dmx_q8Zr2LmX0pW4nT7yB3cV\n");
  const std::string args = "scan --rules " + quote(rules.string()) + " a.txt b.txt";
  check_exit(repo.ls(args), 1, {"a.txt:1:5", "demo.token"});
  // Same size, same inode, same modification time: only the change time
  // (which nothing but the clock sets) and the content differ.
  const auto mtime = fs::last_write_time(file);
  std::string text = GitRepo::read_bytes(file);
  for (std::size_t at = text.find("dmo_"); at != std::string::npos; at = text.find("dmo_", at)) {
    text[at + 2] = 'x';
  }
  patch(file, 0, text);
  fs::last_write_time(file, mtime);
  RunResult r = repo.ls(args);
  check_exit(r, 1, {"b.txt:1:5", "demo.token"});
  CHECK_THAT(r.out, !Catch::Contains("a.txt:1:5"));
}
