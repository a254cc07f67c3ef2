#include "engine/merge.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "engine/scanner.hpp"

namespace leakstop::engine {
namespace {

// Higher is more specific. Plain text wins a tie (its location is exact),
// then the fewest layers of decoding.
auto rank(const Finding& f) {
  const auto layers = f.decoded.empty() ? 0 : 1 + std::count(f.decoded.begin(), f.decoded.end(), '>');
  return std::make_tuple(static_cast<int>(f.confidence), static_cast<int>(f.severity), -layers, f.secret.size());
}

bool ranges_overlap(std::size_t a_begin, std::size_t a_end, std::size_t b_begin, std::size_t b_end) {
  return a_begin < b_end && b_begin < a_end;
}

bool plain_covers(const Finding& plain, const DecodedFinding& d) {
  return ranges_overlap(plain.offset, plain.offset + plain.secret.size(), d.finding.offset, d.origin_end);
}

bool same_decoded_secret(const DecodedFinding& a, const DecodedFinding& b) {
  const std::string& x = a.finding.secret;
  const std::string& y = b.finding.secret;
  return ranges_overlap(a.finding.offset, a.origin_end, b.finding.offset, b.origin_end) &&
         (x.find(y) != std::string::npos || y.find(x) != std::string::npos);
}

// Overlapping secrets reported by several rules: keep the most specific.
std::vector<Finding> keep_best_of_overlaps(std::vector<Finding> findings) {
  std::vector<Finding> out;
  std::size_t cluster_end = 0;
  for (auto& f : findings) {
    const std::size_t end = f.offset + f.secret.size();
    if (!out.empty() && f.offset < cluster_end) {
      if (rank(f) > rank(out.back())) {
        out.back() = std::move(f);
      }
      cluster_end = std::max(cluster_end, end);
      continue;
    }
    cluster_end = end;
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace

std::vector<Finding> merge_findings(std::vector<Finding> plain, std::vector<DecodedFinding> decoded, Overlap overlap) {
  const bool best = overlap == Overlap::keep_best;
  if (best) {
    plain = keep_best_of_overlaps(std::move(plain));
  }
  if (decoded.empty()) {
    return plain;
  }
  std::stable_sort(decoded.begin(), decoded.end(),
                   [](const DecodedFinding& a, const DecodedFinding& b) { return rank(a.finding) > rank(b.finding); });
  std::vector<DecodedFinding> kept;
  for (DecodedFinding& d : decoded) {
    bool reported = std::any_of(plain.begin(), plain.end(), [&](const Finding& p) {
      return plain_covers(p, d) && (p.rule_id == d.finding.rule_id || (best && rank(p) >= rank(d.finding)));
    });
    reported = reported || std::any_of(kept.begin(), kept.end(), [&](const DecodedFinding& k) {
      return same_decoded_secret(k, d) && (best || k.finding.rule_id == d.finding.rule_id);
    });
    if (!reported) {
      kept.push_back(std::move(d));
    }
  }
  if (best) {
    std::erase_if(plain, [&](const Finding& p) {
      return std::any_of(kept.begin(), kept.end(), [&](const DecodedFinding& k) { return plain_covers(p, k); });
    });
  }
  for (DecodedFinding& k : kept) {
    plain.push_back(std::move(k.finding));
  }
  std::stable_sort(plain.begin(), plain.end(), [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
  return plain;
}

std::pair<std::uint32_t, std::size_t> LineCounter::at(std::size_t offset) {
  if (offset < m_pos) {
    m_pos = 0;
    m_line = 1;
    m_line_start = 0;
  }
  while (m_pos < offset) {
    const void* nl = std::memchr(m_content.data() + m_pos, '\n', offset - m_pos);
    if (!nl) {
      m_pos = offset;
      break;
    }
    m_pos = static_cast<std::size_t>(static_cast<const char*>(nl) - m_content.data()) + 1;
    ++m_line;
    m_line_start = m_pos;
  }
  return {m_line, m_line_start};
}

} // namespace leakstop::engine
