#pragma once
// `leakstop audit`: the secrets checklist of security guides, checked from a
// repository instead of ticked by hand. Each item is a pure function of an
// AuditInput, plain data the command gathers (tracked files, findings at
// HEAD and in history, an ignore callback), so that every rule is testable
// without git; only make_ignore_check() touches libgit2.
//
// Item ids are fixed (issue 15) and are part of the JSON and SARIF output.
// Thread-safety: everything here is a function of its arguments.

#include <ctime>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "audit/check_data.hpp"
#include "core/types.hpp"

struct git_repository;

namespace leakstop::audit {

enum class Status { pass, fail, warn, not_applicable };

// "pass", "fail", "warn", "n/a".
std::string_view to_string(Status s);

// One piece of evidence under an item. Repository-derived strings are raw:
// renderers escape them.
struct Evidence {
  std::string path;          // repository-relative; empty when about the repository as a whole
  std::uint32_t line = 0;    // 1-based; 0 when about the file or nothing in it
  std::uint32_t column = 0;  // 1-based byte column of a secret; 0 otherwise
  std::string commit;        // full hex id when the evidence is in history
  std::string secret;        // full value: redact before showing (as Finding::secret)
  std::string fingerprint;   // of the finding, when the evidence is one
  std::string detail;        // what is wrong here, and the fix specific to it
};

struct Item {
  std::string id;     // fixed: "keys-in-env", "env-ignored", ...
  std::string title;
  Status status = Status::not_applicable;
  std::vector<Evidence> evidence;
  std::string remedy;  // what to do, for the item as a whole
};

// A file tracked at HEAD. `content` reads it on demand (nullopt when it
// cannot be read); the audit reads at most k_max_read bytes of it.
struct TrackedFile {
  std::string path;  // repository-relative, '/'-separated
  std::function<std::optional<std::string>()> content;
};
constexpr std::size_t k_max_read = 1024 * 1024;

// Whether leakstop runs at each place it can: a .pre-commit-config.yaml
// entry and CI files are read from `tracked`; the hook only the CLI knows.
enum class Hook { unknown, installed, missing };

struct AuditInput {
  std::vector<TrackedFile> tracked;          // every file tracked at HEAD
  std::vector<Finding> head_findings;        // a scan of HEAD's tree, after the repository's configuration
  std::vector<Finding> suppressed_findings;  // what the repository's configuration suppressed at HEAD: shown, never hidden
  // A history scan (Location::commit with its date; still_at_head set), or
  // nullopt when none was run: rotation and history-exposure are then n/a.
  std::optional<std::vector<Finding>> history_findings;
  std::set<std::string> rotated_fingerprints;  // recorded as rotated (the organisation store's triage)
  // True when `path` (repository-relative) is ignored by the repository's
  // ignore rules as git would decide; see make_ignore_check().
  std::function<bool(const std::string& path)> is_ignored;
  bool root_env_exists = false;     // a .env in the work tree's root (tracked or not)
  Hook hook = Hook::unknown;        // unknown for a bare repository
  std::string audit_log;            // --audit-log FILE or the store's audit.jsonl; empty when none
  std::time_t now = 0;              // --now, SOURCE_DATE_EPOCH or the clock
  int rotation_days = 90;
  CheckData data = builtin_check_data();  // extended with a team's file by extend_check_data
};

// Every item, in the order of issue 15.
std::vector<Item> run_audit(const AuditInput& input);

// 1 (ExitCode::findings) when any item fails; warnings alone give 0.
int exit_code(const std::vector<Item>& items);

// The regular files of HEAD's tree (no symbolic links, no submodules), each
// read on demand from `repo`, which is borrowed and must outlive them.
// Empty before the first commit; throws RepoError when HEAD is unreadable.
std::vector<TrackedFile> tracked_at_head(git_repository* repo);

// libgit2's ignore engine on `repo` (nested .gitignore, .git/info/exclude,
// core.excludesFile), for AuditInput::is_ignored. `repo` is borrowed and
// must outlive the callback; a libgit2 error counts as "not ignored".
std::function<bool(const std::string&)> make_ignore_check(git_repository* repo);

// Output. Text: one line per item, `status  id  title`, and under failing
// and warning items the evidence and what to do, every repository string
// escaped. JSON: docs/report-schema.json#/$defs/audit. SARIF: one result per
// piece of evidence of a failing or warning item, through leakstop_report.
void write_text(const std::vector<Item>& items, std::ostream& out);
void write_json(const std::vector<Item>& items, const AuditInput& input, std::ostream& out);
void write_sarif(const std::vector<Item>& items, const std::string& tool_version, std::ostream& out);

// The individual items, for tests and for commands that want one.
Item check_keys_in_env(const AuditInput& input);
Item check_env_ignored(const AuditInput& input);
Item check_keys_per_env(const AuditInput& input);
Item check_no_live_keys_outside_prod(const AuditInput& input);
Item check_minimal_scopes(const AuditInput& input);
Item check_webhook_signatures(const AuditInput& input);
Item check_rotation(const AuditInput& input);
Item check_history_exposure(const AuditInput& input);
Item check_scanning_in_place(const AuditInput& input);
Item check_audit_log(const AuditInput& input);

} // namespace leakstop::audit
