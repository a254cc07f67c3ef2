// leakstop: finds secrets before they are committed, and after.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/audit_log.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "sources/git.hpp"

using leakstop::cli::add_common_options;
using leakstop::cli::k_exit_codes;
using leakstop::cli::parse_failure;


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
  for (CLI::App* sub : {scan, staged, baseline_create, baseline_prune}) {
    sub->add_option("--threads", common.threads, "Reading and scanning threads (default: every core)")
      ->check(CLI::Range(1u, 1024u));
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
  add_common_options(org_scan, common);  // the rule options; the report options have no effect
  org_scan->add_option("--repos", org_args.repos_file, "The repository list: one URL or path a line, optional name");
  cli::add_hosting_options(org_scan, org_args.hosting);
  org_scan->add_option("--shard", org_args.shard, "Only the repositories of shard K of N (K/N, K from 0)");
  org_scan->add_option("--threads", org_args.threads, "Reading and scanning threads (default: every core)")
    ->check(CLI::Range(1u, 1024u));
  org_scan->add_flag("--repo-config", org_args.repo_config,
                     "Honour each repository's .leakstop.toml and ignore files (default: ignored, and what they "
                     "would hide is counted)");
  org_scan->add_option("--on-new", org_args.on_new, "After the run, pipe its new findings (JSON lines) to this sh command");
  org_scan->add_option("--on-new-timeout", org_args.on_new_timeout, "Seconds before the --on-new command is killed")
    ->check(CLI::Range(1u, 86400u))->capture_default_str();
  CLI::App* org_report = org->add_subcommand("report", "Every finding of the store: status, triage, where, since when");
  org_report->add_option("-f,--format", org_args.format, "text, json, sarif, csv or html")
      ->check(CLI::IsMember({"text", "json", "sarif", "csv", "html"}));
  org_report->add_flag("--new", org_args.only_new, "Only the findings first seen in the latest run");
  org_report->add_option("--since", org_args.since, "Only the findings first seen in run RUN_ID or later, or since DATE");
  org_report->add_option("--now", org_args.now, "Exposure ages as of this date (default: SOURCE_DATE_EPOCH, else now)");
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
  org_scan->get_option("--store")->required(false);  // not for --list-only; cmd_org_scan checks it

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

  CLI::App* cache = app.add_subcommand("cache", "Show or clear the compiled-rules cache");
  cache->require_subcommand(1);
  CLI::App* cache_info = cache->add_subcommand("info", "Where compiled rules are cached, how big, for which rules");
  add_common_options(cache_info, common);
  CLI::App* cache_clear = cache->add_subcommand("clear", "Remove every compiled-rules entry from the per-user cache");
  add_common_options(cache_clear, common);
  // Hidden: run by the install step (CMake's and install.sh).
  std::string cache_out;
  CLI::App* cache_build = cache->add_subcommand("build", "Compile the shipped rules for any x86-64 CPU into --out");
  cache_build->group("");
  add_common_options(cache_build, common);
  cache_build->add_option("--out", cache_out, "Directory to write to")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return parse_failure(app, argc, argv, e);
  }

  // The command, and where it starts, for --audit-log's record.
  std::string action;
  std::string start = ".";
  auto dispatch = [&]() -> int {
    if (*scan) {
      action = "scan";
      start = paths.front() == "-" ? "." : paths.front();
      return cli::cmd_scan(libgit2, common, paths);
    }
    if (*staged) {
      action = "staged";
      return cli::cmd_staged(libgit2, common, paths);
    }
    if (*history) {
      action = "history";
      std::error_code ec;
      if (!history_args.positional.empty() && std::filesystem::is_directory(history_args.positional.front(), ec)) {
        start = history_args.positional.front();
      }
      return cli::cmd_history(libgit2, common, history_args);
    }
    if (*install) {
      action = "install";
      return cli::cmd_install(libgit2, install_options);
    }
    if (*pre_push) {
      action = "pre-push";
      return cli::cmd_pre_push(libgit2, common, remote, std::cin);
    }
    if (*baseline_create || *baseline_prune) {
      action = *baseline_create ? "baseline create" : "baseline prune";
      std::error_code ec;
      if (!baseline_options.paths.empty() && std::filesystem::exists(baseline_options.paths.front(), ec)) {
        start = baseline_options.paths.front();
      }
      return *baseline_create ? cli::cmd_baseline_create(libgit2, common, baseline_options)
                              : cli::cmd_baseline_prune(libgit2, common, baseline_options);
    }
    if (*audit) {
      action = "audit";
      start = audit_options.repo;
      audit_options.format = common.format.empty() ? "text" : common.format;
      if (audit_options.format != "text" && audit_options.format != "json" && audit_options.format != "sarif") {
        throw ConfigError("audit --format takes text, json or sarif");
      }
      return cli::cmd_audit(libgit2, common, audit_options);
    }
    start.clear();
    // The org commands keep their own audit log in the store (audit.jsonl).
    if (*org_scan) {
      action = "org scan";  // for --audit-log, besides the store's own audit.jsonl
      return cli::cmd_org_scan(libgit2, common, org_args);
    }
    if (*org_report) return cli::cmd_org_report(libgit2, org_args);
    if (*org_triage) return cli::cmd_org_triage(libgit2, org_args);
    if (*org_merge) return cli::cmd_org_merge(libgit2, org_args);
    if (*rules_list) {
      action = "rules list";
      return cli::cmd_rules_list(common);
    }
    if (*rules_test) {
      action = "rules test";
      return cli::cmd_rules_test(common, rule_files);
    }
    if (*rules_check) {
      action = "rules check";
      return cli::cmd_rules_check(common, check_options);
    }
    if (*cache_info) {
      action = "cache info";
      return cli::cmd_cache_info(common);
    }
    if (*cache_clear) {
      action = "cache clear";
      return cli::cmd_cache_clear(common);
    }
    if (*cache_build) {
      action = "cache build";
      return cli::cmd_cache_build(common, cache_out);
    }
    return static_cast<int>(ExitCode::usage);
  };

  cli::RunRecord record;
  common.run = &record;
  int rc = static_cast<int>(ExitCode::usage);
  try {
    rc = dispatch();
  } catch (const Error& e) {
    // Messages quote what a repository wrote (a TOML key, a rule id, a
    // path): escaped like the rest of the output.
    std::cerr << "leakstop: error: " << printable(e.what()) << '\n';
    rc = static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "leakstop: internal error: " << printable(e.what()) << '\n';
    rc = static_cast<int>(ExitCode::internal);
  }
  if (common.audit_log.empty()) {
    return rc;
  }
  // After the command, failed or not: a run that errored is on record too.
  try {
    AuditRecord entry;
    entry.time = static_cast<std::int64_t>(std::time(nullptr));
    entry.action = action;
    entry.actor = audit_actor();
    entry.repository = cli::repository_for_log(start);
    entry.result = audit_result(rc);
    entry.exit_code = rc;
    entry.findings = record.findings;
    entry.files_scanned = record.files_scanned;
    append_audit_log(common.audit_log, audit_log_line(entry));
  } catch (const std::exception& e) {
    // An unrecorded run must not pass as clean; a failing one keeps its code.
    std::cerr << "leakstop: error: " << printable(e.what()) << '\n';
    return rc == 0 ? static_cast<int>(ExitCode::usage) : rc;
  }
  return rc;
}
