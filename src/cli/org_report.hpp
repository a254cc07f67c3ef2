#pragma once
// `org report`'s formats beyond the listing in cmd_org_store.cpp: SARIF and
// CSV, and the summaries (store/summary.hpp) as text and JSON. Each writes
// only what the store holds: secrets as redacted previews, URLs without
// credentials.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <vector>

#include "store/store.hpp"
#include "store/summary.hpp"

namespace leakstop::cli {

// SARIF 2.1.0: a result per finding, a location per place it is (path and
// line, with the repository and commit as the location's properties), the
// fingerprint as a partial fingerprint, triage decisions as suppressions.
void write_org_sarif(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                     const std::vector<store::RepositoryInfo>& repositories, std::int64_t now);

// CSV (RFC 4180, CRLF): a header, then a row per location of each finding.
void write_org_csv(std::ostream& out, const std::vector<store::StoredFinding>& findings, std::int64_t now);

// The summary as `org report --format json` prints it (#/$defs/org_summary).
nlohmann::json org_summary_json(const store::ReportSummary& summary);
// The summary as tables: per repository, per rule, per exposure age.
void write_org_summary_text(std::ostream& out, const store::ReportSummary& summary);

// When the finding's exposure began, ISO 8601 UTC, and its age in days, for
// the json and csv rows; empty and 0 when unknown.
std::pair<std::string, std::int64_t> exposure_of(const store::StoredFinding& f, std::int64_t now);

} // namespace leakstop::cli
