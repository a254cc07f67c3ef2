#include "rules/repo_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/file.hpp"
#include "rules/toml_rule.hpp"

namespace leakstop::rules {
namespace {

std::vector<std::string> string_array(toml::node_view<const toml::node> node, const std::string& file,
                                      std::string_view key) {
  std::vector<std::string> out;
  if (!node) {
    return out;
  }
  const toml::array* array = node.as_array();
  if (!array) {
    throw ConfigError(fmt::format("{}'{}' must be an array of strings", where(file, *node.node()), key));
  }
  for (const toml::node& item : *array) {
    if (!item.is_string()) {
      throw ConfigError(fmt::format("{}'{}' must hold only strings", where(file, item), key));
    }
    out.emplace_back(*item.value<std::string_view>());
  }
  return out;
}

} // namespace

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
  for (const auto& [key, node] : doc) {
    std::string_view k = key.str();
    if (k != "disabled_rules" && k != "max_file_size" && k != "allowlist" && k != "rule") {
      throw ConfigError(fmt::format("{}unknown key '{}'", where(name, node), k));
    }
  }
  config.text = text;
  if (const toml::array* extra = doc["rule"].as_array()) {
    for (const toml::node& node : *extra) {
      if (const toml::table* table = node.as_table()) {
        config.extra_rules.push_back(parse_rule_table(*table, name, Examples::optional));
      }
    }
  }
  config.disabled_rules = string_array(doc["disabled_rules"], name, "disabled_rules");
  if (const toml::node* size = doc.get("max_file_size")) {
    // Exact: toml++ converts a float such as 10E24 to int64_t with a cast
    // that is undefined out of range.
    const std::optional<int64_t> bytes = size->value_exact<int64_t>();
    if (!bytes || *bytes <= 0) {
      throw ConfigError(fmt::format("{}max_file_size must be a positive integer", where(name, *size)));
    }
    config.max_file_size = static_cast<std::uint64_t>(*bytes);
  }
  auto allow = doc["allowlist"];
  config.allowlist.paths = string_array(allow["paths"], name, "allowlist.paths");
  config.allowlist.regexes = string_array(allow["regexes"], name, "allowlist.regexes");
  config.allowlist.stopwords = string_array(allow["stopwords"], name, "allowlist.stopwords");
  return config;
}

} // namespace leakstop::rules
