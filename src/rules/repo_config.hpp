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
//
// Extra rules are added to `rules`; disabled ids are removed from it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
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
};

// Reads `file` if it exists (an absent file is an empty config) and applies
// its rules to `rules`. Throws ConfigError naming the file on any problem.
RepoConfig load_repo_config(const std::filesystem::path& file, RuleSet& rules);

} // namespace leakstop::rules
