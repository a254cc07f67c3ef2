#include "engine/compiled_rules.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "engine/examples.hpp"

namespace leakstop::engine {
namespace fs = std::filesystem;

namespace {

// Bump when the cache layout or the matching semantics change.
constexpr std::string_view k_cache_version = "leakstop-hs-cache 1";
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

void check_all_re2(const rules::RuleSet& set) {
  for (const rules::Rule& rule : set.rules()) {
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
  }
}

std::vector<HsPattern> hs_patterns(const rules::RuleSet& set) {
  std::vector<HsPattern> patterns;
  for (const rules::Rule& rule : set.rules()) {
    if (!rule.regex.empty()) {
      patterns.push_back({rule.regex, 0});
    }
  }
  return patterns;
}

std::string cache_key(const rules::RuleSet& set) {
  return sha256_hex(fmt::format("{}\n{}\n{}", k_cache_version, platform_key(), set.content_hash())).substr(0, 32);
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Layout: version line, count, count x u32 lookback, serialized database.
std::string encode_cache(const std::vector<std::size_t>& lookback, const hs_database_t* db) {
  std::string out(k_cache_version);
  out.push_back('\n');
  auto put_u32 = [&out](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); };
  put_u32(static_cast<std::uint32_t>(lookback.size()));
  for (std::size_t v : lookback) {
    put_u32(static_cast<std::uint32_t>(v));
  }
  out += serialize(db);
  return out;
}

bool decode_cache(std::string_view bytes, std::size_t rule_count, std::vector<std::size_t>& lookback, HsDatabase& db) {
  std::string header = std::string(k_cache_version) + "\n";
  if (bytes.substr(0, header.size()) != header) {
    return false;
  }
  bytes.remove_prefix(header.size());
  auto get_u32 = [&bytes](std::uint32_t& v) {
    if (bytes.size() < sizeof v) {
      return false;
    }
    std::memcpy(&v, bytes.data(), sizeof v);
    bytes.remove_prefix(sizeof v);
    return true;
  };
  std::uint32_t count = 0;
  if (!get_u32(count) || count != rule_count) {
    return false;
  }
  lookback.resize(count);
  for (auto& v : lookback) {
    std::uint32_t value = 0;
    if (!get_u32(value)) {
      return false;
    }
    v = value;
  }
  db = deserialize(bytes);
  return db != nullptr;
}

// Best effort: a cache that cannot be written only costs the next run time.
void write_cache(const fs::path& dir, const std::string& key, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path tmp = dir / fmt::format(".rules-{}.{}.tmp", key, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, dir / fmt::format("rules-{}.hsdb", key), ec);
  if (ec) {
    fs::remove(tmp, ec);
  }
}

} // namespace

std::shared_ptr<const CompiledRules> CompiledRules::compile(rules::RuleSet set) {
  check_all_re2(set);
  std::vector<HsPattern> patterns = hs_patterns(set);
  std::vector<std::size_t> lookback(set.rules().size(), 0);
  std::vector<const rules::Rule*> content_rules;
  for (const rules::Rule& rule : set.rules()) {
    if (!rule.regex.empty()) {
      content_rules.push_back(&rule);
    }
  }
  HsDatabase db;
  if (!patterns.empty()) {
    HsCompileResult compiled = compile_block_database(patterns);
    if (!compiled.database) {
      if (compiled.failed_index >= 0) {
        fail_rule(*content_rules[static_cast<std::size_t>(compiled.failed_index)], "Hyperscan: " + compiled.message);
      }
      throw ConfigError("Hyperscan could not compile the rule set: " + compiled.message);
    }
    db = std::move(compiled.database);
  }
  for (std::size_t i = 0, p = 0; i < set.rules().size(); ++i) {
    if (!set.rules()[i].regex.empty()) {
      auto width = max_match_width(patterns[p++]);
      lookback[i] = std::min<std::size_t>(width.value_or(k_max_lookback), k_max_lookback) + k_lookback_slack;
    }
  }
  return std::make_shared<const CompiledRules>(std::move(set), std::move(db), lookback, false);
}

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

CompiledRules::CompiledRules(rules::RuleSet set, HsDatabase database, std::vector<std::size_t> lookback, bool from_cache)
  : m_rules(set.rules()), m_database(std::move(database)), m_lookback(std::move(lookback)), m_from_cache(from_cache) {
  m_path_regexes.resize(m_rules.size());
  for (std::size_t i = 0; i < m_rules.size(); ++i) {
    const rules::Rule& rule = m_rules[i];
    if (!rule.regex.empty()) {
      m_pattern_rules.push_back(i);
    } else {
      m_path_rule_indexes.push_back(i);
    }
    if (!rule.path_regex.empty()) {
      m_path_regexes[i] = std::make_unique<RE2>(rule.path_regex, rule_re2_options());
      if (!m_path_regexes[i]->ok()) {
        fail_rule(rule, "bad path regex: " + m_path_regexes[i]->error());
      }
    }
  }
}

std::shared_ptr<const CompiledRules> CompiledRules::load(rules::RuleSet set, const CacheOptions& cache) {
  const std::string key = cache_key(set);
  const fs::path cache_file = cache.dir.empty() ? fs::path() : cache.dir / fmt::format("rules-{}.hsdb", key);
  if (!cache_file.empty()) {
    std::vector<std::size_t> lookback;
    HsDatabase db;
    std::string bytes = read_all(cache_file);
    if (!bytes.empty() && decode_cache(bytes, set.rules().size(), lookback, db)) {
      return std::make_shared<const CompiledRules>(std::move(set), std::move(db), std::move(lookback), true);
    }
  }

  auto compiled = compile(std::move(set));
  std::vector<ExampleFailure> failures = test_examples(*compiled);
  if (!failures.empty()) {
    const ExampleFailure& first = failures.front();
    std::string more = failures.size() > 1 ? fmt::format(" (and {} more failures: run `leakstop rules test`)", failures.size() - 1) : "";
    fail_rule(*first.rule, first.reason + more);
  }
  if (!cache_file.empty() && compiled->database()) {
    write_cache(cache.dir, key, encode_cache(compiled->m_lookback, compiled->database()));
  }
  return compiled;
}

} // namespace leakstop::engine
