#include "cli/org_notify.hpp"

#include <fmt/format.h>

#include <ctime>
#include <iostream>

#include "cli/org_json.hpp"
#include "cli/org_log.hpp"
#include "cli/shell_command.hpp"
#include "core/audit_log.hpp"

namespace leakstop::cli {

bool brought_by_run(const store::StoredFinding& f, store::RunId run) {
  if (f.triage != store::Triage::none) {
    return f.moved_after_triage && f.last_seen_run == run;
  }
  return (f.status == store::Status::fresh && f.first_seen_run == run) ||
         (f.status == store::Status::reopened && f.last_seen_run == run);
}

std::string findings_jsonl(const std::vector<store::StoredFinding>& findings, std::int64_t now) {
  std::string out;
  for (const store::StoredFinding& f : findings) {
    // One line each: dump(-1) escapes every control byte, newlines included.
    out += finding_json(f, now).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

bool notify_new_findings(const sources::LibGit2& git, store::Store&& store, store::RunId run,
                         const std::filesystem::path& store_dir, const std::filesystem::path& repos_file,
                         const OnNew& on_new) {
  std::vector<store::StoredFinding> news = store.findings();
  std::erase_if(news, [&](const store::StoredFinding& f) { return !brought_by_run(f, run); });
  { const store::Store closed = std::move(store); }
  if (on_new.command.empty() || news.empty()) {
    return true;
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const ShellResult result = run_shell(on_new.command, findings_jsonl(news, now), on_new.timeout);
  // The command itself is not logged: it may well hold a webhook's token.
  AuditRecord record;
  record.time = now;
  record.action = "org scan on-new";
  record.actor = org_actor(git);
  record.repository = std::filesystem::absolute(repos_file).string();
  record.result = result.ok() ? "clean" : "error";
  record.exit_code = result.exit_code();
  record.findings = news.size();
  append_audit_log(store_dir / "audit.jsonl", audit_log_line(record));
  if (!result.ok()) {
    std::cerr << fmt::format("leakstop: org scan: --on-new command {} ({} new findings, perhaps not delivered; recorded in "
                             "{}); the scan's result stands\n",
                             result.describe(on_new.timeout), news.size(), (store_dir / "audit.jsonl").string());
  }
  return result.ok();
}

} // namespace leakstop::cli
