// `org report`'s summaries: counts by status per repository, per rule and
// per exposure age (store/summary.hpp decides them), as JSON and as tables.
#include <fmt/format.h>

#include <algorithm>

#include "cli/org_report.hpp"
#include "core/encoding.hpp"

namespace leakstop::cli {
namespace {

using nlohmann::json;

json counts_json(const store::StatusCounts& c) {
  return {{"findings", c.findings()}, {"new", c.fresh},         {"open", c.open},
          {"resolved", c.resolved}, {"reopened", c.reopened}, {"triaged", c.triaged}};
}

json rows_json(const std::map<std::string, store::StatusCounts>& rows, const char* key) {
  json out = json::array();
  for (const auto& [name, counts] : rows) {
    json row = counts_json(counts);
    row[key] = name;
    out.push_back(row);
  }
  return out;
}

// One table: a title column of `title` and a column per status.
void write_table(std::ostream& out, const std::string& title,
                 const std::vector<std::pair<std::string, store::StatusCounts>>& rows) {
  std::size_t width = title.size();
  for (const auto& [name, counts] : rows) {
    width = std::max(width, name.size());
  }
  out << fmt::format("  {:<{}}  findings  new  open  resolved  reopened  triaged\n", title, width);
  for (const auto& [name, c] : rows) {
    out << fmt::format("  {:<{}}  {:>8}  {:>3}  {:>4}  {:>8}  {:>8}  {:>7}\n", name, width, c.findings(), c.fresh,
                       c.open, c.resolved, c.reopened, c.triaged);
  }
}

std::vector<std::pair<std::string, store::StatusCounts>> printable_rows(const std::map<std::string, store::StatusCounts>& rows) {
  std::vector<std::pair<std::string, store::StatusCounts>> out;
  for (const auto& [name, counts] : rows) {
    out.emplace_back(printable(name), counts);
  }
  return out;
}

} // namespace

json org_summary_json(const store::ReportSummary& summary) {
  json ages = json::array();
  for (std::size_t i = 0; i < store::k_age_buckets.size(); ++i) {
    const store::AgeBucket& b = store::k_age_buckets[i];
    json row = counts_json(summary.by_age[i]);
    row["age"] = b.label;
    row["from_days"] = b.from_days;
    row["to_days"] = b.to_days ? json(*b.to_days) : json(nullptr);
    ages.push_back(row);
  }
  return {{"total", counts_json(summary.total)},
          {"by_repository", rows_json(summary.by_repository, "repository")},
          {"by_rule", rows_json(summary.by_rule, "rule_id")},
          {"by_exposure_age", ages}};
}

void write_org_summary_text(std::ostream& out, const store::ReportSummary& summary) {
  const store::StatusCounts& t = summary.total;
  out << fmt::format("summary: {} findings: {} new, {} open, {} resolved, {} reopened, {} triaged\n", t.findings(),
                     t.fresh, t.open, t.resolved, t.reopened, t.triaged);
  write_table(out, "repository", printable_rows(summary.by_repository));
  write_table(out, "rule", printable_rows(summary.by_rule));
  std::vector<std::pair<std::string, store::StatusCounts>> ages;
  for (std::size_t i = 0; i < store::k_age_buckets.size(); ++i) {
    ages.emplace_back(std::string(store::k_age_buckets[i].label), summary.by_age[i]);
  }
  write_table(out, "exposed for", ages);
}

} // namespace leakstop::cli
