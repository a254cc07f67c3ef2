#pragma once
// The audit log's record: one JSON line per leakstop run (or organisation
// store action), appended to a file that a team keeps to show when and where
// scans ran and what they concluded. Names and counts only: never a secret,
// a finding's text or a credential. `--audit-log FILE` on every command and
// an organisation store's audit.jsonl share this format
// (docs/report-schema.json#/$defs/audit_log).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace leakstop {

struct AuditRecord {
  std::int64_t time = 0;          // unix time the action ended; written as ISO 8601 UTC
  std::string action;             // "scan", "staged", "history", "pre-push", "audit", ...
  std::string actor;              // who ran it: see audit_actor()
  std::string repository;         // a path or URL; its userinfo is stripped on writing
  std::string result;             // "clean", "findings", "error": see audit_result()
  int exit_code = 0;
  std::uint64_t findings = 0;
  std::uint64_t files_scanned = 0;
};

// The record as one line of JSON, keys in the order above, ending in '\n'.
std::string audit_log_line(const AuditRecord& record);

// Appends `line` to `file` (created 0644 if absent) with one write(2) on an
// O_APPEND descriptor, so that concurrent writers never interleave within a
// line. Throws ConfigError naming the file when it cannot.
void append_audit_log(const std::filesystem::path& file, std::string_view line);

// "clean" for exit 0, "findings" for 1, "error" otherwise.
std::string audit_result(int exit_code);

// $USER, else "unknown".
std::string audit_actor();

} // namespace leakstop
