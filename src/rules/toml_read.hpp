#pragma once
// Typed reads of TOML values, one set for every configuration file leakstop
// reads: rule files (toml_rule.cpp), .leakstop.toml (repo_config.cpp) and
// gitleaks configurations (gitleaks.cpp). Internal to leakstop_rules.
//
// A key that is absent reads as nullopt or empty; one of the wrong type is
// never ignored nor converted: it throws ConfigError on one line naming the
// file, the line, the key and what was expected,
//   "<file>:<line>: <context><key> must be <what>".

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::rules {

// "<file>:<line>: " for a node, or "<file>: " when it has no position.
std::string where(const std::string& file, const toml::node& node);

class TomlReader {
public:
  // `context` opens every message ("rule 'aws.key': "); `key_label` is how
  // a key is named in them: "'{}'" or "field '{}'".
  explicit TomlReader(std::string file, std::string context = {}, std::string key_label = "'{}'");

  [[noreturn]] void fail(const toml::node& at, std::string_view reason) const;

  std::optional<std::string> string(const toml::table& t, std::string_view key) const;
  std::vector<std::string> strings(const toml::table& t, std::string_view key) const;
  // An integer in the file: a float is refused, not truncated (toml++
  // converts one such as 1e25 with a cast that is undefined out of range).
  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key) const;
  std::optional<double> number(const toml::table& t, std::string_view key) const;
  std::optional<bool> boolean(const toml::table& t, std::string_view key) const;
  const toml::table* table(const toml::table& t, std::string_view key) const;
  // An array of tables; with Single::allowed, a lone table too.
  enum class Single { refused, allowed };
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key,
                                         Single single = Single::refused) const;
  // A positive size: an integer of bytes, or a string of a number and a
  // unit, "512KiB", "5 MB": B, KB/MB/GB (powers of 1000) and KiB/MiB/GiB
  // (powers of 1024), any case. docs/configuration.md documents it.
  std::optional<std::uint64_t> byte_size(const toml::table& t, std::string_view key) const;

  // Fails on the first key of `t` not in `known`, naming it after `what`.
  void only_keys(const toml::table& t, std::initializer_list<std::string_view> known, std::string_view what) const;

  const std::string& file() const { return m_file; }

private:
  std::string label(std::string_view key) const;
  // The node at `key`, or null; fails unless `is` holds for it.
  const toml::node* typed(const toml::table& t, std::string_view key, bool (*is)(const toml::node&),
                          std::string_view what) const;

  std::string m_file;
  std::string m_context;
  std::string m_key_label;
};

// "5MB" -> 5000000, "512 KiB" -> 524288, "100" -> nullopt (a string needs
// its unit), nullopt on anything else or on overflow.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

} // namespace leakstop::rules
