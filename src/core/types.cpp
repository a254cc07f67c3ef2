#include "core/types.hpp"

namespace leakstop {

std::string_view to_string(Severity s) {
  switch (s) {
  case Severity::info: return "info";
  case Severity::low: return "low";
  case Severity::medium: return "medium";
  case Severity::high: return "high";
  case Severity::critical: return "critical";
  }
  return "unknown";
}

std::string_view to_string(Confidence c) {
  switch (c) {
  case Confidence::low: return "low";
  case Confidence::medium: return "medium";
  case Confidence::high: return "high";
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (auto v : {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical}) {
    if (to_string(v) == s) {
      return v;
    }
  }
  return std::nullopt;
}

std::optional<Confidence> parse_confidence(std::string_view s) {
  for (auto v : {Confidence::low, Confidence::medium, Confidence::high}) {
    if (to_string(v) == s) {
      return v;
    }
  }
  return std::nullopt;
}

} // namespace leakstop
