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

// `in` made safe to show on a terminal, on one line, and unambiguous: in
// the spirit of git's core.quotePath, but keeping printable UTF-8, and with
// hex (\x1b) rather than git's octal (\033), as C, Python and JSON readers
// expect. Escaped are: `\` itself (as \\, so that an escape in the output
// always stands for a byte in the input), control bytes C0 and DEL (\n \r
// \t, else \xHH), bytes that are not well-formed UTF-8 (\xHH each), and
// code points a terminal acts on or does not draw (\uHHHH): C1 controls
// U+0080-U+009F, the zero-width U+200B-U+200D, U+2060-U+2064 and U+FEFF,
// the bidirectional marks, overrides and isolates U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069, and the separators U+2028, U+2029.
// For what comes from a repository: paths, authors, commit messages, secrets.
std::string printable(std::string_view in);

} // namespace leakstop
