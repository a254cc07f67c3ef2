// .leakstop.toml, which comes with the repository being scanned: any bytes
// either load or throw ConfigError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "rules/repo_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    leakstop::rules::RepoConfig config = leakstop::rules::parse_repo_config(text, ".leakstop.toml");
    leakstop::rules::RuleSet rules;
    config.apply_to(rules);
  } catch (const leakstop::ConfigError&) {
  }
  return 0;
}
