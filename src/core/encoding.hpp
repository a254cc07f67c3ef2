#pragma once
// Byte-level decoders shared by validators and the decoding pass. Each
// takes any bytes and never throws; none assumes UTF-8.

#include <optional>
#include <string>
#include <string_view>

namespace leakstop {

// Standard or URL-safe base64, padding optional. nullopt on any other byte.
std::optional<std::string> base64_decode(std::string_view in);

// Pairs of hex digits, either case. nullopt on an odd length or any other byte.
std::optional<std::string> hex_decode(std::string_view in);

// Every `%XX` (two hex digits) becomes its byte; everything else, `+`
// included, is kept: in a secret `+` is far more often itself than a space.
std::string percent_decode(std::string_view in);

// Backslash escapes of C, JSON, JavaScript and Python string literals:
// \xHH, \uHHHH, \u{H...}, \UHHHHHHHH (code points as UTF-8), octal \NNN,
// \n \r \t \f \v \b \a \e \0, and \<c> for any other punctuation c (\" \\ \/).
// An unknown or malformed escape is kept as it is.
std::string unescape(std::string_view in);

// `in` made safe to show on a terminal, on one line (as git's core.quotePath,
// but keeping printable UTF-8): control bytes (C0, DEL, C1), Unicode
// bidirectional controls and line separators, and bytes that are not UTF-8
// become escapes: \n \r \t, \x1b, \u202e, \xff. Everything else is kept.
// For what comes from a repository: paths, author names, commit messages.
std::string printable(std::string_view in);

} // namespace leakstop
