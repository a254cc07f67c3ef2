#include "rules/ruleset.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "core/error.hpp"
#include "core/secret.hpp"
#include "rules/toml_rule.hpp"

namespace leakstop::rules {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw ConfigError(fmt::format("{}: cannot read rule file", file.string()));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

} // namespace

void RuleSet::add_rule(Rule rule) {
  for (const Rule& existing : m_rules) {
    if (existing.id == rule.id) {
      throw ConfigError(fmt::format("{}:{}: rule '{}': duplicate id (first defined at {}:{})", rule.source_file,
                                    rule.source_line, rule.id, existing.source_file, existing.source_line));
    }
  }
  m_rules.push_back(std::move(rule));
}

void RuleSet::add_file_text(std::string_view text, const std::string& name, Examples examples) {
  toml::table doc;
  try {
    doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: invalid TOML: {}", name, e.source().begin.line, e.description()));
  }
  for (const auto& [key, node] : doc) {
    if (key.str() != "rule") {
      throw ConfigError(fmt::format("{}unknown top-level key '{}' (rule files hold [[rule]] tables)", where(name, node), key.str()));
    }
  }
  const toml::array* array = doc["rule"].as_array();
  if (!array) {
    throw ConfigError(fmt::format("{}: no [[rule]] tables", name));
  }
  for (const toml::node& node : *array) {
    const toml::table* table = node.as_table();
    if (!table) {
      throw ConfigError(fmt::format("{}'rule' must be an array of tables", where(name, node)));
    }
    add_rule(parse_rule_table(*table, name, examples));
  }
  add_to_hash(name, text);
}

void RuleSet::add_to_hash(std::string_view name, std::string_view text) {
  m_hash_material.append(name).push_back('\0');
  m_hash_material.append(text).push_back('\0');
}

std::string RuleSet::content_hash() const {
  return sha256_hex(m_hash_material);
}

void RuleSet::add_file(const fs::path& file, Examples examples) {
  add_file_text(read_file(file), file.string(), examples);
}

void RuleSet::add_directory(const fs::path& dir, Examples examples) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw ConfigError(fmt::format("{}: rules directory not found", dir.string()));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".toml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    throw ConfigError(fmt::format("{}: no *.toml rule files", dir.string()));
  }
  for (const auto& file : files) {
    add_file(file, examples);
  }
}

void RuleSet::disable(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    auto it = std::find_if(m_rules.begin(), m_rules.end(), [&](const Rule& r) { return r.id == id; });
    if (it == m_rules.end()) {
      throw ConfigError(fmt::format("cannot disable unknown rule id '{}'", id));
    }
    m_rules.erase(it);
    m_hash_material.append("disable:").append(id).push_back('\0');
  }
}

} // namespace leakstop::rules
