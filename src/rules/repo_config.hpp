#pragma once
// A repository's own settings, from .leakstop.toml at its root:
//
//   disabled_rules = ["generic.password"]
//   max_file_size = 5_000_000
//   [allowlist]
//   paths = ['''^tests/fixtures/''']      # RE2 on the repository-relative path
//   regexes = ['''^AKIA[0-9A-Z]{12}TEST$''']  # RE2 on the secret
//   stopwords = ["localdev"]              # substrings of the secret
//   [[rule]]                              # extra rules, same format as rules/*.toml

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ruleset.hpp"

namespace leakstop::rules {

struct Allowlist {
  std::vector<std::string> paths;
  std::vector<std::string> regexes;
  std::vector<std::string> stopwords;
};

struct RepoConfig {
  Allowlist allowlist;
  std::optional<std::uint64_t> max_file_size;
  std::vector<Rule> extra_rules;
  std::vector<std::string> disabled_rules;
  std::string text;  // the file's bytes

  // Adds the extra rules to `rules` and removes the disabled ones. Scans
  // do not: they keep the shipped rules compiled (scan/rule_loading.hpp).
  void apply_to(RuleSet& rules) const;
};

// Reads `file` if it exists (an absent file is an empty config). Throws
// ConfigError naming the file and line on any problem.
RepoConfig load_repo_config(const std::filesystem::path& file);
// The same for `text`, named `name` in errors.
RepoConfig parse_repo_config(std::string_view text, const std::string& name);

} // namespace leakstop::rules
