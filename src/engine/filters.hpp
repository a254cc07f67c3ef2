#pragma once
// The checks a confirmed match must pass before it is reported. Internal
// to leakstop_engine.

#include <re2/re2.h>

#include <memory>
#include <string_view>
#include <vector>

#include "engine/compiled_rules.hpp"
#include "rules/repo_config.hpp"

namespace leakstop::engine {

// True when `lines` hold an inline `leakstop:allow` (or `gitleaks:allow`).
bool has_inline_allow(std::string_view lines);

class FindingFilter {
public:
  FindingFilter(const CompiledRules& rules, const rules::Allowlist& allowlist);

  // True when rule `rule_index` should report `secret`, seen on `lines`
  // (the full text of the line(s) the secret spans).
  bool keep(std::size_t rule_index, std::string_view secret, std::string_view lines);

  bool path_allowlisted(std::string_view path) const;

  // For a path rule, `allow_regexes` apply to the path (it has no secret).
  bool keep_path(std::size_t rule_index, std::string_view path);

private:
  const std::vector<std::unique_ptr<RE2>>& rule_allow(std::size_t rule_index);
  const std::vector<std::unique_ptr<RE2>>& rule_allow_line(std::size_t rule_index);

  const CompiledRules& m_rules;
  std::vector<std::string> m_stopwords;
  std::vector<std::unique_ptr<RE2>> m_allow_secret;
  std::vector<std::unique_ptr<RE2>> m_allow_path;
  // Built on first use, per rule: most rules never hit.
  std::vector<std::unique_ptr<std::vector<std::unique_ptr<RE2>>>> m_rule_allow;
  std::vector<std::unique_ptr<std::vector<std::unique_ptr<RE2>>>> m_rule_allow_line;
};

} // namespace leakstop::engine
