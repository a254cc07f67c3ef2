#pragma once
// Internal to leakstop_sources: what the staged scan and the commit scan
// share, a change (diff delta) turned into a SourceBlob.

#include <optional>

#include "sources/sources.hpp"

namespace leakstop::sources {

// Reads the new side of `delta` and hands it to `sink`: skipped (with the
// reason) when it is a submodule, a symbolic link, binary or too large;
// empty for a pure rename; with the old side as previous_content for a
// change to an existing file. `commit` is copied into the blob.
void emit_delta(git_repository* repo, const git_diff_delta& delta, const StagedOptions& options, const BlobSink& sink,
                const std::optional<CommitInfo>& commit);

// Pairs deletions and additions in `diff` into renames, as `git diff` does
// by default (copies stay additions: new text, scanned in full).
void find_renames(git_diff* diff);

} // namespace leakstop::sources
