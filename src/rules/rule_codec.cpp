#include "rules/rule_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace leakstop::rules {
namespace {

class Writer {
public:
  void u32(std::uint32_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    m_out += s;
  }
  void strs(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v) {
      str(s);
    }
  }
  std::string take() { return std::move(m_out); }

private:
  std::string m_out;
};

class Reader {
public:
  explicit Reader(std::string_view in) : m_in(in) {}
  bool ok() const { return m_ok; }

  std::uint32_t u32() { return pod<std::uint32_t>(); }
  double f64() { return pod<double>(); }
  std::string str() {
    std::uint32_t n = u32();
    if (!m_ok || m_in.size() < n) {
      m_ok = false;
      return {};
    }
    std::string s(m_in.substr(0, n));
    m_in.remove_prefix(n);
    return s;
  }
  std::vector<std::string> strs() {
    std::uint32_t n = u32();
    std::vector<std::string> v;
    for (std::uint32_t i = 0; m_ok && i < n; ++i) {
      v.push_back(str());
    }
    return v;
  }

private:
  template <typename T> T pod() {
    T v{};
    if (m_in.size() < sizeof v) {
      m_ok = false;
      return v;
    }
    std::memcpy(&v, m_in.data(), sizeof v);
    m_in.remove_prefix(sizeof v);
    return v;
  }

  std::string_view m_in;
  bool m_ok = true;
};

} // namespace

std::string encode_rules(const std::vector<Rule>& rules) {
  Writer w;
  w.u32(static_cast<std::uint32_t>(rules.size()));
  for (const Rule& r : rules) {
    w.str(r.id);
    w.strs(r.aliases);
    w.str(r.description);
    w.u32(static_cast<std::uint32_t>(r.severity));
    w.u32(static_cast<std::uint32_t>(r.confidence));
    w.str(r.regex);
    w.u32(static_cast<std::uint32_t>(r.secret_group));
    w.strs(r.keywords);
    w.u32(r.min_entropy.has_value());
    w.f64(r.min_entropy.value_or(0.0));
    w.str(r.path_regex);
    w.u32(static_cast<std::uint32_t>(r.validator));
    w.strs(r.allow_regexes);
    w.strs(r.allow_line_regexes);
    w.strs(r.stopwords);
    w.u32(r.placeholder_filter);
    w.u32(r.binary);
    w.str(r.remediation);
    w.str(r.link);
    w.str(r.link_title);
    w.u32(static_cast<std::uint32_t>(r.allowlists.size()));
    for (const RuleAllowlist& a : r.allowlists) {
      w.u32(static_cast<std::uint32_t>(a.condition));
      w.u32(static_cast<std::uint32_t>(a.regex_target));
      w.strs(a.regexes);
      w.strs(a.paths);
      w.strs(a.stopwords);
      w.strs(a.commits);
    }
    w.str(r.source_file);
    w.u32(static_cast<std::uint32_t>(r.source_line));
    // Examples stay out: they were run when the cache was written.
  }
  return w.take();
}

std::optional<std::vector<Rule>> decode_rules(std::string_view bytes) {
  Reader r(bytes);
  std::uint32_t count = r.u32();
  std::vector<Rule> rules;
  // Bounded by what the bytes could hold: a corrupt count must not reserve
  // gigabytes. Growing instead took 40% of a warm load (each doubling maps
  // and faults in fresh pages for a megabyte of rules).
  rules.reserve(std::min<std::size_t>(count, bytes.size() / 64));
  for (std::uint32_t i = 0; r.ok() && i < count; ++i) {
    Rule rule;
    rule.id = r.str();
    rule.aliases = r.strs();
    rule.description = r.str();
    rule.severity = static_cast<Severity>(r.u32());
    rule.confidence = static_cast<Confidence>(r.u32());
    rule.regex = r.str();
    rule.secret_group = static_cast<int>(r.u32());
    rule.keywords = r.strs();
    bool has_entropy = r.u32() != 0;
    double entropy = r.f64();
    if (has_entropy) {
      rule.min_entropy = entropy;
    }
    rule.path_regex = r.str();
    rule.validator = static_cast<Validator>(r.u32());
    rule.allow_regexes = r.strs();
    rule.allow_line_regexes = r.strs();
    rule.stopwords = r.strs();
    rule.placeholder_filter = r.u32() != 0;
    rule.binary = r.u32() != 0;
    rule.remediation = r.str();
    rule.link = r.str();
    rule.link_title = r.str();
    std::uint32_t allowlists = r.u32();
    for (std::uint32_t a = 0; r.ok() && a < allowlists; ++a) {
      RuleAllowlist allow;
      allow.condition = static_cast<RuleAllowlist::Condition>(r.u32());
      allow.regex_target = static_cast<RuleAllowlist::Target>(r.u32());
      allow.regexes = r.strs();
      allow.paths = r.strs();
      allow.stopwords = r.strs();
      allow.commits = r.strs();
      rule.allowlists.push_back(std::move(allow));
    }
    rule.source_file = r.str();
    rule.source_line = static_cast<int>(r.u32());
    rules.push_back(std::move(rule));
  }
  if (!r.ok()) {
    return std::nullopt;
  }
  return rules;
}

} // namespace leakstop::rules
