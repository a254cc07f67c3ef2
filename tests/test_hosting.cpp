// hosting/'s pure parts: the Link header, rate-limit headers, JSON bounds,
// the --api-url policy and the checks on what an API hands back. The paging
// loop itself runs against a server in test_hosting_cli.cpp.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "hosting/paging.hpp"

using namespace leakstop;
using namespace leakstop::hosting;

TEST_CASE("next_link: rel=\"next\" among the Link header's entries", "[hosting]") {
  const std::string github = "<https://api.github.com/organizations/9/repos?per_page=100&page=3>; rel=\"next\", "
                             "<https://api.github.com/organizations/9/repos?per_page=100&page=7>; rel=\"last\"";
  CHECK(next_link(github) == "https://api.github.com/organizations/9/repos?per_page=100&page=3");
  // The last page: prev and first only.
  CHECK(next_link("<https://x.test/a?page=1>; rel=\"first\", <https://x.test/a?page=6>; rel=\"prev\"").empty());
  // Order and spacing vary; a URL may hold a comma.
  CHECK(next_link("<https://x.test/a?page=1>; rel=\"prev\",<https://x.test/a?q=a,b&page=3>;rel=\"next\"") ==
        "https://x.test/a?q=a,b&page=3");
  CHECK(next_link("<https://x.test/a?page=2>; rel=next") == "https://x.test/a?page=2");
  CHECK(next_link("").empty());
  CHECK(next_link("garbage; rel=\"next\"").empty());
}

TEST_CASE("with_query_param replaces or adds one parameter", "[hosting]") {
  CHECK(with_query_param("https://g.test/api/v4/groups/a/projects?per_page=100&page=2", "page", "3") ==
        "https://g.test/api/v4/groups/a/projects?per_page=100&page=3");
  CHECK(with_query_param("https://g.test/x?per_page=100", "page", "2") == "https://g.test/x?per_page=100&page=2");
  CHECK(with_query_param("https://g.test/x", "page", "2") == "https://g.test/x?page=2");
}

namespace {
Response limited(long status, std::map<std::string, std::string> headers) {
  return Response{status, std::move(headers), "{}"};
}
} // namespace

TEST_CASE("rate_limit: GitHub's and GitLab's headers, and a 403 that is a refusal", "[hosting]") {
  const std::int64_t now = 1'700'000'000;
  // GitHub's primary limit: 403, remaining 0, reset in unix seconds.
  auto wait = rate_limit(limited(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1700000005"}}), now);
  REQUIRE(wait);
  CHECK(wait->wait == std::chrono::seconds(5));
  CHECK(wait->until == 1'700'000'005);
  CHECK(wait->header == "x-ratelimit-reset");
  // Its secondary limit: Retry-After.
  wait = rate_limit(limited(403, {{"retry-after", "7"}, {"x-ratelimit-remaining", "12"}}), now);
  REQUIRE(wait);
  CHECK(wait->wait == std::chrono::seconds(7));
  CHECK(wait->header == "retry-after");
  // GitLab: 429 with RateLimit-Reset.
  wait = rate_limit(limited(429, {{"ratelimit-remaining", "0"}, {"ratelimit-reset", "1700000002"}}), now);
  REQUIRE(wait);
  CHECK(wait->wait == std::chrono::seconds(2));
  CHECK(wait->header == "ratelimit-reset");
  // A reset already past still waits a second; a bare 429 waits a minute.
  CHECK(rate_limit(limited(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1"}}), now)->wait ==
        std::chrono::seconds(1));
  CHECK(rate_limit(limited(429, {}), now)->wait == std::chrono::seconds(60));
  CHECK(rate_limit(limited(429, {{"retry-after", "9223372036854775807"}}), now)->wait ==
        std::chrono::seconds(366 * 24 * 3600));
  // A 403 with requests left, or with nothing, is a refusal; other statuses are no limit.
  CHECK_FALSE(rate_limit(limited(403, {{"x-ratelimit-remaining", "4999"}, {"x-ratelimit-reset", "1700000005"}}), now));
  CHECK_FALSE(rate_limit(limited(403, {}), now));
  CHECK_FALSE(rate_limit(limited(200, {{"retry-after", "5"}}), now));
  CHECK_FALSE(rate_limit(limited(403, {{"retry-after", "soon"}}), now));
}

TEST_CASE("parse_page: bad JSON and deep nesting are refused, naming the page", "[hosting]") {
  CHECK(parse_page("[{\"a\": \"[[[[\"}]", "GitHub organisation 'x'", 1).is_array());  // brackets in strings
  try {
    parse_page("[{\"full_name\": ", "GitHub organisation 'x'", 3);
    FAIL("no error");
  } catch (const RepoError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("GitHub organisation 'x': page 3: bad JSON"));
  }
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(parse_page(deep, "w", 1), Catch::Contains("nested deeper than 64"));
}

TEST_CASE("check_api_url: https, or plain http on loopback only, and no credentials", "[hosting]") {
  CHECK_NOTHROW(check_api_url("https://github.example.com/api/v3"));
  CHECK_NOTHROW(check_api_url("http://127.0.0.1:8080"));
  CHECK_NOTHROW(check_api_url("http://localhost:8080/api/v4"));
  CHECK_NOTHROW(check_api_url("http://[::1]:8080/api/v4"));
  CHECK_THROWS_AS(check_api_url("http://gitlab.example.com/api/v4"), ConfigError);
  CHECK_THROWS_AS(check_api_url("http://127.0.0.2/"), ConfigError);
  CHECK_THROWS_AS(check_api_url("ftp://example.com/"), ConfigError);
  CHECK_THROWS_AS(check_api_url("not a url"), ConfigError);
  try {
    check_api_url("https://user:hunter2@github.example.com/api/v3");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("Collector: remote clone URLs without credentials, names as repos.txt takes them", "[hosting]") {
  Collector c;
  c.add("p1", "acme/web", "https://github.example.com/acme/web.git");
  c.add("p1", "acme/api", "git://127.0.0.1:9418/api");
  c.add("p2", "acme/web", "https://github.example.com/acme/web.git");  // a page that shifted: skipped
  REQUIRE(c.listing().entries.size() == 2);
  CHECK(c.listing().entries[1].name == "acme/api");
  CHECK_THROWS_WITH(c.add("p2", "acme/web", "https://github.example.com/other/web.git"),
                    Catch::Contains("name listed twice"));
  CHECK_THROWS_WITH(c.add("p2", "acme/etc", "file:///etc"), Catch::Contains("not a remote URL"));
  CHECK_THROWS_WITH(c.add("p2", "acme/local", "/srv/git/x"), Catch::Contains("not a remote URL"));
  CHECK_THROWS_WITH(c.add("p2", "acme/x", "https://github.example.com/a b"), Catch::Contains("space"));
  CHECK_THROWS_WITH(c.add("p2", "acme/x", "https://github.example.com/a\x1b[2J"), Catch::Contains("control"));
  CHECK_THROWS_WITH(c.add("p2", "acme/x", "ext::sh -c touch% /tmp/pwned"), Catch::Contains("space"));
  try {
    c.add("p2", "acme/x", "https://u:hunter2@github.example.com/acme/x.git");
    FAIL("no error");
  } catch (const RepoError& e) {
    CHECK_THAT(e.what(), Catch::Contains("carries credentials"));
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
  CHECK_THROWS_WITH(c.add("p2", "acme/\x1b[31mred", "https://github.example.com/acme/red.git"),
                    Catch::Contains("bad name"));
  CHECK_THROWS_WITH(c.add("p2", "../../etc", "https://github.example.com/acme/up.git"), Catch::Contains("bad name"));
  CHECK(c.listing().entries.size() == 2);
}

TEST_CASE("parse_url and is_loopback", "[hosting]") {
  UrlParts p = parse_url("https://GitHub.example.com/api/v3");
  REQUIRE(p.ok);
  CHECK(p.scheme == "https");
  CHECK(p.host == "github.example.com");
  CHECK(p.port == "443");
  CHECK(parse_url("http://127.0.0.1:8080/x").port == "8080");
  CHECK_FALSE(parse_url("::nonsense").ok);
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("[::1]"));
  CHECK_FALSE(is_loopback("127.0.0.1.example.com"));
}
