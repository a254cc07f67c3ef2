#pragma once
// What a repository's own configuration (.leakstop.toml's disabled rules
// and allowlist, .leakstopignore, .gitleaksignore) would hide of findings
// made without it. An organisation scan reads every repository with the
// shipped rules alone, the security team's view, and asks this afterwards:
// so what a repository switched off for itself stays visible, and the
// scanned-blob cache stays the same for every repository.
//
// Thread-safety: not thread-safe (Suppressions remember matched entries).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "scan/repo_files.hpp"
#include "scan/suppress.hpp"

namespace re2 {
class RE2;
}

namespace leakstop::scan {

class RepoConfigJudge {
public:
  // Throws ConfigError (naming the file) for a .leakstop.toml that does not
  // parse or holds an invalid regex.
  explicit RepoConfigJudge(const RepoFiles& files);
  ~RepoConfigJudge();
  RepoConfigJudge(const RepoConfigJudge&) = delete;
  RepoConfigJudge& operator=(const RepoConfigJudge&) = delete;

  // What in the configuration would hide `f` ("disabled_rules",
  // "allowlist.paths", ".leakstopignore"...), or "" when nothing would.
  std::string would_hide(const Finding& f);

private:
  std::vector<std::string> m_disabled_rules;
  std::vector<std::unique_ptr<re2::RE2>> m_paths, m_regexes;
  std::vector<std::string> m_stopwords;  // lower case
  Suppressions m_ignore_files;
};

// Counts by what would hide them: {"allowlist.paths": 2, ...}.
using HiddenCounts = std::map<std::string, std::size_t>;

// "2 (allowlist.paths), 1 (.leakstopignore)"; "" for none.
std::string describe(const HiddenCounts& counts);

} // namespace leakstop::scan
