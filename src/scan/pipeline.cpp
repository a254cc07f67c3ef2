#include "scan/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <tuple>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "scan/change.hpp"

namespace leakstop::scan {

namespace {

constexpr std::uint64_t k_default_max_file_size = 10 * 1024 * 1024;

std::string skip_message(const sources::SourceBlob& blob, std::uint64_t limit) {
  switch (blob.skip) {
  case sources::Skip::too_large:
    return fmt::format("not scanned: {} bytes is over the size limit of {} bytes (--max-file-size)", blob.size, limit);
  case sources::Skip::binary: return "not scanned: binary file";
  case sources::Skip::unreadable: return "cannot read: " + blob.skip_reason;
  default: return "";
  }
}

Severity severity_or_throw(const std::string& name) {
  auto severity = parse_severity(name);
  if (!severity) {
    throw ConfigError("--min-severity takes info|low|medium|high|critical, --min-confidence low|medium|high");
  }
  return *severity;
}

Confidence confidence_or_throw(const std::string& name) {
  auto confidence = parse_confidence(name);
  if (!confidence) {
    throw ConfigError("--min-severity takes info|low|medium|high|critical, --min-confidence low|medium|high");
  }
  return *confidence;
}

} // namespace

std::string decode_stop_message(std::size_t offset) {
  return fmt::format("encoded text from byte {} on was not decoded: the decoding budget per file ran out "
                     "(plain text was scanned in full)", offset);
}

bool ScanResult::has_errors() const {
  return std::any_of(summary.diagnostics.begin(), summary.diagnostics.end(),
                     [](const Diagnostic& d) { return d.kind == Diagnostic::Kind::error; });
}

FindingThreshold::FindingThreshold(const std::string& min_severity, const std::string& min_confidence)
  : m_severity(severity_or_throw(min_severity)), m_confidence(confidence_or_throw(min_confidence)) {}

Pipeline::Pipeline(const ScanOptions& options, const std::filesystem::path& repo_root)
  : m_options(options),
    m_files(options.no_repo_config ? RepoFiles{} : options.repo_files ? *options.repo_files : read_worktree_files(repo_root)),
    m_suppressions(m_files, options.baseline_file),
    m_rules(load_rules(options, m_files)),
    m_max_file_size(options.max_file_size.value_or(m_rules.config.max_file_size.value_or(k_default_max_file_size))),
    m_threshold(options.min_severity, options.min_confidence) {
  m_summary.started_at = iso8601_utc(std::time(nullptr));
  m_scan_options.allowlist = m_rules.config.allowlist;
  m_scan_options.decode.depth = options.decode_depth;
  if (m_rules.gitleaks) {
    m_scan_options.allowlists = m_rules.gitleaks->allowlists;
  }
  m_scanner = make_scanner();
}

std::unique_ptr<engine::Scanner> Pipeline::make_scanner() const {
  return std::make_unique<engine::Scanner>(m_rules.compiled, m_scan_options);
}

void Pipeline::add(Finding f) {
  if (wanted(f)) {
    m_findings.push_back(std::move(f));
  }
}

bool Pipeline::wanted(const Finding& f) {
  // Judged before the thresholds, so that an ignore entry used by a
  // filtered finding does not read as unused.
  Suppressions::Verdict verdict = m_suppressions.judge(f);
  if (!m_threshold.passes(f) || verdict == Suppressions::Verdict::ignored) {
    return false;
  }
  if (verdict == Suppressions::Verdict::baselined) {
    ++m_summary.baselined;
    return false;
  }
  return true;
}

void Pipeline::error(const std::string& path, const std::string& message) {
  m_summary.diagnostics.push_back({Diagnostic::Kind::error, path, message});
}

sources::Flow Pipeline::scan(const sources::SourceBlob& blob) {
  record(examine(*m_scanner, blob));
  return sources::Flow::next;
}

BlobOutcome Pipeline::examine(engine::Scanner& scanner, const sources::SourceBlob& blob) const {
  BlobOutcome out;
  if (scanner.path_allowlisted(blob.path)) {
    return out;
  }
  if (blob.skip == sources::Skip::submodule || blob.skip == sources::Skip::symlink) {
    return out;  // no content of ours: a commit id or a link target
  }
  const std::string_view commit = blob.commit ? std::string_view(blob.commit->id) : std::string_view();
  out.findings = scanner.scan_path(
    blob.path, blob.skip == sources::Skip::binary ? engine::Binary::yes : engine::Binary::no, commit);
  if (blob.skip != sources::Skip::none) {
    auto kind = blob.skip == sources::Skip::too_large ? Diagnostic::Kind::skipped_large
              : blob.skip == sources::Skip::binary    ? Diagnostic::Kind::skipped_binary
                                                      : Diagnostic::Kind::error;
    out.diagnostic = Diagnostic{kind, blob.path, skip_message(blob, m_max_file_size)};
  } else if (!blob.content.empty()) {
    out.files_scanned = 1;
    out.bytes_scanned = blob.content.size();
    PreviousVersion previous(blob.previous_content);
    for (Finding& f : scanner.scan(blob.content, blob.path, commit)) {
      if (!previous.had(f.secret)) {
        out.findings.push_back(std::move(f));
      }
    }
    if (std::optional<std::size_t> stop = scanner.decode_stopped_at()) {
      out.diagnostic = Diagnostic{Diagnostic::Kind::skipped_other, blob.path, decode_stop_message(*stop)};
    }
  }
  for (Finding& f : out.findings) {
    f.location.commit = blob.commit;
  }
  return out;
}

void Pipeline::record(BlobOutcome outcome) {
  m_summary.files_scanned += outcome.files_scanned;
  m_summary.bytes_scanned += outcome.bytes_scanned;
  if (outcome.diagnostic) {
    m_summary.diagnostics.push_back(std::move(*outcome.diagnostic));
  }
  for (Finding& f : outcome.findings) {
    add(std::move(f));
  }
}

namespace {

std::string listed(const std::vector<std::string>& items) {
  constexpr std::size_t k_listed = 8;
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < k_listed; ++i) {
    out += (i ? ", " : "") + items[i];
  }
  if (items.size() > k_listed) {
    out += fmt::format(" and {} more", items.size() - k_listed);
  }
  return out;
}

std::string plural(std::size_t n, const char* what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

} // namespace

std::vector<std::string> Pipeline::config_notes() const {
  std::vector<std::string> notes;
  const rules::RepoConfig& config = m_rules.config;
  const std::string& toml = m_files.toml_name;
  if (!config.disabled_rules.empty()) {
    notes.push_back(fmt::format("{}: disables {}: {}", toml, plural(config.disabled_rules.size(), "rule"),
                                listed(config.disabled_rules)));
  }
  const auto allow = [&](const std::vector<std::string>& list, const char* what) {
    if (!list.empty()) {
      notes.push_back(fmt::format("{}: allowlists {}: {}", toml, plural(list.size(), what), listed(list)));
    }
  };
  allow(config.allowlist.paths, "path pattern");
  allow(config.allowlist.regexes, "secret pattern");
  allow(config.allowlist.stopwords, "stopword");
  if (config.max_file_size && !m_options.max_file_size) {  // --max-file-size overrides it
    notes.push_back(fmt::format("{}: files over {} bytes are not scanned (max_file_size)", toml, *config.max_file_size));
  }
  if (const std::size_t n = m_suppressions.fingerprint_entries()) {
    notes.push_back(fmt::format("{}.leakstopignore: ignores {}", m_files.origin, plural(n, "fingerprint")));
  }
  if (const std::size_t n = m_suppressions.gitleaks_entries()) {
    notes.push_back(fmt::format("{}.gitleaksignore: ignores {}", m_files.origin, plural(n, "finding")));
  }
  for (const std::string& line : m_suppressions.malformed()) {
    notes.push_back(line + " (not a gitleaks fingerprint [commit:]path:rule-id:line; it ignores nothing)");
  }
  if (const std::size_t n = m_suppressions.baseline_entries()) {
    notes.push_back(fmt::format("baseline {}: {} recorded, not reported", m_options.baseline_file, plural(n, "finding")));
  }
  return notes;
}

ScanResult Pipeline::finish() && {
  std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.location.path, a.location.line, a.location.column) <
           std::tie(b.location.path, b.location.line, b.location.column);
  });
  ScanResult result;
  result.findings = std::move(m_findings);
  result.summary = std::move(m_summary);
  result.unused_ignores = m_suppressions.unused();
  result.baseline_file = m_options.baseline_file;
  result.config_notes = config_notes();
  return result;
}

} // namespace leakstop::scan
