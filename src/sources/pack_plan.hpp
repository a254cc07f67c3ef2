#pragma once
// Which objects of one pack the blob reader inflates, arranged as delta
// trees: every wanted blob, and every base its delta chain needs. Internal
// to leakstop_sources (see pack.hpp for why trees).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sources/pack.hpp"

namespace leakstop::sources {

struct PlanNode {
  std::uint64_t offset = 0;
  std::uint64_t end = 0;          // where the next object starts
  std::uint64_t size = 0;         // inflated: the object's, or the delta's
  std::uint64_t base_offset = 0;  // a delta's base, in this pack
  std::uint32_t header = 0;       // bytes before the zlib data
  PackType type = PackType::blob;
  bool external = false;          // a ref-delta whose base is not in this pack: libgit2 reads it
  std::string error;              // the header could not be read
  std::int32_t first_child = -1;  // deltas against this object
  std::int32_t next_sibling = -1;
  std::int64_t blob = -1;         // History index when wanted
};

// Thread-safety: built on one thread, then read-only: workers share it.
class PackPlan {
public:
  explicit PackPlan(const Pack& pack) : m_pack(&pack) {}

  // Wants blob `index` (of the History) stored at `offset`.
  void want(std::uint64_t offset, std::int64_t index);

  // Reads the headers of the wanted objects and of the bases they need, in
  // offset order a chunk at a time, and links each delta to its base.
  void build();

  const Pack& pack() const { return *m_pack; }
  const std::vector<PlanNode>& nodes() const { return m_nodes; }
  const PlanNode& node(std::int32_t n) const { return m_nodes[static_cast<std::size_t>(n)]; }

  // The nodes that are no delta of another node, in offset order: each is
  // the root of a tree a reading thread takes as a whole.
  std::vector<std::int32_t> roots() const;

private:
  std::int32_t node_at(std::uint64_t offset);

  const Pack* m_pack;
  std::vector<PlanNode> m_nodes;
  std::unordered_map<std::uint64_t, std::int32_t> m_by_offset;
  std::vector<std::uint64_t> m_unread;  // offsets whose header is still to read
};

} // namespace leakstop::sources
