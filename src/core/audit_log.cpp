#include "core/audit_log.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "core/url.hpp"

namespace leakstop {

std::string audit_log_line(const AuditRecord& record) {
  nlohmann::ordered_json j = {{"time", iso8601_utc(record.time) + "Z"},
                              {"action", record.action},
                              {"actor", record.actor},
                              {"repository", strip_userinfo(record.repository)},
                              {"result", record.result},
                              {"exit_code", record.exit_code},
                              {"findings", record.findings},
                              {"files_scanned", record.files_scanned}};
  // Paths and user names are bytes: invalid UTF-8 becomes U+FFFD rather than an exception.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

void append_audit_log(const std::filesystem::path& file, std::string_view line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw ConfigError(fmt::format("--audit-log {}: cannot open it: {}", file.string(), std::strerror(errno)));
  }
  // One write: with O_APPEND the kernel moves to the end and writes as one
  // step, so lines of concurrent runs stay whole.
  ssize_t written = -1;
  do {
    written = ::write(fd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  const int close_errno = errno;
  if (written != static_cast<ssize_t>(line.size()) || !closed) {
    const char* why = written < 0 ? std::strerror(write_errno)
                    : written != static_cast<ssize_t>(line.size()) ? "short write"
                                                                   : std::strerror(close_errno);
    throw ConfigError(fmt::format("--audit-log {}: cannot append to it: {}", file.string(), why));
  }
}

std::string audit_result(int exit_code) {
  switch (exit_code) {
  case static_cast<int>(ExitCode::clean): return "clean";
  case static_cast<int>(ExitCode::findings): return "findings";
  default: return "error";
  }
}

std::string audit_actor() {
  const char* user = std::getenv("USER");
  return user && *user ? std::string(user) : std::string("unknown");
}

} // namespace leakstop
