#pragma once
// What the fuzz targets share: splitting one input into several files, and
// a scratch directory for the loaders that read from disk.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop::fuzz {

// Separates the parts of an input that holds several files (an .idx and
// its .pack, an ignore file and a baseline): seeds are readable, and
// libFuzzer's mutations keep the parts apart.
constexpr std::string_view k_separator = "\n#LSFUZZ#\n";

// `data` cut at the first `count - 1` separators; missing parts are empty.
inline std::vector<std::string_view> split_parts(const std::uint8_t* data, std::size_t size, std::size_t count) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const std::size_t at = rest.find(k_separator);
    if (at == std::string_view::npos) {
      break;
    }
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + k_separator.size());
  }
  parts.push_back(rest);
  parts.resize(count);
  return parts;
}

// A directory under $TMPDIR, made once per process and removed at exit.
inline const std::filesystem::path& scratch_dir() {
  struct Scratch {
    Scratch() {
      std::string pattern = (std::filesystem::temp_directory_path() / "leakstop-fuzz-XXXXXX").string();
      if (!::mkdtemp(pattern.data())) {
        std::abort();
      }
      dir = pattern;
    }
    ~Scratch() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    std::filesystem::path dir;
  };
  static const Scratch scratch;
  return scratch.dir;
}

inline void write_file(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace leakstop::fuzz
