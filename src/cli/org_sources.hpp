#pragma once
// Where `org scan` gets its repositories: a repos.txt (--repos), GitHub
// organisations (--github-org) and GitLab groups (--gitlab-group) listed
// through their APIs (hosting/), combined; and --list-only, which prints
// the combination in the repos.txt format.

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "sources/mirror.hpp"

namespace leakstop::cli {

struct OrgArgs;

struct HostingArgs {
  std::vector<std::string> github_orgs;   // --github-org NAME (repeatable)
  std::vector<std::string> gitlab_groups; // --gitlab-group ID-OR-PATH (repeatable)
  std::string api_url;                    // --api-url, empty for the service's public API
  bool include_archived = false;
  bool include_forks = false;
  bool list_only = false;
  unsigned max_rate_wait = 900;           // seconds of rate-limit waits in all, per organisation or group
};

// Registers --github-org, --gitlab-group, --api-url, --include-archived,
// --include-forks, --list-only and --max-rate-wait on `scan`.
void add_hosting_options(CLI::App* scan, HostingArgs& args);

// The repositories of --repos first, then of each organisation and group
// (a clone URL already listed is skipped; a name listed with another URL is
// a ConfigError). ConfigError (exit 2) when none of the three is given or an
// option is wrong; RepoError (exit 3) when a service fails to answer. Says
// on stderr how many each service listed and when it waits out a rate limit.
std::vector<sources::RepoEntry> org_repositories(const OrgArgs& args);

// Where the list came from, for the audit log: the absolute path of
// repos.txt and/or "github:ORG", "gitlab:GROUP", separated by spaces.
std::string org_sources_label(const OrgArgs& args);

// One "URL name" line per entry, as repos.txt takes them: credentials
// stripped, bytes escaped.
void print_repo_list(const std::vector<sources::RepoEntry>& entries, std::ostream& out);

} // namespace leakstop::cli
