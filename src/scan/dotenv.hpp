#pragma once
// .env files: secrets by convention, and the file `git add .` sweeps in
// when nothing ignores it.
//
// Thread-safety: free functions; `repo` is used by one thread at a time.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sources/git.hpp"

namespace leakstop::scan {

// .env, .env.local, config/.env.production; not .env.example, .env.sample,
// .env.template or .env.dist (which hold no values by convention).
bool is_dotenv_name(const std::string& path);

// The first of `staged_dotenv` and the work tree's root .env (when it
// exists) that git's ignore rules do not ignore, or empty.
std::optional<std::string> first_unignored_dotenv(git_repository* repo, const std::filesystem::path& root,
                                                  const std::vector<std::string>& staged_dotenv);

} // namespace leakstop::scan
