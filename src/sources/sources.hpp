#pragma once
// Where bytes come from: the git index, files on disk, stdin. Sources know
// nothing of rules or matching (as in ripgrep, enumeration and matching meet
// only in the cli); they hand each blob to a BlobSink and move on.

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/types.hpp"
#include "sources/git.hpp"

namespace leakstop::sources {

// Why a blob's content was not read.
enum class Skip { none, binary, too_large, submodule, symlink, unreadable, lfs_pointer };

enum class Change { added, modified, renamed, copied, type_changed };

struct SourceBlob {
  std::string path;          // repository-relative, '/'-separated (or as given on the command line)
  std::string old_path;      // staged renames and copies: where it came from
  Change change = Change::added;
  std::string_view content;  // valid only during the sink call; empty when skipped
  std::uint64_t size = 0;
  Skip skip = Skip::none;
  std::string skip_reason;   // with Skip::unreadable
  // A change to an existing file (or a rename with edits): the earlier
  // version, read only when called, valid during the sink call. A secret
  // already in it is not new. Empty for new files: all of it is new.
  //
  // NOTE: this replaces a line diff of every modified file. Most commits hold
  // no finding, so most runs never read the earlier blobs at all (~3 ms of a
  // 10-file commit in bench/precommit.sh); and a secret that merely moves or
  // is reformatted within the file is, rightly, not reported as new.
  std::function<std::string_view()> previous_content;
  // Commit scans: the commit whose change this is.
  std::optional<CommitInfo> commit;
};

// What a sink tells its source after each blob.
enum class Flow { next, stop };

// Receives each blob of a source, on the source's thread. Made from any
// callable taking a SourceBlob: one that returns Flow can stop the source
// (which then returns at once); one that returns nothing means Flow::next.
// A sink reports an error by throwing: the source stops and the exception
// reaches the source's caller.
//
// Thread-safety: called by one thread at a time.
class BlobSink {
public:
  template <typename F>
    requires std::is_invocable_v<F&, const SourceBlob&>
  BlobSink(F f) {  // NOLINT(google-explicit-constructor): any callable is a sink
    if constexpr (std::is_same_v<std::invoke_result_t<F&, const SourceBlob&>, Flow>) {
      m_take = std::move(f);
    } else {
      m_take = [f = std::move(f)](const SourceBlob& blob) mutable {
        f(blob);
        return Flow::next;
      };
    }
  }

  Flow operator()(const SourceBlob& blob) const { return m_take(blob); }

private:
  std::function<Flow(const SourceBlob&)> m_take;
};

// Receives blobs on several threads at once, as a history read does:
// `worker` is in [0, threads) and calls with the same worker never overlap
// (each worker can own a scanner; worker 0 is the calling thread); `order`
// is the blob's place in the order the one-thread source hands blobs over,
// so that the caller can put what it finds back in that order. Flow::stop
// ends the source early (blobs in flight still arrive); an exception stops
// every worker and reaches the source's caller.
using OrderedBlobSink = std::function<Flow(unsigned worker, std::size_t order, const SourceBlob&)>;

// NOTE: git itself treats a NUL in the first 8000 bytes as binary.
bool looks_binary(std::string_view content);

struct StagedOptions {
  std::uint64_t max_file_size = 10 * 1024 * 1024;
};

// Every file the next commit would add or change relative to HEAD (all of
// the index when there is no HEAD yet), read from the index and object
// database only: the working tree is never read. Renames are detected (a
// pure rename adds nothing); a copy is scanned in full, as new text; deletions
// are not reported. Read-only: the index is not written.
void enumerate_staged(git_repository* repo, const StagedOptions& options, const BlobSink& sink);

// enumerate_staged in two steps, so the first (index and trees only, no
// blob) can run while the caller does something else.
struct StagedChanges {
  Diff diff;
};
StagedChanges list_staged_changes(git_repository* repo);
void read_staged_changes(git_repository* repo, const StagedChanges& changes, const StagedOptions& options,
                         const BlobSink& sink);
// The same on up to `threads` threads, each with its own repository handle,
// fewer for a small change (see staged.cpp).
void read_staged_changes(git_repository* repo, const StagedChanges& changes, const StagedOptions& options,
                         unsigned threads, const OrderedBlobSink& sink);

// The staged version of each named path, in full (pre-commit framework runs).
void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            const BlobSink& sink);
void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            unsigned threads, const OrderedBlobSink& sink);

// A set of commits as `git rev-list` takes it: those reachable from
// `include`, and not from `exclude` nor from refs/remotes/<exclude_remote>/*.
struct CommitRange {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string exclude_remote;
};

struct CommitOptions {
  std::uint64_t max_file_size = 10 * 1024 * 1024;
};

// What git hands a pre-push hook on stdin ("<local ref> <local oid> <remote
// ref> <remote oid>" per line) as the ranges being pushed to `remote`.
std::vector<CommitRange> parse_pre_push_input(std::istream& in, const std::string& remote);

// Every non-merge commit of `ranges`, oldest first, as what it changed
// against its parent (the whole tree for a root commit), each change as
// the staged scan sees one: new files whole, changed files with the
// parent's version as previous_content, deletions not at all. Every blob
// carries its commit. Throws ConfigError naming a revision that does not
// resolve.
void enumerate_commits(git_repository* repo, const std::vector<CommitRange>& ranges, const CommitOptions& options,
                       const BlobSink& sink);

struct WorktreeOptions {
  std::uint64_t max_file_size = 10 * 1024 * 1024;
};

// Files and directories on disk. Inside a git work tree, paths git ignores
// are skipped, and `.git` directories always are. Symbolic links are not
// followed. "-" reads standard input.
void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options, const BlobSink& sink);
// The same on up to `threads` threads: the directories are walked first, on
// the calling thread (which hands over what needs no reading: stdin, and
// what cannot be walked), then the files are read and handed over by every
// thread at once.
void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options,
                     unsigned threads, const OrderedBlobSink& sink);

struct CorpusOptions {
  std::uint64_t max_bytes = 512'000'000;  // stop after this much text
  std::uint64_t max_file_size = 10 * 1024 * 1024;
};

struct CorpusStats {
  std::uint64_t files = 0;  // handed to the sink, binary and skipped ones included
  std::uint64_t text_files = 0;
  std::uint64_t text_bytes = 0;
  bool complete = true;  // false when max_bytes stopped the walk early
};

// A body of text for measuring how noisy rules are: every regular file
// under `roots` (symbolic links not followed, nothing ignored), in an order
// fixed by a hash of each path, so that a size limit takes an even sample
// of the whole tree and the same one on every run. Binary files come with
// Skip::binary (path rules still apply to them). Throws ConfigError when a
// root is not a directory.
CorpusStats enumerate_corpus(const std::vector<std::string>& roots, const CorpusOptions& options, const BlobSink& sink);

} // namespace leakstop::sources
