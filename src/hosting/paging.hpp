#pragma once
// The paging loop both services share, and its pure parts (exposed for the
// unit tests): the Link header, the rate-limit headers, JSON bounds, and
// the checks on what an API hands back for a repository.

#include "hosting/hosting.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace leakstop::hosting {

// The URL of rel="next" in a Link header
// (`<https://api.github.com/...&page=2>; rel="next", <...>; rel="last"`),
// empty if there is none.
std::string next_link(std::string_view link_header);

// `url` with the query parameter `name` set to `value` (replaced, or added).
std::string with_query_param(const std::string& url, std::string_view name, std::string_view value);

// How long a response asks to be left alone, or nullopt if it is no rate
// limit. Only 403 and 429 can be: Retry-After (seconds) first, then a
// reset time (x-ratelimit-reset, GitHub; ratelimit-reset, GitLab; unix
// seconds) when the remaining count is 0 or the status is 429; a 429 with
// neither waits 60 s. A 403 without them is a refusal, not a limit.
std::optional<RateWait> rate_limit(const Response& response, std::int64_t now);

// The body as JSON, or RepoError "<what>: page N: ...": nesting deeper than
// 64 is refused before parsing (the parser would recurse on it).
nlohmann::json parse_page(const std::string& body, const std::string& what, std::size_t page);

// Checks the API URL: parses, no userinfo (the token goes in the variable),
// https, or http on a loopback host. ConfigError naming the problem.
void check_api_url(const std::string& api_url);

// The API's base URL for `service`: options.api_url or the default, without
// a trailing '/', checked by check_api_url.
std::string api_base(Service service, const ListOptions& options);

struct PageRequest {
  std::string what;       // for messages: "GitHub organisation 'acme'"
  std::string first_url;  // the first page
  std::vector<std::string> headers;  // besides Authorization and User-Agent
  bool x_next_page = false;          // GitLab: X-Next-Page when there is no Link
};

// GETs every page (at most 10,000) and calls `on_page` with each one's JSON
// and number (from 1). A next page must stay on the first URL's scheme, host
// and port; the token goes to no other. Throws RepoError for an answer other
// than 200 (naming the status and the service's message), for a rate limit
// past the budget, or for what `on_page` throws.
void for_each_page(HttpClient& http, const ListOptions& options, const PageRequest& request,
                   const std::function<void(const nlohmann::json& page, std::size_t number)>& on_page);

// Collects the repositories of a listing as the API gives them, checking
// each: the clone URL must be remote (https, http, git, ssh), without
// credentials, spaces or control characters; the name as repos.txt takes
// it. A URL already listed is skipped (pages can shift while they are read);
// a name listed with another URL, or a bad field, is a RepoError naming it
// and `where` ("GitHub organisation 'acme', page 2").
class Collector {
public:
  void add(const std::string& where, const std::string& name, const std::string& url);
  Listing& listing() { return m_listing; }

private:
  Listing m_listing;
  std::map<std::string, std::string> m_url_of_name;
  std::set<std::string> m_urls;
};

// What a service says of one repository.
struct ApiRepository {
  std::string name, clone_url;
  bool archived = false, fork = false;
};

// for_each_page over a service's list of repositories: each page a JSON
// array of objects, each read by `read` (which throws RepoError naming
// `where` for a missing field), archived ones and forks counted and skipped
// unless the options include them, the rest collected.
Listing list_repositories(HttpClient& http, const ListOptions& options, const PageRequest& request,
                          const std::function<ApiRepository(const nlohmann::json& object, const std::string& where)>& read);

// A member of a JSON object as a string, or RepoError "<where>: <key>: ...".
std::string string_field(const nlohmann::json& object, const char* key, const std::string& where);
// A boolean member; false when absent or null.
bool bool_field(const nlohmann::json& object, const char* key, const std::string& where);

} // namespace leakstop::hosting
