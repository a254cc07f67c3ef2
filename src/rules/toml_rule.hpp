#pragma once
// Internal to leakstop_rules: turns one TOML `[[rule]]` table into a Rule.

#include <toml++/toml.h>

#include <string>

#include "rules/rule.hpp"
#include "rules/ruleset.hpp"

namespace leakstop::rules {

// Throws ConfigError "<file>:<line>: rule '<id>': <reason>".
Rule parse_rule_table(const toml::table& table, const std::string& file, Examples examples);

// "<file>:<line>: " for a node, or "<file>: " when it has no position.
std::string where(const std::string& file, const toml::node& node);

} // namespace leakstop::rules
