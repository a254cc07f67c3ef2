#include <fmt/format.h>

#include <future>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

// .env, .env.local, config/.env.production: files of secrets by convention.
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

bool ignored_by_git(git_repository* repo, const std::string& path) {
  int ignored = 0;
  return git_ignore_path_is_ignored(&ignored, repo, path.c_str()) == 0 && ignored == 1;
}

// Warn when the repository would let `git add .` sweep a .env file in.
void warn_unignored_dotenv(git_repository* repo, const fs::path& root, const std::vector<std::string>& staged_dotenv) {
  std::vector<std::string> candidates = staged_dotenv;
  std::error_code ec;
  if (fs::exists(root / ".env", ec)) {
    candidates.push_back(".env");
  }
  for (const std::string& path : candidates) {
    if (!ignored_by_git(repo, path)) {
      std::cerr << fmt::format(
        "leakstop: warning: {} is not ignored by git. Add these lines to .gitignore:\n  .env\n  .env.*\n  "
        "!.env.example\n",
        path);
      return;
    }
  }
}

} // namespace

int cmd_staged(const sources::LibGit2& git, const CommonOptions& options, const std::vector<std::string>& paths) {
  // libgit2 compares the index with HEAD on one core while the rules load on
  // the other; the repository's root (for .leakstop.toml) is found without
  // libgit2, as git finds it.
  // NOTE: on bench/precommit.sh's repository the two take ~4 ms each.
  fs::path root = sources::find_worktree_root(".");
  sources::Repository repo;
  auto changes = std::async(std::launch::async, [&] {
    repo = sources::open_repository(git, ".");
    return paths.empty() ? std::optional(sources::list_staged_changes(repo.get())) : std::nullopt;
  });
  std::optional<Session> session;
  try {
    session.emplace(options, root, report::Context::staged);
  } catch (...) {
    changes.wait();  // never leave the worker running past its captures
    throw;
  }
  std::optional<sources::StagedChanges> staged = changes.get();
  sources::StagedOptions source_options;
  source_options.max_file_size = session->max_file_size();
  std::vector<std::string> staged_dotenv;
  auto sink = [&](const sources::SourceBlob& blob) {
    if (is_dotenv_name(blob.path)) {
      staged_dotenv.push_back(blob.path);
    }
    session->scan(blob);
  };
  if (staged) {
    sources::read_staged_changes(repo.get(), *staged, source_options, sink);
  } else {
    sources::enumerate_staged_paths(repo.get(), paths, source_options, sink);
  }
  if (!root.empty()) {
    warn_unignored_dotenv(repo.get(), root, staged_dotenv);
  }
  return session->finish(std::cout, std::cerr);
}

} // namespace leakstop::cli
