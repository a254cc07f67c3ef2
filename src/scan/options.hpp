#pragma once
// What a scan is asked to do, whoever asks: the command line, the
// organisation scan, the audit. Nothing here is about output.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/compiled_rules.hpp"
#include "engine/decoder.hpp"
#include "scan/repo_files.hpp"

namespace leakstop::scan {

struct ScanOptions {
  std::string rules_dir;                  // empty: the installed rules (see paths.hpp)
  std::vector<std::string> extra_rule_files;
  std::string cache_dir;                  // empty: the per-user cache
  bool no_cache = false;
  std::string gitleaks_config;            // a gitleaks.toml to apply, or empty
  std::string baseline_file;              // findings recorded in it are not reported
  std::string min_severity = "info";
  std::string min_confidence = "low";
  std::optional<std::uint64_t> max_file_size;  // overrides .leakstop.toml's
  int decode_depth = engine::DecodeOptions{}.depth;
  // The repository's own configuration (.leakstop.toml, ignore files):
  // ignored with no_repo_config; taken from `repo_files` when set (read
  // from a trusted commit: --config-from); else from the work tree.
  bool no_repo_config = false;
  std::optional<RepoFiles> repo_files;
  // The compiled shipped rules (load_compiled_rules() for these options),
  // when the caller loaded them once for many scans (an organisation scan's
  // repositories); empty: each scan loads them.
  std::shared_ptr<const engine::CompiledRules> compiled_rules;
};

} // namespace leakstop::scan
