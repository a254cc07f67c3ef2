#include "rules/repo_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/file.hpp"
#include "rules/toml_read.hpp"
#include "rules/toml_rule.hpp"

namespace leakstop::rules {

void RepoConfig::apply_to(RuleSet& rules) const {
  for (const Rule& rule : extra_rules) {
    rules.add_rule(rule);
  }
  rules.disable(disabled_rules);
}

RepoConfig load_repo_config(const std::filesystem::path& file) {
  // A .leakstop.toml that is there but cannot be read (a FIFO, /dev/zero, a
  // link loop, no permission) is an error, never an empty configuration.
  std::optional<std::string> text = read_config_file(file, IfMissing::absent);
  if (!text) {
    return RepoConfig();
  }
  return parse_repo_config(*text, file.string());
}

RepoConfig parse_repo_config(std::string_view text, const std::string& name) {
  RepoConfig config;
  toml::table parsed;
  try {
    parsed = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: invalid TOML: {}", name, e.source().begin.line, e.description()));
  }
  const toml::table& doc = parsed;
  TomlReader top(name, "", "{}");
  top.only_keys(doc, {"disabled_rules", "max_file_size", "allowlist", "rule"}, "");
  config.text = text;
  for (const toml::table* table : top.tables(doc, "rule")) {
    config.extra_rules.push_back(parse_rule_table(*table, name, Examples::optional));
  }
  config.disabled_rules = top.strings(doc, "disabled_rules");
  config.max_file_size = top.byte_size(doc, "max_file_size");
  if (const toml::table* allow = top.table(doc, "allowlist")) {
    TomlReader in_allowlist(name, "", "allowlist.{}");
    in_allowlist.only_keys(*allow, {"paths", "regexes", "stopwords"}, "[allowlist]");
    config.allowlist.paths = in_allowlist.strings(*allow, "paths");
    config.allowlist.regexes = in_allowlist.strings(*allow, "regexes");
    config.allowlist.stopwords = in_allowlist.strings(*allow, "stopwords");
  }
  return config;
}

} // namespace leakstop::rules
