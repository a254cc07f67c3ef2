#pragma once
// A secret in one blob, whatever path or commit holds the blob: what the
// history scan hands a store, and the store hands back, so that a blob
// shared by several repositories is read once yet located in each.

#include <compare>
#include <cstdint>
#include <string>

#include "core/types.hpp"

namespace leakstop {

// Content rules only: a path rule judges the file's name, not the blob.
struct BlobSecret {
  std::string blob_id;  // hex
  std::string fingerprint;
  std::string rule_id;
  Severity severity = Severity::medium;
  std::uint32_t line = 0;  // 1-based
  auto operator<=>(const BlobSecret&) const = default;
};

} // namespace leakstop
