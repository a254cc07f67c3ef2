#include "cli/audit_log.hpp"

#include <filesystem>

#include "sources/git.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

std::string repository_for_log(const std::string& start) {
  if (start.empty()) {
    return "";
  }
  std::error_code ec;
  const fs::path root = sources::find_worktree_root(start, sources::GitEnv::ignore);
  fs::path chosen = root.empty() ? fs::path(start) : root;
  if (!root.empty() || fs::exists(chosen, ec)) {
    fs::path absolute = fs::absolute(chosen, ec);
    if (!ec) {
      chosen = absolute.lexically_normal();
    }
  }
  std::string out = chosen.string();
  while (out.size() > 1 && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

} // namespace leakstop::cli
