#pragma once
// A repository's own configuration in an organisation scan: read from the
// default branch of its mirror, judged against what the scan found with
// the shipped rules alone (scan/repo_config_judge.hpp), and honoured only
// when asked (`org scan --repo-config`). Either way the counts of what it
// hides, or would hide, are kept for the run's output and audit log.

#include <filesystem>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "scan/repo_config_judge.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

struct RepoConfigOutcome {
  scan::HiddenCounts hidden;  // by what hides them
  std::size_t total = 0;
  std::string unreadable;     // why its configuration could not be read (then it hides nothing)
};

// Judges `findings` against the configuration at HEAD of the mirror `dir`;
// with `honour`, removes from `findings` what it hides.
RepoConfigOutcome judge_repo_config(const sources::LibGit2& git, const std::filesystem::path& dir,
                                    std::vector<Finding>& findings, bool honour);

// For the per-repository line: "" when there is nothing to say, else
// "; its own configuration would hide 2 (allowlist.paths) (reported: org
// scans ignore it)" or "; its own configuration hid 2 (...)".
std::string repo_config_note(const RepoConfigOutcome& outcome, bool honour);

// For the run's summary line: "" for none, else "; 3 reported that
// repositories' own configuration would hide" (or "; 3 hidden by ...").
std::string repo_config_summary(std::size_t total, bool honour);

// The audit log's action for a repository whose configuration hid (or
// would hide) findings; its `findings` count says how many.
inline const char* repo_config_audit_action(bool honour) {
  return honour ? "org scan repository config hid" : "org scan repository config would hide";
}

} // namespace leakstop::cli
