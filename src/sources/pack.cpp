#include "sources/pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>

namespace leakstop::sources {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_fanout_end = 8 + 256 * 4;  // magic, version, fan-out table
constexpr std::size_t k_oid = GIT_OID_RAWSZ;
constexpr std::uint64_t k_pack_header = 12;        // "PACK", version, object count
// Deflate expands data at most 1032 times (zlib's FAQ): an object whose
// header declares more than that of its compressed size is corrupt.
constexpr std::uint64_t k_max_inflate_ratio = 1032;
// zlib counts bytes in uInt: larger buffers go in and out in pieces.
constexpr std::uint64_t k_zlib_max = UINT_MAX;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint64_t be64(const unsigned char* p) {
  return (std::uint64_t{be32(p)} << 32) | be32(p + 4);
}

const unsigned char* bytes(const MappedFile& file) {
  return reinterpret_cast<const unsigned char*>(file.view().data());
}

// A variable-length size of the delta format: 7 bits a byte, low bits first.
std::optional<std::uint64_t> delta_varint(const unsigned char*& p, const unsigned char* end) {
  std::uint64_t value = 0;
  for (int shift = 0; p < end && shift < 64; shift += 7) {
    const unsigned char c = *p++;
    value |= std::uint64_t{c & 0x7fu} << shift;
    if (!(c & 0x80)) {
      return value;
    }
  }
  return std::nullopt;
}

// One instruction of a delta: copy `length` bytes of the base from
// `offset`, or insert the `length` bytes at `data`.
struct DeltaOp {
  const unsigned char* data = nullptr;  // null: a copy
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// Reads the instruction at `p` (before `end`) and moves past it; false
// when it is truncated or reserved.
bool next_op(const unsigned char*& p, const unsigned char* end, DeltaOp& op) {
  const unsigned char c = *p++;
  if (c & 0x80) {
    // Up to 4 offset bytes and 3 size bytes, each present only when its bit is set.
    op.data = nullptr;
    op.offset = 0;
    op.length = 0;
    for (int i = 0; i < 4; ++i) {
      if (c & (1u << i)) {
        if (p == end) return false;
        op.offset |= std::uint64_t{*p++} << (8 * i);
      }
    }
    for (int i = 0; i < 3; ++i) {
      if (c & (0x10u << i)) {
        if (p == end) return false;
        op.length |= std::uint64_t{*p++} << (8 * i);
      }
    }
    if (op.length == 0) {
      op.length = 0x10000;
    }
    return true;
  }
  if (c == 0 || c > end - p) {
    return false;  // opcode 0 is reserved
  }
  op.data = p;
  op.length = c;
  p += c;
  return true;
}

} // namespace

bool Buffer::resize_for_overwrite(std::uint64_t size) {
  if (size > m_capacity) {
    if (size > PTRDIFF_MAX) {
      return false;
    }
    const std::size_t capacity = std::max(static_cast<std::size_t>(size), m_capacity + m_capacity / 2);
    m_data.reset(new (std::nothrow) char[capacity]);
    if (!m_data) {
      m_capacity = 0;
      m_size = 0;
      return false;
    }
    m_capacity = capacity;
  }
  m_size = static_cast<std::size_t>(size);
  return true;
}

void Buffer::shrink_if_over(std::size_t limit) {
  if (m_capacity > limit) {
    m_data.reset();
    m_capacity = 0;
    m_size = 0;
  }
}

std::unique_ptr<Pack> Pack::open(const fs::path& idx_file, std::string* why) {
  auto refuse = [why](const char* reason) -> std::unique_ptr<Pack> {
    if (why) {
      *why = reason;
    }
    return nullptr;
  };
  std::optional<MappedFile> idx = MappedFile::open(idx_file);
  if (!idx || idx->view().size() < k_fanout_end + 2 * k_oid) {
    return refuse(idx ? "index too short" : "index unreadable");
  }
  const unsigned char* p = bytes(*idx);
  if (std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2) {
    return nullptr;  // version 1 indexes (git before 1.5.2) are left to libgit2
  }
  // As git's load_idx: the fan-out rises, and the size is exact for the
  // object count, but for the 64-bit offsets of packs over 2 GiB.
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < 256; ++i) {
    const std::uint32_t up_to = be32(p + 8 + i * 4);
    if (up_to < n) {
      return refuse("index fan-out falls");
    }
    n = up_to;
  }
  const std::uint64_t min_size = k_fanout_end + std::uint64_t{n} * (k_oid + 4 + 4) + 2 * k_oid;
  const std::uint64_t max_size = min_size + (n ? std::uint64_t{n - 1} * 8 : 0);
  if (idx->view().size() < min_size || idx->view().size() > max_size) {
    return refuse("index size does not fit its object count");
  }
  fs::path pack_path = fs::path(idx_file).replace_extension(".pack");
  int fd = ::open(pack_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return refuse("pack file missing or unreadable");
  }
  // As git's open_packed_git_1: the pack's header agrees with the index on
  // the object count, and its checksum is the one the index was made for.
  struct stat st {};
  unsigned char header[k_pack_header] = {};
  unsigned char checksum[k_oid] = {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < k_pack_header + k_oid ||
      ::pread(fd, header, sizeof header, 0) != static_cast<ssize_t>(sizeof header) ||
      ::pread(fd, checksum, sizeof checksum, st.st_size - static_cast<off_t>(k_oid)) != static_cast<ssize_t>(k_oid) ||
      std::memcmp(header, "PACK", 4) != 0 || (be32(header + 4) != 2 && be32(header + 4) != 3) ||
      be32(header + 8) != n || std::memcmp(checksum, p + idx->view().size() - 2 * k_oid, k_oid) != 0) {
    ::close(fd);
    return refuse("pack header, object count or checksum does not match its index (truncated or corrupt)");
  }
  std::unique_ptr<Pack> pack(new Pack(std::move(*idx), fd, static_cast<std::uint64_t>(st.st_size), pack_path));
  pack->m_by_offset.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint64_t offset = pack->offset_of(i);
    if (offset < k_pack_header || offset >= pack->m_data_end) {
      // Outside the pack's objects (offset_of gives 0 for a bad 64-bit one).
      return refuse("index points outside the pack");
    }
    pack->m_by_offset.emplace_back(offset, i);
  }
  std::sort(pack->m_by_offset.begin(), pack->m_by_offset.end());
  return pack;
}

Pack::Pack(MappedFile idx, int fd, std::uint64_t pack_size, fs::path pack_path)
  : m_idx(std::move(idx)), m_fd(fd), m_data_end(pack_size - k_oid), m_pack_path(std::move(pack_path)) {}

Pack::~Pack() {
  ::close(m_fd);
}

std::uint32_t Pack::count() const {
  return be32(bytes(m_idx) + k_fanout_end - 4);
}

std::uint64_t Pack::offset_of(std::uint32_t position) const {
  const unsigned char* offsets = bytes(m_idx) + k_fanout_end + std::size_t{count()} * (k_oid + 4);
  const std::uint32_t small = be32(offsets + std::size_t{position} * 4);
  if (!(small & 0x80000000u)) {
    return small;
  }
  // Packs over 2 GiB: the 31 bits index a table of 64-bit offsets.
  const unsigned char* large = offsets + std::size_t{count()} * 4 + std::size_t{small & 0x7fffffffu} * 8;
  if (large + 8 > bytes(m_idx) + m_idx.view().size() - 40) {
    return 0;
  }
  return be64(large);
}

std::optional<std::uint64_t> Pack::find(const git_oid& id) const {
  const unsigned char* p = bytes(m_idx);
  const unsigned char first = id.id[0];
  std::uint32_t lo = first == 0 ? 0 : be32(p + 8 + (first - 1) * 4);
  std::uint32_t hi = be32(p + 8 + first * 4);
  const unsigned char* oids = p + k_fanout_end;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const int cmp = std::memcmp(oids + std::size_t{mid} * k_oid, id.id, k_oid);
    if (cmp == 0) {
      return offset_of(mid);
    }
    if (cmp < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

std::optional<git_oid> Pack::id_at(std::uint64_t offset) const {
  auto it = std::lower_bound(m_by_offset.begin(), m_by_offset.end(), std::make_pair(offset, std::uint32_t{0}));
  if (it == m_by_offset.end() || it->first != offset) {
    return std::nullopt;
  }
  git_oid id;
  std::memcpy(id.id, bytes(m_idx) + k_fanout_end + std::size_t{it->second} * k_oid, k_oid);
  return id;
}

std::uint64_t Pack::end_of(std::uint64_t offset) const {
  auto it = std::upper_bound(m_by_offset.begin(), m_by_offset.end(),
                             std::make_pair(offset, std::numeric_limits<std::uint32_t>::max()));
  return it == m_by_offset.end() ? m_data_end : std::min(it->first, m_data_end);
}

bool Pack::read(std::uint64_t offset, std::uint64_t end, Buffer& out) const {
  if (end <= offset || end > m_data_end) {
    return false;
  }
  if (!out.resize_for_overwrite(end - offset)) {
    return false;
  }
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(m_fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<PackedHeader> Pack::parse_header(std::string_view data, std::uint64_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const unsigned char* end = p + data.size();
  if (p == end) {
    return std::nullopt;
  }
  PackedHeader h;
  unsigned char c = *p++;
  h.type = static_cast<PackType>((c >> 4) & 7);
  h.size = c & 15u;
  for (int shift = 4; c & 0x80; shift += 7) {
    if (p == end || shift > 57) {
      return std::nullopt;
    }
    c = *p++;
    h.size |= std::uint64_t{c & 0x7fu} << shift;
  }
  switch (h.type) {
  case PackType::commit:
  case PackType::tree:
  case PackType::blob:
  case PackType::tag: break;
  case PackType::ofs_delta: {
    // Big-endian base-128 distance back to the base, with an offset of one
    // added per continuation byte so that every value has one encoding.
    if (p == end) {
      return std::nullopt;
    }
    c = *p++;
    std::uint64_t distance = c & 0x7fu;
    while (c & 0x80) {
      if (p == end || distance > (std::uint64_t{1} << 56)) {
        return std::nullopt;
      }
      c = *p++;
      distance = ((distance + 1) << 7) | (c & 0x7fu);
    }
    if (distance == 0 || distance > offset) {
      return std::nullopt;
    }
    h.base_offset = offset - distance;
    break;
  }
  case PackType::ref_delta:
    if (end - p < static_cast<std::ptrdiff_t>(k_oid)) {
      return std::nullopt;
    }
    std::memcpy(h.base_id.id, p, k_oid);
    p += k_oid;
    break;
  default: return std::nullopt;
  }
  h.length = static_cast<std::uint32_t>(p - reinterpret_cast<const unsigned char*>(data.data()));
  return h;
}

std::shared_ptr<const PackSet> open_packs(const fs::path& objects_dir) {
  std::vector<std::pair<fs::file_time_type, fs::path>> idx_files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(objects_dir / "pack", ec)) {
    if (entry.path().extension() == ".idx") {
      idx_files.emplace_back(entry.last_write_time(ec), entry.path());
    }
  }
  // Newest first, as git looks them up; the name breaks ties.
  std::sort(idx_files.begin(), idx_files.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  auto set = std::make_shared<PackSet>();
  for (const auto& [time, file] : idx_files) {
    std::string why;
    if (auto pack = Pack::open(file, &why)) {
      set->packs.push_back(std::move(pack));
    } else if (!why.empty()) {
      set->refused.emplace_back(file, std::move(why));
    }
  }
  return set;
}

Inflater::Inflater() {
  inflateInit(&m_stream);
}

Inflater::~Inflater() {
  inflateEnd(&m_stream);
}

bool Inflater::inflate(std::string_view in, std::uint64_t size, Buffer& out) {
  if (size / k_max_inflate_ratio > in.size() || !out.resize_for_overwrite(size) || inflateReset(&m_stream) != Z_OK) {
    return false;
  }
  const auto* in_next = reinterpret_cast<const Bytef*>(in.data());
  std::uint64_t in_left = in.size();
  auto* out_next = reinterpret_cast<Bytef*>(out.data());
  std::uint64_t out_left = size;
  // One spare byte, so that data longer than its header claims is caught.
  unsigned char spare = 0;
  bool spare_given = false;
  m_stream.avail_in = 0;
  m_stream.avail_out = 0;
  for (;;) {
    if (m_stream.avail_in == 0 && in_left > 0) {
      const auto piece = static_cast<uInt>(std::min(in_left, k_zlib_max));
      m_stream.next_in = const_cast<Bytef*>(in_next);
      m_stream.avail_in = piece;
      in_next += piece;
      in_left -= piece;
    }
    if (m_stream.avail_out == 0) {
      if (out_left > 0) {
        const auto piece = static_cast<uInt>(std::min(out_left, k_zlib_max));
        m_stream.next_out = out_next;
        m_stream.avail_out = piece;
        out_next += piece;
        out_left -= piece;
      } else if (!spare_given) {
        m_stream.next_out = &spare;
        m_stream.avail_out = 1;
        spare_given = true;
      } else {
        return false;
      }
    }
    // Z_FINISH once everything is in: zlib then inflates straight into the
    // output, without keeping a window, as it did when this was one call.
    const int rc = ::inflate(&m_stream, in_left == 0 && out_left == 0 ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      return m_stream.total_out == size;
    }
    // Z_BUF_ERROR with the output full wants more room (the spare byte);
    // with room left, the data ended early.
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && m_stream.avail_out == 0)) {
      return false;
    }
  }
}

std::optional<std::uint64_t> delta_result_size(std::string_view delta) {
  const auto* p = reinterpret_cast<const unsigned char*>(delta.data());
  const unsigned char* end = p + delta.size();
  if (!delta_varint(p, end)) {
    return std::nullopt;
  }
  return delta_varint(p, end);
}

bool apply_delta(std::string_view base, std::string_view delta, Buffer& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(delta.data());
  const unsigned char* const end = p + delta.size();
  std::optional<std::uint64_t> base_size = delta_varint(p, end);
  std::optional<std::uint64_t> result_size = delta_varint(p, end);
  if (!base_size || !result_size || *base_size != base.size()) {
    return false;
  }
  // The instructions are checked before the result is allocated: its
  // declared size is only believed once they produce exactly that much.
  const unsigned char* const ops = p;
  std::uint64_t produced = 0;
  DeltaOp op;
  while (p < end) {
    if (!next_op(p, end, op) || (!op.data && (op.offset > base.size() || op.length > base.size() - op.offset))) {
      return false;
    }
    produced += op.length;
    if (produced > *result_size) {
      return false;
    }
  }
  if (produced != *result_size || !out.resize_for_overwrite(produced)) {
    return false;
  }
  char* dest = out.data();
  for (p = ops; p < end;) {
    next_op(p, end, op);
    std::memcpy(dest, op.data ? reinterpret_cast<const char*>(op.data) : base.data() + op.offset, op.length);
    dest += op.length;
  }
  return true;
}

} // namespace leakstop::sources
