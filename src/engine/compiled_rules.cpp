#include "engine/compiled_rules.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <map>
#include <string_view>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/parallel.hpp"
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

ConfigError rule_error(const rules::Rule& rule, const std::string& reason) {
  return ConfigError(fmt::format("{}:{}: rule '{}': {}", rule.source_file, rule.source_line, rule.id, reason));
}

[[noreturn]] void fail_rule(const rules::Rule& rule, const std::string& reason) {
  throw rule_error(rule, reason);
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

void check_rule_re2(const rules::Rule& rule) {
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

// Where an error sorts among a compile's errors (LowestFailure keys): by
// rule, and for one rule in the order a serial compile checks it.
enum Stage : std::size_t { re2_stage, scoped_stage, content_stage, path_stage };

// Compiles a rule set's parts from any thread; records each error in
// `failures`, keyed by the rule to blame (set-wide errors sort after every
// rule's), rather than throwing it.
struct RuleCompiler {
  const std::vector<rules::Rule>& rules;
  CpuTarget target;
  LowestFailure& failures;

  // Runs `work`, recording what it throws under `key`.
  template <typename Work>
  void recording(LowestFailure::Key key, const Work& work) const {
    try {
      work();
    } catch (...) {
      failures.record(key, std::current_exception());
    }
  }

  void check_re2(std::size_t rule) const {
    recording({rule, re2_stage}, [&] { check_rule_re2(rules[rule]); });
  }

  // One database from the given field of the given rules, null when there
  // are none. Content regexes are widened for prefiltering (RE2 confirms
  // each hit against the real one within the real one's width).
  // NOTE: with the nested bounded repeats of the Kubernetes manifest rules
  // (one alone took 5 s), a cold compile of 1,557 rules took 10.0 s of CPU;
  // widened, 2.2 s.
  HsDatabase field_database(const std::vector<std::size_t>& indexes, const std::string rules::Rule::*field,
                            unsigned int flags, bool widen, Stage stage) const {
    HsDatabase database;
    recording({rules.size(), stage}, [&] {
      if (indexes.empty()) {
        return;
      }
      std::vector<HsPattern> patterns;
      for (std::size_t i : indexes) {
        patterns.push_back({widen ? widen_repeats(rules[i].*field) : rules[i].*field, flags});
      }
      HsCompileResult compiled = compile_block_database(patterns, target);
      if (compiled.database) {
        database = std::move(compiled.database);
      } else if (compiled.failed_index >= 0) {
        record_first_rejected(indexes, patterns, std::move(compiled), stage);
      } else {
        throw ConfigError("Hyperscan could not compile the rule set: " + compiled.message);
      }
    });
    return database;
  }

  // Hyperscan names one pattern it rejects, not the first: it parses
  // every pattern before it analyses any. A serial check names the first
  // rule whose pattern fails alone (an error path: one compile per rule).
  void record_first_rejected(const std::vector<std::size_t>& indexes, const std::vector<HsPattern>& patterns,
                             HsCompileResult rejected, Stage stage) const {
    auto first = static_cast<std::size_t>(rejected.failed_index);
    for (std::size_t i = 0; i < first; ++i) {
      if (HsCompileResult alone = compile_block_database({patterns[i]}, target); !alone.database) {
        first = i;
        rejected = std::move(alone);
      }
    }
    const rules::Rule& rule = rules[indexes[first]];
    failures.record({indexes[first], stage},
                    std::make_exception_ptr(rule_error(rule, "Hyperscan: " + rejected.message)));
  }

  // The content rules' widened regexes (ids 0..indexes.size()-1) and after
  // them every keyword as a caseless literal, in one database: one pass of
  // Hyperscan's literal matcher serves the regexes' literal parts and the
  // keywords.
  // NOTE: two databases scanned one after the other took 77 ms of
  // Hyperscan on 20 MB of /usr/include; merged, 53 ms (one core).
  HsDatabase matching_database(const std::vector<std::size_t>& indexes,
                               const std::vector<std::string>& keywords) const {
    HsDatabase database;
    recording({rules.size(), content_stage}, [&] {
      std::vector<HsPattern> patterns;
      patterns.reserve(indexes.size() + keywords.size());
      for (std::size_t i : indexes) {
        patterns.push_back({widen_repeats(rules[i].regex), 0});
      }
      for (const std::string& keyword : keywords) {
        patterns.push_back({escaped_literal(keyword), HS_FLAG_CASELESS});
      }
      if (patterns.empty()) {
        return;
      }
      HsCompileResult compiled = compile_block_database(patterns, target);
      if (compiled.database) {
        database = std::move(compiled.database);
      } else if (compiled.failed_index >= 0 && static_cast<std::size_t>(compiled.failed_index) < indexes.size()) {
        record_first_rejected(indexes, patterns, std::move(compiled), content_stage);
      } else {
        throw ConfigError("Hyperscan could not compile the rules' keywords: " + compiled.message);
      }
    });
    return database;
  }
};

// Keywords that occur more than about 1,000 times per 100 MB of ordinary
// source code (/usr/include and Python's standard library), and every
// keyword of one or two bytes: searching windows around each occurrence
// would cost more than matching the rule's regex in the one Hyperscan pass.
// NOTE: measured over 147 MB; the keyword-anchored rules' keywords occur
// about 27,000 times per 100 MB there, so RE2 runs a few hundred bytes
// about every 4 KB.
// string_view: each rule's keywords are looked up here on every load of
// the cache (a length compare turns most away at once).
using namespace std::string_view_literals;
constexpr std::array k_frequent_keywords = {
  "sk_"sv, "ac"sv, "chec"sv, "key"sv, "ion_"sv, "tls"sv, "line"sv, "nfo_"sv, "pat"sv, "pass"sv, "rev"sv, "default"sv,
  "ic_"sv, "es_"sv, "ec_"sv, "session"sv, "basic"sv, "here"sv, "encrypt"sv, "access"sv, "float"sv, "dd_"sv, "auth"sv,
  "http"sv, "lob"sv, "machine"sv, "close"sv, "ld_"sv, "wise"sv, "token"sv, "pwd"sv, "params"sv, "bot"sv, "cos"sv,
  "box"sv, "_auth"sv, "storage"sv, "channel"sv, "oci"sv, "sl."sv, "do_"sv, "redis"sv, "mite"sv, "hmac"sv, "ld."sv,
  "security"sv, "abstract"sv, "bs_"sv, "segment"sv, "column"sv, "password"sv, "rave"sv, "ado"sv, "secret"sv,
  "private"sv, "bearer"sv, "basic "sv, "user"sv, "login"sv, "api"sv, "openssl"sv, "git"sv, "://"sv, "url"sv};
// Longest window searched around a keyword; longer matches use Hyperscan.
constexpr std::size_t k_max_keyword_window = 4096;

// The cache stores the databases, and the rules' kinds are recomputed
// from the rules when it is loaded: what decides a kind is part of the key,
// so a cache written by a build that decided otherwise is never read. So is
// the layout's version: two leakstop versions sharing a cache directory
// (an upgrade, a second install) keep an entry each instead of compiling
// over each other's on every run.
std::string cache_key(const std::string& identity, CpuTarget target) {
  return sha256_hex(fmt::format("{}{}\n{}\n{}\n{}", cache_format_version(), platform_key(target),
                                fmt::join(k_frequent_keywords, "\x1f"), k_max_keyword_window, identity))
    .substr(0, 32);
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
  std::vector<std::size_t> content;         // a regex, any path, matched by Hyperscan
  std::vector<std::size_t> keyword_content; // a regex, any path, anchored by its keywords
  std::vector<std::size_t> scoped_content;  // a regex and a path
  std::vector<std::size_t> path_scoped;     // a path
  std::vector<std::size_t> path_only;       // a path, no regex

  RuleKinds(const std::vector<rules::Rule>& rules, const std::vector<std::size_t>& lookback) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const bool has_path = !rules[i].path_regex.empty();
      if (rules[i].regex.empty()) {
        path_only.push_back(i);
      } else if (has_path) {
        scoped_content.push_back(i);
      } else {
        (keyword_anchored(rules[i], lookback[i]) ? keyword_content : content).push_back(i);
      }
      if (has_path) {
        path_scoped.push_back(i);
      }
    }
  }
};

// The distinct keywords of the keyword-anchored rules, sorted (literal ids
// follow this order), and the rules carrying each.
struct KeywordIndex {
  std::vector<std::string> keywords;
  std::vector<std::vector<std::size_t>> rules_of;

  KeywordIndex(const std::vector<rules::Rule>& rules, const std::vector<std::size_t>& anchored) {
    std::map<std::string, std::vector<std::size_t>> by_keyword;
    for (std::size_t i : anchored) {
      for (const std::string& keyword : rules[i].keywords) {
        auto& list = by_keyword[keyword];
        if (list.empty() || list.back() != i) {
          list.push_back(i);
        }
      }
    }
    for (auto& [keyword, list] : by_keyword) {
      keywords.push_back(keyword);
      rules_of.push_back(std::move(list));
    }
  }
};

// NOTE: Hyperscan takes 0.4 ms per rule to analyse a regex; on one core,
// 22% of a cold compile of the 1,557 shipped rules, before anything else.
std::vector<std::size_t> lookbacks(const std::vector<rules::Rule>& rules, unsigned threads) {
  std::vector<std::size_t> lookback(rules.size(), 0);
  for_each_parallel(threads, rules.size(), [&](std::size_t i) {
    if (!rules[i].regex.empty()) {
      auto width = max_match_width({rules[i].regex, 0});
      lookback[i] = std::min<std::size_t>(width.value_or(k_max_lookback), k_max_lookback) + k_lookback_slack;
    }
  });
  return lookback;
}

} // namespace

bool keyword_anchored(const rules::Rule& rule, std::size_t lookback) {
  // `(?s)`: a context that runs over lines (a manifest's header, then any
  // lines) may end a match at each of several secrets; a keyword finds one
  // match per occurrence, Hyperscan reports every end.
  if (rule.keywords.empty() || lookback > k_max_keyword_window || rule.regex.find("(?s") != std::string::npos) {
    return false;
  }
  return std::none_of(rule.keywords.begin(), rule.keywords.end(), [](const std::string& keyword) {
    return keyword.size() < 3 || std::find(k_frequent_keywords.begin(), k_frequent_keywords.end(),
                                           std::string_view(keyword)) != k_frequent_keywords.end();
  });
}

CompiledRules::CompiledRules(std::vector<rules::Rule> rules, HsDatabase content, HsDatabase scoped, HsDatabase paths,
                             std::vector<std::size_t> lookback, bool from_cache)
  : m_rules(std::move(rules)), m_content(std::move(content)), m_scoped(std::move(scoped)), m_paths(std::move(paths)),
    m_lookback(std::move(lookback)), m_from_cache(from_cache) {
  RuleKinds kinds(m_rules, m_lookback);
  KeywordIndex index(m_rules, kinds.keyword_content);
  m_keywords = std::move(index.keywords);
  m_keyword_rules = std::move(index.rules_of);
  m_content_rules = std::move(kinds.content);
  m_scoped_content_rules = std::move(kinds.scoped_content);
  m_path_scoped_rules = std::move(kinds.path_scoped);
  m_path_only_rules = std::move(kinds.path_only);
}

std::shared_ptr<const CompiledRules> CompiledRules::compile(rules::RuleSet set, CpuTarget target) {
  std::vector<rules::Rule> rules = set.take_rules();
  const unsigned threads = every_core();
  std::vector<std::size_t> lookback = lookbacks(rules, threads);
  RuleKinds kinds(rules, lookback);
  KeywordIndex index(rules, kinds.keyword_content);
  LowestFailure failures;
  const RuleCompiler compiler{rules, target, failures};
  HsDatabase content, scoped, paths;
  // One pool of tasks over every core, longest first: the databases, then
  // every rule's RE2 (the shipped rules: 1.2 s of CPU in 0.5 ms pieces).
  // NOTE: the content database is a third of a cold compile's CPU (0.9 s
  // of 2.8 s for 1,557 rules) in one call Hyperscan cannot split: started
  // first, it ends before the RE2 checks do on two cores.
  const std::array<std::function<void()>, 3> databases = {
    [&] { content = compiler.matching_database(kinds.content, index.keywords); },
    [&] { scoped = compiler.field_database(kinds.scoped_content, &rules::Rule::regex, 0, true, scoped_stage); },
    [&] {
      paths = compiler.field_database(kinds.path_scoped, &rules::Rule::path_regex, HS_FLAG_SINGLEMATCH, false,
                                      path_stage);
    },
  };
  for_each_parallel(threads, databases.size() + rules.size(), [&](std::size_t task) {
    if (task < databases.size()) {
      databases[task]();
    } else {
      compiler.check_re2(task - databases.size());
    }
  });
  failures.rethrow();
  return std::make_shared<const CompiledRules>(std::move(rules), std::move(content), std::move(scoped),
                                               std::move(paths), std::move(lookback), false);
}

void CompiledRules::check_regexes_in_hyperscan() const {
  std::vector<std::size_t> content;
  for (std::size_t i = 0; i < m_rules.size(); ++i) {
    if (!m_rules[i].regex.empty()) {
      content.push_back(i);
    }
  }
  LowestFailure failures;
  RuleCompiler{m_rules, CpuTarget::native, failures}.field_database(content, &rules::Rule::regex, 0, false,
                                                                    content_stage);
  failures.rethrow();
}

std::shared_ptr<const CompiledRules> CompiledRules::validate_and_compile(rules::RuleSet set) {
  auto compiled = compile(std::move(set));
  compiled->check_regexes_in_hyperscan();
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

fs::path CompiledRules::cache_file(const fs::path& dir, const std::string& identity, CpuTarget target) {
  return dir / fmt::format("rules-{}.bin", cache_key(identity, target));
}

std::shared_ptr<const CompiledRules> CompiledRules::read_cache(const fs::path& file) {
  auto decoded = [](std::string_view bytes) -> std::shared_ptr<const CompiledRules> {
    auto cached = decode_cache(bytes);
    if (!cached) {
      return nullptr;
    }
    return std::make_shared<const CompiledRules>(std::move(cached->rules), std::move(cached->content),
                                                 std::move(cached->scoped), std::move(cached->paths),
                                                 std::move(cached->lookback), true);
  };
  auto bytes = MappedFile::open(file);
  if (!bytes) {
    return nullptr;
  }
  if (auto target = cache_link_target(bytes->view())) {
    auto linked = MappedFile::open(*target);
    return linked ? decoded(linked->view()) : nullptr;
  }
  return decoded(bytes->view());
}

bool CompiledRules::write_cache(const fs::path& file) const {
  return write_cache_file(file, encode_cache(m_rules, m_lookback, {database(), scoped_database(), path_database()}));
}

bool CompiledRules::link_cache(const fs::path& file, const fs::path& target) {
  return write_cache_file(file, encode_cache_link(target));
}

std::shared_ptr<const CompiledRules> CompiledRules::load(const std::string& identity,
                                                         const std::function<rules::RuleSet()>& build,
                                                         const CacheOptions& cache) {
  const fs::path file = cache.dir.empty() ? fs::path() : cache_file(cache.dir, identity);
  if (!file.empty()) {
    if (auto cached = read_cache(file)) {
      return cached;
    }
  }
  auto compiled = compile(build());
  if (!file.empty()) {
    compiled->write_cache(file);
  }
  return compiled;
}

} // namespace leakstop::engine
