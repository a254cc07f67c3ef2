#pragma once
// A progress line on stderr for long scans, redrawn ten times a second by a
// thread of its own. Only on a terminal: piped or redirected, it prints
// nothing at all, so logs and parsers never see it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <thread>

namespace leakstop::cli {

enum class ShowProgress { no, yes };

// Thread-safety: walked() and blob_done() from any thread; the rest from
// the thread that owns it.
class Progress {
public:
  Progress(std::ostream& err, ShowProgress show, std::string label = "leakstop: ");
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Called from any thread: commits compared with their parents so far.
  void walked(std::size_t done, std::size_t total);
  // Switches to counting blobs, `total` of them.
  void start_blobs(std::size_t total);
  // Called from any thread once per blob read.
  void blob_done(std::uint64_t bytes);
  // Erases the line; nothing is drawn after this.
  void finish();

  // Starts over for the next of a series (an org scan's repositories): the
  // counts reset, the line begins with `label` ("leakstop: org 3 done of
  // 50, name: ") and says `waiting` ("fetching") until commits are compared.
  void begin(std::string label, std::string waiting);
  // Prints `text` (a whole line) above the progress line, which stays.
  void print(const std::string& text);
  bool on() const { return m_on; }

  // True on a terminal (stderr), with TERM not "dumb".
  static ShowProgress on_terminal();

private:
  void draw();

  std::ostream& m_err;
  bool m_on;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point m_blobs_start;
  std::atomic<std::size_t> m_walked{0};
  std::atomic<std::size_t> m_walk_total{0};
  std::atomic<std::size_t> m_blob_total{0};
  std::atomic<std::size_t> m_blobs{0};
  std::atomic<std::uint64_t> m_bytes{0};
  std::atomic<bool> m_reading{false};
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stop = false;
  std::size_t m_width = 0;  // of the last line drawn
  std::string m_label;
  std::string m_waiting;
  std::thread m_ticker;
};

} // namespace leakstop::cli
