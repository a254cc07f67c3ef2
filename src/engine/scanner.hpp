#pragma once
// Matching one blob against the compiled rules, in two stages.
//
// Hyperscan makes the only full pass over the bytes and reports where a
// match of each rule *ends* (start-of-match tracking would cost it speed and
// memory). For each hit not already covered by a confirmed match of the same
// rule, RE2 runs the rule anchored at that end (`(?:rule)\z`) over a window
// no longer than the rule's longest match, which finds the start; then once
// forward from the start to take the capture groups. Both engines guarantee
// linear time; RE2 objects are built only for rules that hit. Confirmed
// secrets then pass the filters: validator, entropy, placeholders, stopwords,
// allowlists and inline `leakstop:allow` comments.

#include <memory>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "engine/compiled_rules.hpp"
#include "rules/repo_config.hpp"

namespace leakstop::engine {

enum class Overlap {
  keep_best,  // overlapping secrets of several rules: report the most specific
  keep_all,   // report every rule (used when testing each rule's examples)
};

enum class Binary { no, yes };

struct ScanOptions {
  rules::Allowlist allowlist;  // the repository's global allowlist
  Overlap overlap = Overlap::keep_best;
};

class Scanner {
public:
  Scanner(std::shared_ptr<const CompiledRules> rules, const ScanOptions& options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Findings of the content rules in `content`, found at `path`, in order of
  // offset. Locations carry path, line and column; nothing else is set.
  std::vector<Finding> scan(std::string_view content, std::string_view path);

  // Findings of the path rules for a file named `path`.
  std::vector<Finding> scan_path(std::string_view path, Binary binary);

  // True when the global allowlist excludes `path` from scanning.
  bool path_allowlisted(std::string_view path) const;

  // Which rules with a `path` apply to `path`, as a key: scan() gives the
  // same findings (but for Location::path) for two paths with equal keys,
  // so content found at several paths (history) is scanned once per key.
  std::string path_scope(std::string_view path);

  const CompiledRules& compiled() const { return *m_rules; }

  struct Impl;

private:
  std::shared_ptr<const CompiledRules> m_rules;
  std::unique_ptr<Impl> m_impl;
};

} // namespace leakstop::engine
