#include "cli/org_progress.hpp"

#include <fmt/format.h>

namespace leakstop::cli {

OrgProgress::OrgProgress(std::ostream& err, ShowProgress show, std::size_t repositories)
  : m_progress(err, show, fmt::format("leakstop: org 0 done of {}: ", repositories)), m_repositories(repositories) {}

void OrgProgress::repository(std::size_t index, const std::string& name, const std::string& line) {
  if (m_progress.on()) {
    m_progress.begin(fmt::format("leakstop: org {} done of {}, {}: ", index, m_repositories, name), "fetching");
  } else {
    m_progress.print(line);
  }
}

} // namespace leakstop::cli
