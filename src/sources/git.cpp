#include "sources/git.hpp"

#include <git2/sys/repository.h>

#include <fmt/format.h>

#include "core/error.hpp"

#include <cstdlib>

namespace leakstop::sources {

void check(int rc, std::string_view what) {
  if (rc >= 0) {
    return;
  }
  const git_error* error = git_error_last();
  throw RepoError(fmt::format("{}: {}", what, error && error->message ? error->message : "unknown libgit2 error"));
}

LibGit2::LibGit2(Init init) {
  auto start = [] {
    git_libgit2_init();
    // zlib's checksum and the pack index already vouch for each object;
    // re-hashing every object read cost 7% of a hook run.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  };
  m_done = std::async(init == Init::now ? std::launch::deferred : std::launch::async, start).share();
  if (init == Init::now) {
    m_done.wait();
  }
}

LibGit2::~LibGit2() {
  m_done.wait();
  git_libgit2_shutdown();
}

Repository open_repository(const LibGit2& libgit2, const std::string& path) {
  libgit2.ready();
  const char* git_dir = std::getenv("GIT_DIR");
  const bool from_env = git_dir && *git_dir && path == ".";
  git_repository* raw = nullptr;
  int rc = from_env ? git_repository_open_ext(&raw, git_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr)
                    : git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  Repository repo(raw);
  if (rc == GIT_ENOTFOUND) {
    throw RepoError(fmt::format("{}: not inside a git repository", from_env ? git_dir : path));
  }
  check(rc, fmt::format("{}: cannot open repository", path));
  if (const char* work_tree = std::getenv("GIT_WORK_TREE"); from_env && work_tree && *work_tree) {
    check(git_repository_set_workdir(repo.get(), work_tree, 0), "cannot use $GIT_WORK_TREE");
  }
  // `git commit -a` and `git commit <paths>` stage into a temporary index
  // and point hooks at it with GIT_INDEX_FILE; .git/index is not the truth.
  if (const char* index_file = std::getenv("GIT_INDEX_FILE"); index_file && *index_file) {
    git_index* raw_index = nullptr;
    check(git_index_open(&raw_index, index_file), fmt::format("{}: cannot open $GIT_INDEX_FILE", index_file));
    Index index(raw_index);
    git_repository_set_index(repo.get(), index.get());
  }
  return repo;
}

std::filesystem::path find_worktree_root(const std::filesystem::path& start, GitEnv env) {
  namespace fs = std::filesystem;
  if (const char* tree = std::getenv("GIT_WORK_TREE"); env == GitEnv::honour && tree && *tree) {
    return tree;
  }
  std::error_code ec;
  for (fs::path dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) {
      return dir;
    }
    if (dir == dir.parent_path()) {
      break;
    }
  }
  return {};
}

git_oid resolve_commit(git_repository* repo, const std::string& spec) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, spec.c_str()) != 0) {
    const git_error* e = git_error_last();
    throw ConfigError(fmt::format("bad revision '{}': {}", spec, e && e->message ? e->message : "unknown error"));
  }
  Object object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
    throw ConfigError(fmt::format("revision '{}' does not name a commit", spec));
  }
  Object commit(peeled);
  return *git_object_id(commit.get());
}

RevisionSpec parse_revision(const std::string& spec) {
  auto side = [](std::string s) { return s.empty() ? std::string("HEAD") : s; };
  if (!spec.empty() && spec[0] == '^') {
    return {RevisionSpec::Kind::exclude, "", spec.substr(1)};
  }
  if (std::size_t dots = spec.find("..."); dots != std::string::npos) {
    return {RevisionSpec::Kind::symmetric, side(spec.substr(0, dots)), side(spec.substr(dots + 3))};
  }
  if (std::size_t dots = spec.find(".."); dots != std::string::npos) {
    return {RevisionSpec::Kind::range, side(spec.substr(0, dots)), side(spec.substr(dots + 2))};
  }
  return {RevisionSpec::Kind::include, "", spec};
}

std::string oid_hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return buffer;
}

} // namespace leakstop::sources
