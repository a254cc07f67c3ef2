// .leakstopignore, .gitleaksignore (both come with the repository) and a
// baseline file: any bytes either load or throw ConfigError.
// Input: the three files, split by fuzz_util.hpp's separator.

#include <cstddef>
#include <cstdint>
#include <string>

#include "scan/suppress.hpp"
#include "core/error.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fuzz = leakstop::fuzz;
  const auto parts = fuzz::split_parts(data, size, 3);
  const auto& root = fuzz::scratch_dir();
  fuzz::write_file(root / ".leakstopignore", parts[0]);
  fuzz::write_file(root / ".gitleaksignore", parts[1]);
  fuzz::write_file(root / "baseline.json", parts[2]);
  try {
    leakstop::scan::Suppressions suppressions(root, parts[2].empty() ? "" : (root / "baseline.json").string());
    leakstop::Finding f;
    f.rule_id = "aws.access-key";
    f.fingerprint = "0123456789abcdef";
    f.location.path = "config/app.yml";
    f.location.line = 3;
    suppressions.judge(f);
    suppressions.unused();
  } catch (const leakstop::ConfigError&) {
  }
  return 0;
}
