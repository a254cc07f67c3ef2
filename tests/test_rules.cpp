#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "engine/compiled_rules.hpp"
#include "engine/examples.hpp"
#include "git_fixture.hpp"
#include "sample_rules.hpp"
#include "rules/rule_codec.hpp"
#include "rules/repo_config.hpp"
#include "rules/ruleset.hpp"

using namespace leakstop;

namespace {

std::string load_error(const std::string& text) {
  rules::RuleSet set;
  try {
    set.add_file_text(text, "bad.toml", rules::Examples::required);
    engine::CompiledRules::validate_and_compile(std::move(set));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* k_valid_rule = leakstop::test::k_token_rule;

std::string with(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

} // namespace

TEST_CASE("a valid rule file loads") {
  CHECK(load_error(k_valid_rule).empty());
}

TEST_CASE("a rule file's 'rule' must be an array of tables, and its fields typed") {
  CHECK_THAT(load_error("rule = 1\n"), Catch::Contains("bad.toml:1:") && Catch::Contains("'rule' must be an array of tables"));
  CHECK_THAT(load_error("rule = [1]\n"), Catch::Contains("bad.toml:1:") && Catch::Contains("'rule' must hold tables"));
  CHECK_THAT(load_error("rule = []\n"), Catch::Contains("no [[rule]] tables"));
  CHECK_THAT(load_error(with(k_valid_rule, "severity = \"high\"", "severity = \"high\"\nbinary = \"yes\"")),
             Catch::Contains("bad.toml:5:") && Catch::Contains("rule 'demo.token': field 'binary' must be true or false"));
  CHECK_THAT(load_error(with(k_valid_rule, "severity = \"high\"", "severity = \"high\"\nmin_entropy = \"3\"")),
             Catch::Contains("field 'min_entropy' must be a number"));
}

TEST_CASE("rule file errors name the file, the line and the rule") {
  SECTION("bad regex") {
    auto e = load_error(with(k_valid_rule, "[a-zA-Z0-9]{20}", "[a-zA-Z0-9{20}"));
    CHECK_THAT(e, Catch::Contains("bad.toml:1") && Catch::Contains("demo.token") && Catch::Contains("bad content regex"));
  }
  SECTION("duplicate id") {
    auto e = load_error(std::string(k_valid_rule) + "\n" + k_valid_rule);
    CHECK_THAT(e, Catch::Contains("bad.toml:11") && Catch::Contains("demo.token") && Catch::Contains("duplicate id"));
  }
  SECTION("an example that fails") {
    auto e = load_error(with(k_valid_rule, "dmo_Kd9sQ2mZ7xW1vB4nR8tY", "dmo_tooShort"));
    CHECK_THAT(e, Catch::Contains("demo.token") && Catch::Contains("example 2 is not reported"));
  }
  SECTION("a negative example that matches") {
    auto e = load_error(with(k_valid_rule, "\"dmo_short\"", "\"dmo_Zx8Cv7Bn6Mq5Wr4Et3Yu\""));
    CHECK_THAT(e, Catch::Contains("demo.token") && Catch::Contains("negative example 1 is reported"));
  }
  SECTION("missing field") {
    auto e = load_error(with(k_valid_rule, "severity = \"high\"\n", ""));
    CHECK_THAT(e, Catch::Contains("demo.token") && Catch::Contains("missing required field 'severity'"));
  }
  SECTION("unknown severity") {
    CHECK_THAT(load_error(with(k_valid_rule, "\"high\"", "\"severe\"")), Catch::Contains("severity 'severe'"));
  }
  SECTION("invalid TOML") {
    CHECK_THAT(load_error("[[rule]\nid = 1"), Catch::Contains("bad.toml:1") && Catch::Contains("invalid TOML"));
  }
  SECTION("unknown field") {
    CHECK_THAT(load_error(with(k_valid_rule, "keywords", "keyword")), Catch::Contains("unknown field 'keyword'"));
  }
  SECTION("secret_group below -1") {
    CHECK_THAT(load_error(with(k_valid_rule, "keywords =", "secret_group = -2\nkeywords =")),
               Catch::Contains("secret_group must be -1"));
  }
  SECTION("a float where an integer belongs") {
    // toml++ would cast 1e25 to int64_t, which is undefined (tests/fuzz).
    CHECK_THAT(load_error(with(k_valid_rule, "keywords", "secret_group = 1e25\nkeywords")),
               Catch::Contains("bad.toml:6") && Catch::Contains("field 'secret_group' must be an integer"));
  }
  SECTION("regex Hyperscan cannot compile") {
    auto e = load_error(with(k_valid_rule, "\\b(dmo_", "\\b(?:(?:dmo_)\\1)?(dmo_"));
    CHECK_THAT(e, Catch::Contains("demo.token"));
  }
}

TEST_CASE("secret_group -1 takes the first capture group that matched") {
  // One group per quoting style: the quoted value runs to its closing quote.
  const char* rule = R"x([[rule]]
id = "demo.token"
description = "Demo token"
severity = "high"
regex = '''dmo=(?:"(dmo_[^"\n]{20,40})"|(dmo_[a-zA-Z0-9]{20})\b)'''
secret_group = -1
keywords = ["dmo_"]
remediation = "Rotate it."
examples = ['dmo="dmo_q8Zr2 mX0&W4nT7yB3cV"', "dmo=dmo_Kd9sQ2mZ7xW1vB4nR8tY"]
negative_examples = ["dmo=dmo_short", "dmo=xmo_q8Zr2LmX0pW4nT7yB3cV"]
)x";
  CHECK(load_error(rule).empty());
}

TEST_CASE("every shipped rule's examples pass through Hyperscan and RE2") {
  rules::RuleSet set;
  set.add_directory(LEAKSTOP_TEST_RULES_DIR, rules::Examples::required);
  REQUIRE(set.rules().size() >= 10);
  auto compiled = engine::CompiledRules::compile(std::move(set));
  auto failures = engine::test_examples(*compiled);
  for (const auto& failure : failures) {
    UNSCOPED_INFO(failure.rule->source_file << ": " << failure.rule->id << ": " << failure.reason);
  }
  CHECK(failures.empty());
}

TEST_CASE("every shipped rule has remediation text and a source-of-truth comment") {
  rules::RuleSet set;
  set.add_directory(LEAKSTOP_TEST_RULES_DIR, rules::Examples::required);
  for (const auto& rule : set.rules()) {
    INFO(rule.id);
    CHECK(rule.remediation.size() > 20);
  }
  for (const auto& entry : std::filesystem::directory_iterator(LEAKSTOP_TEST_RULES_DIR)) {
    std::string text = test::GitRepo::read_bytes(entry.path());
    INFO(entry.path().string());
    CHECK_THAT(text.substr(0, 2000), Catch::Contains("of truth", Catch::CaseSensitive::No));
  }
}

TEST_CASE("keywords are checked case-insensitively against every match of the positive examples") {
  auto rules_with = [](const std::string& keywords) {
    std::string text = with(with(k_valid_rule, "[\"dmo_\"]", keywords), "\\b(dmo_", "(?i)\\b(dmo_");
    text = with(text, "\"dmo_Kd9sQ2mZ7xW1vB4nR8tY\"", "\"DMO_Kd9sQ2mZ7xW1vB4nR8tY and dmo_Zx8Cv7Bn6Mq5Wr4Et3Yu\"");
    rules::RuleSet set;
    set.add_file_text(text, "k.toml", rules::Examples::required);
    return set;
  };
  CHECK(engine::test_keywords(rules_with("[\"dmo_\"]").rules()).empty());
  CHECK(engine::test_keywords(rules_with("[\"DMO_\"]").rules()).empty());  // keywords are lowercased when loaded
  rules::RuleSet set = rules_with("[\"q8z\", \"kd9s\"]");
  auto failures = engine::test_keywords(set.rules());
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].rule->id == "demo.token");
  CHECK(failures[0].reason == "example 2: no keyword (q8z, kd9s) in what the rule matches: dmo_Zx8Cv7Bn6Mq5Wr4Et3Yu");
}

TEST_CASE("the compiled-rules cache codec round-trips every field of a rule") {
  // Every field differs from its default, so a field the codec drops or
  // swaps with another of its type cannot come back equal.
  rules::Rule r;
  r.id = "codec.every-field";
  r.description = "A rule with every field set";
  r.severity = Severity::critical;
  r.confidence = Confidence::high;
  r.regex = R"(\b(cdc_[a-z0-9]{16})\b)";
  r.secret_group = -1;
  r.keywords = {"cdc_", "codec"};
  r.min_entropy = 3.25;
  r.path_regex = R"((^|/)codec\.cfg$)";
  r.validator = Validator::luhn;
  r.allow_regexes = {"^cdc_0+$"};
  r.allow_line_regexes = {"EXAMPLE", "sample line"};
  r.stopwords = {"dummy"};
  r.placeholder_filter = false;
  r.binary = true;
  r.remediation = "Rotate the codec key.";
  r.link = "https://example.org/rotate";
  r.link_title = "Rotating codec keys";
  rules::RuleAllowlist all;
  all.condition = rules::RuleAllowlist::Condition::all;
  all.regex_target = rules::RuleAllowlist::Target::line;
  all.regexes = {"allow-line"};
  all.paths = {"^vendor/"};
  all.stopwords = {"fixture"};
  all.commits = {"0123456789abcdef0123456789abcdef01234567"};
  rules::RuleAllowlist match;
  match.regex_target = rules::RuleAllowlist::Target::match;
  match.regexes = {"m1", "m2"};
  r.allowlists = {all, match};
  r.examples = {"cdc_0123456789abcdef"};
  r.negative_examples = {"cdc_short"};
  r.example_path = "conf/codec.cfg";
  r.source_file = "rules/codec.toml";
  r.source_line = 42;
  rules::Rule second;
  second.id = "codec.defaults";  // a rule of defaults after it: the stream stays aligned
  second.source_file = "rules/codec.toml";

  auto decoded = rules::decode_rules(rules::encode_rules({r, second}));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == 2);
  const rules::Rule& d = decoded->front();
  CHECK(d.id == r.id);
  CHECK(d.description == r.description);
  CHECK(d.severity == Severity::critical);
  CHECK(d.confidence == Confidence::high);
  CHECK(d.regex == r.regex);
  CHECK(d.secret_group == -1);
  CHECK(d.keywords == r.keywords);
  REQUIRE(d.min_entropy);
  CHECK(*d.min_entropy == 3.25);
  CHECK(d.path_regex == r.path_regex);
  CHECK(d.validator == Validator::luhn);
  CHECK(d.allow_regexes == r.allow_regexes);
  CHECK(d.allow_line_regexes == r.allow_line_regexes);
  CHECK(d.stopwords == r.stopwords);
  CHECK(d.placeholder_filter == false);
  CHECK(d.binary == true);
  CHECK(d.remediation == r.remediation);
  CHECK(d.link == r.link);
  CHECK(d.link_title == r.link_title);
  REQUIRE(d.allowlists.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    INFO("allowlist " << i);
    CHECK(d.allowlists[i].condition == r.allowlists[i].condition);
    CHECK(d.allowlists[i].regex_target == r.allowlists[i].regex_target);
    CHECK(d.allowlists[i].regexes == r.allowlists[i].regexes);
    CHECK(d.allowlists[i].paths == r.allowlists[i].paths);
    CHECK(d.allowlists[i].stopwords == r.allowlists[i].stopwords);
    CHECK(d.allowlists[i].commits == r.allowlists[i].commits);
  }
  CHECK(d.source_file == r.source_file);
  CHECK(d.source_line == 42);
  // Examples stay out of the cache by design: they ran when it was written.
  CHECK(d.examples.empty());
  CHECK(d.negative_examples.empty());
  CHECK(d.example_path.empty());

  const rules::Rule& e = decoded->back();
  CHECK(e.id == "codec.defaults");
  CHECK(e.severity == Severity::medium);
  CHECK(e.secret_group == 1);
  CHECK_FALSE(e.min_entropy);
  CHECK(e.placeholder_filter);
  CHECK_FALSE(e.binary);
  CHECK(e.allowlists.empty());

  SECTION("a truncated encoding is refused, not half-decoded") {
    std::string bytes = rules::encode_rules({r});
    for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
      INFO("cut at " << cut);
      CHECK_FALSE(rules::decode_rules(std::string_view(bytes).substr(0, cut)));
    }
  }
}

namespace {

std::string repo_config_error(const std::string& text) {
  try {
    rules::parse_repo_config(text, ".leakstop.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

} // namespace

// tests/fuzz/fuzz_repo_config (regress-float-size): toml++ cast 10E24 to
// int64_t, undefined behaviour on a file that comes with the repository.
TEST_CASE(".leakstop.toml: max_file_size is a positive integer, or an error naming the line") {
  CHECK(rules::parse_repo_config("max_file_size = 5_000_000\n", ".leakstop.toml").max_file_size == 5000000u);
  CHECK_THAT(repo_config_error("\nmax_file_size = 10E24\n"),
             Catch::Contains(".leakstop.toml:2:") && Catch::Contains("max_file_size must be a positive integer"));
  CHECK_THAT(repo_config_error("max_file_size = 5.0\n"), Catch::Contains("must be a positive integer"));
  CHECK_THAT(repo_config_error("max_file_size = \"5\"\n"), Catch::Contains("must be a positive integer"));
  CHECK_THAT(repo_config_error("max_file_size = 0\n"), Catch::Contains("must be a positive integer"));
}

TEST_CASE(".leakstop.toml: max_file_size with a unit, and true, floats, arrays and unknown units refused") {
  auto size = [](const std::string& value) {
    return rules::parse_repo_config("max_file_size = " + value + "\n", ".leakstop.toml").max_file_size;
  };
  CHECK(size("\"5MB\"") == 5'000'000u);
  CHECK(size("\"512KiB\"") == 512u * 1024);
  CHECK(size("\"1 GB\"") == 1'000'000'000u);
  CHECK(size("\"10mib\"") == 10u * 1024 * 1024);
  CHECK(size("\"2GiB\"") == 2ull * 1024 * 1024 * 1024);
  CHECK(size("\"100 B\"") == 100u);
  for (const char* bad : {"true", "\"big\"", "1.5", "[1]", "\"1.5GB\"", "\"5 XB\"", "\"-5MB\"", "\"0KB\"",
                          "\"99999999999999999999GB\"", "\"18446744073709551615GiB\"", "{ a = 1 }"}) {
    INFO(bad);
    CHECK_THAT(repo_config_error(std::string("max_file_size = ") + bad + "\n"),
               Catch::Contains(".leakstop.toml:1:") && Catch::Contains("max_file_size must be a positive integer") &&
                 Catch::Contains("KiB = 1024"));
  }
}
