// `leakstop audit [REPO]`: gathers what the checklist needs (HEAD's files,
// a scan of them with and without the repository's own configuration, a
// history scan) and prints the items.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>
#include <thread>
#include <tuple>

#include "audit/audit.hpp"
#include "cli/commands.hpp"
#include "core/dates.hpp"
#include "core/error.hpp"
#include "scan/history_scan.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

sources::SourceBlob blob_of(const std::string& path, const std::optional<std::string>& content, std::uint64_t limit) {
  sources::SourceBlob blob;
  blob.path = path;
  if (!content) {
    blob.skip = sources::Skip::unreadable;
    blob.skip_reason = "cannot read it from HEAD";
    return blob;
  }
  blob.size = content->size();
  if (blob.size > limit) {
    blob.skip = sources::Skip::too_large;
  } else if (sources::looks_binary(*content)) {
    blob.skip = sources::Skip::binary;
  } else {
    blob.content = *content;
  }
  return blob;
}

using FindingKey = std::tuple<std::string, std::string, std::uint32_t>;
FindingKey key_of(const Finding& f) {
  return {f.fingerprint, f.location.path, f.location.line};
}

} // namespace

int cmd_audit(const sources::LibGit2& git, const CommonOptions& common, const AuditOptions& options) {
  git.ready();
  audit::AuditInput input;
  input.now = static_cast<std::time_t>(reference_time(options.now));
  input.rotation_days = options.rotation_days;
  input.audit_log = common.audit_log;  // this run is on record: main appends it after the output
  if (!options.checks_file.empty()) {
    audit::extend_check_data(input.data, fs::path(options.checks_file));
  }
  sources::Repository repo = sources::open_repository(git, options.repo);
  const char* workdir = git_repository_workdir(repo.get());
  const fs::path root = workdir ? fs::path(workdir) : fs::path();
  input.tracked = audit::tracked_at_head(repo.get());
  input.is_ignored = audit::make_ignore_check(repo.get());
  std::error_code ec;
  input.root_env_exists = !root.empty() && fs::exists(root / ".env", ec);
  input.hook = root.empty() ? audit::Hook::unknown
             : hook_installed(repo.get(), "pre-commit") ? audit::Hook::installed
                                                        : audit::Hook::missing;

  // HEAD's files, scanned as the repository configures it and as it would be
  // without that configuration: what the configuration hides is evidence too.
  scan::Pipeline configured(scan_options(git, common, options.repo), root);
  scan::Pipeline bare(common, fs::path());
  for (const audit::TrackedFile& file : input.tracked) {
    const std::optional<std::string> content = file.content();
    const sources::SourceBlob blob = blob_of(file.path, content, configured.max_file_size());
    configured.scan(blob);
    bare.scan(blob);
  }
  scan::ScanResult head = std::move(configured).finish();
  std::map<FindingKey, bool> reported;
  for (const Finding& f : head.findings) {
    reported[key_of(f)] = true;
  }
  for (Finding& f : std::move(bare).finish().findings) {
    if (!reported.count(key_of(f))) {
      input.suppressed_findings.push_back(std::move(f));
    }
  }
  input.head_findings = std::move(head.findings);
  bool errors = write_diagnostics(common, head, std::cerr);

  if (options.history) {
    scan::HistoryRequest request;
    request.repo_path = options.repo;
    request.threads = std::max(1u, std::thread::hardware_concurrency());
    scan::HistoryProgress quiet;
    scan::HistoryResult history = scan::scan_history(git, scan_options(git, common, options.repo), request, quiet);
    errors = write_diagnostics(common, history.scan, std::cerr) || errors;
    input.history_findings = std::move(history.scan.findings);
  }

  const std::vector<audit::Item> items = audit::run_audit(input);
  if (common.run) {
    common.run->files_scanned = input.tracked.size();
    common.run->findings = static_cast<std::size_t>(std::count_if(
      items.begin(), items.end(), [](const audit::Item& item) { return item.status == audit::Status::fail; }));
  }
  if (options.format == "json") {
    audit::write_json(items, input, std::cout);
  } else if (options.format == "sarif") {
    audit::write_sarif(items, LEAKSTOP_VERSION, std::cout);
  } else {
    audit::write_text(items, std::cout);
  }
  if (errors) {
    return static_cast<int>(ExitCode::internal);
  }
  return audit::exit_code(items);
}

} // namespace leakstop::cli
