#pragma once
// Errors and exit codes. Libraries throw an Error subclass only when the
// command cannot go on; only main() catches them and maps them to an exit
// code. A bad blob is not an Error: it becomes a Diagnostic and the scan goes on.

#include <stdexcept>
#include <string>

namespace leakstop {

// Documented in README.md and `leakstop --help`.
enum class ExitCode : int {
  clean = 0,     // nothing found
  findings = 1,  // at least one finding
  usage = 2,     // bad command line, rule file or configuration
  internal = 3,  // repository unreadable, corrupt object, internal error
};

class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string& message)
    : std::runtime_error(message), m_code(code) {}
  ExitCode code() const { return m_code; }

private:
  ExitCode m_code;
};

// A rule file, configuration file or command line is wrong: exit 2.
class ConfigError : public Error {
public:
  explicit ConfigError(const std::string& message) : Error(ExitCode::usage, message) {}
};

// The repository or the machine failed us: exit 3.
class RepoError : public Error {
public:
  explicit RepoError(const std::string& message) : Error(ExitCode::internal, message) {}
};

} // namespace leakstop
