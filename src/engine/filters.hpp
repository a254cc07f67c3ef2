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

// What a confirmed match is judged on.
struct Candidate {
  std::string_view secret;
  std::string_view match;  // the whole regex match
  std::string_view lines;  // the full text of the line(s) the secret spans
  std::string_view path;
  std::string_view commit;  // empty outside commit scans
};

// A gitleaks-style allowlist with its regexes compiled.
struct CompiledAllowlist {
  rules::RuleAllowlist source;
  std::vector<std::unique_ptr<RE2>> regexes;
  std::vector<std::unique_ptr<RE2>> paths;
};
// True when `lines` hold an inline `leakstop:allow` (or `gitleaks:allow`).
bool has_inline_allow(std::string_view lines);

// Thread-safety: not thread-safe (it compiles allowlists on first use); one
// per Scanner, so one per thread.
class FindingFilter {
public:
  // `rules`: every rule a scanner runs, by the index its matches carry.
  FindingFilter(std::vector<const rules::Rule*> rules, const rules::Allowlist& allowlist,
                const std::vector<rules::RuleAllowlist>& global_allowlists);

  // True when rule `rule_index` should report `c.secret`.
  bool keep(std::size_t rule_index, const Candidate& c);

  bool path_allowlisted(std::string_view path) const;

  // For a path rule, `allow_regexes` apply to the path (it has no secret).
  bool keep_path(std::size_t rule_index, std::string_view path, std::string_view commit);

private:
  const std::vector<std::unique_ptr<RE2>>& rule_allow(std::size_t rule_index);
  const std::vector<std::unique_ptr<RE2>>& rule_allow_line(std::size_t rule_index);
  // True when an allowlist of the rule, or a global one, drops `c`.
  bool allowlisted(std::size_t rule_index, const Candidate& c);

  std::vector<const rules::Rule*> m_rules;
  std::vector<std::string> m_stopwords;
  std::vector<std::unique_ptr<RE2>> m_allow_secret;
  std::vector<std::unique_ptr<RE2>> m_allow_path;
  // Built on first use, per rule: most rules never hit.
  std::vector<std::unique_ptr<std::vector<std::unique_ptr<RE2>>>> m_rule_allow;
  std::vector<std::unique_ptr<std::vector<std::unique_ptr<RE2>>>> m_rule_allow_line;
  std::vector<std::unique_ptr<std::vector<CompiledAllowlist>>> m_rule_allowlists;
  std::vector<CompiledAllowlist> m_global_allowlists;
};

} // namespace leakstop::engine
