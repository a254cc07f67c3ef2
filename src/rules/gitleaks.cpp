#include "rules/gitleaks.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.hpp"
#include "rules/toml_read.hpp"
#include "rules/toml_rule.hpp"

namespace leakstop::rules {
namespace fs = std::filesystem;

namespace {

constexpr const char* k_remediation =
  "Rotate the credential where it was issued (revoke the old value), then take it out of the code: read it from the "
  "environment or a secret manager.";

// Rule keys that only label findings in gitleaks' reports.
const std::set<std::string, std::less<>> k_ignored_rule_keys = {"tags"};

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The typed reads of toml_read.hpp, with gitleaks' own messages for keys
// leakstop does not support.
class Reader {
public:
  Reader(const std::string& file) : m_read(file) {}

  [[noreturn]] void fail(const toml::node& at, const std::string& reason) const { m_read.fail(at, reason); }

  void only_keys(const toml::table& table, std::initializer_list<std::string_view> known, std::string_view what) const {
    for (const auto& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        fail(node, fmt::format("{}: gitleaks key '{}' is not supported by leakstop (see docs/gitleaks.md)", what, key.str()));
      }
    }
  }

  std::string string(const toml::table& t, std::string_view key) const { return m_read.string(t, key).value_or(""); }
  std::vector<std::string> strings(const toml::table& t, std::string_view key) const { return m_read.strings(t, key); }
  // Either a table or an array of tables under `key`.
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key) const {
    return m_read.tables(t, key, TomlReader::Single::allowed);
  }
  const TomlReader& typed() const { return m_read; }

  // [rules.allowlist], one of [[rules.allowlists]], [allowlist] or one of [[allowlists]].
  RuleAllowlist allowlist(const toml::table& t, bool global, std::vector<std::string>* target_rules) const {
    if (global) {
      only_keys(t, {"description", "condition", "commits", "paths", "regexTarget", "regexes", "stopwords", "targetRules"},
                "allowlist");
    } else {
      only_keys(t, {"description", "condition", "commits", "paths", "regexTarget", "regexes", "stopwords"}, "allowlist");
    }
    RuleAllowlist a;
    std::string condition = lowercase(string(t, "condition"));
    if (condition == "and") {
      a.condition = RuleAllowlist::Condition::all;
    } else if (!condition.empty() && condition != "or") {
      fail(t, fmt::format("allowlist condition '{}' is not OR or AND", condition));
    }
    std::string target = lowercase(string(t, "regexTarget"));
    if (target == "match") {
      a.regex_target = RuleAllowlist::Target::match;
    } else if (target == "line") {
      a.regex_target = RuleAllowlist::Target::line;
    } else if (!target.empty() && target != "secret") {
      fail(t, fmt::format("regexTarget '{}' is not secret, match or line", target));
    }
    a.commits = strings(t, "commits");
    a.paths = strings(t, "paths");
    a.regexes = strings(t, "regexes");
    for (const std::string& word : strings(t, "stopwords")) {
      a.stopwords.push_back(lowercase(word));
    }
    if (target_rules) {
      *target_rules = strings(t, "targetRules");
    }
    if (a.empty()) {
      fail(t, "allowlist has no commits, paths, regexes or stopwords");
    }
    return a;
  }

  GitleaksRule rule(const toml::table& t) const {
    GitleaksRule out;
    Rule& r = out.rule;
    r.id = string(t, "id");
    if (r.id.empty() || r.id.find_first_of(" \t\r\n") != std::string::npos) {
      fail(t, "a gitleaks rule needs an 'id' without spaces");
    }
    for (const auto& [key, node] : t) {
      std::string_view k = key.str();
      static const std::set<std::string, std::less<>> known = {"id", "description", "regex", "secretGroup", "entropy",
                                                               "path", "keywords", "allowlist", "allowlists"};
      if (!known.count(k) && !k_ignored_rule_keys.count(k)) {
        fail(node, fmt::format("rule '{}': gitleaks key '{}' is not supported by leakstop (see docs/gitleaks.md)", r.id, k));
      }
      out.fields.emplace_back(k);
    }
    r.description = string(t, "description");
    r.regex = string(t, "regex");
    r.path_regex = string(t, "path");
    r.secret_group = -1;  // gitleaks: the first capture group that matched
    if (const toml::node* g = t.get("secretGroup")) {
      auto v = g->value_exact<int64_t>();  // not value(): a float out of range would be undefined
      if (!v || *v < 0 || *v > 99) {
        fail(*g, fmt::format("rule '{}': secretGroup must be a number from 0 to 99", r.id));
      }
      r.secret_group = static_cast<int>(*v);
    }
    if (const toml::node* e = t.get("entropy")) {
      auto v = e->value<double>();
      if (!v) {
        fail(*e, fmt::format("rule '{}': entropy must be a number", r.id));
      }
      r.min_entropy = *v;
    }
    for (const std::string& k : strings(t, "keywords")) {
      r.keywords.push_back(lowercase(k));
    }
    for (const toml::table* a : tables(t, "allowlist")) {
      r.allowlists.push_back(allowlist(*a, false, nullptr));
    }
    for (const toml::table* a : tables(t, "allowlists")) {
      r.allowlists.push_back(allowlist(*a, false, nullptr));
    }
    r.severity = Severity::high;
    r.confidence = Confidence::medium;
    r.placeholder_filter = false;  // gitleaks has no placeholder filter
    r.remediation = k_remediation;
    r.source_file = m_read.file();
    r.source_line = static_cast<int>(t.source().begin.line);
    return out;
  }

private:
  TomlReader m_read;
};

void load_into(std::string_view text, const fs::path& file, int depth, GitleaksConfig& config) {
  const std::string name = file.string();
  toml::table doc;
  try {
    doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: invalid TOML: {}", name, e.source().begin.line, e.description()));
  }
  config.text += text;
  config.text.push_back('\0');
  Reader r(name);
  r.only_keys(doc, {"title", "description", "minVersion", "extend", "rules", "allowlist", "allowlists"}, "gitleaks config");
  for (std::string_view key : {"title", "description", "minVersion"}) {
    r.typed().string(doc, key);  // unused, but of the type gitleaks reads
  }
  if (const toml::table* extend = r.typed().table(doc, "extend")) {
    r.only_keys(*extend, {"useDefault", "path", "disabledRules"}, "[extend]");
    bool use_default = r.typed().boolean(*extend, "useDefault").value_or(false);
    std::string base = r.string(*extend, "path");
    if (use_default && !base.empty()) {
      r.fail(*extend, "[extend] takes useDefault or path, not both (as in gitleaks)");
    }
    if (!base.empty()) {
      if (depth >= 2) {
        r.fail(*extend, "[extend] path: configurations extend at most two levels deep (as in gitleaks)");
      }
      // gitleaks reads it relative to where it runs; beside this file too.
      // A name the file system refuses (too long) is one more file that
      // cannot be read, not a filesystem_error.
      std::error_code ec;
      fs::path base_file = fs::exists(base, ec) ? fs::path(base) : file.parent_path() / base;
      load_into(read_rule_file(base_file), base_file, depth + 1, config);
    }
    config.use_default = config.use_default || use_default;
    for (const std::string& id : r.strings(*extend, "disabledRules")) {
      config.disabled_rules.push_back(id);
    }
  }
  std::vector<std::pair<std::vector<std::string>, RuleAllowlist>> targeted;
  for (const toml::table* t : r.tables(doc, "rules")) {
    config.rules.push_back(r.rule(*t));
  }
  for (std::string_view key : {"allowlist", "allowlists"}) {
    for (const toml::table* t : r.tables(doc, key)) {
      std::vector<std::string> target_rules;
      RuleAllowlist a = r.allowlist(*t, true, &target_rules);
      if (target_rules.empty()) {
        config.allowlists.push_back(std::move(a));
      } else {
        // Attached to the rules named, as rule allowlists.
        GitleaksRule extension;
        for (const std::string& id : target_rules) {
          extension.rule.id = id;
          extension.rule.allowlists = {a};
          extension.rule.source_file = name;
          extension.rule.source_line = static_cast<int>(t->source().begin.line);
          extension.fields = {"id", "allowlists"};
          config.rules.push_back(extension);
        }
      }
    }
  }
}

bool has(const GitleaksRule& g, std::string_view field) {
  return std::find(g.fields.begin(), g.fields.end(), field) != g.fields.end();
}

// gitleaks' merge: what the extending table sets wins, the rest is kept.
void merge_into(Rule& base, const GitleaksRule& g) {
  const Rule& r = g.rule;
  if (has(g, "description")) base.description = r.description;
  if (has(g, "regex")) base.regex = r.regex;
  if (has(g, "path")) base.path_regex = r.path_regex;
  if (has(g, "secretGroup")) base.secret_group = r.secret_group;
  if (has(g, "entropy")) base.min_entropy = r.min_entropy;
  if (has(g, "keywords")) base.keywords = r.keywords;
  base.allowlists.insert(base.allowlists.end(), r.allowlists.begin(), r.allowlists.end());
}

} // namespace

RuleSet GitleaksConfig::apply(RuleSet defaults) const {
  std::vector<Rule> out = use_default ? defaults.take_rules() : std::vector<Rule>{};
  for (const GitleaksRule& g : rules) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Rule& r) { return r.id == g.rule.id; });
    if (it != out.end()) {
      merge_into(*it, g);
      continue;
    }
    if (g.rule.regex.empty() && g.rule.path_regex.empty()) {
      throw ConfigError(fmt::format(
        "{}:{}: rule '{}': no regex or path, and no rule of that id to extend{}", g.rule.source_file,
        g.rule.source_line, g.rule.id,
        use_default ? " (useDefault extends leakstop's own rules, whose ids differ from gitleaks': see `leakstop rules list`)"
                    : ""));
    }
    Rule rule = g.rule;
    if (rule.description.empty()) {
      rule.description = rule.id;
    }
    out.push_back(std::move(rule));
  }
  RuleSet set(std::move(out));
  set.disable(disabled_rules);
  return set;
}

GitleaksConfig load_gitleaks_config(const fs::path& file) {
  return parse_gitleaks_config(read_rule_file(file), file);
}

GitleaksConfig parse_gitleaks_config(std::string_view text, const fs::path& file) {
  GitleaksConfig config;
  load_into(text, file, 0, config);
  return config;
}

} // namespace leakstop::rules
