#pragma once
// Dates as leakstop reads and prints them: one formatter, one parser.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakstop {

// "2024-01-31T09:15:00": ISO 8601, UTC, to the second.
std::string iso8601_utc(std::int64_t unix_time);

// "2024-01-31T09:15:00+01:00": ISO 8601 in a time zone `offset_minutes`
// east of UTC (a commit's author's own, say).
std::string iso8601_with_offset(std::int64_t unix_time, int offset_minutes);

// git's own unambiguous date forms, as --since takes them: an ISO 8601 date
// or time (UTC unless it carries an offset: Z, +01, +0100, +01:00),
// `@<unix time>`, or `<n> <unit>s ago` counted back from `now` (seconds to
// years). Empty when `text` is none of these.
std::optional<std::int64_t> parse_date(std::string_view text, std::int64_t now);

// "Now" for ages that must be reproducible: `now_option` (a --now value,
// parsed as above) if not empty, else $SOURCE_DATE_EPOCH if set, else the
// clock. Throws ConfigError naming `option` (or SOURCE_DATE_EPOCH) when
// either cannot be read.
std::int64_t reference_time(std::string_view now_option, std::string_view option = "--now");

} // namespace leakstop
