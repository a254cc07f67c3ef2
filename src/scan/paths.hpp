#pragma once
// Where leakstop finds its own files.

#include <filesystem>
#include <string>

namespace leakstop::scan {

// Absolute path of the running executable.
std::filesystem::path executable_path();

// The shipped rules: `explicit_dir` if given, else $LEAKSTOP_RULES_DIR, else
// <prefix>/share/leakstop/rules beside the executable, else the source tree
// the binary was built from (for running from a build directory).
std::filesystem::path rules_directory(const std::string& explicit_dir);

// <prefix>/share/leakstop/cache beside the executable: the rules compiled
// at install time for any x86-64 CPU (may not exist).
std::filesystem::path installed_cache_directory();

} // namespace leakstop::scan
