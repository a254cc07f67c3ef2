#pragma once
// One function per command; each returns the process exit code.

#include <istream>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "cli/org_sources.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

int cmd_scan(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths);

// What the pre-commit hook runs. With `paths` (from the pre-commit
// framework), the staged version of each is scanned in full.
int cmd_staged(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths);

struct HistoryArgs {
  std::vector<std::string> positional;  // [REPO] [REV-RANGE...]
  unsigned threads = 0;                 // 0: every core
  bool all_objects = false;
  std::string since;
  std::string store_dir;  // --store DIR: read only blobs the store has not scanned, and record them
};

// Every secret ever committed: see scan/history_scan.hpp. With `collect`,
// the findings go there instead of to a report (for `baseline create
// --history`), and a scan error throws RepoError.
int cmd_history(const sources::LibGit2& git, const CommonOptions& options, const HistoryArgs& args,
                std::vector<Finding>* collect = nullptr);

struct InstallOptions {
  bool uninstall = false;
  bool global = false;
  std::string hook = "pre-commit";
};
int cmd_install(const sources::LibGit2& git, const InstallOptions& options);
// True when leakstop's `hook` (pre-commit, pre-push) is installed in `repo`.
bool hook_installed(git_repository* repo, const std::string& hook);

struct AuditOptions {
  std::string repo = ".";
  std::string format = "text";  // text, json or sarif
  int rotation_days = 90;
  std::string now;              // --now DATE; else SOURCE_DATE_EPOCH; else the clock
  bool history = true;          // --no-history: HEAD only (rotation and history-exposure n/a)
  std::string checks_file;      // --checks FILE: extra check data
};
// The secrets checklist against a repository and its history (audit/audit.hpp).
int cmd_audit(const sources::LibGit2& git, const CommonOptions& common, const AuditOptions& options);

// What the pre-push hook runs: every commit in git's list on `in` (the
// hook's stdin), each scanned as what it changed.
int cmd_pre_push(const sources::LibGit2& git, const CommonOptions& options, const std::string& remote, std::istream& in);

struct BaselineOptions {
  bool history = false;            // from the history scan (paths are then [REPO] [REV-RANGE...])
  bool staged = false;             // from the staged changes
  std::vector<std::string> paths;  // from these files and directories (default ".")
};
// Prints a baseline of every current finding to stdout.
int cmd_baseline_create(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options);
// Drops the entries of --baseline (default .leakstop-baseline.json) that
// are no longer found, in place.
int cmd_baseline_prune(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options);

// `leakstop org ...`: organisation-wide scans into a store (store/store.hpp).
struct OrgArgs {
  std::string store_dir;               // --store DIR
  std::string repos_file;              // scan: --repos FILE
  HostingArgs hosting;                 // scan: --github-org, --gitlab-group (cli/org_sources.hpp)
  std::string shard;                   // scan: --shard K/N, empty for every repository
  unsigned threads = 0;                // scan: 0 for every core
  bool repo_config = false;            // scan: honour each repository's own configuration
  std::string format = "text";         // report: text, json, sarif, csv or html
  std::string on_new;                  // scan: --on-new COMMAND, empty for none
  unsigned on_new_timeout = 60;        // scan: --on-new-timeout SECONDS
  bool only_new = false;               // report: --new, first seen in the latest run
  std::string since;                   // report: --since RUN_ID|DATE, empty for every finding
  std::string now;                     // report: --now DATE for exposure ages; else SOURCE_DATE_EPOCH; else the clock
  std::string fingerprint, status, note;  // triage
  std::vector<std::string> others;     // merge: the shard stores
};
// Exit 3 if a repository failed, else 1 with new or reopened findings in
// this run, else 0; 128 + the signal when SIGINT or SIGTERM stopped it.
int cmd_org_scan(const sources::LibGit2& git, const scan::ScanOptions& options, const OrgArgs& args);
int cmd_org_report(const sources::LibGit2& git, const OrgArgs& args);
int cmd_org_triage(const sources::LibGit2& git, const OrgArgs& args);
int cmd_org_merge(const sources::LibGit2& git, const OrgArgs& args);

int cmd_rules_list(const CommonOptions& options);
int cmd_rules_test(const CommonOptions& options, const std::vector<std::string>& files);

// Where the compiled rules are cached, how big, and for which rules.
int cmd_cache_info(const CommonOptions& options);
// Removes every compiled-rules entry from the per-user cache.
int cmd_cache_clear(const CommonOptions& options);
// Install-time: the shipped rules compiled for any x86-64 CPU into `out_dir`.
int cmd_cache_build(const CommonOptions& options, const std::string& out_dir);

struct CheckOptions {
  std::vector<std::string> corpus = {"/usr/include", "/usr/share"};
  std::uint64_t corpus_limit_mb = 512;  // MB of text (10^6 bytes), taken in path-hash order
  double max_per_100mb = 5;             // findings a rule may have per 100 MB of corpus
  std::size_t show = 20;                // findings listed per rule
};
// Lints the shipped rules: both engines, examples, keywords, and noise on a
// clean corpus. Returns 0 when every check passes, 1 otherwise.
int cmd_rules_check(const CommonOptions& options, const CheckOptions& check);

} // namespace leakstop::cli
