#pragma once
// Structural checks that tell a real token from a string of the right
// shape. A rule names one in its `validate` field.

#include <optional>
#include <string_view>

namespace leakstop {

enum class Validator { none, crc32_base62, jwt, luhn };

std::optional<Validator> parse_validator(std::string_view name);

// True when `secret` passes `v`. See docs/rules-format.md for each check.
bool validate_secret(Validator v, std::string_view secret);

} // namespace leakstop
