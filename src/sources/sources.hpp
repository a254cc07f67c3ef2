#pragma once
// Where bytes come from: the git index, files on disk, stdin. Sources know
// nothing of rules or matching (as in ripgrep, enumeration and matching meet
// only in the cli); they hand each blob to a BlobSink and move on.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/git.hpp"

namespace leakstop::sources {

// Why a blob's content was not read.
enum class Skip { none, binary, too_large, submodule, symlink, unreadable, lfs_pointer };

enum class Change { added, modified, renamed, copied, type_changed };

struct LineRange {
  std::uint32_t first;  // 1-based, inclusive
  std::uint32_t last;
};

struct SourceBlob {
  std::string path;          // repository-relative, '/'-separated (or as given on the command line)
  std::string old_path;      // staged renames and copies: where it came from
  Change change = Change::added;
  std::string_view content;  // valid only during the sink call; empty when skipped
  std::uint64_t size = 0;
  Skip skip = Skip::none;
  std::string skip_reason;   // with Skip::unreadable
  // Staged changes to an existing file: the lines the commit adds. A finding
  // counts only if it touches one. Empty with whole_file: every line counts.
  std::vector<LineRange> added_lines;
  bool whole_file = true;
};

using BlobSink = std::function<void(const SourceBlob&)>;

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

// The staged version of each named path, in full (pre-commit framework runs).
void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            const BlobSink& sink);

struct WorktreeOptions {
  std::uint64_t max_file_size = 10 * 1024 * 1024;
};

// Files and directories on disk. Inside a git work tree, paths git ignores
// are skipped, and `.git` directories always are. Symbolic links are not
// followed. "-" reads standard input.
void enumerate_paths(const LibGit2& libgit2, const std::vector<std::string>& paths, const WorktreeOptions& options, const BlobSink& sink);

} // namespace leakstop::sources
