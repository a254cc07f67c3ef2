#include "cli/session.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdlib>
#include <fstream>
#include <tuple>

#include "cli/paths.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"
#include "rules/gitleaks.hpp"

namespace leakstop::cli {
namespace fs = std::filesystem;

namespace {

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

std::shared_ptr<const engine::CompiledRules> load_compiled_rules(const CommonOptions& options,
                                                                const rules::RepoConfig& config,
                                                                const rules::GitleaksConfig* gitleaks) {
  rules::RuleFiles files = shipped_rule_files(options);
  // A gitleaks configuration without [extend] useDefault replaces the
  // shipped rules, as it replaces gitleaks' own.
  const bool shipped = !gitleaks || gitleaks->use_default;
  const std::string identity = (shipped ? files.digest() : "no shipped rules") + sha256_hex(config.text) +
                               (gitleaks ? sha256_hex(gitleaks->text) : "");
  return engine::CompiledRules::load(
    identity,
    [&] {
      rules::RuleSet set = shipped ? files.parse() : rules::RuleSet();
      if (gitleaks) {
        set = gitleaks->apply(std::move(set));
      }
      config.apply_to(set);
      return set;
    },
    cache_options(options));
}

engine::CacheOptions cache_options(const CommonOptions& options) {
  engine::CacheOptions cache;
  if (!options.no_cache) {
    cache.dir = options.cache_dir.empty() ? engine::default_cache_dir() : fs::path(options.cache_dir);
  }
  return cache;
}

fs::path repo_root_of(const std::vector<std::string>& paths) {
  std::string first = paths.empty() || paths.front() == "-" ? "." : paths.front();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, first.c_str(), 0, nullptr) != 0) {
    return {};
  }
  sources::Repository repo(raw);
  const char* workdir = git_repository_workdir(repo.get());
  return workdir ? fs::path(workdir) : fs::path();
}

std::string head_commit_of(const sources::LibGit2& git, const fs::path& root) {
  if (root.empty()) {
    return "";
  }
  sources::Repository repo = sources::open_repository(git, root.string());
  git_oid oid{};
  if (git_reference_name_to_id(&oid, repo.get(), "HEAD") != 0) {
    return "";
  }
  return sources::oid_hex(oid);
}

report::Color stdout_color() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool on = ::isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  return on ? report::Color::on : report::Color::off;
}

Session::Session(const CommonOptions& options, const fs::path& repo_root, report::Context context)
  : m_options(options), m_context(context), m_suppressions(repo_root, options.baseline_file) {
  m_summary.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(std::time(nullptr)));
  if (!repo_root.empty()) {
    m_config = rules::load_repo_config(repo_root / ".leakstop.toml");
  }
  std::optional<rules::GitleaksConfig> gitleaks;
  if (!options.gitleaks_config.empty()) {
    gitleaks = rules::load_gitleaks_config(options.gitleaks_config);
  }
  m_compiled = load_compiled_rules(options, m_config, gitleaks ? &*gitleaks : nullptr);
  m_scan_options.allowlist = m_config.allowlist;
  m_scan_options.decode.depth = options.decode_depth;
  if (gitleaks) {
    m_scan_options.allowlists = gitleaks->allowlists;
  }
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

bool Session::passes_filters(const Finding& f) const {
  return f.severity >= m_min_severity && f.confidence >= m_min_confidence;
}

void Session::add(Finding f) {
  if (wanted(f)) {
    m_findings.push_back(std::move(f));
  }
}

bool Session::wanted(const Finding& f) {
  // Judged before the severity filters, so that an ignore entry used by a
  // filtered finding does not read as unused.
  Suppressions::Verdict verdict = m_suppressions.judge(f);
  if (f.severity < m_min_severity || f.confidence < m_min_confidence || verdict == Suppressions::Verdict::ignored) {
    return false;
  }
  if (verdict == Suppressions::Verdict::baselined) {
    ++m_summary.baselined;
    return false;
  }
  return true;
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
  const std::string_view commit = blob.commit ? std::string_view(blob.commit->id) : std::string_view();
  std::vector<Finding> found = m_scanner->scan_path(
    blob.path, blob.skip == sources::Skip::binary ? engine::Binary::yes : engine::Binary::no, commit);
  if (blob.skip != sources::Skip::none) {
    auto kind = blob.skip == sources::Skip::too_large ? Diagnostic::Kind::skipped_large
              : blob.skip == sources::Skip::binary    ? Diagnostic::Kind::skipped_binary
                                                      : Diagnostic::Kind::error;
    m_summary.diagnostics.push_back({kind, blob.path, skip_message(blob, m_max_file_size)});
  } else if (!blob.content.empty()) {
    ++m_summary.files_scanned;
    m_summary.bytes_scanned += blob.content.size();
    std::string_view previous;
    bool previous_read = false;
    for (Finding& f : m_scanner->scan(blob.content, blob.path, commit)) {
      if (blob.previous_content && !previous_read) {
        previous = blob.previous_content();
        previous_read = true;
      }
      if (previous_read && previous.find(f.secret) != std::string_view::npos) {
        continue;  // already in the earlier version: not added by this change
      }
      found.push_back(std::move(f));
    }
  }
  for (Finding& f : found) {
    f.location.commit = blob.commit;
    if (wanted(f)) {
      m_findings.push_back(std::move(f));
    }
  }
}

bool Session::write_diagnostics(std::ostream& err) {
  bool failed = false;
  for (const Diagnostic& d : m_summary.diagnostics) {
    const char* level = d.kind == Diagnostic::Kind::error ? "error" : "notice";
    err << fmt::format("leakstop: {}: {}: {}\n", level, d.path, d.message);
    failed = failed || d.kind == Diagnostic::Kind::error;
  }
  if (m_summary.baselined > 0) {
    err << fmt::format("leakstop: notice: {} finding(s) already in the baseline {} not shown\n", m_summary.baselined,
                       m_options.baseline_file);
  }
  if (m_options.report_unused_ignores) {
    for (const std::string& entry : m_suppressions.unused()) {
      err << fmt::format("leakstop: unused ignore: {}\n", entry);
    }
  }
  return failed;
}

int Session::finish(std::ostream& out, std::ostream& err) {
  std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.location.path, a.location.line, a.location.column) < std::tie(b.location.path, b.location.line, b.location.column);
  });
  bool failed = write_diagnostics(err);
  write_reports(m_options, m_context, m_findings, m_summary, out);
  if (failed) {
    return static_cast<int>(ExitCode::internal);
  }
  return static_cast<int>(m_findings.empty() ? ExitCode::clean : ExitCode::findings);
}

} // namespace leakstop::cli
