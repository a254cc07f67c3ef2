#pragma once
// What a scan is asked to do, whoever asks: the command line, the
// organisation scan, the audit. Nothing here is about output.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/decoder.hpp"

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
};

} // namespace leakstop::scan
