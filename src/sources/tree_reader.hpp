#pragma once
// Tree objects for the history walk. Internal to leakstop_sources.
//
// The walk reads trees in commit order, not pack order, so unlike blobs
// they need a cache: trees are deltas of earlier versions of themselves, and
// each is read as a commit's tree and again as its children's parent tree.
// Trees come straight from the packs (pack.hpp), parsed once, through a
// byte-bounded two-generation cache; loose trees through libgit2.
//
// NOTE: with git_tree_lookup the walk of bench/history.sh's 3,000 commits
// (39,417 trees) took 0.32 s, half of `git cat-file --batch-all-objects`
// reading every object: libgit2 sets up a zlib stream per object, and
// caches no tree over 4 KiB. This reader inflates each of those trees once.

#include <git2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sources/git.hpp"
#include "sources/pack.hpp"

namespace leakstop::sources {

struct TreeEntry {
  std::string_view name;
  const git_oid* id;  // points into the tree's bytes
  std::uint32_t mode; // a git_filemode_t
  bool is_tree() const { return mode == GIT_FILEMODE_TREE; }
};

// Parses a raw tree into `out`; false when it is malformed.
bool parse_tree(std::string_view raw, std::vector<TreeEntry>& out);

// Git's order of tree entries: by name, a tree sorting as if its name ended in '/'.
int compare_entries(const TreeEntry& a, const TreeEntry& b);

// An inflated object; for a tree, also its entries (parsed once).
struct RawTree {
  std::string bytes;
  std::vector<TreeEntry> entries;  // point into bytes
  bool parsed = false;             // false: not a tree, or malformed
};
using TreePtr = std::shared_ptr<const RawTree>;

// One per thread.
class TreeReader {
public:
  // Opens its own handle on the repository at `git_dir` for loose objects.
  TreeReader(const std::string& git_dir, std::shared_ptr<const PackSet> packs, std::size_t cache_bytes);

  // Tree `id`, parsed, or null with `error` set.
  TreePtr read(const git_oid& id, std::string& error);

private:
  // The inflated object at `offset` of pack `p`, through the cache.
  TreePtr packed(std::size_t p, std::uint64_t offset, git_object_t& type, std::string& error);
  TreePtr cached(std::uint64_t key, git_object_t& type);
  TreePtr remember(std::uint64_t key, std::string_view bytes, git_object_t type);
  void turn_over_if_full();

  struct Entry {
    TreePtr object;
    git_object_t type;
  };
  struct KeyHash {
    std::size_t operator()(std::uint64_t key) const { return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ull) >> 20); }
  };
  // Objects by where they are in a pack (delta bases are asked for so),
  // and the trees asked for by id, which saves looking them up in the .idx.
  struct Generation {
    std::unordered_map<std::uint64_t, Entry, KeyHash> by_offset;  // key: pack index << 48 | offset
    std::unordered_map<git_oid, TreePtr, OidHash, OidEqual> by_id;
    std::size_t bytes = 0;
  };

  Repository m_repo;
  Odb m_odb;
  std::shared_ptr<const PackSet> m_packs;
  Inflater m_inflater;
  std::vector<Buffer> m_compressed;  // per link of a delta chain
  Buffer m_delta;
  Buffer m_result;
  // Entries used since the last turnover are young; at each turnover the
  // old generation is dropped. Each holds at most half the budget.
  Generation m_young;
  Generation m_old;
  std::size_t m_generation_limit;
};

} // namespace leakstop::sources
