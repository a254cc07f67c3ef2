#include "sources/commit_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "sources/object_reader.hpp"

namespace leakstop::sources {
namespace {

// Commits are seldom deltas of each other: a small cache does.
constexpr std::size_t k_commit_cache_bytes = 4 * 1024 * 1024;

enum Flag : std::uint8_t { uninteresting = 1, queued = 2, popped = 4, unread = 8, missing = 16 };

struct Node {
  git_oid id{};
  git_oid tree{};
  std::int64_t time = 0;
  std::vector<std::uint32_t> parents;
  std::uint8_t flags = unread;
};

// Commit ids listed in .git/shallow: their parents were not fetched.
std::unordered_set<git_oid, OidHash, OidEqual> read_shallow(git_repository* repo) {
  std::unordered_set<git_oid, OidHash, OidEqual> out;
  std::ifstream in(std::filesystem::path(git_repository_commondir(repo)) / "shallow");
  for (std::string line; std::getline(in, line);) {
    git_oid id;
    if (git_oid_fromstrp(&id, line.c_str()) == 0) {
      out.insert(id);
    }
  }
  return out;
}

class Walker {
public:
  Walker(git_repository* repo, std::shared_ptr<const PackSet> packs, const HistoryOptions& options,
         std::vector<Diagnostic>& diagnostics)
    : m_objects(git_repository_path(repo), std::move(packs), k_commit_cache_bytes), m_options(options),
      m_diagnostics(diagnostics), m_shallow(read_shallow(repo)) {}

  void add_tip(const git_oid& id, bool hide) {
    const std::uint32_t n = node_of(id);
    if (!read(n)) {
      return;
    }
    if (hide) {
      mark_uninteresting(n);
    }
    enqueue(n);
  }

  void add_tagged(TaggedObject tagged) { m_tagged.push_back(std::move(tagged)); }

  CommitSelection finish() {
    limit();
    return order();
  }

private:
  // The node of commit `id`, created unread: parents are read only when
  // the walk reaches them.
  std::uint32_t node_of(const git_oid& id) {
    auto [it, added] = m_index.try_emplace(id, static_cast<std::uint32_t>(m_nodes.size()));
    if (added) {
      m_nodes.push_back(Node{id, {}, 0, {}, unread});
    }
    return it->second;
  }

  // Reads commit `n` once; false (with a diagnostic, the first time) when it
  // cannot be read.
  bool read(std::uint32_t n) {
    if (!(m_nodes[n].flags & unread)) {
      return !(m_nodes[n].flags & missing);
    }
    m_nodes[n].flags &= static_cast<std::uint8_t>(~unread);
    const git_oid id = m_nodes[n].id;
    std::string error;
    ObjectPtr raw = m_objects.read(id, GIT_OBJECT_COMMIT, error);
    if (raw && !parse_commit(raw->bytes, m_header)) {
      error = "malformed commit";
    }
    if (!error.empty()) {
      m_diagnostics.push_back({Diagnostic::Kind::error, oid_hex(id), "cannot read commit: " + error});
      m_nodes[n].flags |= missing;
      return false;
    }
    m_nodes[n].tree = m_header.tree;
    m_nodes[n].time = m_header.time;
    if (!m_shallow.count(id)) {
      for (const git_oid& parent : m_header.parents) {
        const std::uint32_t p = node_of(parent);
        m_nodes[n].parents.push_back(p);  // node_of may grow m_nodes: index again
      }
    }
    return true;
  }

  void enqueue(std::uint32_t n) {
    if (m_nodes[n].flags & (queued | popped)) {
      return;
    }
    m_nodes[n].flags |= queued;
    if (!(m_nodes[n].flags & uninteresting)) {
      ++m_interesting_queued;
    }
    m_queue.push(n);
  }

  // Marks `n` and every loaded ancestor uninteresting.
  void mark_uninteresting(std::uint32_t start) {
    std::vector<std::uint32_t> stack{start};
    while (!stack.empty()) {
      std::uint32_t n = stack.back();
      stack.pop_back();
      Node& node = m_nodes[n];
      if (node.flags & uninteresting) {
        continue;
      }
      node.flags |= uninteresting;
      if ((node.flags & queued) && !(node.flags & popped)) {
        --m_interesting_queued;
      }
      stack.insert(stack.end(), node.parents.begin(), node.parents.end());
    }
  }

  void limit() {
    while (!m_queue.empty() && m_interesting_queued > 0) {
      std::uint32_t n = m_queue.top();
      m_queue.pop();
      Node& node = m_nodes[n];
      node.flags |= popped;
      if (!(node.flags & uninteresting)) {
        --m_interesting_queued;
      }
      if (m_options.since && m_nodes[n].time < *m_options.since) {
        mark_uninteresting(n);
      }
      // A copy: reading a parent may grow m_nodes.
      const std::vector<std::uint32_t> parents = m_nodes[n].parents;
      if (!(m_nodes[n].flags & uninteresting)) {
        m_selected.push_back(n);
      } else {
        for (std::uint32_t p : parents) {
          mark_uninteresting(p);
        }
      }
      for (std::uint32_t p : parents) {
        if (read(p)) {
          enqueue(p);
        }
      }
    }
  }

  // Parents before children; among commits ready at the same time, the
  // older first (then the id), so that "earliest" means what a reader expects.
  CommitSelection order() {
    std::vector<std::uint32_t> selected;
    for (std::uint32_t n : m_selected) {
      if (!(m_nodes[n].flags & uninteresting)) {
        selected.push_back(n);
      }
    }
    std::unordered_map<std::uint32_t, std::uint32_t> pending;  // node -> parents not yet emitted
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> children;
    std::unordered_set<std::uint32_t> in_set(selected.begin(), selected.end());
    for (std::uint32_t n : selected) {
      std::uint32_t count = 0;
      for (std::uint32_t p : m_nodes[n].parents) {
        if (in_set.count(p)) {
          ++count;
          children[p].push_back(n);
        }
      }
      pending[n] = count;
    }
    auto later = [&](std::uint32_t a, std::uint32_t b) {
      const Node& x = m_nodes[a];
      const Node& y = m_nodes[b];
      return x.time != y.time ? x.time > y.time : git_oid_cmp(&x.id, &y.id) > 0;
    };
    std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, decltype(later)> ready(later);
    for (std::uint32_t n : selected) {
      if (pending[n] == 0) {
        ready.push(n);
      }
    }
    CommitSelection out;
    out.commits.reserve(selected.size());
    while (!ready.empty()) {
      std::uint32_t n = ready.top();
      ready.pop();
      SelectedCommit c;
      c.id = m_nodes[n].id;
      c.tree = m_nodes[n].tree;
      for (std::uint32_t p : m_nodes[n].parents) {
        if (!(m_nodes[p].flags & (unread | missing))) {
          c.parent_trees.push_back(m_nodes[p].tree);
        }
      }
      out.commits.push_back(std::move(c));
      for (std::uint32_t child : children[n]) {
        if (--pending[child] == 0) {
          ready.push(child);
        }
      }
    }
    out.tagged = std::move(m_tagged);
    return out;
  }

  struct NewerFirst {
    const std::vector<Node>* nodes;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      const Node& x = (*nodes)[a];
      const Node& y = (*nodes)[b];
      return x.time != y.time ? x.time < y.time : a > b;
    }
  };

  ObjectReader m_objects;
  CommitHeader m_header;
  const HistoryOptions& m_options;
  std::vector<Diagnostic>& m_diagnostics;
  std::unordered_set<git_oid, OidHash, OidEqual> m_shallow;
  std::vector<Node> m_nodes;
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> m_index;
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, NewerFirst> m_queue{NewerFirst{&m_nodes}};
  std::size_t m_interesting_queued = 0;
  std::vector<std::uint32_t> m_selected;
  std::vector<TaggedObject> m_tagged;
};

} // namespace

namespace {

using ReferenceIterator = std::unique_ptr<git_reference_iterator, GitFree<git_reference_iterator_free>>;
using Tag = std::unique_ptr<git_tag, GitFree<git_tag_free>>;

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown error";
}

// Follows tags from `id` to what they finally name. The first tag met is
// kept: it stands in for a commit when the target is a tree or a blob.
bool peel_to_target(git_repository* repo, git_odb* odb, const std::string& ref, git_oid id, Walker& walker,
                    std::vector<Diagnostic>& diagnostics) {
  git_oid first_tag{};
  for (int depth = 0; depth < 16; ++depth) {
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, odb, &id) != 0) {
      diagnostics.push_back({Diagnostic::Kind::error, ref, fmt::format("cannot read {}: {}", oid_hex(id), last_error())});
      return false;
    }
    switch (type) {
    case GIT_OBJECT_COMMIT: walker.add_tip(id, false); return true;
    case GIT_OBJECT_TREE:
    case GIT_OBJECT_BLOB: walker.add_tagged({ref, id, type, first_tag}); return true;
    case GIT_OBJECT_TAG: {
      git_tag* raw = nullptr;
      if (git_tag_lookup(&raw, repo, &id) != 0) {
        diagnostics.push_back({Diagnostic::Kind::error, ref, fmt::format("cannot read tag {}: {}", oid_hex(id), last_error())});
        return false;
      }
      Tag tag(raw);
      if (git_oid_is_zero(&first_tag)) {
        first_tag = id;
      }
      id = *git_tag_target_id(tag.get());
      break;
    }
    default: return false;
    }
  }
  return false;
}

// Every ref (branches, tags, remote-tracking refs, the stash, notes...) and HEAD.
void add_every_ref(git_repository* repo, git_odb* odb, Walker& walker, std::vector<Diagnostic>& diagnostics) {
  git_reference_iterator* raw_iterator = nullptr;
  check(git_reference_iterator_new(&raw_iterator, repo), "cannot list references");
  ReferenceIterator iterator(raw_iterator);
  std::vector<std::pair<std::string, git_oid>> refs;
  git_reference* raw = nullptr;
  int rc = 0;
  while ((rc = git_reference_next(&raw, iterator.get())) == 0) {
    Reference ref(raw);
    // A symbolic ref (origin/HEAD) names a ref that is listed itself.
    if (git_reference_type(ref.get()) == GIT_REFERENCE_DIRECT) {
      refs.emplace_back(git_reference_name(ref.get()), *git_reference_target(ref.get()));
    }
  }
  if (rc != GIT_ITEROVER) {
    diagnostics.push_back({Diagnostic::Kind::error, "refs", "cannot list every reference: " + last_error()});
  }
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) {
    refs.emplace_back("HEAD", head);  // a detached HEAD is on no branch
  }
  std::sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, id] : refs) {
    peel_to_target(repo, odb, name, id, walker, diagnostics);
  }
}

// Adds one revision argument (see parse_revision) to the walk.
void add_revision(git_repository* repo, const std::string& spec, Walker& walker) {
  const RevisionSpec revision = parse_revision(spec);
  switch (revision.kind) {
  case RevisionSpec::Kind::include: walker.add_tip(resolve_commit(repo, revision.to), false); return;
  case RevisionSpec::Kind::exclude: walker.add_tip(resolve_commit(repo, revision.to), true); return;
  case RevisionSpec::Kind::range:
    walker.add_tip(resolve_commit(repo, revision.from), true);
    walker.add_tip(resolve_commit(repo, revision.to), false);
    return;
  case RevisionSpec::Kind::symmetric: {
    git_oid a = resolve_commit(repo, revision.from);
    git_oid b = resolve_commit(repo, revision.to);
    walker.add_tip(a, false);
    walker.add_tip(b, false);
    git_oidarray bases{};
    if (git_merge_bases(&bases, repo, &a, &b) == 0) {
      for (std::size_t i = 0; i < bases.count; ++i) {
        walker.add_tip(bases.ids[i], true);
      }
      git_oidarray_dispose(&bases);
    }
    return;
  }
  }
}

} // namespace

CommitSelection select_commits(git_repository* repo, std::shared_ptr<const PackSet> packs, const HistoryOptions& options,
                               std::vector<Diagnostic>& diagnostics) {
  git_odb* raw_odb = nullptr;
  check(git_repository_odb(&raw_odb, repo), "cannot open the object database");
  Odb odb(raw_odb);
  Walker walker(repo, std::move(packs), options, diagnostics);
  if (options.revisions.empty()) {
    add_every_ref(repo, odb.get(), walker, diagnostics);
  } else {
    for (const std::string& spec : options.revisions) {
      add_revision(repo, spec, walker);
    }
  }
  return walker.finish();
}

} // namespace leakstop::sources
