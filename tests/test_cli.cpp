// The leakstop binary's commands, exit codes and output formats.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "git_fixture.hpp"
#include "report_checks.hpp"
#include "sample_rules.hpp"

using leakstop::test::GitRepo;
using leakstop::test::quote;

namespace {
const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_github = "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";
} // namespace

TEST_CASE("scan: exit 0 when clean, 1 with findings") {
  GitRepo repo;
  repo.write("clean.txt", "nothing to see\n");
  CHECK(repo.leakstop("scan clean.txt").rc == 0);
  repo.write("leak.txt", "x\ny = \"" + k_stripe + "\"\n");
  auto r = repo.leakstop("scan .");
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("leak.txt:2:6"));
}

TEST_CASE("scan --format json: every field, redacted unless asked") {
  GitRepo repo;
  repo.write("cfg/app.yml", "a: 1\ntoken: " + k_github + "\n");
  auto r = repo.leakstop("scan --format json cfg");
  REQUIRE(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  const auto& f = j[0];
  CHECK(f["rule_id"].get<std::string>().rfind("github.", 0) == 0);
  CHECK_FALSE(f["description"].get<std::string>().empty());
  CHECK(f["severity"] == "high");
  CHECK(f["confidence"] == "high");
  CHECK(f["path"] == "cfg/app.yml");
  CHECK(f["line"] == 2);
  CHECK(f["column"] == 8);
  CHECK(f["secret"] == "ghp_zcvvXYBg…");
  CHECK(f["secret_redacted"] == true);
  CHECK(f["fingerprint"].get<std::string>().size() == 32);
  CHECK_FALSE(f["remediation"].get<std::string>().empty());
  CHECK(r.out.find(k_github) == std::string::npos);

  auto shown = leakstop::test::json_report(repo, "scan --format json --show-secrets cfg");
  CHECK(shown[0]["secret"] == k_github);
  CHECK(shown[0]["fingerprint"] == f["fingerprint"]);
}

TEST_CASE("fingerprints are stable across runs and line moves") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  auto first = leakstop::test::json_report(repo, "scan -f json a.txt");
  repo.write("a.txt", "\n\n\n   key = '" + k_stripe + "'\n");
  auto moved = leakstop::test::json_report(repo, "scan -f json a.txt");
  CHECK(first[0]["fingerprint"] == moved[0]["fingerprint"]);
  CHECK(moved[0]["line"] == 4);
}

TEST_CASE("scan - reads standard input") {
  GitRepo repo;
  auto r = repo.run("printf 'k=%s\\n' " + k_stripe + " | " + quote(leakstop::test::leakstop_bin()) + " scan -");
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("<stdin>:1:3"));
}

TEST_CASE("scan honours .gitignore inside a repository") {
  GitRepo repo;
  repo.write(".gitignore", "secret-dir/\n");
  repo.write("secret-dir/a.txt", "key=" + k_stripe + "\n");
  CHECK(repo.leakstop("scan .").rc == 0);
  CHECK(repo.leakstop("scan secret-dir/a.txt").rc == 1);
}

TEST_CASE("a broken rule file exits 2 naming the file and the rule") {
  GitRepo repo;
  repo.write("rules/broken.toml", "[[rule]]\nid = \"my.rule\"\ndescription = \"d\"\nseverity = \"high\"\n"
                                  "regex = '''(unclosed'''\nkeywords = [\"x\"]\nremediation = \"r\"\n");
  repo.write("a.txt", "x\n");
  auto r = repo.leakstop("scan --no-cache --rule-file rules/broken.toml a.txt");
  CHECK(r.rc == 2);
  CHECK_THAT(r.out, Catch::Contains("rules/broken.toml:1") && Catch::Contains("my.rule") && Catch::Contains("regex"));
  auto t = repo.leakstop("rules test rules/broken.toml");
  CHECK(t.rc == 2);
}

TEST_CASE("usage errors exit 2, repository errors exit 3") {
  GitRepo repo;
  CHECK(repo.leakstop("scan").rc == 2);
  CHECK(repo.leakstop("frobnicate").rc == 2);
  CHECK(repo.leakstop("scan --format yaml a").rc == 2);
  auto missing = repo.leakstop("scan no/such/file");
  CHECK(missing.rc == 3);
  CHECK_THAT(missing.out, Catch::Contains("no/such/file: no such file or directory"));
  auto outside = leakstop::test::run_in(repo.tmp(), quote(leakstop::test::leakstop_bin()) + " staged");
  CHECK(outside.rc == 3);
  CHECK_THAT(outside.out, Catch::Contains("not inside a git repository"));
}

TEST_CASE("leakstop --help documents the exit codes") {
  GitRepo repo;
  auto r = repo.leakstop("--help");
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("0  clean") && Catch::Contains("1  findings") && Catch::Contains("2  usage") &&
                      Catch::Contains("3  repository"));
}

TEST_CASE("colour on a terminal only, and never with NO_COLOR") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  CHECK(repo.leakstop("scan a.txt").out.find("\x1b[") == std::string::npos);
  // script(1) runs the command on a pseudo-terminal.
  std::string on_tty = "script -qec " + quote(quote(leakstop::test::leakstop_bin()) + " scan a.txt") + " /dev/null";
  CHECK(repo.run(on_tty).out.find("\x1b[1;31m") != std::string::npos);
  CHECK(repo.run("NO_COLOR=1 " + on_tty).out.find("\x1b[") == std::string::npos);
}

TEST_CASE("a corrupt compiled-rules cache is rebuilt silently") {
  GitRepo repo;
  auto cache = repo.tmp() / "cache";
  repo.write("a.txt", "key=" + k_stripe + "\n");
  std::string args = "scan --cache-dir " + quote(cache.string()) + " a.txt";
  CHECK(repo.leakstop(args).rc == 1);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(cache)) {
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "garbage";
    ++files;
  }
  CHECK(files == 1);
  auto r = repo.leakstop(args);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, !Catch::Contains("error"));
}

namespace {
// Each cache file with its modification time: a file compiled anew is
// written to a new inode, with a new time.
std::map<std::string, std::filesystem::file_time_type> cache_files(const std::filesystem::path& dir) {
  std::map<std::string, std::filesystem::file_time_type> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    out[entry.path().filename().string()] = entry.last_write_time();
  }
  return out;
}
} // namespace

// Issue 10: a .leakstop.toml edit costs at most the compile of its own rules.
TEST_CASE("editing .leakstop.toml changes what is reported without recompiling the shipped rules") {
  GitRepo repo;
  auto cache = repo.tmp() / "cache";
  repo.write("a.txt", "key=" + k_stripe + "\nticket = \"acme_q8w7e6r5t4y3u2i1\"\n");
  // stderr apart: it names what the repository's config switches off.
  const std::string args = "scan --format json --cache-dir " + quote(cache.string()) + " a.txt 2>/dev/null";
  auto rule_ids = [&] {
    auto r = repo.leakstop(args);
    INFO(r.out);
    std::set<std::string> ids;
    for (const auto& f : nlohmann::json::parse(r.out)) {
      ids.insert(f["rule_id"].get<std::string>());
    }
    return ids;
  };
  CHECK(rule_ids() == std::set<std::string>{"stripe.live-secret-key"});
  const auto shipped = cache_files(cache);
  REQUIRE(shipped.size() == 1);

  repo.write(".leakstop.toml", "disabled_rules = [\"stripe.live-secret-key\"]\n");
  CHECK(rule_ids().empty());
  CHECK(cache_files(cache) == shipped);

  const std::string extra_rule =
    "[[rule]]\nid = \"acme.ticket\"\ndescription = \"ACME ticket\"\nregex = \'\'\'(acme_[a-z0-9]{16})\'\'\'\n"
    "keywords = [\"acme_\"]\nseverity = \"high\"\n";
  repo.write(".leakstop.toml", extra_rule);
  CHECK(rule_ids() == std::set<std::string>{"stripe.live-secret-key", "acme.ticket"});
  auto with_extra = cache_files(cache);
  CHECK(with_extra.size() == 2);
  CHECK(with_extra.at(shipped.begin()->first) == shipped.begin()->second);

  // An allowlist edit leaves both compiled sets alone.
  repo.write(".leakstop.toml", extra_rule + "[allowlist]\nstopwords = [\"q8w7\"]\n");
  CHECK(rule_ids() == std::set<std::string>{"stripe.live-secret-key"});
  CHECK(cache_files(cache) == with_extra);
}

TEST_CASE("staged --format json for the pre-commit framework's file list") {
  GitRepo repo;
  repo.write("a.txt", "key=" + k_stripe + "\n");
  repo.write("b.txt", "clean\n");
  repo.must("git add . && git commit -q -m base");
  auto r = repo.leakstop("staged --format json a.txt b.txt");
  CHECK(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["path"] == "a.txt");
  CHECK(repo.leakstop("staged b.txt").rc == 0);
}

TEST_CASE("an encoded secret is reported where the encoding is, saying how, and --no-decode skips it") {
  GitRepo repo;
  // base64 of k_github, as a Kubernetes Secret holds it.
  repo.write("k8s/secret.yml", "kind: Secret\ndata:\n  token: Z2hwX3pjdnZYWUJnc2hCTFJVWHBMNk9qOEhCZnd2cVczQzJ0eTBrRw==\n");
  auto r = repo.leakstop("scan --format json k8s");
  REQUIRE(r.rc == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["rule_id"] == "github.pat-classic");
  CHECK(j[0]["decoded"] == "base64");
  CHECK(j[0]["line"] == 3);
  CHECK(j[0]["column"] == 10);
  CHECK(j[0]["secret"] == "ghp_zcvvXYBg…");
  auto text = repo.leakstop("scan k8s");
  CHECK_THAT(text.out, Catch::Contains("k8s/secret.yml:3:10") && Catch::Contains("decoded      base64"));
  // Undecoded, only the Kubernetes rule's reading of the manifest is left.
  for (const char* off : {"--no-decode", "--decode-depth 0"}) {
    auto plain = nlohmann::json::parse(repo.leakstop(std::string("scan --format json ") + off + " k8s").out);
    REQUIRE(plain.size() == 1);
    CHECK(plain[0]["rule_id"] == "kubernetes.secret-manifest-data");
    CHECK_FALSE(plain[0].contains("decoded"));
  }
  CHECK(repo.leakstop("scan --decode-depth 9 k8s").rc == 2);
}

namespace {

using leakstop::test::k_zeta_rule;

// `lines` lines of filler text, 100 bytes each.
std::string filler(std::size_t lines) {
  const std::string line = "the quick brown fox jumps over the lazy dog while the compiler reads every header it can find .....\n";
  std::string out;
  for (std::size_t i = 0; i < lines; ++i) {
    out += line;
  }
  return out;
}

} // namespace

TEST_CASE("rules check: a rule that fires too often on the corpus fails, listing its matches redacted") {
  GitRepo repo;
  repo.write("rules/zeta.toml", k_zeta_rule);
  repo.write("corpus/a/big.txt", filler(10000) + "zeta1111 and zeta2222\n");  // ~1 MB
  repo.write("corpus/b/small.txt", "x = zeta3333\n");
  const std::string base = "rules check --rules rules --corpus corpus/a --corpus corpus/b";
  // 1 MB at 100 per 100 MB allows 1 finding: there are 3.
  auto noisy = repo.leakstop(base + " --max-per-100mb 100");
  CHECK(noisy.rc == 1);
  CHECK_THAT(noisy.out, Catch::Contains("NOISY demo.zeta: 3 findings on the corpus (at most 1)"));
  CHECK_THAT(noisy.out, Catch::Contains("corpus/b/small.txt:1:5  ze…"));
  CHECK_THAT(noisy.out, Catch::Contains("corpus/a/big.txt:10001:14  ze…"));
  CHECK_THAT(noisy.out, !Catch::Contains("zeta3333"));
  CHECK_THAT(noisy.out, Catch::Contains("2 text files, 1.0 MB") && Catch::Contains("rules check: FAILED"));
  // At 400 per 100 MB it may fire 4 times: it passes, and is listed for review.
  auto quiet = repo.leakstop(base + " --max-per-100mb 400");
  CHECK(quiet.rc == 0);
  CHECK_THAT(quiet.out, Catch::Contains("quiet enough, listed for review:\n  demo.zeta (3)"));
  CHECK_THAT(quiet.out, Catch::Contains("rules check: passed"));
}

TEST_CASE("rules check: keywords must occur in what a rule matches") {
  GitRepo repo;
  std::string rule = k_zeta_rule;
  rule.replace(rule.find("[\"zeta\"]"), 8, "[\"zeta\", \"beta\"]");
  repo.write("rules/ok.toml", rule);
  repo.write("corpus/clean.txt", "nothing here\n");
  CHECK(repo.leakstop("rules check --rules rules --corpus corpus").rc == 0);
  rule.replace(rule.find("[\"zeta\", \"beta\"]"), 16, "[\"beta\"]");
  repo.write("rules/ok.toml", rule);
  auto r = repo.leakstop("rules check --rules rules --corpus corpus");
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("rule 'demo.zeta': example 1: no keyword (beta) in what the rule matches: zeta1234"));
  CHECK_THAT(r.out, Catch::Contains("2 keyword failure(s)"));
}

TEST_CASE("rules check: the corpus limit takes a fixed sample, and bad options exit 2") {
  GitRepo repo;
  repo.write("rules/zeta.toml", k_zeta_rule);
  for (const char* name : {"one", "two", "three"}) {
    repo.write(std::string("corpus/") + name + ".txt", filler(6000) + "zeta1234\n");  // 0.6 MB each
  }
  const std::string base = "rules check --rules rules --corpus corpus --max-per-100mb 400";
  auto limited = repo.leakstop(base + " --corpus-limit 1");
  CHECK(limited.rc == 0);
  CHECK_THAT(limited.out, Catch::Contains("2 text files, 1.2 MB of corpus (first 1 MB by path hash)"));
  CHECK_THAT(limited.out, Catch::Contains("demo.zeta (2)"));
  auto listed = [](const std::string& out) {
    std::string files;
    for (const char* name : {"one", "two", "three"}) {
      files += out.find(std::string("corpus/") + name + ".txt:6001:1") != std::string::npos ? name : "-";
    }
    return files;
  };
  const std::string first = listed(limited.out);
  CHECK(std::count(first.begin(), first.end(), '-') == 1);
  CHECK(listed(repo.leakstop(base + " --corpus-limit 1").out) == first);
  CHECK_THAT(repo.leakstop(base).out, Catch::Contains("3 text files, 1.8 MB of corpus (all of it)"));
  auto missing = repo.leakstop("rules check --rules rules --corpus no/such/dir");
  CHECK(missing.rc == 2);
  CHECK_THAT(missing.out, Catch::Contains("--corpus no/such/dir: not a directory"));
  CHECK(repo.leakstop(base + " --max-per-100mb -1").rc == 2);
}
