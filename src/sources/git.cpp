#include "sources/git.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace leakstop::sources {

void check(int rc, std::string_view what) {
  if (rc >= 0) {
    return;
  }
  const git_error* error = git_error_last();
  throw RepoError(fmt::format("{}: {}", what, error && error->message ? error->message : "unknown libgit2 error"));
}

Repository open_repository(const std::string& path) {
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  Repository repo(raw);
  if (rc == GIT_ENOTFOUND) {
    throw RepoError(fmt::format("{}: not inside a git repository", path));
  }
  check(rc, fmt::format("{}: cannot open repository", path));
  return repo;
}

std::string oid_hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return buffer;
}

} // namespace leakstop::sources
