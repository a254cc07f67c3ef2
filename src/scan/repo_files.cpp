#include "scan/repo_files.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/file.hpp"
#include "sources/git.hpp"

namespace leakstop::scan {
namespace fs = std::filesystem;

RepoFiles read_worktree_files(const fs::path& root) {
  RepoFiles files;
  if (root.empty()) {
    return files;
  }
  files.toml_name = (root / ".leakstop.toml").string();
  files.leakstop_toml = read_config_file(root / ".leakstop.toml", IfMissing::absent);
  files.leakstopignore = read_config_file(root / ".leakstopignore", IfMissing::absent);
  files.gitleaksignore = read_config_file(root / ".gitleaksignore", IfMissing::absent);
  return files;
}

namespace {

std::optional<std::string> read_at(git_repository* repo, const git_tree* tree, const std::string& revision,
                                   const char* path) {
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree, path) != 0) {
    return std::nullopt;
  }
  std::unique_ptr<git_tree_entry, decltype(&git_tree_entry_free)> entry(raw, git_tree_entry_free);
  const std::string name = fmt::format("{}:{}", revision, path);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB || git_tree_entry_filemode(entry.get()) == GIT_FILEMODE_LINK) {
    throw ConfigError(fmt::format("{}: not a regular file", name));
  }
  git_blob* blob = nullptr;
  sources::check(git_blob_lookup(&blob, repo, git_tree_entry_id(entry.get())), "cannot read " + name);
  std::unique_ptr<git_blob, decltype(&git_blob_free)> owned(blob, git_blob_free);
  const auto size = static_cast<std::uint64_t>(git_blob_rawsize(owned.get()));
  if (size > k_max_config_file_size) {
    throw ConfigError(fmt::format("{}: {} bytes is larger than a configuration file may be ({} bytes)", name, size,
                                  k_max_config_file_size));
  }
  return std::string(static_cast<const char*>(git_blob_rawcontent(owned.get())), static_cast<std::size_t>(size));
}

} // namespace

RepoFiles read_revision_files(git_repository* repo, const std::string& revision) {
  const git_oid id = sources::resolve_commit(repo, revision);
  git_commit* commit = nullptr;
  sources::check(git_commit_lookup(&commit, repo, &id), "cannot read commit " + revision);
  std::unique_ptr<git_commit, decltype(&git_commit_free)> owned_commit(commit, git_commit_free);
  git_tree* tree = nullptr;
  sources::check(git_commit_tree(&tree, owned_commit.get()), "cannot read the tree of " + revision);
  std::unique_ptr<git_tree, decltype(&git_tree_free)> owned_tree(tree, git_tree_free);
  RepoFiles files;
  files.origin = revision + ":";
  files.toml_name = revision + ":.leakstop.toml";
  files.leakstop_toml = read_at(repo, owned_tree.get(), revision, ".leakstop.toml");
  files.leakstopignore = read_at(repo, owned_tree.get(), revision, ".leakstopignore");
  files.gitleaksignore = read_at(repo, owned_tree.get(), revision, ".gitleaksignore");
  return files;
}

} // namespace leakstop::scan
