// GitHub: GET /orgs/{org}/repos, 100 a page, following the Link header.

#include "core/error.hpp"
#include "hosting/paging.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace leakstop::hosting {
namespace {

// GitHub's organisation names (letters, digits, '-'), with '_' and '.'
// for GitHub Enterprise's; checked so that the name cannot alter the path.
void check_org_name(const std::string& org) {
  const bool ok = !org.empty() && org.size() <= 100 && org.front() != '.' && org.front() != '-' &&
                  std::all_of(org.begin(), org.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                  });
  if (!ok) {
    throw ConfigError(fmt::format("--github-org '{}': expected an organisation name (letters, digits, - _ .)",
                                  org));
  }
}

} // namespace

const char* service_name(Service service) {
  return service == Service::github ? "GitHub" : "GitLab";
}

std::string default_api_url(Service service) {
  return service == Service::github ? "https://api.github.com" : "https://gitlab.com/api/v4";
}

Listing list_github_org(HttpClient& http, const std::string& org, const ListOptions& options) {
  check_org_name(org);
  const std::string api = api_base(Service::github, options);
  PageRequest request;
  request.what = fmt::format("GitHub organisation '{}'", org);
  request.first_url = fmt::format("{}/orgs/{}/repos?per_page=100&type=all", api, org);
  request.headers = {"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28"};
  return list_repositories(http, options, request, [](const nlohmann::json& repo, const std::string& where) {
    return ApiRepository{string_field(repo, "full_name", where), string_field(repo, "clone_url", where),
                         bool_field(repo, "archived", where), bool_field(repo, "fork", where)};
  });
}

} // namespace leakstop::hosting
