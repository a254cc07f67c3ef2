#include "engine/examples.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

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

} // namespace

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
