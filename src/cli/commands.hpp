#pragma once
// One function per command; each returns the process exit code.

#include <istream>
#include <string>
#include <vector>

#include "cli/session.hpp"

namespace leakstop::cli {

int cmd_scan(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths);

// What the pre-commit hook runs. With `paths` (from the pre-commit
// framework), the staged version of each is scanned in full.
int cmd_staged(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths);

struct InstallOptions {
  bool uninstall = false;
  bool global = false;
  std::string hook = "pre-commit";
};
int cmd_install(const sources::LibGit2& git, const InstallOptions& options);

// What the pre-push hook runs: every commit in git's list on `in` (the
// hook's stdin), each scanned as what it changed.
int cmd_pre_push(const sources::LibGit2& git, const CommonOptions& options, const std::string& remote, std::istream& in);

struct BaselineOptions {
  bool history = false;            // from the history scan (not in this build)
  bool staged = false;             // from the staged changes
  std::vector<std::string> paths;  // from these files and directories (default ".")
};
// Prints a baseline of every current finding to stdout.
int cmd_baseline_create(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options);
// Drops the entries of --baseline (default .leakstop-baseline.json) that
// are no longer found, in place.
int cmd_baseline_prune(const sources::LibGit2& git, const CommonOptions& common, const BaselineOptions& options);

int cmd_rules_list(const CommonOptions& options);
int cmd_rules_test(const CommonOptions& options, const std::vector<std::string>& files);

} // namespace leakstop::cli
