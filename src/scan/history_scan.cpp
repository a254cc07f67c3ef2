#include "scan/history_scan.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <tuple>

#include "scan/history_findings.hpp"

namespace leakstop::scan {
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
  std::vector<std::pair<std::size_t, std::size_t>> undecoded;  // blob index, offset
  std::vector<std::string> scanned_ids;  // hex ids of the blobs whose content was judged
  std::vector<BlobSecret> blob_secrets;
};

class BlobScan {
public:
  BlobScan(const Pipeline& pipeline, const sources::History& history, unsigned threads, HistoryProgress& progress)
    : m_pipeline(pipeline), m_history(history), m_progress(progress), m_workers(threads) {
    for (Worker& w : m_workers) {
      w.scanner = pipeline.make_scanner();
    }
  }

  // Runs on reading thread `worker`: path rules at every path the blob had,
  // content rules once per group of paths the rules treat alike.
  sources::Flow blob(unsigned worker, const sources::HistoryBlob& blob) {
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
    // Binary files and LFS pointers are judged by their content alone, so
    // they count as scanned; an unreadable or too large blob must be tried
    // again (the size limit is an option).
    if (blob.skip != sources::Skip::unreadable && blob.skip != sources::Skip::too_large) {
      w.scanned_ids.push_back(sources::oid_hex(m_history.blob(blob.index)));
    }
    switch (blob.skip) {
    case sources::Skip::unreadable:
      w.errors.emplace_back(sources::oid_hex(m_history.blob(blob.index)), blob.skip_reason);
      return sources::Flow::next;
    case sources::Skip::too_large: w.large.emplace_back(blob.index, blob.size); return sources::Flow::next;
    case sources::Skip::binary: ++w.binary; return sources::Flow::next;
    case sources::Skip::lfs_pointer: ++w.lfs; return sources::Flow::next;
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
      note_undecoded(w, blob.index);
      return sources::Flow::next;
    }
    std::map<std::string, std::vector<const sources::Introduction*>> by_scope;
    for (const sources::Introduction* i : at) {
      by_scope[w.scanner->path_scope(path_of(i))].push_back(i);
    }
    for (const auto& [scope, group] : by_scope) {
      std::vector<Finding> found = w.scanner->scan(blob.content, path_of(group.front()));
      note_undecoded(w, blob.index);
      for (const sources::Introduction* i : group) {
        for (const Finding& f : found) {
          Finding copy = f;
          copy.location.path = std::string(path_of(i));
          add(w, std::move(copy), blob.index, *i);
        }
      }
    }
    return sources::Flow::next;
  }

  std::vector<Worker>& workers() { return m_workers; }

private:
  static void note_undecoded(Worker& w, std::size_t blob) {
    if (std::optional<std::size_t> stop = w.scanner->decode_stopped_at()) {
      if (w.undecoded.empty() || w.undecoded.back().first != blob) {
        w.undecoded.emplace_back(blob, *stop);
      }
    }
  }

  void add(Worker& w, Finding f, std::size_t blob, const sources::Introduction& i) {
    if (m_pipeline.passes_filters(f)) {
      if (!f.path_rule) {
        w.blob_secrets.push_back({sources::oid_hex(m_history.blob(blob)), f.fingerprint, f.rule_id, f.severity,
                                  f.location.line});
      }
      const bool at_head = i.path != sources::k_no_path && m_history.at_head(m_history.blob(blob), i.path);
      w.hits.add(std::move(f), blob, i, at_head);
    }
  }

  const Pipeline& m_pipeline;
  const sources::History& m_history;
  HistoryProgress& m_progress;
  std::vector<Worker> m_workers;
};

// The known secrets of the blobs `wanted` declined, found again at every
// path this repository has them (the rules' path allowlists apply; the
// blob is not read, so nothing that needs its content does).
std::vector<Finding> known_findings(const sources::History& history, git_repository* repo, const Pipeline& pipeline,
                                    const HistoryRequest& request, const std::vector<git_oid>& declined) {
  HitTable hits;
  std::unique_ptr<engine::Scanner> scanner = pipeline.make_scanner();
  for (const git_oid& id : declined) {
    const std::vector<BlobSecret> secrets = request.known_secrets(id);
    if (secrets.empty()) {
      continue;
    }
    // Blob indexes follow object ids.
    std::size_t lo = 0, hi = history.blob_count();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (git_oid_cmp(&history.blob(mid), &id) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == history.blob_count() || git_oid_cmp(&history.blob(lo), &id) != 0) {
      continue;
    }
    for (const sources::Introduction& i : history.introductions(lo)) {
      if (i.path == sources::k_no_path || scanner->path_allowlisted(history.path(i.path))) {
        continue;
      }
      for (const BlobSecret& secret : secrets) {
        Finding f;
        f.fingerprint = secret.fingerprint;
        f.rule_id = secret.rule_id;
        f.severity = secret.severity;
        f.location.line = secret.line;
        hits.add(std::move(f), lo, i, history.at_head(id, i.path));
      }
    }
  }
  return std::move(hits).findings(names_of(history, repo));
}

std::string why_nothing(const sources::History& history, const HistoryRequest& request) {
  if (history.stats().commits == 0) {
    return request.revisions.empty() ? "the repository has no commits: nothing to scan"
                                     : "no commits in the given range: nothing to scan";
  }
  return "no blobs to scan";
}

} // namespace

HistoryResult scan_history(const sources::LibGit2& git, const ScanOptions& options, const HistoryRequest& request,
                           HistoryProgress& progress) {
  git.ready();
  const unsigned threads = std::max(1u, request.threads);
  sources::HistoryOptions walk_options;
  walk_options.revisions = request.revisions;
  walk_options.threads = threads;
  walk_options.all_objects = request.all_objects;
  walk_options.since = request.since;
  sources::Repository repo = sources::open_repository(git, request.repo_path);
  const char* workdir = git_repository_workdir(repo.get());
  Pipeline pipeline(options, workdir ? std::filesystem::path(workdir) : std::filesystem::path());

  HistoryResult result;
  std::vector<Diagnostic> diagnostics;
  sources::History history = sources::History::walk(repo.get(), walk_options, diagnostics,
                                                    [&](std::size_t done, std::size_t total) { progress.walked(done, total); });
  result.totals.walk = history.stats();
  result.totals.blobs = history.blob_count();
  result.totals.threads = threads;
  result.totals.max_file_size = pipeline.max_file_size();
  if (history.blob_count() == 0 && diagnostics.empty()) {
    progress.finish();
    result.nothing_to_scan = why_nothing(history, request);
    result.scan = std::move(pipeline).finish();
    return result;
  }

  progress.start_blobs(history.blob_count());
  BlobScan scan(pipeline, history, threads, progress);
  sources::ReadOptions read_options;
  read_options.threads = threads;
  read_options.max_size = pipeline.max_file_size();
  std::vector<git_oid> declined;  // wanted() is asked on this thread only
  if (request.wanted) {
    read_options.wanted = [&](const git_oid& id) {
      const bool wanted = request.wanted(id);
      if (!wanted && request.known_secrets) {
        declined.push_back(id);
      }
      return wanted;
    };
  }
  sources::read_history_blobs(repo.get(), history, read_options,
                              [&](unsigned worker, const sources::HistoryBlob& blob) { return scan.blob(worker, blob); });
  progress.finish();

  HistoryTotals& totals = result.totals;
  HitTable hits;
  std::vector<std::pair<std::size_t, std::uint64_t>> large;
  for (Worker& w : scan.workers()) {
    hits.merge(std::move(w.hits));
    totals.scanned += w.scanned;
    totals.bytes += w.bytes;
    totals.binary += w.binary;
    totals.lfs += w.lfs;
    large.insert(large.end(), w.large.begin(), w.large.end());
    result.scanned_blob_ids.insert(result.scanned_blob_ids.end(), std::make_move_iterator(w.scanned_ids.begin()),
                                   std::make_move_iterator(w.scanned_ids.end()));
    result.blob_secrets.insert(result.blob_secrets.end(), std::make_move_iterator(w.blob_secrets.begin()),
                               std::make_move_iterator(w.blob_secrets.end()));
    totals.unreadable += w.errors.size();
    for (auto& [object, problem] : w.errors) {
      diagnostics.push_back({Diagnostic::Kind::error, std::move(object), std::move(problem)});
    }
    for (const auto& [index, offset] : w.undecoded) {
      const sources::Introduction& first = history.introductions(index).front();
      const std::string where = first.path == sources::k_no_path ? sources::oid_hex(history.blob(index))
                                                                 : std::string(history.path(first.path));
      diagnostics.push_back({Diagnostic::Kind::skipped_other, where, decode_stop_message(offset)});
    }
  }
  // Sorted: the same repository gives the same output whatever the threads did.
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.message) < std::tie(b.path, b.message);
  });
  for (Diagnostic& d : diagnostics) {
    pipeline.diagnose(std::move(d));
  }
  std::sort(large.begin(), large.end());
  for (const auto& [index, size] : large) {
    const sources::Introduction& first = history.introductions(index).front();
    totals.large.push_back({size, first.path == sources::k_no_path ? "" : std::string(history.path(first.path)),
                            sources::oid_hex(history.blob(index))});
  }
  std::sort(result.blob_secrets.begin(), result.blob_secrets.end());
  result.blob_secrets.erase(std::unique(result.blob_secrets.begin(), result.blob_secrets.end()), result.blob_secrets.end());
  if (!declined.empty()) {
    result.known_findings = known_findings(history, repo.get(), pipeline, request, declined);
  }
  std::vector<Finding> findings = std::move(hits).findings(names_of(history, repo.get()));
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.fingerprint < b.fingerprint; });
  for (Finding& f : findings) {
    pipeline.add(std::move(f));
  }
  result.scan = std::move(pipeline).finish();
  return result;
}

} // namespace leakstop::scan
