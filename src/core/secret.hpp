#pragma once
// How secrets are shown and identified without being revealed.

#include <string>
#include <string_view>

namespace leakstop {

// A preview safe to print: at most a third of the value (and never more
// than 12 bytes) followed by an ellipsis. Short values show 2 bytes.
std::string redact(std::string_view secret);

// Stable identity of a finding: the rule and a hash of the secret, plus the
// path for path rules (which have no secret). Line numbers and commit ids
// never enter it, so moving or reformatting a line keeps it.
std::string fingerprint(std::string_view rule_id, std::string_view secret, std::string_view path_or_empty);

// Lowercase hex SHA-256.
std::string sha256_hex(std::string_view data);

// Shannon entropy in bits per byte.
double shannon_entropy(std::string_view s);

} // namespace leakstop
