#include "rules/ruleset.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <sys/stat.h>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "rules/toml_read.hpp"
#include "rules/toml_rule.hpp"

namespace leakstop::rules {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> toml_files_in(const fs::path& dir) {
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
  return files;
}

} // namespace

std::string read_rule_file(const fs::path& file) {
  return std::move(*read_config_file(file, IfMissing::error));
}

void check_unique_id(const std::vector<Rule>& existing, const Rule& rule) {
  for (const Rule& other : existing) {
    if (other.id == rule.id || other.answers_to(rule.id) || rule.answers_to(other.id)) {
      throw ConfigError(fmt::format("{}:{}: rule '{}': duplicate id (first defined at {}:{})", rule.source_file,
                                    rule.source_line, rule.id, other.source_file, other.source_line));
    }
  }
}

void RuleSet::add_rule(Rule rule) {
  check_unique_id(m_rules, rule);
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
  const std::vector<const toml::table*> tables = TomlReader(name).tables(doc, "rule");
  if (tables.empty()) {
    throw ConfigError(fmt::format("{}: no [[rule]] tables", name));
  }
  for (const toml::table* table : tables) {
    add_rule(parse_rule_table(*table, name, examples));
  }
}

void RuleSet::add_file(const fs::path& file, Examples examples) {
  add_file_text(read_rule_file(file), file.string(), examples);
}

void RuleSet::add_directory(const fs::path& dir, Examples examples) {
  for (const auto& file : toml_files_in(dir)) {
    add_file(file, examples);
  }
}

void RuleSet::disable(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    // An old id disables every rule it was renamed or split into.
    if (std::erase_if(m_rules, [&](const Rule& r) { return r.answers_to(id); }) == 0) {
      throw ConfigError(fmt::format("cannot disable unknown rule id '{}'", id));
    }
  }
}

void RuleFiles::add_file(const fs::path& file, Examples examples) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw ConfigError(fmt::format("{}: cannot read rule file", file.string()));
  }
  // The change time too: an edit that keeps the size and puts the
  // modification time back (touch -r, a restored backup) still changes it,
  // and nothing but the clock can set it.
  std::string signature = fmt::format("{}\n{}\n{}\n{}.{}\n{}.{}\n{}", file.string(), st.st_size, st.st_ino,
                                      st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
                                      examples == Examples::required ? 'r' : 'o');
  m_files.push_back({file, std::move(signature), examples});
}

void RuleFiles::add_directory(const fs::path& dir, Examples examples) {
  for (const auto& file : toml_files_in(dir)) {
    add_file(file, examples);
  }
}

std::string RuleFiles::digest() const {
  std::string material;
  for (const File& f : m_files) {
    material.append(f.signature).push_back('\0');
  }
  return sha256_hex(material);
}

std::string RuleFiles::content_digest() const {
  std::string material;
  for (const File& f : m_files) {
    material.append(f.path.filename().string()).push_back('\0');
    material.append(sha256_hex(read_rule_file(f.path))).push_back(f.examples == Examples::required ? 'r' : 'o');
  }
  return sha256_hex(material);
}

RuleSet RuleFiles::parse() const {
  RuleSet set;
  for (const File& f : m_files) {
    set.add_file(f.path, f.examples);
  }
  return set;
}

} // namespace leakstop::rules
