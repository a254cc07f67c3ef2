#include "core/dates.hpp"

#include "core/encoding.hpp"
#include "core/error.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>

namespace leakstop {

std::string iso8601_utc(std::int64_t unix_time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(static_cast<std::time_t>(unix_time)));
}

std::string iso8601_with_offset(std::int64_t unix_time, int offset_minutes) {
  const int offset = std::abs(offset_minutes);
  return fmt::format("{}{}{:02}:{:02}", iso8601_utc(unix_time + std::int64_t{offset_minutes} * 60),
                     offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
}

namespace {

std::optional<std::int64_t> parse_relative(const std::string& text, std::int64_t now) {
  long long number = 0;
  char unit[16] = {};
  int used = 0;
  if (std::sscanf(text.c_str(), "%lld %15[a-z] ago%n", &number, unit, &used) != 2 || used != static_cast<int>(text.size())) {
    return std::nullopt;
  }
  std::string u(unit);
  if (u.size() > 1 && u.back() == 's') {
    u.pop_back();
  }
  const std::map<std::string, long long> seconds{{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400},
                                                 {"week", 604800}, {"month", 2592000}, {"year", 31536000}};
  auto it = seconds.find(u);
  if (it == seconds.end()) {
    return std::nullopt;
  }
  return now - number * it->second;
}

// Seconds east of UTC for "Z", "+01", "+0100" or "+01:00"; empty otherwise.
std::optional<int> parse_offset(const std::string& rest) {
  if (rest == "Z") {
    return 0;
  }
  if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) {
    return std::nullopt;
  }
  std::string digits;
  for (char c : rest.substr(1)) {
    if (c != ':') {
      digits.push_back(c);
    }
  }
  if ((digits.size() != 2 && digits.size() != 4) || digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int minutes = std::stoi(digits.substr(0, 2)) * 60 + (digits.size() == 4 ? std::stoi(digits.substr(2)) : 0);
  return (rest[0] == '-' ? -60 : 60) * minutes;
}

std::optional<std::int64_t> parse_iso(const std::string& text) {
  std::tm tm{};
  int hour = 0, minute = 0, second = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3) {
    return std::nullopt;
  }
  std::string rest = text.substr(static_cast<std::size_t>(used));
  int more = 0;
  if (!rest.empty() && (rest[0] == 'T' || rest[0] == ' ') &&
      std::sscanf(rest.c_str() + 1, "%2d:%2d%n:%2d%n", &hour, &minute, &more, &second, &more) >= 2) {
    rest = rest.substr(static_cast<std::size_t>(more) + 1);
  }
  std::optional<int> offset = rest.empty() ? std::optional<int>(0) : parse_offset(rest);
  const bool valid = offset && tm.tm_mon >= 1 && tm.tm_mon <= 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && hour >= 0 &&
                     hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 61;
  if (!valid) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) - *offset;
}

} // namespace

std::optional<std::int64_t> parse_date(std::string_view view, std::int64_t now) {
  const std::string text(view);
  long long number = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "@%lld%n", &number, &used) == 1 && used == static_cast<int>(text.size())) {
    return number;
  }
  if (auto relative = parse_relative(text, now)) {
    return relative;
  }
  return parse_iso(text);
}

std::int64_t reference_time(std::string_view now_option, std::string_view option) {
  const std::int64_t clock = static_cast<std::int64_t>(std::time(nullptr));
  if (!now_option.empty()) {
    std::optional<std::int64_t> parsed = parse_date(now_option, clock);
    if (!parsed) {
      throw ConfigError(fmt::format("{} '{}': expected a date (2024-01-31, 2024-01-31T09:00:00Z) or @<unix time>",
                                    option, printable(now_option)));
    }
    return *parsed;
  }
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    std::optional<std::int64_t> parsed = parse_date(std::string("@") + epoch, clock);
    if (!parsed) {
      throw ConfigError(fmt::format("SOURCE_DATE_EPOCH '{}': expected a unix time", printable(epoch)));
    }
    return *parsed;
  }
  return clock;
}

} // namespace leakstop
