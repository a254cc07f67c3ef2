#include "cli/shell_command.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

extern char** environ;

namespace leakstop::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Closes a descriptor once.
class Fd {
public:
  explicit Fd(int fd = -1) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }
  void reset() {
    if (m_fd >= 0) {
      ::close(m_fd);
      m_fd = -1;
    }
  }

private:
  int m_fd;
};

// SIGPIPE ignored for the object's lifetime: a command that exits without
// reading its stdin must not kill the scan that wrote to it.
class IgnoreSigpipe {
public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &m_old);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &m_old, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
  struct sigaction m_old {};
};

// The child's wait status once it has ended, without blocking.
std::optional<int> reaped(pid_t pid) {
  int status = 0;
  pid_t r = 0;
  do {
    r = ::waitpid(pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  return r == pid ? std::optional<int>(status) : std::nullopt;
}

ShellResult from_wait_status(int status) {
  ShellResult result;
  if (WIFSIGNALED(status)) {
    result.outcome = ShellResult::Outcome::signalled;
    result.status = WTERMSIG(status);
  } else {
    result.status = WEXITSTATUS(status);
  }
  return result;
}

// SIGTERM to the group, SIGKILL after a grace period; then reaped.
void stop_group(pid_t pid) {
  ::kill(-pid, SIGTERM);
  const Clock::time_point grace = Clock::now() + std::chrono::seconds(2);
  while (Clock::now() < grace) {
    if (reaped(pid)) {
      ::kill(-pid, SIGKILL);  // whatever the shell left behind in its group
      return;
    }
    ::poll(nullptr, 0, 10);
  }
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

} // namespace

int ShellResult::exit_code() const {
  switch (outcome) {
  case Outcome::exited: return status;
  case Outcome::signalled: return 128 + status;
  case Outcome::timed_out: return 124;
  case Outcome::not_started: return 127;
  }
  return 127;
}

std::string ShellResult::describe(std::chrono::seconds timeout) const {
  switch (outcome) {
  case Outcome::exited: return fmt::format("exited with {}", status);
  case Outcome::signalled: return fmt::format("killed by signal {}", status);
  case Outcome::timed_out: return fmt::format("timed out after {} s and was killed", timeout.count());
  case Outcome::not_started: return fmt::format("could not start: {}", detail);
  }
  return "";
}

ShellResult run_shell(const std::string& command, std::string_view input, std::chrono::seconds timeout) {
  ShellResult result;
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.outcome = ShellResult::Outcome::not_started;
    result.detail = fmt::format("pipe: {}", std::strerror(errno));
    return result;
  }
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT}) {
    sigaddset(&defaults, sig);
  }
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  std::string sh = "/bin/sh", dash_c = "-c", text = command;
  char* argv[] = {sh.data(), dash_c.data(), text.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  read_end.reset();
  if (spawned != 0) {
    result.outcome = ShellResult::Outcome::not_started;
    result.detail = fmt::format("/bin/sh: {}", std::strerror(spawned));
    return result;
  }

  IgnoreSigpipe no_sigpipe;
  ::fcntl(write_end.get(), F_SETFL, O_NONBLOCK);
  const Clock::time_point deadline = Clock::now() + timeout;
  std::size_t written = 0;
  if (input.empty()) {
    write_end.reset();
  }
  while (true) {
    if (std::optional<int> status = reaped(pid)) {
      return from_wait_status(*status);
    }
    if (Clock::now() >= deadline) {
      stop_group(pid);
      result.outcome = ShellResult::Outcome::timed_out;
      return result;
    }
    if (write_end.get() < 0) {
      ::poll(nullptr, 0, 10);
      continue;
    }
    pollfd out{write_end.get(), POLLOUT, 0};
    if (::poll(&out, 1, 10) > 0) {
      const ssize_t n = ::write(write_end.get(), input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      // EPIPE: the command closed its stdin; the rest is not for it.
      if (written == input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        write_end.reset();
      }
    }
  }
}

} // namespace leakstop::cli
