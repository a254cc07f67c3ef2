// The store of organisation scans, on real SQLite files in temp dirs: blobs,
// statuses, triage and runs.

#include "core/error.hpp"
#include "git_fixture.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>

using namespace leakstop;
using namespace leakstop::store;
using namespace leakstop::test;

TEST_CASE("store: scanned blobs are per ruleset and shared by repositories", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  CHECK_FALSE(store.is_blob_scanned(blob(1), k_digest));
  store.mark_blobs_scanned({blob(1), blob(2)}, k_digest);
  CHECK(store.is_blob_scanned(blob(1), k_digest));
  CHECK_FALSE(store.is_blob_scanned(blob(1), std::string(64, 'e')));
  CHECK(store.scanned_blobs({blob(1), blob(3), blob(2)}, k_digest) == BlobSet{blob(1), blob(2)});
  CHECK_THROWS_AS(store.is_blob_scanned("not-hex", k_digest), RepoError);
  // Marked along with the findings of a repository, in the run's ruleset.
  RunId run = store.begin_run(k_digest);
  RepoId repo = store.add_repository("a", "/srv/a");
  store.record_findings(run, repo, {}, {blob(4)});
  CHECK(store.is_blob_scanned(blob(4), k_digest));
  CHECK_THROWS_WITH(store.record_findings(run + 1, repo, {}, {blob(5)}), "store: no run " + std::to_string(run + 1));
  CHECK_FALSE(store.is_blob_scanned(blob(5), k_digest));  // rolled back
}

TEST_CASE("store: new, open, resolved, reopened follow the heads", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  RepoId repo = store.add_repository("a", "/srv/a");
  Finding f = make_finding("tok_AAAAbbbbCCCCdddd", "config.yml", blob(10));
  auto run_with_heads = [&](BlobSet heads, bool record) {
    RunId run = store.begin_run(k_digest);
    if (record) {
      store.record_findings(run, repo, {f});
    }
    store.close_repository(run, repo, heads);
    store.finish_run(run, RunStatus::completed);
    return only(store.findings());
  };
  StoredFinding first = run_with_heads({blob(10)}, true);
  CHECK(first.status == Status::fresh);
  CHECK(first.preview == redact(f.secret));
  CHECK(first.fingerprint == f.fingerprint);
  CHECK(first.rule_id == "sample-token");
  CHECK(first.severity == Severity::high);
  REQUIRE(first.locations.size() == 1);
  CHECK(first.locations[0].at_head);
  CHECK(first.locations[0].author == "Ann <ann@example.org>");
  CHECK(first.locations[0].line == 3);
  // Incremental: the blob is not read again, only the heads are given.
  CHECK(run_with_heads({blob(10)}, false).status == Status::open);
  StoredFinding gone = run_with_heads({blob(11)}, false);
  CHECK(gone.status == Status::resolved);
  CHECK_FALSE(gone.locations[0].at_head);
  CHECK(run_with_heads({blob(10)}, false).status == Status::reopened);
  CHECK(run_with_heads({blob(10)}, false).status == Status::open);
  CHECK(first.first_seen_run < gone.first_seen_run + 1);
}

TEST_CASE("store: a status counts every repository closed in the run", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  RepoId a = store.add_repository("a", "/srv/a");
  RepoId b = store.add_repository("b", "/srv/b");
  Finding in_a = make_finding("tok_shared_0123456789", "a.env", blob(1));
  Finding in_b = make_finding("tok_shared_0123456789", "b.env", blob(2));
  RunId run = store.begin_run(k_digest);
  store.record_findings(run, a, {in_a});
  store.record_findings(run, b, {in_b});
  store.close_repository(run, a, {});
  store.close_repository(run, b, {});
  store.finish_run(run, RunStatus::completed);
  StoredFinding f = only(store.findings());
  CHECK(f.locations.size() == 2);
  run = store.begin_run(k_digest);
  store.close_repository(run, a, {});
  store.close_repository(run, b, {});
  CHECK(only(store.findings()).status == Status::resolved);
  // Resolved before this run; a closes first (still not at its head), then b
  // has it at a head again: reopened, not open.
  run = store.begin_run(k_digest);
  store.close_repository(run, a, {});
  CHECK(only(store.findings()).status == Status::resolved);
  store.close_repository(run, b, {blob(2)});
  CHECK(only(store.findings()).status == Status::reopened);
}

TEST_CASE("store: triage is kept across runs and flags a secret seen in a new place", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  RepoId repo = store.add_repository("a", "/srv/a");
  Finding f = make_finding("tok_triaged_ABCDEFGH", "app.env", blob(5));
  RunId run1 = store.begin_run(k_digest);
  store.record_findings(run1, repo, {f});
  store.close_repository(run1, repo, {blob(5)});
  store.finish_run(run1, RunStatus::completed);
  CHECK_FALSE(store.triage("no-such-fingerprint", Triage::rotated, "", "sec"));
  REQUIRE(store.triage(f.fingerprint, Triage::accepted_risk, "test fixture", "alice"));

  RunId run2 = store.begin_run(k_digest);
  store.record_findings(run2, repo, {f});  // the same place: no flag
  store.close_repository(run2, repo, {blob(5)});
  StoredFinding same = only(store.findings());
  CHECK(same.triage == Triage::accepted_risk);
  CHECK(same.triage_note == "test fixture");
  CHECK(same.triage_by == "alice");
  CHECK_FALSE(same.triage_at.empty());
  CHECK_FALSE(same.moved_after_triage);
  CHECK(same.status == Status::open);

  Finding moved = make_finding(f.secret, "copied/app.env", blob(6), std::string(40, 'e'));
  store.record_findings(run2, repo, {moved});
  CHECK(only(store.findings()).moved_after_triage);
  REQUIRE(store.triage(f.fingerprint, Triage::rotated, "", "bob"));
  CHECK_FALSE(only(store.findings()).moved_after_triage);
  CHECK(parse_triage("false-positive") == Triage::false_positive);
  CHECK_FALSE(parse_triage("fixed").has_value());
}

TEST_CASE("store: findings new since the previous completed run", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  RepoId repo = store.add_repository("a", "/srv/a");
  RunId run1 = store.begin_run(k_digest);
  store.record_findings(run1, repo, {make_finding("tok_old_1234567890", "a", blob(1))});
  store.finish_run(run1, RunStatus::completed);
  RunId run2 = store.begin_run(k_digest);
  CHECK(store.previous_run(run2) == run1);
  CHECK_FALSE(store.previous_run(run1).has_value());
  store.record_findings(run2, repo, {make_finding("tok_new_1234567890", "b", blob(2))});
  auto fresh = store.findings_since(store.previous_run(run2));
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0].locations.at(0).path == "b");
  CHECK(store.findings().size() == 2);
  store.record_fetch(repo, "fetch https://bob:s3cret@example.org/a.git: 401");
  CHECK(store.repositories().at(0).last_error == "fetch https://example.org/a.git: 401");
}

TEST_CASE("store: runs count repositories and blobs, and are timed", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  RepoId repo = store.add_repository("a", "/srv/a");
  RunId run = store.begin_run(k_digest);
  store.record_findings(run, repo, {}, {blob(1), blob(2), blob(3)});
  store.close_repository(run, repo, {});
  store.finish_run(run, RunStatus::completed);
  RunId rerun = store.begin_run(k_digest);
  store.close_repository(rerun, repo, {});
  store.finish_run(rerun, RunStatus::failed);
  auto runs = store.runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].blobs_scanned == 3);
  CHECK(runs[0].repositories_closed == 1);
  CHECK(runs[0].ruleset_digest == k_digest);
  CHECK(runs[0].started <= runs[0].finished);
  CHECK(runs[1].blobs_scanned == 0);  // nothing new: nothing read
  CHECK(runs[1].status == RunStatus::failed);
  CHECK(store.previous_run(rerun + 1) == run);  // a failed run is no baseline
}

TEST_CASE("store: a secret is never written, only its preview and fingerprint", "[store]") {
  TempDir tmp;
  const std::string secret = "tok_NEVERSTORED_9f8e7d6c5b4a";
  {
    Store store = Store::open(tmp.path());
    RepoId repo = store.add_repository("a", "/srv/a");
    RunId run = store.begin_run(k_digest);
    store.record_findings(run, repo, {make_finding(secret, "app.env", blob(1))});
    store.close_repository(run, repo, {blob(1)});
    store.finish_run(run, RunStatus::completed);
    CHECK(only(store.findings()).preview == redact(secret));
  }
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    CAPTURE(entry.path());
    CHECK(GitRepo::read_bytes(entry.path()).find("NEVERSTORED") == std::string::npos);
  }
}
