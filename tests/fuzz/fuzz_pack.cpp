// A pack index and its pack, written beside an empty repository: Pack::open,
// the lookups, the header plan the blob reader builds, and every object
// read through the ObjectReader (headers, zlib data, delta chains).
// Input: the .idx and the .pack, split by fuzz_util.hpp's separator.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "sources/git.hpp"
#include "sources/object_reader.hpp"
#include "sources/pack.hpp"
#include "sources/pack_plan.hpp"

namespace {

using namespace leakstop::sources;
namespace fs = std::filesystem;

constexpr std::size_t k_max_objects = 64;

const fs::path& repository() {
  static const LibGit2 libgit2;
  static const fs::path dir = [] {
    const fs::path path = leakstop::fuzz::scratch_dir() / "repo.git";
    git_repository* raw = nullptr;
    check(git_repository_init(&raw, path.c_str(), 1), "cannot create the repository");
    Repository repo(raw);
    return path;
  }();
  return dir;
}

// The ids an index lists, read with the bounds Pack::open checked.
std::vector<git_oid> listed_ids(std::string_view idx) {
  std::vector<git_oid> ids;
  const auto* p = reinterpret_cast<const unsigned char*>(idx.data());
  const std::uint32_t count = (std::uint32_t{p[1028]} << 24) | (std::uint32_t{p[1029]} << 16) |
                              (std::uint32_t{p[1030]} << 8) | p[1031];
  for (std::uint32_t i = 0; i < count && i < k_max_objects; ++i) {
    git_oid id;
    std::memcpy(id.id, p + 1032 + std::size_t{i} * GIT_OID_RAWSZ, GIT_OID_RAWSZ);
    ids.push_back(id);
  }
  return ids;
}

// Every object of the plan, read as the blob reader reads it: each delta
// applied to its base, depth first from the roots.
void read_plan(const PackPlan& plan) {
  Inflater inflater;
  Buffer compressed;
  Buffer delta;
  std::vector<std::pair<std::int32_t, Buffer>> stack;
  for (std::int32_t root : plan.roots()) {
    const PlanNode& node = plan.node(root);
    Buffer content;
    if (!node.error.empty() || node.external || node.type == PackType::ofs_delta || node.type == PackType::ref_delta ||
        !plan.pack().read(node.offset + node.header, node.end, compressed) ||
        !inflater.inflate(compressed.view(), node.size, content)) {
      continue;
    }
    stack.emplace_back(root, std::move(content));
    while (!stack.empty()) {
      auto [n, base] = std::move(stack.back());
      stack.pop_back();
      for (std::int32_t c = plan.node(n).first_child; c >= 0; c = plan.node(c).next_sibling) {
        const PlanNode& child = plan.node(c);
        Buffer out;
        if (child.error.empty() && plan.pack().read(child.offset + child.header, child.end, compressed) &&
            inflater.inflate(compressed.view(), child.size, delta) && delta_result_size(delta.view()) &&
            apply_delta(base.view(), delta.view(), out)) {
          stack.emplace_back(c, std::move(out));
        }
      }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = leakstop::fuzz::split_parts(data, size, 2);
  // Beside the repository, not in it: what ObjectReader does not find in
  // the packs it is given, it asks libgit2, which would read the same pack
  // with its own reader (not this target's), allocating whatever size an
  // object's header declares (libgit2 1.5).
  static const fs::path pack_dir = [] {
    const fs::path dir = leakstop::fuzz::scratch_dir() / "packs";
    fs::create_directories(dir);
    return dir;
  }();
  const fs::path idx_file = pack_dir / "pack-fuzz.idx";
  leakstop::fuzz::write_file(idx_file, parts[0]);
  leakstop::fuzz::write_file(pack_dir / "pack-fuzz.pack", parts[1]);
  auto packs = std::make_shared<PackSet>();
  if (auto pack = Pack::open(idx_file)) {
    packs->packs.push_back(std::move(pack));
  } else {
    return 0;
  }
  const Pack& pack = *packs->packs[0];
  const std::vector<git_oid> ids = listed_ids(parts[0]);
  PackPlan plan(pack);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (std::optional<std::uint64_t> offset = pack.find(ids[i])) {
      if (!pack.id_at(*offset) || pack.end_of(*offset) > pack.data_end()) {
        std::abort();
      }
      plan.want(*offset, static_cast<std::int64_t>(i));
    }
  }
  plan.build();
  read_plan(plan);
  ObjectReader reader(repository().string(), packs, 1 << 20);
  for (const git_oid& id : ids) {
    std::string error;
    if (ObjectPtr tree = reader.read(id, GIT_OBJECT_TREE, error)) {
      continue;
    }
    reader.read(id, GIT_OBJECT_COMMIT, error);
  }
  return 0;
}
