#include "sources/pack_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace leakstop::sources {
namespace {

// A header, with its base reference, fits in this many bytes.
constexpr std::uint64_t k_header_bytes = 32;
// NOTE: reading headers one pread each took 50 ms of the 22,127 blobs of
// bench/history.sh, a serial step before any thread can start; reading
// the pack in order, a chunk at a time, takes a few.
constexpr std::uint64_t k_chunk = 256 * 1024;
// A delta chain longer than this is corrupt (git's own limit is 4095).
constexpr int k_max_depth = 10000;

// Serves headers at increasing offsets from one chunk of the pack.
class HeaderReader {
public:
  explicit HeaderReader(const Pack& pack) : m_pack(pack) {}

  // The bytes at `offset`, up to `end` or k_header_bytes; empty on a read error.
  std::string_view at(std::uint64_t offset, std::uint64_t end) {
    if (end <= offset) {
      return {};
    }
    const std::uint64_t want = std::min(end, offset + k_header_bytes);
    if (offset < m_start || want > m_start + m_chunk.size()) {
      const std::uint64_t chunk_end = std::max(want, std::min(offset + k_chunk, m_pack.data_end()));
      if (!m_pack.read(offset, chunk_end, m_chunk)) {
        m_start = 0;
        (void)m_chunk.resize_for_overwrite(0);
        return {};
      }
      m_start = offset;
    }
    return m_chunk.view().substr(offset - m_start, want - offset);
  }

private:
  const Pack& m_pack;
  Buffer m_chunk;
  std::uint64_t m_start = 0;
};

} // namespace

std::int32_t PackPlan::node_at(std::uint64_t offset) {
  auto [it, added] = m_by_offset.try_emplace(offset, static_cast<std::int32_t>(m_nodes.size()));
  if (added) {
    m_nodes.emplace_back().offset = offset;
    m_unread.push_back(offset);
  }
  return it->second;
}

void PackPlan::want(std::uint64_t offset, std::int64_t index) {
  m_nodes[static_cast<std::size_t>(node_at(offset))].blob = index;
}

void PackPlan::build() {
  HeaderReader reader(*m_pack);
  // Round by round: the bases the wanted objects need, then theirs.
  for (int round = 0; !m_unread.empty() && round < k_max_depth; ++round) {
    std::vector<std::uint64_t> offsets;
    offsets.swap(m_unread);
    std::sort(offsets.begin(), offsets.end());
    for (std::uint64_t offset : offsets) {
      const std::int32_t n = m_by_offset.at(offset);
      PlanNode& node = m_nodes[static_cast<std::size_t>(n)];
      node.end = m_pack->end_of(offset);
      std::optional<PackedHeader> h = Pack::parse_header(reader.at(offset, node.end), offset);
      if (!h) {
        node.error = fmt::format("bad object header at offset {} of {}", offset, m_pack->path().filename().string());
        continue;
      }
      node.size = h->size;
      node.header = h->length;
      node.type = h->type;
      if (h->type == PackType::ref_delta) {
        std::optional<std::uint64_t> base = m_pack->find(h->base_id);
        node.external = !base;
        node.base_offset = base.value_or(0);
      } else {
        node.base_offset = h->base_offset;
      }
      if ((h->type == PackType::ofs_delta || h->type == PackType::ref_delta) && !node.external) {
        const std::uint64_t base = node.base_offset;
        node_at(base);  // may grow m_nodes: `node` is not used after this
      }
    }
  }
  for (std::uint64_t offset : m_unread) {
    m_nodes[static_cast<std::size_t>(m_by_offset.at(offset))].error = "delta chain too long";
  }
  m_unread.clear();
  for (std::size_t n = 0; n < m_nodes.size(); ++n) {
    PlanNode& node = m_nodes[n];
    const bool delta = node.type == PackType::ofs_delta || node.type == PackType::ref_delta;
    if (!delta || node.external || !node.error.empty()) {
      continue;
    }
    PlanNode& b = m_nodes[static_cast<std::size_t>(m_by_offset.at(node.base_offset))];
    node.next_sibling = b.first_child;
    b.first_child = static_cast<std::int32_t>(n);
  }
  m_by_offset = {};
}

std::vector<std::int32_t> PackPlan::roots() const {
  std::vector<char> is_child(m_nodes.size(), 0);
  for (const PlanNode& node : m_nodes) {
    for (std::int32_t c = node.first_child; c >= 0; c = m_nodes[static_cast<std::size_t>(c)].next_sibling) {
      is_child[static_cast<std::size_t>(c)] = 1;
    }
  }
  std::vector<std::pair<std::uint64_t, std::int32_t>> roots;
  for (std::size_t n = 0; n < m_nodes.size(); ++n) {
    if (!is_child[n]) {
      roots.emplace_back(m_nodes[n].offset, static_cast<std::int32_t>(n));
    }
  }
  std::sort(roots.begin(), roots.end());
  std::vector<std::int32_t> out;
  for (const auto& [offset, n] : roots) {
    out.push_back(n);
  }
  return out;
}

} // namespace leakstop::sources
