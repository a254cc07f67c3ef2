#pragma once
// Turning a history scan's matches into findings. A secret in a file edited
// a thousand times is in a thousand blobs; what the user needs is where it
// first came in. So each (secret, path) keeps only its earliest commit, and
// each secret becomes one finding: its earliest location first, every other
// path after it, and whether HEAD still has it.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"
#include "sources/history.hpp"

namespace leakstop::scan {

// One worker's matches, each (fingerprint, path) kept once: the earliest.
class HitTable {
public:
  // `f` was found in blob `blob_index` at `introduction`.
  void add(Finding f, std::size_t blob_index, const sources::Introduction& introduction, bool at_head);

  // Moves every entry of `other` in.
  void merge(HitTable&& other);

  // One finding per fingerprint, in a stable order whatever the thread
  // count; commits described through `repo`.
  std::vector<Finding> findings(const sources::History& history, git_repository* repo) &&;

private:
  struct Hit {
    Finding finding;
    std::size_t blob = 0;
    std::uint32_t path = sources::k_no_path;
    std::uint32_t commit = sources::k_no_commit;
    bool at_head = false;
  };
  // Which of two hits of the same secret at the same path to keep.
  static bool earlier(const Hit& a, const Hit& b);
  void keep(Hit hit);

  std::unordered_map<std::string, Hit> m_hits;  // fingerprint NUL path -> hit
};

} // namespace leakstop::scan
