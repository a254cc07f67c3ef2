// gitleaks configurations (--config gitleaks.toml) on leakstop's engine:
// custom rules, rule and global allowlists, [extend], .gitleaksignore, and
// clear errors for what is not supported. The configurations are written
// here, for this suite.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "git_fixture.hpp"
#include "report_checks.hpp"

using leakstop::test::GitRepo;
using nlohmann::json;

namespace {

const std::string k_acme = "acme_k3j9x2m8q7w4e6r1t5y0u2i8";
const std::string k_acme_sample = "acme_sample9x2m8q7w4e6r1t5y0u";
const std::string k_stripe = "sk_live_51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh";
const std::string k_github = "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";

const std::string k_config = R"(title = "leakstop test suite"

[[rules]]
id = "acme-api-key"
description = "Acme API key"
regex = '''(?i)acme[_-]?key\s*[:=]\s*['"]?(acme_[a-z0-9]{24})'''
secretGroup = 1
entropy = 3.0
keywords = ["acme"]
tags = ["key", "Acme"]
  [[rules.allowlists]]
  description = "fixtures say so"
  regexTarget = "line"
  regexes = ['''#\s*test-fixture''']
  [[rules.allowlists]]
  condition = "AND"
  paths = ['''^docs/''']
  stopwords = ["sample"]

[[rules]]
id = "internal-token"
regex = '''itk-[0-9a-f]{32}'''
keywords = ["itk-"]
  [rules.allowlist]
  regexTarget = "match"
  regexes = ['''^itk-0{32}$''']

[[rules]]
id = "two-groups"
regex = '''(?:tokA=([a-z]{12})|tokB=([0-9]{12}))'''

[[rules]]
id = "pem-file"
description = "PEM file"
path = '''\.pem$'''

[[allowlists]]
description = "vendored code"
paths = ['''^vendor/''']

[[allowlists]]
targetRules = ["internal-token"]
stopwords = ["deadbeef"]
)";

void write_tree(GitRepo& repo) {
  repo.write("gitleaks.toml", k_config);
  repo.write("src/app.py", "ACME_KEY = \"" + k_acme + "\"\nSTRIPE = \"" + k_stripe + "\"\n");
  repo.write("src/fixture.py", "ACME_KEY = \"" + k_acme + "\"  # test-fixture\n");
  repo.write("src/inline.py", "ACME_KEY = \"" + k_acme + "\"  # gitleaks:allow\n");
  repo.write("src/low.py", "ACME_KEY = \"acme_aaaaaaaaaaaaaaaaaaaaaaaa\"\n");
  repo.write("src/sample.py", "acme_key = " + k_acme_sample + "\n");
  repo.write("docs/sample.md", "acme_key: " + k_acme_sample + "\n");
  repo.write("docs/real.md", "acme_key: " + k_acme + "\n");
  repo.write("vendor/lib.py", "ACME_KEY = \"" + k_acme + "\"\n");
  repo.write("src/tokens.txt", "a itk-00000000000000000000000000000000\nb itk-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e\n"
                               "c itk-0a1b2c3ddeadbeef4e5f60718293a4b5\n");
  repo.write("src/groups.txt", "tokB=123456789012\n");
  repo.write("keys/server.pem", "not really a key\n");
}

} // namespace

TEST_CASE("a gitleaks config's rules find, and its allowlists suppress, what they should") {
  GitRepo repo;
  write_tree(repo);
  auto r = repo.leakstop("scan --config gitleaks.toml --format json .");
  INFO(r.out);
  REQUIRE(r.rc == 1);
  leakstop::test::require_valid_json_report(repo, r.out);
  auto j = json::parse(r.out);
  std::vector<std::string> found;
  for (const auto& f : j) {
    found.push_back(f["path"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + " " +
                    f["rule_id"].get<std::string>());
  }
  // Not found: the fixture line, the gitleaks:allow line, the low-entropy
  // key, docs/sample.md (AND: docs/ and "sample"), vendor/ (global path),
  // the all-zero token (match regex), the deadbeef token (targetRules), and
  // the Stripe key: without [extend] useDefault, leakstop's rules are off.
  CHECK(found == std::vector<std::string>{"docs/real.md:1 acme-api-key", "keys/server.pem:0 pem-file",
                                          "src/app.py:1 acme-api-key", "src/groups.txt:1 two-groups",
                                          "src/sample.py:1 acme-api-key", "src/tokens.txt:2 internal-token"});
  CHECK(j[2]["column"] == 13);
  CHECK(j[2]["description"] == "Acme API key");
  CHECK(j[2]["secret"] == "acme_k3j9…");
  CHECK(j[3]["secret"] == "1234…");  // no secretGroup: the first group that matched
  CHECK(j[5]["secret"] == "itk-3f9a1c7e…");  // no capture group: the whole match
  auto shown = leakstop::test::json_report(repo, "scan --config gitleaks.toml --format json --show-secrets src/groups.txt");
  CHECK(shown[0]["secret"] == "123456789012");
}

TEST_CASE("gitleaks extend: useDefault keeps leakstop's rules, disabledRules and rule extensions apply to them") {
  GitRepo repo;
  repo.write("both.txt", "STRIPE=" + k_stripe + "\nsee " + k_github + "\nACME_KEY=" + k_acme + "\n");
  repo.write("extend.toml", R"([extend]
useDefault = true
disabledRules = ["stripe.live-secret-key"]

[[rules]]
id = "acme-api-key"
regex = '''(?i)acme[_-]?key\s*[:=]\s*['"]?(acme_[a-z0-9]{24})'''
)");
  auto ids = [&](const std::string& config) {
    std::vector<std::string> out;
    for (const auto& f : leakstop::test::json_report(repo, "scan --config " + config + " --format json both.txt")) {
      out.push_back(f["rule_id"].get<std::string>());
    }
    return out;
  };
  CHECK(ids("extend.toml") == std::vector<std::string>{"github.pat-classic", "acme-api-key"});
  repo.write("extend2.toml", repo.read("extend.toml") + R"(
[[rules]]
id = "github.pat-classic"
  [[rules.allowlists]]
  stopwords = ["zcvv"]
)");
  CHECK(ids("extend2.toml") == std::vector<std::string>{"acme-api-key"});
  repo.write("base.toml", "[[rules]]\nid = \"acme-api-key\"\nregex = '''acme_[a-z0-9]{24}'''\n");
  repo.write("child.toml", "[extend]\npath = \"base.toml\"\n[[rules]]\nid = \"acme-api-key\"\ndescription = \"Acme, extended\"\n");
  auto child = leakstop::test::json_report(repo, "scan --config child.toml --format json both.txt");
  REQUIRE(child.size() == 1);
  CHECK(child[0]["description"] == "Acme, extended");
  CHECK(child[0]["secret"] == "acme_k3j9…");
}

TEST_CASE(".gitleaksignore entries name gitleaks rule ids") {
  GitRepo repo;
  write_tree(repo);
  repo.write(".gitleaksignore", "# reviewed\nsrc/app.py:acme-api-key:1\nsrc/tokens.txt:internal-token:2\n");
  // stderr apart: a repository's ignore files are named there on every scan (issue 11).
  const std::string notes = (repo.tmp() / "notes.txt").string();
  auto r = repo.leakstop("scan --config gitleaks.toml --format json src/app.py src/tokens.txt 2>" + leakstop::test::quote(notes));
  CHECK(r.rc == 0);
  leakstop::test::require_valid_json_report(repo, r.out);
  CHECK(r.out == "[]\n");
  CHECK_THAT(GitRepo::read_bytes(notes), Catch::Contains("repository config: .gitleaksignore: ignores 2 findings"));
}

TEST_CASE("what leakstop cannot honour in a gitleaks config is a clear error, exit 2") {
  GitRepo repo;
  repo.write("a.txt", "x\n");
  auto error_of = [&](const std::string& config) {
    repo.write("bad.toml", config);
    return repo.leakstop("scan --no-cache --config bad.toml a.txt");
  };
  auto composite = error_of("[[rules]]\nid = \"p\"\nregex = '''x{3}'''\n[[rules.required]]\nid = \"q\"\n");
  CHECK(composite.rc == 2);
  CHECK_THAT(composite.out, Catch::Contains("bad.toml:") && Catch::Contains("rule 'p': gitleaks key 'required' is not supported"));
  auto both = error_of("[extend]\nuseDefault = true\npath = \"other.toml\"\n");
  CHECK(both.rc == 2);
  CHECK_THAT(both.out, Catch::Contains("takes useDefault or path, not both"));
  auto unknown = error_of("[extend]\nuseDefault = true\n[[rules]]\nid = \"gitlab-pat\"\n[[rules.allowlists]]\nregexes = ['''x''']\n");
  CHECK(unknown.rc == 2);
  CHECK_THAT(unknown.out, Catch::Contains("rule 'gitlab-pat': no regex or path, and no rule of that id to extend") &&
                            Catch::Contains("leakstop rules list"));
  auto hyperscan = error_of("[[rules]]\nid = \"ungreedy\"\nregex = '''(?U)acme[a-z]{8,}'''\n");
  CHECK(hyperscan.rc == 2);
  CHECK_THAT(hyperscan.out, Catch::Contains("bad.toml:1: rule 'ungreedy': Hyperscan:"));
  auto target = error_of("[[rules]]\nid = \"t\"\nregex = '''x{3}'''\n[rules.allowlist]\nregexTarget = \"commit\"\nregexes = ['''x''']\n");
  CHECK(target.rc == 2);
  CHECK_THAT(target.out, Catch::Contains("regexTarget 'commit' is not secret, match or line"));
  auto top = error_of("[whitelist]\nfiles = ['''x''']\n");
  CHECK(top.rc == 2);
  CHECK_THAT(top.out, Catch::Contains("gitleaks key 'whitelist' is not supported"));
  auto missing = repo.leakstop("scan --config nope.toml a.txt");
  CHECK(missing.rc == 2);
  CHECK_THAT(missing.out, Catch::Contains("nope.toml: cannot read"));
}

// tests/fuzz/fuzz_gitleaks (regress-extend-path-too-long): fs::exists threw
// filesystem_error ("File name too long"), which is no configuration error.
TEST_CASE("a gitleaks extend path too long for the file system cannot be read, exit 2") {
  GitRepo repo;
  repo.write("a.txt", "x\n");
  const std::string name(300, 'x');
  repo.write("long.toml", "[extend]\npath = \"" + name + ".toml\"\n");
  auto r = repo.leakstop("scan --no-cache --config long.toml a.txt");
  CHECK(r.rc == 2);
  CHECK_THAT(r.out, Catch::Contains(name + ".toml: cannot read"));
}
