// Rule files (rules/*.toml, and the [[rule]] tables of .leakstop.toml):
// any bytes either load or throw ConfigError.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "rules/ruleset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto examples : {leakstop::rules::Examples::required, leakstop::rules::Examples::optional}) {
    try {
      leakstop::rules::RuleSet set;
      set.add_file_text(text, "fuzz.toml", examples);
      set.disable({});
    } catch (const leakstop::ConfigError&) {
    }
  }
  return 0;
}
