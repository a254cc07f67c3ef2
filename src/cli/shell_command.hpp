#pragma once
// A user's shell command, run to completion or to a deadline: what
// `org scan --on-new` needs to hand findings to curl, a chat webhook or a
// ticketing script without letting it stall or kill the scan.

#include <chrono>
#include <string>
#include <string_view>

namespace leakstop::cli {

struct ShellResult {
  enum class Outcome { exited, signalled, timed_out, not_started };
  Outcome outcome = Outcome::exited;
  int status = 0;      // exited: the exit code; signalled: the signal
  std::string detail;  // not_started: why

  bool ok() const { return outcome == Outcome::exited && status == 0; }
  // As a shell reports it: the exit code, 128 + the signal, 124 for a
  // timeout (as timeout(1)), 127 when it could not start.
  int exit_code() const;
  // "exited with 7", "killed by signal 9", "timed out after 1 s", ...
  std::string describe(std::chrono::seconds timeout) const;
};

// Runs `/bin/sh -c command` in a process group of its own, `input` on its
// stdin (closed once written; a command that does not read it is fine),
// its stdout sent to this process's stderr (diagnostics, not our output)
// and its stderr inherited. At `timeout` the group gets SIGTERM, and
// SIGKILL two seconds later if anything is left. SIGPIPE is ignored while
// the input is written. Never throws for the command's failure.
ShellResult run_shell(const std::string& command, std::string_view input, std::chrono::seconds timeout);

} // namespace leakstop::cli
