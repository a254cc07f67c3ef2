#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace leakstop::cli {
namespace {

std::string clock(double seconds) {
  const auto s = static_cast<long>(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

ShowProgress Progress::on_terminal() {
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::string_view(term) == "dumb";
  return ::isatty(STDERR_FILENO) && !dumb ? ShowProgress::yes : ShowProgress::no;
}

Progress::Progress(std::ostream& err, ShowProgress show, std::string label)
  : m_err(err), m_on(show == ShowProgress::yes), m_label(std::move(label)) {
  if (m_on) {
    draw();  // at once: a short scan is over before the first tick
    m_ticker = std::thread([this] {
      std::unique_lock<std::mutex> lock(m_mutex);
      while (!m_wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return m_stop; })) {
        draw();
      }
    });
  }
}

Progress::~Progress() {
  finish();
}

void Progress::walked(std::size_t done, std::size_t total) {
  m_walked = done;
  m_walk_total = total;
}

void Progress::start_blobs(std::size_t total) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_blobs_start = std::chrono::steady_clock::now();
  m_blob_total = total;
  m_reading = true;
  if (m_on && !m_stop) {
    draw();
  }
}

void Progress::blob_done(std::uint64_t bytes) {
  ++m_blobs;
  m_bytes += bytes;
}

void Progress::finish() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stop) {
      return;
    }
    m_stop = true;
  }
  m_wake.notify_all();
  if (m_ticker.joinable()) {
    m_ticker.join();
  }
  if (m_on && m_width > 0) {
    m_err << '\r' << std::string(m_width, ' ') << '\r' << std::flush;
  }
}

void Progress::begin(std::string label, std::string waiting) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_label = std::move(label);
  m_waiting = std::move(waiting);
  m_start = std::chrono::steady_clock::now();
  m_walked = 0;
  m_walk_total = 0;
  m_blobs = 0;
  m_blob_total = 0;
  m_bytes = 0;
  m_reading = false;
  if (m_on && !m_stop) {
    draw();
  }
}

void Progress::print(const std::string& text) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_on && m_width > 0) {
    m_err << '\r' << std::string(m_width, ' ') << '\r';
    m_width = 0;
  }
  m_err << text << '\n';
  if (m_on && !m_stop) {
    draw();
  }
  m_err << std::flush;
}

// Called with m_mutex held (or before the ticker starts).
void Progress::draw() {
  std::string line;
  if (!m_reading && m_walk_total == 0 && !m_waiting.empty()) {
    line = fmt::format("{}{}  {} elapsed", m_label, m_waiting, clock(since(m_start)));
  } else if (!m_reading) {
    line = fmt::format("{}comparing commits {}/{}  {} elapsed", m_label, m_walked.load(), m_walk_total.load(), clock(since(m_start)));
  } else {
    const double seconds = since(m_blobs_start);
    const std::size_t done = m_blobs;
    const std::size_t total = m_blob_total;
    const double mb_per_s = seconds > 0 ? static_cast<double>(m_bytes.load()) / 1e6 / seconds : 0.0;
    const std::string eta = done > 0 && total > done ? clock(seconds * static_cast<double>(total - done) / static_cast<double>(done)) : "-";
    line = fmt::format("{}blobs {}/{}  {:.1f} MB/s  {} elapsed  ETA {}", m_label, done, total, mb_per_s,
                       clock(since(m_start)), eta);
  }
  const std::size_t width = line.size();
  if (width < m_width) {
    line.append(m_width - width, ' ');
  }
  m_width = width;
  m_err << '\r' << line << std::flush;
}

} // namespace leakstop::cli
