#pragma once
// Running one function on several threads: the calling thread is one of
// them, and the first exception thrown on any of them is rethrown here once
// all have finished.

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace leakstop {

// How many cores this process may run on: those of its CPU affinity (a
// container's cpuset, `taskset`), not every core of the machine; at least 1.
inline unsigned every_core() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls `work(t)` for t in [0, threads) concurrently, t = 0 on the calling
// thread. `work` must itself stop early if it wants the others to: an
// exception only ends the thread it was thrown on.
inline void run_parallel(unsigned threads, const std::function<void(unsigned)>& work) {
  std::mutex mutex;
  std::exception_ptr failure;
  auto guarded = [&](unsigned t) {
    try {
      work(t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure) {
        failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) {
    pool.emplace_back(guarded, t);
  }
  guarded(0);
  for (std::thread& thread : pool) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

// Calls `task(i)` for every i in [0, count) on up to `threads` threads,
// each taking the next i once done with its last: list the longest tasks
// first and the threads finish together. An exception ends the thread it
// was thrown on and is rethrown once the others have run the remaining
// tasks (see run_parallel).
inline void for_each_parallel(unsigned threads, std::size_t count, const std::function<void(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  const auto workers = static_cast<unsigned>(std::clamp<std::size_t>(count, 1, std::max(1u, threads)));
  run_parallel(workers, [&](unsigned) {
    for (std::size_t i = next++; i < count; i = next++) {
      task(i);
    }
  });
}

// Of the errors recorded from any thread, the one with the lowest key:
// work done in parallel reports the error a serial run in key order would
// have met first, whichever thread met its error first.
class LowestFailure {
public:
  using Key = std::pair<std::size_t, std::size_t>;

  void record(Key key, std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_error || key < m_key) {
      m_key = key;
      m_error = std::move(error);
    }
  }
  // Rethrows the recorded error, if any. Call once every thread is done.
  void rethrow() const {
    if (m_error) {
      std::rethrow_exception(m_error);
    }
  }

private:
  std::mutex m_mutex;
  Key m_key;
  std::exception_ptr m_error;
};

} // namespace leakstop
