#include <fmt/format.h>

#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "sources/delta.hpp"

namespace leakstop::sources {
namespace {

// The tree of HEAD, or null before the first commit (an unborn branch).
// A HEAD that names a commit which cannot be read is an error: taking it
// for an unborn branch would scan every tracked file as new.
Tree head_tree(git_repository* repo) {
  if (git_repository_head_unborn(repo) == 1) {
    return nullptr;
  }
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo, "HEAD^{tree}");
  Object object(raw);
  check(rc, "cannot read HEAD");
  git_tree* tree = nullptr;
  check(git_object_peel(reinterpret_cast<git_object**>(&tree), object.get(), GIT_OBJECT_TREE), "cannot read HEAD tree");
  return Tree(tree);
}

Index repository_index(git_repository* repo) {
  git_index* raw = nullptr;
  check(git_repository_index(&raw, repo), "cannot read the index");
  return Index(raw);
}

Change change_of(git_delta_t status) {
  switch (status) {
  case GIT_DELTA_MODIFIED: return Change::modified;
  case GIT_DELTA_RENAMED: return Change::renamed;
  case GIT_DELTA_COPIED: return Change::copied;
  case GIT_DELTA_TYPECHANGE: return Change::type_changed;
  default: return Change::added;
  }
}

Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& path) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), fmt::format("{}: cannot read staged blob {}", path, oid_hex(id)));
  return Blob(raw);
}

std::uint64_t object_size(git_repository* repo, const git_oid& id, const std::string& path) {
  git_odb* raw_odb = nullptr;
  check(git_repository_odb(&raw_odb, repo), "cannot open object database");
  Odb odb(raw_odb);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  check(git_odb_read_header(&size, &type, odb.get(), &id), fmt::format("{}: cannot read staged blob {}", path, oid_hex(id)));
  return size;
}

} // namespace

void emit_delta(git_repository* repo, const git_diff_delta& delta, const StagedOptions& options, const BlobSink& sink,
                const std::optional<CommitInfo>& commit) {
  SourceBlob blob;
  blob.commit = commit;
  blob.path = delta.new_file.path;
  blob.change = change_of(delta.status);
  if (delta.status == GIT_DELTA_RENAMED || delta.status == GIT_DELTA_COPIED) {
    blob.old_path = delta.old_file.path;
  }
  if (delta.new_file.mode == GIT_FILEMODE_COMMIT) {
    blob.skip = Skip::submodule;
    sink(blob);
    return;
  }
  if (delta.new_file.mode == GIT_FILEMODE_LINK) {
    blob.skip = Skip::symlink;
    sink(blob);
    return;
  }
  // The index records each file's size: trust it to skip the object
  // header read, except where it is unknown (0) or may differ from the
  // blob's (clean filters, CRLF conversion) near the limit.
  blob.size = delta.new_file.size;
  if (blob.size == 0 || blob.size > options.max_file_size / 2) {
    blob.size = object_size(repo, delta.new_file.id, blob.path);
  }
  if (blob.size > options.max_file_size) {
    blob.skip = Skip::too_large;
    sink(blob);
    return;
  }
  Blob new_blob = lookup_blob(repo, delta.new_file.id, blob.path);
  blob.content = std::string_view(static_cast<const char*>(git_blob_rawcontent(new_blob.get())),
                                  static_cast<std::size_t>(git_blob_rawsize(new_blob.get())));
  if (looks_binary(blob.content)) {
    blob.skip = Skip::binary;
    blob.content = {};
    sink(blob);
    return;
  }
  const bool has_old = delta.status == GIT_DELTA_MODIFIED || delta.status == GIT_DELTA_RENAMED;
  if (has_old && git_oid_equal(&delta.old_file.id, &delta.new_file.id)) {
    blob.content = {};  // a pure rename adds nothing to scan
  } else if (has_old && delta.old_file.mode != GIT_FILEMODE_COMMIT && delta.old_file.mode != GIT_FILEMODE_LINK) {
    // Everything the reader needs is captured by value: the sink may call
    // it after this function has returned (it once captured a local blob
    // by reference: a use-after-scope whenever a modified file had a finding).
    auto old_blob = std::make_shared<Blob>();
    blob.previous_content = [repo, old_blob, id = delta.old_file.id,
                             path = std::string(delta.old_file.path)]() -> std::string_view {
      if (!*old_blob) {
        *old_blob = lookup_blob(repo, id, path);
      }
      return {static_cast<const char*>(git_blob_rawcontent(old_blob->get())),
              static_cast<std::size_t>(git_blob_rawsize(old_blob->get()))};
    };
  }
  sink(blob);
}

// A rename needs an added file and a deleted one to pair it with; without
// both, skip the (costly) similarity search.
static bool may_hold_renames(git_diff* diff) {
  bool added = false;
  bool deleted = false;
  for (std::size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    git_delta_t status = git_diff_get_delta(diff, i)->status;
    added = added || status == GIT_DELTA_ADDED;
    deleted = deleted || status == GIT_DELTA_DELETED;
  }
  return added && deleted;
}

void find_renames(git_diff* diff) {
  if (may_hold_renames(diff)) {
    git_diff_find_options find_options = GIT_DIFF_FIND_OPTIONS_INIT;
    // Renames, as `git diff` finds them by default. A copy is new text in
    // this commit and is scanned in full: it spreads whatever it holds.
    find_options.flags = GIT_DIFF_FIND_RENAMES;
    check(git_diff_find_similar(diff, &find_options), "cannot detect renames");
  }
}

bool looks_binary(std::string_view content) {
  return std::memchr(content.data(), '\0', std::min<std::size_t>(content.size(), 8000)) != nullptr;
}

StagedChanges list_staged_changes(git_repository* repo) {
  if (git_repository_is_bare(repo)) {
    throw RepoError("a bare repository has no staged changes");
  }
  Tree head = head_tree(repo);
  Index index = repository_index(repo);
  git_diff_options diff_options = GIT_DIFF_OPTIONS_INIT;
  diff_options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw_diff = nullptr;
  check(git_diff_tree_to_index(&raw_diff, repo, head.get(), index.get(), &diff_options), "cannot compare the index with HEAD");
  StagedChanges changes{Diff(raw_diff)};
  find_renames(changes.diff.get());
  return changes;
}

void read_staged_changes(git_repository* repo, const StagedChanges& changes, const StagedOptions& options,
                         const BlobSink& sink) {
  for (std::size_t i = 0; i < git_diff_num_deltas(changes.diff.get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(changes.diff.get(), i);
    if (delta->status == GIT_DELTA_DELETED || delta->status == GIT_DELTA_UNMODIFIED) {
      continue;
    }
    emit_delta(repo, *delta, options, sink, std::nullopt);
  }
}

void enumerate_staged(git_repository* repo, const StagedOptions& options, const BlobSink& sink) {
  read_staged_changes(repo, list_staged_changes(repo), options, sink);
}

void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            const BlobSink& sink) {
  Index index = repository_index(repo);
  for (const std::string& path : paths) {
    const git_index_entry* entry = git_index_get_bypath(index.get(), path.c_str(), 0);
    if (!entry) {
      continue;  // not staged (deleted, untracked or ignored): nothing to commit
    }
    git_diff_delta delta{};
    delta.status = GIT_DELTA_ADDED;
    delta.new_file.path = entry->path;
    delta.new_file.id = entry->id;
    delta.new_file.mode = static_cast<std::uint16_t>(entry->mode);
    emit_delta(repo, delta, options, sink, std::nullopt);
  }
}

} // namespace leakstop::sources
