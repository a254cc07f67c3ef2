#pragma once
// Internal to leakstop_rules: turns one TOML `[[rule]]` table into a Rule.

#include <toml++/toml.h>

#include <string>

#include "rules/rule.hpp"
#include "rules/ruleset.hpp"
#include "rules/toml_read.hpp"

namespace leakstop::rules {

// Throws ConfigError "<file>:<line>: rule '<id>': <reason>".
Rule parse_rule_table(const toml::table& table, const std::string& file, Examples examples);

} // namespace leakstop::rules
