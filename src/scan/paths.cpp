#include "scan/paths.hpp"

#include <cstdlib>

#include "core/error.hpp"

namespace leakstop::scan {
namespace fs = std::filesystem;

fs::path executable_path() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path("leakstop") : exe;
}

fs::path rules_directory(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) {
    return explicit_dir;
  }
  if (const char* env = std::getenv("LEAKSTOP_RULES_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  fs::path installed = executable_path().parent_path().parent_path() / "share" / "leakstop" / "rules";
  if (fs::is_directory(installed, ec)) {
    return installed;
  }
  fs::path source = fs::path(LEAKSTOP_SOURCE_DIR) / "rules";
  if (fs::is_directory(source, ec)) {
    return source;
  }
  throw ConfigError("cannot find the rules directory: reinstall leakstop, or pass --rules DIR");
}

fs::path installed_cache_directory() {
  return executable_path().parent_path().parent_path() / "share" / "leakstop" / "cache";
}

} // namespace leakstop::scan
