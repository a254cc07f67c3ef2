#pragma once
// The rule set compiled for matching: one Hyperscan block-mode database of
// every content rule, immutable and shared by all scanning threads.
//
// Compiling ~200 rules takes Hyperscan hundreds of milliseconds, far more
// than a commit may cost, so the database is serialized to a cache keyed by
// the rule set's content hash, the Hyperscan version and the CPU features.
// A cache miss is also when every rule is validated in full (both engines
// compile it, its examples behave), so a broken rule cannot hide behind a
// warm cache and a warm cache costs nothing.

#include <re2/re2.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/hyperscan.hpp"
#include "rules/ruleset.hpp"

namespace leakstop::engine {

struct CacheOptions {
  std::filesystem::path dir;  // empty: never read or write a cache
};

// $LEAKSTOP_CACHE_DIR, else $XDG_CACHE_HOME/leakstop, else ~/.cache/leakstop.
std::filesystem::path default_cache_dir();

class CompiledRules {
public:
  // Loads the database from the cache or compiles and validates `rules`.
  // Throws ConfigError naming file, line and rule on the first problem.
  static std::shared_ptr<const CompiledRules> load(rules::RuleSet rules, const CacheOptions& cache);

  // Compiles `rules` in both engines without running examples or touching
  // the cache (`rules test` runs the examples itself, to list every failure).
  static std::shared_ptr<const CompiledRules> compile(rules::RuleSet rules);

  const std::vector<rules::Rule>& rules() const { return m_rules; }
  // Null when there are no content rules.
  const hs_database_t* database() const { return m_database.get(); }
  // Rule index of Hyperscan pattern `id`.
  std::size_t rule_of_pattern(unsigned int id) const { return m_pattern_rules[id]; }
  // How far before the end of a hit the RE2 confirmation looks.
  std::size_t lookback(std::size_t rule_index) const { return m_lookback[rule_index]; }
  // Compiled `path` regex of a rule, or null when it applies to any path.
  const RE2* path_regex(std::size_t rule_index) const { return m_path_regexes[rule_index].get(); }
  const std::vector<std::size_t>& path_rules() const { return m_path_rule_indexes; }
  bool from_cache() const { return m_from_cache; }

  CompiledRules(rules::RuleSet rules, HsDatabase database, std::vector<std::size_t> lookback, bool from_cache);

private:
  std::vector<rules::Rule> m_rules;
  HsDatabase m_database;
  std::vector<std::size_t> m_pattern_rules;
  std::vector<std::size_t> m_lookback;
  std::vector<std::unique_ptr<RE2>> m_path_regexes;
  std::vector<std::size_t> m_path_rule_indexes;
  bool m_from_cache;
};

// RE2 options every rule regex is compiled with: bytes (Latin-1), quiet.
RE2::Options rule_re2_options();

} // namespace leakstop::engine
