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

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
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
  const std::string api = without_trailing_slash(options.api_url.empty() ? default_api_url(Service::github)
                                                                         : options.api_url);
  check_api_url(api);
  PageRequest request;
  request.what = fmt::format("GitHub organisation '{}'", org);
  request.first_url = fmt::format("{}/orgs/{}/repos?per_page=100&type=all", api, org);
  request.headers = {"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28"};
  Collector collector;
  Listing& listing = collector.listing();
  for_each_page(http, options, request, [&](const nlohmann::json& page, std::size_t number) {
    const std::string where = fmt::format("{}, page {}", request.what, number);
    if (!page.is_array()) {
      throw RepoError(where + ": expected a JSON array of repositories");
    }
    ++listing.pages;
    for (const nlohmann::json& repo : page) {
      if (!repo.is_object()) {
        throw RepoError(where + ": a repository that is not a JSON object");
      }
      const std::string name = string_field(repo, "full_name", where);
      if (bool_field(repo, "archived", where) && !options.include_archived) {
        ++listing.archived_skipped;
      } else if (bool_field(repo, "fork", where) && !options.include_forks) {
        ++listing.forks_skipped;
      } else {
        collector.add(where, name, string_field(repo, "clone_url", where));
      }
    }
  });
  return std::move(listing);
}

} // namespace leakstop::hosting
