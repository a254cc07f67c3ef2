#pragma once
// Which rules a scan runs: the shipped rules and --rule-file ones, a
// gitleaks configuration, and the repository's .leakstop.toml, combined and
// compiled under one cache identity.
//
// Thread-safety: free functions with no shared state; the CompiledRules they
// return are immutable and may be shared by scanners on every thread.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "engine/compiled_rules.hpp"
#include "engine/rules_cache.hpp"
#include "rules/gitleaks.hpp"
#include "rules/repo_config.hpp"
#include "rules/ruleset.hpp"
#include "scan/options.hpp"

namespace leakstop::scan {

// The shipped rule files plus --rule-file ones, read but not parsed.
rules::RuleFiles shipped_rule_files(const ScanOptions& options);
// The same, parsed (no repository config).
rules::RuleSet load_shipped_rules(const ScanOptions& options);
engine::CacheOptions cache_options(const ScanOptions& options);

// What decides the compiled rules: a change to any part compiles anew.
// `shipped_digest` is empty when a gitleaks configuration without
// [extend] useDefault replaces the shipped rules.
std::string rules_identity(const std::string& shipped_digest, const rules::RepoConfig& config,
                           const rules::GitleaksConfig* gitleaks);

// The shipped rules (or, without [extend] useDefault, only `gitleaks`'s)
// with a gitleaks configuration and a repository's config applied,
// compiled, from the cache when it holds them.
std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const ScanOptions& options,
                                                                const rules::RepoConfig& config,
                                                                const rules::GitleaksConfig* gitleaks = nullptr);

// Everything a scan runs with, the repository's .leakstop.toml from `files`.
struct LoadedRules {
  rules::RepoConfig config;
  std::optional<rules::GitleaksConfig> gitleaks;
  std::shared_ptr<const engine::CompiledRules> compiled;
};
LoadedRules load_rules(const ScanOptions& options, const RepoFiles& files);

} // namespace leakstop::scan
