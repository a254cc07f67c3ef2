#pragma once
// Building AuditInputs in tests: files in memory, findings as a scan of
// HEAD would report them.

#include <string>
#include <utility>
#include <vector>

#include "audit/audit.hpp"
#include "core/secret.hpp"

namespace leakstop::test {

inline audit::TrackedFile file(std::string path, std::string content) {
  return {std::move(path), [content = std::move(content)] { return std::optional<std::string>(content); }};
}

inline Finding finding(std::string rule_id, std::string secret, std::string path, std::uint32_t line = 1) {
  Finding f;
  f.rule_id = std::move(rule_id);
  f.description = "test secret";
  f.secret = std::move(secret);
  f.fingerprint = fingerprint(f.rule_id, f.secret, "");
  f.location.path = std::move(path);
  f.location.line = line;
  f.location.column = 1;
  f.end_line = line;
  return f;
}

inline std::vector<std::string> paths_of(const audit::Item& item) {
  std::vector<std::string> out;
  for (const audit::Evidence& e : item.evidence) {
    out.push_back(e.line ? e.path + ":" + std::to_string(e.line) : e.path);
  }
  return out;
}

// Values shaped like real keys, assembled so that no full key sits in the source.
inline std::string stripe_live() { return std::string("sk_") + "live_" + "4eC39HqLyjWDarjtT1zdp7dc9Q2x"; }
inline std::string github_classic() { return std::string("ghp_") + "R8xq2LmV9tBn4KcW7pZs1YhJ3dFgE6uA0iOw"; }

} // namespace leakstop::test
