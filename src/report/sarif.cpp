// SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that
// fired with their remediation as help text, repository-relative URIs, and
// the leakstop fingerprint as a partial fingerprint so that alerts survive
// moved lines.
#include <fmt/format.h>

#include <map>

#include "report/formats.hpp"
#include "report/pieces.hpp"

namespace leakstop::report {

std::string_view sarif_level(Severity s) {
  switch (s) {
  case Severity::critical:
  case Severity::high: return "error";
  case Severity::medium: return "warning";
  case Severity::low:
  case Severity::info: break;
  }
  return "note";
}

// GitHub ranks security alerts by this score: over 9 critical, 7 to 8.9
// high, 4 to 6.9 medium, under 4 low.
std::string_view sarif_security_severity(Severity s) {
  switch (s) {
  case Severity::critical: return "9.5";
  case Severity::high: return "8.0";
  case Severity::medium: return "5.5";
  case Severity::low: return "3.0";
  case Severity::info: break;
  }
  return "1.0";
}

// RFC 3986: a relative reference, every byte but unreserved ones and '/'
// percent-encoded (spaces, non-ASCII names, '<stdin>').
std::string sarif_uri(std::string path) {
  if (path.rfind("./", 0) == 0) {
    path.erase(0, 2);
  }
  std::string out = path.rfind('/', 0) == 0 ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

namespace {

using nlohmann::json;

std::string_view precision_of(Confidence c) {
  switch (c) {
  case Confidence::high: return "very-high";
  case Confidence::medium: return "high";
  case Confidence::low: break;
  }
  return "medium";
}

std::string sentence(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') {
    text.push_back('.');
  }
  return text;
}

json rule_descriptor(const Finding& f) {
  json rule;
  rule["id"] = f.rule_id;
  rule["shortDescription"] = {{"text", sentence(f.description)}};
  rule["fullDescription"] = {{"text", sentence(f.description)}};
  std::string help = f.remediation.empty() ? "Rotate the secret, then remove it from the file." : f.remediation;
  std::string markdown = help;
  if (!f.link.empty()) {
    help += fmt::format("\n{}: {}", f.link_title.empty() ? "See" : f.link_title, f.link);
    markdown += fmt::format("\n\n[{}]({})", f.link_title.empty() ? f.link : f.link_title, f.link);
    rule["helpUri"] = f.link;
  }
  rule["help"] = {{"text", help}, {"markdown", markdown}};
  rule["defaultConfiguration"] = {{"level", sarif_level(f.severity)}};
  rule["properties"] = {{"tags", {"security", "secret"}},
                        {"security-severity", sarif_security_severity(f.severity)},
                        {"precision", precision_of(f.confidence)}};
  return rule;
}

json region_of(const Finding& f) {
  if (f.path_rule || f.location.line == 0) {
    // The file itself is the finding; audit checks on a file may name a line.
    return {{"startLine", std::max<std::uint32_t>(f.location.line, 1)}};
  }
  json region = {{"startLine", f.location.line}, {"startColumn", f.location.column}};
  region["endLine"] = std::max(f.end_line, f.location.line);
  if (f.end_line <= f.location.line) {
    region["endColumn"] = f.location.column + static_cast<std::uint32_t>(f.secret.size());
  }
  return region;
}

json result_of(const Finding& f, std::size_t rule_index, ShowSecrets show) {
  json result;
  result["ruleId"] = f.rule_id;
  result["ruleIndex"] = rule_index;
  result["level"] = sarif_level(f.severity);
  std::string text = f.path_rule ? fmt::format("{}: {}", f.description, f.location.path)
                                 : fmt::format("{}: {}", f.description, shown_secret(f, show));
  result["message"] = {{"text", sentence(text)}};
  json physical = {{"artifactLocation", {{"uri", sarif_uri(f.location.path)}}}, {"region", region_of(f)}};
  if (f.location.path.rfind('/', 0) != 0) {
    physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%";
  }
  result["locations"] = json::array({{{"physicalLocation", physical}}});
  result["partialFingerprints"] = {{"leakstopFingerprint/v1", f.fingerprint}};
  json properties = {{"severity", to_string(f.severity)},
                     {"confidence", to_string(f.confidence)},
                     {"fingerprint", f.fingerprint}};
  if (!f.path_rule) {
    properties["secret"] = shown_secret(f, show);
    properties["secretRedacted"] = show == ShowSecrets::no;
  }
  if (const auto& c = f.location.commit) {
    properties["commit"] = c->id;
    properties["author"] = c->author;
    properties["date"] = c->date;
  }
  result["properties"] = properties;
  return result;
}

json notifications(const Summary& summary) {
  json out = json::array();
  for (const Diagnostic& d : summary.diagnostics) {
    json n = {{"level", d.kind == Diagnostic::Kind::error ? "error" : "note"},
              {"message", {{"text", sentence(fmt::format("{}: {}", d.path, d.message))}}}};
    out.push_back(n);
  }
  return out;
}

class SarifReporter : public Reporter {
public:
  explicit SarifReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary& summary, std::ostream& out) override {
    // Rules sorted by id, each once: the report does not depend on the
    // order files were read in.
    std::map<std::string, const Finding*> first_of_rule;
    for (const Finding& f : findings) {
      first_of_rule.emplace(f.rule_id, &f);
    }
    json rules = json::array();
    std::map<std::string, std::size_t> index;
    for (const auto& [id, f] : first_of_rule) {
      index[id] = rules.size();
      rules.push_back(rule_descriptor(*f));
    }
    json results = json::array();
    for (const Finding& f : findings) {
      results.push_back(result_of(f, index[f.rule_id], m_options.show_secrets));
    }
    json driver = {{"name", "leakstop"}, {"rules", rules}};
    if (!m_options.tool_version.empty()) {
      driver["version"] = m_options.tool_version;
      driver["semanticVersion"] = m_options.tool_version;
    }
    const bool failed = has_errors(summary);
    json invocation = {{"executionSuccessful", !failed}};
    if (!summary.diagnostics.empty()) {
      invocation["toolExecutionNotifications"] = notifications(summary);
    }
    json run = {{"tool", {{"driver", driver}}}, {"invocations", json::array({invocation})}, {"results", results}};
    json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({run})}};
    out << dump(log, 2) << '\n';
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_sarif_reporter(const ReportOptions& options) {
  return std::make_unique<SarifReporter>(options);
}

} // namespace leakstop::report
