#include <catch2/catch.hpp>

#include "engine/scanner.hpp"

using namespace leakstop;

namespace {

const char* k_rules = R"([[rule]]
id = "demo.token"
description = "Demo token"
severity = "high"
confidence = "high"
regex = '''\b(dmo_[a-zA-Z0-9]{20,40})\b'''
keywords = ["dmo_"]
remediation = "Rotate it."

[[rule]]
id = "demo.generic"
description = "Generic assignment"
severity = "medium"
confidence = "low"
regex = '''(?i)token\s*=\s*["']?([a-zA-Z0-9_]{16,64})'''
keywords = ["token"]
remediation = "Move it out."

[[rule]]
id = "demo.scoped"
description = "Only in .npmrc"
severity = "high"
regex = '''authToken=([a-z0-9]{12})'''
path = '''(?:^|/)\.npmrc$'''
keywords = ["authtoken"]
remediation = "Rotate it."

[[rule]]
id = "demo.keyfile"
description = "Key file"
severity = "critical"
path = '''\.p12$'''
binary = true
remediation = "Remove it."
)";

std::shared_ptr<const engine::CompiledRules> demo_rules() {
  rules::RuleSet set;
  set.add_file_text(k_rules, "demo.toml", rules::Examples::optional);
  return engine::CompiledRules::compile(std::move(set));
}

engine::Scanner demo_scanner(const engine::ScanOptions& options = {}) {
  return engine::Scanner(demo_rules(), options);
}

const std::string k_token = "dmo_q8Zr2LmX0pW4nT7yB3cV";

} // namespace

TEST_CASE("a finding carries the exact secret, its line and column") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan("first line\n  key: " + k_token + " # tail\n", "a.yml");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule_id == "demo.token");
  CHECK(findings[0].secret == k_token);
  CHECK(findings[0].location.path == "a.yml");
  CHECK(findings[0].location.line == 2);
  CHECK(findings[0].location.column == 8);
  CHECK(findings[0].offset == 18);
}

TEST_CASE("Hyperscan reports every end of a long match, one finding results") {
  auto scanner = demo_scanner();
  std::string long_token = "dmo_q8Zr2LmX0pW4nT7yB3cVa9s8d7f6g5h4j3k2";  // 40 characters after the prefix
  auto findings = scanner.scan(long_token, "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].secret == long_token);
}

TEST_CASE("two secrets of one rule on one line are two findings") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan(k_token + " " + "dmo_Kd9sQ2mZ7xW1vB4nR8tY", "f");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].location.column == 1);
  CHECK(findings[1].location.column == 26);
}

TEST_CASE("overlapping findings keep the most specific rule") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan("token = " + k_token, "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule_id == "demo.token");
  engine::ScanOptions all;
  all.overlap = engine::Overlap::keep_all;
  CHECK(demo_scanner(all).scan("token = " + k_token, "f").size() == 2);
}

TEST_CASE("CRLF line endings do not shift lines or columns") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan("a\r\nb\r\nx=" + k_token + "\r\n", "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.line == 3);
  CHECK(findings[0].location.column == 3);
  CHECK(findings[0].secret == k_token);
}

TEST_CASE("a secret deep inside a large input is found at the right line") {
  std::string big;
  for (int i = 0; i < 200000; ++i) {
    big += "lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
  }
  big += "k=" + k_token + "\n";
  auto findings = demo_scanner().scan(big, "big.txt");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.line == 200001);
}

TEST_CASE("inline leakstop:allow and gitleaks:allow suppress a finding on that line only") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("k=" + k_token + " # leakstop:allow\n", "f").empty());
  CHECK(scanner.scan("k=" + k_token + " // gitleaks:allow\n", "f").empty());
  CHECK(scanner.scan("# leakstop:allow\nk=" + k_token + "\n", "f").size() == 1);
}

TEST_CASE("global allowlist: paths, secret regexes, stopwords") {
  engine::ScanOptions options;
  options.allowlist.paths = {"^fixtures/"};
  options.allowlist.regexes = {"^dmo_q8"};
  options.allowlist.stopwords = {"kd9s"};
  auto scanner = demo_scanner(options);
  CHECK(scanner.path_allowlisted("fixtures/a.txt"));
  CHECK_FALSE(scanner.path_allowlisted("src/a.txt"));
  CHECK(scanner.scan(k_token, "f").empty());
  CHECK(scanner.scan("dmo_Kd9sQ2mZ7xW1vB4nR8tY", "f").empty());
  CHECK(scanner.scan("dmo_Zx8Cv7Bn6Mq5Wr4Et3Yu", "f").size() == 1);
}

TEST_CASE("path-scoped rules only fire on their paths") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("//registry/:_authToken=a1b2c3d4e5f6\n", "app/.npmrc").size() == 1);
  CHECK(scanner.scan("//registry/:_authToken=a1b2c3d4e5f6\n", "app/notes.txt").empty());
}

TEST_CASE("path rules fire on the name, binary files only for rules that want them") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan_path("certs/client.p12", engine::Binary::yes);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].path_rule);
  CHECK(findings[0].rule_id == "demo.keyfile");
  CHECK(scanner.scan_path("certs/client.pem", engine::Binary::no).empty());
}

TEST_CASE("placeholders are not reported") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("token = xxxxxxxxxxxxxxxxxxxx", "f").empty());
  CHECK(scanner.scan("token = your_token_goes_here_now", "f").empty());
}

TEST_CASE("a secret at the very start and very end of the input") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan(k_token, "f").size() == 1);
  CHECK(scanner.scan("x " + k_token, "f").size() == 1);
}
