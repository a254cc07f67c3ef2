#include "store/summary.hpp"

#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace leakstop::store {

void StatusCounts::add(const StoredFinding& f) {
  if (f.triage != Triage::none) {
    ++triaged;
    return;
  }
  switch (f.status) {
  case Status::fresh: ++fresh; break;
  case Status::open: ++open; break;
  case Status::resolved: ++resolved; break;
  case Status::reopened: ++reopened; break;
  }
}

std::optional<std::int64_t> exposed_since(const StoredFinding& f) {
  std::optional<std::int64_t> earliest;
  for (const StoredLocation& l : f.locations) {
    if (l.date.empty()) {
      continue;
    }
    if (std::optional<std::int64_t> t = parse_date(l.date, 0); t && (!earliest || *t < *earliest)) {
      earliest = t;
    }
  }
  return earliest ? earliest : parse_date(f.first_seen, 0);
}

std::int64_t age_days(std::int64_t since, std::int64_t now) {
  return since >= now ? 0 : (now - since) / 86400;
}

std::size_t age_bucket(std::int64_t days) {
  std::size_t i = 0;
  while (i + 1 < k_age_buckets.size() && days >= *k_age_buckets[i].to_days) {
    ++i;
  }
  return i;
}

ReportSummary summarise(const std::vector<StoredFinding>& findings, const std::vector<RepositoryInfo>& repositories,
                        std::int64_t now) {
  ReportSummary s;
  for (const RepositoryInfo& r : repositories) {
    s.by_repository[r.name];
  }
  for (const StoredFinding& f : findings) {
    s.total.add(f);
    s.by_rule[f.rule_id].add(f);
    std::set<std::string> in;
    for (const StoredLocation& l : f.locations) {
      if (in.insert(l.repository).second) {
        s.by_repository[l.repository].add(f);
      }
    }
    const std::optional<std::int64_t> since = exposed_since(f);
    s.by_age[age_bucket(since ? age_days(*since, now) : 0)].add(f);
  }
  return s;
}

Since parse_since(std::string_view text, const std::vector<RunInfo>& runs, std::int64_t now) {
  Since since;
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    RunId run = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), run);
    const bool known = error == std::errc() && std::any_of(runs.begin(), runs.end(), [&](const RunInfo& r) { return r.id == run; });
    if (!known) {
      throw ConfigError(runs.empty() ? fmt::format("--since {}: the store has no runs yet", printable(text))
                                     : fmt::format("--since {}: no such run (this store has runs {} to {})",
                                                   printable(text), runs.front().id, runs.back().id));
    }
    since.run = run;
    return since;
  }
  since.time = parse_date(text, now);
  if (!since.time) {
    throw ConfigError(fmt::format("--since '{}': expected a run id (org report --format json lists them) or a date "
                                  "(2024-01-31, 2024-01-31T09:00:00Z, @<unix time>, '7 days ago')",
                                  printable(text)));
  }
  return since;
}

std::vector<StoredFinding> first_seen_since(std::vector<StoredFinding> findings, const Since& since) {
  std::erase_if(findings, [&](const StoredFinding& f) {
    if (since.run) {
      return f.first_seen_run < *since.run;
    }
    const std::optional<std::int64_t> first = parse_date(f.first_seen, 0);
    return since.time && (!first || *first < *since.time);
  });
  return findings;
}

} // namespace leakstop::store
