// GitLab: GET /groups/{id}/projects with subgroups, 100 a page, following
// the Link header or X-Next-Page.

#include "core/error.hpp"
#include "hosting/paging.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace leakstop::hosting {
namespace {

// A numeric id or a full path ("acme/platform"), URL-encoded for the path
// ('/' as %2F). Segments of letters, digits, - _ . only, none starting
// with '.', so that nothing else can reach the request's path or query.
std::string encoded_group(const std::string& group) {
  bool ok = !group.empty() && group.size() <= 255 && group.front() != '/' && group.back() != '/' &&
            group.find("//") == std::string::npos && group.front() != '.' && group.find("/.") == std::string::npos;
  ok = ok && std::all_of(group.begin(), group.end(), [](char c) {
         return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
       });
  if (!ok) {
    throw ConfigError(fmt::format("--gitlab-group '{}': expected a group id or path (acme/platform: letters, digits, "
                                  "- _ . and /)",
                                  group));
  }
  std::string out;
  for (char c : group) {
    out += c == '/' ? std::string("%2F") : std::string(1, c);
  }
  return out;
}

} // namespace

Listing list_gitlab_group(HttpClient& http, const std::string& group, const ListOptions& options) {
  const std::string id = encoded_group(group);
  std::string api = options.api_url.empty() ? default_api_url(Service::gitlab) : options.api_url;
  while (!api.empty() && api.back() == '/') {
    api.pop_back();
  }
  check_api_url(api);
  PageRequest request;
  request.what = fmt::format("GitLab group '{}'", group);
  // with_shared=false: projects of other groups merely shared with this one
  // are theirs, and listed with them.
  request.first_url =
    fmt::format("{}/groups/{}/projects?include_subgroups=true&with_shared=false&per_page=100", api, id);
  request.headers = {"Accept: application/json"};
  request.x_next_page = true;
  Collector collector;
  Listing& listing = collector.listing();
  for_each_page(http, options, request, [&](const nlohmann::json& page, std::size_t number) {
    const std::string where = fmt::format("{}, page {}", request.what, number);
    if (!page.is_array()) {
      throw RepoError(where + ": expected a JSON array of projects");
    }
    ++listing.pages;
    for (const nlohmann::json& project : page) {
      if (!project.is_object()) {
        throw RepoError(where + ": a project that is not a JSON object");
      }
      const std::string name = string_field(project, "path_with_namespace", where);
      auto fork = project.find("forked_from_project");
      const bool is_fork = fork != project.end() && !fork->is_null();
      if (bool_field(project, "archived", where) && !options.include_archived) {
        ++listing.archived_skipped;
      } else if (is_fork && !options.include_forks) {
        ++listing.forks_skipped;
      } else {
        collector.add(where, name, string_field(project, "http_url_to_repo", where));
      }
    }
  });
  return std::move(listing);
}

} // namespace leakstop::hosting
