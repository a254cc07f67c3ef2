#pragma once
// Runs every rule's examples through the real engines: each positive example
// must be reported by its rule, no negative example may be.

#include <string>
#include <vector>

#include "engine/compiled_rules.hpp"

namespace leakstop::engine {

struct ExampleFailure {
  const rules::Rule* rule;
  std::string reason;  // "example 2 is not reported: <text>"
};

std::vector<ExampleFailure> test_examples(const CompiledRules& compiled);

// Every match of a content rule's regex in its positive examples holds one
// of the rule's keywords, case-insensitively: the keywords are the rule's
// promise of what its matches contain. (An example found only once decoded
// has no match of its own to check.)
std::vector<ExampleFailure> test_keywords(const std::vector<rules::Rule>& rules);

} // namespace leakstop::engine
