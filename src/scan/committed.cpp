#include "scan/committed.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sources/git.hpp"

namespace leakstop::scan {

namespace {

// HEAD's version of `path`, or empty when HEAD has none.
std::optional<std::string> at_head(git_repository* repo, const git_tree* tree, const std::string& path) {
  git_tree_entry* raw = nullptr;
  if (!tree || git_tree_entry_bypath(&raw, tree, path.c_str()) != 0) {
    return std::nullopt;
  }
  std::unique_ptr<git_tree_entry, decltype(&git_tree_entry_free)> entry(raw, git_tree_entry_free);
  git_blob* blob = nullptr;
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB ||
      git_blob_lookup(&blob, repo, git_tree_entry_id(entry.get())) != 0) {
    return std::nullopt;
  }
  std::unique_ptr<git_blob, decltype(&git_blob_free)> owned(blob, git_blob_free);
  return std::string(static_cast<const char*>(git_blob_rawcontent(owned.get())),
                     static_cast<std::size_t>(git_blob_rawsize(owned.get())));
}

} // namespace

void mark_already_committed(git_repository* repo, std::vector<Finding>& findings) {
  std::unique_ptr<git_tree, decltype(&git_tree_free)> tree(nullptr, git_tree_free);
  git_object* head = nullptr;
  if (git_revparse_single(&head, repo, "HEAD^{tree}") == 0) {
    tree.reset(reinterpret_cast<git_tree*>(head));
  }
  std::map<std::string, std::optional<std::string>> versions;
  for (Finding& f : findings) {
    auto it = versions.find(f.location.path);
    if (it == versions.end()) {
      it = versions.emplace(f.location.path, at_head(repo, tree.get(), f.location.path)).first;
    }
    if (it->second && !f.path_rule && it->second->find(f.secret) != std::string::npos) {
      f.still_at_head = true;
    }
  }
}

} // namespace leakstop::scan
