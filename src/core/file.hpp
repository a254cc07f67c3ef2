#pragma once
// Reading whole files quickly: one fstat and one read, no stream buffers.
//
// NOTE: an ifstream through an ostringstream took 4.8 ms for the 2 MB
// compiled-rules cache on the CI machine; this takes 0.3 ms.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leakstop {

// The whole content of `file`, or nullopt when it cannot be read.
std::optional<std::string> read_whole_file(const std::filesystem::path& file);

// A read-only memory map of a whole file, unmapped on destruction.
// NOTE: mapping the 2 MB compiled-rules cache instead of reading it saves
// the zero-fill and copy of a 2 MB buffer on every hook run (~1.5 ms).
class MappedFile {
public:
  static std::optional<MappedFile> open(const std::filesystem::path& file);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(m_data), m_size}; }

private:
  MappedFile(void* data, std::size_t size) : m_data(data), m_size(size) {}
  void* m_data;
  std::size_t m_size;
};

} // namespace leakstop
