#pragma once
// Turning a history scan's matches into findings. A secret in a file edited
// a thousand times is in a thousand blobs; what the user needs is where it
// first came in. So each (secret, path) keeps only its earliest commit, and
// each secret becomes one finding: its earliest location first, every other
// path after it, and whether HEAD still has it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"
#include "sources/history.hpp"

namespace leakstop::scan {

// How the numbers a history walk hands out read as names.
struct HistoryNames {
  std::function<std::string_view(std::uint32_t path)> path;
  std::function<std::optional<CommitInfo>(std::uint32_t commit)> commit;  // called once per commit
  std::function<std::string(std::size_t blob)> blob_id;
};

// A walk's own names; commits described through `repo`.
HistoryNames names_of(const sources::History& history, git_repository* repo);

// One worker's matches, each (fingerprint, path) kept once: the earliest.
// Thread-safety: not thread-safe; one per worker, merged on one thread.
class HitTable {
public:
  // `f` was found in blob `blob_index` at `introduction`.
  void add(Finding f, std::size_t blob_index, const sources::Introduction& introduction, bool at_head);

  // Moves every entry of `other` in.
  void merge(HitTable&& other);

  // One finding per fingerprint (ordered by it), whatever the thread count:
  // its earliest location first (by commit, path, line), every other after
  // it, and whether any is at HEAD.
  std::vector<Finding> findings(const HistoryNames& names) &&;

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
