// What `org report` makes of the store's findings (store/summary.hpp):
// exposure ages and their buckets, counts by status, --since; and the
// secrets the store keeps per blob read.

#include "core/dates.hpp"
#include "core/error.hpp"
#include "git_fixture.hpp"
#include "store/summary.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>

using namespace leakstop;
using namespace leakstop::store;
using namespace leakstop::test;

namespace {

StoredFinding stored(Status status, Triage triage, const std::string& first_seen, std::vector<std::string> dates,
                     RunId first_run = 1) {
  StoredFinding f;
  f.rule_id = "sample-token";
  f.status = status;
  f.triage = triage;
  f.first_seen = first_seen;
  f.first_seen_run = first_run;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    f.locations.push_back({i % 2 ? "b" : "a", std::string(40, 'c'), "key.txt", 1, "Ann", dates[i], true});
  }
  return f;
}

std::int64_t at(const std::string& date) { return *parse_date(date, 0); }

} // namespace

TEST_CASE("summary: exposure starts at the earliest commit, else when first seen, in buckets of whole days",
          "[store][summary]") {
  const StoredFinding two = stored(Status::open, Triage::none, "2026-01-01T00:00:00Z",
                                   {"2025-06-01T12:00:00+02:00", "2025-05-31T23:00:00-01:00"});
  CHECK(exposed_since(two) == at("2025-06-01T00:00:00Z"));  // the second, in UTC, is the earlier
  CHECK(exposed_since(stored(Status::open, Triage::none, "2026-01-01T00:00:00Z", {""})) == at("2026-01-01"));
  CHECK(age_days(at("2026-01-01"), at("2026-01-08T00:00:00Z") - 1) == 6);
  CHECK(age_days(at("2026-01-08"), at("2026-01-01")) == 0);  // a commit dated in the future
  CHECK(k_age_buckets[age_bucket(0)].label == "<7 days");
  CHECK(k_age_buckets[age_bucket(6)].label == "<7 days");
  CHECK(k_age_buckets[age_bucket(7)].label == "7-30 days");
  CHECK(k_age_buckets[age_bucket(30)].label == "30-90 days");
  CHECK(k_age_buckets[age_bucket(364)].label == "90-365 days");
  CHECK(k_age_buckets[age_bucket(365)].label == ">1 year");
  CHECK(k_age_buckets[age_bucket(100000)].label == ">1 year");
}

TEST_CASE("summary: each finding counts once per view, a triaged one as triaged only", "[store][summary]") {
  const std::vector<StoredFinding> findings = {
      stored(Status::fresh, Triage::none, "2026-01-01T00:00:00Z", {"2025-12-30T00:00:00Z"}),
      stored(Status::resolved, Triage::none, "2026-01-01T00:00:00Z", {"2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z"}),
      stored(Status::open, Triage::rotated, "2026-01-01T00:00:00Z", {"2025-12-01T00:00:00Z"}),
  };
  const ReportSummary s = summarise(findings, {{1, "a", "", "", ""}, {2, "b", "", "", ""}, {3, "c", "", "", ""}},
                                    at("2026-01-01"));
  CHECK(s.total.findings() == 3);
  CHECK(s.total.fresh == 1);
  CHECK(s.total.resolved == 1);
  CHECK(s.total.open == 0);
  CHECK(s.total.triaged == 1);
  CHECK(s.by_repository.at("a").findings() == 3);
  CHECK(s.by_repository.at("b").resolved == 1);  // the second finding's second location
  CHECK(s.by_repository.at("b").findings() == 1);
  CHECK(s.by_repository.at("c").findings() == 0);
  CHECK(s.by_rule.at("sample-token").findings() == 3);
  CHECK(s.by_age[0].fresh == 1);      // 2 days
  CHECK(s.by_age[2].triaged == 1);    // 31 days
  CHECK(s.by_age[4].resolved == 1);   // two years, from the earlier location
}

TEST_CASE("summary: --since takes a run of the store or a date, nothing else", "[store][summary]") {
  std::vector<RunInfo> runs(2);
  runs[0].id = 4;
  runs[1].id = 5;
  const std::vector<StoredFinding> findings = {stored(Status::open, Triage::none, "2026-01-01T00:00:05Z", {}, 4),
                                               stored(Status::fresh, Triage::none, "2026-01-02T00:00:05Z", {}, 5)};
  CHECK(first_seen_since(findings, parse_since("5", runs, 0)).size() == 1);
  CHECK(first_seen_since(findings, parse_since("4", runs, 0)).size() == 2);
  CHECK(first_seen_since(findings, parse_since("2026-01-02", runs, 0)).size() == 1);
  CHECK(first_seen_since(findings, parse_since("2026-01-01T00:00:05Z", runs, 0)).size() == 2);  // at or after
  CHECK(first_seen_since(findings, parse_since("1 day ago", runs, at("2026-01-03"))).size() == 1);
  CHECK_THROWS_WITH(parse_since("6", runs, 0), "--since 6: no such run (this store has runs 4 to 5)");
  CHECK_THROWS_AS(parse_since("yesterday", runs, 0), ConfigError);
  CHECK_THROWS_AS(parse_since("", runs, 0), ConfigError);
  CHECK_THROWS_AS(parse_since("99999999999999999999999", runs, 0), ConfigError);
}

TEST_CASE("store: the secrets of a blob read are kept per ruleset, with their finding", "[store][summary]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  const RunId run = store.begin_run(k_digest);
  const RepoId repo = store.add_repository("a", "/srv/a");
  const Finding f = make_finding("tok_0123456789abcdef", "key.txt", blob(1));
  store.record_findings(run, repo, {f}, {blob(1)}, {{blob(1), f.fingerprint, f.rule_id, f.severity, 3}});
  const std::vector<BlobSecret> known = store.secrets_in_blob(blob(1), k_digest);
  REQUIRE(known.size() == 1);
  CHECK(known[0].fingerprint == f.fingerprint);
  CHECK(known[0].rule_id == "sample-token");
  CHECK(known[0].severity == Severity::high);
  CHECK(known[0].line == 3);
  CHECK(store.secrets_in_blob(blob(2), k_digest).empty());
  CHECK(store.secrets_in_blob(blob(1), std::string(64, 'e')).empty());  // another ruleset: read it again
  CHECK(store.schema_version() == 2);
}
