#pragma once
// One function per command; each returns the process exit code.

#include <string>
#include <vector>

#include "cli/session.hpp"

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
};

// Every secret ever committed: see sources/history.hpp.
int cmd_history(const sources::LibGit2& git, const CommonOptions& options, const HistoryArgs& args);

struct InstallOptions {
  bool uninstall = false;
  bool global = false;
  std::string hook = "pre-commit";
};
int cmd_install(const sources::LibGit2& git, const InstallOptions& options);

int cmd_rules_list(const CommonOptions& options);
int cmd_rules_test(const CommonOptions& options, const std::vector<std::string>& files);

} // namespace leakstop::cli
