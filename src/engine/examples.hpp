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

} // namespace leakstop::engine
