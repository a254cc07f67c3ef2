// `org scan --github-org` and `--gitlab-group` through the real binary,
// against tests/tools/fake_hosting.py on 127.0.0.1: that server is the only
// fake here. It answers the REST endpoints leakstop documents with
// paginated JSON, rate-limit headers, 401 and 404, and records every request
// it receives. The repositories it names are real, served by `git daemon`.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "git_fixture.hpp"
#include "servers.hpp"

using leakstop::test::free_port;
using leakstop::test::GitDaemon;
using leakstop::test::GitRepo;
using leakstop::test::quote;
using leakstop::test::RunResult;
using leakstop::test::run_in;
using leakstop::test::Server;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Shaped like a live Stripe key (the shipped rules find it); made up.
const std::string k_secret = "sk_live_7Hq2Wm5Zr8Yb3Xn1Kc6Vd9Hf4Jg2Lp0T";
const std::string k_token = "test-token-5e1f";

json github_repo(const std::string& name, const std::string& url, bool archived = false, bool fork = false) {
  return {{"full_name", name}, {"clone_url", url}, {"archived", archived}, {"fork", fork},
          {"ssh_url", "git@github.example:" + name + ".git"}, {"private", false}};
}

json gitlab_project(const std::string& path, bool archived = false, bool fork = false) {
  json p = {{"path_with_namespace", path}, {"http_url_to_repo", "https://gitlab.example.com/" + path + ".git"},
            {"archived", archived}};
  if (fork) {
    p["forked_from_project"] = {{"id", 1}, {"path_with_namespace", "upstream/" + path}};
  }
  return p;
}

// A workspace with the fake API: config.json in, requests.jsonl out.
class Api {
public:
  explicit Api(json config) : m_port(free_port()) {
    config["log"] = (base() / "requests.jsonl").string();
    std::ofstream(base() / "config.json") << config.dump();
    m_server = std::make_unique<Server>(std::vector<std::string>{LEAKSTOP_PYTHON3,
                                                                 std::string(LEAKSTOP_SOURCE_DIR) +
                                                                   "/tests/tools/fake_hosting.py",
                                                                 std::to_string(m_port),
                                                                 (base() / "config.json").string()},
                                        m_port);
  }
  fs::path base() const { return m_ws.tmp(); }
  std::string url(const std::string& path = "") const { return fmt::format("http://127.0.0.1:{}{}", m_port, path); }

  // `leakstop org scan ARGS` with GITHUB_TOKEN and GITLAB_TOKEN set to
  // `token` (unset if empty); stdout alone in `out`, stderr in `err`.
  struct Run {
    int rc;
    std::string out, err;
  };
  Run scan(const std::string& args, const std::string& token = k_token) const {
    std::string env = "env -u GITHUB_TOKEN -u GITLAB_TOKEN NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 ";
    if (!token.empty()) {
      env += "GITHUB_TOKEN=" + quote(token) + " GITLAB_TOKEN=" + quote(token) + " ";
    }
    RunResult r = run_in(base(), env + quote(LEAKSTOP_TEST_BIN) + " org scan " + args + " 2>err.txt");
    return {r.rc, r.out, GitRepo::read_bytes(base() / "err.txt")};
  }
  // Every request the server received, in order.
  std::vector<json> requests() const {
    std::vector<json> out;
    std::istringstream in(GitRepo::read_bytes(base() / "requests.jsonl"));
    for (std::string line; std::getline(in, line);) {
      out.push_back(json::parse(line));
    }
    return out;
  }
  void forget_requests() const { fs::remove(base() / "requests.jsonl"); }

private:
  GitRepo m_ws;  // isolates git and leakstop from this machine's settings
  int m_port;
  std::unique_ptr<Server> m_server;
};

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.insert(line);
  }
  return out;
}

json github_acme() {
  return json::array({github_repo("acme/web", "https://github.example.com/acme/web.git"),
                      github_repo("acme/api", "https://github.example.com/acme/api.git"),
                      github_repo("acme/old", "https://github.example.com/acme/old.git", true),
                      github_repo("acme/tools", "https://github.example.com/acme/tools.git"),
                      github_repo("acme/their-lib", "https://github.example.com/acme/their-lib.git", false, true),
                      github_repo("acme/docs", "https://github.example.com/acme/docs.git")});
}

} // namespace

TEST_CASE("org scan --github-org --list-only: three pages, a rate limit waited out, archived and forks skipped",
          "[hosting][github]") {
  Api api({{"token", k_token}, {"page_size", 2}, {"github", {{"acme", github_acme()}}},
           {"rate_limit", {{"github", 2}}}, {"rate_limit_seconds", 2}});
  Api::Run run = api.scan("--github-org acme --list-only --api-url " + api.url());
  INFO(run.err);
  REQUIRE(run.rc == 0);
  CHECK(lines(run.out) == std::set<std::string>{"https://github.example.com/acme/web.git acme/web",
                                                "https://github.example.com/acme/api.git acme/api",
                                                "https://github.example.com/acme/tools.git acme/tools",
                                                "https://github.example.com/acme/docs.git acme/docs"});
  CHECK_THAT(run.err, Catch::Contains("GitHub organisation 'acme': rate limited (HTTP 403); waiting"));
  CHECK_THAT(run.err, Catch::Contains("(x-ratelimit-reset)"));
  CHECK_THAT(run.err, Catch::Contains("4 repositories listed (3 pages); skipped 1 archived"));
  CHECK(run.err.find(k_token) == std::string::npos);

  // Pages 1, 2 (refused, then again) and 3; each with the token and a User-Agent.
  std::vector<json> requests = api.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[0]["path"] == "/orgs/acme/repos?per_page=100&type=all");
  CHECK(requests[1]["status"] == 403);
  CHECK(requests[2]["path"] == requests[1]["path"]);
  CHECK(requests[3]["path"] == "/orgs/acme/repos?per_page=100&type=all&page=3");
  for (const json& r : requests) {
    CHECK(r["headers"]["authorization"] == "Bearer " + k_token);
    CHECK_THAT(r["headers"]["user-agent"].get<std::string>(), Catch::StartsWith("leakstop/"));
  }

  api.forget_requests();
  run = api.scan("--github-org acme --list-only --include-archived --include-forks --api-url " + api.url());
  INFO(run.err);
  REQUIRE(run.rc == 0);
  CHECK(lines(run.out).size() == 6);
  CHECK(lines(run.out).count("https://github.example.com/acme/old.git acme/old") == 1);
  CHECK(lines(run.out).count("https://github.example.com/acme/their-lib.git acme/their-lib") == 1);
  CHECK(api.requests().size() == 3);  // the rate limit came once
}

TEST_CASE("org scan --gitlab-group --list-only: subgroups, X-Next-Page, a 429 waited out", "[hosting][gitlab]") {
  json projects = json::array({gitlab_project("acme/web"), gitlab_project("acme/platform/api"),
                               gitlab_project("acme/old", true), gitlab_project("acme/platform/deep/db"),
                               gitlab_project("acme/fork", false, true), gitlab_project("acme/platform/ci"),
                               gitlab_project("other/unrelated")});
  Api api({{"token", k_token}, {"page_size", 2}, {"gitlab", projects}, {"rate_limit", {{"gitlab", 2}}},
           {"rate_limit_seconds", 1}});
  Api::Run run = api.scan("--gitlab-group acme --list-only --api-url " + api.url("/api/v4"));
  INFO(run.err);
  REQUIRE(run.rc == 0);
  CHECK(lines(run.out) == std::set<std::string>{"https://gitlab.example.com/acme/web.git acme/web",
                                                "https://gitlab.example.com/acme/platform/api.git acme/platform/api",
                                                "https://gitlab.example.com/acme/platform/deep/db.git "
                                                "acme/platform/deep/db",
                                                "https://gitlab.example.com/acme/platform/ci.git acme/platform/ci"});
  CHECK_THAT(run.err, Catch::Contains("GitLab group 'acme': rate limited (HTTP 429); waiting"));
  std::vector<json> requests = api.requests();
  REQUIRE(requests.size() == 3 + 1);  // 6 projects of acme, 2 a page: 3 pages, plus the 429
  CHECK_THAT(requests[0]["path"].get<std::string>(),
             Catch::StartsWith("/api/v4/groups/acme/projects?include_subgroups=true"));
  CHECK(requests[1]["status"] == 429);
  for (const json& r : requests) {
    CHECK(r["headers"]["authorization"] == "Bearer " + k_token);
  }

  // A subgroup by its path, URL-encoded; archived and forks included.
  api.forget_requests();
  run = api.scan("--gitlab-group acme/platform --list-only --include-archived --api-url " + api.url("/api/v4"));
  INFO(run.err);
  REQUIRE(run.rc == 0);
  CHECK(lines(run.out) == std::set<std::string>{"https://gitlab.example.com/acme/platform/api.git acme/platform/api",
                                                "https://gitlab.example.com/acme/platform/deep/db.git "
                                                "acme/platform/deep/db",
                                                "https://gitlab.example.com/acme/platform/ci.git acme/platform/ci"});
  CHECK_THAT(api.requests().at(0)["path"].get<std::string>(), Catch::StartsWith("/api/v4/groups/acme%2Fplatform/"));
}

TEST_CASE("org scan --github-org: what the API gets wrong is one line and exit 3, what the user does exit 2",
          "[hosting][github]") {
  json hostile = json::array({github_repo("acme/etc", "file:///etc")});
  json escape = json::array({github_repo("acme/\x1b[2Jred", "https://github.example.com/acme/red.git")});
  Api api({{"token", k_token}, {"page_size", 2},
           {"github", {{"acme", github_acme()}, {"hostile", hostile}, {"escape", escape}, {"loop", github_acme()}}},
           {"bad_json", {"broken"}}, {"foreign_next", {"loop"}}, {"rate_limit", {{"github", 1}}},
           {"rate_limit_seconds", 3600}});
  const std::string api_url = " --api-url " + api.url();
  struct Case {
    std::string args, token;
    int rc;
    std::string says;
  };
  const std::vector<Case> cases = {
    {"--github-org acme --list-only --max-rate-wait 5" + api_url, k_token, 3,
     "rate limited (HTTP 403) until"},
    {"--github-org acme --list-only" + api_url, "wrong-token", 3, "HTTP 401, authentication failed: Bad credentials"},
    {"--github-org nobody --list-only" + api_url, k_token, 3, "GitHub organisation 'nobody': not found (HTTP 404"},
    {"--github-org broken --list-only" + api_url, k_token, 3, "page 1: bad JSON"},
    {"--github-org hostile --list-only" + api_url, k_token, 3, "'file:///etc' is not a remote URL"},
    {"--github-org escape --list-only" + api_url, k_token, 3, "repository 'acme/\\x1b[2Jred': bad name"},
    {"--github-org loop --list-only" + api_url, k_token, 3, "leaves http://127.0.0.1: refused"},
    {"--github-org acme --list-only --api-url http://github.example.com/api/v3", k_token, 2, "plain http is refused"},
    {"--github-org ../admin --list-only" + api_url, k_token, 2, "expected an organisation name"},
    {"--list-only", k_token, 2, "needs a list of repositories"},
    {"--github-org acme --gitlab-group acme --list-only" + api_url, k_token, 2, "serves one service"},
  };
  for (const Case& c : cases) {
    Api::Run run = api.scan(c.args, c.token);
    INFO(c.args << "\n" << run.err);
    CHECK(run.rc == c.rc);
    CHECK(run.out.empty());
    CHECK_THAT(run.err, Catch::Contains(c.says));
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK(run.err.find(k_token) == std::string::npos);
    CHECK(run.err.find('\x1b') == std::string::npos);
  }
  // The refused URL was never asked for: every request came here.
  for (const json& r : api.requests()) {
    CHECK_THAT(r["path"].get<std::string>(), Catch::StartsWith("/orgs/"));
  }
}

TEST_CASE("org scan --github-org end to end: clone URLs on git daemon, the secret found, archived skipped, "
          "combined with --repos",
          "[hosting][github][daemon]") {
  GitRepo up;  // up.tmp()/up/<name>: the upstream repositories
  auto make_repo = [&](const std::string& name, const std::string& content) {
    const fs::path dir = up.tmp() / "up" / name;
    fs::create_directories(dir);
    std::ofstream(dir / "notes.txt") << content;
    RunResult r = run_in(dir, "git init -q -b main . && git config commit.gpgsign false && git add -A && "
                              "git commit -q -m first");
    REQUIRE(r.rc == 0);
  };
  make_repo("alpha", "stripe " + k_secret + "\n");
  make_repo("beta", "nothing here\n");
  make_repo("gamma", "stripe " + k_secret + "\n");  // archived: not scanned
  GitDaemon daemon(up.tmp() / "up");
  json repos = json::array({github_repo("acme/alpha", daemon.url("alpha")), github_repo("acme/beta", daemon.url("beta")),
                            github_repo("acme/gamma", daemon.url("gamma"), true)});
  Api api({{"token", k_token}, {"page_size", 1}, {"github", {{"acme", repos}}}});
  // repos.txt lists beta under its own name: the API's entry for it is skipped.
  std::ofstream(api.base() / "repos.txt") << daemon.url("beta") << " beta\n";

  Api::Run run = api.scan("--repos repos.txt --github-org acme --store store --threads 2 --api-url " + api.url());
  INFO(run.err);
  CHECK(run.rc == 1);
  CHECK(run.err.find(k_secret) == std::string::npos);
  CHECK_THAT(run.err, Catch::Contains("2 repositories listed (3 pages); skipped 1 archived"));
  CHECK_THAT(run.err, Catch::Contains("2 of 2 repositories"));

  RunResult report = run_in(api.base(), quote(LEAKSTOP_TEST_BIN) + " org report --format json --store store 2>/dev/null");
  REQUIRE(report.rc == 0);
  json doc = json::parse(report.out);
  std::set<std::string> names;
  for (const json& r : doc["repositories"]) {
    names.insert(r["name"].get<std::string>());
  }
  CHECK(names == std::set<std::string>{"acme/alpha", "beta"});
  REQUIRE(doc["findings"].size() >= 1);
  bool stripe = false;
  for (const json& f : doc["findings"]) {
    REQUIRE(f["locations"].size() == 1);
    CHECK(f["locations"][0]["repository"] == "acme/alpha");
    CHECK(f["locations"][0]["path"] == "notes.txt");
    stripe = stripe || f["rule_id"].get<std::string>().rfind("stripe.", 0) == 0;
  }
  CHECK(stripe);
  CHECK(report.out.find(k_secret) == std::string::npos);
}

TEST_CASE("libcurl is opened when an organisation is listed, not at every start", "[hosting][startup]") {
  // Linked, libcurl pulls some 25 shared libraries into every hook run.
  leakstop::test::TempDir dir;
  RunResult elf = run_in(dir.path(), "readelf -d " + quote(LEAKSTOP_TEST_BIN));
  REQUIRE(elf.rc == 0);
  CHECK(elf.out.find("(NEEDED)") != std::string::npos);
  CHECK(elf.out.find("libcurl") == std::string::npos);
  CHECK(elf.out.find("gnutls") == std::string::npos);
}
