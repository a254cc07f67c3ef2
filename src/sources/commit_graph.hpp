#pragma once
// Which commits a history scan covers, parents before children. Internal
// to leakstop_sources.
//
// libgit2 1.5's revwalk stops with an error at the edge of a shallow clone
// (it tries to load the parents git did not fetch), so the selection is done
// here, the way `git rev-list` does it: commits are loaded newest first from
// a queue; a commit reached from a hidden revision (`^A`, the A of `A..B`)
// or older than --since is uninteresting and so are its ancestors; the walk
// ends when only uninteresting commits are left in the queue. Commits listed
// in .git/shallow are roots.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "sources/history.hpp"
#include "sources/pack.hpp"

namespace leakstop::sources {

// A tree or blob that a ref points at directly (`git tag v1 HEAD^{tree}`):
// it has no commit, so the tag stands in for one.
struct TaggedObject {
  std::string ref;       // refs/tags/v1
  git_oid target{};      // the tree or blob
  git_object_t type = GIT_OBJECT_TREE;
  git_oid tag{};         // the annotated tag object, or zero for a lightweight tag
};

struct SelectedCommit {
  git_oid id{};
  git_oid tree{};
  std::vector<git_oid> parent_trees;  // trees of the parents that exist (all of them, in or out of the range)
};

struct CommitSelection {
  std::vector<SelectedCommit> commits;  // parents before children, older before newer
  std::vector<TaggedObject> tagged;
};

// Resolves `options.revisions` (or every ref and HEAD) and selects the
// commits to scan. A revision that does not resolve is a ConfigError; a
// missing commit or broken ref becomes a diagnostic and the walk goes on.
// Commits are read straight from `packs` where they are there.
CommitSelection select_commits(git_repository* repo, std::shared_ptr<const PackSet> packs, const HistoryOptions& options,
                               std::vector<Diagnostic>& diagnostics);

} // namespace leakstop::sources
