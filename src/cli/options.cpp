// The command line's shared parts: common options, the exit-code footer,
// and naming what a command line got wrong.
#include "cli/options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <iostream>

#include "core/encoding.hpp"
#include "core/error.hpp"
#include "report/report.hpp"
#include "rules/toml_read.hpp"

namespace leakstop::cli {

const char* const k_exit_codes = R"(Exit codes:
  0  clean: nothing found
  1  findings: at least one secret found (the hook refuses the commit)
  2  usage or configuration error (bad option, rule file or .leakstop.toml, unwritable --audit-log)
  3  repository or internal error (unreadable repository, corrupt object, a hosting API that failed to list)
  130, 143  org scan stopped by SIGINT, SIGTERM (the run is recorded as interrupted)
The pre-commit hook refuses the commit on 1, 2 and 3 (it fails closed).)";

void add_common_options(CLI::App* app, CommonOptions& o) {
  app->add_option("--rules", o.rules_dir, "Directory of rule files (default: the installed rules)");
  app->add_option("--rule-file", o.extra_rule_files, "Extra rule file to load (repeatable)");
  app->add_option("--cache-dir", o.cache_dir, "Where compiled rules are cached");
  app->add_flag("--no-cache", o.no_cache, "Compile the rules; neither read nor write the cache");
  app->add_flag("--no-repo-config", o.no_repo_config,
                "Ignore the repository's own .leakstop.toml, .leakstopignore and .gitleaksignore (untrusted code)");
  app->add_option("--config-from", o.config_from,
                  "Read the repository's .leakstop.toml and ignore files from this commit (e.g. the base branch)");
  app->add_flag("--verbose", o.verbose, "List every file not scanned (binary files are otherwise counted in one line)");
  app->add_option("-f,--format", o.format, "Output format: " + leakstop::report::format_names())
    ->check(CLI::IsMember(leakstop::report::format_name_list()));
  app->add_option("--report", o.report_file, "Write the report to this file (format from --format or the file name); "
                                             "the text report still goes to stdout");
  app->add_option("--baseline", o.baseline_file, "Report only findings not in this baseline (leakstop baseline create)");
  app->add_flag("--report-unused-ignores", o.report_unused_ignores,
                "List .leakstopignore and .gitleaksignore entries that matched nothing");
  app->add_option("--config", o.gitleaks_config, "Load a gitleaks configuration (gitleaks.toml)");
  app->add_flag("--show-secrets", o.show_secrets, "Print full secret values instead of redacted previews");
  app->add_option("--min-severity", o.min_severity, "Report findings of at least this severity")
    ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  app->add_option("--min-confidence", o.min_confidence, "Report findings of at least this confidence")
    ->check(CLI::IsMember({"low", "medium", "high"}));
  // Bytes, or a size with a unit as in .leakstop.toml; "-1" must not wrap
  // to the largest size there is.
  app->add_option_function<std::string>(
    "--max-file-size",
    [&o](const std::string& text) {
      std::uint64_t bytes = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bytes);
      if (ec == std::errc() && end == text.data() + text.size() && bytes > 0) {
        o.max_file_size = bytes;
      } else if (auto sized = leakstop::rules::parse_byte_size(text)) {
        o.max_file_size = *sized;
      } else {
        throw CLI::ValidationError("--max-file-size",
                                   "'" + leakstop::printable(text) + "': expected a positive number of bytes or a size "
                                   "with a unit (5MB, 512KiB; KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024)");
      }
    },
    "Skip (with a notice) files larger than this: bytes, or a size with a unit (5MB, 10MiB)");
  app->add_option("--decode-depth", o.decode_depth,
                   "Layers of base64, hex, percent and escape decoding to look through (default 2; 0: none)")
    ->check(CLI::Range(0, 4));
  app->add_flag_callback("--no-decode", [&o] { o.decode_depth = 0; }, "Do not look for secrets in encoded text");
  app->add_option("--audit-log", o.audit_log,
                  "Append one JSON line about this run to FILE (time, action, actor, repository, result, counts; "
                  "never a secret)");
}

// The commands, one a line, for a command line that names none or a wrong one.
void print_commands(const CLI::App& app, std::ostream& out) {
  out << "usage: leakstop COMMAND [OPTIONS] (leakstop COMMAND --help for its options)\ncommands:\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    out << fmt::format("  {:<10} {}\n", sub->get_name(), sub->get_description());
  }
}

// CLI11 reports a misspelt command, an unknown option before the command and
// no command at all alike, as "A subcommand is required"; and `leakstop org
// --help` shows the main help with exit 0. Each is named here instead, exit 2.
int parse_failure(CLI::App& app, int argc, char** argv, const CLI::ParseError& e) {
  using leakstop::ExitCode;
  using leakstop::printable;
  const int usage = static_cast<int>(ExitCode::usage);
  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](const CLI::App* sub) { return sub->check_name(argv[1]); }).empty()) {
    std::cerr << "leakstop: unknown command '" << printable(argv[1]) << "'\n";
    print_commands(app, std::cerr);
    return usage;
  }
  if (argc == 1) {
    std::cerr << "leakstop: a command is required\n";
    print_commands(app, std::cerr);
    return usage;
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e) || dynamic_cast<const CLI::RequiredError*>(&e)) {
    for (const std::string& arg : app.remaining(true)) {
      if (arg.size() > 1 && arg[0] == '-') {
        std::cerr << "leakstop: unknown option '" << printable(arg) << "' (--help lists the options)\n";
        if (argv[1][0] == '-') {
          print_commands(app, std::cerr);
        }
        return usage;
      }
    }
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e) || dynamic_cast<const CLI::ConversionError*>(&e)) {
    std::cerr << "leakstop: " << printable(e.what()) << " (--help lists the options)\n";  // one line, as above
    return usage;
  }
  const int rc = app.exit(e);
  return rc == 0 ? 0 : usage;
}


} // namespace leakstop::cli
