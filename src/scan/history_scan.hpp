#pragma once
// The history scan as a library call: every blob of a repository's history
// read once, on every core, each secret tied to the commit that brought it
// in (see sources/history.hpp for the walk and the read, and
// history_findings.hpp for the grouping). Nothing is printed.
//
// Thread-safety: scan_history() may run concurrently on different
// repositories; it uses `threads` threads of its own.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/blob_secret.hpp"
#include "scan/pipeline.hpp"
#include "sources/history.hpp"

namespace leakstop::scan {

// Told how a history scan advances. walked() and blob_done() are called
// from every reading thread at once.
class HistoryProgress {
public:
  virtual ~HistoryProgress() = default;
  virtual void walked(std::size_t /*done*/, std::size_t /*total*/) {}
  virtual void start_blobs(std::size_t /*total*/) {}
  virtual void blob_done(std::uint64_t /*bytes*/) {}
  virtual void finish() {}
};

struct HistoryRequest {
  std::string repo_path = ".";
  std::vector<std::string> revisions;  // empty: every ref
  unsigned threads = 1;
  bool all_objects = false;
  std::optional<std::int64_t> since;   // only commits since this unix time
  // Asked before a blob is read: false skips it unread (see ReadOptions).
  std::function<bool(const git_oid&)> wanted;
  // Asked, after the read, for each blob `wanted` declined: the secrets a
  // store knows in it (from reading it earlier, here or in another
  // repository). They come back as HistoryResult::known_findings, located
  // at this repository's paths and commits, the blob still unread.
  std::function<std::vector<BlobSecret>(const git_oid&)> known_secrets;
};

struct LargeBlob {
  std::uint64_t size = 0;
  std::string path;  // where it first came in, or empty when unreachable
  std::string blob_id;
};

struct HistoryTotals {
  sources::WalkStats walk;
  std::size_t blobs = 0;  // distinct blobs in the walked history
  std::size_t scanned = 0, binary = 0, lfs = 0, unreadable = 0;
  std::uint64_t bytes = 0;
  std::vector<LargeBlob> large;  // over the size limit, by blob index
  std::uint64_t max_file_size = 0;
  unsigned threads = 1;
};

struct HistoryResult {
  ScanResult scan;       // one finding per secret, sorted by fingerprint
  HistoryTotals totals;
  std::string nothing_to_scan;  // when not empty: why there was nothing to scan
  // Hex ids of the blobs whose content was judged (read, or found binary or
  // an LFS pointer): what a store may mark as scanned. Not the unreadable
  // ones, nor those over the size limit. In no particular order.
  std::vector<std::string> scanned_blob_ids;
  // Each content finding's secret in each blob read (whatever its path),
  // once: what a store keeps to answer known_secrets later. Sorted.
  std::vector<BlobSecret> blob_secrets;
  // The declined blobs' known secrets where this repository has those
  // blobs (not at paths the rules allowlist): one finding per secret, as in
  // `scan`, but with no secret value (only the fingerprint, rule and where).
  std::vector<Finding> known_findings;
};

HistoryResult scan_history(const sources::LibGit2& git, const ScanOptions& options, const HistoryRequest& request,
                           HistoryProgress& progress);

} // namespace leakstop::scan
