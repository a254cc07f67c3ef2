#include "engine/decoder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "core/encoding.hpp"
#include "engine/base64_runs.hpp"

namespace leakstop::engine {
namespace {

enum Class : std::uint8_t {
  k_hex = 1,    // [0-9A-Fa-f]
  k_url = 2,    // may appear in a URL or query string
  k_word = 4,   // may appear inside a string literal's word (not space or quote)
  k_upper = 8,
  k_lower = 16,
  k_base64_leader = 32,  // may start a quad of base64 of text: [C-DI-Za-f]
  k_hex_leader = 64,     // may start a byte of hex of text: [02-7]
};

constexpr auto k_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0x21; c < 0x7f; ++c) {
    t[c] |= k_url | k_word;
  }
  for (unsigned char c : std::string_view("\"'<>`{}|\\^()")) {
    t[c] &= static_cast<std::uint8_t>(~k_url);
  }
  for (unsigned char c : std::string_view("\"'`")) {
    t[c] &= static_cast<std::uint8_t>(~k_word);
  }
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= k_upper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= k_lower;
  for (int c = '0'; c <= '9'; ++c) t[c] |= k_hex;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= k_hex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= k_hex;
  for (unsigned char c : std::string_view("CDIJKLMNOPQRSTUVWXYZabcdef")) t[c] |= k_base64_leader;
  for (unsigned char c : std::string_view("0234567")) t[c] |= k_hex_leader;
  return t;
}();

bool is(char c, Class k) {
  return (k_classes[static_cast<unsigned char>(c)] & k) != 0;
}

// NOTE: a secret worth finding is at least 8 bytes; shorter decoded text
// is not worth the context it drags along.
constexpr std::size_t k_min_decoded = 8;
constexpr std::size_t k_min_base64 = 16;  // 12 bytes
constexpr std::size_t k_min_hex = 16;     // 8 bytes
static_assert(k_min_base64 >= k_min_base64_run && k_min_hex >= k_min_base64_run);
// How far percent and escape words are followed from their `%` or `\`:
// the walk is per escape, so this bounds it. Runs of base64 and hex have no
// such limit: each is decoded once, within the budget (see run()).
constexpr std::size_t k_max_span = 64 * 1024;
// What of a run too long for the budget is decoded to tell whether it was
// worth decoding (text) or not (an image, a font: silently passed over).
constexpr std::size_t k_probe = 1024;
constexpr std::size_t k_context_before = 80;
constexpr std::size_t k_context_after = 32;

// Decoded bytes that could hold a secret: no control bytes but \t \n \r,
// at most one byte in ten outside ASCII.
// NOTE: 12 random bytes pass with probability ~1e-4; text always does.
bool looks_like_text(std::string_view s) {
  if (s.size() < k_min_decoded) {
    return false;
  }
  std::size_t high = 0;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      ++high;
    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return false;
    }
  }
  return high * 10 <= s.size();
}

// Whether text[0], text[step], ... (16 characters) are all of class `leader`.
bool every(std::string_view text, std::size_t step, Class leader) {
  for (std::size_t k = 0; k < 16; k += step) {
    if (!is(text[k], leader)) {
      return false;
    }
  }
  return true;
}

// `span` decoded by `decode`, when its first characters pass a cheap test
// (every `step`-th of the first 16 is of class `leader`) and the result
// looks like text.
// NOTE: most runs are identifiers, paths and hashes. In base64 of ASCII
// text the first character of each quad holds a byte's top 6 bits, so it
// is in [C-DI-Za-f] (tab, newline, 0x20-0x7f); a random run passes the
// first four quads 2% of the time. Together with the same test for hex
// (even digits 0 or 2-7), this took the handling of the 3.3 million runs
// of /usr/include and /usr/share from 0.25 s to 0.03 s of CPU.
std::optional<std::string> decode_if_text(std::string_view span, std::size_t step, Class leader,
                                          std::optional<std::string> (*decode)(std::string_view)) {
  if (!every(span, step, leader)) {
    return std::nullopt;
  }
  auto all = decode(span);
  if (!all || !looks_like_text(*all)) {
    return std::nullopt;
  }
  return all;
}


class LayerDecoder {
public:
  LayerDecoder(std::string_view text, std::size_t& budget, DecodedText& out)
    : m_text(text), m_budget(budget), m_out(out) {}

  // Decodes the spans in text[begin, end); `parent` names their origin.
  void region(std::size_t begin, std::size_t end, const DecodedSpan* parent) {
    m_parent = parent;
    runs(begin, end);
    percent(begin, end);
    escapes(begin, end);
  }

private:
  // The first `c` in text[from, end), or end.
  std::size_t find(char c, std::size_t from, std::size_t end) const {
    const void* hit = from < end ? std::memchr(m_text.data() + from, c, end - from) : nullptr;
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - m_text.data()) : end;
  }

  bool mixes_case(std::size_t begin, std::size_t end) const {
    std::uint8_t any = 0;
    for (std::size_t k = begin; k < end; ++k) {
      any |= k_classes[static_cast<unsigned char>(m_text[k])];
    }
    return (any & k_upper) && (any & k_lower);
  }

  // Runs of base64 characters: base64, and hex when every one is a hex digit.
  void runs(std::size_t begin, std::size_t end) {
    for_each_base64_run(m_text, begin, end, [&](std::size_t b, std::size_t e) {
      std::size_t padded = e;
      while (padded < end && padded - e < 2 && m_text[padded] == '=') {
        ++padded;
      }
      run(b, e, padded);
      return m_exhausted ? end : padded;
    });
  }

  // The run of base64 characters text[i, j), followed by its padding up to
  // `padded`. Most runs are identifiers, paths and hashes: the cheap tests
  // of their first 16 characters come first.
  void run(std::size_t i, std::size_t j, std::size_t padded) {
    // Hex, all of the run or after a 0x prefix.
    const std::size_t hex_begin = m_text[i] == '0' && (m_text[i + 1] | 0x20) == 'x' ? i + 2 : i;
    if (j - hex_begin >= k_min_hex) {
      const std::string_view span = m_text.substr(hex_begin, j - hex_begin);
      if (span.size() / 2 > m_budget) {
        if (decode_if_text(span.substr(0, k_probe), 2, k_hex_leader, hex_decode)) {
          stop(hex_begin);
        }
      } else if (auto bytes = decode_if_text(span, 2, k_hex_leader, hex_decode)) {
        emit("hex", hex_begin, j, std::move(*bytes), i);  // "0x" is not context: it would hide a \b
      }
    }
    // Base64 of text always mixes cases; identifiers and hashes rarely do.
    if (!m_exhausted && j - i >= k_min_base64) {
      const std::string_view span = m_text.substr(i, padded - i);
      if (span.size() / 4 * 3 > m_budget) {
        if (decode_if_text(span.substr(0, k_probe), 4, k_base64_leader, base64_decode) && mixes_case(i, j)) {
          stop(i);
        }
      } else if (auto bytes = decode_if_text(span, 4, k_base64_leader, base64_decode); bytes && mixes_case(i, j)) {
        emit("base64", i, padded, std::move(*bytes));
      }
    }
  }

  // Words holding at least one %XX.
  void percent(std::size_t begin, std::size_t end) {
    for (std::size_t from = begin, p = 0; !m_exhausted && (p = find('%', from, end)) < end;) {
      if (p + 2 >= end || !is(m_text[p + 1], k_hex) || !is(m_text[p + 2], k_hex)) {
        from = p + 1;
        continue;
      }
      std::size_t b = p;
      while (b > begin && p - b < k_max_span && is(m_text[b - 1], k_url)) {
        --b;
      }
      std::size_t e = p;
      while (e < end && e - b < k_max_span && is(m_text[e], k_url)) {
        ++e;
      }
      std::string bytes = e - b < k_min_decoded ? std::string() : percent_decode(m_text.substr(b, e - b));
      if (looks_like_text(bytes)) {
        emit("percent", b, e, std::move(bytes));
      }
      from = e;
    }
  }

  // Words of a string literal holding at least one backslash escape; an
  // escaped quote (\") does not end the word.
  void escapes(std::size_t begin, std::size_t end) {
    for (std::size_t from = begin, p = 0; !m_exhausted && (p = find('\\', from, end)) < end;) {
      if (p + 1 >= end || !is(m_text[p + 1], k_word)) {
        from = p + 1;
        continue;
      }
      std::size_t b = p;
      while (b > begin && p - b < k_max_span) {
        if (is(m_text[b - 1], k_word)) {
          --b;
        } else if (b >= begin + 2 && m_text[b - 2] == '\\' && m_text[b - 1] > 0x20) {
          b -= 2;  // an escaped quote
        } else {
          break;
        }
      }
      std::size_t e = p;
      while (e < end && e - b < k_max_span) {
        if (m_text[e] == '\\' && e + 1 < end && m_text[e + 1] > 0x20) {
          e += 2;
        } else if (is(m_text[e], k_word)) {
          ++e;
        } else {
          break;
        }
      }
      std::string_view span = m_text.substr(b, e - b);
      std::string bytes = span.size() < k_min_decoded ? std::string() : unescape(span);
      if (bytes != span && looks_like_text(bytes)) {
        emit("escape", b, e, std::move(bytes));
      }
      from = e;
    }
  }

  // Lays out the decoded bytes of text[b, e) with the context of their line;
  // the context before stops at `context_end` (default: b).
  void emit(std::string_view how, std::size_t b, std::size_t e, std::string bytes,
            std::size_t context_end = std::string::npos) {
    context_end = std::min(context_end, b);
    std::size_t before = context_end;
    while (before > 0 && context_end - before < k_context_before && m_text[before - 1] != '\n') {
      --before;
    }
    std::size_t after = e;
    while (after < m_text.size() && after - e < k_context_after && m_text[after] != '\n') {
      ++after;
    }
    const std::size_t cost = (context_end - before) + bytes.size() + (after - e) + 1;
    if (cost > m_budget) {
      stop(b);
      return;
    }
    m_budget -= cost;
    DecodedSpan span;
    m_out.text.append(m_text.substr(before, context_end - before));
    span.begin = m_out.text.size();
    m_out.text.append(bytes);
    span.end = m_out.text.size();
    m_out.text.append(m_text.substr(e, after - e));
    m_out.text.push_back('\n');
    if (m_parent) {
      span.origin_begin = m_parent->origin_begin;
      span.origin_end = m_parent->origin_end;
      span.how = m_parent->how + ">" + std::string(how);
    } else {
      span.origin_begin = b;
      span.origin_end = e;
      span.how = how;
    }
    m_out.spans.push_back(std::move(span));
  }

  // The budget ran out at the encoded span starting at text[b]: nothing
  // from there on is decoded, and the blob's offset is recorded to say so.
  void stop(std::size_t b) {
    m_exhausted = true;
    const std::size_t at = m_parent ? m_parent->origin_begin : b;
    m_out.stopped_at = std::min(m_out.stopped_at.value_or(at), at);
  }

  std::string_view m_text;
  std::size_t& m_budget;
  DecodedText& m_out;
  const DecodedSpan* m_parent = nullptr;
  bool m_exhausted = false;
};

} // namespace

const DecodedSpan* DecodedText::span_of(std::size_t begin, std::size_t end) const {
  auto it = std::upper_bound(spans.begin(), spans.end(), begin,
                             [](std::size_t offset, const DecodedSpan& s) { return offset < s.begin; });
  if (it == spans.begin()) {
    return nullptr;
  }
  --it;
  return begin >= it->begin && end <= it->end ? &*it : nullptr;
}

void DecodedText::clear() {
  text.clear();
  spans.clear();
  stopped_at.reset();
}

void decode_layer(std::string_view text, const DecodedText* within, std::size_t& budget, DecodedText& out) {
  LayerDecoder decoder(text, budget, out);
  if (!within) {
    decoder.region(0, text.size(), nullptr);
    return;
  }
  for (const DecodedSpan& span : within->spans) {
    decoder.region(span.begin, span.end, &span);
  }
}

} // namespace leakstop::engine
