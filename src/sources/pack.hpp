#pragma once
// Reading git pack files directly: the .idx (where each object starts), the
// object headers, zlib and the delta format. Internal to leakstop_sources.
//
// libgit2 reads one object at a time through its delta-base cache and
// object cache. A history scan reads *every* blob once, which is what
// `git index-pack` does: inflate each base once and apply each of its deltas
// to it while it is in memory, so no object is inflated twice and no cache
// is needed. Formats: Documentation/gitformat-pack.txt in git.
//
// NOTE: on bench/history.sh's repository (22,127 blobs, 258 MB), libgit2
// read every blob in pack order in 0.85 s on one thread, 1.3x the time of
// `git cat-file --batch-all-objects` reading every object; this reader
// takes 0.22 s, and 0.11 s on two threads.

#include <git2.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/file.hpp"

namespace leakstop::sources {

// A growable byte buffer that, unlike std::string, does not zero what it
// is about to overwrite.
// Thread-safety: not thread-safe; one per worker.
class Buffer {
public:
  char* data() { return m_data.get(); }
  const char* data() const { return m_data.get(); }
  std::size_t size() const { return m_size; }
  std::string_view view() const { return {m_data.get(), m_size}; }
  // Makes room for `size` bytes and sets the size; the content is
  // undefined. False, and empty, when that much memory cannot be had: the
  // caller marks its one object bad instead of aborting the scan.
  [[nodiscard]] bool resize_for_overwrite(std::uint64_t size);
  // Gives memory back when a rare huge object left a huge buffer behind.
  void shrink_if_over(std::size_t limit);

private:
  std::unique_ptr<char[]> m_data;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
};

enum class PackType : std::uint8_t { commit = 1, tree = 2, blob = 3, tag = 4, ofs_delta = 6, ref_delta = 7 };

struct PackedHeader {
  PackType type = PackType::blob;
  std::uint64_t size = 0;         // inflated size: the object's, or the delta's
  std::uint32_t length = 0;       // bytes of header (and base reference) before the zlib data
  std::uint64_t base_offset = 0;  // ofs_delta
  git_oid base_id{};              // ref_delta
};

// One pack: its .idx mapped, its .pack read with pread. Thread-safe.
class Pack {
public:
  // Null when the .idx is not version 2, or it or its .pack is missing or
  // inconsistent (as git checks them): such objects are then read through
  // libgit2.
  // `why`, when given, says what was wrong (left empty for a version 1
  // index, which is valid).
  static std::unique_ptr<Pack> open(const std::filesystem::path& idx_file, std::string* why = nullptr);
  ~Pack();
  Pack(const Pack&) = delete;
  Pack& operator=(const Pack&) = delete;

  const std::filesystem::path& path() const { return m_pack_path; }
  // Where the objects end and the pack's checksum begins.
  std::uint64_t data_end() const { return m_data_end; }
  // Offset of object `id` in this pack, if it holds it.
  std::optional<std::uint64_t> find(const git_oid& id) const;
  // The object id stored at `offset`, if an object starts there.
  std::optional<git_oid> id_at(std::uint64_t offset) const;
  // Where the object starting at `offset` ends: the next object's offset.
  std::uint64_t end_of(std::uint64_t offset) const;
  // Reads [offset, end) into `out`; false on a short read.
  bool read(std::uint64_t offset, std::uint64_t end, Buffer& out) const;
  // Parses the header at the start of `bytes` (read from `offset`).
  static std::optional<PackedHeader> parse_header(std::string_view bytes, std::uint64_t offset);

private:
  Pack(MappedFile idx, int fd, std::uint64_t pack_size, std::filesystem::path pack_path);
  std::uint32_t count() const;
  std::uint64_t offset_of(std::uint32_t position) const;

  MappedFile m_idx;
  int m_fd;
  std::uint64_t m_data_end;  // the pack's trailing checksum starts here
  std::filesystem::path m_pack_path;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> m_by_offset;  // (offset, idx position), sorted
};

// Every usable pack of a repository, newest first (the order git searches
// them in). Shared, read-only, by every thread.
struct PackSet {
  std::vector<std::unique_ptr<Pack>> packs;
  // Packs whose index or data git would refuse too, and why.
  std::vector<std::pair<std::filesystem::path, std::string>> refused;
};

// The packs of the repository whose object directory is `objects_dir`.
std::shared_ptr<const PackSet> open_packs(const std::filesystem::path& objects_dir);

// zlib inflation into a buffer of known size, reusing one stream.
// Thread-safety: not thread-safe; one per worker.
class Inflater {
public:
  Inflater();
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  // Inflates `in` into exactly `size` bytes of `out`; false if the data is
  // corrupt or does not have that size. `size` comes from the pack: more
  // than `in` can inflate to is refused before anything is allocated.
  bool inflate(std::string_view in, std::uint64_t size, Buffer& out);

private:
  z_stream m_stream{};
};

// The result size a delta declares, or nullopt if its header is corrupt.
std::optional<std::uint64_t> delta_result_size(std::string_view delta);

// Applies git delta `delta` to `base` into `out`; false if the delta is
// corrupt or does not fit the base.
bool apply_delta(std::string_view base, std::string_view delta, Buffer& out);

} // namespace leakstop::sources
