// The delta applier: a base and a delta, split by fuzz_util.hpp's
// separator. A delta either applies, to exactly the size it declares, or
// is refused.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_util.hpp"
#include "sources/pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakstop::sources;
  const auto parts = leakstop::fuzz::split_parts(data, size, 2);
  const std::optional<std::uint64_t> declared = delta_result_size(parts[1]);
  Buffer out;
  if (apply_delta(parts[0], parts[1], out) && (!declared || out.size() != *declared)) {
    std::abort();
  }
  return 0;
}
