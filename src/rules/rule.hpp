#pragma once
// A detection rule, as loaded from rules/*.toml. See docs/rules-format.md.
//
// Loading is cheap and structural (fields, ids, duplicates); compiling the
// regexes in both engines and running the examples is the engine's job,
// done once per ruleset and remembered in the compiled-rules cache.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "core/validators.hpp"

namespace leakstop::rules {

// A gitleaks-style allowlist: a finding is dropped when the criteria match,
// any one of them (Condition::any) or every one given (Condition::all).
// Rules loaded from a gitleaks configuration carry these; leakstop's own
// rule files use the flat allow_* fields below.
struct RuleAllowlist {
  enum class Condition { any, all };
  enum class Target { secret, match, line };  // what `regexes` are matched against
  Condition condition = Condition::any;
  Target regex_target = Target::secret;
  std::vector<std::string> regexes;    // RE2
  std::vector<std::string> paths;      // RE2 on the repository-relative path
  std::vector<std::string> stopwords;  // lowercase substrings of the secret
  std::vector<std::string> commits;    // commit ids (or unique prefixes)

  bool empty() const { return regexes.empty() && paths.empty() && stopwords.empty() && commits.empty(); }
};

struct Rule {
  std::string id;
  // Ids this rule had before it was renamed or split: the first one names
  // its fingerprints, so baselines and ignore files made before still match.
  std::vector<std::string> aliases;
  std::string description;
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::medium;
  std::string regex;  // empty: a path rule
  int secret_group = 1;  // 0: the whole match; -1 (gitleaks rules): the first non-empty group
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
  std::string link;        // the provider's page on rotating this credential
  std::string link_title;  // its title, shown instead of the bare address
  std::vector<RuleAllowlist> allowlists;
  std::vector<std::string> examples;
  std::vector<std::string> negative_examples;
  std::string example_path;
  std::string source_file;  // for error messages and `rules list`
  int source_line = 0;

  bool is_path_rule() const { return regex.empty(); }
  // The id its findings' fingerprints are made of.
  const std::string& fingerprint_id() const { return aliases.empty() ? id : aliases.front(); }
  // True for its id and any of its aliases.
  bool answers_to(std::string_view name) const {
    return id == name || std::find(aliases.begin(), aliases.end(), name) != aliases.end();
  }
};

} // namespace leakstop::rules
