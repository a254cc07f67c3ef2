#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "engine/compiled_rules.hpp"
#include "engine/examples.hpp"
#include "git_fixture.hpp"
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

const char* k_valid_rule = R"([[rule]]
id = "demo.token"
description = "Demo token"
severity = "high"
regex = '''\b(dmo_[a-zA-Z0-9]{20})\b'''
keywords = ["dmo_"]
remediation = "Rotate it."
examples = ["t = dmo_q8Zr2LmX0pW4nT7yB3cV", "dmo_Kd9sQ2mZ7xW1vB4nR8tY"]
negative_examples = ["dmo_short", "xmo_q8Zr2LmX0pW4nT7yB3cV"]
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

} // namespace

TEST_CASE("a valid rule file loads") {
  CHECK(load_error(k_valid_rule).empty());
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
