#include "engine/examples.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

#include "engine/scanner.hpp"

namespace leakstop::engine {
namespace {

// A shared_ptr that does not own: the caller's CompiledRules outlives the scanner.
std::shared_ptr<const CompiledRules> borrow(const CompiledRules& compiled) {
  return std::shared_ptr<const CompiledRules>(&compiled, [](const CompiledRules*) {});
}

bool reports(Scanner& scanner, const rules::Rule& rule, const std::string& example) {
  std::vector<Finding> findings;
  if (rule.is_path_rule()) {
    findings = scanner.scan_path(example, rule.binary ? Binary::yes : Binary::no);
  } else {
    std::string path = rule.example_path.empty() ? "example.txt" : rule.example_path;
    findings = scanner.scan(example, path);
  }
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule_id == rule.id; });
}

std::string shorten(const std::string& s) {
  std::string one_line = s.substr(0, 120);
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  return s.size() > 120 ? one_line + "…" : one_line;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The first match of `re` in `example` that holds none of `keywords`.
std::optional<std::string> match_without_keyword(const RE2& re, const std::vector<std::string>& keywords,
                                                 const std::string& example) {
  re2::StringPiece text(example);
  re2::StringPiece match;
  for (std::size_t pos = 0; pos <= text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, &match, 1);) {
    const std::string lower = lowercase(std::string_view(match.data(), match.size()));
    if (std::none_of(keywords.begin(), keywords.end(), [&](const std::string& k) { return lower.find(k) != std::string::npos; })) {
      return std::string(match.data(), match.size());
    }
    const std::size_t end = static_cast<std::size_t>(match.data() - text.data()) + match.size();
    pos = match.empty() ? end + 1 : end;
  }
  return std::nullopt;
}

} // namespace

std::vector<ExampleFailure> test_keywords(const std::vector<rules::Rule>& rules) {
  std::vector<ExampleFailure> failures;
  for (const rules::Rule& rule : rules) {
    if (rule.is_path_rule()) {
      continue;
    }
    RE2 re(rule.regex, rule_re2_options());
    for (std::size_t i = 0; i < rule.examples.size(); ++i) {
      if (auto match = match_without_keyword(re, rule.keywords, rule.examples[i])) {
        failures.push_back({&rule, fmt::format("example {}: no keyword ({}) in what the rule matches: {}", i + 1,
                                               fmt::join(rule.keywords, ", "), shorten(*match))});
      }
    }
  }
  return failures;
}

std::vector<ExampleFailure> test_examples(const CompiledRules& compiled) {
  ScanOptions options;
  options.overlap = Overlap::keep_all;
  Scanner scanner(borrow(compiled), options);
  std::vector<ExampleFailure> failures;
  for (const rules::Rule& rule : compiled.rules()) {
    for (std::size_t i = 0; i < rule.examples.size(); ++i) {
      if (!reports(scanner, rule, rule.examples[i])) {
        failures.push_back({&rule, fmt::format("example {} is not reported: {}", i + 1, shorten(rule.examples[i]))});
      }
    }
    for (std::size_t i = 0; i < rule.negative_examples.size(); ++i) {
      if (reports(scanner, rule, rule.negative_examples[i])) {
        failures.push_back({&rule, fmt::format("negative example {} is reported: {}", i + 1,
                                               shorten(rule.negative_examples[i]))});
      }
    }
  }
  return failures;
}

} // namespace leakstop::engine
