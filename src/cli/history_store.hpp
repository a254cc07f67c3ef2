#pragma once
// `leakstop history --store DIR`: one repository's history scan made
// incremental by an organisation store (store/store.hpp). Blobs the store
// has scanned under the same rules are not read; what is read is recorded,
// with its findings, in one run of the store.

#include <mutex>
#include <optional>
#include <string>

#include "scan/history_scan.hpp"
#include "store/store.hpp"

namespace leakstop::cli {

class HistoryStore {
public:
  // Opens the store at once (ConfigError if it is in use) for the
  // repository at `repo_path`.
  HistoryStore(const sources::LibGit2& git, const std::string& dir, const std::string& repo_path);
  // Begins a run with the scan's effective `options`. The rules' identity
  // covers the repository's .leakstop.toml and ignore files as the scan
  // takes them (work tree, --config-from, --no-repo-config): a change to
  // them rescans.
  void begin(const scan::ScanOptions& options);
  // A run never recorded is marked interrupted.
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Makes `request` skip the blobs the store has scanned.
  void attach(scan::HistoryRequest& request);
  // Records what the scan read and found, and which findings are at a
  // branch tip; ends the run.
  void record(const scan::HistoryResult& result);
  store::RunId run() const { return m_run; }

private:
  const sources::LibGit2& m_git;
  store::Store m_store;
  std::string m_repo_path;
  std::string m_digest;
  store::RunId m_run = 0;
  store::RepoId m_repo = 0;
  bool m_recorded = false;
  std::mutex m_mutex;  // `wanted` may be asked from reading threads
};

} // namespace leakstop::cli
