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
//
// Then the same two stages run over the blob's decoded text (base64, hex,
// percent-encoding, escapes: engine/decoder.hpp), and what they find there
// is reported at the encoded span unless the plain text already told it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "engine/compiled_rules.hpp"
#include "engine/decoder.hpp"
#include "rules/repo_config.hpp"

namespace leakstop::engine {

enum class Overlap {
  keep_best,  // overlapping secrets of several rules: report the most specific
  keep_all,   // report every rule (used when testing each rule's examples)
};

enum class Binary { no, yes };

struct ScanOptions {
  rules::Allowlist allowlist;  // the repository's global allowlist
  std::vector<rules::RuleAllowlist> allowlists;  // global ones from a gitleaks configuration
  Overlap overlap = Overlap::keep_best;
  DecodeOptions decode;        // secrets hidden by encodings (engine/decoder.hpp)
};

struct DecodedFinding;

// The rules one scan runs. A repository's configuration never changes the
// shipped compiled rules (an edit of .leakstop.toml would recompile all of
// them): its extra rules are compiled on their own, and its disabled rules
// are skipped when they hit, which reports exactly what removing them from
// the databases would.
struct ScanRules {
  std::shared_ptr<const CompiledRules> shipped;
  std::shared_ptr<const CompiledRules> extra;  // null: none
  std::vector<std::string> disabled;           // rule ids (an old id disables its successors)
};

// Thread-safety: not thread-safe (it owns Hyperscan scratch and a
// FindingFilter); one per thread, all sharing one CompiledRules.
class Scanner {
public:
  Scanner(std::shared_ptr<const CompiledRules> rules, const ScanOptions& options);
  Scanner(ScanRules rules, const ScanOptions& options);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Findings of the content rules in `content`, found at `path` (in
  // `commit`, for commit scans: allowlists may name commits), in order of
  // offset. Locations carry path, line and column; nothing else is set.
  // Secrets found in decoded text are placed at their encoded span and say
  // how they were decoded (Finding::decoded).
  std::vector<Finding> scan(std::string_view content, std::string_view path, std::string_view commit = {});

  // Findings of the path rules for a file named `path`.
  std::vector<Finding> scan_path(std::string_view path, Binary binary, std::string_view commit = {});

  // True when the global allowlist excludes `path` from scanning.
  bool path_allowlisted(std::string_view path) const;

  // Which rules with a `path` apply to `path`, as a key: scan() gives the
  // same findings (but for Location::path) for two paths with equal keys,
  // so content found at several paths (history) is scanned once per key.
  std::string path_scope(std::string_view path);


  // Where the last scan() stopped decoding because the per-blob budget
  // (DecodeOptions::max_bytes) ran out: encoded text from this byte of the
  // content on was not looked through. nullopt when nothing was left out.
  // For the caller to report, as a skip is never silent.
  std::optional<std::size_t> decode_stopped_at() const;

  struct Impl;
  struct Part;

private:
  std::vector<Finding> scan_text(std::string_view text, std::string_view path, std::string_view commit);
  std::vector<DecodedFinding> scan_decoded(std::string_view content, std::string_view path, std::string_view commit);

  ScanRules m_rules;
  std::unique_ptr<Impl> m_impl;
};

} // namespace leakstop::engine
