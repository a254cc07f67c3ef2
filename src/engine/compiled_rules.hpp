#pragma once
// The rule set compiled for matching: a Hyperscan block-mode database of
// every content rule that applies to any file, a second one of the content
// rules scoped to some files by a `path` (scanned only when one of them
// applies: they cost other files nothing), and a third of every rule's
// `path` regex (so that path tests, which run on every file, cost one scan
// and no RE2 compilation). Immutable and shared by all scanning threads.
//
// NOTE: matched on every file, the 21 path-scoped content rules (.pgpass
// lines, .vault-token, .htpasswd...: shapes with no literal to anchor on)
// took 45% of the full rule set's CPU over /usr/include and /usr/share
// (user time 1.09 s, 0.60 s once scoped).
//
// Compiling ~300 rules takes Hyperscan seconds, far more than a commit may
// cost, so both databases and the parsed rules are serialized to a cache
// named by a digest of every rule input, the Hyperscan version and the CPU
// features. A cache miss is also when every rule is validated in full (both
// engines compile it, its examples behave), so a broken rule cannot hide
// behind a warm cache and a warm cache costs nothing.

#include <re2/re2.h>

#include <filesystem>
#include <functional>
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
  // Loads rules and databases from the cache entry named by `identity` (a
  // digest of every rule input), or calls `build`, validates and compiles
  // what it returns, and caches that. Throws ConfigError naming file, line
  // and rule on the first problem.
  static std::shared_ptr<const CompiledRules> load(const std::string& identity,
                                                   const std::function<rules::RuleSet()>& build,
                                                   const CacheOptions& cache);

  // Compiles `rules` and runs every example; throws ConfigError on the
  // first failure. No cache.
  static std::shared_ptr<const CompiledRules> validate_and_compile(rules::RuleSet rules);

  // Compiles `rules` in both engines without running examples or touching
  // the cache (`rules test` runs the examples itself, to list every failure).
  static std::shared_ptr<const CompiledRules> compile(rules::RuleSet rules);

  CompiledRules(std::vector<rules::Rule> rules, HsDatabase content, HsDatabase scoped, HsDatabase paths,
                std::vector<std::size_t> lookback, bool from_cache);

  const std::vector<rules::Rule>& rules() const { return m_rules; }
  // Null when no content rule applies to every file.
  const hs_database_t* database() const { return m_content.get(); }
  // Null when no content rule has a `path`.
  const hs_database_t* scoped_database() const { return m_scoped.get(); }
  // Null when no rule has a `path`.
  const hs_database_t* path_database() const { return m_paths.get(); }
  // Rule index of pattern `id` of each database.
  std::size_t rule_of_pattern(unsigned int id) const { return m_content_rules[id]; }
  std::size_t rule_of_scoped_pattern(unsigned int id) const { return m_scoped_content_rules[id]; }
  std::size_t rule_of_path_pattern(unsigned int id) const { return m_path_scoped_rules[id]; }
  // Content rules with a `path`, in the order of the scoped database.
  const std::vector<std::size_t>& scoped_content_rules() const { return m_scoped_content_rules; }
  // How far before the end of a hit the RE2 confirmation looks.
  std::size_t lookback(std::size_t rule_index) const { return m_lookback[rule_index]; }
  // Rules with no content regex: they fire on the file name alone.
  const std::vector<std::size_t>& path_rules() const { return m_path_only_rules; }
  bool from_cache() const { return m_from_cache; }

private:
  std::vector<rules::Rule> m_rules;
  HsDatabase m_content;
  HsDatabase m_scoped;
  HsDatabase m_paths;
  std::vector<std::size_t> m_content_rules;
  std::vector<std::size_t> m_scoped_content_rules;
  std::vector<std::size_t> m_path_scoped_rules;
  std::vector<std::size_t> m_path_only_rules;
  std::vector<std::size_t> m_lookback;
  bool m_from_cache;
};

// RE2 options every rule regex is compiled with: bytes (Latin-1), quiet.
RE2::Options rule_re2_options();

} // namespace leakstop::engine
