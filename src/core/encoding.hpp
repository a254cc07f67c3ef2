#pragma once
// Byte-level decoders shared by validators and the decoding pass.

#include <optional>
#include <string>
#include <string_view>

namespace leakstop {

// Standard or URL-safe base64, padding optional. nullopt on any other byte.
std::optional<std::string> base64_decode(std::string_view in);

} // namespace leakstop
