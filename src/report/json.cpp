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

} // namespace

nlohmann::json finding_json(const Finding& f, ShowSecrets show) {
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
  if (!f.link.empty()) {
    j["link"] = f.link;
    j["link_title"] = f.link_title;
  }
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

std::string dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// One array of findings.
class JsonReporter : public Reporter {
public:
  explicit JsonReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary&, std::ostream& out) override {
    nlohmann::json array = nlohmann::json::array();
    for (const Finding& f : findings) {
      array.push_back(finding_json(f, m_options.show_secrets));
    }
    out << dump(array, 2) << '\n';
  }

private:
  ReportOptions m_options;
};

// One finding object per line, for streaming into log pipelines.
class JsonlReporter : public Reporter {
public:
  explicit JsonlReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary&, std::ostream& out) override {
    for (const Finding& f : findings) {
      out << dump(finding_json(f, m_options.show_secrets), -1) << '\n';
    }
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options) {
  return std::make_unique<JsonReporter>(options);
}

std::unique_ptr<Reporter> make_jsonl_reporter(const ReportOptions& options) {
  return std::make_unique<JsonlReporter>(options);
}

} // namespace leakstop::report
