#include <nlohmann/json.hpp>

#include "report/formats.hpp"

namespace leakstop::report {
namespace {

// History: the commit that introduced the secret at this location.
void add_commit(nlohmann::json& j, const Location& l) {
  if (const auto& c = l.commit) {
    j["commit"] = c->id;
    j["author"] = c->author;
    j["email"] = c->email;
    j["date"] = c->date;
    j["summary"] = c->summary;
  }
}

nlohmann::json location_json(const Location& l) {
  nlohmann::json j;
  j["path"] = l.path;
  j["line"] = l.line;
  j["column"] = l.column;
  if (!l.blob.empty()) {
    j["blob"] = l.blob;
  }
  add_commit(j, l);
  if (l.at_head) {
    j["at_head"] = *l.at_head;
  }
  return j;
}

nlohmann::json to_json(const Finding& f, ShowSecrets show) {
  nlohmann::json j;
  j["rule_id"] = f.rule_id;
  j["description"] = f.description;
  j["severity"] = std::string(to_string(f.severity));
  j["confidence"] = std::string(to_string(f.confidence));
  j["path"] = f.location.path;
  j["line"] = f.location.line;
  j["column"] = f.location.column;
  j["end_line"] = f.end_line;
  j["secret"] = shown_secret(f, show);
  j["secret_redacted"] = show == ShowSecrets::no;
  j["fingerprint"] = f.fingerprint;
  j["path_rule"] = f.path_rule;
  j["remediation"] = f.remediation;
  if (!f.decoded.empty()) {
    j["decoded"] = f.decoded;
  }
  add_commit(j, f.location);
  if (f.still_at_head) {
    j["still_at_head"] = *f.still_at_head;
  }
  // History: every path the secret was committed at, the earliest first.
  if (f.location.commit || !f.location.blob.empty() || !f.other_locations.empty()) {
    nlohmann::json locations = nlohmann::json::array({location_json(f.location)});
    for (const Location& l : f.other_locations) {
      locations.push_back(location_json(l));
    }
    j["locations"] = std::move(locations);
  }
  return j;
}

class JsonReporter : public Reporter {
public:
  explicit JsonReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary&, std::ostream& out) override {
    nlohmann::json array = nlohmann::json::array();
    for (const Finding& f : findings) {
      array.push_back(to_json(f, m_options.show_secrets));
    }
    // Invalid UTF-8 in a path or secret is replaced, never fatal.
    out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options) {
  return std::make_unique<JsonReporter>(options);
}

} // namespace leakstop::report
