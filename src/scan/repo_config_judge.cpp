#include "scan/repo_config_judge.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "core/error.hpp"
#include "rules/repo_config.hpp"

namespace leakstop::scan {
namespace {

std::vector<std::unique_ptr<re2::RE2>> compile(const std::vector<std::string>& patterns, const std::string& where) {
  std::vector<std::unique_ptr<re2::RE2>> out;
  for (const std::string& p : patterns) {
    auto re = std::make_unique<re2::RE2>(p, re2::RE2::Quiet);
    if (!re->ok()) {
      throw ConfigError(fmt::format("{}: invalid regex: {}", where, re->error()));
    }
    out.push_back(std::move(re));
  }
  return out;
}

bool any_match(const std::vector<std::unique_ptr<re2::RE2>>& res, const std::string& text) {
  return std::any_of(res.begin(), res.end(), [&](const auto& re) { return re2::RE2::PartialMatch(text, *re); });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The ignore files alone: the allowlist is judged here, not by Suppressions.
RepoFiles ignore_files_only(const RepoFiles& files) {
  RepoFiles out;
  out.leakstopignore = files.leakstopignore;
  out.gitleaksignore = files.gitleaksignore;
  out.origin = files.origin;
  return out;
}

} // namespace

RepoConfigJudge::RepoConfigJudge(const RepoFiles& files) : m_ignore_files(ignore_files_only(files), "") {
  if (files.leakstop_toml) {
    const rules::RepoConfig config = rules::parse_repo_config(*files.leakstop_toml, files.toml_name);
    m_disabled_rules = config.disabled_rules;
    m_paths = compile(config.allowlist.paths, files.toml_name + " allowlist.paths");
    m_regexes = compile(config.allowlist.regexes, files.toml_name + " allowlist.regexes");
    for (const std::string& word : config.allowlist.stopwords) {
      m_stopwords.push_back(lower(word));
    }
  }
}

RepoConfigJudge::~RepoConfigJudge() = default;

std::string RepoConfigJudge::would_hide(const Finding& f) {
  if (std::find(m_disabled_rules.begin(), m_disabled_rules.end(), f.rule_id) != m_disabled_rules.end()) {
    return "disabled_rules";
  }
  if (any_match(m_paths, f.location.path)) {
    return "allowlist.paths";
  }
  if (!f.path_rule && any_match(m_regexes, f.secret)) {
    return "allowlist.regexes";
  }
  const std::string secret = lower(f.secret);
  if (!f.path_rule && std::any_of(m_stopwords.begin(), m_stopwords.end(),
                                  [&](const std::string& w) { return secret.find(w) != std::string::npos; })) {
    return "allowlist.stopwords";
  }
  if (m_ignore_files.judge(f) != Suppressions::Verdict::report) {
    return ".leakstopignore or .gitleaksignore";
  }
  return "";
}

std::string describe(const HiddenCounts& counts) {
  std::string out;
  for (const auto& [what, n] : counts) {
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", n, what);
  }
  return out;
}

} // namespace leakstop::scan
