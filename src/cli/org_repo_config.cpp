#include "cli/org_repo_config.hpp"

#include <fmt/format.h>

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "scan/repo_files.hpp"

namespace leakstop::cli {

RepoConfigOutcome judge_repo_config(const sources::LibGit2& git, const std::filesystem::path& dir,
                                    std::vector<Finding>& findings, bool honour) {
  RepoConfigOutcome outcome;
  if (findings.empty()) {
    return outcome;  // nothing to hide: its files are not even read
  }
  try {
    sources::Repository mirror = sources::open_repository(git, dir.string());
    if (git_repository_head_unborn(mirror.get()) == 1) {
      return outcome;
    }
    scan::RepoConfigJudge judge(scan::read_revision_files(mirror.get(), "HEAD"));
    std::erase_if(findings, [&](const Finding& f) {
      const std::string what = judge.would_hide(f);
      if (what.empty()) {
        return false;
      }
      ++outcome.hidden[what];
      ++outcome.total;
      return honour;
    });
  } catch (const Error& e) {  // the repository's file, not the run's: its configuration is ignored
    outcome = RepoConfigOutcome{};
    outcome.unreadable = e.what();
  }
  return outcome;
}

std::string repo_config_note(const RepoConfigOutcome& outcome, bool honour) {
  if (!outcome.unreadable.empty()) {
    return fmt::format("; its own configuration is ignored: {}", printable(outcome.unreadable));
  }
  if (outcome.total == 0) {
    return "";
  }
  return honour ? fmt::format("; its own configuration hid {}", scan::describe(outcome.hidden))
                : fmt::format("; its own configuration would hide {} (reported: --repo-config honours it)",
                              scan::describe(outcome.hidden));
}

std::string repo_config_summary(std::size_t total, bool honour) {
  if (total == 0) {
    return "";
  }
  return honour ? fmt::format("; {} hidden by repositories' own configuration", total)
                : fmt::format("; {} reported that repositories' own configuration would hide", total);
}

} // namespace leakstop::cli
