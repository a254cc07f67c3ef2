// repos.txt and URL hygiene: what organisation scans read and show.

#include "core/error.hpp"
#include "core/url.hpp"
#include "sources/mirror.hpp"

#include <catch2/catch.hpp>

using namespace leakstop;
using namespace leakstop::sources;

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

TEST_CASE("shards split a list the same way whatever the credentials", "[mirror][repo-list]") {
  std::vector<std::size_t> per_shard(4);
  for (int i = 0; i < 200; ++i) {
    std::string url = "https://example.org/acme/repo-" + std::to_string(i) + ".git";
    std::size_t shard = shard_of(url, 4);
    REQUIRE(shard < 4);
    CHECK(shard_of("https://bot:tok@example.org/acme/repo-" + std::to_string(i) + ".git", 4) == shard);
    CHECK(shard_of(url, 1) == 0);
    ++per_shard[shard];
  }
  for (std::size_t count : per_shard) {
    CHECK(count > 20);  // 50 expected: a hash that spreads, not one bucket
  }
}
