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

// Thread-safety: a value; const access from many threads is safe.
class RuleSet {
public:
  RuleSet() = default;
  explicit RuleSet(std::vector<Rule> rules) : m_rules(std::move(rules)) {}

  const std::vector<Rule>& rules() const { return m_rules; }
  std::vector<Rule> take_rules() { return std::move(m_rules); }

  // Parses `text` as a rule file named `name`. Throws ConfigError naming
  // the file, line and rule id on any problem, including a duplicate id.
  void add_file_text(std::string_view text, const std::string& name, Examples examples);
  void add_file(const std::filesystem::path& file, Examples examples);
  // Every *.toml in `dir`, sorted by name.
  void add_directory(const std::filesystem::path& dir, Examples examples);
  // Drops the rules with these ids; throws ConfigError for an unknown id.
  void disable(const std::vector<std::string>& ids);
  void add_rule(Rule rule);

private:
  std::vector<Rule> m_rules;
};

// Throws ConfigError when `rule`'s id (or an old id it answers to) is
// taken by one of `existing`.
void check_unique_id(const std::vector<Rule>& existing, const Rule& rule);

// Rule files found on disk but not read yet: enough to name the compiled
// rules in the cache without paying for TOML on every commit.
//
// NOTE: the identity is each file's name, size, inode and modification time
// (as ccache's direct mode and make do). Reading and hashing the ~70 files
// instead cost 7 ms of a ~15 ms hook run on the CI machine.
// Thread-safety: a value; const access from many threads is safe.
class RuleFiles {
public:
  void add_file(const std::filesystem::path& file, Examples examples);
  // Every *.toml in `dir`, sorted by name. Throws ConfigError when there
  // is no such directory or no rule file in it.
  void add_directory(const std::filesystem::path& dir, Examples examples);

  // SHA-256 over every file's name, size, inode and modification time.
  std::string digest() const;
  // SHA-256 over every file's base name and bytes: what a copy of the
  // files (another machine, a container image) keeps. Reads every file.
  std::string content_digest() const;
  RuleSet parse() const;

private:
  struct File {
    std::filesystem::path path;
    std::string signature;
    Examples examples;
  };
  std::vector<File> m_files;
};

// The whole content of `file`; throws ConfigError naming it when unreadable.
std::string read_rule_file(const std::filesystem::path& file);

} // namespace leakstop::rules
