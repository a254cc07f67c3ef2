// The commits of a range, each scanned as what it changed against its first
// parent: what a pre-push hook must check, commit by commit, so that a
// secret added and removed again within the push is still caught.
//
// NOTE: kept apart from the full history scan on purpose (that one visits
// every blob once across all of history); they can share emit_change and
// CommitInfo.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdlib>
#include <ctime>
#include <sstream>

#include "core/error.hpp"
#include "core/dates.hpp"
#include "sources/file_change.hpp"

namespace leakstop::sources {
namespace {

bool is_zero(std::string_view oid) {
  return !oid.empty() && oid.find_first_not_of('0') == std::string_view::npos;
}

CommitInfo info_of(const git_commit* commit) {
  CommitInfo info;
  info.id = oid_hex(*git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  info.author = author && author->name ? author->name : "";
  info.email = author && author->email ? author->email : "";
  info.date = author ? iso8601_with_offset(author->when.time, author->when.offset) : "";
  const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
  info.summary = summary ? summary : "";
  return info;
}

Tree tree_of(const git_commit* commit) {
  git_tree* raw = nullptr;
  check(git_commit_tree(&raw, commit), "cannot read a commit's tree");
  return Tree(raw);
}

Flow scan_commit(git_repository* repo, const git_commit* commit, const CommitOptions& options, const BlobSink& sink) {
  Tree parent_tree;
  if (git_commit_parentcount(commit) == 1) {
    git_commit* raw_parent = nullptr;
    check(git_commit_parent(&raw_parent, commit, 0), "cannot read a parent commit");
    Commit parent(raw_parent);
    parent_tree = tree_of(parent.get());
  }
  Tree tree = tree_of(commit);
  git_diff_options diff_options = GIT_DIFF_OPTIONS_INIT;
  diff_options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  check(git_diff_tree_to_tree(&raw_diff, repo, parent_tree.get(), tree.get(), &diff_options), "cannot diff a commit");
  Diff diff(raw_diff);
  find_renames(diff.get());
  const std::optional<CommitInfo> info = info_of(commit);
  StagedOptions staged;
  staged.max_file_size = options.max_file_size;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* change = git_diff_get_delta(diff.get(), i);
    if (change->status != GIT_DELTA_DELETED && change->status != GIT_DELTA_UNMODIFIED &&
        emit_change(repo, *change, staged, sink, info) == Flow::stop) {
      return Flow::stop;
    }
  }
  return Flow::next;
}

} // namespace

std::vector<CommitRange> parse_pre_push_input(std::istream& in, const std::string& remote) {
  std::vector<CommitRange> ranges;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string local_ref, local_oid, remote_ref, remote_oid;
    if (!(fields >> local_ref >> local_oid >> remote_ref >> remote_oid)) {
      continue;
    }
    if (is_zero(local_oid)) {
      continue;  // a deletion pushes no commit
    }
    CommitRange range;
    range.include.push_back(local_oid);
    if (!is_zero(remote_oid)) {
      range.exclude.push_back(remote_oid);
    }
    // A new branch, or a remote tip we do not have: what the remote already
    // has, as far as we know, is what its tracking refs point to.
    range.exclude_remote = remote;
    ranges.push_back(std::move(range));
  }
  return ranges;
}

void enumerate_commits(git_repository* repo, const std::vector<CommitRange>& ranges, const CommitOptions& options,
                       const BlobSink& sink) {
  git_revwalk* raw_walk = nullptr;
  check(git_revwalk_new(&raw_walk, repo), "cannot walk commits");
  Revwalk walk(raw_walk);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE), "cannot sort commits");
  bool any = false;
  for (const CommitRange& range : ranges) {
    for (const std::string& spec : range.include) {
      git_oid oid = resolve_commit(repo, spec);
      check(git_revwalk_push(walk.get(), &oid), "cannot walk " + spec);
      any = true;
    }
    for (const std::string& spec : range.exclude) {
      // An excluded tip we do not have (someone else pushed it) excludes
      // nothing; the remote's tracking refs still do.
      git_object* raw = nullptr;
      if (git_revparse_single(&raw, repo, spec.c_str()) == 0) {
        Object object(raw);
        git_object* peeled = nullptr;
        if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) == 0) {
          Object commit(peeled);
          check(git_revwalk_hide(walk.get(), git_object_id(commit.get())), "cannot exclude " + spec);
        }
      }
    }
    if (!range.exclude_remote.empty()) {
      std::string glob = fmt::format("refs/remotes/{}/*", range.exclude_remote);
      int rc = git_revwalk_hide_glob(walk.get(), glob.c_str());
      if (rc < 0 && rc != GIT_ENOTFOUND) {
        check(rc, "cannot exclude " + glob);
      }
    }
  }
  if (!any) {
    return;
  }
  git_oid oid{};
  while (git_revwalk_next(&oid, walk.get()) == 0) {
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo, &oid), "cannot read commit " + oid_hex(oid));
    Commit commit(raw);
    // A merge's changes came with the commits it merges, which are walked
    // themselves (git log -p shows no diff for merges either).
    if (git_commit_parentcount(commit.get()) <= 1) {
      if (scan_commit(repo, commit.get(), options, sink) == Flow::stop) {
        return;
      }
    }
  }
}

} // namespace leakstop::sources
