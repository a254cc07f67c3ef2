#include "core/url.hpp"

#include <algorithm>
#include <cctype>

namespace leakstop {
namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// Where the authority of a "scheme://" URL starting at `from` ends.
std::size_t authority_end(std::string_view text, std::size_t from) {
  std::size_t i = from;
  while (i < text.size()) {
    char c = text[i];
    if (c == '/' || c == '?' || c == '#' || c == '\'' || c == '"' || c == '<' || c == '>' ||
        std::isspace(static_cast<unsigned char>(c))) {
      break;
    }
    ++i;
  }
  return i;
}

// scp-like syntax: no "://", a ':' before any '/', and not a Windows drive.
bool is_scp_like(std::string_view url) {
  std::size_t colon = url.find(':');
  std::size_t slash = url.find('/');
  return url.find("://") == std::string_view::npos && colon != std::string_view::npos && colon > 1 &&
         (slash == std::string_view::npos || colon < slash);
}

} // namespace

std::string scrub_userinfo(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t sep = text.find("://", pos);
    if (sep == std::string_view::npos) {
      break;
    }
    std::size_t start = sep + 3;
    std::size_t end = authority_end(text, start);
    std::size_t at = text.substr(start, end - start).rfind('@');
    out.append(text.substr(pos, start - pos));
    if (at != std::string_view::npos) {
      start += at + 1;
    }
    out.append(text.substr(start, end - start));
    pos = end;
  }
  out.append(text.substr(pos));
  return out;
}

std::string strip_userinfo(std::string_view url) {
  if (url.find("://") != std::string_view::npos) {
    return scrub_userinfo(url);
  }
  if (is_scp_like(url)) {
    // "user:password@host:path" is no valid scp syntax, but never show it.
    std::size_t at = url.substr(0, url.find('/')).rfind('@');
    if (at != std::string_view::npos && url.substr(0, at).find(':') != std::string_view::npos) {
      return std::string(url.substr(at + 1));
    }
  }
  return std::string(url);
}

std::string url_scheme(std::string_view url) {
  std::size_t sep = url.find("://");
  if (sep != std::string_view::npos && sep > 0 &&
      std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(sep), is_scheme_char)) {
    std::string scheme(url.substr(0, sep));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return scheme;
  }
  return is_scp_like(url) ? "ssh" : "";
}

} // namespace leakstop
