#include "engine/filters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/placeholder.hpp"
#include "core/secret.hpp"

namespace leakstop::engine {
namespace {

std::vector<std::unique_ptr<RE2>> compile_all(const std::vector<std::string>& patterns, std::string_view what) {
  std::vector<std::unique_ptr<RE2>> out;
  for (const auto& pattern : patterns) {
    auto re = std::make_unique<RE2>(pattern, rule_re2_options());
    if (!re->ok()) {
      throw ConfigError(fmt::format("{}: bad regex '{}': {}", what, pattern, re->error()));
    }
    out.push_back(std::move(re));
  }
  return out;
}

bool any_match(const std::vector<std::unique_ptr<RE2>>& regexes, std::string_view text) {
  return std::any_of(regexes.begin(), regexes.end(),
                     [&](const auto& re) { return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re); });
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

CompiledAllowlist compile_allowlist(const rules::RuleAllowlist& source, std::string_view what) {
  CompiledAllowlist out{source, compile_all(source.regexes, what), compile_all(source.paths, what)};
  for (auto& word : out.source.stopwords) {
    word = lowercase(word);
  }
  return out;
}

// gitleaks semantics: the criteria given are combined with OR (any) or AND
// (all); an allowlist with no criteria drops nothing.
bool allowlist_matches(const CompiledAllowlist& a, const Candidate& c) {
  int present = 0;
  int matched = 0;
  auto criterion = [&](bool given, auto&& test) {
    if (given) {
      ++present;
      matched += test() ? 1 : 0;
    }
  };
  criterion(!a.regexes.empty(), [&] {
    using Target = rules::RuleAllowlist::Target;
    Target t = a.source.regex_target;
    return any_match(a.regexes, t == Target::secret ? c.secret : t == Target::match ? c.match : c.lines);
  });
  criterion(!a.paths.empty(), [&] { return any_match(a.paths, c.path); });
  criterion(!a.source.stopwords.empty(), [&] {
    const std::string lower = lowercase(c.secret);
    return std::any_of(a.source.stopwords.begin(), a.source.stopwords.end(),
                       [&](const std::string& w) { return lower.find(w) != std::string::npos; });
  });
  criterion(!a.source.commits.empty(), [&] {
    return !c.commit.empty() && std::any_of(a.source.commits.begin(), a.source.commits.end(), [&](const std::string& id) {
      return !id.empty() && c.commit.substr(0, id.size()) == id;
    });
  });
  if (present == 0) {
    return false;
  }
  return a.source.condition == rules::RuleAllowlist::Condition::any ? matched > 0 : matched == present;
}
} // namespace

bool has_inline_allow(std::string_view lines) {
  return lines.find("leakstop:allow") != std::string_view::npos || lines.find("gitleaks:allow") != std::string_view::npos;
}

FindingFilter::FindingFilter(std::vector<const rules::Rule*> rules, const rules::Allowlist& allowlist,
                             const std::vector<rules::RuleAllowlist>& global_allowlists)
  : m_rules(std::move(rules)),
    m_allow_secret(compile_all(allowlist.regexes, "allowlist.regexes")),
    m_allow_path(compile_all(allowlist.paths, "allowlist.paths")),
    m_rule_allow(m_rules.size()),
    m_rule_allow_line(m_rules.size()),
    m_rule_allowlists(m_rules.size()) {
  for (const auto& word : allowlist.stopwords) {
    m_stopwords.push_back(lowercase(word));
  }
  for (const auto& global : global_allowlists) {
    m_global_allowlists.push_back(compile_allowlist(global, "global allowlist"));
  }
}

bool FindingFilter::allowlisted(std::size_t i, const Candidate& c) {
  const rules::Rule& rule = *m_rules[i];
  if (!rule.allowlists.empty() && !m_rule_allowlists[i]) {
    auto compiled = std::make_unique<std::vector<CompiledAllowlist>>();
    for (const auto& a : rule.allowlists) {
      compiled->push_back(compile_allowlist(a, rule.id));
    }
    m_rule_allowlists[i] = std::move(compiled);
  }
  auto matches = [&](const CompiledAllowlist& a) { return allowlist_matches(a, c); };
  return std::any_of(m_global_allowlists.begin(), m_global_allowlists.end(), matches) ||
         (m_rule_allowlists[i] && std::any_of(m_rule_allowlists[i]->begin(), m_rule_allowlists[i]->end(), matches));
}

const std::vector<std::unique_ptr<RE2>>& FindingFilter::rule_allow(std::size_t i) {
  if (!m_rule_allow[i]) {
    m_rule_allow[i] = std::make_unique<std::vector<std::unique_ptr<RE2>>>(
      compile_all(m_rules[i]->allow_regexes, m_rules[i]->id));
  }
  return *m_rule_allow[i];
}

const std::vector<std::unique_ptr<RE2>>& FindingFilter::rule_allow_line(std::size_t i) {
  if (!m_rule_allow_line[i]) {
    m_rule_allow_line[i] = std::make_unique<std::vector<std::unique_ptr<RE2>>>(
      compile_all(m_rules[i]->allow_line_regexes, m_rules[i]->id));
  }
  return *m_rule_allow_line[i];
}

bool FindingFilter::keep(std::size_t rule_index, const Candidate& c) {
  const rules::Rule& rule = *m_rules[rule_index];
  const std::string_view secret = c.secret;
  const std::string_view lines = c.lines;
  if (secret.empty() || !validate_secret(rule.validator, secret)) {
    return false;
  }
  if (rule.min_entropy && shannon_entropy(secret) < *rule.min_entropy) {
    return false;
  }
  if (is_documentation_sample(secret) || (rule.placeholder_filter && looks_like_placeholder(secret))) {
    return false;
  }
  if (!rule.stopwords.empty() || !m_stopwords.empty()) {
    const std::string lower = lowercase(secret);
    auto contains = [&](const std::string& word) { return lower.find(word) != std::string::npos; };
    if (std::any_of(rule.stopwords.begin(), rule.stopwords.end(), contains) ||
        std::any_of(m_stopwords.begin(), m_stopwords.end(), contains)) {
      return false;
    }
  }
  if (any_match(m_allow_secret, secret) || (!rule.allow_regexes.empty() && any_match(rule_allow(rule_index), secret))) {
    return false;
  }
  if (!rule.allow_line_regexes.empty() && any_match(rule_allow_line(rule_index), lines)) {
    return false;
  }
  return !has_inline_allow(lines) && !allowlisted(rule_index, c);
}

bool FindingFilter::keep_path(std::size_t rule_index, std::string_view path, std::string_view commit) {
  const rules::Rule& rule = *m_rules[rule_index];
  if (!rule.allow_regexes.empty() && any_match(rule_allow(rule_index), path)) {
    return false;
  }
  return !allowlisted(rule_index, Candidate{"", path, "", path, commit});
}

bool FindingFilter::path_allowlisted(std::string_view path) const {
  if (any_match(m_allow_path, path)) {
    return true;
  }
  // A global allowlist whose paths alone suffice skips the file outright.
  return std::any_of(m_global_allowlists.begin(), m_global_allowlists.end(), [&](const CompiledAllowlist& a) {
    return a.source.condition == rules::RuleAllowlist::Condition::any && any_match(a.paths, path);
  });
}

} // namespace leakstop::engine
