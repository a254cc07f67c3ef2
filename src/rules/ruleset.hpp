#pragma once
// Loads rule files into a RuleSet and checks their structure.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace leakstop::rules {

// Shipped rules must prove themselves with examples; a repository's own
// extra rules in .leakstop.toml may omit them.
enum class Examples { required, optional };

class RuleSet {
public:
  const std::vector<Rule>& rules() const { return m_rules; }
  // Hash of every loaded file's bytes, in load order: the compiled-rules
  // cache key and what `rules check` validated.
  std::string content_hash() const;

  // Parses `text` as a rule file named `name`. Throws ConfigError naming
  // the file, line and rule id on any problem, including a duplicate id.
  void add_file_text(std::string_view text, const std::string& name, Examples examples);
  void add_file(const std::filesystem::path& file, Examples examples);
  // Every *.toml in `dir`, sorted by name.
  void add_directory(const std::filesystem::path& dir, Examples examples);
  // Drops the rules with these ids; throws ConfigError for an unknown id.
  void disable(const std::vector<std::string>& ids);
  void add_rule(Rule rule);
  // Makes `text` part of content_hash(), for rules added with add_rule().
  void add_to_hash(std::string_view name, std::string_view text);

private:
  std::vector<Rule> m_rules;
  std::string m_hash_material;
};

} // namespace leakstop::rules
