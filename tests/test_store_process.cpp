// The store across processes, on real SQLite files in temp dirs: the lock
// and kill -9, with real second processes (fork); databases it must refuse.

#include "core/error.hpp"
#include "git_fixture.hpp"
#include "store/sqlite.hpp"
#include "store_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>

using namespace leakstop;
using namespace leakstop::store;
using namespace leakstop::test;

TEST_CASE("store: open creates a WAL database at the newest schema, and keeps data", "[store]") {
  TempDir tmp;
  auto dir = tmp.path() / "nested" / "store";
  {
    Store store = Store::open(dir);
    CHECK(store.schema_version() == 2);
    store.add_repository("web", "https://user:hunter2@example.org/acme/web.git");
  }
  CHECK(std::filesystem::exists(dir / "leakstop.db"));
  auto header = leakstop::test::GitRepo::read_bytes(dir / "leakstop.db").substr(18, 2);
  CHECK(header == std::string("\x02\x02", 2));  // file format bytes 2 = WAL
  Store again = Store::open(dir);
  auto repos = again.repositories();
  REQUIRE(repos.size() == 1);
  CHECK(repos[0].url == "https://example.org/acme/web.git");
  CHECK(again.integrity_check() == "ok");
}

TEST_CASE("store: a store in use is refused at once, in this process and another", "[store]") {
  TempDir tmp;
  Store store = Store::open(tmp.path());
  CHECK_THROWS_WITH(Store::open(tmp.path()), Catch::Contains("is in use by another leakstop"));
  CHECK_THROWS_AS(Store::open(tmp.path()), ConfigError);
  int rc = in_child([&] {
    try {
      Store::open(tmp.path());
    } catch (const ConfigError&) {
      return 7;
    }
    return 0;
  });
  CHECK(rc == 7);
  store = Store::open(tmp.path() / "other");  // the first store is closed, its lock released
  CHECK(in_child([&] { return Store::open(tmp.path()).schema_version(); }) == 2);
}

TEST_CASE("store: kill -9 in the middle of a run leaves a sound store", "[store]") {
  TempDir tmp;
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    try {
      Store store = Store::open(tmp.path());
      RunId run = store.begin_run(k_digest);
      RepoId repo = store.add_repository("a", "/srv/a");
      for (int i = 0;; ++i) {
        Finding f = make_finding("tok_killed_" + std::to_string(i) + "_xyzXYZ", "f" + std::to_string(i), blob(i));
        f.other_locations.push_back(f.location);
        f.other_locations.back().path = "copy";
        store.record_findings(run, repo, {f}, {blob(i)});
        if (i == 30) {
          [[maybe_unused]] auto n = ::write(pipe_fds[1], "x", 1);
        }
      }
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(pipe_fds[1]);
  char c;
  REQUIRE(::read(pipe_fds[0], &c, 1) == 1);
  ::usleep(20000);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(pipe_fds[0]);
  REQUIRE(WIFSIGNALED(status));

  Store store = Store::open(tmp.path());
  CHECK(store.integrity_check() == "ok");
  auto all = store.findings();
  REQUIRE(all.size() > 30);
  int max = -1;
  for (const StoredFinding& f : all) {
    CHECK(f.locations.size() == 2);  // a finding never lands without its locations
    max = std::max(max, std::stoi(f.locations.at(0).path == "copy" ? f.locations.at(1).path.substr(1)
                                                                    : f.locations.at(0).path.substr(1)));
  }
  CHECK(static_cast<std::size_t>(max + 1) == all.size());
  // A blob is marked scanned exactly when its findings were committed.
  CHECK(store.is_blob_scanned(blob(max), k_digest));
  CHECK_FALSE(store.is_blob_scanned(blob(max + 1), k_digest));
  RunId next = store.begin_run(k_digest);
  CHECK_FALSE(store.previous_run(next).has_value());  // the killed run never completed
  auto runs = store.runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].status == RunStatus::interrupted);
  CHECK(runs[0].blobs_scanned == max + 1);
  CHECK(runs[1].status == RunStatus::running);
}

TEST_CASE("store: a database that is not ours, or from a newer leakstop, is refused", "[store]") {
  TempDir tmp;
  std::ofstream(tmp.path() / "leakstop.db") << std::string(4096, 'x');
  CHECK_THROWS_AS(Store::open(tmp.path()), RepoError);
  auto newer = tmp.path() / "newer";
  Store::open(newer);
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open((newer / "leakstop.db").c_str(), &raw) == SQLITE_OK);
    std::unique_ptr<sqlite3, SqliteClose> db(raw);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  CHECK_THROWS_WITH(Store::open(newer), Catch::Contains("has schema version 99; this leakstop knows versions up to 2"));
}
