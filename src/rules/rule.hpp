#pragma once
// A detection rule, as loaded from rules/*.toml. See docs/rules-format.md.
//
// Loading is cheap and structural (fields, ids, duplicates); compiling the
// regexes in both engines and running the examples is the engine's job,
// done once per ruleset and remembered in the compiled-rules cache.

#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "core/validators.hpp"

namespace leakstop::rules {

struct Rule {
  std::string id;
  std::string description;
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::medium;
  std::string regex;  // empty: a path rule
  int secret_group = 1;
  std::vector<std::string> keywords;
  std::optional<double> min_entropy;
  std::string path_regex;  // empty: any path
  Validator validator = Validator::none;
  std::vector<std::string> allow_regexes;
  std::vector<std::string> allow_line_regexes;
  std::vector<std::string> stopwords;
  bool placeholder_filter = true;
  bool binary = false;
  std::string remediation;
  std::vector<std::string> examples;
  std::vector<std::string> negative_examples;
  std::string example_path;
  std::string source_file;  // for error messages and `rules list`
  int source_line = 0;

  bool is_path_rule() const { return regex.empty(); }
};

} // namespace leakstop::rules
