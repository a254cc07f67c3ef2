// leakstop: finds secrets before they are committed, and after.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "sources/git.hpp"

namespace {

constexpr const char* k_exit_codes = R"(Exit codes:
  0  clean: nothing found
  1  findings: at least one secret found (the hook refuses the commit)
  2  usage or configuration error (bad option, rule file or .leakstop.toml)
  3  repository or internal error (unreadable repository, corrupt object)
  130, 143  org scan stopped by SIGINT, SIGTERM (the run is recorded as interrupted)
The pre-commit hook refuses the commit on 1, 2 and 3 (it fails closed).)";

// What decides which rules run and what they yield: shared by the scanning
// commands and `org scan`.
void add_rule_options(CLI::App* app, leakstop::scan::ScanOptions& o) {
  app->add_option("--rules", o.rules_dir, "Directory of rule files (default: the installed rules)");
  app->add_option("--rule-file", o.extra_rule_files, "Extra rule file to load (repeatable)");
  app->add_option("--cache-dir", o.cache_dir, "Where compiled rules are cached");
  app->add_flag("--no-cache", o.no_cache, "Compile the rules; neither read nor write the cache");
  app->add_option("--config", o.gitleaks_config, "Load a gitleaks configuration (gitleaks.toml)");
  app->add_option("--min-severity", o.min_severity, "Report findings of at least this severity")
    ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  app->add_option("--min-confidence", o.min_confidence, "Report findings of at least this confidence")
    ->check(CLI::IsMember({"low", "medium", "high"}));
  // PositiveNumber: without it "-1" wraps to the largest size there is.
  app->add_option("--max-file-size", o.max_file_size, "Skip (with a notice) files larger than this many bytes")
    ->check(CLI::PositiveNumber);
  app->add_option("--decode-depth", o.decode_depth,
                   "Layers of base64, hex, percent and escape decoding to look through (default 2; 0: none)")
    ->check(CLI::Range(0, 4));
  app->add_flag_callback("--no-decode", [&o] { o.decode_depth = 0; }, "Do not look for secrets in encoded text");
}

void add_common_options(CLI::App* app, leakstop::cli::CommonOptions& o) {
  add_rule_options(app, o);
  app->add_option("-f,--format", o.format, "Output format: " + leakstop::report::format_names())
    ->check(CLI::IsMember(leakstop::report::format_name_list()));
  app->add_option("--report", o.report_file, "Write the report to this file (format from --format or the file name); "
                                             "the text report still goes to stdout");
  app->add_option("--baseline", o.baseline_file, "Report only findings not in this baseline (leakstop baseline create)");
  app->add_flag("--report-unused-ignores", o.report_unused_ignores,
                "List .leakstopignore and .gitleaksignore entries that matched nothing");
  app->add_flag("--show-secrets", o.show_secrets, "Print full secret values instead of redacted previews");
}

// The commands, one a line, for a command line that names none or a wrong one.
void print_commands(const CLI::App& app, std::ostream& out) {
  out << "usage: leakstop COMMAND [OPTIONS] (leakstop COMMAND --help for its options)\ncommands:\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    out << fmt::format("  {:<10} {}\n", sub->get_name(), sub->get_description());
  }
}

// CLI11 reports a misspelt command, an unknown option before the command and
// no command at all alike, as "A subcommand is required"; and `leakstop orgs
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
  const int rc = app.exit(e);
  return rc == 0 ? 0 : usage;
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

  std::string remote;
  std::string remote_url;
  CLI::App* pre_push = app.add_subcommand("pre-push", "Scan each commit being pushed (what the pre-push hook runs)");
  add_common_options(pre_push, common);
  pre_push->add_option("remote", remote, "The remote pushed to (git passes it)");
  pre_push->add_option("url", remote_url, "Its address (git passes it)");

  cli::BaselineOptions baseline_options;
  CLI::App* baseline = app.add_subcommand("baseline", "Record today's findings so that only new ones are reported");
  baseline->require_subcommand(1);
  CLI::App* baseline_create = baseline->add_subcommand("create", "Print a baseline of every current finding");
  CLI::App* baseline_prune = baseline->add_subcommand("prune", "Drop baseline entries no longer found (--baseline FILE)");
  for (CLI::App* sub : {baseline_create, baseline_prune}) {
    add_common_options(sub, common);
    sub->add_flag("--history", baseline_options.history, "From the repository's history");
    sub->add_flag("--staged", baseline_options.staged, "From the staged changes");
    sub->add_option("paths", baseline_options.paths,
                    "From these files and directories (default: .); with --history, [REPO] [REV-RANGE...]");
  }
  cli::HistoryArgs history_args;
  CLI::App* history = app.add_subcommand("history", "Scan every blob ever committed (all refs, or the given revisions)");
  add_common_options(history, common);
  history->add_option("args", history_args.positional,
                      "[REPO] [REV-RANGE...]: a repository directory first, then revisions (main..feature, HEAD~50..HEAD)");
  history->add_option("--threads", history_args.threads, "Reading and scanning threads (default: every core)")
    ->check(CLI::Range(1u, 1024u));
  history->add_flag("--all-objects", history_args.all_objects, "Also scan blobs no ref reaches (unreachable objects)");
  history->add_option("--since", history_args.since, "Only commits since DATE (2024-01-31, @<unix time>, '2 weeks ago')");
  history->add_option("--store", history_args.store_dir,
                      "Incremental: read only blobs this store (an org store) has not scanned, then record them");

  cli::InstallOptions install_options;
  CLI::App* install = app.add_subcommand("install", "Install the pre-commit hook in this repository");
  install->add_flag("--uninstall", install_options.uninstall, "Remove the hook and restore the previous one");
  install->add_flag("--global", install_options.global, "Install for every repository of this user (core.hooksPath)");
  install->add_option("--hook", install_options.hook, "Which hook: pre-commit (default) or pre-push")
    ->check(CLI::IsMember({"pre-commit", "pre-push"}));

  cli::AuditOptions audit_options;
  CLI::App* audit = app.add_subcommand("audit", "Check a repository against the secrets checklist (.env ignored, keys "
                                                "per environment, rotation...)");
  add_common_options(audit, common);
  audit->add_option("repo", audit_options.repo, "The repository (default: the current one)");
  audit->add_option("--rotation-days", audit_options.rotation_days, "Keys older than this are due for rotation")
    ->check(CLI::Range(1, 36500))->capture_default_str();
  audit->add_option("--now", audit_options.now, "Judge ages as of this date (default: SOURCE_DATE_EPOCH, else now)");
  audit->add_flag_callback("--no-history", [&audit_options] { audit_options.history = false; },
                           "Check HEAD only (rotation and history-exposure become n/a)");
  audit->add_option("--checks", audit_options.checks_file, "Extra check data (environment names, live-key markers)");

  cli::OrgArgs org_args;
  CLI::App* org = app.add_subcommand("org", "Scan every repository of an organisation into a store; report, triage");
  org->require_subcommand(1);
  CLI::App* org_scan = org->add_subcommand("scan", "Mirror and scan every repository of a list, incrementally");
  add_rule_options(org_scan, common);
  org_scan->add_option("--repos", org_args.repos_file, "The repository list: one URL or path a line, optional name")
    ->required();
  org_scan->add_option("--shard", org_args.shard, "Only the repositories of shard K of N (K/N, K from 0)");
  org_scan->add_option("--threads", org_args.threads, "Reading and scanning threads (default: every core)")
    ->check(CLI::Range(1u, 1024u));
  CLI::App* org_report = org->add_subcommand("report", "Every finding of the store: status, triage, where, since when");
  org_report->add_option("-f,--format", org_args.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  org_report->add_flag("--new", org_args.only_new, "Only the findings first seen in the latest run");
  CLI::App* org_triage = org->add_subcommand("triage", "Record a decision on a finding");
  org_triage->add_option("fingerprint", org_args.fingerprint, "The finding's fingerprint (org report)")->required();
  org_triage->add_option("--status", org_args.status, "rotated, false-positive or accepted-risk")->required();
  org_triage->add_option("--note", org_args.note, "Why, for the next reader");
  CLI::App* org_merge = org->add_subcommand("merge", "Add shard stores to --store (findings and triage by fingerprint)");
  org_merge->add_option("others", org_args.others, "The stores to merge in")->required();
  for (CLI::App* sub : {org_scan, org_report, org_triage, org_merge}) {
    sub->add_option("--store", org_args.store_dir, "The store's directory (leakstop.db, mirrors/, audit.jsonl)")
      ->required();
  }

  CLI::App* rules = app.add_subcommand("rules", "List and test the rules");
  rules->require_subcommand(1);
  CLI::App* rules_list = rules->add_subcommand("list", "List every rule");
  add_common_options(rules_list, common);
  std::vector<std::string> rule_files;
  CLI::App* rules_test = rules->add_subcommand("test", "Run every rule's examples through both engines");
  add_common_options(rules_test, common);
  rules_test->add_option("files", rule_files, "Rule files (default: all shipped rules)");
  cli::CheckOptions check_options;
  CLI::App* rules_check = rules->add_subcommand(
    "check", "Lint the rules: both engines, examples, keywords, and quiet on a clean corpus");
  add_common_options(rules_check, common);
  rules_check->add_option("--corpus", check_options.corpus, "Directories of text with no real secrets")
    ->capture_default_str();
  rules_check->add_option("--corpus-limit", check_options.corpus_limit_mb, "Scan at most this many MB of text")
    ->capture_default_str();
  rules_check->add_option("--max-per-100mb", check_options.max_per_100mb,
                          "Fail a rule that fires more often than this per 100 MB of corpus")
    ->capture_default_str();
  rules_check->add_option("--show", check_options.show, "Findings listed per rule")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, argc, argv, e);
  }

  try {
    if (*scan) return cli::cmd_scan(libgit2, common, paths);
    if (*staged) return cli::cmd_staged(libgit2, common, paths);
    if (*history) return cli::cmd_history(libgit2, common, history_args);
    if (*install) return cli::cmd_install(libgit2, install_options);
    if (*pre_push) return cli::cmd_pre_push(libgit2, common, remote, std::cin);
    if (*baseline_create) return cli::cmd_baseline_create(libgit2, common, baseline_options);
    if (*baseline_prune) return cli::cmd_baseline_prune(libgit2, common, baseline_options);
    if (*audit) {
      audit_options.format = common.format.empty() ? "text" : common.format;
      if (audit_options.format != "text" && audit_options.format != "json" && audit_options.format != "sarif") {
        throw ConfigError("audit --format takes text, json or sarif");
      }
      return cli::cmd_audit(libgit2, common, audit_options);
    }
    if (*org_scan) return cli::cmd_org_scan(libgit2, common, org_args);
    if (*org_report) return cli::cmd_org_report(libgit2, org_args);
    if (*org_triage) return cli::cmd_org_triage(libgit2, org_args);
    if (*org_merge) return cli::cmd_org_merge(libgit2, org_args);
    if (*rules_list) return cli::cmd_rules_list(common);
    if (*rules_test) return cli::cmd_rules_test(common, rule_files);
    if (*rules_check) return cli::cmd_rules_check(common, check_options);
  } catch (const Error& e) {
    // Messages quote what a repository wrote (a TOML key, a rule id, a
    // path): escaped like the rest of the output.
    std::cerr << "leakstop: error: " << printable(e.what()) << '\n';
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "leakstop: internal error: " << printable(e.what()) << '\n';
    return static_cast<int>(ExitCode::internal);
  }
  return static_cast<int>(ExitCode::usage);
}
