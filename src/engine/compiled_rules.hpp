#pragma once
// The rule set compiled for matching. Content rules are matched in one of
// two ways (engine/scanner.hpp):
// - keyword-anchored: most rules. Hyperscan finds only their keywords (as
//   caseless literals), and RE2 searches the short window around each
//   keyword occurrence that any match containing it must lie in. Every
//   match of a rule contains one of its keywords (`rules check` verifies
//   this on the examples), so nothing is lost.
// - regex-prefiltered: rules whose keywords are so common in ordinary text
//   that windows around them would cost more than a full regex pass, rules
//   with no keywords (gitleaks configs), and rules whose matches can be very
//   long (PEM blocks). Hyperscan runs their whole regex.
// Both go into one database, so a file takes one Hyperscan pass for them.
// Content rules scoped to some files by a `path` go to a database of their
// own, scanned only when one of them applies; a third database holds every
// `path` regex, so path tests cost one scan and no RE2 compilation.
// Immutable and shared by all scanning threads.
//
// NOTE: Hyperscan compiles a regex in 16 ms (median; up to 400 ms for
// nested bounded repeats): the 1,315 content rules of the coverage work
// took 36 s of CPU as regexes, where their 1,400 keywords compile as
// literals in milliseconds. Matched on every file, the path-scoped content
// rules (.pgpass lines...) took 45% of the rule set's CPU before they were
// scoped.
//
// Compiled rules are serialized to a cache named by a digest of every rule
// input, the Hyperscan version and the CPU features. Loading checks what
// can break at run time (parsing, both engines compiling each rule); rule
// examples are checked by `leakstop rules test` and `rules check`.

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

// Thread-safety: immutable once loaded; share one among every thread's Scanner.
class CompiledRules {
public:
  // Loads rules and databases from the cache entry named by `identity` (a
  // digest of every rule input), or calls `build`, validates and compiles
  // what it returns, and caches that. Throws ConfigError naming file, line
  // and rule on the first problem.
  static std::shared_ptr<const CompiledRules> load(const std::string& identity,
                                                   const std::function<rules::RuleSet()>& build,
                                                   const CacheOptions& cache);

  // Compiles `rules` for matching, without running examples or touching
  // the cache: RE2 compiles every regex, Hyperscan the databases.
  static std::shared_ptr<const CompiledRules> compile(rules::RuleSet rules, CpuTarget target = CpuTarget::native);

  // The cache entry in `dir` for `identity` compiled for `target`.
  static std::filesystem::path cache_file(const std::filesystem::path& dir, const std::string& identity,
                                          CpuTarget target = CpuTarget::native);
  // The rules cached in `file`, or in the file a link there names (see
  // link_cache); null when there is none this build and CPU can use.
  static std::shared_ptr<const CompiledRules> read_cache(const std::filesystem::path& file);
  // Writes these rules to `file`, atomically; false when it cannot.
  bool write_cache(const std::filesystem::path& file) const;
  // Makes `file` a link to `target`, another cache entry (an install's
  // precompiled rules): the per-user cache then holds a few bytes.
  static bool link_cache(const std::filesystem::path& file, const std::filesystem::path& target);

  // compile(), then every regex in Hyperscan too and every example; throws
  // ConfigError on the first failure (`rules check`, tests). No cache.
  static std::shared_ptr<const CompiledRules> validate_and_compile(rules::RuleSet rules);

  // Compiles every content rule's regex in Hyperscan as written (matching
  // needs none for keyword-anchored rules, and widens the others): every
  // rule must compile in both engines, since a rule changes kind when its
  // keywords do. Throws ConfigError naming the first rule Hyperscan
  // rejects. Slow: rule tooling only.
  void check_regexes_in_hyperscan() const;

  CompiledRules(std::vector<rules::Rule> rules, HsDatabase content, HsDatabase scoped, HsDatabase paths,
                std::vector<std::size_t> lookback, bool from_cache);

  const std::vector<rules::Rule>& rules() const { return m_rules; }
  // What every file is scanned with: the regexes of the content rules that
  // apply to every file and are not keyword-anchored (pattern ids below
  // content_pattern_count()), then the keywords (keyword id = pattern id -
  // content_pattern_count()). Null when there are neither.
  const hs_database_t* database() const { return m_content.get(); }
  std::size_t content_pattern_count() const { return m_content_rules.size(); }
  // Null when no content rule has a `path`.
  const hs_database_t* scoped_database() const { return m_scoped.get(); }
  // Null when no rule has a `path`.
  const hs_database_t* path_database() const { return m_paths.get(); }
  // The keyword-anchored rules carrying keyword `id` (see database()), and
  // that keyword's length.
  const std::vector<std::size_t>& rules_of_keyword(unsigned int id) const { return m_keyword_rules[id]; }
  std::size_t keyword_length(unsigned int id) const { return m_keywords[id].size(); }
  std::size_t keyword_count() const { return m_keywords.size(); }
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
  std::vector<std::string> m_keywords;                   // keyword id -> keyword
  std::vector<std::vector<std::size_t>> m_keyword_rules;  // literal id -> rules
  std::vector<std::size_t> m_content_rules;
  std::vector<std::size_t> m_scoped_content_rules;
  std::vector<std::size_t> m_path_scoped_rules;
  std::vector<std::size_t> m_path_only_rules;
  std::vector<std::size_t> m_lookback;
  bool m_from_cache;
};

// True when `rule`, a content rule whose confirmation looks back
// `lookback` bytes, is matched through its keywords rather than by its
// regex in Hyperscan.
bool keyword_anchored(const rules::Rule& rule, std::size_t lookback);

// RE2 options every rule regex is compiled with: bytes (Latin-1), quiet.
RE2::Options rule_re2_options();

} // namespace leakstop::engine
