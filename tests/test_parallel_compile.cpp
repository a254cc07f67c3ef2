// A cold compile runs its checks on every core; the error it reports must
// still be the first bad rule in file order, as a serial check would find.

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "engine/compiled_rules.hpp"
#include "git_fixture.hpp"
#include "rules/ruleset.hpp"

using namespace leakstop;

namespace {

struct RuleSpec {
  std::string id;
  std::string regex;
  std::string extra;  // more fields, one per line
};

std::string rule_text(const RuleSpec& rule) {
  const std::string regex = rule.regex.empty() ? "" : "regex = '''" + rule.regex + "'''\n";
  return fmt::format("[[rule]]\nid = \"{}\"\ndescription = \"Demo\"\nseverity = \"high\"\n{}"
                     "keywords = [\"dmo_\"]\nremediation = \"Rotate it.\"\n{}",
                     rule.id, regex, rule.extra);
}

// The line of rule_text's first `extra` field, from its [[rule]] line.
constexpr long k_extra_line = 7;

// Writes each file's rules; returns, for each rule id, "file:line" of its
// [[rule]] line (of its last definition) and a function of an offset.
struct Where {
  std::map<std::string, std::pair<std::string, long>> of;
  std::string at(const std::string& id, long offset = 0) const {
    return fmt::format("{}:{}", of.at(id).first, of.at(id).second + offset);
  }
};

Where write_rule_files(const std::filesystem::path& dir, const std::vector<std::vector<RuleSpec>>& files) {
  Where where;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const auto path = dir / fmt::format("r{:02}.toml", f);
    std::string text;
    for (const RuleSpec& rule : files[f]) {
      const auto line = 1 + std::count(text.begin(), text.end(), '\n');
      where.of[rule.id] = {path.string(), line};
      text += rule_text(rule) + "\n";
    }
    std::ofstream(path) << text;
  }
  return where;
}

std::string compile_error(const std::filesystem::path& dir) {
  rules::RuleSet set;
  set.add_directory(dir, rules::Examples::optional);
  try {
    engine::CompiledRules::compile(std::move(set));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Valid rules, so that the bad ones are spread among many compile tasks:
// half are anchored on their keyword, half (`(?s)`) matched by Hyperscan.
std::vector<RuleSpec> good_rules(std::size_t file, std::size_t count) {
  std::vector<RuleSpec> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({fmt::format("demo.good-{}-{}", file, i),
                   fmt::format(R"({}\b(dmo_{}x{}[a-zA-Z0-9]{{20,40}})\b)", i % 2 ? "(?s)" : "", file, i), ""});
  }
  return out;
}

} // namespace

TEST_CASE("with several bad rules, a parallel compile names the first in file order") {
  test::TempDir dir;
  // Hyperscan alone rejects a regex that can match an empty string; RE2
  // accepts it. `(?s)` keeps it out of the keyword-anchored rules, which
  // Hyperscan does not compile. RE2 rejects an unclosed class.
  const std::string empty_match = R"((?s)(dmo_[a-z]{20})?)";
  const std::string unclosed = R"(\b(dmo_[a-z{20})\b)";
  std::vector<std::vector<RuleSpec>> files;
  for (std::size_t f = 0; f < 12; ++f) {
    files.push_back(good_rules(f, 20));
  }
  std::string first;
  SECTION("the first is one only Hyperscan rejects, later ones RE2 rejects") {
    files[3].insert(files[3].begin() + 5, {"demo.first-bad", empty_match, ""});
    files[3].insert(files[3].begin() + 6, {"demo.second-bad", unclosed, ""});
    for (std::size_t f = 4; f < files.size(); ++f) {
      files[f].push_back({fmt::format("demo.bad-{}", f), unclosed, ""});
    }
    first = "demo.first-bad";
  }
  SECTION("the first is a bad allow regex, later ones bad content regexes and Hyperscan errors") {
    files[2].insert(files[2].begin() + 7,
                    {"demo.first-bad", R"(\b(dmo_[a-z]{20})\b)", "allow_regexes = ['''(unclosed''']\n"});
    for (std::size_t f = 3; f < files.size(); ++f) {
      files[f].insert(files[f].begin(), {fmt::format("demo.bad-{}", f), f % 2 ? unclosed : empty_match, ""});
    }
    first = "demo.first-bad";
  }
  const auto where = write_rule_files(dir.path(), files);
  // Threads finish in a different order from run to run; the error may not.
  for (int run = 0; run < 5; ++run) {
    const std::string error = compile_error(dir.path());
    CHECK_THAT(error, Catch::StartsWith(where.at(first) + ": rule '" + first + "'"));
  }
}

TEST_CASE("a rule set with no bad rule compiles in parallel with every database") {
  test::TempDir dir;
  std::vector<std::vector<RuleSpec>> files{good_rules(0, 30)};
  files[0].push_back({"demo.scoped", R"(\b(dmo_[a-z]{20})\b)", "path = '''\\.env$'''\n"});
  files[0].push_back({"demo.path-only", "", "path = '''\\.pem$'''\n"});
  write_rule_files(dir.path(), files);
  rules::RuleSet set;
  set.add_directory(dir.path(), rules::Examples::optional);
  auto compiled = engine::CompiledRules::compile(std::move(set));
  CHECK(compiled->rules().size() == 32);
  CHECK(compiled->keyword_count() > 0);  // in database(), after the regexes
  CHECK(compiled->database() != nullptr);
  CHECK(compiled->scoped_database() != nullptr);
  CHECK(compiled->path_database() != nullptr);
}

TEST_CASE("for_each_parallel runs every task once and LowestFailure keeps the lowest key") {
  std::vector<std::atomic<int>> runs(1000);
  LowestFailure failures;
  for_each_parallel(4, runs.size(), [&](std::size_t i) {
    ++runs[i];
    if (i % 7 == 3) {
      failures.record({i, 0}, std::make_exception_ptr(std::runtime_error(std::to_string(i))));
    }
  });
  CHECK(std::all_of(runs.begin(), runs.end(), [](const std::atomic<int>& n) { return n == 1; }));
  CHECK_THROWS_WITH(failures.rethrow(), "3");
  LowestFailure none;
  CHECK_NOTHROW(none.rethrow());
}

TEST_CASE("with several bad rule files, the parse names the first error in file order") {
  test::TempDir dir;
  std::vector<std::vector<RuleSpec>> files;
  for (std::size_t f = 0; f < 10; ++f) {
    files.push_back(good_rules(f, 5));
  }
  auto insert = [&](std::size_t file, std::size_t position, const std::string& id, const std::string& extra) {
    files[file].insert(files[file].begin() + static_cast<long>(position), {id, R"(\b(dmo_[a-z]{20})\b)", extra});
  };
  const std::string not_toml = "broken = [\n";
  const std::string unknown_field = "colour = \"red\"\n";
  std::string first;
  std::string reason = "duplicate id";
  long offset = 0;
  SECTION("a duplicate id before a file that is not TOML") {
    insert(2, 3, "demo.good-0-1", "");
    insert(5, 1, "demo.not-toml", not_toml);
    insert(7, 0, "demo.unknown", unknown_field);
    first = "demo.good-0-1";
  }
  SECTION("in one file, a duplicate id before a bad field") {
    insert(1, 2, "demo.good-1-0", "");
    insert(1, 3, "demo.unknown", unknown_field);
    insert(4, 0, "demo.not-toml", not_toml);
    first = "demo.good-1-0";
  }
  SECTION("a bad field before a duplicate id in a later file") {
    insert(3, 4, "demo.unknown", unknown_field);
    insert(6, 0, "demo.good-0-0", "");
    first = "demo.unknown";
    reason = "unknown field 'colour'";
    offset = k_extra_line;  // named at the field's line
  }
  // A duplicate is named at its own [[rule]] line, the last place
  // write_rule_files saw the id.
  const auto where = write_rule_files(dir.path(), files);
  for (int run = 0; run < 5; ++run) {
    rules::RuleFiles rule_files;
    rule_files.add_directory(dir.path(), rules::Examples::optional);
    std::string error;
    try {
      rule_files.parse();
    } catch (const ConfigError& e) {
      error = e.what();
    }
    CHECK_THAT(error, Catch::StartsWith(where.at(first, offset) + ": rule '" + first + "'") && Catch::Contains(reason));
  }
}
