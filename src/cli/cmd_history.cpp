// `leakstop history`: every blob of the history, read once and scanned on
// every core, each secret tied to the commit that brought it in.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/history_findings.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "sources/history.hpp"

namespace leakstop::cli {
namespace {

// What one reading thread saw. Only its own thread touches it until the end.
struct Worker {
  std::unique_ptr<engine::Scanner> scanner;
  HitTable hits;
  std::size_t scanned = 0;
  std::uint64_t bytes = 0;
  std::size_t binary = 0;
  std::size_t lfs = 0;
  std::vector<std::pair<std::size_t, std::uint64_t>> large;  // blob index, size
  std::vector<std::pair<std::string, std::string>> errors;   // object, problem
};

class Scan {
public:
  Scan(Session& session, const sources::History& history, unsigned threads, Progress& progress)
    : m_session(session), m_history(history), m_progress(progress), m_workers(threads) {
    for (Worker& w : m_workers) {
      w.scanner = session.make_scanner();
    }
  }

  // Runs on reading thread `worker`: path rules at every path the blob had,
  // content rules once per group of paths the rules treat alike.
  void blob(unsigned worker, const sources::HistoryBlob& blob) {
    Worker& w = m_workers[worker];
    m_progress.blob_done(blob.size);
    std::vector<const sources::Introduction*> at;
    for (const sources::Introduction& i : m_history.introductions(blob.index)) {
      if (i.path == sources::k_no_path || !w.scanner->path_allowlisted(m_history.path(i.path))) {
        at.push_back(&i);
      }
    }
    const auto binary = blob.skip == sources::Skip::binary ? engine::Binary::yes : engine::Binary::no;
    for (const sources::Introduction* i : at) {
      if (i->path != sources::k_no_path) {
        for (Finding& f : w.scanner->scan_path(m_history.path(i->path), binary)) {
          add(w, std::move(f), blob.index, *i);
        }
      }
    }
    switch (blob.skip) {
    case sources::Skip::unreadable: w.errors.emplace_back(sources::oid_hex(m_history.blob(blob.index)), blob.skip_reason); return;
    case sources::Skip::too_large: w.large.emplace_back(blob.index, blob.size); return;
    case sources::Skip::binary: ++w.binary; return;
    case sources::Skip::lfs_pointer: ++w.lfs; return;
    default: break;
    }
    ++w.scanned;
    w.bytes += blob.content.size();
    const auto path_of = [&](const sources::Introduction* i) {
      return i->path == sources::k_no_path ? std::string_view("") : m_history.path(i->path);
    };
    if (at.size() == 1) {  // the common case
      for (Finding& f : w.scanner->scan(blob.content, path_of(at.front()))) {
        add(w, std::move(f), blob.index, *at.front());
      }
      return;
    }
    std::map<std::string, std::vector<const sources::Introduction*>> by_scope;
    for (const sources::Introduction* i : at) {
      by_scope[w.scanner->path_scope(path_of(i))].push_back(i);
    }
    for (const auto& [scope, group] : by_scope) {
      std::vector<Finding> found = w.scanner->scan(blob.content, path_of(group.front()));
      for (const sources::Introduction* i : group) {
        for (const Finding& f : found) {
          Finding copy = f;
          copy.location.path = std::string(path_of(i));
          add(w, std::move(copy), blob.index, *i);
        }
      }
    }
  }

  std::vector<Worker>& workers() { return m_workers; }

private:
  void add(Worker& w, Finding f, std::size_t blob, const sources::Introduction& i) {
    if (m_session.passes_filters(f)) {
      const bool at_head = i.path != sources::k_no_path && m_history.at_head(m_history.blob(blob), i.path);
      w.hits.add(std::move(f), blob, i, at_head);
    }
  }

  Session& m_session;
  const sources::History& m_history;
  Progress& m_progress;
  std::vector<Worker> m_workers;
};

// git's own `--since` forms, the unambiguous ones: an ISO 8601 date or time
// (UTC unless it has an offset), `@<unix time>`, or `<n> <unit>s ago`.
std::int64_t parse_since(const std::string& text) {
  long long number = 0;
  char unit[16] = {};
  int used = 0;
  if (std::sscanf(text.c_str(), "@%lld%n", &number, &used) == 1 && used == static_cast<int>(text.size())) {
    return number;
  }
  if (std::sscanf(text.c_str(), "%lld %15[a-z] ago%n", &number, unit, &used) == 2 && used == static_cast<int>(text.size())) {
    std::string u(unit);
    if (u.size() > 1 && u.back() == 's') {
      u.pop_back();
    }
    const std::map<std::string, long long> seconds{{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400},
                                                   {"week", 604800}, {"month", 2592000}, {"year", 31536000}};
    if (auto it = seconds.find(u); it != seconds.end()) {
      return static_cast<std::int64_t>(std::time(nullptr)) - number * it->second;
    }
  }
  std::tm tm{};
  int hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) == 3) {
    std::string rest = text.substr(static_cast<std::size_t>(used));
    int more = 0;
    if (!rest.empty() && (rest[0] == 'T' || rest[0] == ' ') &&
        std::sscanf(rest.c_str() + 1, "%2d:%2d%n:%2d%n", &hour, &minute, &more, &second, &more) >= 2) {
      rest = rest.substr(static_cast<std::size_t>(more) + 1);
    }
    int offset = 0;
    if (rest == "Z") {
      rest.clear();
    } else if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
      std::string digits;  // +01, +0100 or +01:00
      for (char c : rest.substr(1)) {
        if (c != ':') {
          digits.push_back(c);
        }
      }
      if ((digits.size() == 2 || digits.size() == 4) && digits.find_first_not_of("0123456789") == std::string::npos) {
        const int minutes = std::stoi(digits.substr(0, 2)) * 60 + (digits.size() == 4 ? std::stoi(digits.substr(2)) : 0);
        offset = (rest[0] == '-' ? -60 : 60) * minutes;
        rest.clear();
      }
    }
    const bool valid = rest.empty() && tm.tm_mon >= 1 && tm.tm_mon <= 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 &&
                       hour < 24 && minute < 60 && second < 61;
    if (valid) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      tm.tm_hour = hour;
      tm.tm_min = minute;
      tm.tm_sec = second;
      return static_cast<std::int64_t>(timegm(&tm)) - offset;
    }
  }
  throw ConfigError(fmt::format("--since '{}': expected a date (2024-01-31, 2024-01-31T09:00:00+01:00), "
                                "@<unix time> or '<n> days ago'", text));
}

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

struct Totals {
  std::size_t scanned = 0, binary = 0, lfs = 0, unreadable = 0;
  std::uint64_t bytes = 0;
  std::vector<std::pair<std::size_t, std::uint64_t>> large;
};

// The end-of-scan summary, on stderr: what was read, skipped and found.
void print_summary(std::ostream& err, const sources::History& history, const Totals& t, const std::vector<Finding>& findings,
                   double seconds, unsigned threads, std::uint64_t max_size) {
  const sources::WalkStats& s = history.stats();
  err << fmt::format("leakstop: history: {} commits{}, {} blobs; {} scanned ({}) in {:.2f} s, {:.1f} MB/s, {} thread{}\n",
                     s.commits, s.tagged_objects ? fmt::format(" and {} tagged objects", s.tagged_objects) : "",
                     history.blob_count(), t.scanned, megabytes(t.bytes), seconds,
                     seconds > 0 ? static_cast<double>(t.bytes) / 1e6 / seconds : 0.0, threads, threads == 1 ? "" : "s");
  err << fmt::format("leakstop: skipped: {} binary, {} Git LFS pointers (their content is on the LFS server), {} over the "
                     "size limit, {} unreadable; not scanned: {} submodule entries, {} symbolic links\n",
                     t.binary, t.lfs, t.large.size(), t.unreadable, s.submodule_entries, s.symlinks);
  std::map<Severity, std::size_t> by_severity;
  std::map<std::string, std::size_t> by_rule;
  for (const Finding& f : findings) {
    ++by_severity[f.severity];
    ++by_rule[f.rule_id];
  }
  std::string severities;
  for (auto it = by_severity.rbegin(); it != by_severity.rend(); ++it) {
    severities += fmt::format("{}{} {}", severities.empty() ? "" : ", ", to_string(it->first), it->second);
  }
  std::string rules;
  for (const auto& [rule, count] : by_rule) {
    rules += fmt::format("{}{} {}", rules.empty() ? "" : ", ", rule, count);
  }
  err << fmt::format("leakstop: findings: {}{}\n", findings.size(),
                     findings.empty() ? "" : fmt::format(" ({}); by rule: {}", severities, rules));
  if (!t.large.empty()) {
    constexpr std::size_t k_listed = 50;
    err << fmt::format("leakstop: not scanned, over the size limit of {} bytes (--max-file-size):\n", max_size);
    for (std::size_t i = 0; i < t.large.size() && i < k_listed; ++i) {
      const auto& [index, size] = t.large[i];
      const sources::Introduction& first = history.introductions(index).front();
      err << fmt::format("  {:>10}  {}  (blob {})\n", megabytes(size),
                         first.path == sources::k_no_path ? "(unreachable)" : history.path(first.path),
                         sources::oid_hex(history.blob(index)).substr(0, 12));
    }
    if (t.large.size() > k_listed) {
      err << fmt::format("  … and {} more\n", t.large.size() - k_listed);
    }
  }
}

} // namespace

int cmd_history(const sources::LibGit2& git, const CommonOptions& options, const HistoryArgs& args,
                std::vector<Finding>* collect) {
  const auto start = std::chrono::steady_clock::now();
  git.ready();
  // A first argument naming a directory is the repository; the rest are revisions.
  std::string repo_path = ".";
  sources::HistoryOptions walk_options;
  walk_options.revisions = args.positional;
  std::error_code ec;
  if (!args.positional.empty() && std::filesystem::is_directory(args.positional.front(), ec)) {
    repo_path = args.positional.front();
    walk_options.revisions.erase(walk_options.revisions.begin());
  }
  const unsigned threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  walk_options.threads = threads;
  walk_options.all_objects = args.all_objects;
  if (!args.since.empty()) {
    walk_options.since = parse_since(args.since);
  }
  sources::Repository repo = sources::open_repository(git, repo_path);
  const char* workdir = git_repository_workdir(repo.get());
  Session session(options, workdir ? std::filesystem::path(workdir) : std::filesystem::path(), report::Context::history);

  Progress progress(std::cerr, Progress::on_terminal());
  std::vector<Diagnostic> diagnostics;
  sources::History history = sources::History::walk(repo.get(), walk_options, diagnostics,
                                                    [&](std::size_t done, std::size_t total) { progress.walked(done, total); });
  if (history.blob_count() == 0 && diagnostics.empty()) {
    progress.finish();
    std::cerr << (history.stats().commits == 0
                    ? (walk_options.revisions.empty() ? "leakstop: note: the repository has no commits: nothing to scan\n"
                                                      : "leakstop: note: no commits in the given range: nothing to scan\n")
                    : "leakstop: note: no blobs to scan\n");
    return static_cast<int>(ExitCode::clean);
  }

  progress.start_blobs(history.blob_count());
  Scan scan(session, history, threads, progress);
  sources::ReadOptions read_options;
  read_options.threads = threads;
  read_options.max_size = session.max_file_size();
  sources::read_history_blobs(repo.get(), history, read_options,
                              [&](unsigned worker, const sources::HistoryBlob& blob) { scan.blob(worker, blob); });
  progress.finish();

  Totals totals;
  HitTable hits;
  for (Worker& w : scan.workers()) {
    hits.merge(std::move(w.hits));
    totals.scanned += w.scanned;
    totals.bytes += w.bytes;
    totals.binary += w.binary;
    totals.lfs += w.lfs;
    totals.large.insert(totals.large.end(), w.large.begin(), w.large.end());
    totals.unreadable += w.errors.size();
    for (auto& [object, problem] : w.errors) {
      diagnostics.push_back({Diagnostic::Kind::error, std::move(object), std::move(problem)});
    }
  }
  // Sorted: the same repository gives the same output whatever the threads did.
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.message) < std::tie(b.path, b.message);
  });
  for (const Diagnostic& d : diagnostics) {
    session.error(d.path, d.message);
  }
  std::sort(totals.large.begin(), totals.large.end());
  std::vector<Finding> findings = std::move(hits).findings(history, repo.get());
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.fingerprint < b.fingerprint; });
  for (Finding& f : findings) {
    session.add(std::move(f));
  }
  if (collect) {
    if (session.write_diagnostics(std::cerr)) {
      throw RepoError("the history scan had errors (see above)");
    }
    *collect = session.findings();
    return static_cast<int>(ExitCode::clean);
  }
  const int rc = session.finish(std::cout, std::cerr);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(std::cerr, history, totals, session.findings(), seconds, threads, session.max_file_size());
  return rc;
}

} // namespace leakstop::cli
