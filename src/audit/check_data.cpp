#include "audit/check_data.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>

#include "audit/checks_toml.hpp"
#include "core/error.hpp"
#include "core/file.hpp"

namespace leakstop::audit {
namespace {

std::string at(const std::string& name, const toml::node& node, std::string_view key) {
  return fmt::format("{}:{}: '{}'", name, node.source().begin.line, key);
}

std::vector<std::string> strings(const toml::node& node, const std::string& name, std::string_view key) {
  const toml::array* array = node.as_array();
  if (!array) {
    throw ConfigError(at(name, node, key) + " must be an array of strings");
  }
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    if (!item.is_string() || item.value<std::string_view>()->empty()) {
      throw ConfigError(at(name, item, key) + " must hold only non-empty strings");
    }
    out.emplace_back(*item.value<std::string_view>());
  }
  return out;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const toml::table& table(const toml::node& node, const std::string& name, std::string_view key) {
  if (!node.is_table()) {
    throw ConfigError(at(name, node, key) + " must be a table");
  }
  return *node.as_table();
}

void append(std::vector<std::string>& to, std::vector<std::string> more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

void add_webhook(CheckData& data, const toml::table& entry, const std::string& name) {
  WebhookLanguage language;
  for (const auto& [key, node] : entry) {
    if (key == "language" || key == "safe") {
      if (!node.is_string()) {
        throw ConfigError(at(name, node, key.str()) + " must be a string");
      }
      (key == "language" ? language.language : language.safe) = *node.value<std::string>();
    } else if (key == "extensions" || key == "hmac_markers") {
      (key == "extensions" ? language.extensions : language.hmac_markers) = strings(node, name, key.str());
    } else {
      throw ConfigError(at(name, node, key.str()) + " is not a [[webhooks]] key");
    }
  }
  if (language.language.empty()) {
    throw ConfigError(fmt::format("{}:{}: [[webhooks]] needs a 'language'", name, entry.source().begin.line));
  }
  for (WebhookLanguage& known : data.webhooks) {
    if (known.language == language.language) {
      append(known.extensions, std::move(language.extensions));
      append(known.hmac_markers, std::move(language.hmac_markers));
      known.safe = language.safe.empty() ? known.safe : language.safe;
      return;
    }
  }
  if (language.extensions.empty() || language.hmac_markers.empty() || language.safe.empty()) {
    throw ConfigError(fmt::format("{}:{}: a new [[webhooks]] language needs extensions, hmac_markers and safe", name,
                                  entry.source().begin.line));
  }
  data.webhooks.push_back(std::move(language));
}

} // namespace

void extend_check_data(CheckData& data, std::string_view toml_text, const std::string& name) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: invalid TOML: {}", name, e.source().begin.line, e.description()));
  }
  for (const auto& [section, node] : doc) {
    if (section == "environments") {
      for (const auto& [canonical, aliases] : table(node, name, section.str())) {
        for (std::string& alias : strings(aliases, name, canonical.str())) {
          data.environments.emplace_back(lowercase(std::move(alias)), std::string(canonical.str()));
        }
      }
    } else if (section == "paths" || section == "live_keys") {
      for (const auto& [key_name, list] : table(node, name, section.str())) {
        std::string_view key = key_name.str();
        std::vector<std::string>* to = key == "environment_parents"    ? &data.environment_parents
                                       : key == "test_dirs"            ? &data.test_dirs
                                       : key == "env_example_suffixes" ? &data.env_example_suffixes
                                       : key == "value_markers"        ? &data.live_value_markers
                                       : key == "rule_words"           ? &data.live_rule_words
                                                                       : nullptr;
        if (!to) {
          throw ConfigError(at(name, list, key) + " is not a key of [" + std::string(section.str()) + "]");
        }
        append(*to, strings(list, name, key));
      }
    } else if (section == "webhooks" && node.is_array_of_tables()) {
      for (const toml::node& entry : *node.as_array()) {
        add_webhook(data, *entry.as_table(), name);
      }
    } else {
      throw ConfigError(at(name, node, section.str()) + " is not a section of the audit's check data");
    }
  }
}

void extend_check_data(CheckData& data, const std::filesystem::path& file) {
  std::optional<std::string> text = read_config_file(file, IfMissing::error);
  extend_check_data(data, *text, file.string());
}

CheckData builtin_check_data() {
  CheckData data;
  extend_check_data(data, k_builtin_checks_toml, "data/audit/checks.toml");
  return data;
}

} // namespace leakstop::audit
