#pragma once
// A gitleaks configuration (gitleaks.toml) read onto leakstop's rules.
//
// Supported: [[rules]] with id, description, regex, secretGroup, entropy,
// path, keywords, tags (ignored), [rules.allowlist] / [[rules.allowlists]]
// (condition, commits, paths, regexTarget, regexes, stopwords); the global
// [allowlist] / [[allowlists]] (with targetRules); [extend] useDefault, path
// and disabledRules. useDefault extends *leakstop's* shipped rules, whose
// ids differ from gitleaks' default ones. Anything else (composite
// `[[rules.required]]`, skipReport, unknown keys) is a ConfigError naming
// the key. See docs/gitleaks.md.

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ruleset.hpp"

namespace leakstop::rules {

// One [[rules]] table, and which fields it set: a table naming an existing
// rule's id overrides only those and inherits the rest (gitleaks semantics).
struct GitleaksRule {
  Rule rule;
  std::vector<std::string> fields;
};

struct GitleaksConfig {
  bool use_default = false;                 // keep leakstop's shipped rules
  std::vector<std::string> disabled_rules;  // from [extend]
  std::vector<GitleaksRule> rules;          // in file order, extended files first
  std::vector<RuleAllowlist> allowlists;    // global ones (no targetRules)
  std::string text;                         // every file read: part of the compiled rules' identity

  // `defaults` (leakstop's rules, used only with use_default) with this
  // configuration applied: rules added, or merged into the rule of the same
  // id; rule allowlists appended; disabled rules removed. Throws ConfigError
  // for a rule that extends an unknown id.
  RuleSet apply(RuleSet defaults) const;
};

// Reads `file` and the files it extends (at most two levels, as gitleaks).
// Throws ConfigError "<file>:<line>: <reason>" on anything unsupported.
GitleaksConfig load_gitleaks_config(const std::filesystem::path& file);
// The same for `text`, read from `file` (which names it in errors and
// locates the files it extends).
GitleaksConfig parse_gitleaks_config(std::string_view text, const std::filesystem::path& file);

} // namespace leakstop::rules
