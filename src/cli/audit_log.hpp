#pragma once
// --audit-log FILE: one JSON line per leakstop run, appended, so that a team
// can show when and where scans ran and what they concluded. A record holds
// counts and names only: never a secret, a finding's text or a credential.

#include <cstddef>
#include <ctime>
#include <string>

namespace leakstop::cli {

// What a command reports about its run; filled through
// CommonOptions::run (finish() and cmd_audit), zero when it never got there.
struct RunRecord {
  std::size_t findings = 0;       // findings reported (audit: items that failed)
  std::size_t files_scanned = 0;  // files or blobs scanned (audit: files tracked at HEAD)
};

struct RunContext {
  std::string action;      // the command: "scan", "staged", "history", "pre-push", "audit", "baseline create"...
  std::string repository;  // absolute work tree (or repository) path; empty when none
  std::string actor;       // $USER, else "unknown"
  std::time_t time = 0;    // when the run ended
};

// The record as one line of JSON ending in '\n':
// {"time","action","actor","repository","result","exit_code","findings","files_scanned"};
// result is "clean" for exit 0, "findings" for 1, "error" otherwise.
std::string audit_log_line(const RunContext& context, const RunRecord& record, int exit_code);

// Appends `line` to `file` (created 0644 if absent) with one write(2) on an
// O_APPEND descriptor, so that concurrent runs never interleave within a
// line. Throws ConfigError naming the file when it cannot.
void append_audit_log(const std::string& file, const std::string& line);

// The repository a command started from `start` works on, for the record:
// the absolute work tree containing it, or `start` itself (userinfo
// stripped) when it is no work tree, or "" for an empty `start`.
std::string repository_for_log(const std::string& start);

// $USER, else "unknown".
std::string actor_for_log();

} // namespace leakstop::cli
