#pragma once
// Findings someone has already judged: fingerprints in .leakstopignore,
// gitleaks fingerprints in .gitleaksignore, and a baseline file. Every
// entry remembers whether it matched, for --report-unused-ignores.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "scan/repo_files.hpp"

namespace leakstop::scan {

// A baseline file: the fingerprints it records. Throws ConfigError naming
// the file when it is missing or not a leakstop baseline.
std::set<std::string, std::less<>> read_baseline(const std::filesystem::path& file);

// Writes a baseline of `findings` to `out`: one entry per fingerprint,
// sorted, with rule id and redacted preview only (no paths, lines or
// times, so that it merges cleanly).
void write_baseline(const std::vector<Finding>& findings, std::ostream& out);

// Thread-safety: not thread-safe (judge() marks entries used); judged on
// one thread.
class Suppressions {
public:
  enum class Verdict { report, ignored, baselined };

  // The ignore files of `files` (see repo_files.hpp), and `baseline_file`
  // when it is not empty.
  Suppressions(const RepoFiles& files, const std::string& baseline_file);
  // The same with the ignore files of the work tree `root` (none when empty).
  Suppressions(const std::filesystem::path& root, const std::string& baseline_file);

  // What the files hold, for saying what they switch off.
  std::size_t fingerprint_entries() const;  // .leakstopignore
  std::size_t gitleaks_entries() const;     // .gitleaksignore, well-formed
  std::size_t baseline_entries() const { return m_baseline.size(); }
  // .gitleaksignore lines that are no gitleaks fingerprint: "<file>:<line>: <entry>".
  std::vector<std::string> malformed() const;

  // Whether `f` is reported; remembers the entry that suppressed it.
  Verdict judge(const Finding& f);

  // Ignore-file entries that matched no finding: "<file>:<line>: <entry>".
  std::vector<std::string> unused() const;

private:
  struct Entry {
    std::string file;  // .leakstopignore or .gitleaksignore
    int line;
    std::string text;
    // .leakstopignore: the fingerprint; .gitleaksignore: the parts below.
    std::string fingerprint;
    std::string commit;
    std::string path;
    std::string rule_id;
    std::uint32_t finding_line = 0;
    bool used = false;
    bool malformed = false;
  };
  bool matches(const Entry& e, const Finding& f) const;

  std::vector<Entry> m_entries;
  std::set<std::string, std::less<>> m_baseline;
};

} // namespace leakstop::scan
