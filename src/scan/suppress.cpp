#include "scan/suppress.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <map>

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"

namespace leakstop::scan {
namespace fs = std::filesystem;

namespace {

constexpr int k_baseline_version = 1;

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) {
    return "";
  }
  return s.substr(begin, s.find_last_not_of(" \t\r") - begin + 1);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_commit_id(std::string_view s) {
  return (s.size() == 40 || s.size() == 64) &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

} // namespace

std::set<std::string, std::less<>> read_baseline(const fs::path& file) {
  auto text = read_whole_file(file);
  if (!text) {
    throw ConfigError(fmt::format("{}: cannot read baseline file", file.string()));
  }
  nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  // Compared, not read with value(): that throws type_error when "version" is no number.
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("version") || doc["version"] != k_baseline_version ||
      !doc.contains("findings") || !doc["findings"].is_array()) {
    throw ConfigError(fmt::format("{}: not a leakstop baseline (make one with `leakstop baseline create`)", file.string()));
  }
  std::set<std::string, std::less<>> out;
  for (const auto& entry : doc["findings"]) {
    if (!entry.is_object() || !entry.contains("fingerprint") || !entry["fingerprint"].is_string()) {
      throw ConfigError(fmt::format("{}: a baseline entry has no fingerprint", file.string()));
    }
    out.insert(entry["fingerprint"].get<std::string>());
  }
  return out;
}

void write_baseline(const std::vector<Finding>& findings, std::ostream& out) {
  std::map<std::string, const Finding*> by_fingerprint;
  for (const Finding& f : findings) {
    by_fingerprint.emplace(f.fingerprint, &f);
  }
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& [fingerprint, f] : by_fingerprint) {
    nlohmann::json e = {{"fingerprint", fingerprint}, {"rule_id", f->rule_id}};
    e["secret"] = f->path_rule ? "" : redact(f->secret);
    entries.push_back(e);
  }
  nlohmann::json doc = {{"version", k_baseline_version}, {"findings", entries}};
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

Suppressions::Suppressions(const fs::path& root, const std::string& baseline_file)
  : Suppressions(read_worktree_files(root), baseline_file) {}

Suppressions::Suppressions(const RepoFiles& files, const std::string& baseline_file) {
  if (!baseline_file.empty()) {
    m_baseline = read_baseline(baseline_file);
  }
  // Both ignore files come with the repository: read through the checked
  // reader (a regular file of at most 1 MiB, or exit 2 naming it).
  // .leakstopignore: a fingerprint per line, then an optional comment.
  const std::string ours_name = files.origin + ".leakstopignore";
  const std::string theirs_name = files.origin + ".gitleaksignore";
  std::istringstream ours(files.leakstopignore.value_or(""));
  int n = 0;
  for (std::string line; std::getline(ours, line);) {
    ++n;
    std::string entry = trim(line.substr(0, line.find('#')));
    entry = entry.substr(0, entry.find_first_of(" \t"));
    if (!entry.empty()) {
      m_entries.push_back({ours_name, n, entry, entry, "", "", "", 0, false, false});
    }
  }
  // .gitleaksignore: gitleaks fingerprints, [commit:]path:rule-id:line.
  std::istringstream theirs(files.gitleaksignore.value_or(""));
  n = 0;
  for (std::string line; std::getline(theirs, line);) {
    ++n;
    std::string entry = trim(line);
    if (entry.empty() || entry[0] == '#') {
      continue;
    }
    Entry e{theirs_name, n, entry, "", "", "", "", 0, false, false};
    auto last = entry.rfind(':');
    auto rule_colon = last == std::string::npos || last == 0 ? std::string::npos : entry.rfind(':', last - 1);
    // A line number too large for any file is no fingerprint either.
    if (rule_colon == std::string::npos || !all_digits(entry.substr(last + 1)) ||
        std::from_chars(entry.data() + last + 1, entry.data() + entry.size(), e.finding_line).ec != std::errc()) {
      e.malformed = true;                 // not a fingerprint gitleaks would write:
      m_entries.push_back(std::move(e));  // it never matches, and is named
      continue;
    }
    e.rule_id = entry.substr(rule_colon + 1, last - rule_colon - 1);
    e.path = entry.substr(0, rule_colon);
    auto commit_colon = e.path.find(':');
    if (commit_colon != std::string::npos && is_commit_id(e.path.substr(0, commit_colon))) {
      e.commit = e.path.substr(0, commit_colon);
      e.path.erase(0, commit_colon + 1);
    }
    m_entries.push_back(std::move(e));
  }
}

bool Suppressions::matches(const Entry& e, const Finding& f) const {
  if (!e.fingerprint.empty()) {
    return e.fingerprint == f.fingerprint;
  }
  if (e.rule_id.empty() || e.rule_id != f.rule_id || e.path != f.location.path || e.finding_line != f.location.line) {
    return false;
  }
  // Without a commit the entry is a working-tree one (gitleaks dir/protect):
  // it matches wherever the finding comes from.
  return e.commit.empty() || (f.location.commit && f.location.commit->id == e.commit);
}

Suppressions::Verdict Suppressions::judge(const Finding& f) {
  bool ignored = false;
  for (Entry& e : m_entries) {
    if (matches(e, f)) {
      e.used = true;
      ignored = true;
    }
  }
  if (ignored) {
    return Verdict::ignored;
  }
  return m_baseline.count(f.fingerprint) ? Verdict::baselined : Verdict::report;
}

std::size_t Suppressions::fingerprint_entries() const {
  return static_cast<std::size_t>(
    std::count_if(m_entries.begin(), m_entries.end(), [](const Entry& e) { return !e.fingerprint.empty(); }));
}

std::size_t Suppressions::gitleaks_entries() const {
  return static_cast<std::size_t>(std::count_if(m_entries.begin(), m_entries.end(), [](const Entry& e) {
    return e.fingerprint.empty() && !e.malformed;
  }));
}

std::vector<std::string> Suppressions::malformed() const {
  std::vector<std::string> out;
  for (const Entry& e : m_entries) {
    if (e.malformed) {
      out.push_back(fmt::format("{}:{}: {}", e.file, e.line, e.text));
    }
  }
  return out;
}

std::vector<std::string> Suppressions::unused() const {
  std::vector<std::string> out;
  for (const Entry& e : m_entries) {
    if (!e.used) {
      out.push_back(fmt::format("{}:{}: {}", e.file, e.line, e.text));
    }
  }
  return out;
}

} // namespace leakstop::scan
