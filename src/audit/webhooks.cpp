#include "audit/webhooks.hpp"

#include <re2/re2.h>


#include "audit/items.hpp"

namespace leakstop::audit {
namespace {

const WebhookLanguage* language_of(std::string_view path, const CheckData& data) {
  for (const WebhookLanguage& language : data.webhooks) {
    for (std::string_view ext : language.extensions) {
      if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) {
        return &language;
      }
    }
  }
  return nullptr;
}

// A comparison operator, or a comparing call. Group 1 names it.
const RE2& comparison() {
  static const RE2 re(R"((===|!==|==|!=|\bstrcmp\s*\(|\.equals(?:IgnoreCase)?\s*\(|\.eql\?))");
  return re;
}
// An identifier that holds a signature or a digest.
const RE2& signature_name() {
  static const RE2 re(R"((?i)\b\$?\w*(sig|hmac|digest|hash|mac|expected|computed|calculated|signed)\w*\b)");
  return re;
}
// Checks that compare no secret: lengths, nulls, booleans, types, literals.
const RE2& benign_check() {
  static const RE2 re(
    R"((?:[!=]==?|\bstrcmp\s*\()\s*(?:nil|null|NULL|None|undefined|true|false|True|False|0|'[^']*'|"[^"]*"|\[\])\s*(?:[);:{]|&&|\|\||\band\b|\bor\b|$))"
    R"(|\b(?:nil|null|None|undefined)\s*[!=]=|['"]\s*[!=]==?|\blen\(|\.length\b|\bstrlen\(|\.size\b|\bbytesize\b|\btypeof\b|\.isEmpty\(\)|\.method\b)");
  return re;
}

bool is_comment(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) {
    return true;
  }
  line.remove_prefix(i);
  return line.substr(0, 2) == "//" || line.substr(0, 1) == "#" || line.substr(0, 1) == "*" ||
         line.substr(0, 2) == "/*";
}

// The conditions of a line, split at &&, ||, and, or: `len(a) != len(b)
// || a != b` is one benign check and one suspect one.
std::vector<std::string_view> conditions(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    std::size_t width = 0;
    if (line.compare(i, 2, "&&") == 0 || line.compare(i, 2, "||") == 0) {
      width = 2;
    } else if (line.compare(i, 5, " and ") == 0) {
      width = 5;
    } else if (line.compare(i, 4, " or ") == 0) {
      width = 4;
    }
    if (width) {
      out.push_back(line.substr(start, i - start));
      start = i + width;
      i = start - 1;
    }
  }
  out.push_back(line.substr(start));
  return out;
}

// "equals(" -> "equals", ".eql?" -> "eql?".
std::string tidy(std::string op) {
  while (!op.empty() && (op.back() == '(' || op.back() == ' ')) {
    op.pop_back();
  }
  if (!op.empty() && op.front() == '.') {
    op.erase(0, 1);
  }
  return op;
}

} // namespace

std::string webhook_language(std::string_view path, const CheckData& data) {
  const WebhookLanguage* language = language_of(path, data);
  return language ? language->language : "";
}

bool computes_hmac(std::string_view path, std::string_view content, const CheckData& data) {
  const WebhookLanguage* language = language_of(path, data);
  if (!language) {
    return false;
  }
  for (std::string_view marker : language->hmac_markers) {
    if (contains_nocase(content, marker)) {
      return true;
    }
  }
  return false;
}

std::vector<WebhookHit> find_unsafe_signature_compares(std::string_view path, std::string_view content,
                                                       const CheckData& data) {
  std::vector<WebhookHit> hits;
  if (!computes_hmac(path, content, data)) {
    return hits;
  }
  const WebhookLanguage* language = language_of(path, data);
  std::uint32_t number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    std::string_view line = content.substr(start, end == std::string_view::npos ? content.size() - start : end - start);
    start = end == std::string_view::npos ? content.size() : end + 1;
    ++number;
    if (is_comment(line)) {
      continue;
    }
    for (std::string_view part : conditions(line)) {
      re2::StringPiece input(part.data(), part.size());
      std::string op;
      if (!RE2::PartialMatch(input, comparison(), &op) || !RE2::PartialMatch(input, signature_name())) {
        continue;
      }
      // strcmp(a, b) !== 0 is the early-exit comparison however it is tested.
      bool by_strcmp = part.find("strcmp(") != std::string_view::npos;
      if (!by_strcmp && RE2::PartialMatch(input, benign_check())) {
        continue;
      }
      hits.push_back({number, by_strcmp ? "strcmp" : tidy(op), language->safe});
      break;
    }
  }
  return hits;
}

} // namespace leakstop::audit
