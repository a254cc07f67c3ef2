#pragma once
// --audit-log FILE for the commands: what a run reports for its record
// (core/audit_log.hpp holds the record and writes it), and which
// repository the record names.

#include <cstddef>
#include <string>

namespace leakstop::cli {

// What a command reports about its run; filled through CommonOptions::run
// (finish(), cmd_audit, baseline create), zero when it never got there.
struct RunRecord {
  std::size_t findings = 0;       // findings reported (audit: items that failed; baseline create: recorded)
  std::size_t files_scanned = 0;  // files or blobs scanned (audit: files tracked at HEAD)
};

// The repository a command started from `start` works on, for the record:
// the absolute work tree containing it, or `start` itself (made absolute
// when it exists) when it is in no work tree, or "" for an empty `start`.
std::string repository_for_log(const std::string& start);

} // namespace leakstop::cli
