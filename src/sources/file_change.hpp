#pragma once
// Internal to leakstop_sources: what the staged scan and the commit scan
// share, a file change (libgit2's diff "delta"; our own "delta" is the
// pack kind only) turned into a SourceBlob.

#include <optional>

#include "sources/sources.hpp"

namespace leakstop::sources {

// Reads the new side of `change` and hands it to `sink`: skipped (with the
// reason) when it is a submodule, a symbolic link, binary or too large;
// empty for a pure rename; with the old side as previous_content for a
// change to an existing file. `commit` is copied into the blob.
// Returns what the sink said.
Flow emit_change(git_repository* repo, const git_diff_delta& change, const StagedOptions& options, const BlobSink& sink,
                 const std::optional<CommitInfo>& commit);

// Pairs deletions and additions in `diff` into renames, as `git diff` does
// by default (copies stay additions: new text, scanned in full).
void find_renames(git_diff* diff);

} // namespace leakstop::sources
