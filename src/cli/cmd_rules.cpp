#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "scan/paths.hpp"
#include "engine/examples.hpp"

namespace leakstop::cli {

int cmd_rules_list(const CommonOptions& options) {
  rules::RuleSet set = scan::load_shipped_rules(options);
  for (const rules::Rule& rule : set.rules()) {
    // A rule file given with --rule-file may come with a repository.
    std::cout << fmt::format("{:<40} {:<8} {:<6} {}  ({})\n", printable(rule.id), to_string(rule.severity),
                             to_string(rule.confidence), printable(rule.description),
                             printable(std::filesystem::path(rule.source_file).filename().string()));
  }
  std::cout << fmt::format("{} rules\n", set.rules().size());
  return 0;
}

int cmd_rules_test(const CommonOptions& options, const std::vector<std::string>& files) {
  rules::RuleSet set;
  if (files.empty()) {
    set = scan::load_shipped_rules(options);
  } else {
    for (const auto& file : files) {
      set.add_file(file, rules::Examples::required);
    }
  }
  auto compiled = engine::CompiledRules::compile(std::move(set));
  compiled->check_regexes_in_hyperscan();
  std::size_t examples = 0;
  for (const rules::Rule& rule : compiled->rules()) {
    examples += rule.examples.size() + rule.negative_examples.size();
  }
  auto failures = engine::test_examples(*compiled);
  for (const auto& failure : failures) {
    std::cout << fmt::format("FAIL {}:{}: rule '{}': {}\n", failure.rule->source_file, failure.rule->source_line,
                             failure.rule->id, failure.reason);
  }
  std::cout << fmt::format("{} rules, {} examples: {} passed, {} failed\n", compiled->rules().size(), examples,
                           examples - failures.size(), failures.size());
  return failures.empty() ? 0 : 1;
}

} // namespace leakstop::cli
