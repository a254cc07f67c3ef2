#pragma once
// What `org report` makes of the store's findings: which a `--since` keeps,
// how long each secret has been exposed, and counts by status per
// repository, per rule and per exposure age. Plain functions over
// StoredFinding: the report formats only print what these decide.

#include "store/store.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::store {

// Counts by status. Each finding counts once: a triaged finding under
// `triaged` whatever its status, any other under its status.
struct StatusCounts {
  std::size_t fresh = 0, open = 0, resolved = 0, reopened = 0, triaged = 0;

  void add(const StoredFinding& f);
  std::size_t findings() const { return fresh + open + resolved + reopened + triaged; }
};

// Exposure age buckets, in days: [from, to), `to` empty for the last.
struct AgeBucket {
  std::string_view label;
  std::int64_t from_days;
  std::optional<std::int64_t> to_days;
};
inline constexpr std::array<AgeBucket, 5> k_age_buckets = {{{"<7 days", 0, 7},
                                                             {"7-30 days", 7, 30},
                                                             {"30-90 days", 30, 90},
                                                             {"90-365 days", 90, 365},
                                                             {">1 year", 365, std::nullopt}}};

// When the secret's exposure began (unix time): the earliest commit date
// among its locations, else when the store first saw it; empty when neither
// reads as a date.
std::optional<std::int64_t> exposed_since(const StoredFinding& f);
// Whole days from `since` to `now`; 0 if `since` is later (a clock ahead).
std::int64_t age_days(std::int64_t since, std::int64_t now);
// The index in k_age_buckets of an age in days.
std::size_t age_bucket(std::int64_t days);

struct ReportSummary {
  StatusCounts total;
  // Every repository of the store (also those without findings); a finding
  // counts in each repository where it has a location.
  std::map<std::string, StatusCounts> by_repository;
  std::map<std::string, StatusCounts> by_rule;
  std::array<StatusCounts, k_age_buckets.size()> by_age{};
};

ReportSummary summarise(const std::vector<StoredFinding>& findings, const std::vector<RepositoryInfo>& repositories,
                        std::int64_t now);

// What `--since` (or `--new`) keeps: the findings first seen in `run` or a
// later one, or at or after `time`.
struct Since {
  std::optional<RunId> run;
  std::optional<std::int64_t> time;
};

// `text`: a run id of `runs` (digits only) or a date as parse_date reads
// it (relative dates counted back from `now`). Throws ConfigError naming
// the value when it is neither, or no such run exists.
Since parse_since(std::string_view text, const std::vector<RunInfo>& runs, std::int64_t now);
// Those of `findings` that `since` keeps, in their order.
std::vector<StoredFinding> first_seen_since(std::vector<StoredFinding> findings, const Since& since);

} // namespace leakstop::store
