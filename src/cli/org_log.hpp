#pragma once
// What the organisation commands share: who runs them, the audit log
// (DIR/audit.jsonl) and the identity of the rules a scan judged blobs with.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "scan/options.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

// Who acts, for the audit log and triage decisions: $USER, else git's
// user.name, else "unknown".
std::string org_actor(const sources::LibGit2& git);

// Appends one line to DIR/audit.jsonl, in the format of --audit-log
// (core/audit_log.hpp): `action` ("org scan", "org triage"...) on
// `repository` (a URL, stripped on writing; or what else was acted on),
// its exit code and counts. Never a secret or a credential.
void append_store_audit(const sources::LibGit2& git, const std::filesystem::path& store_dir, std::string action,
                        std::string repository, int exit_code, std::uint64_t findings, std::uint64_t blobs_read);

// The identity of everything that decides what a blob yields: the shipped
// and --rule-file rules, a gitleaks configuration, and the options that
// filter or bound findings. A blob scanned under another digest is scanned
// again. A repository's .leakstop.toml plays no part: org scans read blobs
// without it and judge findings against it afterwards (org_repo_config.hpp).
std::string ruleset_digest(const scan::ScanOptions& options);

// The compiled rules of `options` (shipped, --rule-file, a gitleaks
// configuration), loaded once for every repository of a run: loading them
// per repository cost more than a repository with nothing new.
std::shared_ptr<const engine::CompiledRules> load_org_rules(const scan::ScanOptions& options);

} // namespace leakstop::cli
