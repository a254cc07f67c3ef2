#pragma once
// Plain data shared by every library: severities, findings and where they
// were found. Content is bytes (std::string_view), never assumed UTF-8.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakstop {

enum class Severity { info, low, medium, high, critical };
enum class Confidence { low, medium, high };

std::string_view to_string(Severity s);
std::string_view to_string(Confidence c);
std::optional<Severity> parse_severity(std::string_view s);
std::optional<Confidence> parse_confidence(std::string_view s);

// The commit that introduced a blob at a path (history scans only).
struct CommitInfo {
  std::string id;       // full hex object id
  std::string author;
  std::string email;
  std::string date;     // ISO 8601, author date
  std::string summary;  // first line of the message
};

struct Location {
  std::string path;          // empty for a blob no commit reaches (history --all-objects)
  std::uint32_t line = 0;    // 1-based; 0 for path rules
  std::uint32_t column = 0;  // 1-based byte column; 0 for path rules
  std::optional<CommitInfo> commit;
  std::string blob;              // history: the blob's object id
  std::optional<bool> at_head;   // history: HEAD still has this blob at this path
};

// One secret found by one rule. The rule's text is copied in so reports do
// not need the rule set.
struct Finding {
  std::string rule_id;
  std::string description;
  Severity severity = Severity::medium;
  Confidence confidence = Confidence::medium;
  std::string remediation;
  std::string link;         // the provider's page on rotating it, if the rule has one
  std::string link_title;
  std::string secret;       // full value: redact before showing
  std::string fingerprint;  // stable: see secret.hpp
  std::string decoded;      // how the secret was decoded, empty if not
  bool path_rule = false;   // fired on the file name, not on content
  std::uint64_t offset = 0; // byte offset of the secret in its blob
  std::uint32_t end_line = 0;
  Location location;
  std::vector<Location> other_locations;
  std::optional<bool> still_at_head;
};

// A problem with one input that did not stop the scan.
struct Diagnostic {
  enum class Kind { skipped_binary, skipped_large, skipped_other, error };
  Kind kind;
  std::string path;
  std::string message;
};

} // namespace leakstop
