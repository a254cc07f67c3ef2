#include "audit/items.hpp"

#include <algorithm>
#include <cctype>

#include "core/secret.hpp"

namespace leakstop::audit {

std::string_view to_string(Status s) {
  switch (s) {
  case Status::pass: return "pass";
  case Status::fail: return "fail";
  case Status::warn: return "warn";
  case Status::not_applicable: break;
  }
  return "n/a";
}

Item make_item(std::string_view id, std::string_view title) {
  Item item;
  item.id = id;
  item.title = title;
  return item;
}

Evidence evidence_of(const Finding& f, std::string detail) {
  Evidence e;
  e.path = f.location.path;
  e.line = f.location.line;
  e.column = f.location.column;
  if (f.location.commit) {
    e.commit = f.location.commit->id;
  }
  e.secret = f.path_rule ? "" : f.secret;
  e.fingerprint = f.fingerprint;
  e.detail = std::move(detail);
  return e;
}

std::string value_hash(std::string_view secret) { return sha256_hex(secret); }

Item& conclude(Item& item, Status when_evidence) {
  item.status = item.evidence.empty() ? Status::pass : when_evidence;
  return item;
}

std::string read_bounded(const TrackedFile& file) {
  if (!file.content) {
    return "";
  }
  std::optional<std::string> content = file.content();
  if (!content) {
    return "";
  }
  if (content->size() > k_max_read) {
    content->resize(k_max_read);
  }
  return std::move(*content);
}

bool contains_nocase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

} // namespace leakstop::audit
