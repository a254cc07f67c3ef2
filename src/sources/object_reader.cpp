#include "sources/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <cstdlib>
#include <filesystem>

namespace leakstop::sources {
namespace {

constexpr std::uint64_t k_header_bytes = 32;
constexpr int k_max_chain = 10000;

std::uint64_t cache_key(std::size_t pack, std::uint64_t offset) {
  return (std::uint64_t{pack} << 48) | offset;
}

git_object_t object_type(PackType type) {
  switch (type) {
  case PackType::commit: return GIT_OBJECT_COMMIT;
  case PackType::tree: return GIT_OBJECT_TREE;
  case PackType::blob: return GIT_OBJECT_BLOB;
  case PackType::tag: return GIT_OBJECT_TAG;
  default: return GIT_OBJECT_INVALID;
  }
}

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown error";
}

} // namespace

bool parse_tree(std::string_view raw, std::vector<TreeEntry>& out) {
  out.clear();
  const char* p = raw.data();
  const char* const end = p + raw.size();
  while (p < end) {
    std::uint32_t mode = 0;
    for (; p < end && *p != ' '; ++p) {
      if (*p < '0' || *p > '7') {
        return false;
      }
      mode = mode * 8 + static_cast<std::uint32_t>(*p - '0');
    }
    if (p == end) {
      return false;
    }
    ++p;
    const char* nul = static_cast<const char*>(std::memchr(p, '\0', static_cast<std::size_t>(end - p)));
    if (!nul || nul == p || end - (nul + 1) < GIT_OID_RAWSZ) {
      return false;
    }
    // Old git wrote modes such as 100664; only the file type bits count.
    switch (mode & 0170000) {
    case 0040000: mode = GIT_FILEMODE_TREE; break;
    case 0100000: mode = (mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB; break;
    case 0120000: mode = GIT_FILEMODE_LINK; break;
    case 0160000: mode = GIT_FILEMODE_COMMIT; break;
    default: return false;
    }
    out.push_back({std::string_view(p, static_cast<std::size_t>(nul - p)), reinterpret_cast<const git_oid*>(nul + 1), mode});
    p = nul + 1 + GIT_OID_RAWSZ;
  }
  return true;
}

bool parse_commit(std::string_view raw, CommitHeader& out) {
  out.parents.clear();
  bool has_tree = false;
  bool has_time = false;
  while (!raw.empty() && raw.front() != '\n') {
    const std::size_t eol = raw.find('\n');
    const std::string_view line = raw.substr(0, eol);
    raw = eol == std::string_view::npos ? std::string_view() : raw.substr(eol + 1);
    git_oid id;
    if (line.rfind("tree ", 0) == 0 && line.size() >= 5 + GIT_OID_HEXSZ &&
        git_oid_fromstrn(&out.tree, line.data() + 5, GIT_OID_HEXSZ) == 0) {
      has_tree = true;
    } else if (line.rfind("parent ", 0) == 0 && line.size() >= 7 + GIT_OID_HEXSZ &&
               git_oid_fromstrn(&id, line.data() + 7, GIT_OID_HEXSZ) == 0) {
      out.parents.push_back(id);
    } else if (line.rfind("committer ", 0) == 0) {
      // committer Name <email> 1700000000 +0100
      const std::size_t close = line.rfind('>');
      if (close != std::string_view::npos) {
        out.time = std::strtoll(std::string(line.substr(close + 1)).c_str(), nullptr, 10);
        has_time = true;
      }
    }
  }
  return has_tree && has_time;
}

int compare_entries(const TreeEntry& a, const TreeEntry& b) {
  const std::size_t length = std::min(a.name.size(), b.name.size());
  if (int cmp = std::memcmp(a.name.data(), b.name.data(), length); cmp != 0) {
    return cmp;
  }
  const unsigned char x = a.name.size() > length ? static_cast<unsigned char>(a.name[length]) : a.is_tree() ? '/' : 0;
  const unsigned char y = b.name.size() > length ? static_cast<unsigned char>(b.name[length]) : b.is_tree() ? '/' : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

ObjectReader::ObjectReader(const std::string& git_dir, std::shared_ptr<const PackSet> packs, std::size_t cache_bytes)
  : m_packs(std::move(packs)), m_generation_limit(cache_bytes / 2) {
  git_repository* raw = nullptr;
  check(git_repository_open_ext(&raw, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr), "cannot open the repository");
  m_repo.reset(raw);
  git_odb* raw_odb = nullptr;
  check(git_repository_odb(&raw_odb, m_repo.get()), "cannot open the object database");
  m_odb.reset(raw_odb);
}

void ObjectTable::insert(std::uint64_t key, ObjectPtr object) {
  if ((m_used + 1) * 10 > m_slots.size() * 7) {  // grow at 70%
    std::vector<Slot> old = std::move(m_slots);
    m_slots = std::vector<Slot>(std::max<std::size_t>(1024, old.size() * 2));
    m_shift = 64 - static_cast<unsigned>(std::countr_zero(m_slots.size()));
    m_used = 0;
    for (Slot& slot : old) {
      if (slot.key != 0) {
        insert(slot.key, std::move(slot.object));
      }
    }
  }
  std::size_t i = home(key);
  while (m_slots[i].key != 0) {
    i = (i + 1) & (m_slots.size() - 1);
  }
  m_slots[i] = Slot{key, std::move(object)};
  ++m_used;
}

namespace {

std::uint64_t id_key(const git_oid& id) {
  std::uint64_t key;
  std::memcpy(&key, id.id, sizeof key);
  return key | 1;  // never 0, the empty slot
}

} // namespace

ObjectPtr ObjectReader::cached(const git_oid& id) {
  const auto same = [&](const RawObject& t) { return git_oid_equal(&t.id, &id); };
  if (ObjectPtr tree = m_young.by_id.find(id_key(id), same)) {
    return tree;
  }
  ObjectPtr tree = m_old.by_id.find(id_key(id), same);
  if (tree) {
    turn_over_if_full();
    m_young.by_id.insert(id_key(id), tree);
  }
  return tree;
}

ObjectPtr ObjectReader::read(const git_oid& id, git_object_t type, std::string& error) {
  ObjectPtr object = cached(id);
  for (std::size_t p = 0; !object && p < m_packs->packs.size(); ++p) {
    if (std::optional<std::uint64_t> offset = m_packs->packs[p]->find(id)) {
      if (!(object = packed(p, *offset, error))) {
        return nullptr;
      }
      object->id = id;
      turn_over_if_full();
      m_young.by_id.insert(id_key(id), object);
    }
  }
  if (!object) {
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, m_odb.get(), &id) != 0) {
      error = last_error();
      return nullptr;
    }
    OdbObject loose(raw);
    object = std::make_shared<RawObject>();
    object->bytes.assign(static_cast<const char*>(git_odb_object_data(loose.get())), git_odb_object_size(loose.get()));
    object->type = git_odb_object_type(loose.get());
    object->parsed = object->type == GIT_OBJECT_TREE && parse_tree(object->bytes, object->entries);
  }
  if (object->type != type) {
    error = fmt::format("not a {}", git_object_type2string(type));
    return nullptr;
  }
  if (type == GIT_OBJECT_TREE && !object->parsed) {
    error = "malformed tree";
    return nullptr;
  }
  return object;
}

namespace {

std::size_t footprint(const RawObject& tree) {
  return tree.bytes.size() + tree.entries.capacity() * sizeof(TreeEntry) + 128;
}

} // namespace

ObjectPtr ObjectReader::cached(std::uint64_t key) {
  const auto any = [](const RawObject&) { return true; };
  if (ObjectPtr object = m_young.by_offset.find(key, any)) {
    return object;
  }
  ObjectPtr object = m_old.by_offset.find(key, any);
  if (object) {
    turn_over_if_full();
    m_young.bytes += footprint(*object);
    m_young.by_offset.insert(key, object);
  }
  return object;
}

void ObjectReader::turn_over_if_full() {
  if (m_young.bytes > m_generation_limit) {
    m_old = std::move(m_young);
    m_young = Generation();
  }
}

ObjectPtr ObjectReader::remember(std::uint64_t key, std::string_view bytes, git_object_t type) {
  auto tree = std::make_shared<RawObject>();
  tree->bytes.assign(bytes);
  tree->type = type;
  if (type == GIT_OBJECT_TREE) {
    tree->parsed = parse_tree(tree->bytes, tree->entries);
  }
  turn_over_if_full();
  m_young.bytes += footprint(*tree);
  m_young.by_offset.insert(key, tree);
  return tree;
}

ObjectPtr ObjectReader::packed(std::size_t p, std::uint64_t offset, std::string& error) {
  const Pack& pack = *m_packs->packs[p];
  struct Link {
    std::uint64_t offset;
    PackedHeader header;
  };
  std::vector<Link> chain;  // from the object down to its first cached or whole base
  ObjectPtr base;
  for (int depth = 0;; ++depth) {
    if (depth == k_max_chain) {
      error = "delta chain too long";
      return nullptr;
    }
    if ((base = cached(cache_key(p, offset)))) {
      break;
    }
    // The whole object in one read: the header, then the zlib data.
    if (m_compressed.size() <= chain.size()) {
      m_compressed.resize(chain.size() + 1);
    }
    Buffer& bytes = m_compressed[chain.size()];
    std::optional<PackedHeader> h;
    if (pack.read(offset, pack.end_of(offset), bytes)) {
      h = Pack::parse_header(bytes.view(), offset);
    }
    if (!h) {
      error = fmt::format("bad object at offset {} of {}", offset, pack.path().filename().string());
      return nullptr;
    }
    chain.push_back({offset, *h});
    if (h->type == PackType::ofs_delta) {
      offset = h->base_offset;
    } else if (h->type == PackType::ref_delta) {
      std::optional<std::uint64_t> at = pack.find(h->base_id);
      if (!at) {
        error = fmt::format("delta base {} is not in {}", oid_hex(h->base_id), pack.path().filename().string());
        return nullptr;
      }
      offset = *at;
    } else {
      break;
    }
    // A base reference can point forward, so a crafted pack can close a
    // loop; each turn would hold another copy of its objects until the
    // chain limit.
    if (std::any_of(chain.begin(), chain.end(), [&](const Link& l) { return l.offset == offset; })) {
      error = fmt::format("delta cycle at offset {} of {}", offset, pack.path().filename().string());
      return nullptr;
    }
  }
  for (std::size_t i = chain.size(); i-- > 0;) {
    const Link& link = chain[i];
    const bool whole = !base;
    const std::string_view data = m_compressed[i].view().substr(link.header.length);
    if (!m_inflater.inflate(data, link.header.size, whole ? m_result : m_delta)) {
      error = fmt::format("corrupt data at offset {} of {}", link.offset, pack.path().filename().string());
      return nullptr;
    }
    const git_object_t type = whole ? object_type(link.header.type) : base->type;
    if (!whole && !apply_delta(base->bytes, m_delta.view(), m_result)) {
      error = fmt::format("delta at offset {} of {} does not apply", link.offset, pack.path().filename().string());
      return nullptr;
    }
    base = remember(cache_key(p, link.offset), m_result.view(), type);
  }
  for (Buffer& b : m_compressed) {
    b.shrink_if_over(1 << 20);
  }
  return base;
}

} // namespace leakstop::sources
