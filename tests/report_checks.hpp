#pragma once
// Checks of report files by the validators the project trusts: JSON Schema
// (docs/report-schema.json, python3-jsonschema) for json, jsonl and
// baselines; Microsoft's SARIF Multitool for SARIF.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "git_fixture.hpp"

namespace leakstop::test {

// Validates `text`, a report of `shape` ("json", "jsonl" or "baseline"),
// against docs/report-schema.json; fails the test on any schema error.
inline void require_valid_json_report(const GitRepo& repo, const std::string& text, const std::string& shape = "json") {
  static int n = 0;
  auto file = repo.tmp() / ("report-" + std::to_string(++n) + "." + shape);
  std::ofstream(file, std::ios::binary) << text;
  RunResult r = run_in(repo.tmp(), quote(LEAKSTOP_PYTHON3) + " " +
                                     quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/validate_json.py") + " " +
                                     quote(std::string(LEAKSTOP_SOURCE_DIR) + "/docs/report-schema.json") + " " +
                                     quote(file.string()) + " " + shape);
  INFO(r.out);
  REQUIRE(r.rc == 0);
}

// Validates a SARIF file with the SARIF Multitool (and the SARIF 2.1.0
// schema it ships); fails the test on any error.
inline void require_valid_sarif(const GitRepo& repo, const std::filesystem::path& file) {
  RunResult r = run_in(repo.tmp(), quote(LEAKSTOP_PYTHON3) + " " +
                                     quote(std::string(LEAKSTOP_SOURCE_DIR) + "/tests/tools/validate_sarif.py") + " " +
                                     quote(LEAKSTOP_SARIF_MULTITOOL) + " " + quote(file.string()));
  INFO(r.out);
  REQUIRE(r.rc == 0);
  REQUIRE_THAT(r.out, Catch::Contains("0 SARIF error(s)"));
}

// Runs `leakstop <args>` (a --format json command), validates what it
// prints against the schema and returns it parsed.
inline nlohmann::json json_report(const GitRepo& repo, const std::string& args) {
  RunResult r = repo.run(quote(leakstop_bin()) + " " + args + " 2>/dev/null");
  require_valid_json_report(repo, r.out);
  return nlohmann::json::parse(r.out);
}

// Runs `leakstop <args>` (a --format sarif command), validates what it
// prints with the SARIF Multitool and returns it parsed.
inline nlohmann::json sarif_report(const GitRepo& repo, const std::string& args) {
  static int n = 0;
  auto file = repo.tmp() / ("stdout-" + std::to_string(++n) + ".sarif");
  repo.run(quote(leakstop_bin()) + " " + args + " > " + quote(file.string()) + " 2>/dev/null");
  require_valid_sarif(repo, file);
  return nlohmann::json::parse(GitRepo::read_bytes(file));
}

} // namespace leakstop::test
