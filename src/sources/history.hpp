#pragma once
// A repository's history as blobs to scan, each read once, each tied to the
// commits that introduced it.
//
// Two passes. The walk (History::walk) selects the commits and compares each
// commit's tree with its parents' trees, tree objects only, skipping every
// subtree a parent shares: a (blob, path) pair no parent has at that path was
// introduced by that commit. A merge introduces only what none of its
// parents had (a conflict resolution); a root or shallow-boundary commit
// introduces its whole tree. The earliest commit, parents before children,
// wins. The bookkeeping is compact: an interned path and 28 bytes per
// (blob, path) pair.
//
// The read (read_history_blobs) then visits each distinct blob exactly once,
// in pack order, on N threads (pack.hpp says how), and loose objects through
// libgit2 afterwards. Content lives only for the duration of the sink call.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"
#include "sources/sources.hpp"

namespace leakstop::sources {

struct HistoryOptions {
  std::vector<std::string> revisions;  // empty: every ref and HEAD; else `A..B`, `A...B`, `^A`, `B`
  std::optional<std::int64_t> since;   // Unix time: commits committed earlier are left out, with their ancestors
  bool all_objects = false;            // also every blob no commit reaches (unreachable, dangling)
  unsigned threads = 1;                // commits are compared with their parents in parallel
};

struct PackSet;
class Recorder;

// A (blob, path) pair and the earliest commit that introduced it.
struct Introduction {
  git_oid blob;
  std::uint32_t path;    // History::path(); k_no_path for a blob no commit reaches
  std::uint32_t commit;  // position in walk order; k_no_commit for a blob no commit reaches
};
inline constexpr std::uint32_t k_no_path = UINT32_MAX;
inline constexpr std::uint32_t k_no_commit = UINT32_MAX;

struct WalkStats {
  std::size_t commits = 0;            // commits walked
  std::size_t tagged_objects = 0;     // trees and blobs a tag points at directly
  std::size_t submodule_entries = 0;  // gitlinks met in introduced changes (not scanned)
  std::size_t symlinks = 0;           // symbolic links met in introduced changes (not scanned)
};

// Thread-safety: immutable after walk(); const methods may be called from
// every reading thread, but describe(), which uses `repo` (one thread).
class History {
public:
  // Selects the commits (see commit_graph.hpp) and records what each one
  // introduced. Throws ConfigError for a revision that does not resolve;
  // an unreadable commit or tree becomes a diagnostic and the walk goes on.
  // `on_commit` is called every few hundred commits with (done, total),
  // from any of the walking threads.
  static History walk(git_repository* repo, const HistoryOptions& options, std::vector<Diagnostic>& diagnostics,
                      const std::function<void(std::size_t, std::size_t)>& on_commit = {});

  // Distinct blobs, in object id order.
  std::size_t blob_count() const { return m_blob_first.size(); }
  const git_oid& blob(std::size_t index) const { return m_introductions[m_blob_first[index]].blob; }
  // Where blob `index` was introduced: one entry per path, sorted by path.
  std::span<const Introduction> introductions(std::size_t index) const;
  // Paths are numbered in byte order.
  std::string_view path(std::uint32_t path) const { return m_paths[path]; }

  // True when HEAD's tree has `blob` at `path`.
  bool at_head(const git_oid& blob, std::uint32_t path) const;

  // Who made the commit at walk position `commit`, when, and why.
  CommitInfo describe(git_repository* repo, std::uint32_t commit) const;

  const WalkStats& stats() const { return m_stats; }

  // The packs the walk read, opened once for the blob reader too.
  const std::shared_ptr<const PackSet>& packs() const { return m_packs; }

private:
  void merge(std::vector<std::unique_ptr<Recorder>>& recorders, std::vector<Diagnostic>& diagnostics);
  void index();

  struct Source {
    git_oid id;               // the commit, or the tag (or its target for a lightweight tag)
    std::string tagged_ref;   // empty for a commit
  };
  std::vector<Introduction> m_introductions;  // sorted by (blob, path)
  std::vector<std::uint32_t> m_blob_first;    // first introduction of each distinct blob
  std::vector<std::string> m_paths;           // sorted
  std::unordered_map<std::uint32_t, git_oid> m_head;  // path -> blob at HEAD (paths seen in the walk only)
  std::vector<Source> m_sources;                      // walk position -> commit or tag
  WalkStats m_stats;
  std::shared_ptr<const PackSet> m_packs;
};

struct ReadOptions {
  unsigned threads = 1;
  std::uint64_t max_size = 10 * 1024 * 1024;  // larger blobs are not read, only reported
  // Asked once per blob, before anything is read; a blob it declines is
  // neither read nor handed to the sink (an organisation scan's store
  // declines blobs it has scanned with the same rules). Called on the
  // calling thread only.
  std::function<bool(const git_oid&)> wanted;
};

struct HistoryBlob {
  std::size_t index = 0;     // into History
  std::string_view content;  // valid only during the sink call; empty when skipped
  std::uint64_t size = 0;
  Skip skip = Skip::none;    // binary, too_large, lfs_pointer, unreadable
  std::string skip_reason;   // with Skip::unreadable: names the object and the problem
};

// Called on the reading threads; `worker` is in [0, threads), and calls
// with the same worker never overlap, so each worker can own a scanner.
// Called on reading thread `worker` (0 .. threads-1), concurrently for
// different workers; Flow::stop ends the read early (blobs in flight still
// arrive). An exception stops every worker and reaches the caller.
using HistoryBlobSink = std::function<Flow(unsigned worker, const HistoryBlob&)>;

// Hands every blob of `history` to `sink` exactly once, on `options.threads`
// threads, each with its own repository handle. A missing or corrupt object
// is handed over as Skip::unreadable, and reading goes on.
void read_history_blobs(git_repository* repo, const History& history, const ReadOptions& options,
                        const HistoryBlobSink& sink);

// A Git LFS pointer file: the content is on the LFS server, not in git.
bool is_lfs_pointer(std::string_view content);

} // namespace leakstop::sources
