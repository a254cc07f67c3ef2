// CSV for spreadsheets and dashboards, JUnit XML for CI systems that show
// test results (GitLab, Jenkins, Azure Pipelines): one failed test case per
// finding.
#include <fmt/format.h>

#include <sstream>

#include "core/encoding.hpp"
#include "report/formats.hpp"
#include "report/pieces.hpp"

namespace leakstop::report {

// Spreadsheets are read by people: what the repository wrote is
// escaped as in the text report (printable()), and a cell that a
// spreadsheet would run as a formula (= + - @, tab, CR first: OWASP's CSV
// injection) gets a leading single quote, which they show as text. Then
// RFC 4180: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& raw) {
  std::string value = printable(raw);
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    value.insert(0, 1, '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    return value;
  }
  std::string out = "\"";
  for (char c : value) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

namespace {

class CsvReporter : public Reporter {
public:
  explicit CsvReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary&, std::ostream& out) override {
    out << "rule_id,description,severity,confidence,path,line,column,end_line,secret,fingerprint,commit,author,date\r\n";
    for (const Finding& f : findings) {
      const auto& c = f.location.commit;
      std::vector<std::string> fields = {f.rule_id,
                                         f.description,
                                         std::string(to_string(f.severity)),
                                         std::string(to_string(f.confidence)),
                                         f.location.path,
                                         std::to_string(f.location.line),
                                         std::to_string(f.location.column),
                                         std::to_string(f.end_line),
                                         shown_secret(f, m_options.show_secrets),
                                         f.fingerprint,
                                         c ? c->id : "",
                                         c ? c->author : "",
                                         c ? c->date : ""};
      for (std::size_t i = 0; i < fields.size(); ++i) {
        out << (i ? "," : "") << csv_field(fields[i]);
      }
      out << "\r\n";
    }
  }

private:
  ReportOptions m_options;
};

// XML 1.0 text: valid UTF-8 (invalid bytes become U+FFFD, through the JSON
// library's replacement), no control characters, markup escaped.
std::string xml_text(const std::string& value) {
  std::string utf8 = nlohmann::json::parse(dump(nlohmann::json(value), -1)).get<std::string>();
  std::string out;
  for (char c : utf8) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
        out += ' ';
      } else {
        out += c;
      }
    }
  }
  return out;
}

class JunitReporter : public Reporter {
public:
  explicit JunitReporter(const ReportOptions& options) : m_options(options) {}

  void write(const std::vector<Finding>& findings, const Summary& summary, std::ostream& out) override {
    std::ostringstream cases;
    std::size_t errors = 0;
    for (const Finding& f : findings) {
      // CI systems show these to people: what the repository wrote is
      // escaped as in the text report (the file attribute stays the path).
      const std::string id = printable(f.rule_id);
      const std::string place = printable(where(f));
      std::string message = printable(f.path_rule ? f.description
                                                  : fmt::format("{}: {}", f.description, shown_secret(f, m_options.show_secrets)));
      std::string body = fmt::format("{}\nfingerprint: {}", place, f.fingerprint);
      std::istringstream remediation(f.remediation);
      for (std::string line; std::getline(remediation, line);) {
        body += '\n';
        body += printable(line);
      }
      cases << fmt::format("    <testcase classname=\"leakstop.{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n"
                           "      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                           xml_text(id), xml_text(place), xml_text(f.location.path), f.location.line, xml_text(id),
                           xml_text(message), xml_text(body));
    }
    for (const Diagnostic& d : summary.diagnostics) {
      if (d.kind == Diagnostic::Kind::error) {
        ++errors;
        cases << fmt::format("    <testcase classname=\"leakstop.error\" name=\"{}\">\n      <error message=\"{}\"/>\n"
                             "    </testcase>\n",
                             xml_text(d.path), xml_text(d.message));
      }
    }
    std::size_t tests = findings.size() + errors;
    if (tests == 0) {
      // A suite with no test case reads as "nothing ran" in most CI systems.
      cases << "    <testcase classname=\"leakstop\" name=\"no secrets found\"/>\n";
      tests = 1;
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format("<testsuites name=\"leakstop\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\">\n"
                       "  <testsuite name=\"leakstop\" tests=\"{0}\" failures=\"{1}\" errors=\"{2}\" skipped=\"0\">\n",
                       tests, findings.size(), errors);
    out << cases.str() << "  </testsuite>\n</testsuites>\n";
  }

private:
  ReportOptions m_options;
};

} // namespace

std::unique_ptr<Reporter> make_csv_reporter(const ReportOptions& options) {
  return std::make_unique<CsvReporter>(options);
}

std::unique_ptr<Reporter> make_junit_reporter(const ReportOptions& options) {
  return std::make_unique<JunitReporter>(options);
}

} // namespace leakstop::report
