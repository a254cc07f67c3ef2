#include "scan/rule_loading.hpp"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"
#include "rules/rule_codec.hpp"
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

std::string rules_identity(const std::string& shipped_digest, const rules::GitleaksConfig* gitleaks) {
  return (shipped_digest.empty() ? std::string("no shipped rules") : shipped_digest) +
         (gitleaks ? sha256_hex(gitleaks->text) : "");
}

namespace {

// From the per-user cache, else compiled and written there. A cache that
// cannot be written costs a compile on every run: say so.
std::shared_ptr<const engine::CompiledRules> cached_or_compiled(const std::string& identity,
                                                                const std::function<rules::RuleSet()>& build,
                                                                const engine::CacheOptions& cache) {
  const fs::path file = cache.dir.empty() ? fs::path() : engine::CompiledRules::cache_file(cache.dir, identity);
  if (!file.empty()) {
    if (auto cached = engine::CompiledRules::read_cache(file)) {
      return cached;
    }
  }
  auto compiled = engine::CompiledRules::compile(build());
  if (!file.empty() && !compiled->write_cache(file)) {
    std::cerr << fmt::format("leakstop: note: cannot write the rules cache in {}: rules compiled in memory\n",
                             printable(cache.dir.string()));
  }
  return compiled;
}

// The install's precompiled shipped rules, named by the rule files' content
// (a copied install keeps it; inodes and times change). A per-user cache
// entry then links to them.
std::shared_ptr<const engine::CompiledRules> installed(const rules::RuleFiles& files, const std::string& identity,
                                                       const engine::CacheOptions& cache) {
  const fs::path dir = installed_cache_directory();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return nullptr;
  }
  const fs::path file = engine::CompiledRules::cache_file(dir, rules_identity(files.content_digest(), nullptr),
                                                          engine::CpuTarget::portable);
  auto compiled = engine::CompiledRules::read_cache(file);
  if (!compiled) {
    std::cerr << fmt::format("leakstop: note: the precompiled rules in {} do not fit these rules, this Hyperscan "
                             "or this CPU: compiling them once\n",
                             printable(dir.string()));
    return nullptr;
  }
  if (!cache.dir.empty()) {
    engine::CompiledRules::link_cache(engine::CompiledRules::cache_file(cache.dir, identity), fs::absolute(file, ec));
  }
  return compiled;
}

} // namespace

std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const ScanOptions& options,
                                                                const rules::GitleaksConfig* gitleaks) {
  rules::RuleFiles files = shipped_rule_files(options);
  // A gitleaks configuration without [extend] useDefault replaces the
  // shipped rules, as it replaces gitleaks' own.
  const bool shipped = !gitleaks || gitleaks->use_default;
  const std::string identity = rules_identity(shipped ? files.digest() : "", gitleaks);
  const engine::CacheOptions cache = cache_options(options);
  if (shipped && !gitleaks && options.extra_rule_files.empty()) {
    const fs::path user_file = cache.dir.empty() ? fs::path() : engine::CompiledRules::cache_file(cache.dir, identity);
    if (!user_file.empty()) {
      if (auto cached = engine::CompiledRules::read_cache(user_file)) {
        return cached;
      }
    }
    if (auto precompiled = installed(files, identity, cache)) {
      return precompiled;
    }
  }
  return cached_or_compiled(
    identity,
    [&] {
      rules::RuleSet set = shipped ? files.parse() : rules::RuleSet();
      if (gitleaks) {
        set = gitleaks->apply(std::move(set));
      }
      return set;
    },
    cache);
}

fs::path build_installed_cache(const ScanOptions& options, const fs::path& out_dir) {
  rules::RuleFiles files = shipped_rule_files(options);
  auto compiled = engine::CompiledRules::compile(files.parse(), engine::CpuTarget::portable);
  const fs::path file = engine::CompiledRules::cache_file(out_dir, rules_identity(files.content_digest(), nullptr),
                                                          engine::CpuTarget::portable);
  if (!compiled->write_cache(file)) {
    throw RepoError(fmt::format("cannot write {}", printable(file.string())));
  }
  return file;
}

engine::ScanRules with_repo_config(std::shared_ptr<const engine::CompiledRules> shipped,
                                   const rules::RepoConfig& config, const ScanOptions& options) {
  engine::ScanRules out{std::move(shipped), nullptr, config.disabled_rules};
  const std::vector<rules::Rule>& base = out.shipped->rules();
  // The checks RuleSet::add_rule and RuleSet::disable make, in their order.
  for (std::size_t i = 0; i < config.extra_rules.size(); ++i) {
    rules::check_unique_id(base, config.extra_rules[i]);
    rules::check_unique_id({config.extra_rules.begin(), config.extra_rules.begin() + static_cast<std::ptrdiff_t>(i)},
                           config.extra_rules[i]);
  }
  for (const std::string& id : config.disabled_rules) {
    auto answers = [&](const rules::Rule& r) { return r.answers_to(id); };
    if (std::none_of(base.begin(), base.end(), answers) &&
        std::none_of(config.extra_rules.begin(), config.extra_rules.end(), answers)) {
      throw ConfigError(fmt::format("cannot disable unknown rule id '{}'", id));
    }
  }
  if (!config.extra_rules.empty()) {
    // Named by the rules alone: an edit elsewhere in .leakstop.toml (an
    // allowlist) keeps them cached.
    out.extra = cached_or_compiled(
      "repository rules\n" + sha256_hex(rules::encode_rules(config.extra_rules)),
      [&] { return rules::RuleSet(config.extra_rules); }, cache_options(options));
  }
  return out;
}

LoadedRules load_rules(const ScanOptions& options, const RepoFiles& files) {
  LoadedRules loaded;
  if (files.leakstop_toml) {
    loaded.config = rules::parse_repo_config(*files.leakstop_toml, files.toml_name);
  }
  if (!options.gitleaks_config.empty()) {
    loaded.gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  loaded.compiled = with_repo_config(options.compiled_rules ? options.compiled_rules
                                     : load_compiled_rules(options, loaded.gitleaks ? &*loaded.gitleaks : nullptr),
                                     loaded.config, options);
  return loaded;
}

} // namespace leakstop::scan
