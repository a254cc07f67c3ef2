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
  const std::string api = api_base(Service::gitlab, options);
  PageRequest request;
  request.what = fmt::format("GitLab group '{}'", group);
  // with_shared=false: projects of other groups merely shared with this one
  // are theirs, and listed with them.
  request.first_url =
    fmt::format("{}/groups/{}/projects?include_subgroups=true&with_shared=false&per_page=100", api, id);
  request.headers = {"Accept: application/json"};
  request.x_next_page = true;
  return list_repositories(http, options, request, [](const nlohmann::json& project, const std::string& where) {
    auto fork = project.find("forked_from_project");  // present, and an object, for a fork
    return ApiRepository{string_field(project, "path_with_namespace", where),
                         string_field(project, "http_url_to_repo", where), bool_field(project, "archived", where),
                         fork != project.end() && !fork->is_null()};
  });
}

} // namespace leakstop::hosting
