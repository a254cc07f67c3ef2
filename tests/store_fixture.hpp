#pragma once
// Shared by the store's tests: object ids, findings as a history scan makes
// them, and forked child processes.

#include "core/secret.hpp"
#include "core/types.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace leakstop::test {

inline const std::string k_digest = std::string(64, 'd');

inline std::string blob(int n) {
  std::string hex = std::to_string(n);
  return std::string(40 - hex.size(), '0') + hex;
}

inline Finding make_finding(const std::string& secret, const std::string& path, const std::string& blob_id,
                            const std::string& commit = std::string(40, 'c')) {
  Finding f;
  f.rule_id = "sample-token";
  f.severity = Severity::high;
  f.secret = secret;
  f.fingerprint = fingerprint(f.rule_id, secret, "");
  f.location.path = path;
  f.location.line = 3;
  f.location.blob = blob_id;
  f.location.commit = CommitInfo{commit, "Ann", "ann@example.org", "2026-01-02T03:04:05Z", "add"};
  return f;
}

inline const store::StoredFinding& only(const std::vector<store::StoredFinding>& all) {
  REQUIRE(all.size() == 1);
  return all.front();
}

// Runs `child` in a forked process; returns its exit status (or 128+signal).
template <typename F> int in_child(F child) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int rc = 99;
    try {
      rc = child();
    } catch (...) {
      rc = 98;
    }
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace leakstop::test
