// repos.txt, URL hygiene and bare mirrors, fetched from a real `git daemon`
// started on 127.0.0.1 and from file:// URLs. Nothing is mocked.

#include "core/error.hpp"
#include "core/url.hpp"
#include "git_fixture.hpp"
#include "sources/mirror.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>

using namespace leakstop;
using namespace leakstop::sources;
using leakstop::test::GitRepo;
using leakstop::test::run_in;
using leakstop::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A free TCP port on 127.0.0.1 (bound, then released: the race is benign).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A server process in its own process group, stopped (with its children)
// at the end of the test.
class Server {
public:
  Server(const std::vector<std::string>& argv, int port) : m_port(port) {
    m_pid = ::fork();
    if (m_pid == 0) {
      ::setpgid(0, 0);
      // Quiet: the readiness probes below make git daemon complain.
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      std::vector<char*> args;
      for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
      }
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::setpgid(m_pid, m_pid);
    for (int i = 0; i < 500 && !accepts(port); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(accepts(port));
  }
  ~Server() {
    ::kill(-m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
  int port() const { return m_port; }

private:
  pid_t m_pid = -1;
  int m_port;
};

// `git daemon` serving every repository under `base` as git://127.0.0.1:PORT/<dir>.
struct GitDaemon : Server {
  explicit GitDaemon(const fs::path& base, int port = free_port())
    : Server({"git", "daemon", "--reuseaddr", "--export-all", "--informative-errors", "--base-path=" + base.string(),
              "--listen=127.0.0.1", "--port=" + std::to_string(port)},
             port) {}
  std::string url(const std::string& dir) const { return "git://127.0.0.1:" + std::to_string(port()) + "/" + dir; }
};

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

TEST_CASE("url: userinfo stripped from URLs and from messages", "[mirror][url]") {
  CHECK(strip_userinfo("https://user:tok3n@example.org/acme/web.git") == "https://example.org/acme/web.git");
  CHECK(strip_userinfo("https://tok3n@example.org:8443/a") == "https://example.org:8443/a");
  CHECK(strip_userinfo("ssh://git@example.org/a.git") == "ssh://example.org/a.git");
  CHECK(strip_userinfo("git@example.org:acme/web.git") == "git@example.org:acme/web.git");
  CHECK(strip_userinfo("bob:pw@example.org:acme/web.git") == "example.org:acme/web.git");
  CHECK(strip_userinfo("/srv/git/a@b.git") == "/srv/git/a@b.git");
  CHECK(scrub_userinfo("failed to fetch 'https://u:p4ss@h/x': 401; see http://a:b@c/d") ==
        "failed to fetch 'https://h/x': 401; see http://c/d");
  CHECK(url_scheme("HTTPS://h/x") == "https");
  CHECK(url_scheme("git@h:x") == "ssh");
  CHECK(url_scheme("./relative/path") == "");
}

TEST_CASE("repos.txt: URLs, names, comments and local paths", "[mirror][repo-list]") {
  auto list = parse_repo_list("# the org\n"
                              "https://user:tok@example.org/acme/web.git\n"
                              "\n"
                              "  ssh://git@example.org/acme/api.git   api   # the API\n"
                              "git@example.org:acme/cli.git\r\n"
                              "git://127.0.0.1:9418/tools\n"
                              "file:///srv/git/infra.git infra\n"
                              "../vendored/lib.git\n",
                              "repos.txt", "/work/lists");
  REQUIRE(list.size() == 6);
  CHECK(list[0].url == "https://user:tok@example.org/acme/web.git");  // kept to authenticate
  CHECK(list[0].name == "example.org/acme/web");
  CHECK(list[0].line == 2);
  CHECK(list[1].name == "api");
  CHECK(list[1].line == 4);
  CHECK(list[2].name == "example.org:acme/cli");
  CHECK(list[3].name == "127.0.0.1:9418/tools");
  CHECK(list[4].name == "infra");
  CHECK(list[5].url == "/work/vendored/lib.git");
  CHECK(list[5].name == "lib");
}

TEST_CASE("repos.txt: a bad line is named with its number, without credentials", "[mirror][repo-list]") {
  auto error_of = [](const std::string& text) {
    try {
      parse_repo_list(text, "repos.txt", "/");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("https://a/b.git\n\nftp://user:pw@host/x.git\n") ==
        "repos.txt:3: ftp://host/x.git: unsupported scheme 'ftp' (use https, http, ssh, git, file or a local path)");
  CHECK(error_of("https://h/a x y\n") == "repos.txt:1: expected a URL and an optional name, found 3 fields");
  CHECK(error_of("https://h/a one\nhttps://h/b one\n") == "repos.txt:2: name 'one' is already used on line 1");
  CHECK(error_of("https://h/a one\nhttps://tok@h/a two\n") == "repos.txt:2: https://h/a is already listed on line 1");
  CHECK(error_of("https://example.org\n") == "repos.txt:1: https://example.org: a URL needs a host and a path");
  CHECK(error_of("https://h/a ../x\n") == "repos.txt:1: bad name '../x' (letters, digits and . _ - / : @ + only, no '..')");
  CHECK(error_of("--upload-pack=touch\n") == "repos.txt:1: --upload-pack=touch: looks like an option, not a URL or a path");
  CHECK(error_of("https://h/a\x1b[31m\n") == "repos.txt:1: control character in line");
  CHECK(error_of("file://relative\n") == "repos.txt:1: file://relative: a file:// URL needs an absolute path (file:///srv/repo.git)");
}

TEST_CASE("mirror folder names are safe, bounded, unique and blind to credentials", "[mirror]") {
  std::string web = mirror_folder_name("https://example.org/acme/web.git");
  CHECK(web.starts_with("example.org_acme_web.git-"));
  CHECK(web.size() == std::string("example.org_acme_web.git-").size() + 12);
  CHECK(mirror_folder_name("https://user:tok@example.org/acme/web.git") == web);
  CHECK(mirror_folder_name("https://example.org/acme/web") != web);
  for (const std::string& hostile : std::vector<std::string>{"file:///../../etc/passwd", "../../..", std::string(500, '/') + "x", ".hidden",
                              "https://h/" + std::string(300, 'a')}) {
    std::string name = mirror_folder_name(hostile);
    CAPTURE(hostile, name);
    CHECK(name.find('/') == std::string::npos);
    CHECK(name.find("..") == std::string::npos);
    CHECK(name.front() != '.');
    CHECK(name.size() <= 64 + 13);
  }
}

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

TEST_CASE("mirror: file:// URLs and local paths; a deleted upstream is an error string", "[mirror]") {
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

TEST_CASE("mirror: lock files left by a killed run are removed, fresh ones kept", "[mirror]") {
  GitRepo upstream;
  upstream.write("a.txt", "one\n");
  upstream.must("git add a.txt && git commit -q -m one");
  LibGit2 libgit2;
  TempDir store;
  fs::path dir = store.path() / "m";
  std::string url = "file://" + upstream.root().string();
  REQUIRE(update_mirror(libgit2, url, dir).ok());
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

TEST_CASE("mirror: credentials never appear in errors; never over plain http", "[mirror][daemon]") {
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
