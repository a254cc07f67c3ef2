// Bare mirrors, fetched from a real `git daemon` started on 127.0.0.1, from
// file:// URLs and local paths, and refused by a real http server. Nothing is
// mocked.

#include "core/error.hpp"
#include "core/url.hpp"
#include "git_fixture.hpp"
#include "servers.hpp"
#include "sources/mirror.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>

using namespace leakstop;
using namespace leakstop::sources;
using leakstop::test::free_port;
using leakstop::test::GitDaemon;
using leakstop::test::GitRepo;
using leakstop::test::run_in;
using leakstop::test::Server;
using leakstop::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string ref_target(const fs::path& mirror, const std::string& ref) {
  git_repository* raw = nullptr;
  REQUIRE(git_repository_open_bare(&raw, mirror.c_str()) == 0);
  Repository repo(raw);
  git_oid id;
  if (git_reference_name_to_id(&id, repo.get(), ref.c_str()) != 0) {
    return "";
  }
  return oid_hex(id);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

} // namespace

TEST_CASE("mirror: first clone, update after a new commit, deleted branch pruned (git daemon)", "[mirror][daemon]") {
  GitRepo upstream;
  upstream.write("a.txt", "one\n");
  upstream.must("git add a.txt && git commit -q -m one && git branch feature");
  upstream.write("gone.txt", "only on main, then deleted\n");
  upstream.must("git add gone.txt && git commit -q -m gone");
  std::string gone_blob = trimmed(upstream.must("git rev-parse HEAD:gone.txt"));
  upstream.must("git rm -q gone.txt && git commit -q -m rm");
  GitDaemon daemon(upstream.tmp());
  LibGit2 libgit2;
  TempDir store;
  fs::path dir = store.path() / "mirrors" / mirror_folder_name(daemon.url("repo"));

  MirrorResult first = update_mirror(libgit2, daemon.url("repo"), dir);
  REQUIRE(first.error == "");
  CHECK(first.created);
  CHECK(ref_target(dir, "refs/heads/main") == trimmed(upstream.must("git rev-parse main")));
  CHECK(ref_target(dir, "refs/heads/feature") == trimmed(upstream.must("git rev-parse feature")));
  CHECK(ref_target(dir, "HEAD") == ref_target(dir, "refs/heads/main"));
  CHECK(trimmed(run_in(dir, "git config remote.origin.fetch").out) == "+refs/*:refs/*");

  upstream.write("b.txt", "two\n");
  upstream.must("git add b.txt && git commit -q -m two && git branch -D -q feature");
  MirrorResult second = update_mirror(libgit2, daemon.url("repo"), dir);
  REQUIRE(second.error == "");
  CHECK_FALSE(second.created);
  CHECK(ref_target(dir, "refs/heads/main") == trimmed(upstream.must("git rev-parse main")));
  CHECK(ref_target(dir, "refs/heads/feature") == "");  // pruned

  git_repository* raw = nullptr;
  REQUIRE(git_repository_open_bare(&raw, dir.c_str()) == 0);
  Repository mirror(raw);
  auto heads = blobs_at_branch_tips(mirror.get());
  CHECK(heads.size() == 2);
  CHECK(heads.count(trimmed(upstream.must("git rev-parse main:a.txt"))) == 1);
  CHECK(heads.count(trimmed(upstream.must("git rev-parse main:b.txt"))) == 1);
  CHECK(heads.count(gone_blob) == 0);  // in history only
}

TEST_CASE("mirror: file:// URLs and local paths, and a deleted upstream is an error string", "[mirror]") {
  GitRepo upstream;
  upstream.write("a.txt", "one\n");
  upstream.must("git add a.txt && git commit -q -m one");
  LibGit2 libgit2;
  TempDir store;
  std::string file_url = "file://" + upstream.root().string();
  fs::path by_url = store.path() / mirror_folder_name(file_url);
  fs::path by_path = store.path() / mirror_folder_name(upstream.root().string());
  CHECK(by_url != by_path);
  REQUIRE(update_mirror(libgit2, file_url, by_url).error == "");
  REQUIRE(update_mirror(libgit2, upstream.root().string(), by_path).error == "");
  std::string head = trimmed(upstream.must("git rev-parse main"));
  CHECK(ref_target(by_url, "refs/heads/main") == head);
  CHECK(ref_target(by_path, "refs/heads/main") == head);

  fs::remove_all(upstream.root());
  MirrorResult gone = update_mirror(libgit2, file_url, by_url);
  CHECK_FALSE(gone.ok());
  CHECK_THAT(gone.error, Catch::StartsWith("fetch " + file_url + ": "));
  CHECK(ref_target(by_url, "refs/heads/main") == head);  // what was mirrored stays
}

TEST_CASE("mirror: a deleted upstream on the daemon is an error, the next repository still works", "[mirror][daemon]") {
  GitRepo upstream;
  upstream.write("a.txt", "one\n");
  upstream.must("git add a.txt && git commit -q -m one && git clone -q --bare . ../other.git");
  GitDaemon daemon(upstream.tmp());
  LibGit2 libgit2;
  TempDir store;
  fs::path dir = store.path() / "repo";
  REQUIRE(update_mirror(libgit2, daemon.url("repo"), dir).ok());
  fs::remove_all(upstream.root());
  MirrorResult gone = update_mirror(libgit2, daemon.url("repo"), dir);
  CHECK_THAT(gone.error, Catch::StartsWith("fetch " + daemon.url("repo") + ": "));
  CHECK(update_mirror(libgit2, daemon.url("other.git"), store.path() / "other").ok());
}

namespace {

// An upstream repository with one commit, mirrored into store/m.
struct MirroredUpstream {
  GitRepo upstream;
  LibGit2 libgit2;
  TempDir store;
  fs::path dir = store.path() / "m";
  std::string url = "file://" + upstream.root().string();

  MirroredUpstream() {
    upstream.write("a.txt", "one\n");
    upstream.must("git add a.txt && git commit -q -m one");
    REQUIRE(update_mirror(libgit2, url, dir).ok());
  }
};

} // namespace

TEST_CASE("mirror: lock files left by a killed run are removed, fresh ones kept", "[mirror]") {
  MirroredUpstream mirrored;
  auto& [upstream, libgit2, store, dir, url] = mirrored;
  upstream.write("b.txt", "two\n");
  upstream.must("git add b.txt && git commit -q -m two");
  auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const char* lock : {"refs/heads/main.lock", "packed-refs.lock"}) {
    std::ofstream(dir / lock) << "killed\n";
    fs::last_write_time(dir / lock, hour_ago);
  }
  // Kept, the lock makes the fetch fail: this is what the recovery is for.
  MirrorOptions keep;
  keep.stale_before = hour_ago - std::chrono::hours(1);
  MirrorResult blocked = update_mirror(libgit2, url, dir, keep);
  CHECK_THAT(blocked.error, Catch::Contains("lock"));

  MirrorResult recovered = update_mirror(libgit2, url, dir);
  REQUIRE(recovered.error == "");
  CHECK(recovered.stale_locks_removed == 2);
  CHECK(ref_target(dir, "refs/heads/main") == trimmed(upstream.must("git rev-parse main")));
  CHECK_FALSE(fs::exists(dir / "packed-refs.lock"));

  std::ofstream(dir / "config.lock") << "a live process\n";
  CHECK(remove_stale_locks(dir, hour_ago) == 0);
  CHECK(fs::exists(dir / "config.lock"));
  CHECK(MirrorOptions::process_start_time() <= fs::file_time_type::clock::now());
  CHECK(MirrorOptions::process_start_time() > hour_ago - std::chrono::hours(24 * 365));
}

TEST_CASE("mirror: a remote a killed run left without its refspec is mended, not found empty", "[mirror]") {
  MirroredUpstream mirrored;
  auto& [upstream, libgit2, store, dir, url] = mirrored;
  // What a SIGKILL between libgit2's writes leaves: the pack downloaded,
  // origin's URL written, its refspec and the refs not.
  run_in(store.path(), "git --git-dir=m config --unset remote.origin.fetch && git --git-dir=m update-ref -d refs/heads/main");
  REQUIRE(run_in(store.path(), "git --git-dir=m config --get remote.origin.fetch").rc != 0);
  REQUIRE(update_mirror(libgit2, url, dir).error == "");
  CHECK(ref_target(dir, "refs/heads/main") == trimmed(upstream.must("git rev-parse main")));
  CHECK(trimmed(run_in(store.path(), "git --git-dir=m config --get-all remote.origin.fetch").out) == "+refs/*:refs/*");
}

TEST_CASE("mirror: credentials never appear in errors nor go over plain http", "[mirror][daemon]") {
  TempDir base;
  fs::create_directories(base.path() / "home");
  leakstop::test::isolate_environment(base.path() / "home");
  GitDaemon daemon(base.path());
  LibGit2 libgit2;
  TempDir store;
  std::string missing = daemon.url("missing.git");
  missing.insert(std::string("git://").size(), "user:hunter2@");
  for (const std::string& url : {missing, std::string("https://user:hunter2@127.0.0.1:1/x.git"),
                                 std::string("http://user:hunter2@127.0.0.1:1/x.git")}) {
    MirrorResult result = update_mirror(libgit2, url, store.path() / mirror_folder_name(url));
    CAPTURE(url, result.error);
    CHECK_FALSE(result.ok());
    CHECK(result.error.find("hunter2") == std::string::npos);
    CHECK(result.error.find("user") == std::string::npos);
    CHECK(run_in(store.path(), "grep -rl hunter2 . || true").out == "");  // nor in any mirror's config
  }
  MirrorResult plain = update_mirror(libgit2, "http://user:hunter2@127.0.0.1:1/x.git", store.path() / "plain");
  CHECK(plain.error == "refusing to send the password in the URL over plain http; use https");
}

TEST_CASE("mirror: a token is never sent over plain http, even when the server asks", "[mirror][http]") {
  TempDir tmp;
  fs::path log = tmp.path() / "requests.log";
  // Answers every request with 401 and logs the Authorization header it got.
  const std::string server = R"py(
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], 'a') as log:
            log.write(self.headers.get('Authorization', 'none') + '\n')
        self.send_response(401)
        self.send_header('WWW-Authenticate', 'Basic realm="git"')
        self.send_header('Content-Length', '0')
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
)py";
  int port = free_port();
  Server http({LEAKSTOP_PYTHON3, "-c", server, std::to_string(port), log.string()}, port);
  LibGit2 libgit2;
  MirrorOptions options;
  options.token_variable = "LEAKSTOP_TEST_TOKEN";
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/acme/web.git";

  ::unsetenv("LEAKSTOP_TEST_TOKEN");
  MirrorResult anonymous = update_mirror(libgit2, url, tmp.path() / "a", options);
  CHECK(anonymous.error == "fetch " + url + ": authentication required and $LEAKSTOP_TEST_TOKEN is not set");

  ::setenv("LEAKSTOP_TEST_TOKEN", "tok-hunter2", 1);
  MirrorResult refused = update_mirror(libgit2, url, tmp.path() / "b", options);
  ::unsetenv("LEAKSTOP_TEST_TOKEN");
  CHECK(refused.error == "fetch " + url + ": refusing to send $LEAKSTOP_TEST_TOKEN over plain http; use https");
  std::string requests = GitRepo::read_bytes(log);
  CHECK(requests.find("none") != std::string::npos);  // the server was asked
  CHECK(requests.find("Basic") == std::string::npos);
}

TEST_CASE("mirror: progress is reported, and returning false cancels the fetch", "[mirror][daemon]") {
  GitRepo upstream;
  for (int i = 0; i < 20; ++i) {
    upstream.write(fmt::format("f{}.txt", i), std::string(1000, static_cast<char>('a' + i)));
  }
  upstream.must("git add . && git commit -q -m files");
  GitDaemon daemon(upstream.tmp());
  LibGit2 libgit2;
  TempDir store;

  MirrorOptions cancel;
  cancel.progress = [](const git_indexer_progress&) { return false; };
  MirrorResult cancelled = update_mirror(libgit2, daemon.url("repo"), store.path() / "m", cancel);
  CHECK(cancelled.error == "fetch " + daemon.url("repo") + ": cancelled");
  CHECK(ref_target(store.path() / "m", "refs/heads/main") == "");

  MirrorOptions watch;
  unsigned calls = 0;
  unsigned received = 0, total = 0;
  watch.progress = [&](const git_indexer_progress& p) {
    ++calls;
    received = p.received_objects;
    total = p.total_objects;
    return true;
  };
  REQUIRE(update_mirror(libgit2, daemon.url("repo"), store.path() / "m", watch).ok());
  CHECK(calls > 0);
  CHECK(total == 22);  // 20 blobs, a tree, a commit
  CHECK(received == total);
  CHECK(ref_target(store.path() / "m", "refs/heads/main") == trimmed(upstream.must("git rev-parse main")));
}
