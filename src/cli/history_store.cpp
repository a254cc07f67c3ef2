#include "cli/history_store.hpp"

#include <filesystem>

#include "cli/org_log.hpp"
#include "core/secret.hpp"
#include "scan/repo_files.hpp"
#include "sources/mirror.hpp"

namespace leakstop::cli {
namespace {

// Where the repository is, as its name in the store: the work tree, else
// the git directory (bare).
std::string repository_location(const sources::LibGit2& git, const std::string& path) {
  sources::Repository repo = sources::open_repository(git, path);
  const char* workdir = git_repository_workdir(repo.get());
  std::string where = workdir ? workdir : git_repository_path(repo.get());
  while (where.size() > 1 && where.back() == '/') {
    where.pop_back();
  }
  return where;
}

// The store's ruleset digest plus the repository's own configuration, as
// the scan takes it.
std::string work_tree_digest(const scan::ScanOptions& options, const std::filesystem::path& root) {
  std::string identity = ruleset_digest(options);
  if (options.no_repo_config) {
    identity += "|no repository configuration";
    return sha256_hex(identity);
  }
  const scan::RepoFiles files = options.repo_files ? *options.repo_files : scan::read_worktree_files(root);
  for (const std::optional<std::string>* text : {&files.leakstop_toml, &files.leakstopignore, &files.gitleaksignore}) {
    identity += '|';
    identity += text->has_value() ? sha256_hex(**text) : std::string("absent");
  }
  return sha256_hex(identity);
}

} // namespace

HistoryStore::HistoryStore(const sources::LibGit2& git, const std::string& dir, const std::string& repo_path)
  : m_git(git), m_store(store::Store::open(dir)), m_repo_path(repository_location(git, repo_path)) {}

void HistoryStore::begin(const scan::ScanOptions& options) {
  m_digest = work_tree_digest(options, m_repo_path);
  m_run = m_store.begin_run(m_digest);
  m_repo = m_store.add_repository(m_repo_path, m_repo_path);
}

HistoryStore::~HistoryStore() {
  if (m_run != 0 && !m_recorded) {
    try {
      m_store.finish_run(m_run, store::RunStatus::interrupted);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the next begin_run marks it interrupted anyway
    }
  }
}

void HistoryStore::attach(scan::HistoryRequest& request) {
  request.wanted = [this](const git_oid& id) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_store.is_blob_scanned(sources::oid_hex(id), m_digest);
  };
}

void HistoryStore::record(const scan::HistoryResult& result) {
  m_store.record_findings(m_run, m_repo, result.scan.findings, result.scanned_blob_ids, result.blob_secrets);
  sources::Repository repo = sources::open_repository(m_git, m_repo_path);
  m_store.close_repository(m_run, m_repo, sources::blobs_at_branch_tips(repo.get()));
  m_store.finish_run(m_run, store::RunStatus::completed);
  m_recorded = true;
}

} // namespace leakstop::cli
