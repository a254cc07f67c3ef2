// `leakstop cache`: where the compiled rules are kept, and clearing them.
#include <fmt/format.h>

#include <iostream>
#include <system_error>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "engine/compiled_rules.hpp"
#include "scan/paths.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;
namespace {

struct DirUsage {
  std::size_t files = 0;
  std::uintmax_t bytes = 0;
};

// The compiled-rules entries in `dir` (rules-*.bin and leftovers of an
// interrupted write); none when it does not exist.
std::vector<fs::path> cache_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("rules-", 0) == 0 && (name.ends_with(".bin") || name.ends_with(".tmp"))) {
      out.push_back(it->path());
    }
  }
  return out;
}

DirUsage usage_of(const fs::path& dir) {
  DirUsage usage;
  for (const fs::path& file : cache_entries(dir)) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    ++usage.files;
    usage.bytes += ec ? 0 : size;
  }
  return usage;
}

std::string describe(const fs::path& dir) {
  const DirUsage usage = usage_of(dir);
  return fmt::format("{} ({} files, {:.1f} MB)", printable(dir.string()), usage.files,
                     static_cast<double>(usage.bytes) / 1e6);
}

} // namespace

int cmd_cache_info(const CommonOptions& options) {
  const engine::CacheOptions cache = scan::cache_options(options);
  std::cout << "rules:           " << printable(scan::rules_directory(options.rules_dir).string()) << '\n';
  if (cache.dir.empty()) {
    std::cout << "per-user cache:  none (--no-cache)\n";
  } else {
    std::cout << "per-user cache:  " << describe(cache.dir) << '\n';
    // The entry these rules load from, without compiling them.
    const rules::RuleFiles files = scan::shipped_rule_files(options);
    const fs::path entry = engine::CompiledRules::cache_file(cache.dir, scan::rules_identity(files.digest(), nullptr));
    std::error_code ec;
    std::cout << "these rules:     " << printable(entry.filename().string())
              << (fs::exists(entry, ec) ? "" : " (not cached yet)") << '\n';
  }
  const fs::path installed = scan::installed_cache_directory();
  std::error_code ec;
  std::cout << "installed cache: " << (fs::is_directory(installed, ec) ? describe(installed) : std::string("none"))
            << '\n';
  return 0;
}

int cmd_cache_clear(const CommonOptions& options) {
  const engine::CacheOptions cache = scan::cache_options(options);
  if (cache.dir.empty()) {
    std::cout << "no cache (--no-cache): nothing to clear\n";
    return 0;
  }
  DirUsage removed;
  for (const fs::path& file : cache_entries(cache.dir)) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (fs::remove(file, ec)) {
      ++removed.files;
      removed.bytes += size == static_cast<std::uintmax_t>(-1) ? 0 : size;
    } else if (ec) {
      throw RepoError(fmt::format("cannot remove {}: {}", printable(file.string()), ec.message()));
    }
  }
  std::cout << fmt::format("removed {} files ({:.1f} MB) from {}\n", removed.files,
                           static_cast<double>(removed.bytes) / 1e6, printable(cache.dir.string()));
  return 0;
}

int cmd_cache_build(const CommonOptions& options, const std::string& out_dir) {
  const fs::path file = scan::build_installed_cache(options, out_dir);
  std::cout << "wrote " << printable(file.string()) << '\n';
  return 0;
}

} // namespace leakstop::cli
