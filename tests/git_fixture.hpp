#pragma once
// A temporary directory holding a real git repository, driven by the real
// `git` and the real `leakstop` binary. Nothing is mocked.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace leakstop::test {

struct RunResult {
  int rc;
  std::string out;  // stdout and stderr together
};

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// Runs `command` with /bin/sh in `dir`; returns its exit status and output.
inline RunResult run_in(const std::filesystem::path& dir, const std::string& command) {
  std::string full = "cd " + quote(dir.string()) + " && { " + command + " ; } 2>&1 </dev/null";
  FILE* pipe = ::popen(full.c_str(), "r");
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    out.append(buffer, n);
  }
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, out};
}

class TempDir {
public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "leakstop-test-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    if (!made) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

// Isolates git from the machine's configuration: a private HOME, no system
// config, a fixed identity, and a shared compiled-rules cache.
inline void isolate_environment(const std::filesystem::path& home) {
  ::setenv("HOME", home.c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home / ".config").c_str(), 1);
  ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  ::setenv("GIT_AUTHOR_NAME", "Test Author", 1);
  ::setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
  ::setenv("GIT_COMMITTER_NAME", "Test Committer", 1);
  ::setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
  ::setenv("LEAKSTOP_CACHE_DIR", LEAKSTOP_TEST_CACHE_DIR, 1);
  ::setenv("LEAKSTOP_RULES_DIR", LEAKSTOP_TEST_RULES_DIR, 1);
  ::unsetenv("NO_COLOR");
  ::unsetenv("GIT_DIR");
  ::unsetenv("GIT_INDEX_FILE");
  ::unsetenv("GIT_WORK_TREE");
}

inline std::string leakstop_bin() {
  return LEAKSTOP_TEST_BIN;
}

class GitRepo {
public:
  GitRepo() : m_root(m_tmp.path() / "repo") {
    isolate_environment(m_tmp.path() / "home");
    std::filesystem::create_directories(m_tmp.path() / "home");
    std::filesystem::create_directories(m_root);
    must("git init -q -b main . && git config commit.gpgsign false");
  }

  const std::filesystem::path& root() const { return m_root; }
  const std::filesystem::path& tmp() const { return m_tmp.path(); }

  RunResult run(const std::string& command) const { return run_in(m_root, command); }

  // Runs `command` and throws with its output when it fails.
  std::string must(const std::string& command) const {
    RunResult r = run(command);
    if (r.rc != 0) {
      throw std::runtime_error("command failed (" + std::to_string(r.rc) + "): " + command + "\n" + r.out);
    }
    return r.out;
  }

  RunResult leakstop(const std::string& args) const { return run(quote(leakstop_bin()) + " " + args); }

  void write(const std::string& relative, const std::string& content) const {
    std::filesystem::path file = m_root / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << content;
  }

  std::string read(const std::string& relative) const { return read_bytes(m_root / relative); }

  static std::string read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  void install_hook() const { must(quote(leakstop_bin()) + " install"); }

  // `git commit` firing the installed hooks.
  RunResult commit(const std::string& message = "change") const { return run("git commit -q -m " + quote(message)); }

private:
  TempDir m_tmp;
  std::filesystem::path m_root;
};

} // namespace leakstop::test
