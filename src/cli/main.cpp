// leakstop: finds secrets before they are committed, and after.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "sources/git.hpp"

namespace {

constexpr const char* k_exit_codes = R"(Exit codes:
  0  clean: nothing found
  1  findings: at least one secret found (the hook refuses the commit)
  2  usage or configuration error (bad option, rule file or .leakstop.toml)
  3  repository or internal error (unreadable repository, corrupt object)
The pre-commit hook refuses the commit on 1, 2 and 3 (it fails closed).)";

void add_common_options(CLI::App* app, leakstop::cli::CommonOptions& o) {
  app->add_option("--rules", o.rules_dir, "Directory of rule files (default: the installed rules)");
  app->add_option("--rule-file", o.extra_rule_files, "Extra rule file to load (repeatable)");
  app->add_option("--cache-dir", o.cache_dir, "Where compiled rules are cached");
  app->add_flag("--no-cache", o.no_cache, "Compile the rules; neither read nor write the cache");
  app->add_option("-f,--format", o.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  app->add_flag("--show-secrets", o.show_secrets, "Print full secret values instead of redacted previews");
  app->add_option("--min-severity", o.min_severity, "Report findings of at least this severity")
    ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  app->add_option("--min-confidence", o.min_confidence, "Report findings of at least this confidence")
    ->check(CLI::IsMember({"low", "medium", "high"}));
  app->add_option("--max-file-size", o.max_file_size, "Skip (with a notice) files larger than this many bytes");
}

} // namespace

int main(int argc, char** argv) {
  using namespace leakstop;
  // Initialised in the background: see sources/git.hpp.
  sources::LibGit2 libgit2(sources::Init::background);
  CLI::App app{"leakstop: stops secrets at the commit and finds the ones already there"};
  app.footer(k_exit_codes);
  app.set_version_flag("--version", std::string("leakstop ") + LEAKSTOP_VERSION);
  app.require_subcommand(1);

  cli::CommonOptions common;
  std::vector<std::string> paths;

  CLI::App* scan = app.add_subcommand("scan", "Scan files and directories (\"-\" for stdin), honouring .gitignore");
  add_common_options(scan, common);
  scan->add_option("paths", paths, "Files or directories")->required();

  CLI::App* staged = app.add_subcommand("staged", "Scan what the next commit would add (what the hook runs)");
  add_common_options(staged, common);
  staged->add_option("paths", paths, "Only these staged files, scanned in full (pre-commit framework)");

  cli::HistoryArgs history_args;
  CLI::App* history = app.add_subcommand("history", "Scan every blob ever committed (all refs, or the given revisions)");
  add_common_options(history, common);
  history->add_option("args", history_args.positional,
                      "[REPO] [REV-RANGE...]: a repository directory first, then revisions (main..feature, HEAD~50..HEAD)");
  history->add_option("--threads", history_args.threads, "Reading and scanning threads (default: every core)")
    ->check(CLI::Range(1u, 1024u));
  history->add_flag("--all-objects", history_args.all_objects, "Also scan blobs no ref reaches (unreachable objects)");
  history->add_option("--since", history_args.since, "Only commits since DATE (2024-01-31, @<unix time>, '2 weeks ago')");

  cli::InstallOptions install_options;
  CLI::App* install = app.add_subcommand("install", "Install the pre-commit hook in this repository");
  install->add_flag("--uninstall", install_options.uninstall, "Remove the hook and restore the previous one");
  install->add_flag("--global", install_options.global, "Install for every repository of this user (core.hooksPath)");
  install->add_option("--hook", install_options.hook, "Which hook");

  CLI::App* rules = app.add_subcommand("rules", "List and test the rules");
  rules->require_subcommand(1);
  CLI::App* rules_list = rules->add_subcommand("list", "List every rule");
  add_common_options(rules_list, common);
  std::vector<std::string> rule_files;
  CLI::App* rules_test = rules->add_subcommand("test", "Run every rule's examples through both engines");
  add_common_options(rules_test, common);
  rules_test->add_option("files", rule_files, "Rule files (default: all shipped rules)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
  }

  try {
    if (*scan) return cli::cmd_scan(libgit2, common, paths);
    if (*staged) return cli::cmd_staged(libgit2, common, paths);
    if (*history) return cli::cmd_history(libgit2, common, history_args);
    if (*install) return cli::cmd_install(libgit2, install_options);
    if (*rules_list) return cli::cmd_rules_list(common);
    if (*rules_test) return cli::cmd_rules_test(common, rule_files);
  } catch (const Error& e) {
    std::cerr << "leakstop: error: " << e.what() << '\n';
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "leakstop: internal error: " << e.what() << '\n';
    return static_cast<int>(ExitCode::internal);
  }
  return static_cast<int>(ExitCode::usage);
}
