#pragma once
// The data the audit's checks match against: environment names, test
// directories, live-key markers, and per language what computing an HMAC
// and comparing in constant time look like. Shipped as data/audit/checks.toml
// (built into the binary); a team appends its own with a file of the same
// shape. Plain values: copy freely, share const across threads.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakstop::audit {

struct WebhookLanguage {
  std::string language;                   // "javascript", "python", ...
  std::vector<std::string> extensions;    // ".js", ...
  std::vector<std::string> hmac_markers;  // matched ignoring case
  std::string safe;                       // the constant-time comparison to suggest
};

struct CheckData {
  std::vector<std::pair<std::string, std::string>> environments;  // alias (lowercase) -> canonical name
  std::vector<std::string> environment_parents;
  std::vector<std::string> test_dirs;
  std::vector<std::string> env_example_suffixes;
  std::vector<std::string> live_value_markers;
  std::vector<std::string> live_rule_words;
  std::vector<WebhookLanguage> webhooks;
};

// data/audit/checks.toml as built in.
CheckData builtin_check_data();

// Appends what `toml_text` (named `name` in errors) lists to `data`; a
// [[webhooks]] entry for a known language extends it. Throws ConfigError
// naming the file, line and key on anything malformed or unknown.
void extend_check_data(CheckData& data, std::string_view toml_text, const std::string& name);

// The same from a file (read through core's configuration-file checks).
void extend_check_data(CheckData& data, const std::filesystem::path& file);

} // namespace leakstop::audit
