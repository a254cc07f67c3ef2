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

namespace {

// Hand-encoded forms of k_token ("dmo_q8Zr2LmX0pW4nT7yB3cV").
const std::string k_token_base64 = "ZG1vX3E4WnIyTG1YMHBXNG5UN3lCM2NW";
const std::string k_token_hex = "646d6f5f71385a72324c6d58307057346e54377942336356";

} // namespace

TEST_CASE("decoding: a base64 Kubernetes Secret value is found at its encoded span") {
  auto scanner = demo_scanner();
  auto findings = scanner.scan("kind: Secret\ndata:\n  api: " + k_token_base64 + "\n", "secret.yml");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule_id == "demo.token");
  CHECK(findings[0].secret == k_token);
  CHECK(findings[0].decoded == "base64");
  CHECK(findings[0].location.line == 3);
  CHECK(findings[0].location.column == 8);
  CHECK(findings[0].end_line == 3);
  CHECK(findings[0].fingerprint == scanner.scan(k_token, "f")[0].fingerprint);
}

TEST_CASE("decoding: basic-auth headers, data URIs, query strings, hex and escapes") {
  auto scanner = demo_scanner();
  struct Case {
    std::string text;
    std::string how;
    std::uint32_t column;
  };
  // "user:dmo_..." in base64 (RFC 7617 user-pass).
  for (const Case& c : {Case{"Authorization: Basic dXNlcjpkbW9fcThacjJMbVgwcFc0blQ3eUIzY1Y=", "base64", 22},
                        Case{"src=\"data:text/plain;base64," + k_token_base64 + "\"", "base64", 29},
                        Case{"GET /v1?key=dmo%5Fq8Zr2LmX0pW4nT7yB3cV&x=1", "percent", 5},
                        Case{"blob = 0x" + k_token_hex, "hex", 10},
                        Case{R"(const t = "\x64\x6d\x6f_q8Zr2LmX0pW4nT7yB3cV";)", "escape", 12},
                        Case{R"({"t": "\u0064mo_q8Zr2LmX0pW4nT7yB3cV"})", "escape", 8}}) {
    INFO(c.text);
    auto findings = scanner.scan("\n" + c.text + "\n", "f");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].secret == k_token);
    CHECK(findings[0].decoded == c.how);
    CHECK(findings[0].location.line == 2);
    CHECK(findings[0].location.column == c.column);
  }
}

TEST_CASE("decoding: base64 inside base64 needs depth 2, and says so") {
  // base64 of {"auths":{"r":{"auth":"<base64 of u:dmo_...>"}}}
  const std::string docker =
    "eyJhdXRocyI6eyJyIjp7ImF1dGgiOiJkVHBrYlc5ZmNUaGFjakpNYlZnd2NGYzBibFEzZVVJelkxWT0ifX19";
  auto deep = demo_scanner().scan(".dockerconfigjson: " + docker + "\n", "f");
  REQUIRE(deep.size() == 1);
  CHECK(deep[0].secret == k_token);
  CHECK(deep[0].decoded == "base64>base64");
  CHECK(deep[0].location.column == 20);
  engine::ScanOptions shallow;
  shallow.decode.depth = 1;
  CHECK(demo_scanner(shallow).scan(".dockerconfigjson: " + docker + "\n", "f").empty());
}

TEST_CASE("decoding: the key name before an encoded value still counts") {
  // demo.generic needs `token =` before the value; in plain text the
  // escape hides the value from it.
  auto findings = demo_scanner().scan(R"(token = "\x5aq3Lr8Xv2Nw7Kp4Ty9Bm")" "\n", "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule_id == "demo.generic");
  CHECK(findings[0].secret == "Zq3Lr8Xv2Nw7Kp4Ty9Bm");
  CHECK(findings[0].decoded == "escape");
  CHECK(findings[0].location.column == 10);
  // When the plain text matched already (the base64 itself looks like a
  // token), that finding stands and the decoded one is not added.
  auto plain = demo_scanner().scan("token = WnEzTHI4WHYyTnc3S3A0VHk5Qm0=\n", "f");
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].secret == "WnEzTHI4WHYyTnc3S3A0VHk5Qm0");
  CHECK(plain[0].decoded.empty());
}

TEST_CASE("decoding: no double report when the plain text already matched") {
  auto scanner = demo_scanner();
  // The token in plain text and, on another line, its base64: two places, two findings.
  auto two = scanner.scan(k_token + "\n" + k_token_base64 + "\n", "f");
  REQUIRE(two.size() == 2);
  CHECK(two[0].decoded.empty());
  CHECK(two[1].decoded == "base64");
  // A percent-encoded query holding base64 reaches the token twice; one finding.
  auto one = scanner.scan("u?k=" + k_token_base64 + "%3D%3D&x=%41%42\n", "f");
  REQUIRE(one.size() == 1);
  CHECK(one[0].decoded == "base64");
}

TEST_CASE("decoding: hashes, identifiers and binary do not decode, and --no-decode turns it off") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("sha = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n", "f").empty());
  CHECK(scanner.scan("some_long_identifier_name_here AnotherLongIdentifierName\n", "f").empty());
  engine::ScanOptions off;
  off.decode.depth = 0;
  CHECK(demo_scanner(off).scan("api: " + k_token_base64 + "\n", "f").empty());
}

TEST_CASE("decoding: leakstop:allow on the encoded line, and the byte budget") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("api: " + k_token_base64 + " # leakstop:allow\n", "f").empty());
  engine::ScanOptions tight;
  tight.decode.max_bytes = 40;  // room for the first decoded span only
  auto findings = demo_scanner(tight).scan("a: " + k_token_base64 + "\nb: " + k_token_hex + "\n", "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.line == 1);
}

TEST_CASE("decoding: base64 is found at every alignment, in long lines and long runs") {
  auto scanner = demo_scanner();
  // Long lines take the 64-byte vector path, their tails the scalar one.
  const std::string words = "the quick brown fox jumps over the lazy dog and then some more words to fill a line ";
  for (std::size_t shift = 0; shift < 80; ++shift) {
    std::string line = words.substr(0, shift) + "k: " + k_token_base64 + " " + words + words;
    auto findings = scanner.scan(line, "f");
    INFO("shift " << shift);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].location.column == shift + 4);
  }
  // A 108-character run (base64 -w0 of "description: a long line of text that wraps the secret; dmo_...").
  const std::string long_run =
    "ZGVzY3JpcHRpb246IGEgbG9uZyBsaW5lIG9mIHRleHQgdGhhdCB3cmFwcyB0aGUgc2VjcmV0OyBkbW9fcThacjJMbVgwcFc0blQ3eUIzY1Y=";
  auto findings = scanner.scan(words + long_run + "\n", "f");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].secret == k_token);
  CHECK(findings[0].location.column == words.size() + 1);
}

TEST_CASE("secret_group -1: the secret is the first capture group that matched") {
  // One group per syntax: a quoted value runs to its closing quote (spaces
  // and '&' included), an unquoted one to whitespace.
  const char* rules_text = R"x([[rule]]
id = "demo.quoted"
description = "Quoted or bare value"
severity = "medium"
regex = '''pw\s?=\s?(?:"([^"\r\n]{6,60})"|([^\s"]{6,60})(?:\s|$))'''
secret_group = -1
keywords = ["pw"]
remediation = "Rotate it."
)x";
  rules::RuleSet set;
  set.add_file_text(rules_text, "demo.toml", rules::Examples::optional);
  engine::Scanner scanner(engine::CompiledRules::compile(std::move(set)), {});
  auto quoted = scanner.scan("pw = \"y&x5Z# q9\"\n", "a.py");
  REQUIRE(quoted.size() == 1);
  CHECK(quoted[0].secret == "y&x5Z# q9");
  auto bare = scanner.scan("pw=Kd9sQ2&mZ7 rest\n", "a.env");
  REQUIRE(bare.size() == 1);
  CHECK(bare[0].secret == "Kd9sQ2&mZ7");
}

TEST_CASE("context shared by several secrets: each secret is its own finding") {
  // A lazy context before the secret (the head of a manifest, then any
  // lines): every key line ends a match of its own.
  const char* rules_text = R"([[rule]]
id = "demo.manifest"
description = "Key lines after a header"
severity = "medium"
regex = '''(?s)header:\n.{0,200}?\n  \w{0,20}key: ([A-Za-z0-9]{12,40})\n'''
keywords = ["header"]
remediation = "Rotate it."
)";
  rules::RuleSet set;
  set.add_file_text(rules_text, "demo.toml", rules::Examples::optional);
  engine::Scanner scanner(engine::CompiledRules::compile(std::move(set)), {});
  auto findings = scanner.scan("header:\n  name: x\n  akey: Kd9sQ2mZ7xW1vB4n\n  other: y\n  bkey: q8Zr2LmX0pW4nT7y\n", "m.yml");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].secret == "Kd9sQ2mZ7xW1vB4n");
  CHECK(findings[1].secret == "q8Zr2LmX0pW4nT7y");
}

TEST_CASE("a value that may run over the next key: the next key's secret is still found") {
  // Unquoted values may hold '&' and '=', and end at '&name=': a match from
  // the first key can run over the second; the second hit is its own finding.
  const char* rules_text = R"x([[rule]]
id = "demo.query"
description = "Query parameter"
severity = "medium"
regex = '''(?:^|[^\w])\w{0,20}?token=([A-Za-z0-9][^\s"]{0,60}?)(?:"|&\w{1,20}=|$)'''
keywords = ["token"]
remediation = "Rotate it."
)x";
  rules::RuleSet set;
  set.add_file_text(rules_text, "demo.toml", rules::Examples::optional);
  engine::Scanner scanner(engine::CompiledRules::compile(std::move(set)), {});
  auto findings = scanner.scan("u = \"oauth_token=Kd9sQ2mZ7xW1&refresh_token=q8Zr2LmX0pW4&realm=x\"\n", "a.py");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].secret == "Kd9sQ2mZ7xW1");
  CHECK(findings[1].secret == "q8Zr2LmX0pW4");
}

TEST_CASE("documentation samples: the RFC 6749 example tokens are not reported") {
  auto scanner = demo_scanner();
  CHECK(scanner.scan("token = 2YotnFZFEjr1zCsicMWpAA\nrefresh_token = tGzv3JOkF0XG5Qx2TlKWIA\n", "oauth.py").empty());
  CHECK(scanner.scan("token = 2YotnFZFEjr1zCsicMWpAB\n", "oauth.py").size() == 1);
}

TEST_CASE("decoding: when the budget runs out, the scanner says where") {
  const std::string text = "a: " + k_token_base64 + "\nb: " + k_token_hex + "\n";
  engine::ScanOptions tight;
  tight.decode.max_bytes = 40;  // room for the first decoded span only
  auto scanner = demo_scanner(tight);
  CHECK(scanner.scan(text, "f").size() == 1);
  // The hex on line 2 was not decoded: its offset is reported.
  REQUIRE(scanner.decode_stopped_at());
  CHECK(*scanner.decode_stopped_at() == text.find(k_token_hex));
  // The next scan starts afresh.
  CHECK(scanner.scan("a: " + k_token_base64 + "\n", "f").size() == 1);
  CHECK_FALSE(scanner.decode_stopped_at());
}

TEST_CASE("decoding: a run of any length is decoded within the budget, and past it only text is a skip") {
  // 90,000 characters of base64 around the token: longer than any span limit.
  std::string filler;
  while (filler.size() < 90'000) {
    filler += "bm90aGluZyB0byBzZWUgaGVyZSwgbW92ZSBhbG9uZy4g";  // "nothing to see here, move along. "
  }
  const std::string run = filler + k_token_base64;
  auto scanner = demo_scanner();
  auto found = scanner.scan("blob: " + run + "\n", "f");
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == k_token);
  CHECK_FALSE(scanner.decode_stopped_at());
  // Over a budget of 1,000 bytes: the run of text is reported as not decoded...
  engine::ScanOptions small;
  small.decode.max_bytes = 1000;
  auto limited = demo_scanner(small);
  CHECK(limited.scan("blob: " + run + "\n", "f").empty());
  REQUIRE(limited.decode_stopped_at());
  CHECK(*limited.decode_stopped_at() == 6);
  // ...but one of binary (base64 of "\x0bXY" repeated: not text) is no loss.
  std::string binary;
  while (binary.size() < 4000) {
    binary += "C1hZ";
  }
  CHECK(limited.scan("img: " + binary + "\n", "f").empty());
  CHECK_FALSE(limited.decode_stopped_at());
}
