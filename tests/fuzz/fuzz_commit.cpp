// The commit header parser: raw commits from the repository being scanned.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sources/object_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leakstop::sources::CommitHeader header;
  leakstop::sources::parse_commit(std::string_view(reinterpret_cast<const char*>(data), size), header);
  return 0;
}
