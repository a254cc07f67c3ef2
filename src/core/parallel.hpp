#pragma once
// Running one function on several threads: the calling thread is one of
// them, and the first exception thrown on any of them is rethrown here once
// all have finished.

#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace leakstop {

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

} // namespace leakstop
