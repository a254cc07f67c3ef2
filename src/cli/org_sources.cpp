// `org scan`'s repositories from repos.txt and the hosting services' APIs.

#include "cli/org_sources.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/commands.hpp"
#include "core/dates.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "hosting/hosting.hpp"

namespace leakstop::cli {
namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Adds `more` to `entries`, which came from `source`: a URL already there is
// skipped, a name already there with another URL is refused.
void combine(std::vector<sources::RepoEntry>& entries, std::vector<sources::RepoEntry> more, const std::string& source) {
  std::set<std::string> urls;
  std::map<std::string, std::string> url_of_name;
  for (const sources::RepoEntry& e : entries) {
    urls.insert(strip_userinfo(e.url));
    url_of_name.emplace(e.name, strip_userinfo(e.url));
  }
  for (sources::RepoEntry& e : more) {
    if (urls.count(strip_userinfo(e.url)) != 0) {
      continue;
    }
    if (auto it = url_of_name.find(e.name); it != url_of_name.end()) {
      throw ConfigError(fmt::format("{}: repository name '{}' is already listed for {} (rename that one in --repos)",
                                    source, e.name, it->second));
    }
    urls.insert(strip_userinfo(e.url));
    url_of_name.emplace(e.name, strip_userinfo(e.url));
    entries.push_back(std::move(e));
  }
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

hosting::Listing list(hosting::HttpClient& http, hosting::Service service, const std::string& name,
                      const HostingArgs& args) {
  hosting::ListOptions options;
  options.api_url = args.api_url;
  options.token_name = service == hosting::Service::github ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
  options.token = env(options.token_name.c_str());
  options.include_archived = args.include_archived;
  options.include_forks = args.include_forks;
  options.max_rate_wait = std::chrono::seconds(args.max_rate_wait);
  const std::string what = fmt::format("{} {} '{}'", hosting::service_name(service),
                                       service == hosting::Service::github ? "organisation" : "group", printable(name));
  options.on_wait = [&what](const hosting::RateWait& wait) {
    std::cerr << fmt::format("leakstop: org: {}: rate limited (HTTP {}); waiting {} s, until {} ({})\n", what,
                             wait.status, wait.wait.count(), iso8601_utc(wait.until) + "Z", wait.header);
  };
  hosting::Listing listing = service == hosting::Service::github ? hosting::list_github_org(http, name, options)
                                                                 : hosting::list_gitlab_group(http, name, options);
  std::cerr << fmt::format("leakstop: org: {}: {} listed ({}); skipped {} (--include-archived), {} "
                           "(--include-forks)\n",
                           what, plural(listing.entries.size(), "repository", "repositories"),
                           plural(listing.pages, "page", "pages"),
                           plural(listing.archived_skipped, "archived", "archived"),
                           plural(listing.forks_skipped, "fork", "forks"));
  return listing;
}

} // namespace

void add_hosting_options(CLI::App* scan, HostingArgs& args) {
  scan->add_option("--github-org", args.github_orgs,
                   "List the repositories of this GitHub organisation through its API (token: $GITHUB_TOKEN)");
  scan->add_option("--gitlab-group", args.gitlab_groups,
                   "List the projects of this GitLab group (id or path) and its subgroups (token: $GITLAB_TOKEN)");
  scan->add_option("--api-url", args.api_url,
                   "The API of GitHub Enterprise or a self-hosted GitLab (https; default https://api.github.com, "
                   "https://gitlab.com/api/v4)");
  scan->add_flag("--include-archived", args.include_archived, "Also the archived repositories the API lists");
  scan->add_flag("--include-forks", args.include_forks, "Also the forks the API lists");
  scan->add_flag("--list-only", args.list_only, "Print the repositories (URL name, as repos.txt) and exit 0");
  scan->add_option("--max-rate-wait", args.max_rate_wait,
                   "Seconds to wait out API rate limits, in all, per organisation or group; then fail")
    ->capture_default_str();
}

std::vector<sources::RepoEntry> org_repositories(const OrgArgs& args) {
  const HostingArgs& hosting_args = args.hosting;
  if (args.repos_file.empty() && hosting_args.github_orgs.empty() && hosting_args.gitlab_groups.empty()) {
    throw ConfigError("org scan needs a list of repositories: --repos FILE, --github-org NAME or --gitlab-group NAME");
  }
  if (!hosting_args.api_url.empty() && !hosting_args.github_orgs.empty() && !hosting_args.gitlab_groups.empty()) {
    throw ConfigError("--api-url serves one service: give --github-org or --gitlab-group with it, not both");
  }
  if (!hosting_args.api_url.empty() && hosting_args.github_orgs.empty() && hosting_args.gitlab_groups.empty()) {
    throw ConfigError("--api-url goes with --github-org or --gitlab-group");
  }
  std::vector<sources::RepoEntry> entries;
  if (!args.repos_file.empty()) {
    entries = sources::read_repo_list(args.repos_file);
  }
  if (hosting_args.github_orgs.empty() && hosting_args.gitlab_groups.empty()) {
    return entries;
  }
  const hosting::Curl curl;
  hosting::HttpOptions http_options;
  http_options.user_agent = std::string("leakstop/") + LEAKSTOP_VERSION;
  hosting::HttpClient http(curl, http_options);
  for (const std::string& org : hosting_args.github_orgs) {
    combine(entries, list(http, hosting::Service::github, org, hosting_args).entries,
            fmt::format("GitHub organisation '{}'", org));
  }
  for (const std::string& group : hosting_args.gitlab_groups) {
    combine(entries, list(http, hosting::Service::gitlab, group, hosting_args).entries,
            fmt::format("GitLab group '{}'", group));
  }
  return entries;
}

std::string org_sources_label(const OrgArgs& args) {
  std::string label = args.repos_file.empty() ? "" : std::filesystem::absolute(args.repos_file).string();
  for (const std::string& org : args.hosting.github_orgs) {
    label += (label.empty() ? "github:" : " github:") + org;
  }
  for (const std::string& group : args.hosting.gitlab_groups) {
    label += (label.empty() ? "gitlab:" : " gitlab:") + group;
  }
  return label;
}

void print_repo_list(const std::vector<sources::RepoEntry>& entries, std::ostream& out) {
  for (const sources::RepoEntry& e : entries) {
    out << printable(strip_userinfo(e.url)) << ' ' << printable(e.name) << '\n';
  }
}

} // namespace leakstop::cli
