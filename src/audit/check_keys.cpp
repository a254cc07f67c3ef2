// Items 3 to 5: one key per environment, test keys outside production,
// and the narrowest credential a provider offers.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "audit/items.hpp"
#include "audit/paths.hpp"

namespace leakstop::audit {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Whole tokens of the rule id ("checkout-com.live-secret-key" has "live";
// "dropbox.long-lived-token" does not).
bool live_rule(std::string_view rule_id, const CheckData& data) {
  std::string token;
  auto is_live = [&] {
    return std::find(data.live_rule_words.begin(), data.live_rule_words.end(), token) != data.live_rule_words.end();
  };
  for (char c : std::string(rule_id) + ".") {
    if (c == '.' || c == '-' || c == '_') {
      if (is_live()) {
        return true;
      }
      token.clear();
    } else {
      token.push_back(c);
    }
  }
  return false;
}

bool live_value(std::string_view secret, const CheckData& data) {
  for (std::string_view marker : data.live_value_markers) {
    if (secret.find(marker) != std::string_view::npos || (marker == "_live_" && starts_with(secret, "live_"))) {
      return true;
    }
  }
  return false;
}

std::string test_mode_hint(std::string_view secret) {
  if (starts_with(secret, "sk_live_")) {
    return "use a test-mode key (sk_test_) here";
  }
  if (starts_with(secret, "rk_live_")) {
    return "use a test-mode restricted key (rk_test_) here";
  }
  return "use the provider's test or sandbox credential here";
}

} // namespace

Item check_keys_per_env(const AuditInput& input) {
  Item item = make_item("keys-per-env", "Each environment (dev, staging, prod) has its own keys");
  bool any_environment_file = false;
  for (const TrackedFile& file : input.tracked) {
    any_environment_file = any_environment_file || !environment_of(file.path, input.data).empty();
  }
  std::map<std::string, std::vector<const Finding*>> by_value;
  for (const Finding& f : input.head_findings) {
    if (!f.path_rule && !environment_of(f.location.path, input.data).empty()) {
      by_value[value_hash(f.secret)].push_back(&f);
    }
  }
  for (const auto& [hash, findings] : by_value) {
    std::set<std::string> environments;
    for (const Finding* f : findings) {
      environments.insert(environment_of(f->location.path, input.data));
    }
    if (environments.size() < 2) {
      continue;
    }
    for (const Finding* f : findings) {
      item.evidence.push_back(evidence_of(
        *f, fmt::format("the same value is used for {} (this file: {})", fmt::join(environments, ", "),
                        environment_of(f->location.path, input.data))));
    }
  }
  conclude(item, Status::fail);
  if (!any_environment_file && item.evidence.empty()) {
    item.status = Status::not_applicable;
  }
  item.remedy = "Issue a separate key per environment, so that a leak of one cannot reach the others, "
                "and rotate the shared one.";
  return item;
}

Item check_no_live_keys_outside_prod(const AuditInput& input) {
  Item item = make_item("no-live-keys-outside-prod", "Live keys appear only in production configuration");
  for (const Finding& f : input.head_findings) {
    if (f.path_rule || !(live_value(f.secret, input.data) || live_rule(f.rule_id, input.data))) {
      continue;
    }
    std::string environment = environment_of(f.location.path, input.data);
    bool test = is_test_path(f.location.path, input.data);
    if (environment == "prod" || (environment.empty() && !test)) {
      continue;
    }
    std::string where = test ? "test material" : environment + " configuration";
    item.evidence.push_back(evidence_of(f, fmt::format("live key in {}: {}", where, test_mode_hint(f.secret))));
  }
  conclude(item, Status::fail);
  item.remedy = "Use test-mode or sandbox keys in development, staging and tests, and keep live keys "
                "in the production secret store; rotate the live key found here.";
  return item;
}

Item check_minimal_scopes(const AuditInput& input) {
  Item item = make_item("minimal-scopes", "Keys have the narrowest scope the provider offers");
  for (const Finding& f : input.head_findings) {
    if (starts_with(f.secret, "ghp_")) {
      item.evidence.push_back(evidence_of(
        f, "GitHub classic personal access token: replace it with a fine-grained token limited to the "
           "repositories and permissions it needs"));
    } else if (starts_with(f.secret, "sk_live_")) {
      item.evidence.push_back(evidence_of(
        f, "Stripe secret key (full account access): a restricted key (rk_live_) with only the permissions "
           "used would do"));
    }
  }
  conclude(item, Status::warn);
  item.remedy = "Replace broad credentials with the narrowest kind: GitHub fine-grained tokens, Stripe "
                "restricted keys; grant only what the code calls.";
  return item;
}

} // namespace leakstop::audit
