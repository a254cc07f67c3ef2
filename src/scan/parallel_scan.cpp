#include "scan/parallel_scan.hpp"

#include <algorithm>
#include <iterator>
#include <thread>

namespace leakstop::scan {

unsigned scan_threads(unsigned requested) {
  return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

ParallelScan::ParallelScan(Pipeline& pipeline, unsigned threads) : m_pipeline(pipeline), m_workers(std::max(1u, threads)) {}

engine::Scanner& ParallelScan::scanner(unsigned worker) {
  if (worker == 0) {
    return m_pipeline.scanner();
  }
  Worker& w = m_workers.at(worker);
  if (!w.scanner) {
    // One at a time: the compiled rules are shared, and this is once per worker.
    std::lock_guard<std::mutex> lock(m_make_mutex);
    w.scanner = m_pipeline.make_scanner();
  }
  return *w.scanner;
}

sources::Flow ParallelScan::scan(unsigned worker, std::size_t order, const sources::SourceBlob& blob) {
  BlobOutcome outcome = m_pipeline.examine(scanner(worker), blob);
  Worker& w = m_workers.at(worker);
  w.counts.files_scanned += outcome.files_scanned;
  w.counts.bytes_scanned += outcome.bytes_scanned;
  if (!outcome.findings.empty() || outcome.diagnostic) {
    outcome.files_scanned = 0;
    outcome.bytes_scanned = 0;
    w.outcomes.emplace_back(order, std::move(outcome));
  }
  return sources::Flow::next;
}

void ParallelScan::finish() {
  std::vector<std::pair<std::size_t, BlobOutcome>> all;
  for (Worker& w : m_workers) {
    m_pipeline.record(std::move(w.counts));
    std::move(w.outcomes.begin(), w.outcomes.end(), std::back_inserter(all));
    w = Worker{};
  }
  // Each blob has one place: the order is total.
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, outcome] : all) {
    m_pipeline.record(std::move(outcome));
  }
}

} // namespace leakstop::scan
