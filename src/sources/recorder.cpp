#include "sources/recorder.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace leakstop::sources {
namespace {

// Trees nested deeper are not read, as git's core.maxTreeDepth (4096)
// refuses them: the walk recurses.
constexpr std::size_t k_max_tree_depth = 4096;

} // namespace

std::uint32_t Recorder::intern(const std::string& full) {
  auto [it, added] = m_path_index.try_emplace(full, static_cast<std::uint32_t>(paths.size()));
  if (added) {
    paths.push_back(&it->first);
  }
  return it->second;
}

bool Recorder::load(const git_oid& id, Loaded& out) {
  std::string error;
  out.raw = m_trees.read(id, GIT_OBJECT_TREE, error);
  if (!out.raw) {
    diagnostics.push_back({Diagnostic::Kind::error, oid_hex(id),
                           fmt::format("cannot read tree{}{}: {}", m_path.empty() ? "" : " ", m_path, error)});
    return false;
  }
  out.entries = &out.raw->entries;
  return true;
}

// Records every blob of `tree` that no tree of `parents` has at the same
// path, descending only into subtrees that differ from every parent's.
// Entries are in git's order in every tree, so one merge pass pairs them.
void Recorder::compare(const Loaded& tree, const std::vector<Loaded>& parents) {
  std::vector<std::size_t> cursor(parents.size(), 0);
  std::vector<const TreeEntry*> before(parents.size());
  for (const TreeEntry& entry : *tree.entries) {
    bool shared = false;
    for (std::size_t k = 0; k < parents.size(); ++k) {
      const std::vector<TreeEntry>& old = *parents[k].entries;
      std::size_t& c = cursor[k];
      while (c < old.size() && compare_entries(old[c], entry) < 0) {
        ++c;
      }
      before[k] = c < old.size() && compare_entries(old[c], entry) == 0 ? &old[c] : nullptr;
      shared = shared || (before[k] && git_oid_equal(before[k]->id, entry.id));
    }
    if (shared) {
      continue;
    }
    switch (entry.mode) {
    case GIT_FILEMODE_TREE: descend(entry, before); break;
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE: {
      const std::size_t length = m_path.size();
      m_path.append(entry.name);
      found.push_back({*entry.id, intern(m_path), m_commit});
      m_path.resize(length);
      break;
    }
    case GIT_FILEMODE_LINK: ++stats.symlinks; break;
    case GIT_FILEMODE_COMMIT: ++stats.submodule_entries; break;
    default: break;
    }
  }
}

void Recorder::descend(const TreeEntry& entry, const std::vector<const TreeEntry*>& before) {
  const std::size_t length = m_path.size();
  m_path.append(entry.name).push_back('/');
  Loaded tree;
  if (!refuse_subtree(*entry.id) && load(*entry.id, tree)) {
    m_ancestors.push_back(*entry.id);
    std::vector<Loaded> parents;
    for (const TreeEntry* old : before) {
      if (old && old->is_tree() && !load(*old->id, parents.emplace_back())) {
        parents.pop_back();
      }
    }
    compare(tree, parents);
    m_ancestors.pop_back();
  }
  m_path.resize(length);
}

bool Recorder::refuse_subtree(const git_oid& id) {
  // The pack reader does not hash what it reads, so a crafted pack can make
  // a tree its own subtree: the walk would never end.
  const bool cycle =
    std::any_of(m_ancestors.begin(), m_ancestors.end(), [&](const git_oid& a) { return git_oid_equal(&a, &id); });
  if (!cycle && m_ancestors.size() < k_max_tree_depth) {
    return false;
  }
  diagnostics.push_back({Diagnostic::Kind::error, oid_hex(id),
                         fmt::format("cannot read tree {}: {}", m_path,
                                     cycle ? "it contains itself" : fmt::format("nested more than {} deep", k_max_tree_depth))});
  return true;
}

void Recorder::commit(std::uint32_t position, const SelectedCommit& c) {
  m_commit = position;
  if (std::any_of(c.parent_trees.begin(), c.parent_trees.end(), [&](const git_oid& t) { return git_oid_equal(&t, &c.tree); })) {
    return;  // the tree of a parent: nothing new (an empty or a trivial merge commit)
  }
  Loaded tree;
  if (!load(c.tree, tree)) {
    return;
  }
  std::vector<Loaded> parents;
  for (const git_oid& id : c.parent_trees) {
    if (!load(id, parents.emplace_back())) {
      parents.pop_back();
    }
  }
  compare(tree, parents);
}

void Recorder::tagged(std::uint32_t position, const TaggedObject& t) {
  m_commit = position;
  Loaded tree;
  if (t.type == GIT_OBJECT_BLOB) {
    found.push_back({t.target, intern(t.ref), m_commit});
  } else if (load(t.target, tree)) {
    compare(tree, {});
  }
}

void Recorder::record_head(const git_oid& id, const std::vector<std::string>& sorted_paths,
                           std::unordered_map<std::uint32_t, git_oid>& head) {
  Loaded tree;
  if (!load(id, tree)) {
    return;
  }
  for (const TreeEntry& entry : *tree.entries) {
    const std::size_t length = m_path.size();
    m_path.append(entry.name);
    if (entry.is_tree()) {
      m_path.push_back('/');
      if (!refuse_subtree(*entry.id)) {
        m_ancestors.push_back(*entry.id);
        record_head(*entry.id, sorted_paths, head);
        m_ancestors.pop_back();
      }
    } else if (entry.mode == GIT_FILEMODE_BLOB || entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
      auto it = std::lower_bound(sorted_paths.begin(), sorted_paths.end(), m_path);
      if (it != sorted_paths.end() && *it == m_path) {
        head.emplace(static_cast<std::uint32_t>(it - sorted_paths.begin()), *entry.id);
      }
    }
    m_path.resize(length);
  }
}

} // namespace leakstop::sources
