// `leakstop org scan`: every repository of a list mirrored, scanned for
// what the store has not seen, and recorded (see store/store.hpp and
// sources/mirror.hpp). Exit: 3 if a repository failed (after the others),
// else 1 while any finding is open (new, reopened or open, and not triaged)
// or a triaged secret turned up in a new place, else 0: a scheduled job
// stays red until every exposed secret is rotated or judged; 130 or 143 (128 + the signal) when SIGINT or SIGTERM stopped the run.
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "cli/commands.hpp"
#include "cli/org_log.hpp"
#include "cli/org_progress.hpp"
#include "cli/org_repo_config.hpp"
#include "cli/org_notify.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "scan/history_scan.hpp"
#include "sources/mirror.hpp"
#include "store/store.hpp"

namespace leakstop::cli {
namespace {
namespace fs = std::filesystem;

// The signal that asked the run to stop, 0 if none. A signal handler can
// reach nothing but process-wide state: this flag is the only such state.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) {
  g_stop_signal.store(sig);
}

// SIGINT and SIGTERM ask the run to stop between repositories, for the
// object's lifetime. SA_RESETHAND: a second signal kills at once, which the
// store survives (it loses at most the repository in flight).
class StopSignals {
public:
  StopSignals() {
    g_stop_signal.store(0);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(SIGINT, &sa, &m_old_int);
    ::sigaction(SIGTERM, &sa, &m_old_term);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  static int received() { return g_stop_signal.load(); }

private:
  struct sigaction m_old_int {};
  struct sigaction m_old_term {};
};

// "K/N" with 0 <= K < N.
std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  std::size_t k = 0, n = 0;
  const char* end = text.data() + text.size();
  auto [after_k, ek] = std::from_chars(text.data(), end, k);
  bool ok = ek == std::errc() && after_k != end && *after_k == '/';
  if (ok) {
    auto [after_n, en] = std::from_chars(after_k + 1, end, n);
    ok = en == std::errc() && after_n == end && n > 0 && k < n;
  }
  if (!ok) {
    throw ConfigError(fmt::format("--shard '{}': expected K/N with 0 <= K < N (e.g. 0/4)", printable(text)));
  }
  return {k, n};
}

struct Counts {
  std::size_t repositories = 0, failed = 0, blobs = 0, read = 0;
  std::size_t fresh = 0, reopened = 0, moved = 0, open = 0, resolved = 0, triaged = 0;
  std::size_t config_hidden = 0;  // what repositories' own configuration hid, or would hide
};

struct Failure {
  std::string name, error;  // error scrubbed of credentials
};

// One repository: mirrored, scanned for unscanned blobs, recorded. Returns
// the error, empty on success; "cancelled" left empty when a signal
// cancelled the fetch (nothing of it is recorded: the next run redoes it).
std::string scan_repository(const sources::LibGit2& git, const scan::ScanOptions& options, store::Store& store,
                            store::RunId run, const std::string& digest, const fs::path& mirrors,
                            const sources::RepoEntry& entry, unsigned threads, bool honour_repo_config,
                            OrgProgress& progress, Counts& counts, std::size_t& found, bool& cancelled) {
  const store::RepoId repo = store.add_repository(entry.name, entry.url);
  sources::MirrorOptions mirror_options;
  mirror_options.progress = [](const git_indexer_progress&) { return StopSignals::received() == 0; };
  const fs::path dir = mirrors / sources::mirror_folder_name(entry.url);
  sources::MirrorResult fetched = sources::update_mirror(git, entry.url, dir, mirror_options);
  if (!fetched.ok()) {
    if (StopSignals::received() != 0) {
      cancelled = true;
      return "";
    }
    const std::string error = scrub_userinfo(fetched.error);
    store.record_fetch(repo, error);
    return error;
  }
  store.record_fetch(repo, "");

  scan::HistoryRequest request;
  request.repo_path = dir.string();
  request.threads = threads;
  std::mutex store_mutex;  // `wanted` may be asked from reading threads
  request.wanted = [&](const git_oid& id) {
    const std::lock_guard<std::mutex> lock(store_mutex);
    return !store.is_blob_scanned(sources::oid_hex(id), digest);
  };
  // A blob scanned in another repository (a fork, a vendored copy) is not
  // read again, but its secrets are credited to this repository too.
  request.known_secrets = [&](const git_oid& id) {
    const std::lock_guard<std::mutex> lock(store_mutex);
    return store.secrets_in_blob(sources::oid_hex(id), digest);
  };
  scan::HistoryResult result;
  try {
    result = scan::scan_history(git, options, request, progress);
  } catch (const RepoError& e) {  // this repository's fault; a ConfigError (the rules) stops the run
    const std::string error = scrub_userinfo(e.what());
    store.record_fetch(repo, error);
    return error;
  }
  std::vector<Finding> seen = result.scan.findings;
  seen.insert(seen.end(), result.known_findings.begin(), result.known_findings.end());
  const RepoConfigOutcome config = judge_repo_config(git, dir, seen, honour_repo_config);
  counts.config_hidden += config.total;
  store.record_findings(run, repo, seen, result.scanned_blob_ids, result.blob_secrets);
  sources::Repository mirror = sources::open_repository(git, dir.string());
  store.close_repository(run, repo, sources::blobs_at_branch_tips(mirror.get()));
  counts.blobs += result.totals.blobs;
  counts.read += result.scanned_blob_ids.size();
  std::set<std::string> fingerprints;
  for (const Finding& f : seen) {
    fingerprints.insert(f.fingerprint);
  }
  found = fingerprints.size();
  progress.line(fmt::format("leakstop: org: {}: {} blobs, {} read, {} findings{}", printable(entry.name),
                            result.totals.blobs, result.scanned_blob_ids.size(), found,
                            repo_config_note(config, honour_repo_config)));
  if (result.totals.unreadable > 0) {
    return fmt::format("{} unreadable objects (they will be read again next run)", result.totals.unreadable);
  }
  return "";
}

void count_findings(store::Store& store, store::RunId run, Counts& counts) {
  for (const store::StoredFinding& f : store.findings()) {
    if (f.triage != store::Triage::none) {
      ++counts.triaged;
      counts.moved += f.moved_after_triage && f.last_seen_run == run;
      continue;
    }
    switch (f.status) {
    case store::Status::fresh: counts.fresh += f.first_seen_run == run; ++counts.open; break;
    case store::Status::reopened: counts.reopened += f.last_seen_run == run; ++counts.open; break;
    case store::Status::open: ++counts.open; break;
    case store::Status::resolved: ++counts.resolved; break;
    }
  }
}

} // namespace

int cmd_org_scan(const sources::LibGit2& git, const scan::ScanOptions& options, const OrgArgs& args) {
  if (!options.baseline_file.empty()) {
    throw ConfigError("org scan does not take --baseline: the store reports only what it has not seen");
  }
  if (args.repo_config && options.no_repo_config) {
    throw ConfigError("org scan: --repo-config and --no-repo-config contradict each other");
  }
  if (args.store_dir.empty() && !args.hosting.list_only) {
    throw ConfigError("org scan needs --store DIR (or --list-only)");
  }
  std::vector<sources::RepoEntry> entries = org_repositories(args);
  if (!args.shard.empty()) {
    const std::pair<std::size_t, std::size_t> shard = parse_shard(args.shard);
    std::erase_if(entries, [&](const sources::RepoEntry& e) { return sources::shard_of(e.url, shard.second) != shard.first; });
  }
  if (args.hosting.list_only) {
    print_repo_list(entries, std::cout);
    return static_cast<int>(ExitCode::clean);
  }
  const std::string digest = ruleset_digest(options);
  // Every blob read with the shipped rules alone, whatever repository it
  // is in; each repository's own configuration is judged afterwards.
  scan::ScanOptions security_view = options;
  security_view.no_repo_config = true;
  security_view.compiled_rules = load_org_rules(options);  // once, not per repository
  const unsigned threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  const fs::path dir = args.store_dir;
  store::Store store = store::Store::open(dir);
  git.ready();
  StopSignals signals;
  const store::RunId run = store.begin_run(digest);

  Counts counts;
  std::vector<Failure> failures;
  OrgProgress progress(std::cerr, Progress::on_terminal(), entries.size());
  for (std::size_t i = 0; i < entries.size() && StopSignals::received() == 0; ++i) {
    const sources::RepoEntry& entry = entries[i];
    progress.repository(i, printable(entry.name),
                        fmt::format("leakstop: org: [{}/{}] {} ({})", i + 1, entries.size(), printable(entry.name),
                                    printable(strip_userinfo(entry.url))));
    bool cancelled = false;
    std::string error;
    const std::size_t read_before = counts.read, hidden_before = counts.config_hidden;
    std::size_t found = 0;
    try {
      error = scan_repository(git, security_view, store, run, digest, dir / "mirrors", entry, threads,
                              args.repo_config, progress, counts, found, cancelled);
    } catch (const RepoError& e) {  // the mirror unreadable after a fetch, say: this repository only
      error = scrub_userinfo(e.what());
    }
    if (cancelled) {
      break;
    }
    const std::size_t read = counts.read - read_before;
    ++counts.repositories;
    append_store_audit(git, dir, "org scan repository", entry.url,
                       error.empty() ? (found > 0 ? 1 : 0) : static_cast<int>(ExitCode::internal), found, read);
    if (counts.config_hidden > hidden_before) {
      append_store_audit(git, dir, repo_config_audit_action(args.repo_config), entry.url, 0,
                         counts.config_hidden - hidden_before, 0);
    }
    if (!error.empty()) {
      progress.line(fmt::format("leakstop: org: {}: failed: {}", printable(entry.name), printable(error)));
      failures.push_back({entry.name, error});
    }
  }
  progress.done();
  const int stopped_by = StopSignals::received();
  store.finish_run(run, stopped_by ? store::RunStatus::interrupted : store::RunStatus::completed);
  count_findings(store, run, counts);
  counts.failed = failures.size();

  std::cerr << fmt::format("leakstop: org scan: run {}: {} of {} repositories{}, {} failed; {} blobs, {} read; "
                           "findings: {} new, {} reopened, {} open, {} resolved, {} triaged ({} seen in a new place){}\n",
                           run, counts.repositories, entries.size(), stopped_by ? " (interrupted)" : "", counts.failed,
                           counts.blobs, counts.read, counts.fresh, counts.reopened, counts.open, counts.resolved,
                           counts.triaged, counts.moved, repo_config_summary(counts.config_hidden, args.repo_config));
  if (!failures.empty()) {
    std::string list;
    for (const Failure& f : failures) {
      list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", printable(f.name), printable(f.error));
    }
    std::cerr << "leakstop: org scan: failed repositories: " << list << '\n';
  }

  const int rc = stopped_by                 ? 128 + stopped_by
                 : !failures.empty()        ? static_cast<int>(ExitCode::internal)
                 : counts.open + counts.moved > 0 ? static_cast<int>(ExitCode::findings)
                                                                      : static_cast<int>(ExitCode::clean);
  // The run as a whole: on the repository list, with the findings it
  // brought (new, reopened, moved) and the blobs it read.
  append_store_audit(git, dir, "org scan", org_sources_label(args), rc,
                     counts.fresh + counts.reopened + counts.moved, counts.read);
  if (stopped_by) {
    std::cerr << fmt::format("leakstop: org scan: stopped by signal {}; the next run continues\n", stopped_by);
  }
  // The run's news to the user's command (it may read the store: closed first); never changes rc.
  notify_new_findings(git, std::move(store), run, dir, args.repos_file,
                      {args.on_new, std::chrono::seconds(args.on_new_timeout)});
  return rc;
}

} // namespace leakstop::cli
