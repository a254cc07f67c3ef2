#pragma once
// The command line's shared parts, for main(): the options every scanning
// command takes, the exit-code footer, and messages for a command line that
// names no command, a wrong one, or an unknown option.

#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/common.hpp"

namespace leakstop::cli {

extern const char* const k_exit_codes;

// Registers the common options on `app`, writing into `o`.
void add_common_options(CLI::App* app, CommonOptions& o);

// The commands, one a line.
void print_commands(const CLI::App& app, std::ostream& out);

// The exit code for a parse error, having named the problem on stderr.
int parse_failure(CLI::App& app, int argc, char** argv, const CLI::ParseError& e);

} // namespace leakstop::cli
