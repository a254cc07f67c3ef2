// `leakstop rules check`: the rule set's lint. Every rule compiles in both
// engines and passes its examples,
// its keywords occur in what it matches, and it stays quiet on a large body
// of real text that holds no secrets of anyone's.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"
#include "engine/examples.hpp"

namespace leakstop::cli {
namespace {

struct RuleNoise {
  std::size_t count = 0;
  std::vector<std::string> samples;  // "path:line:col  preview"
};

std::string describe(const Finding& f, bool show_secrets) {
  std::string where = f.path_rule ? f.location.path
                                  : fmt::format("{}:{}:{}", f.location.path, f.location.line, f.location.column);
  std::string secret = f.path_rule ? "(file name)" : show_secrets ? f.secret : redact(f.secret);
  std::string how = f.decoded.empty() ? "" : fmt::format("  (decoded: {})", f.decoded);
  return fmt::format("{}  {}{}", where, secret, how);
}

} // namespace

int cmd_rules_check(const CommonOptions& options, const CheckOptions& check) {
  if (check.max_per_100mb < 0 || check.corpus_limit_mb == 0) {
    throw ConfigError("--max-per-100mb must be 0 or more and --corpus-limit more than 0");
  }
  // Keywords first: matching relies on every match holding a keyword, so a
  // rule that breaks that also fails its examples, for this reason.
  rules::RuleSet parsed = scan::load_shipped_rules(options);
  auto keyword_failures = engine::test_keywords(parsed.rules());
  for (const auto& failure : keyword_failures) {
    std::cout << fmt::format("FAIL {}:{}: rule '{}': {}\n", failure.rule->source_file, failure.rule->source_line,
                             failure.rule->id, failure.reason);
  }
  std::cout << fmt::format("keywords  {} example(s) with a match that holds no keyword\n", keyword_failures.size());

  // Both engines compile every rule and every example behaves: no cache.
  std::shared_ptr<const engine::CompiledRules> compiled;
  if (keyword_failures.empty()) {
    compiled = engine::CompiledRules::validate_and_compile(std::move(parsed));
    std::cout << fmt::format("compile   {} rules compile in Hyperscan and RE2 and pass their examples\n",
                             compiled->rules().size());
  } else {
    compiled = engine::CompiledRules::compile(std::move(parsed));
    compiled->check_regexes_in_hyperscan();
    std::cout << fmt::format("compile   {} rules compile in Hyperscan and RE2 (examples not checked: fix the "
                             "keywords first)\n", compiled->rules().size());
  }

  engine::ScanOptions scan_options;
  scan_options.overlap = engine::Overlap::keep_all;  // every rule answers for itself
  scan_options.decode.depth = options.decode_depth;
  engine::Scanner scanner(compiled, scan_options);
  std::map<std::string, RuleNoise> noise;
  auto count = [&](const Finding& f) {
    RuleNoise& n = noise[f.rule_id];
    if (n.samples.size() < check.show) {
      n.samples.push_back(describe(f, options.show_secrets));
    }
    ++n.count;
  };
  sources::CorpusOptions corpus_options;
  corpus_options.max_bytes = check.corpus_limit_mb * 1'000'000;
  const auto start = std::chrono::steady_clock::now();
  sources::CorpusStats stats = sources::enumerate_corpus(check.corpus, corpus_options, [&](const sources::SourceBlob& blob) {
    auto binary = blob.skip == sources::Skip::binary ? engine::Binary::yes : engine::Binary::no;
    for (const Finding& f : scanner.scan_path(blob.path, binary)) {
      count(f);
    }
    for (const Finding& f : scanner.scan(blob.content, blob.path)) {
      count(f);
    }
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double megabytes = static_cast<double>(stats.text_bytes) / 1e6;
  const auto allowed = static_cast<std::size_t>(std::floor(check.max_per_100mb * megabytes / 100.0));
  std::cout << fmt::format("corpus    {} text files, {:.1f} MB of {} ({}) in {:.1f} s\n", stats.text_files, megabytes,
                           fmt::join(check.corpus, ", "),
                           stats.complete ? "all of it" : fmt::format("first {} MB by path hash", check.corpus_limit_mb),
                           seconds);
  std::cout << fmt::format("          a rule may fire {} times per 100 MB: at most {} times here\n",
                           check.max_per_100mb, allowed);

  std::size_t noisy = 0;
  for (const auto& [id, n] : noise) {
    if (n.count > allowed) {
      ++noisy;
      std::cout << fmt::format("NOISY {}: {} findings on the corpus (at most {})\n", id, n.count, allowed);
      for (const auto& sample : n.samples) {
        std::cout << "    " << printable(sample) << '\n';  // corpus text: any bytes
      }
    }
  }
  if (noise.size() > noisy) {
    std::cout << "quiet enough, listed for review:\n";
    for (const auto& [id, n] : noise) {
      if (n.count <= allowed) {
        std::cout << fmt::format("  {} ({})\n", id, n.count);
        for (const auto& sample : n.samples) {
          std::cout << "    " << printable(sample) << '\n';  // corpus text: any bytes
        }
      }
    }
  }
  const bool ok = noisy == 0 && keyword_failures.empty();
  std::cout << fmt::format("rules check: {}: {} noisy rule(s), {} keyword failure(s)\n", ok ? "passed" : "FAILED",
                           noisy, keyword_failures.size());
  return ok ? 0 : 1;
}

} // namespace leakstop::cli
