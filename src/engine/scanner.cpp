#include "engine/scanner.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "core/secret.hpp"
#include "engine/filters.hpp"

namespace leakstop::engine {
namespace {

// One rule's regex in the two forms the confirmation needs.
struct ConfirmRegexes {
  std::unique_ptr<RE2> end_anchored;  // (?:rule)\z, finds the start
  std::unique_ptr<RE2> forward;       // the rule itself, takes the groups
};

struct RawMatch {
  std::size_t rule;
  std::size_t start;
  std::size_t end;
  std::size_t secret_start;
  std::size_t secret_end;
};

} // namespace

struct Scanner::Impl {
  Impl(const CompiledRules& rules, const ScanOptions& scan_options)
    : compiled(rules), options(scan_options), filter(rules, scan_options.allowlist),
      regexes(rules.rules().size()), covered_end(rules.rules().size()), path_applies(rules.rules().size()) {
    scratch = allocate_scratch({rules.database(), rules.path_database()});
  }

  const CompiledRules& compiled;
  ScanOptions options;
  FindingFilter filter;
  HsScratch scratch;
  std::vector<ConfirmRegexes> regexes;
  // Per scan: end of the last confirmed match of each rule, and whether
  // each path-scoped rule's `path` matches the current path.
  std::vector<std::size_t> covered_end;
  std::vector<char> path_applies;
  std::string_view content;
  std::string_view path;
  std::vector<RawMatch> matches;

  ConfirmRegexes& regexes_for(std::size_t rule_index) {
    ConfirmRegexes& r = regexes[rule_index];
    if (!r.forward) {
      const std::string& pattern = compiled.rules()[rule_index].regex;
      r.end_anchored = std::make_unique<RE2>("(?:" + pattern + ")\\z", rule_re2_options());
      r.forward = std::make_unique<RE2>(pattern, rule_re2_options());
    }
    return r;
  }

  // One Hyperscan pass over the path answers every rule's `path` at once.
  void match_path(std::string_view file_path) {
    std::fill(path_applies.begin(), path_applies.end(), 0);
    if (!compiled.path_database()) {
      return;
    }
    auto on_path = [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* context) -> int {
      auto* impl = static_cast<Impl*>(context);
      impl->path_applies[impl->compiled.rule_of_path_pattern(id)] = 1;
      return 0;
    };
    check_hs(hs_scan(compiled.path_database(), file_path.data(), static_cast<unsigned int>(file_path.size()), 0,
                     scratch.get(), on_path, this),
             "scan path");
  }

  bool rule_applies_to_path(std::size_t rule_index) const {
    return compiled.rules()[rule_index].path_regex.empty() || path_applies[rule_index];
  }

  void on_hit(std::size_t rule_index, std::size_t hit_end) {
    if (hit_end <= covered_end[rule_index] && covered_end[rule_index] != 0) {
      return;
    }
    if (!rule_applies_to_path(rule_index)) {
      return;
    }
    ConfirmRegexes& re = regexes_for(rule_index);
    const std::size_t lookback = compiled.lookback(rule_index);
    const std::size_t window_start = hit_end > lookback ? hit_end - lookback : 0;
    re2::StringPiece window(content.data() + window_start, hit_end - window_start);
    re2::StringPiece whole;
    if (!re.end_anchored->Match(window, 0, window.size(), RE2::UNANCHORED, &whole, 1)) {
      return;  // Hyperscan and RE2 disagree at a window edge: RE2 decides.
    }
    const std::size_t start = window_start + static_cast<std::size_t>(whole.data() - window.data());
    const rules::Rule& rule = compiled.rules()[rule_index];
    const int groups = std::max(rule.secret_group, 0) + 1;
    std::vector<re2::StringPiece> captures(static_cast<std::size_t>(groups));
    re2::StringPiece text(content.data(), content.size());
    const std::size_t forward_end = std::min(content.size(), start + lookback);
    if (!re.forward->Match(text, start, forward_end, RE2::ANCHOR_START, captures.data(), groups)) {
      return;
    }
    const re2::StringPiece& secret = captures[static_cast<std::size_t>(rule.secret_group)];
    const std::size_t end = start + captures[0].size();
    covered_end[rule_index] = std::max(end, hit_end);
    if (secret.data() == nullptr || secret.empty()) {
      return;
    }
    const std::size_t secret_start = static_cast<std::size_t>(secret.data() - content.data());
    matches.push_back({rule_index, start, end, secret_start, secret_start + secret.size()});
  }
};

namespace {

int on_hyperscan_match(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
                       void* context) {
  auto* impl = static_cast<Scanner::Impl*>(context);
  impl->on_hit(impl->compiled.rule_of_pattern(id), static_cast<std::size_t>(to));
  return 0;
}

// Tracks line numbers while walking offsets in increasing order.
class LineCounter {
public:
  explicit LineCounter(std::string_view content) : m_content(content) {}

  // 1-based line of `offset`, and the offset where that line starts.
  std::pair<std::uint32_t, std::size_t> at(std::size_t offset) {
    if (offset < m_pos) {
      m_pos = 0;
      m_line = 1;
      m_line_start = 0;
    }
    while (m_pos < offset) {
      const void* nl = std::memchr(m_content.data() + m_pos, '\n', offset - m_pos);
      if (!nl) {
        m_pos = offset;
        break;
      }
      m_pos = static_cast<std::size_t>(static_cast<const char*>(nl) - m_content.data()) + 1;
      ++m_line;
      m_line_start = m_pos;
    }
    return {m_line, m_line_start};
  }

private:
  std::string_view m_content;
  std::size_t m_pos = 0;
  std::uint32_t m_line = 1;
  std::size_t m_line_start = 0;
};

std::size_t line_end(std::string_view content, std::size_t offset) {
  std::size_t nl = content.find('\n', offset);
  return nl == std::string_view::npos ? content.size() : nl;
}

// A finding of `rule` with the rule's text filled in.
Finding finding_of(const rules::Rule& rule) {
  Finding f;
  f.rule_id = rule.id;
  f.description = rule.description;
  f.severity = rule.severity;
  f.confidence = rule.confidence;
  f.remediation = rule.remediation;
  return f;
}

auto rank(const Finding& f) {
  return std::make_tuple(static_cast<int>(f.confidence), static_cast<int>(f.severity), f.secret.size());
}

// Overlapping secrets reported by several rules: keep the most specific.
std::vector<Finding> keep_best_of_overlaps(std::vector<Finding> findings) {
  std::vector<Finding> out;
  std::size_t cluster_end = 0;
  for (auto& f : findings) {
    const std::size_t end = f.offset + f.secret.size();
    if (!out.empty() && f.offset < cluster_end) {
      if (rank(f) > rank(out.back())) {
        out.back() = std::move(f);
      }
      cluster_end = std::max(cluster_end, end);
      continue;
    }
    cluster_end = end;
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace

Scanner::Scanner(std::shared_ptr<const CompiledRules> rules, const ScanOptions& options)
  : m_rules(std::move(rules)), m_impl(std::make_unique<Impl>(*m_rules, options)) {}

Scanner::~Scanner() = default;

bool Scanner::path_allowlisted(std::string_view path) const {
  return m_impl->filter.path_allowlisted(path);
}

std::vector<Finding> Scanner::scan(std::string_view content, std::string_view path) {
  Impl& impl = *m_impl;
  std::vector<Finding> findings;
  if (!m_rules->database() || content.empty()) {
    return findings;
  }
  impl.content = content;
  impl.path = path;
  impl.matches.clear();
  std::fill(impl.covered_end.begin(), impl.covered_end.end(), 0);
  impl.match_path(path);
  check_hs(hs_scan(m_rules->database(), content.data(), static_cast<unsigned int>(content.size()), 0,
                   impl.scratch.get(), on_hyperscan_match, &impl),
           "scan");

  std::sort(impl.matches.begin(), impl.matches.end(),
            [](const RawMatch& a, const RawMatch& b) { return std::tie(a.secret_start, a.rule) < std::tie(b.secret_start, b.rule); });
  LineCounter lines(content);
  for (const RawMatch& m : impl.matches) {
    auto [line, line_start] = lines.at(m.secret_start);
    std::string_view secret = content.substr(m.secret_start, m.secret_end - m.secret_start);
    std::string_view spanned = content.substr(line_start, line_end(content, m.secret_end > 0 ? m.secret_end - 1 : 0) - line_start);
    if (!impl.filter.keep(m.rule, secret, spanned)) {
      continue;
    }
    const rules::Rule& rule = m_rules->rules()[m.rule];
    Finding f = finding_of(rule);
    f.secret = std::string(secret);
    f.fingerprint = fingerprint(rule.id, secret, "");
    f.offset = m.secret_start;
    f.location.path = std::string(path);
    f.location.line = line;
    f.location.column = static_cast<std::uint32_t>(m.secret_start - line_start + 1);
    f.end_line = line + static_cast<std::uint32_t>(std::count(secret.begin(), secret.end(), '\n'));
    findings.push_back(std::move(f));
  }
  if (impl.options.overlap == Overlap::keep_best) {
    findings = keep_best_of_overlaps(std::move(findings));
  }
  return findings;
}

std::string Scanner::path_scope(std::string_view path) {
  m_impl->match_path(path);
  std::string key;
  for (std::size_t i = 0; i < m_impl->path_applies.size(); ++i) {
    if (m_impl->path_applies[i]) {
      key.append(std::to_string(i)).push_back(',');
    }
  }
  return key;
}

std::vector<Finding> Scanner::scan_path(std::string_view path, Binary binary) {
  std::vector<Finding> findings;
  if (m_rules->path_rules().empty()) {
    return findings;
  }
  m_impl->match_path(path);
  for (std::size_t index : m_rules->path_rules()) {
    const rules::Rule& rule = m_rules->rules()[index];
    if ((binary == Binary::yes && !rule.binary) || !m_impl->path_applies[index] || !m_impl->filter.keep_path(index, path)) {
      continue;
    }
    Finding f = finding_of(rule);
    f.path_rule = true;
    f.fingerprint = fingerprint(rule.id, "", path);
    f.location.path = std::string(path);
    findings.push_back(std::move(f));
  }
  return findings;
}

} // namespace leakstop::engine
