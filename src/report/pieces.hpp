#pragma once
// Pieces of the report formats that reports built outside this library
// (the organisation store's, in cli/) share with it, so that a CSV cell or a
// SARIF location reads the same whichever command wrote it.

#include <string>
#include <string_view>

#include "core/types.hpp"

namespace leakstop::report {

// One CSV cell: escaped as in the text report (printable()), a leading
// single quote on what a spreadsheet would run as a formula (= + - @, tab,
// CR first), then quoted as RFC 4180 asks.
std::string csv_field(const std::string& raw);

// A path as a SARIF artifact URI: relative, percent-encoded (RFC 3986).
std::string sarif_uri(std::string path);
// SARIF's result level and GitHub's security-severity score for a severity.
std::string_view sarif_level(Severity s);
std::string_view sarif_security_severity(Severity s);

} // namespace leakstop::report
