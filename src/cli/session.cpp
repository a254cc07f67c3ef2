#include "cli/session.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include "cli/paths.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

// .leakstopignore: one fingerprint per line; `#` starts a comment.
std::set<std::string, std::less<>> read_ignore_file(const fs::path& file) {
  std::set<std::string, std::less<>> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));
    auto begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos) {
      continue;
    }
    auto end = line.find_first_of(" \t\r", begin);
    out.insert(line.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
  }
  return out;
}

bool touches_added_line(const Finding& f, const std::vector<sources::LineRange>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [&](const sources::LineRange& r) {
    return f.location.line <= r.last && f.end_line >= r.first;
  });
}

std::string skip_message(const sources::SourceBlob& blob, std::uint64_t limit) {
  switch (blob.skip) {
  case sources::Skip::too_large:
    return fmt::format("not scanned: {} bytes is over the size limit of {} bytes (--max-file-size)", blob.size, limit);
  case sources::Skip::binary: return "not scanned: binary file";
  case sources::Skip::unreadable: return "cannot read: " + blob.skip_reason;
  default: return "";
  }
}

} // namespace

rules::RuleFiles shipped_rule_files(const CommonOptions& options) {
  rules::RuleFiles files;
  files.add_directory(rules_directory(options.rules_dir), rules::Examples::required);
  for (const auto& file : options.extra_rule_files) {
    files.add_file(file, rules::Examples::optional);
  }
  return files;
}

rules::RuleSet load_shipped_rules(const CommonOptions& options) {
  return shipped_rule_files(options).parse();
}

engine::CacheOptions cache_options(const CommonOptions& options) {
  engine::CacheOptions cache;
  if (!options.no_cache) {
    cache.dir = options.cache_dir.empty() ? engine::default_cache_dir() : fs::path(options.cache_dir);
  }
  return cache;
}

report::Color stdout_color() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool on = ::isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  return on ? report::Color::on : report::Color::off;
}

Session::Session(const CommonOptions& options, const fs::path& repo_root, report::Context context)
  : m_options(options), m_context(context) {
  rules::RuleFiles files = shipped_rule_files(options);
  if (!repo_root.empty()) {
    m_config = rules::load_repo_config(repo_root / ".leakstop.toml");
    m_ignored_fingerprints = read_ignore_file(repo_root / ".leakstopignore");
  }
  const std::string identity = files.digest() + sha256_hex(m_config.text);
  m_compiled = engine::CompiledRules::load(
    identity,
    [&] {
      rules::RuleSet set = files.parse();
      m_config.apply_to(set);
      return set;
    },
    cache_options(options));
  m_scan_options.allowlist = m_config.allowlist;
  m_scanner = make_scanner();
  m_max_file_size = options.max_file_size.value_or(m_config.max_file_size.value_or(10 * 1024 * 1024));
  auto severity = parse_severity(options.min_severity);
  auto confidence = parse_confidence(options.min_confidence);
  if (!severity || !confidence) {
    throw ConfigError("--min-severity takes info|low|medium|high|critical, --min-confidence low|medium|high");
  }
  m_min_severity = *severity;
  m_min_confidence = *confidence;
}

std::unique_ptr<engine::Scanner> Session::make_scanner() const {
  return std::make_unique<engine::Scanner>(m_compiled, m_scan_options);
}

bool Session::wanted(const Finding& f) const {
  return f.severity >= m_min_severity && f.confidence >= m_min_confidence &&
         !m_ignored_fingerprints.count(f.fingerprint);
}

void Session::error(const std::string& path, const std::string& message) {
  m_summary.diagnostics.push_back({Diagnostic::Kind::error, path, message});
}

void Session::scan(const sources::SourceBlob& blob) {
  if (m_scanner->path_allowlisted(blob.path)) {
    return;
  }
  if (blob.skip == sources::Skip::submodule || blob.skip == sources::Skip::symlink) {
    return;  // no content of ours: a commit id or a link target
  }
  std::vector<Finding> found =
    m_scanner->scan_path(blob.path, blob.skip == sources::Skip::binary ? engine::Binary::yes : engine::Binary::no);
  if (blob.skip != sources::Skip::none) {
    auto kind = blob.skip == sources::Skip::too_large ? Diagnostic::Kind::skipped_large
              : blob.skip == sources::Skip::binary    ? Diagnostic::Kind::skipped_binary
                                                      : Diagnostic::Kind::error;
    m_summary.diagnostics.push_back({kind, blob.path, skip_message(blob, m_max_file_size)});
  } else if (!blob.content.empty()) {
    ++m_summary.files_scanned;
    m_summary.bytes_scanned += blob.content.size();
    for (Finding& f : m_scanner->scan(blob.content, blob.path)) {
      if (blob.whole_file || touches_added_line(f, blob.added_lines)) {
        found.push_back(std::move(f));
      }
    }
  }
  for (Finding& f : found) {
    if (wanted(f)) {
      m_findings.push_back(std::move(f));
    }
  }
}

int Session::finish(std::ostream& out, std::ostream& err) {
  std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.location.path, a.location.line, a.location.column) < std::tie(b.location.path, b.location.line, b.location.column);
  });
  bool failed = false;
  for (const Diagnostic& d : m_summary.diagnostics) {
    const char* level = d.kind == Diagnostic::Kind::error ? "error" : "notice";
    err << fmt::format("leakstop: {}: {}: {}\n", level, d.path, d.message);
    failed = failed || d.kind == Diagnostic::Kind::error;
  }
  report::ReportOptions options;
  options.format = m_options.format == "json" ? report::Format::json : report::Format::text;
  options.color = options.format == report::Format::text ? stdout_color() : report::Color::off;
  options.show_secrets = m_options.show_secrets ? report::ShowSecrets::yes : report::ShowSecrets::no;
  options.context = m_context;
  report::make_reporter(options)->write(m_findings, m_summary, out);
  if (failed) {
    return static_cast<int>(ExitCode::internal);
  }
  return static_cast<int>(m_findings.empty() ? ExitCode::clean : ExitCode::findings);
}

} // namespace leakstop::cli
