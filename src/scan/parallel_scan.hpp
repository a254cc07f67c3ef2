#pragma once
// One pipeline fed by a source on several threads (sources::OrderedBlobSink),
// with the result of feeding it one blob at a time: each worker examines
// its blobs with its own scanner and keeps what each gave under the blob's
// place in the source's order; finish() records them in that order. So the
// findings, the diagnostics and their order do not depend on the number of
// threads, nor on which thread took which blob.
//
// Thread-safety: scan() is called by the source's workers, concurrently for
// different workers, never twice at once for one worker; worker 0 must be
// the pipeline's own thread (it uses the pipeline's scanner). The rest on
// the pipeline's thread.

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "scan/pipeline.hpp"

namespace leakstop::scan {

// The threads a scan asked for `requested` runs on: every core for 0.
unsigned scan_threads(unsigned requested);

class ParallelScan {
public:
  ParallelScan(Pipeline& pipeline, unsigned threads);

  // The sink for a source of at most `threads` workers.
  sources::OrderedBlobSink sink() {
    return [this](unsigned worker, std::size_t order, const sources::SourceBlob& blob) { return scan(worker, order, blob); };
  }
  sources::Flow scan(unsigned worker, std::size_t order, const sources::SourceBlob& blob);

  // Records what every blob gave in the pipeline, in the source's order.
  // Once, after the source has returned.
  void finish();

private:
  struct Worker {
    std::unique_ptr<engine::Scanner> scanner;  // made on the worker's first blob; worker 0 uses the pipeline's
    std::vector<std::pair<std::size_t, BlobOutcome>> outcomes;  // those with a finding or a diagnostic
    BlobOutcome counts;  // the rest, added up
  };

  engine::Scanner& scanner(unsigned worker);

  Pipeline& m_pipeline;
  std::vector<Worker> m_workers;
  std::mutex m_make_mutex;
};

} // namespace leakstop::scan
