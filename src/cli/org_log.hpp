#pragma once
// What the organisation commands share: who runs them, the audit log
// (DIR/audit.jsonl) and the identity of the rules a scan judged blobs with.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "scan/options.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

// Who acts, for the audit log and triage decisions: $USER, else git's
// user.name, else "unknown".
std::string org_actor(const sources::LibGit2& git);

// Appends one line to DIR/audit.jsonl: `record` plus "time" and "actor".
// Only counts, names, statuses and stripped URLs belong in it: never a
// secret or a credential. Only the holder of the store's lock writes it,
// so lines never interleave.
void append_audit(const sources::LibGit2& git, const std::filesystem::path& store_dir, nlohmann::json record);

// The identity of everything that decides what a blob yields: the shipped
// and --rule-file rules, a gitleaks configuration, and the options that
// filter or bound findings. A blob scanned under another digest is scanned
// again. A repository's .leakstop.toml plays no part: bare mirrors have none
// that applies.
std::string ruleset_digest(const scan::ScanOptions& options);

} // namespace leakstop::cli
