#include "cli/org_log.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <fstream>

#include "core/dates.hpp"
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

void append_audit(const sources::LibGit2& git, const std::filesystem::path& store_dir, nlohmann::json record) {
  std::string time = iso8601_utc(static_cast<std::int64_t>(std::time(nullptr)));
  time += 'Z';  // as the store writes its times
  record["time"] = time;
  record["actor"] = org_actor(git);
  const std::filesystem::path file = store_dir / "audit.jsonl";
  std::ofstream out(file, std::ios::binary | std::ios::app);
  // Replacement, not an exception, for invalid UTF-8 in a repository's name.
  out << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (!out) {
    throw RepoError(fmt::format("cannot append to {}", file.string()));
  }
}

std::string ruleset_digest(const scan::ScanOptions& options) {
  rules::RuleFiles files = scan::shipped_rule_files(options);
  std::optional<rules::GitleaksConfig> gitleaks;
  if (!options.gitleaks_config.empty()) {
    gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  const bool shipped = !gitleaks || gitleaks->use_default;
  const std::string identity = scan::rules_identity(shipped ? files.digest() : "", rules::RepoConfig{},
                                                    gitleaks ? &*gitleaks : nullptr);
  return sha256_hex(fmt::format("{}|decode={}|severity={}|confidence={}|max-size={}", identity, options.decode_depth,
                                options.min_severity, options.min_confidence,
                                options.max_file_size ? std::to_string(*options.max_file_size) : "default"));
}

} // namespace leakstop::cli
