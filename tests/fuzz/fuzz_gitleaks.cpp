// gitleaks configurations: any bytes either load or throw ConfigError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "rules/gitleaks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // No file beside it: an [extend] path fails to read, as a ConfigError.
    leakstop::rules::GitleaksConfig config =
      leakstop::rules::parse_gitleaks_config(text, "/nonexistent/leakstop-fuzz/gitleaks.toml");
    config.apply(leakstop::rules::RuleSet());
  } catch (const leakstop::ConfigError&) {
  }
  return 0;
}
