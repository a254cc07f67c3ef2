#pragma once
// What `org scan` says while it runs. On a terminal: one progress line
// (repositories done of total, the current one, its blobs and MB/s, from
// progress.hpp) with each repository's result printed above it. Otherwise
// plain lines, one as each repository starts and one as it ends.

#include <ostream>
#include <string>

#include "cli/progress.hpp"
#include "scan/history_scan.hpp"

namespace leakstop::cli {

// Thread-safety: walked() and blob_done() from any thread, as Progress.
class OrgProgress : public scan::HistoryProgress {
public:
  OrgProgress(std::ostream& err, ShowProgress show, std::size_t repositories);

  // Repository `index` (from 0) starts; `line` says so where there is no
  // progress line.
  void repository(std::size_t index, const std::string& name, const std::string& line);
  // A line of the log: a repository's result, a failure.
  void line(const std::string& text) { m_progress.print(text); }
  // Erases the progress line (before the run's summary).
  void done() { m_progress.finish(); }

  void walked(std::size_t done, std::size_t total) override { m_progress.walked(done, total); }
  void start_blobs(std::size_t total) override { m_progress.start_blobs(total); }
  void blob_done(std::uint64_t bytes) override { m_progress.blob_done(bytes); }
  void finish() override {}  // the line stays for the next repository

private:
  Progress m_progress;
  std::size_t m_repositories;
};

} // namespace leakstop::cli
