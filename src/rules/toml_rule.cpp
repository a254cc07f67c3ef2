#include "rules/toml_rule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.hpp"
#include "rules/toml_read.hpp"

namespace leakstop::rules {
namespace {

const std::set<std::string, std::less<>> k_known_fields = {
  "id", "aliases", "description", "severity", "confidence", "regex", "secret_group", "keywords",
  "min_entropy", "path", "validate", "allow_regexes", "allow_line_regexes", "stopwords",
  "placeholder_filter", "binary", "remediation", "link", "link_title", "examples", "negative_examples",
  "example_path",
};

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 48 || !(std::islower(static_cast<unsigned char>(id[0])) || std::isdigit(static_cast<unsigned char>(id[0])))) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '.' || c == '-' || c == '_';
  });
}

// The typed reads of toml_read.hpp, for one rule: messages name the rule,
// and a required field that is missing is an error too.
class TableReader {
public:
  TableReader(const toml::table& table, const std::string& file, const std::string& id)
    : m_table(table), m_read(file, fmt::format("rule '{}': ", id), "field '{}'") {}

  [[noreturn]] void fail(const std::string& reason, const toml::node* node = nullptr) const {
    m_read.fail(node ? *node : static_cast<const toml::node&>(m_table), reason);
  }

  std::string string(std::string_view key, bool required) const {
    std::optional<std::string> value = m_read.string(m_table, key);
    if (!value && required) {
      fail(fmt::format("missing required field '{}'", key));
    }
    return value.value_or(std::string());
  }

  std::vector<std::string> strings(std::string_view key) const { return m_read.strings(m_table, key); }
  std::optional<std::int64_t> integer(std::string_view key) const { return m_read.integer(m_table, key); }
  std::optional<double> number(std::string_view key) const { return m_read.number(m_table, key); }
  std::optional<bool> boolean(std::string_view key) const { return m_read.boolean(m_table, key); }

private:
  const toml::table& m_table;
  TomlReader m_read;
};

} // namespace

Rule parse_rule_table(const toml::table& table, const std::string& file, Examples examples) {
  std::string id = table["id"].value_or(std::string("<no id>"));
  TableReader r(table, file, id);
  for (const auto& [key, node] : table) {
    if (!k_known_fields.count(key.str())) {
      r.fail(fmt::format("unknown field '{}'", key.str()), &node);
    }
  }
  Rule rule;
  rule.id = r.string("id", true);
  if (!valid_id(rule.id)) {
    r.fail("id must be 1-48 characters of a-z, 0-9, '.', '-', '_' starting with a letter or digit");
  }
  rule.aliases = r.strings("aliases");
  for (const std::string& alias : rule.aliases) {
    if (!valid_id(alias) || alias == rule.id) {
      r.fail(fmt::format("alias '{}' must be a rule id (and not the rule's own)", alias));
    }
  }
  rule.description = r.string("description", true);
  std::string severity = r.string("severity", true);
  auto parsed_severity = parse_severity(severity);
  if (!parsed_severity) {
    r.fail(fmt::format("severity '{}' is not one of critical, high, medium, low, info", severity));
  }
  rule.severity = *parsed_severity;
  if (std::string confidence = r.string("confidence", false); !confidence.empty()) {
    auto parsed = parse_confidence(confidence);
    if (!parsed) {
      r.fail(fmt::format("confidence '{}' is not one of high, medium, low", confidence));
    }
    rule.confidence = *parsed;
  }
  rule.regex = r.string("regex", false);
  rule.path_regex = r.string("path", false);
  if (rule.regex.empty() && rule.path_regex.empty()) {
    r.fail("a rule needs a 'regex', a 'path', or both");
  }
  // -1: the first capture group that matched, for regexes whose secret has
  // one group per syntax (a quoted value runs to its closing quote, an
  // unquoted one to whitespace): RE2 has no branch reset.
  rule.secret_group = static_cast<int>(r.integer("secret_group").value_or(1));
  if (rule.secret_group < -1) {
    r.fail("secret_group must be -1 (the first group that matched), 0 (the whole match) or a group number");
  }
  rule.keywords = r.strings("keywords");
  for (auto& keyword : rule.keywords) {
    std::transform(keyword.begin(), keyword.end(), keyword.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  if (!rule.regex.empty() && rule.keywords.empty()) {
    r.fail("a content rule needs at least one keyword");
  }
  rule.min_entropy = r.number("min_entropy");
  if (std::string validate = r.string("validate", false); !validate.empty()) {
    auto parsed = parse_validator(validate);
    if (!parsed) {
      r.fail(fmt::format("validate '{}' is not one of crc32-base62, jwt, luhn", validate));
    }
    rule.validator = *parsed;
  }
  rule.allow_regexes = r.strings("allow_regexes");
  rule.allow_line_regexes = r.strings("allow_line_regexes");
  rule.stopwords = r.strings("stopwords");
  for (auto& word : rule.stopwords) {
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  }
  rule.placeholder_filter = r.boolean("placeholder_filter").value_or(true);
  rule.binary = r.boolean("binary").value_or(false);
  rule.remediation = r.string("remediation", examples == Examples::required);
  rule.link = r.string("link", false);
  rule.link_title = r.string("link_title", false);
  if (!rule.link.empty() && rule.link.rfind("https://", 0) != 0) {
    r.fail("link must be an https:// address");
  }
  if (!rule.link_title.empty() && rule.link.empty()) {
    r.fail("link_title needs a link");
  }
  rule.examples = r.strings("examples");
  rule.negative_examples = r.strings("negative_examples");
  rule.example_path = r.string("example_path", false);
  if (examples == Examples::required && (rule.examples.size() < 2 || rule.negative_examples.size() < 2)) {
    r.fail("needs at least two examples and two negative_examples");
  }
  rule.source_file = file;
  rule.source_line = static_cast<int>(table.source().begin.line);
  return rule;
}

} // namespace leakstop::rules
