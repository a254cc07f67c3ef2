#include "cli/org_log.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>

#include "core/audit_log.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"
#include "rules/gitleaks.hpp"
#include "scan/rule_loading.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {

std::string org_actor(const sources::LibGit2& git) {
  if (const char* user = std::getenv("USER"); user && *user) {
    return user;
  }
  git.ready();
  std::string name = "unknown";
  git_config* raw = nullptr;
  if (git_config_open_default(&raw) == 0) {
    sources::Config config(raw);
    git_buf buf = GIT_BUF_INIT;
    if (git_config_get_string_buf(&buf, config.get(), "user.name") == 0 && buf.size > 0) {
      name.assign(buf.ptr, buf.size);
    }
    git_buf_dispose(&buf);
  }
  return name;
}

void append_store_audit(const sources::LibGit2& git, const std::filesystem::path& store_dir, std::string action,
                        std::string repository, int exit_code, std::uint64_t findings, std::uint64_t blobs_read) {
  AuditRecord record;
  record.time = static_cast<std::int64_t>(std::time(nullptr));
  record.action = std::move(action);
  record.actor = org_actor(git);
  record.repository = std::move(repository);
  record.result = audit_result(exit_code);
  record.exit_code = exit_code;
  record.findings = findings;
  record.files_scanned = blobs_read;
  append_audit_log(store_dir / "audit.jsonl", audit_log_line(record));
}

std::string ruleset_digest(const scan::ScanOptions& options) {
  rules::RuleFiles files = scan::shipped_rule_files(options);
  std::optional<rules::GitleaksConfig> gitleaks;
  if (!options.gitleaks_config.empty()) {
    gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  const bool shipped = !gitleaks || gitleaks->use_default;
  const std::string identity = scan::rules_identity(shipped ? files.digest() : "", gitleaks ? &*gitleaks : nullptr);
  return sha256_hex(fmt::format("{}|decode={}|severity={}|confidence={}|max-size={}", identity, options.decode_depth,
                                options.min_severity, options.min_confidence,
                                options.max_file_size ? std::to_string(*options.max_file_size) : "default"));
}

std::shared_ptr<const engine::CompiledRules> load_org_rules(const scan::ScanOptions& options) {
  std::optional<rules::GitleaksConfig> gitleaks;
  if (!options.gitleaks_config.empty()) {
    gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  return scan::load_compiled_rules(options, gitleaks ? &*gitleaks : nullptr);
}

} // namespace leakstop::cli
