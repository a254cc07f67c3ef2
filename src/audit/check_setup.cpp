// Items 9 and 10: leakstop itself in place (pre-commit, CI, hook) and its
// runs on record.
#include <fmt/format.h>

#include "audit/items.hpp"
#include "audit/paths.hpp"

namespace leakstop::audit {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Files CI systems read their pipelines from.
bool is_ci_file(std::string_view path) {
  for (std::string_view dir : {".github/workflows/", ".circleci/", ".buildkite/", ".ci/", ".gitlab/ci/"}) {
    if (starts_with(path, dir)) {
      return true;
    }
  }
  for (std::string_view file : {".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml",
                                ".travis.yml", ".drone.yml", ".woodpecker.yml"}) {
    if (path == file) {
      return true;
    }
  }
  return false;
}

// The files among `tracked` matching `which` whose content runs leakstop.
std::vector<const TrackedFile*> running_leakstop(const AuditInput& input, bool (*which)(std::string_view)) {
  std::vector<const TrackedFile*> out;
  for (const TrackedFile& file : input.tracked) {
    if (which(file.path) && contains_nocase(read_bounded(file), "leakstop")) {
      out.push_back(&file);
    }
  }
  return out;
}

bool is_pre_commit_config(std::string_view path) { return path == ".pre-commit-config.yaml"; }

} // namespace

Item check_scanning_in_place(const AuditInput& input) {
  Item item = make_item("scanning-in-place", "Secret scanning runs before commits and in CI");
  if (running_leakstop(input, is_pre_commit_config).empty()) {
    item.evidence.push_back({".pre-commit-config.yaml", 0, 0, "", "", "",
                             "no leakstop entry for the pre-commit framework: add a hook with `id: leakstop` "
                             "(see .pre-commit-hooks.yaml in leakstop's repository)"});
  }
  if (running_leakstop(input, is_ci_file).empty()) {
    item.evidence.push_back({"", 0, 0, "", "", "",
                             "no CI file runs leakstop: copy integrations/github/leakstop.yml to "
                             ".github/workflows/ or include integrations/gitlab/leakstop.gitlab-ci.yml"});
  }
  if (input.hook == Hook::missing) {
    item.evidence.push_back({"", 0, 0, "", "", "",
                             "no leakstop hook in this clone: run `leakstop install`"});
  }
  item.remedy = "Scan where secrets enter: a pre-commit hook on every clone (`leakstop install`), and a CI "
                "job that fails the build on findings.";
  return conclude(item, Status::warn);
}

Item check_audit_log(const AuditInput& input) {
  Item item = make_item("audit-log", "leakstop's runs are audit-logged");
  item.remedy = "Give every leakstop command in CI and hooks `--audit-log FILE` (JSON lines: time, action, actor, "
                "repository, result, counts; never a secret), or run organisation scans with a store, which "
                "log to DIR/audit.jsonl.";
  if (!input.audit_log.empty()) {
    item.status = Status::pass;
    return item;
  }
  for (const TrackedFile* file : running_leakstop(input, is_ci_file)) {
    if (read_bounded(*file).find("--audit-log") != std::string::npos) {
      item.status = Status::pass;
      return item;
    }
  }
  item.evidence.push_back({"", 0, 0, "", "", "", "no --audit-log in this run nor in a CI file running leakstop"});
  item.status = Status::warn;
  return item;
}

} // namespace leakstop::audit
