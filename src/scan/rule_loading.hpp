#pragma once
// Which rules a scan runs: the shipped rules and --rule-file ones with a
// gitleaks configuration, compiled under one cache identity; and the
// repository's .leakstop.toml, which never changes that identity: its extra
// rules are compiled (and cached) on their own, its disabled rules and
// allowlists apply to what the scanner matched.
//
// Thread-safety: free functions with no shared state; the CompiledRules they
// return are immutable and may be shared by scanners on every thread.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "engine/compiled_rules.hpp"
#include "engine/rules_cache.hpp"
#include "engine/scanner.hpp"
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

// What decides the compiled shipped rules: a change to any part compiles
// anew. `shipped_digest` is empty when a gitleaks configuration without
// [extend] useDefault replaces the shipped rules.
std::string rules_identity(const std::string& shipped_digest, const rules::GitleaksConfig* gitleaks);

// The shipped rules (or, without [extend] useDefault, only `gitleaks`'s)
// with a gitleaks configuration applied, compiled: from the per-user cache
// when it holds them, else from the install's precompiled rules (the
// per-user cache then links to them), else compiled and cached.
std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const ScanOptions& options,
                                                                const rules::GitleaksConfig* gitleaks = nullptr);

// Compiles the shipped rules (not --rule-file ones) for any x86-64 CPU into
// `out_dir`, as an install's precompiled rules; returns the file written.
// Throws RepoError when it cannot be written.
std::filesystem::path build_installed_cache(const ScanOptions& options, const std::filesystem::path& out_dir);

// `shipped` with a repository's config: its extra rules compiled (from the
// cache when it holds them) and its disabled ids. Throws ConfigError for an
// extra rule whose id is taken and for a disabled id no rule answers to.
engine::ScanRules with_repo_config(std::shared_ptr<const engine::CompiledRules> shipped,
                                   const rules::RepoConfig& config, const ScanOptions& options);

// Everything a scan runs with, the repository's .leakstop.toml from `files`.
struct LoadedRules {
  rules::RepoConfig config;
  std::optional<rules::GitleaksConfig> gitleaks;
  engine::ScanRules compiled;
};
LoadedRules load_rules(const ScanOptions& options, const RepoFiles& files);

} // namespace leakstop::scan
