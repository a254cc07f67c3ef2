// The tree parser: raw tree objects from the repository being scanned.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "sources/object_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakstop::sources;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<TreeEntry> entries;
  if (!parse_tree(raw, entries)) {
    return 0;
  }
  const char* const end = raw.data() + raw.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const TreeEntry& e = entries[i];
    const char* id = reinterpret_cast<const char*>(e.id);
    if (e.name.empty() || e.name.data() < raw.data() || id + GIT_OID_RAWSZ > end) {
      std::abort();
    }
    if (i > 0) {
      compare_entries(entries[i - 1], e);
    }
  }
  return 0;
}
