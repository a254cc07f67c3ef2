#include "cli/audit_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "sources/git.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

const char* result_of(int exit_code) {
  switch (exit_code) {
  case static_cast<int>(ExitCode::clean): return "clean";
  case static_cast<int>(ExitCode::findings): return "findings";
  default: return "error";
  }
}

} // namespace

std::string audit_log_line(const RunContext& context, const RunRecord& record, int exit_code) {
  nlohmann::ordered_json j = {{"time", iso8601_utc(context.time) + "Z"},
                      {"action", context.action},
                      {"actor", context.actor},
                      {"repository", strip_userinfo(context.repository)},
                      {"result", result_of(exit_code)},
                      {"exit_code", exit_code},
                      {"findings", record.findings},
                      {"files_scanned", record.files_scanned}};
  // In the documented order. Paths and user names are bytes: invalid UTF-8 becomes U+FFFD rather than an exception.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

void append_audit_log(const std::string& file, const std::string& line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw ConfigError(fmt::format("--audit-log {}: cannot open it: {}", file, std::strerror(errno)));
  }
  // One write: with O_APPEND the kernel places it at the end atomically
  // with respect to other appends, so concurrent runs' lines stay whole.
  ssize_t written = -1;
  do {
    written = ::write(fd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (written != static_cast<ssize_t>(line.size())) {
    throw ConfigError(fmt::format("--audit-log {}: cannot append to it: {}", file,
                                  written < 0 ? std::strerror(write_errno) : "short write"));
  }
  if (!closed) {
    throw ConfigError(fmt::format("--audit-log {}: cannot append to it: {}", file, std::strerror(errno)));
  }
}

std::string repository_for_log(const std::string& start) {
  if (start.empty()) {
    return "";
  }
  std::error_code ec;
  fs::path root = sources::find_worktree_root(start, sources::GitEnv::ignore);
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
  return strip_userinfo(out);
}

std::string actor_for_log() {
  const char* user = std::getenv("USER");
  return user && *user ? std::string(user) : std::string("unknown");
}

} // namespace leakstop::cli
