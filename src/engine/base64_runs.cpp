#include "engine/base64_runs.hpp"

#include <array>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#define LEAKSTOP_BASE64_SIMD 1
#endif

namespace leakstop::engine {
namespace {

constexpr auto k_is_base64 = [] {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (unsigned char c : std::string_view("+/_-")) t[c] = true;
  return t;
}();

bool is_base64(char c) {
  return k_is_base64[static_cast<unsigned char>(c)];
}

using RunCallback = std::function<std::size_t(std::size_t, std::size_t)>;

// Every byte that can end a qualifying run is probed: any run of
// k_min_base64_run bytes holds one of the bytes probed every
// k_min_base64_run bytes, and a probe inside a run expands it.
void scalar_runs(std::string_view text, std::size_t begin, std::size_t end, const RunCallback& on_run) {
  for (std::size_t probe = begin + k_min_base64_run - 1; probe < end;) {
    if (!is_base64(text[probe])) {
      probe += k_min_base64_run;
      continue;
    }
    std::size_t b = probe;
    while (b > begin && is_base64(text[b - 1])) {
      --b;
    }
    std::size_t e = probe + 1;
    while (e < end && is_base64(text[e])) {
      ++e;
    }
    std::size_t next = e - b >= k_min_base64_run ? on_run(b, e) : e;
    if (next >= end) {
      return;
    }
    probe = next + k_min_base64_run - 1;  // a run may start right at `next`
  }
}

#if defined(LEAKSTOP_BASE64_SIMD)
// Classes of a byte's high and low nibble: the byte is base64 when the two
// share a bit, so two table lookups (pshufb) classify 16 or 32 bytes at once.
//   bit 0: 0x2B 0x2D 0x2F (+ - /)   bit 1: 0x30-0x39
//   bit 2: 0x41-0x4F, 0x61-0x6F     bit 3: 0x50-0x5A, 0x70-0x7A
//   bit 4: 0x5F (_)
// NOTE: the SSE2 range compares used before took 14 instructions per 16
// bytes; this takes 8 per 32 bytes on AVX2.
alignas(16) constexpr std::array<std::uint8_t, 16> k_high_nibble{0, 0, 1, 2, 4, 8 | 16, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0};
alignas(16) constexpr std::array<std::uint8_t, 16> k_low_nibble{2 | 8,  2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8,
                                                                2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 4 | 8, 1 | 4,
                                                                4,         1 | 4,     4,         1 | 4 | 16};
constexpr bool nibble_tables_agree() {
  for (int c = 0; c < 256; ++c) {
    const auto byte = static_cast<std::size_t>(c);
    if (((k_high_nibble[byte >> 4] & k_low_nibble[byte & 15]) != 0) != k_is_base64[byte]) {
      return false;
    }
  }
  return true;
}
static_assert(nibble_tables_agree());

// Bit k set when q[k] is a base64 character, for 32 bytes.
__attribute__((target("avx2"))) std::uint64_t mask32_avx2(const char* q) {
  const __m256i high = _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(k_high_nibble.data())));
  const __m256i low = _mm256_broadcastsi128_si256(_mm_load_si128(reinterpret_cast<const __m128i*>(k_low_nibble.data())));
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i h = _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
  const __m256i l = _mm256_shuffle_epi8(low, _mm256_and_si256(x, nibble));
  const __m256i outside = _mm256_cmpeq_epi8(_mm256_and_si256(h, l), _mm256_setzero_si256());
  return ~static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(outside))) & 0xffffffffu;
}

// Bit k set when p[k] is a base64 character, for 64 bytes.
__attribute__((target("avx2"))) std::uint64_t mask64_avx2(const char* p) {
  return mask32_avx2(p) | mask32_avx2(p + 32) << 32;
}

__attribute__((target("ssse3"))) std::uint64_t mask64_ssse3(const char* p) {
  const __m128i high = _mm_load_si128(reinterpret_cast<const __m128i*>(k_high_nibble.data()));
  const __m128i low = _mm_load_si128(reinterpret_cast<const __m128i*>(k_low_nibble.data()));
  const __m128i nibble = _mm_set1_epi8(0x0f);
  std::uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i h = _mm_shuffle_epi8(high, _mm_and_si128(_mm_srli_epi16(x, 4), nibble));
    const __m128i l = _mm_shuffle_epi8(low, _mm_and_si128(x, nibble));
    const __m128i outside = _mm_cmpeq_epi8(_mm_and_si128(h, l), _mm_setzero_si128());
    mask |= (~static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(outside))) & 0xffff) << (16 * k);
  }
  return mask;
}

// 128 bits: the masks of two consecutive blocks of 64 bytes.
struct Mask128 {
  std::uint64_t low;
  std::uint64_t high;

  Mask128 operator>>(unsigned s) const {  // 0 < s < 64
    return {low >> s | high << (64 - s), high >> s};
  }
  Mask128 operator&(Mask128 o) const { return {low & o.low, high & o.high}; }
};

// Bit k set when bytes k, ..., k + 15 of `m` are all base64 (a run of
// k_min_base64_run starts there), for the 64 positions of m.low.
std::uint64_t run_starts(Mask128 m) {
  static_assert(k_min_base64_run == 16, "the shifts below find runs of 16");
  m = m & (m >> 1);
  m = m & (m >> 2);
  m = m & (m >> 4);
  m = m & (m >> 8);
  return m.low;
}

// The end of the run of base64 characters going on at `from`.
template <std::uint64_t (*mask64)(const char*)>
std::size_t run_end(std::string_view text, std::size_t from, std::size_t end) {
  for (; from + 64 <= end; from += 64) {
    if (const std::uint64_t outside = ~mask64(text.data() + from)) {
      return from + static_cast<std::size_t>(__builtin_ctzll(outside));
    }
  }
  while (from < end && is_base64(text[from])) {
    ++from;
  }
  return from;
}

// Blocks of 64 bytes, each classified once: a 64-bit mask of its base64
// bytes, and the next block's to see runs that cross into it. A block
// where no run of 16 starts costs one classification and a few shifts;
// a run is expanded from its first 16 bytes by the masks. Returns where
// the scalar loop must take over (the last 128 bytes at most).
// NOTE: over the 494 MB of /usr/include and /usr/share, finding the runs
// took 0.95 s of CPU byte by byte, 0.22 s with SSE2 windows of 64 bytes
// that moved 49 bytes a step (each byte classified 1.3 times, 16 at a
// time), and 0.145 s with these blocks (docs/performance.md).
template <std::uint64_t (*mask64)(const char*)>
std::size_t vector_runs(std::string_view text, std::size_t begin, std::size_t end, const RunCallback& on_run) {
  const char* data = text.data();
  std::size_t w = begin;
  if (w + 128 > end) {
    return w;
  }
  std::uint64_t mask = mask64(data + w);
  while (w + 128 <= end) {
    const std::uint64_t next = mask64(data + w + 64);
    const std::uint64_t starts = run_starts({mask, next});
    if (starts == 0) {
      w += 64;
      mask = next;
      continue;
    }
    const std::size_t first = static_cast<std::size_t>(__builtin_ctzll(starts));
    std::size_t b = w + first;
    while (b > begin && is_base64(data[b - 1])) {
      --b;  // only where the caller's region starts mid-run
    }
    // The first byte outside the run, in this block or the next, else
    // further on.
    const Mask128 outside = first == 0 ? Mask128{~mask, ~next} : Mask128{~mask, ~next} >> static_cast<unsigned>(first);
    std::size_t e = w + first;
    if (outside.low != 0) {
      e += static_cast<std::size_t>(__builtin_ctzll(outside.low));
    } else if (outside.high != 0) {
      e += 64 + static_cast<std::size_t>(__builtin_ctzll(outside.high));
    } else {
      e = run_end<mask64>(text, w + 128, end);
    }
    const std::size_t resume = on_run(b, e);
    if (resume >= end) {
      return end;
    }
    w = resume;
    if (w + 128 > end) {
      return w;
    }
    mask = mask64(data + w);
  }
  return w;
}
#endif

} // namespace

void for_each_base64_run(std::string_view text, std::size_t begin, std::size_t end, const RunCallback& on_run) {
#if defined(LEAKSTOP_BASE64_SIMD)
  // NOTE: the baseline build targets any x86-64; the CPU is asked once.
  static const bool avx2 = __builtin_cpu_supports("avx2");
  static const bool ssse3 = __builtin_cpu_supports("ssse3");
  if (avx2) {
    begin = vector_runs<mask64_avx2>(text, begin, end, on_run);
  } else if (ssse3) {
    begin = vector_runs<mask64_ssse3>(text, begin, end, on_run);
  }
  if (begin >= end) {
    return;
  }
#endif
  scalar_runs(text, begin, end, on_run);
}

} // namespace leakstop::engine
