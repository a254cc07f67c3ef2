#include "core/encoding.hpp"

#include <array>
#include <cctype>
#include <cstdint>

namespace leakstop {
namespace {

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads up to `max` hex digits at `in[i]`; sets `digits` to how many.
std::uint32_t read_hex(std::string_view in, std::size_t i, std::size_t max, std::size_t& digits) {
  std::uint32_t value = 0;
  digits = 0;
  while (digits < max && i + digits < in.size() && hex_value(static_cast<unsigned char>(in[i + digits])) >= 0) {
    value = value * 16 + static_cast<std::uint32_t>(hex_value(static_cast<unsigned char>(in[i + digits])));
    ++digits;
  }
  return value;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Decodes the escape starting at `in[i]` (a backslash) into `out` and
// returns how many input bytes it used; 0 when it is not an escape.
std::size_t decode_escape(std::string_view in, std::size_t i, std::string& out) {
  if (i + 1 >= in.size()) {
    return 0;
  }
  const unsigned char c = static_cast<unsigned char>(in[i + 1]);
  std::size_t digits = 0;
  switch (c) {
  case 'n': out.push_back('\n'); return 2;
  case 'r': out.push_back('\r'); return 2;
  case 't': out.push_back('\t'); return 2;
  case 'f': out.push_back('\f'); return 2;
  case 'v': out.push_back('\v'); return 2;
  case 'b': out.push_back('\b'); return 2;
  case 'a': out.push_back('\a'); return 2;
  case 'e': out.push_back('\x1b'); return 2;
  case 'x': {
    std::uint32_t v = read_hex(in, i + 2, 2, digits);
    if (digits == 0) return 0;
    out.push_back(static_cast<char>(v));
    return 2 + digits;
  }
  case 'u':
    if (i + 2 < in.size() && in[i + 2] == '{') {
      std::uint32_t v = read_hex(in, i + 3, 6, digits);
      if (digits == 0 || i + 3 + digits >= in.size() || in[i + 3 + digits] != '}' || v > 0x10ffff) return 0;
      append_utf8(out, v);
      return 4 + digits;
    } else {
      std::uint32_t v = read_hex(in, i + 2, 4, digits);
      if (digits != 4) return 0;
      append_utf8(out, v);
      return 6;
    }
  case 'U': {
    std::uint32_t v = read_hex(in, i + 2, 8, digits);
    if (digits != 8 || v > 0x10ffff) return 0;
    append_utf8(out, v);
    return 10;
  }
  default: break;
  }
  if (c >= '0' && c <= '7') {
    std::uint32_t v = 0;
    std::size_t n = 0;
    while (n < 3 && i + 1 + n < in.size() && in[i + 1 + n] >= '0' && in[i + 1 + n] <= '7') {
      v = v * 8 + static_cast<std::uint32_t>(in[i + 1 + n] - '0');
      ++n;
    }
    if (v > 0xff) return 0;
    out.push_back(static_cast<char>(v));
    return 1 + n;
  }
  if (std::ispunct(c)) {
    out.push_back(static_cast<char>(c));
    return 2;
  }
  return 0;
}

} // namespace

std::optional<std::string> base64_decode(std::string_view in) {
  static constexpr auto k_table = [] {
    std::array<std::int8_t, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) {
      t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    }
    t['-'] = 62; // URL-safe alphabet
    t['_'] = 63;
    return t;
  }();
  while (!in.empty() && in.back() == '=') {
    in.remove_suffix(1);
  }
  if (in.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    std::int8_t v = k_table[c];
    if (v < 0) {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view in) {
  if (in.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(in.size() / 2);
  for (std::size_t i = 0; i < in.size(); i += 2) {
    int hi = hex_value(static_cast<unsigned char>(in[i]));
    int lo = hex_value(static_cast<unsigned char>(in[i + 1]));
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = hex_value(static_cast<unsigned char>(in[i + 1]));
      int lo = hex_value(static_cast<unsigned char>(in[i + 2]));
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string unescape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    if (in[i] == '\\') {
      if (std::size_t used = decode_escape(in, i, out)) {
        i += used;
        continue;
      }
    }
    out.push_back(in[i++]);
  }
  return out;
}

namespace {

// Code points a terminal acts on (C1 controls: U+009B is CSI), draws as
// nothing (zero-width spaces and joiners, the byte-order mark) or as a
// reordering of the text around them (Trojan Source, CVE-2021-42574), and
// line breaks.
bool is_invisible_control(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0xfeff;
}

// The length of the well-formed UTF-8 sequence at the start of `in` (2 to
// 4 bytes), with its code point; 0 when there is none.
std::size_t utf8_sequence(std::string_view in, std::uint32_t& cp) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  unsigned char c = byte(0);
  std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || in.size() < n) {
    return 0;
  }
  // The second byte's range excludes overlong forms, surrogates and code
  // points past U+10FFFF.
  unsigned char low = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
  unsigned char high = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
  if (byte(1) < low || byte(1) > high) {
    return 0;
  }
  cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (byte(i) & 0x3f);
  }
  return n;
}

} // namespace

std::string printable(std::string_view in) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t n = c >= 0x80 ? utf8_sequence(in.substr(i), cp) : 0;
    if (n == 0) {
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
      ++i;
    } else if (is_invisible_control(cp)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) {
        out += k_hex[(cp >> shift) & 15];
      }
      i += n;
    } else {
      out.append(in.substr(i, n));
      i += n;
    }
  }
  return out;
}

} // namespace leakstop
