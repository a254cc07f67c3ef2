#include "scan/dotenv.hpp"

namespace leakstop::scan {
namespace fs = std::filesystem;

bool is_dotenv_name(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.rfind(".env", 0) != 0 || (name.size() > 4 && name[4] != '.')) {
    return false;
  }
  for (const char* suffix : {".example", ".sample", ".template", ".dist"}) {
    std::string s(suffix);
    if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> first_unignored_dotenv(git_repository* repo, const fs::path& root,
                                                  const std::vector<std::string>& staged_dotenv) {
  std::vector<std::string> candidates = staged_dotenv;
  std::error_code ec;
  if (fs::exists(root / ".env", ec)) {
    candidates.push_back(".env");
  }
  for (const std::string& path : candidates) {
    int ignored = 0;
    if (!(git_ignore_path_is_ignored(&ignored, repo, path.c_str()) == 0 && ignored == 1)) {
      return path;
    }
  }
  return std::nullopt;
}

} // namespace leakstop::scan
