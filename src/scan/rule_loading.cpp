#include "scan/rule_loading.hpp"

#include "core/secret.hpp"
#include "scan/paths.hpp"

namespace leakstop::scan {
namespace fs = std::filesystem;

rules::RuleFiles shipped_rule_files(const ScanOptions& options) {
  rules::RuleFiles files;
  files.add_directory(rules_directory(options.rules_dir), rules::Examples::required);
  for (const auto& file : options.extra_rule_files) {
    files.add_file(file, rules::Examples::optional);
  }
  return files;
}

rules::RuleSet load_shipped_rules(const ScanOptions& options) {
  return shipped_rule_files(options).parse();
}

engine::CacheOptions cache_options(const ScanOptions& options) {
  engine::CacheOptions cache;
  if (!options.no_cache) {
    cache.dir = options.cache_dir.empty() ? engine::default_cache_dir() : fs::path(options.cache_dir);
  }
  return cache;
}

std::string rules_identity(const std::string& shipped_digest, const rules::RepoConfig& config,
                           const rules::GitleaksConfig* gitleaks) {
  return (shipped_digest.empty() ? std::string("no shipped rules") : shipped_digest) + sha256_hex(config.text) +
         (gitleaks ? sha256_hex(gitleaks->text) : "");
}

std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const ScanOptions& options,
                                                                const rules::RepoConfig& config,
                                                                const rules::GitleaksConfig* gitleaks) {
  rules::RuleFiles files = shipped_rule_files(options);
  // A gitleaks configuration without [extend] useDefault replaces the
  // shipped rules, as it replaces gitleaks' own.
  const bool shipped = !gitleaks || gitleaks->use_default;
  return engine::CompiledRules::load(
    rules_identity(shipped ? files.digest() : "", config, gitleaks),
    [&] {
      rules::RuleSet set = shipped ? files.parse() : rules::RuleSet();
      if (gitleaks) {
        set = gitleaks->apply(std::move(set));
      }
      config.apply_to(set);
      return set;
    },
    cache_options(options));
}

LoadedRules load_rules(const ScanOptions& options, const RepoFiles& files) {
  LoadedRules loaded;
  if (files.leakstop_toml) {
    loaded.config = rules::parse_repo_config(*files.leakstop_toml, files.toml_name);
  }
  if (!options.gitleaks_config.empty()) {
    loaded.gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  loaded.compiled = load_compiled_rules(options, loaded.config, loaded.gitleaks ? &*loaded.gitleaks : nullptr);
  return loaded;
}

} // namespace leakstop::scan
