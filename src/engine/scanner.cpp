#include "engine/scanner.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <tuple>

#include "core/secret.hpp"
#include "engine/filters.hpp"
#include "engine/merge.hpp"

namespace leakstop::engine {
namespace {

// One rule's regex in the forms the confirmation needs.
struct ConfirmRegexes {
  std::unique_ptr<RE2> end_anchored;  // (?:rule)\z, finds the start
  std::unique_ptr<RE2> forward;       // the rule itself, takes the groups
  // The rule with its long bounded repeats unbounded ({22,1000} -> {22,}):
  // it matches wherever the rule does, and RE2 builds it in microseconds
  // where the rule itself can take 10 ms (every bound is unrolled). A
  // keyword window it does not match needs the rule never built. Null when
  // widening changes nothing.
  std::unique_ptr<RE2> coarse;
  bool coarse_built = false;
};

// The secret among a match's capture groups: group `secret_group`, or with
// -1 the first that matched (the whole match when the regex has none).
re2::StringPiece secret_of(const rules::Rule& rule, const std::vector<re2::StringPiece>& captures) {
  std::size_t index = static_cast<std::size_t>(std::max(rule.secret_group, 0));
  if (rule.secret_group < 0) {
    for (std::size_t g = 1; g < captures.size(); ++g) {
      if (captures[g].data() != nullptr && !captures[g].empty()) {
        index = g;
        break;
      }
    }
  }
  return captures[index];
}

struct RawMatch {
  std::size_t rule;
  std::size_t start;
  std::size_t end;
  std::size_t secret_start;
  std::size_t secret_end;
};

} // namespace

// State shared by the parts of a scanner: the text, the matches, the filters.
struct Scanner::Impl {
  Impl(std::vector<const rules::Rule*> all_rules, const ScanOptions& scan_options);

  std::vector<const rules::Rule*> rules;  // every part's rules, by global index
  ScanOptions options;
  FindingFilter filter;
  std::vector<Part> parts;
  std::string_view content;  // the text being scanned: the blob, or decoded text
  std::vector<RawMatch> matches;  // rule: global index
  std::vector<RawMatch> silenced;  // confirmed matches the filters dropped
  std::vector<re2::StringPiece> window_captures;  // reused by search_window
  DecodedText layers[2];  // the last two layers of decoding, reused across blobs
  std::optional<std::size_t> decode_stopped_at;  // of the last scan()

  // Several hits can confirm the same secret (each later hit of a lazy
  // context finds the first match again): keep one.
  void push_match(const RawMatch& m) {
    const std::size_t recent = std::min<std::size_t>(matches.size(), 8);
    for (std::size_t i = matches.size(); i > matches.size() - recent; --i) {
      const RawMatch& other = matches[i - 1];
      if (other.rule == m.rule && other.secret_start == m.secret_start && other.secret_end == m.secret_end) {
        return;
      }
    }
    matches.push_back(m);
  }
};

// Matching against one CompiledRules. Rule indexes are the part's own;
// matches carry `offset` + index, so the parts' rules read as one list.
struct Scanner::Part {
  Part(const CompiledRules& rules, std::size_t first_index, const std::vector<std::string>& disabled, Impl& shared)
    : compiled(rules), offset(first_index), impl(shared), enabled(rules.rules().size(), 1),
      regexes(rules.rules().size()), covered_end(rules.rules().size()), path_applies(rules.rules().size()) {
    scratch = allocate_scratch(
      {rules.database(), rules.scoped_database(), rules.path_database()});
    for (std::size_t i = 0; i < enabled.size(); ++i) {
      const rules::Rule& rule = rules.rules()[i];
      if (std::any_of(disabled.begin(), disabled.end(), [&](const std::string& id) { return rule.answers_to(id); })) {
        enabled[i] = 0;
      }
    }
  }

  const CompiledRules& compiled;
  std::size_t offset;
  Impl& impl;
  std::vector<char> enabled;  // 0: disabled by the repository
  HsScratch scratch;
  std::vector<ConfirmRegexes> regexes;
  // Per scan: end of the last confirmed match of each rule, and whether
  // each path-scoped rule's `path` matches the current path.
  std::vector<std::size_t> covered_end;
  std::vector<char> path_applies;
  bool scoped_applies = false;  // some content rule with a `path` applies

  // Built on first use: a keyword-anchored rule never needs `end_anchored`.
  ConfirmRegexes& regexes_for(std::size_t rule_index, bool end_anchored = false) {
    ConfirmRegexes& r = regexes[rule_index];
    const std::string& pattern = compiled.rules()[rule_index].regex;
    if (!r.forward) {
      r.forward = std::make_unique<RE2>(pattern, rule_re2_options());
    }
    if (end_anchored && !r.end_anchored) {
      r.end_anchored = std::make_unique<RE2>("(?:" + pattern + ")\\z", rule_re2_options());
    }
    return r;
  }

  const RE2* coarse_for(std::size_t rule_index) {
    ConfirmRegexes& r = regexes[rule_index];
    if (!r.coarse_built) {
      r.coarse_built = true;
      const std::string& pattern = compiled.rules()[rule_index].regex;
      if (std::string widened = widen_repeats(pattern); widened != pattern) {
        auto coarse = std::make_unique<RE2>(widened, rule_re2_options());
        if (coarse->ok()) {
          r.coarse = std::move(coarse);
        }
      }
    }
    return r.coarse.get();
  }

  // One Hyperscan pass over the path answers every rule's `path` at once.
  void match_path(std::string_view file_path) {
    std::fill(path_applies.begin(), path_applies.end(), 0);
    scoped_applies = false;
    if (!compiled.path_database()) {
      return;
    }
    auto on_path = [](unsigned int id, unsigned long long, unsigned long long, unsigned int, void* context) -> int {
      auto* part = static_cast<Part*>(context);
      part->path_applies[part->compiled.rule_of_path_pattern(id)] = 1;
      return 0;
    };
    check_hs(hs_scan(compiled.path_database(), file_path.data(), static_cast<unsigned int>(file_path.size()), 0,
                     scratch.get(), on_path, this),
             "scan path");
    const auto& scoped = compiled.scoped_content_rules();
    scoped_applies = std::any_of(scoped.begin(), scoped.end(), [&](std::size_t i) { return path_applies[i] != 0; });
  }

  bool rule_applies_to_path(std::size_t rule_index) const {
    return enabled[rule_index] && (compiled.rules()[rule_index].path_regex.empty() || path_applies[rule_index]);
  }

  bool has_content_rules() const { return compiled.database() || scoped_applies; }

  void scan(std::string_view text);

  void push_match(RawMatch m) {
    m.rule += offset;
    impl.push_match(m);
  }
  void on_hit(std::size_t rule_index, std::size_t hit_end) {
    if (hit_end <= covered_end[rule_index] && covered_end[rule_index] != 0) {
      return;
    }
    if (!rule_applies_to_path(rule_index)) {
      return;
    }
    const std::size_t lookback = compiled.lookback(rule_index);
    const std::size_t window_start = hit_end > lookback ? hit_end - lookback : 0;
    std::optional<RawMatch> first = confirm(rule_index, window_start, hit_end);
    if (!first) {
      return;  // Hyperscan and RE2 disagree at a window edge: RE2 decides.
    }
    covered_end[rule_index] = std::max(first->end, hit_end);
    if (first->secret_end > first->secret_start) {
      push_match(*first);
    }
    // The match from the leftmost start ended before the hit and holds an
    // earlier secret (`a=1&b=2`: the value of a may run over b's key). The
    // hit belongs to a match that starts after that secret: look for it, a
    // few times at most.
    std::optional<RawMatch> last = first;
    for (int attempt = 0; attempt < 3 && last && last->end < hit_end && last->secret_end > last->secret_start &&
                          last->secret_end < hit_end;
         ++attempt) {
      last = confirm(rule_index, last->secret_end, hit_end);
      if (last && last->secret_end > last->secret_start && last->secret_start >= first->secret_end) {
        push_match(*last);
      }
    }
  }

  // The match of a rule ending at `hit_end` with the leftmost start at or
  // after `from`, and its secret: the first match from that start, or the
  // match ending at the hit when it holds a later secret (a lazy context,
  // `kind: Secret` ... then one key line among many).
  std::optional<RawMatch> confirm(std::size_t rule_index, std::size_t from, std::size_t hit_end) {
    ConfirmRegexes& re = regexes_for(rule_index, true);
    const std::size_t lookback = compiled.lookback(rule_index);
    re2::StringPiece window(impl.content.data() + from, hit_end - from);
    re2::StringPiece whole;
    if (!re.end_anchored->Match(window, 0, window.size(), RE2::UNANCHORED, &whole, 1)) {
      return std::nullopt;
    }
    const std::size_t start = from + static_cast<std::size_t>(whole.data() - window.data());
    const rules::Rule& rule = compiled.rules()[rule_index];
    const int groups = rule.secret_group >= 0 ? rule.secret_group + 1 : re.forward->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> captures(static_cast<std::size_t>(groups));
    re2::StringPiece text(impl.content.data(), impl.content.size());
    const std::size_t forward_end = std::min(impl.content.size(), start + lookback);
    if (!re.forward->Match(text, start, forward_end, RE2::ANCHOR_START, captures.data(), groups)) {
      return std::nullopt;
    }
    re2::StringPiece secret = secret_of(rule, captures);
    std::size_t end = start + captures[0].size();
    if (end < hit_end) {
      std::vector<re2::StringPiece> exact(static_cast<std::size_t>(groups));
      if (re.forward->Match(text, start, hit_end, RE2::ANCHOR_BOTH, exact.data(), groups)) {
        re2::StringPiece later = secret_of(rule, exact);
        if (later.data() != nullptr && !later.empty() &&
            (secret.data() == nullptr || later.data() >= secret.data() + secret.size())) {
          secret = later;
          end = hit_end;
        }
      }
    }
    if (secret.data() == nullptr || secret.empty()) {
      return RawMatch{rule_index, start, end, start, start};
    }
    const std::size_t secret_start = static_cast<std::size_t>(secret.data() - impl.content.data());
    return RawMatch{rule_index, start, end, secret_start, secret_start + secret.size()};
  }

  // Keyword `id` occurs at [keyword_start, keyword_end): search each of its
  // rules in the window that any match containing this occurrence lies in.
  void on_keyword(unsigned int id, std::size_t keyword_end) {
    const std::size_t keyword_start = keyword_end - compiled.keyword_length(id);
    for (std::size_t rule_index : compiled.rules_of_keyword(id)) {
      if (keyword_end > covered_end[rule_index] || covered_end[rule_index] == 0) {
        search_window(rule_index, keyword_start, keyword_end);
      }
    }
  }

  // A match containing [keyword_start, keyword_end) is at most `lookback`
  // bytes long, so it lies in [keyword_end - lookback, keyword_start +
  // lookback]. RE2 finds the leftmost match from the window's start; one
  // that ends before the keyword belongs to another occurrence (skip past
  // its start), one that starts after it means none contains it.
  void search_window(std::size_t rule_index, std::size_t keyword_start, std::size_t keyword_end) {
    if (!rule_applies_to_path(rule_index)) {
      return;
    }
    const rules::Rule& rule = compiled.rules()[rule_index];
    const std::size_t lookback = compiled.lookback(rule_index);
    std::size_t from = std::max(keyword_end > lookback ? keyword_end - lookback : 0, covered_end[rule_index]);
    const std::size_t to = std::min(impl.content.size(), keyword_start + lookback);
    re2::StringPiece text(impl.content.data(), impl.content.size());
    // Most windows hold no match: ask RE2's DFA alone first, which neither
    // allocates nor tracks groups; the coarse form first when there is one,
    // so that a hook run does not build rules no window can match.
    if (from > keyword_start) {
      return;
    }
    if (const RE2* coarse = coarse_for(rule_index); coarse && !coarse->Match(text, from, to, RE2::UNANCHORED, nullptr, 0)) {
      return;
    }
    ConfirmRegexes& re = regexes_for(rule_index);
    if (!re.forward->Match(text, from, to, RE2::UNANCHORED, nullptr, 0)) {
      return;
    }
    const int groups = rule.secret_group >= 0 ? rule.secret_group + 1 : re.forward->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece>& captures = impl.window_captures;
    captures.assign(static_cast<std::size_t>(groups), re2::StringPiece());
    while (from <= keyword_start && re.forward->Match(text, from, to, RE2::UNANCHORED, captures.data(), groups)) {
      const std::size_t start = static_cast<std::size_t>(captures[0].data() - impl.content.data());
      const std::size_t end = start + captures[0].size();
      if (start > keyword_start) {
        return;
      }
      if (end < keyword_end) {
        from = start + 1;
        continue;
      }
      covered_end[rule_index] = end;
      re2::StringPiece secret = secret_of(rule, captures);
      if (secret.data() != nullptr && !secret.empty()) {
        const std::size_t secret_start = static_cast<std::size_t>(secret.data() - impl.content.data());
        push_match({rule_index, start, end, secret_start, secret_start + secret.size()});
      }
      return;
    }
  }
};

namespace {

int on_hyperscan_match(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
                       void* context) {
  auto* part = static_cast<Scanner::Part*>(context);
  const std::size_t regexes = part->compiled.content_pattern_count();
  if (id < regexes) {
    part->on_hit(part->compiled.rule_of_pattern(id), static_cast<std::size_t>(to));
  } else {
    part->on_keyword(static_cast<unsigned int>(id - regexes), static_cast<std::size_t>(to));
  }
  return 0;
}

int on_scoped_match(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
                    void* context) {
  auto* part = static_cast<Scanner::Part*>(context);
  part->on_hit(part->compiled.rule_of_scoped_pattern(id), static_cast<std::size_t>(to));
  return 0;
}

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
  f.link = rule.link;
  f.link_title = rule.link_title;
  return f;
}

} // namespace

Scanner::Impl::Impl(std::vector<const rules::Rule*> all_rules, const ScanOptions& scan_options)
  : rules(std::move(all_rules)), options(scan_options), filter(rules, scan_options.allowlist, scan_options.allowlists) {}

void Scanner::Part::scan(std::string_view text) {
  std::fill(covered_end.begin(), covered_end.end(), 0);
  const auto size = static_cast<unsigned int>(text.size());
  if (compiled.database()) {
    check_hs(hs_scan(compiled.database(), text.data(), size, 0, scratch.get(), on_hyperscan_match, this), "scan");
  }
  if (scoped_applies) {
    check_hs(hs_scan(compiled.scoped_database(), text.data(), size, 0, scratch.get(), on_scoped_match, this), "scan");
  }
}

namespace {

std::vector<const rules::Rule*> all_rules(const ScanRules& rules) {
  std::vector<const rules::Rule*> out;
  for (const auto* part : {rules.shipped.get(), rules.extra.get()}) {
    if (part) {
      for (const rules::Rule& rule : part->rules()) {
        out.push_back(&rule);
      }
    }
  }
  return out;
}

} // namespace

Scanner::Scanner(std::shared_ptr<const CompiledRules> rules, const ScanOptions& options)
  : Scanner(ScanRules{std::move(rules), nullptr, {}}, options) {}

Scanner::Scanner(ScanRules rules, const ScanOptions& options)
  : m_rules(std::move(rules)), m_impl(std::make_unique<Impl>(all_rules(m_rules), options)) {
  m_impl->parts.reserve(2);
  std::size_t offset = 0;
  for (const auto* part : {m_rules.shipped.get(), m_rules.extra.get()}) {
    if (part) {
      m_impl->parts.emplace_back(*part, offset, m_rules.disabled, *m_impl);
      offset += part->rules().size();
    }
  }
}

Scanner::~Scanner() = default;

bool Scanner::path_allowlisted(std::string_view path) const {
  return m_impl->filter.path_allowlisted(path);
}

// Findings of every content rule in `text`, in order of offset, with
// lines and columns counted in `text`. Rules' `path` were matched already.
std::vector<Finding> Scanner::scan_text(std::string_view text, std::string_view path, std::string_view commit) {
  Impl& impl = *m_impl;
  std::vector<Finding> findings;
  impl.content = text;
  impl.matches.clear();
  for (Part& part : impl.parts) {
    part.scan(text);
  }
  // One finding per rule and secret: push_match drops the repeats that
  // come close together, this the rest (the regexes' and the keywords'
  // hits arrive interleaved from one Hyperscan pass).
  std::sort(impl.matches.begin(), impl.matches.end(), [](const RawMatch& a, const RawMatch& b) {
    return std::tie(a.secret_start, a.rule, a.secret_end, a.start, a.end) <
           std::tie(b.secret_start, b.rule, b.secret_end, b.start, b.end);
  });
  impl.matches.erase(std::unique(impl.matches.begin(), impl.matches.end(),
                                 [](const RawMatch& a, const RawMatch& b) {
                                   return a.rule == b.rule && a.secret_start == b.secret_start &&
                                          a.secret_end == b.secret_end;
                                 }),
                     impl.matches.end());
  LineCounter lines(text);
  for (const RawMatch& m : impl.matches) {
    auto [line, line_start] = lines.at(m.secret_start);
    std::string_view secret = text.substr(m.secret_start, m.secret_end - m.secret_start);
    std::string_view spanned = text.substr(line_start, line_end(text, m.secret_end > 0 ? m.secret_end - 1 : 0) - line_start);
    std::string_view match = text.substr(m.start, m.end - m.start);
    if (!impl.filter.keep(m.rule, Candidate{secret, match, spanned, path, commit})) {
      impl.silenced.push_back(m);
      continue;
    }
    const rules::Rule& rule = *impl.rules[m.rule];
    Finding f = finding_of(rule);
    f.secret = std::string(secret);
    f.fingerprint = fingerprint(rule.fingerprint_id(), secret, "");
    f.offset = m.secret_start;
    f.location.path = std::string(path);
    f.location.line = line;
    f.location.column = static_cast<std::uint32_t>(m.secret_start - line_start + 1);
    f.end_line = line + static_cast<std::uint32_t>(std::count(secret.begin(), secret.end(), '\n'));
    findings.push_back(std::move(f));
  }
  return findings;
}

// Findings in the decoded layers of `content`, placed at their encoded spans.
std::vector<DecodedFinding> Scanner::scan_decoded(std::string_view content, std::string_view path,
                                                  std::string_view commit) {
  Impl& impl = *m_impl;
  std::vector<DecodedFinding> out;
  std::size_t budget = impl.options.decode.max_bytes;
  const DecodedText* previous = nullptr;
  for (int depth = 0; depth < impl.options.decode.depth; ++depth) {
    DecodedText& layer = impl.layers[static_cast<std::size_t>(depth) % 2];
    layer.clear();
    decode_layer(previous ? std::string_view(previous->text) : content, previous, budget, layer);
    if (layer.stopped_at) {
      impl.decode_stopped_at = std::min(impl.decode_stopped_at.value_or(*layer.stopped_at), *layer.stopped_at);
    }
    if (layer.spans.empty()) {
      break;
    }
    for (Finding& f : scan_text(layer.text, path, commit)) {
      if (const DecodedSpan* span = layer.span_of(f.offset, f.offset + f.secret.size())) {
        f.offset = span->origin_begin;
        f.decoded = span->how;
        out.push_back({std::move(f), span->origin_end});
      }
    }
    previous = &layer;
  }
  std::sort(out.begin(), out.end(),
            [](const DecodedFinding& a, const DecodedFinding& b) { return a.finding.offset < b.finding.offset; });
  LineCounter lines(content);
  std::erase_if(out, [&](DecodedFinding& d) {
    Finding& f = d.finding;
    auto [line, line_start] = lines.at(f.offset);
    f.location.line = line;
    f.location.column = static_cast<std::uint32_t>(f.offset - line_start + 1);
    std::string_view encoded = content.substr(f.offset, d.origin_end - f.offset);
    f.end_line = line + static_cast<std::uint32_t>(std::count(encoded.begin(), encoded.end(), '\n'));
    return has_inline_allow(content.substr(line_start, line_end(content, d.origin_end - 1) - line_start));
  });
  return out;
}

std::vector<Finding> Scanner::scan(std::string_view content, std::string_view path, std::string_view commit) {
  m_impl->decode_stopped_at.reset();
  bool any_content_rule = false;
  for (Part& part : m_impl->parts) {
    part.match_path(path);
    any_content_rule = any_content_rule || part.has_content_rules();
  }
  if (!any_content_rule || content.empty()) {
    return {};
  }
  m_impl->silenced.clear();
  std::vector<Finding> plain = scan_text(content, path, commit);
  std::vector<DecodedFinding> decoded;
  if (m_impl->options.decode.depth > 0) {
    // A rule that matched the encoded text and was silenced there (a
    // documented sample, an allowlisted value) has had its say on that span.
    std::vector<RawMatch> silenced;
    silenced.swap(m_impl->silenced);
    decoded = scan_decoded(content, path, commit);
    std::erase_if(decoded, [&](const DecodedFinding& d) {
      return std::any_of(silenced.begin(), silenced.end(), [&](const RawMatch& m) {
        return m_impl->rules[m.rule]->id == d.finding.rule_id && m.secret_start < d.origin_end &&
               d.finding.offset < m.secret_end;
      });
    });
  }
  return merge_findings(std::move(plain), std::move(decoded), m_impl->options.overlap);
}

std::optional<std::size_t> Scanner::decode_stopped_at() const {
  return m_impl->decode_stopped_at;
}

std::string Scanner::path_scope(std::string_view path) {
  std::string key;
  for (Part& part : m_impl->parts) {
    part.match_path(path);
    for (std::size_t i = 0; i < part.path_applies.size(); ++i) {
      if (part.path_applies[i]) {
        key.append(std::to_string(part.offset + i)).push_back(',');
      }
    }
  }
  return key;
}

std::vector<Finding> Scanner::scan_path(std::string_view path, Binary binary, std::string_view commit) {
  std::vector<Finding> findings;
  for (Part& part : m_impl->parts) {
    if (part.compiled.path_rules().empty()) {
      continue;
    }
    part.match_path(path);
    for (std::size_t index : part.compiled.path_rules()) {
      const rules::Rule& rule = part.compiled.rules()[index];
      if ((binary == Binary::yes && !rule.binary) || !part.enabled[index] || !part.path_applies[index] ||
          !m_impl->filter.keep_path(part.offset + index, path, commit)) {
        continue;
      }
      Finding f = finding_of(rule);
      f.path_rule = true;
      f.fingerprint = fingerprint(rule.fingerprint_id(), "", path);
      f.location.path = std::string(path);
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

} // namespace leakstop::engine
