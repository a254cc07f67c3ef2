#pragma once
// The "new in this change" judgement. A finding in a changed file counts
// only when its secret is not already in the file's earlier version: a key
// that moves, or a line reformatted around it, was leaked before and is not
// this change's doing.
//
// Thread-safety: not thread-safe; one per blob, on the thread scanning it.

#include <functional>
#include <string_view>

namespace leakstop::scan {

class PreviousVersion {
public:
  // `read` gives the earlier version (read only when first needed, since
  // most changes hold no finding); empty for a new file.
  explicit PreviousVersion(const std::function<std::string_view()>& read) : m_read(read) {}

  // True when `secret` was already in the earlier version.
  bool had(std::string_view secret) {
    if (!m_read) {
      return false;
    }
    if (!m_loaded) {
      m_text = m_read();
      m_loaded = true;
    }
    return m_text.find(secret) != std::string_view::npos;
  }

private:
  const std::function<std::string_view()>& m_read;
  std::string_view m_text;
  bool m_loaded = false;
};

} // namespace leakstop::scan
