#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "core/error.hpp"
#include "core/file.hpp"
#include "sources/sources.hpp"

namespace leakstop::sources {
namespace fs = std::filesystem;

namespace {

// FNV-1a: a fixed, portable hash, so the sample is the same on every run.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h = (h ^ c) * 0x100000001b3ULL;
  }
  return h;
}

struct Entry {
  std::uint64_t hash;
  std::string path;
  std::uint64_t size;
};

void list_files(const fs::path& root, std::vector<Entry>& out) {
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    throw ConfigError(fmt::format("--corpus {}: cannot read directory: {}", root.string(), ec.message()));
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      break;
    }
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) {
      continue;
    }
    std::string path = it->path().string();
    std::uint64_t size = it->file_size(ec);
    out.push_back({fnv1a(path), std::move(path), ec ? 0 : size});
  }
}

} // namespace

CorpusStats enumerate_corpus(const std::vector<std::string>& roots, const CorpusOptions& options, const BlobSink& sink) {
  std::vector<Entry> files;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      throw ConfigError(fmt::format("--corpus {}: not a directory", root));
    }
    list_files(root, files);
  }
  std::sort(files.begin(), files.end(),
            [](const Entry& a, const Entry& b) { return std::tie(a.hash, a.path) < std::tie(b.hash, b.path); });
  CorpusStats stats;
  for (const Entry& file : files) {
    if (stats.text_bytes >= options.max_bytes) {
      stats.complete = false;
      break;
    }
    SourceBlob blob;
    blob.path = file.path;
    blob.size = file.size;
    std::optional<std::string> content;
    if (file.size > options.max_file_size) {
      blob.skip = Skip::too_large;
    } else if (!(content = read_whole_file(file.path))) {
      blob.skip = Skip::unreadable;
      blob.skip_reason = "cannot read";
    } else if (looks_binary(*content)) {
      blob.skip = Skip::binary;
    } else {
      blob.content = *content;
      stats.text_bytes += content->size();
      ++stats.text_files;
    }
    ++stats.files;
    if (sink(blob) == Flow::stop) {
      stats.complete = false;
      break;
    }
  }
  return stats;
}

} // namespace leakstop::sources
