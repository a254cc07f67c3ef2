#pragma once
// Internal to leakstop_audit: the data the checks match against, kept in
// one place so that extending a list is a one-line change.
// NOTE: issue 15 asks for these in a data folder a team can extend
// without rebuilding; until then they are compiled in here.

#include <array>
#include <string_view>
#include <utility>

namespace leakstop::audit::data {

// Environment names as they appear in paths, and the canonical name.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 20> k_environments = {{
  {"development", "dev"}, {"dev", "dev"},          {"local", "dev"},       {"test", "test"},
  {"testing", "test"},    {"ci", "test"},          {"staging", "staging"}, {"stage", "staging"},
  {"stg", "staging"},     {"preprod", "staging"},  {"pre-prod", "staging"},{"uat", "qa"},
  {"qa", "qa"},           {"sandbox", "test"},     {"production", "prod"}, {"prod", "prod"},
  {"prd", "prod"},        {"live", "prod"},        {"integration", "test"},{"demo", "staging"},
}};

// Directories whose child directory names an environment (Kubernetes
// overlays, Terraform and deployment trees).
inline constexpr std::array<std::string_view, 7> k_environment_parents = {
  "overlays", "environments", "envs", "env", "k8s", "deploy", "deployments"};

// Directories holding test material.
inline constexpr std::array<std::string_view, 12> k_test_dirs = {
  "test", "tests", "spec", "specs", "__tests__", "testdata", "test-data", "fixtures", "__fixtures__",
  "e2e", "cypress", "mocks"};

// Substrings of a secret that mark a live (production) credential, and
// substrings of a rule id that say the rule only finds live ones.
inline constexpr std::array<std::string_view, 8> k_live_value_markers = {
  "sk_live_", "rk_live_", "_live_", "$production$", "access-production-", "sq0atp-", "sq0csp-", "FLWSECK-"};
inline constexpr std::array<std::string_view, 3> k_live_rule_markers = {"live", "production", "prod-"};

// Names of example environment files, which hold no real values.
inline constexpr std::array<std::string_view, 7> k_env_example_suffixes = {
  ".example", ".sample", ".template", ".dist", ".defaults", ".tpl", ".schema"};

} // namespace leakstop::audit::data
