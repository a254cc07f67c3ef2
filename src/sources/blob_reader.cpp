// Reading every blob of a History once: a plan of delta trees per pack,
// then worker threads that each take one tree at a time (pack.hpp says why).
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <filesystem>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "sources/history.hpp"
#include "sources/pack.hpp"
#include "sources/pack_plan.hpp"

namespace leakstop::sources {
namespace {

// Buffers that grew past this for a rare huge object are given back.
constexpr std::size_t k_keep_buffer = 64 * 1024 * 1024;

// A piece of work: the delta tree under one root, or one blob libgit2 reads.
struct Unit {
  std::int32_t plan = -1;   // -1: a loose blob
  std::int64_t item = 0;    // root node, or History index
};

struct Worker {
  Inflater inflater;
  std::vector<Buffer> levels;  // content of each node on the current path of the tree
  Buffer compressed;
  Buffer delta;
  Repository repo;
  Odb odb;
};

class Reader {
public:
  Reader(git_repository* repo, const History& history, const ReadOptions& options, const HistoryBlobSink& sink)
    : m_repo_path(git_repository_path(repo)), m_history(history), m_options(options), m_sink(sink) {
    m_packs = history.packs();
    plan();
  }

  void run() {
    run_parallel(std::max(1u, m_options.threads), [this](unsigned w) { work(w); });
    // Only a corrupt pack (a cycle of deltas) leaves a blob unvisited;
    // it must not go unnoticed.
    for (std::size_t i = 0; i < m_done.size() && !m_stop; ++i) {
      if (!m_done[i]) {
        emit_skip(0, static_cast<std::int64_t>(i), Skip::unreadable, 0,
                  fmt::format("object {}: its delta chain in the pack is corrupt", oid_hex(m_history.blob(i))));
      }
    }
  }

private:
  void plan() {
    m_done.assign(m_history.blob_count(), 0);
    const auto& packs = m_packs->packs;
    for (const auto& pack : packs) {
      m_plans.emplace_back(*pack);
    }
    std::vector<std::size_t> loose;
    for (std::size_t i = 0; i < m_history.blob_count(); ++i) {
      if (m_options.wanted && !m_options.wanted(m_history.blob(i))) {
        m_done[i] = 1;  // declined: not read, not reported
        continue;
      }
      bool packed = false;
      for (std::size_t p = 0; p < packs.size() && !packed; ++p) {
        if (std::optional<std::uint64_t> offset = packs[p]->find(m_history.blob(i))) {
          m_plans[p].want(*offset, static_cast<std::int64_t>(i));
          packed = true;
        }
      }
      if (!packed) {
        loose.push_back(i);
      }
    }
    // Pack order: roots by offset, pack by pack; loose objects last.
    for (std::size_t p = 0; p < m_plans.size(); ++p) {
      m_plans[p].build();
      for (std::int32_t root : m_plans[p].roots()) {
        m_units.push_back({static_cast<std::int32_t>(p), root});
      }
    }
    for (std::size_t i : loose) {
      m_units.push_back({-1, static_cast<std::int64_t>(i)});
    }
  }

  void work(unsigned index) {
    Worker worker;
    try {
      for (std::size_t u = m_next++; u < m_units.size() && !m_stop; u = m_next++) {
        const Unit& unit = m_units[u];
        if (unit.plan < 0) {
          read_loose(worker, index, static_cast<std::size_t>(unit.item));
        } else {
          read_tree(worker, index, m_plans[static_cast<std::size_t>(unit.plan)], static_cast<std::int32_t>(unit.item));
        }
      }
    } catch (...) {
      m_stop = true;  // the others stop too; run_parallel rethrows
      throw;
    }
  }

  // Hands blob `index` with `content` to the sink, classified.
  void emit(unsigned worker, std::int64_t index, std::string_view content) {
    m_done[static_cast<std::size_t>(index)] = 1;  // one worker per blob: no race
    HistoryBlob blob;
    blob.index = static_cast<std::size_t>(index);
    blob.size = content.size();
    if (blob.size > m_options.max_size) {
      blob.skip = Skip::too_large;  // read only as the base of a delta
    } else if (looks_binary(content)) {
      blob.skip = Skip::binary;
    } else if (is_lfs_pointer(content)) {
      blob.skip = Skip::lfs_pointer;
    } else {
      blob.content = content;
    }
    deliver(worker, blob);
  }

  void deliver(unsigned worker, const HistoryBlob& blob) {
    if (m_sink(worker, blob) == Flow::stop) {
      m_stop = true;
    }
  }

  void emit_skip(unsigned worker, std::int64_t index, Skip skip, std::uint64_t size, std::string reason = {}) {
    m_done[static_cast<std::size_t>(index)] = 1;
    HistoryBlob blob;
    blob.index = static_cast<std::size_t>(index);
    blob.size = size;
    blob.skip = skip;
    blob.skip_reason = std::move(reason);
    deliver(worker, blob);
  }

  std::string object_name(const PackPlan& plan, const PlanNode& node) const {
    std::optional<git_oid> id = plan.pack().id_at(node.offset);
    return id ? oid_hex(*id) : fmt::format("offset {} of {}", node.offset, plan.pack().path().filename().string());
  }

  // Every wanted blob under `n` cannot be read because `n` cannot.
  void fail_tree(unsigned worker, const PackPlan& plan, std::int32_t n, const std::string& why) {
    std::vector<std::int32_t> stack{n};
    while (!stack.empty()) {
      const PlanNode& node = plan.node(stack.back());
      stack.pop_back();
      if (node.blob >= 0) {
        emit_skip(worker, node.blob, Skip::unreadable, 0,
                  &node == &plan.node(n) ? why : fmt::format("its delta base {}", why));
      }
      for (std::int32_t c = node.first_child; c >= 0; c = plan.node(c).next_sibling) {
        stack.push_back(c);
      }
    }
  }

  // Content of a root: inflated from the pack, or read by libgit2.
  bool read_root(Worker& w, unsigned worker, const PackPlan& plan, std::int32_t n, Buffer& out) {
    const PlanNode& node = plan.node(n);
    const std::string name = object_name(plan, node);
    if (!node.error.empty()) {
      fail_tree(worker, plan, n, fmt::format("object {}: {}", name, node.error));
      return false;
    }
    if (node.external) {
      std::optional<git_oid> id = plan.pack().id_at(node.offset);
      std::string error;
      if (!id || !read_libgit2(w, *id, out, error)) {
        fail_tree(worker, plan, n, fmt::format("object {}: {}", name, error));
        return false;
      }
      return true;
    }
    if (node.type != PackType::blob) {
      fail_tree(worker, plan, n, fmt::format("object {} is not a blob", name));
      return false;
    }
    if (node.blob >= 0 && node.first_child < 0 && node.size > m_options.max_size) {
      emit_skip(worker, node.blob, Skip::too_large, node.size);
      return false;
    }
    if (!plan.pack().read(node.offset + node.header, node.end, w.compressed) ||
        !w.inflater.inflate(w.compressed.view(), node.size, out)) {
      fail_tree(worker, plan, n, fmt::format("object {}: corrupt data in {}", name, plan.pack().path().filename().string()));
      return false;
    }
    return true;
  }

  // Applies the delta of node `n` to `base`; false when it is skipped or bad.
  bool read_delta(Worker& w, unsigned worker, const PackPlan& plan, std::int32_t n, const Buffer& base, Buffer& out) {
    const PlanNode& node = plan.node(n);
    if (!node.error.empty()) {
      fail_tree(worker, plan, n, fmt::format("object {}: {}", object_name(plan, node), node.error));
      return false;
    }
    if (!plan.pack().read(node.offset + node.header, node.end, w.compressed) ||
        !w.inflater.inflate(w.compressed.view(), node.size, w.delta)) {
      fail_tree(worker, plan, n, fmt::format("object {}: corrupt delta in {}", object_name(plan, node),
                                             plan.pack().path().filename().string()));
      return false;
    }
    std::optional<std::uint64_t> size = delta_result_size(w.delta.view());
    if (size && node.blob >= 0 && node.first_child < 0 && *size > m_options.max_size) {
      emit_skip(worker, node.blob, Skip::too_large, *size);
      return false;
    }
    if (!size || !apply_delta(base.view(), w.delta.view(), out)) {
      fail_tree(worker, plan, n, fmt::format("object {}: delta does not apply", object_name(plan, node)));
      return false;
    }
    return true;
  }

  // Depth first through the delta tree under `root`: each base is in memory
  // while its deltas are applied, and only along the current path.
  void read_tree(Worker& w, unsigned worker, const PackPlan& plan, std::int32_t root) {
    if (w.levels.empty()) {
      w.levels.resize(1);
    }
    if (!read_root(w, worker, plan, root, w.levels[0])) {
      return;
    }
    const PlanNode& top = plan.node(root);
    if (top.blob >= 0) {
      emit(worker, top.blob, w.levels[0].view());
    }
    std::vector<std::int32_t> next{top.first_child};  // per level: the next child to visit
    while (!next.empty()) {
      const std::int32_t n = next.back();
      if (n < 0) {
        next.pop_back();
        continue;
      }
      const PlanNode& node = plan.node(n);
      next.back() = node.next_sibling;
      const std::size_t depth = next.size();
      if (w.levels.size() <= depth) {
        w.levels.resize(depth + 1);
      }
      if (!read_delta(w, worker, plan, n, w.levels[depth - 1], w.levels[depth])) {
        continue;
      }
      if (node.blob >= 0) {
        emit(worker, node.blob, w.levels[depth].view());
      }
      if (node.first_child >= 0) {
        next.push_back(node.first_child);
      }
    }
    for (Buffer& b : w.levels) {
      b.shrink_if_over(k_keep_buffer);
    }
    w.compressed.shrink_if_over(k_keep_buffer);
    w.delta.shrink_if_over(k_keep_buffer);
  }

  // Each worker its own handle: libgit2 objects are for one thread at a time.
  void open_odb(Worker& w) {
    if (!w.odb) {
      git_repository* raw = nullptr;
      check(git_repository_open_ext(&raw, m_repo_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
            "cannot open the repository again");
      w.repo.reset(raw);
      git_odb* raw_odb = nullptr;
      check(git_repository_odb(&raw_odb, w.repo.get()), "cannot open the object database");
      w.odb.reset(raw_odb);
    }
  }

  bool read_libgit2(Worker& w, const git_oid& id, Buffer& out, std::string& error) {
    open_odb(w);
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, w.odb.get(), &id) != 0) {
      const git_error* e = git_error_last();
      error = e && e->message ? e->message : "cannot read";
      return false;
    }
    OdbObject object(raw);
    if (!out.resize_for_overwrite(git_odb_object_size(object.get()))) {
      error = "out of memory";
      return false;
    }
    std::memcpy(out.data(), git_odb_object_data(object.get()), out.size());
    return true;
  }

  void read_loose(Worker& w, unsigned worker, std::size_t index) {
    const git_oid& id = m_history.blob(index);
    std::string error;
    if (w.levels.empty()) {
      w.levels.resize(1);
    }
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    open_odb(w);
    if (git_odb_read_header(&size, &type, w.odb.get(), &id) == 0 && size > m_options.max_size) {
      emit_skip(worker, static_cast<std::int64_t>(index), Skip::too_large, size);
      return;
    }
    if (!read_libgit2(w, id, w.levels[0], error)) {
      emit_skip(worker, static_cast<std::int64_t>(index), Skip::unreadable, 0, fmt::format("object {}: {}", oid_hex(id), error));
      return;
    }
    emit(worker, static_cast<std::int64_t>(index), w.levels[0].view());
    w.levels[0].shrink_if_over(k_keep_buffer);
  }

  std::string m_repo_path;
  const History& m_history;
  const ReadOptions& m_options;
  const HistoryBlobSink& m_sink;
  std::shared_ptr<const PackSet> m_packs;
  std::vector<PackPlan> m_plans;
  std::vector<Unit> m_units;
  std::vector<char> m_done;  // per blob: handed to the sink
  std::atomic<std::size_t> m_next{0};
  std::atomic<bool> m_stop{false};
};

} // namespace

void read_history_blobs(git_repository* repo, const History& history, const ReadOptions& options,
                        const HistoryBlobSink& sink) {
  Reader reader(repo, history, options, sink);
  reader.run();
}

} // namespace leakstop::sources
