#include "engine/compiled_rules.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "engine/examples.hpp"
#include "engine/rules_cache.hpp"

namespace leakstop::engine {
namespace fs = std::filesystem;

namespace {

// Bytes of context kept before the longest possible match, so that \b and
// class boundaries at the start of a match see the real preceding byte.
constexpr std::size_t k_lookback_slack = 64;
// NOTE: unbounded patterns (PEM blocks) are confirmed within 64 KiB; the
// largest RSA private key block seen in practice is under 7 KiB.
constexpr std::size_t k_max_lookback = 64 * 1024;

[[noreturn]] void fail_rule(const rules::Rule& rule, const std::string& reason) {
  throw ConfigError(fmt::format("{}:{}: rule '{}': {}", rule.source_file, rule.source_line, rule.id, reason));
}

void check_re2(const rules::Rule& rule, const std::string& pattern, std::string_view field, int needed_groups) {
  RE2 re(pattern, rule_re2_options());
  if (!re.ok()) {
    fail_rule(rule, fmt::format("bad {} regex: {}", field, re.error()));
  }
  if (re.NumberOfCapturingGroups() < needed_groups) {
    fail_rule(rule, fmt::format("secret_group {} but the regex has {} capture group(s)", needed_groups,
                                re.NumberOfCapturingGroups()));
  }
}

void check_all_re2(const std::vector<rules::Rule>& rules) {
  for (const rules::Rule& rule : rules) {
    if (!rule.regex.empty()) {
      check_re2(rule, rule.regex, "content", rule.secret_group);
    }
    if (!rule.path_regex.empty()) {
      check_re2(rule, rule.path_regex, "path", 0);
    }
    for (const auto& allow : rule.allow_regexes) {
      check_re2(rule, allow, "allow", 0);
    }
    for (const auto& allow : rule.allow_line_regexes) {
      check_re2(rule, allow, "allow_line", 0);
    }
    for (const auto& allowlist : rule.allowlists) {
      for (const auto& allow : allowlist.regexes) {
        check_re2(rule, allow, "allowlist", 0);
      }
      for (const auto& allow : allowlist.paths) {
        check_re2(rule, allow, "allowlist path", 0);
      }
    }
  }
}

// One database from the given field of the given rules; a Hyperscan error
// names the rule.
HsDatabase compile_field(const std::vector<rules::Rule>& rules, const std::vector<std::size_t>& indexes,
                         const std::string rules::Rule::*field, unsigned int flags) {
  if (indexes.empty()) {
    return nullptr;
  }
  std::vector<HsPattern> patterns;
  for (std::size_t i : indexes) {
    patterns.push_back({rules[i].*field, flags});
  }
  HsCompileResult compiled = compile_block_database(patterns);
  if (!compiled.database) {
    if (compiled.failed_index >= 0) {
      fail_rule(rules[indexes[static_cast<std::size_t>(compiled.failed_index)]], "Hyperscan: " + compiled.message);
    }
    throw ConfigError("Hyperscan could not compile the rule set: " + compiled.message);
  }
  return std::move(compiled.database);
}

std::string cache_key(const std::string& identity) {
  return sha256_hex(fmt::format("{}\n{}", platform_key(), identity)).substr(0, 32);
}

} // namespace

RE2::Options rule_re2_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  options.set_max_mem(32 << 20);
  return options;
}

fs::path default_cache_dir() {
  if (const char* dir = std::getenv("LEAKSTOP_CACHE_DIR"); dir && *dir) {
    return dir;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return fs::path(xdg) / "leakstop";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".cache" / "leakstop";
  }
  return {};
}

namespace {

// Indexes of the rules of each kind, in the order of their databases.
struct RuleKinds {
  std::vector<std::size_t> content;         // a regex, any path
  std::vector<std::size_t> scoped_content;  // a regex and a path
  std::vector<std::size_t> path_scoped;     // a path
  std::vector<std::size_t> path_only;       // a path, no regex

  explicit RuleKinds(const std::vector<rules::Rule>& rules) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const bool has_path = !rules[i].path_regex.empty();
      if (rules[i].regex.empty()) {
        path_only.push_back(i);
      } else {
        (has_path ? scoped_content : content).push_back(i);
      }
      if (has_path) {
        path_scoped.push_back(i);
      }
    }
  }
};

} // namespace

CompiledRules::CompiledRules(std::vector<rules::Rule> rules, HsDatabase content, HsDatabase scoped, HsDatabase paths,
                             std::vector<std::size_t> lookback, bool from_cache)
  : m_rules(std::move(rules)), m_content(std::move(content)), m_scoped(std::move(scoped)), m_paths(std::move(paths)),
    m_lookback(std::move(lookback)), m_from_cache(from_cache) {
  RuleKinds kinds(m_rules);
  m_content_rules = std::move(kinds.content);
  m_scoped_content_rules = std::move(kinds.scoped_content);
  m_path_scoped_rules = std::move(kinds.path_scoped);
  m_path_only_rules = std::move(kinds.path_only);
}

std::shared_ptr<const CompiledRules> CompiledRules::compile(rules::RuleSet set) {
  std::vector<rules::Rule> rules = set.take_rules();
  check_all_re2(rules);
  RuleKinds kinds(rules);
  HsDatabase content = compile_field(rules, kinds.content, &rules::Rule::regex, 0);
  HsDatabase scoped = compile_field(rules, kinds.scoped_content, &rules::Rule::regex, 0);
  HsDatabase paths = compile_field(rules, kinds.path_scoped, &rules::Rule::path_regex, HS_FLAG_SINGLEMATCH);
  std::vector<std::size_t> lookback(rules.size(), 0);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].regex.empty()) {
      continue;
    }
    auto width = max_match_width({rules[i].regex, 0});
    lookback[i] = std::min<std::size_t>(width.value_or(k_max_lookback), k_max_lookback) + k_lookback_slack;
  }
  return std::make_shared<const CompiledRules>(std::move(rules), std::move(content), std::move(scoped),
                                               std::move(paths), std::move(lookback), false);
}

std::shared_ptr<const CompiledRules> CompiledRules::validate_and_compile(rules::RuleSet set) {
  auto compiled = compile(std::move(set));
  std::vector<ExampleFailure> failures = test_examples(*compiled);
  if (!failures.empty()) {
    const ExampleFailure& first = failures.front();
    std::string more = failures.size() > 1
                       ? fmt::format(" (and {} more failures: run `leakstop rules test`)", failures.size() - 1)
                       : "";
    fail_rule(*first.rule, first.reason + more);
  }
  return compiled;
}

std::shared_ptr<const CompiledRules> CompiledRules::load(const std::string& identity,
                                                         const std::function<rules::RuleSet()>& build,
                                                         const CacheOptions& cache) {
  const fs::path file = cache.dir.empty() ? fs::path() : cache.dir / fmt::format("rules-{}.bin", cache_key(identity));
  if (!file.empty()) {
    if (auto bytes = MappedFile::open(file)) {
      if (auto cached = decode_cache(bytes->view())) {
        return std::make_shared<const CompiledRules>(std::move(cached->rules), std::move(cached->content),
                                                     std::move(cached->scoped), std::move(cached->paths),
                                                     std::move(cached->lookback), true);
      }
    }
  }
  auto compiled = validate_and_compile(build());
  if (!file.empty()) {
    write_cache_file(file, encode_cache(compiled->m_rules, compiled->m_lookback, compiled->database(),
                                        compiled->scoped_database(), compiled->path_database()));
  }
  return compiled;
}

} // namespace leakstop::engine
