#pragma once
// Which findings of one blob are reported when several rules, or the plain
// and the decoded text, report the same secret. Internal to leakstop_engine.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace leakstop::engine {

enum class Overlap;

// A finding in decoded text, already placed at its encoded span in the blob:
// `finding.offset` is where the span starts, `origin_end` where it ends.
struct DecodedFinding {
  Finding finding;
  std::size_t origin_end;
};

// Findings of the plain text (in order of offset) and of the decoded text,
// merged in order of offset. A decoded finding is dropped when the plain
// text already reported it (a plain secret of the same rule overlaps its
// span; with keep_best, any plain secret there that ranks as high), and
// when another decoded finding over the same span holds the same secret.
// With keep_best, overlapping plain secrets of several rules keep the most
// specific, and a decoded finding that outranks the plain one replaces it.
std::vector<Finding> merge_findings(std::vector<Finding> plain, std::vector<DecodedFinding> decoded, Overlap overlap);

// Tracks line numbers while walking offsets (fastest in increasing order).
// Thread-safety: not thread-safe; a local of one scan.
class LineCounter {
public:
  explicit LineCounter(std::string_view content) : m_content(content) {}

  // 1-based line of `offset`, and the offset where that line starts.
  std::pair<std::uint32_t, std::size_t> at(std::size_t offset);

private:
  std::string_view m_content;
  std::size_t m_pos = 0;
  std::uint32_t m_line = 1;
  std::size_t m_line_start = 0;
};

} // namespace leakstop::engine
