// Store::merge: shard stores combined, as `leakstop store merge` does after
// sharded runs. Real SQLite files in temp dirs.

#include "core/error.hpp"
#include "git_fixture.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace leakstop;
using namespace leakstop::store;
using namespace leakstop::test;

namespace {

// One completed run of `repo` in `store`: `findings` recorded, `heads` the blobs at its branch tips.
void one_run(Store& store, const std::string& repo, const std::vector<Finding>& findings, const BlobSet& heads,
             const std::vector<std::string>& scanned = {}) {
  RepoId id = store.add_repository(repo, "/srv/" + repo);
  RunId run = store.begin_run(k_digest);
  store.record_findings(run, id, findings, scanned);
  store.close_repository(run, id, heads);
  store.finish_run(run, RunStatus::completed);
}

std::map<std::string, StoredFinding> by_preview(Store& store) {
  std::map<std::string, StoredFinding> out;
  for (StoredFinding& f : store.findings()) {
    out[f.preview] = std::move(f);
  }
  return out;
}

} // namespace

TEST_CASE("store merge: blobs, repositories, findings and triage of shards combined", "[store][merge]") {
  TempDir tmp;
  Finding shared_a = make_finding("tok_shared_AAAA1111", "a.env", blob(1));
  Finding shared_b = make_finding("tok_shared_AAAA1111", "b.env", blob(2));
  Finding only_b = make_finding("tok_onlyb_BBBB2222", "b.cfg", blob(3));
  Finding gone_a = make_finding("tok_gone_CCCC3333", "old.env", blob(4));
  Finding gone_b = make_finding("tok_gone_CCCC3333", "old.env", blob(5));
  {
    Store a = Store::open(tmp.path() / "shard0");
    one_run(a, "a", {shared_a, gone_a}, {blob(1)}, {blob(1), blob(4)});
    one_run(a, "a", {}, {blob(1)});  // shared: open in shard 0, gone: resolved
    REQUIRE(a.triage(shared_a.fingerprint, Triage::rotated, "first", "alice"));
    Store b = Store::open(tmp.path() / "shard1");
    one_run(b, "b", {shared_b, only_b, gone_b}, {blob(3)}, {blob(2), blob(3), blob(5)});
    REQUIRE(b.triage(only_b.fingerprint, Triage::false_positive, "fixture", "bob"));
    REQUIRE(b.triage(shared_b.fingerprint, Triage::accepted_risk, "later", "carol"));
  }
  Store out = Store::open(tmp.path() / "out");
  out.merge(tmp.path() / "shard0");
  out.merge(tmp.path() / "shard1");
  for (int i = 1; i <= 5; ++i) {
    CHECK(out.is_blob_scanned(blob(i), k_digest));
  }
  CHECK(out.repositories().size() == 2);
  CHECK(out.runs().size() == 3);

  auto all = by_preview(out);
  REQUIRE(all.size() == 3);
  const StoredFinding& shared = all.at(redact(shared_a.secret));
  CHECK(shared.locations.size() == 2);
  CHECK(shared.status == Status::open);  // open in one shard, new in the other
  CHECK(shared.triage == Triage::accepted_risk);  // the newer decision (or, at a tie, the later store)
  CHECK(shared.triage_by == "carol");
  const StoredFinding& fresh = all.at(redact(only_b.secret));
  CHECK(fresh.status == Status::fresh);
  CHECK(fresh.triage == Triage::false_positive);
  CHECK(all.at(redact(gone_a.secret)).status == Status::resolved);  // at no head in either shard

  // Merging again changes nothing.
  out.merge(tmp.path() / "shard1");
  CHECK(out.runs().size() == 3);
  CHECK(out.findings().size() == 3);
  CHECK(by_preview(out).at(redact(shared_a.secret)).locations.size() == 2);
  CHECK(out.integrity_check() == "ok");
}

TEST_CASE("store merge: a missing store or one in use is refused", "[store][merge]") {
  TempDir tmp;
  Store out = Store::open(tmp.path() / "out");
  CHECK_THROWS_AS(out.merge(tmp.path() / "nothing"), ConfigError);
  Store busy = Store::open(tmp.path() / "busy");
  CHECK_THROWS_WITH(out.merge(tmp.path() / "busy"), Catch::Contains("is in use by another leakstop"));
}
