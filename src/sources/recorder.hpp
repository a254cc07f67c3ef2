#pragma once
// What one walking thread finds: for each commit, the (blob, path) pairs no
// parent had. Internal to leakstop_sources; see history.hpp.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"
#include "sources/commit_graph.hpp"
#include "sources/history.hpp"
#include "sources/object_reader.hpp"

namespace leakstop::sources {

// One per walking thread, with its own tree reader. Paths are numbered
// locally, in the order met, until the threads' findings are merged.
// Thread-safety: not thread-safe; one per walking thread (as said above).
class Recorder {
public:
  Recorder(const std::string& git_dir, std::shared_ptr<const PackSet> packs, std::size_t cache_bytes)
    : m_trees(git_dir, std::move(packs), cache_bytes) {}

  // Records what commit `c`, at walk position `position`, introduced.
  void commit(std::uint32_t position, const SelectedCommit& c);
  // Records the tree or blob a tag points at, as if at `position`.
  void tagged(std::uint32_t position, const TaggedObject& t);
  // Fills `head` (path number -> blob) from tree `id`, for the paths in
  // `sorted_paths` (the merged, sorted path numbers).
  void record_head(const git_oid& id, const std::vector<std::string>& sorted_paths,
                   std::unordered_map<std::uint32_t, git_oid>& head);

  std::vector<Introduction> found;        // path: a local number
  std::vector<const std::string*> paths;  // local number -> path (a key of m_path_index)
  std::vector<Diagnostic> diagnostics;
  WalkStats stats;

private:
  struct Loaded {
    ObjectPtr raw;
    const std::vector<TreeEntry>* entries = nullptr;  // in raw
  };
  std::uint32_t intern(const std::string& full);
  bool load(const git_oid& id, Loaded& out);
  void compare(const Loaded& tree, const std::vector<Loaded>& parents);
  void descend(const TreeEntry& entry, const std::vector<const TreeEntry*>& before);
  // Whether subtree `id` of m_path is not to be read: it is nested too
  // deep, or is one of its own ancestors. Says so in a diagnostic.
  bool refuse_subtree(const git_oid& id);

  ObjectReader m_trees;
  std::unordered_map<std::string, std::uint32_t> m_path_index;
  std::string m_path;  // of the tree being compared, with a trailing '/'
  std::uint32_t m_commit = 0;
  std::vector<git_oid> m_ancestors;  // the subtrees m_path goes through, below the root
};

} // namespace leakstop::sources
