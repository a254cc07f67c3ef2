#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/parallel.hpp"
#include "sources/file_change.hpp"

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

// zlib's largest expansion is 1032 to 1: no honest object inflates to more.
constexpr std::uint64_t k_max_inflate_ratio = 1032;

// Reads blob `id` from its loose object file, inflating it here: libgit2
// 1.5 spins forever on a truncated loose object (its inflate loop waits for
// input that never comes), and a hook must never hang. nullopt when the
// object is not loose (packed, or in an alternate: libgit2 reads those).
// Throws RepoError naming the object when its file is truncated or corrupt,
// holds no blob, or claims a size its compressed bytes cannot hold (so
// that a forged header never makes us allocate it).
// NOTE: one inflate, as libgit2's would have been; no extra cost.
std::optional<std::string> read_loose_blob(git_repository* repo, const git_oid& id) {
  const std::string hex = oid_hex(id);
  const std::filesystem::path file =
    std::filesystem::path(git_repository_commondir(repo)) / "objects" / hex.substr(0, 2) / hex.substr(2);
  std::optional<std::string> compressed = read_whole_file(file);
  if (!compressed || compressed->size() >= UINT_MAX) {
    return std::nullopt;  // not loose; or past zlib's 32-bit counts: libgit2's
  }
  auto corrupt = [&](std::string_view why) {
    return RepoError(fmt::format("object {}: corrupt loose object {}: {}", hex, file.string(), why));
  };
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    throw RepoError("zlib: cannot initialise");
  }
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, &inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(compressed->data());
  zs.avail_in = static_cast<uInt>(compressed->size());
  // The header ("blob <size>\0") is within the first 32 bytes.
  char header[32];
  zs.next_out = reinterpret_cast<Bytef*>(header);
  zs.avail_out = sizeof header;
  int rc = inflate(&zs, Z_SYNC_FLUSH);
  if (rc != Z_OK && rc != Z_STREAM_END) {
    throw corrupt(rc == Z_BUF_ERROR ? "truncated" : "not a zlib stream");
  }
  const std::string_view got(header, sizeof header - zs.avail_out);
  const std::size_t nul = got.find('\0');
  if (nul == std::string_view::npos && zs.avail_in == 0) {
    throw corrupt("truncated");
  }
  if (got.substr(0, 5) != "blob " || nul == std::string_view::npos || nul == 5) {
    throw corrupt("not a blob");
  }
  std::uint64_t size = 0;
  for (char c : got.substr(5, nul - 5)) {
    if (c < '0' || c > '9' || size > (UINT64_MAX - 9) / 10) {
      throw corrupt("bad size in its header");
    }
    size = size * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (size > compressed->size() * k_max_inflate_ratio) {
    throw corrupt(fmt::format("its header claims {} bytes, more than its {} compressed bytes can hold", size,
                              compressed->size()));
  }
  if (size >= UINT_MAX) {
    return std::nullopt;  // past zlib's 32-bit counts: libgit2's
  }
  const std::string_view first = got.substr(nul + 1);
  if (first.size() > size) {
    throw corrupt("longer than the size in its header");
  }
  // One byte of room past the size: a longer object shows itself.
  std::string content(static_cast<std::size_t>(size) + 1, '\0');
  std::memcpy(content.data(), first.data(), first.size());
  zs.next_out = reinterpret_cast<Bytef*>(content.data() + first.size());
  zs.avail_out = static_cast<uInt>(content.size() - first.size());
  while (rc != Z_STREAM_END) {
    rc = inflate(&zs, Z_FINISH);
    if (rc == Z_STREAM_END) {
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) {
      throw corrupt("longer than the size in its header");
    }
    if (rc != Z_OK) {
      throw corrupt(rc == Z_BUF_ERROR ? "truncated" : "corrupt zlib stream");
    }
  }
  if (zs.avail_out != 1) {
    throw corrupt(zs.avail_out == 0 ? "longer than the size in its header" : "shorter than the size in its header");
  }
  content.resize(static_cast<std::size_t>(size));
  return content;
}

Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& path) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), fmt::format("{}: cannot read staged blob {}", path, oid_hex(id)));
  return Blob(raw);
}

// A blob's bytes: read by read_loose_blob when loose, by libgit2 when packed.
struct BlobBytes {
  Blob packed;
  std::string loose;
  std::string_view view() const {
    return packed ? std::string_view(static_cast<const char*>(git_blob_rawcontent(packed.get())),
                                     static_cast<std::size_t>(git_blob_rawsize(packed.get())))
                  : std::string_view(loose);
  }
};

BlobBytes read_blob(git_repository* repo, const git_oid& id, const std::string& path) {
  BlobBytes out;
  try {
    if (std::optional<std::string> loose = read_loose_blob(repo, id)) {
      out.loose = std::move(*loose);
      return out;
    }
  } catch (const RepoError& e) {
    throw RepoError(fmt::format("{}: cannot read staged blob: {}", path, e.what()));
  }
  out.packed = lookup_blob(repo, id, path);
  return out;
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

Flow emit_change(git_repository* repo, const git_diff_delta& change, const StagedOptions& options, const BlobSink& sink,
                 const std::optional<CommitInfo>& commit) {
  SourceBlob blob;
  blob.commit = commit;
  blob.path = change.new_file.path;
  blob.change = change_of(change.status);
  if (change.status == GIT_DELTA_RENAMED || change.status == GIT_DELTA_COPIED) {
    blob.old_path = change.old_file.path;
  }
  if (change.new_file.mode == GIT_FILEMODE_COMMIT) {
    blob.skip = Skip::submodule;
    return sink(blob);
  }
  if (change.new_file.mode == GIT_FILEMODE_LINK) {
    blob.skip = Skip::symlink;
    return sink(blob);
  }
  // The index records each file's size: trust it to skip the object
  // header read, except where it is unknown (0) or may differ from the
  // blob's (clean filters, CRLF conversion) near the limit.
  blob.size = change.new_file.size;
  if (blob.size == 0 || blob.size > options.max_file_size / 2) {
    blob.size = object_size(repo, change.new_file.id, blob.path);
  }
  if (blob.size > options.max_file_size) {
    blob.skip = Skip::too_large;
    return sink(blob);
  }
  const BlobBytes new_blob = read_blob(repo, change.new_file.id, blob.path);
  blob.content = new_blob.view();
  if (looks_binary(blob.content)) {
    blob.skip = Skip::binary;
    blob.content = {};
    return sink(blob);
  }
  const bool has_old = change.status == GIT_DELTA_MODIFIED || change.status == GIT_DELTA_RENAMED;
  if (has_old && git_oid_equal(&change.old_file.id, &change.new_file.id)) {
    blob.content = {};  // a pure rename adds nothing to scan
  } else if (has_old && change.old_file.mode != GIT_FILEMODE_COMMIT && change.old_file.mode != GIT_FILEMODE_LINK) {
    // Everything the reader needs is captured by value: the sink may call
    // it after this function has returned (it once captured a local blob
    // by reference: a use-after-scope whenever a modified file had a finding).
    auto old_blob = std::make_shared<std::optional<BlobBytes>>();
    blob.previous_content = [repo, old_blob, id = change.old_file.id,
                             path = std::string(change.old_file.path)]() -> std::string_view {
      if (!*old_blob) {
        *old_blob = read_blob(repo, id, path);
      }
      return (*old_blob)->view();
    };
  }
  return sink(blob);
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

namespace {

// A change is worth a thread of its own from this many bytes on: below it,
// starting the thread (a repository handle, a scanner) may cost more than it
// saves, and a hook's commit of a few files stays on one thread as before.
// NOTE: an estimate, not a measured crossover: 256 KiB is ~0.7 ms of
// scanning at 350 MB/s; bench/precommit.sh's 10-file change (~100 KB)
// stays on one thread.
constexpr std::uint64_t k_bytes_per_thread = 256 * 1024;

// Threads worth starting for `changes`: up to `threads`, one per
// k_bytes_per_thread of what the index says they hold.
unsigned threads_for(const std::vector<git_diff_delta>& changes, unsigned threads) {
  std::uint64_t bytes = 0;
  for (const git_diff_delta& change : changes) {
    bytes += change.new_file.size;
  }
  const std::uint64_t useful = std::min<std::uint64_t>(bytes / k_bytes_per_thread, changes.size());
  return static_cast<unsigned>(std::clamp<std::uint64_t>(useful, 1, std::max(1u, threads)));
}

// Hands each of `changes` over, in order on one thread or spread over
// several, each worker but the calling thread's with a repository handle of
// its own (libgit2 objects are for one thread at a time).
void emit_changes(git_repository* repo, const std::vector<git_diff_delta>& changes, const StagedOptions& options,
                  unsigned threads, const OrderedBlobSink& sink) {
  const std::string repo_path = git_repository_path(repo);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  run_parallel(threads_for(changes, threads), [&](unsigned worker) {
    try {
      Repository own;
      if (worker != 0) {
        git_repository* raw = nullptr;
        check(git_repository_open_ext(&raw, repo_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
              "cannot open the repository again");
        own.reset(raw);
      }
      git_repository* mine = worker == 0 ? repo : own.get();
      for (std::size_t i = next++; i < changes.size() && !stop; i = next++) {
        auto one = [&](const SourceBlob& blob) { return sink(worker, i, blob); };
        if (emit_change(mine, changes[i], options, one, std::nullopt) == Flow::stop) {
          stop = true;
        }
      }
    } catch (...) {
      stop = true;  // the others stop too; run_parallel rethrows
      throw;
    }
  });
}

void emit_in_order(git_repository* repo, const std::vector<git_diff_delta>& changes, const StagedOptions& options,
                   const BlobSink& sink) {
  emit_changes(repo, changes, options, 1, [&](unsigned, std::size_t, const SourceBlob& blob) { return sink(blob); });
}

// What the diff adds or changes, in its order: deletions add nothing.
std::vector<git_diff_delta> changes_to_read(const StagedChanges& changes) {
  std::vector<git_diff_delta> out;
  for (std::size_t i = 0; i < git_diff_num_deltas(changes.diff.get()); ++i) {
    const git_diff_delta* change = git_diff_get_delta(changes.diff.get(), i);
    if (change->status != GIT_DELTA_DELETED && change->status != GIT_DELTA_UNMODIFIED) {
      out.push_back(*change);  // its paths point into the diff, which outlives the read
    }
  }
  return out;
}

// The staged entry of each path as an added file, in the order given; the
// paths point into `index`. Unstaged paths (deleted, untracked, ignored)
// have nothing to commit and are left out.
std::vector<git_diff_delta> staged_entries(git_index* index, const std::vector<std::string>& paths) {
  std::vector<git_diff_delta> out;
  for (const std::string& path : paths) {
    const git_index_entry* entry = git_index_get_bypath(index, path.c_str(), 0);
    if (!entry) {
      continue;
    }
    git_diff_delta change{};
    change.status = GIT_DELTA_ADDED;
    change.new_file.path = entry->path;
    change.new_file.id = entry->id;
    change.new_file.mode = static_cast<std::uint16_t>(entry->mode);
    change.new_file.size = entry->file_size;
    out.push_back(change);
  }
  return out;
}

} // namespace

void read_staged_changes(git_repository* repo, const StagedChanges& changes, const StagedOptions& options,
                         const BlobSink& sink) {
  emit_in_order(repo, changes_to_read(changes), options, sink);
}

void read_staged_changes(git_repository* repo, const StagedChanges& changes, const StagedOptions& options,
                         unsigned threads, const OrderedBlobSink& sink) {
  emit_changes(repo, changes_to_read(changes), options, threads, sink);
}

void enumerate_staged(git_repository* repo, const StagedOptions& options, const BlobSink& sink) {
  read_staged_changes(repo, list_staged_changes(repo), options, sink);
}

void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            const BlobSink& sink) {
  // HEAD is not compared with here, but one that cannot be read is a broken
  // repository all the same: exit 3, as without paths, never a clean pass.
  head_tree(repo);
  Index index = repository_index(repo);
  emit_in_order(repo, staged_entries(index.get(), paths), options, sink);
}

void enumerate_staged_paths(git_repository* repo, const std::vector<std::string>& paths, const StagedOptions& options,
                            unsigned threads, const OrderedBlobSink& sink) {
  head_tree(repo);  // as above
  Index index = repository_index(repo);
  emit_changes(repo, staged_entries(index.get(), paths), options, threads, sink);
}

} // namespace leakstop::sources
