#pragma once
// `org scan --on-new COMMAND`: after a run, the findings it brought are
// handed to a command of the user's (a webhook through curl, a ticket), as
// JSON lines on its stdin. The command is a notification, not part of the
// scan: its failure is logged, never fatal, and never changes the exit code.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sources/git.hpp"
#include "store/store.hpp"

namespace leakstop::cli {

// Whether `f` is news of `run`, as the run's summary counts it: first seen
// in it, reopened in it, or triaged and then seen in a new place in it.
bool brought_by_run(const store::StoredFinding& f, store::RunId run);

// The findings as JSON lines, one #/$defs/org_finding of
// docs/report-schema.json a line (exposure ages as of `now`): redacted,
// never the secret.
std::string findings_jsonl(const std::vector<store::StoredFinding>& findings, std::int64_t now);

struct OnNew {
  std::string command;  // run with /bin/sh -c; empty for none
  std::chrono::seconds timeout{60};
};

// The findings `run` brought (brought_by_run) are read from `store`, which
// is then closed, so that the command may read the store itself (`org
// report`); then `on_new.command` runs if there are any, with them as JSON
// lines on its stdin. Its outcome goes to DIR/audit.jsonl (action "org scan
// on-new", on `repos_file`; exit code as ShellResult::exit_code) and, when
// it failed, to stderr. Returns false when it ran and failed.
bool notify_new_findings(const sources::LibGit2& git, store::Store&& store, store::RunId run,
                         const std::filesystem::path& store_dir, const std::filesystem::path& repos_file,
                         const OnNew& on_new);

} // namespace leakstop::cli
