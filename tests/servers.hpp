#pragma once
// Real servers for tests, on 127.0.0.1 and a free port: any program run in
// its own process group (stopped, children too, at the end of the test), and
// `git daemon`.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace leakstop::test {

// A free TCP port on 127.0.0.1 (bound, then released: the race is benign).
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A server process in its own process group, stopped (with its children)
// at the end of the test.
class Server {
public:
  Server(const std::vector<std::string>& argv, int port) : m_port(port) {
    m_pid = ::fork();
    if (m_pid == 0) {
      ::setpgid(0, 0);
      // Quiet: the readiness probes below make git daemon complain.
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      std::vector<char*> args;
      for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
      }
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::setpgid(m_pid, m_pid);
    for (int i = 0; i < 500 && !accepts(port); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!accepts(port)) {
      stop();  // a throwing constructor runs no destructor
      FAIL("the server " << argv.front() << " did not listen on port " << port);
    }
  }
  ~Server() { stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return m_port; }

private:
  void stop() {
    ::kill(-m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
  pid_t m_pid = -1;
  int m_port;
};

// `git daemon` serving every repository under `base` as git://127.0.0.1:PORT/<dir>.
struct GitDaemon : Server {
  explicit GitDaemon(const std::filesystem::path& base, int port = free_port())
    : Server({"git", "daemon", "--reuseaddr", "--export-all", "--informative-errors", "--base-path=" + base.string(),
              "--listen=127.0.0.1", "--port=" + std::to_string(port)},
             port) {}
  std::string url(const std::string& dir) const { return "git://127.0.0.1:" + std::to_string(port()) + "/" + dir; }
};

} // namespace leakstop::test
