// The Scanner over any blob: a few shipped rule files compiled once, then
// both stages and the decoders on the input, found at a path that one of
// the path-scoped rules applies to.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "engine/compiled_rules.hpp"
#include "engine/scanner.hpp"
#include "rules/ruleset.hpp"

namespace {

leakstop::engine::Scanner& scanner() {
  static const std::shared_ptr<const leakstop::engine::CompiledRules> compiled = [] {
    leakstop::rules::RuleSet set;
    for (const char* name : {"aws", "basic-auth", "generic", "github", "jwt", "private-keys", "slack", "stripe"}) {
      set.add_file(std::string(LEAKSTOP_RULES_DIR "/") + name + ".toml", leakstop::rules::Examples::required);
    }
    return leakstop::engine::CompiledRules::compile(std::move(set));
  }();
  static leakstop::engine::Scanner scanner(compiled, leakstop::engine::ScanOptions());
  return scanner;
}

} // namespace

// The rules compile here, before libFuzzer starts timing inputs.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  scanner();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  for (const leakstop::Finding& f : scanner().scan(content, "config/.env")) {
    if (f.offset > size || f.secret.empty() || f.location.line == 0) {
      std::abort();
    }
  }
  return 0;
}
