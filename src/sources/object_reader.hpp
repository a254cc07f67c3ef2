#pragma once
// Commits and trees for the history walk. Internal to leakstop_sources.
//
// The walk reads trees in commit order, not pack order, so unlike blobs
// they need a cache: trees are deltas of earlier versions of themselves, and
// each is read as a commit's tree and again as its children's parent tree.
// Objects come straight from the packs (pack.hpp), trees parsed once,
// through a byte-bounded two-generation cache; loose objects through libgit2.
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

// What the walk needs of a commit.
struct CommitHeader {
  git_oid tree{};
  std::vector<git_oid> parents;
  std::int64_t time = 0;  // committer time
};

// Parses the header of a raw commit; false when it is malformed.
bool parse_commit(std::string_view raw, CommitHeader& out);

// An inflated object; for a tree, also its entries (parsed once).
struct RawObject {
  std::string bytes;
  std::vector<TreeEntry> entries;  // point into bytes
  git_object_t type = GIT_OBJECT_INVALID;
  bool parsed = false;             // false: not a tree, or malformed
  git_oid id{};                    // set once asked for by id
};
using ObjectPtr = std::shared_ptr<RawObject>;

// A hash table of objects by a 64-bit key: open addressing, linear probing.
// NOTE: std::unordered_map lookups were 7% of a whole history scan of
// bench/history.sh (a cache miss per node); this is one probe, mostly.
// Thread-safety: not thread-safe; each ObjectReader owns one.
class ObjectTable {
public:
  // The first object stored under `key` that `accept`s, or null.
  template <typename Accept> ObjectPtr find(std::uint64_t key, Accept accept) const;
  void insert(std::uint64_t key, ObjectPtr object);
  std::size_t size() const { return m_used; }

private:
  struct Slot {
    std::uint64_t key = 0;  // 0: empty
    ObjectPtr object;
  };
  std::size_t home(std::uint64_t key) const { return static_cast<std::size_t>((key * 0x9e3779b97f4a7c15ull) >> m_shift); }
  std::vector<Slot> m_slots;
  unsigned m_shift = 64;
  std::size_t m_used = 0;
};

// One per thread. Thread-safety: not thread-safe; each reading thread owns
// one (libgit2 objects are for one thread at a time).
class ObjectReader {
public:
  // Opens its own handle on the repository at `git_dir` for loose objects.
  ObjectReader(const std::string& git_dir, std::shared_ptr<const PackSet> packs, std::size_t cache_bytes);

  // Object `id`, which must be of `type` (a tree comes parsed), or null
  // with `error` set.
  ObjectPtr read(const git_oid& id, git_object_t type, std::string& error);

private:
  // The inflated object at `offset` of pack `p`, through the cache.
  ObjectPtr packed(std::size_t p, std::uint64_t offset, std::string& error);
  ObjectPtr cached(std::uint64_t key);
  ObjectPtr cached(const git_oid& id);
  ObjectPtr remember(std::uint64_t key, std::string_view bytes, git_object_t type);
  void turn_over_if_full();

  // Objects by where they are in a pack (delta bases are asked for so),
  // and the trees asked for by id, which saves looking them up in the .idx.
  struct Generation {
    ObjectTable by_offset;  // key: pack index << 48 | offset
    ObjectTable by_id;      // key: the id's first 8 bytes
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

// --- Inline implementations ---

template <typename Accept> ObjectPtr ObjectTable::find(std::uint64_t key, Accept accept) const {
  if (m_slots.empty()) {
    return nullptr;
  }
  for (std::size_t i = home(key);; i = (i + 1) & (m_slots.size() - 1)) {
    const Slot& slot = m_slots[i];
    if (slot.key == 0) {
      return nullptr;
    }
    if (slot.key == key && accept(*slot.object)) {
      return slot.object;
    }
  }
}

} // namespace leakstop::sources
