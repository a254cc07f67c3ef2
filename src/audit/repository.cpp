// What the audit reads from a repository itself: its files at HEAD and its
// ignore rules. Everything else comes from the scans the command runs.
#include <git2.h>

#include "audit/audit.hpp"
#include "sources/git.hpp"

namespace leakstop::audit {
namespace {

struct Walk {
  git_repository* repo;
  std::vector<TrackedFile>* out;
};

int visit(const char* root, const git_tree_entry* entry, void* payload) {
  auto* walk = static_cast<Walk*>(payload);
  // Regular files only: a symbolic link's blob is a path, a submodule's
  // entry a commit of another repository.
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
    return 0;
  }
  git_oid id = *git_tree_entry_id(entry);
  git_repository* repo = walk->repo;
  walk->out->push_back({std::string(root) + git_tree_entry_name(entry), [repo, id]() -> std::optional<std::string> {
                          git_blob* raw = nullptr;
                          if (git_blob_lookup(&raw, repo, &id) != 0) {
                            return std::nullopt;
                          }
                          sources::Blob blob(raw);
                          auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
                          return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                             std::min(size, k_max_read));
                        }});
  return 0;
}

} // namespace

std::vector<TrackedFile> tracked_at_head(git_repository* repo) {
  std::vector<TrackedFile> out;
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo, "HEAD^{tree}");
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
    return out;  // no commit yet: nothing is tracked
  }
  sources::check(rc, "HEAD: cannot read its tree");
  sources::Object tree(raw);
  Walk walk{repo, &out};
  sources::check(git_tree_walk(reinterpret_cast<git_tree*>(tree.get()), GIT_TREEWALK_PRE, visit, &walk),
                 "HEAD: cannot walk its tree");
  return out;
}

std::function<bool(const std::string&)> make_ignore_check(git_repository* repo) {
  return [repo](const std::string& path) {
    int ignored = 0;
    return git_ignore_path_is_ignored(&ignored, repo, path.c_str()) == 0 && ignored == 1;
  };
}

} // namespace leakstop::audit
