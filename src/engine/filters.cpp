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

} // namespace

bool has_inline_allow(std::string_view lines) {
  return lines.find("leakstop:allow") != std::string_view::npos || lines.find("gitleaks:allow") != std::string_view::npos;
}

FindingFilter::FindingFilter(const CompiledRules& rules, const rules::Allowlist& allowlist)
  : m_rules(rules),
    m_allow_secret(compile_all(allowlist.regexes, "allowlist.regexes")),
    m_allow_path(compile_all(allowlist.paths, "allowlist.paths")),
    m_rule_allow(rules.rules().size()),
    m_rule_allow_line(rules.rules().size()) {
  for (const auto& word : allowlist.stopwords) {
    m_stopwords.push_back(lowercase(word));
  }
}

const std::vector<std::unique_ptr<RE2>>& FindingFilter::rule_allow(std::size_t i) {
  if (!m_rule_allow[i]) {
    m_rule_allow[i] = std::make_unique<std::vector<std::unique_ptr<RE2>>>(
      compile_all(m_rules.rules()[i].allow_regexes, m_rules.rules()[i].id));
  }
  return *m_rule_allow[i];
}

const std::vector<std::unique_ptr<RE2>>& FindingFilter::rule_allow_line(std::size_t i) {
  if (!m_rule_allow_line[i]) {
    m_rule_allow_line[i] = std::make_unique<std::vector<std::unique_ptr<RE2>>>(
      compile_all(m_rules.rules()[i].allow_line_regexes, m_rules.rules()[i].id));
  }
  return *m_rule_allow_line[i];
}

bool FindingFilter::keep(std::size_t rule_index, std::string_view secret, std::string_view lines) {
  const rules::Rule& rule = m_rules.rules()[rule_index];
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
  return !has_inline_allow(lines);
}

bool FindingFilter::keep_path(std::size_t rule_index, std::string_view path) {
  const rules::Rule& rule = m_rules.rules()[rule_index];
  return rule.allow_regexes.empty() || !any_match(rule_allow(rule_index), path);
}

bool FindingFilter::path_allowlisted(std::string_view path) const {
  return any_match(m_allow_path, path);
}

} // namespace leakstop::engine
