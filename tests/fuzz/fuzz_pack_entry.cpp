// One pack entry: its header (type, size, base reference) and its zlib
// data, as the readers take them from the pack.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sources/pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakstop::sources;
  static Inflater inflater;
  static Buffer out;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The offset the entry is at: a distance back past it is refused.
  const std::uint64_t offset = 12 + size;
  const std::optional<PackedHeader> h = Pack::parse_header(bytes, offset);
  if (!h) {
    return 0;
  }
  if (h->length > size || (h->type == PackType::ofs_delta && h->base_offset >= offset)) {
    std::abort();
  }
  if (inflater.inflate(bytes.substr(h->length), h->size, out) && out.size() != h->size) {
    std::abort();
  }
  out.shrink_if_over(1 << 20);
  return 0;
}
