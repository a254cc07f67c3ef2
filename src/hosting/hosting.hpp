#pragma once
// The repositories of a GitHub organisation or a GitLab group (subgroups
// included), listed through the services' REST APIs, as the entries of a
// repos.txt (sources::RepoEntry) that `org scan` mirrors and scans.
//
// Design. hosting depends on sources (for RepoEntry and its validation) and
// core; nothing depends on it but the command line. One paging loop serves
// both services (paging.hpp): it follows the Link header's rel="next" (or
// GitLab's X-Next-Page), waits out rate limits within a budget, and hands
// each page's JSON array to the service's parser (github.cpp, gitlab.cpp),
// which validates every field it keeps: the API is untrusted like a
// repository. Errors: ConfigError (exit 2) for what the user asked wrongly
// (a bad name, an --api-url that is not https), RepoError (exit 3) for what
// the service answered (401, 404, bad JSON, a rate limit past the budget).
//
// The token. Sent as "Authorization: Bearer TOKEN" to the API only (never
// to a URL the API names outside its own origin), and never over plain
// http: --api-url must be https, except on 127.0.0.1, localhost or ::1
// where nothing can overhear it. Plain http elsewhere is refused outright,
// token or not, because the answer decides which repositories are fetched.

#include "hosting/http.hpp"
#include "sources/mirror.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace leakstop::hosting {

enum class Service { github, gitlab };

// "GitHub" or "GitLab".
const char* service_name(Service service);
// https://api.github.com or https://gitlab.com/api/v4.
std::string default_api_url(Service service);

// A rate limit about to be waited out.
struct RateWait {
  long status = 0;               // 403 or 429
  std::chrono::seconds wait{0};  // how long
  std::int64_t until = 0;        // when it ends (unix time)
  std::string header;            // the header that said so, e.g. "x-ratelimit-reset"
};

struct ListOptions {
  std::string api_url;     // empty: default_api_url
  std::string token;       // empty: anonymous (public repositories only)
  std::string token_name;  // where the token came from, for messages ("GITHUB_TOKEN")
  bool include_archived = false;
  bool include_forks = false;
  // Rate limits are waited out up to this much in all; past it the listing
  // fails (RepoError) saying when the limit ends.
  std::chrono::seconds max_rate_wait{std::chrono::minutes(15)};
  std::function<void(const RateWait&)> on_wait;  // called before each wait; may be empty
};

struct Listing {
  std::vector<sources::RepoEntry> entries;  // in the API's order; `line` is 0
  std::size_t archived_skipped = 0, forks_skipped = 0, pages = 0;
};

// Every repository of the GitHub organisation `org`
// (GET /orgs/{org}/repos?per_page=100); clone URL `clone_url`, name
// `full_name` (owner/repo).
Listing list_github_org(HttpClient& http, const std::string& org, const ListOptions& options);

// Every project of the GitLab group `group` (a numeric id or a full path,
// "acme/platform") and its subgroups
// (GET /groups/{id}/projects?include_subgroups=true&per_page=100); clone URL
// `http_url_to_repo`, name `path_with_namespace`.
Listing list_gitlab_group(HttpClient& http, const std::string& group, const ListOptions& options);

} // namespace leakstop::hosting
