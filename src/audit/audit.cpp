#include "audit/audit.hpp"

#include <fmt/format.h>

#include "audit/items.hpp"
#include "audit/webhooks.hpp"
#include "core/error.hpp"

namespace leakstop::audit {

Item check_webhook_signatures(const AuditInput& input) {
  Item item = make_item("webhook-signatures", "Webhook signatures are verified in constant time");
  bool any_hmac = false;
  for (const TrackedFile& file : input.tracked) {
    if (webhook_language(file.path, input.data).empty()) {
      continue;
    }
    std::string content = read_bounded(file);
    any_hmac = any_hmac || computes_hmac(file.path, content, input.data);
    for (const WebhookHit& hit : find_unsafe_signature_compares(file.path, content, input.data)) {
      Evidence e;
      e.path = file.path;
      e.line = hit.line;
      e.detail = fmt::format("HMAC signature compared with {}: use {}", hit.comparison, hit.safe_alternative);
      item.evidence.push_back(std::move(e));
    }
  }
  conclude(item, Status::warn);
  if (!any_hmac) {
    item.status = Status::not_applicable;
  }
  item.remedy = "Compare a computed signature with the received one in constant time (crypto.timingSafeEqual, "
                "hmac.compare_digest, hmac.Equal, Rack::Utils.secure_compare, MessageDigest.isEqual, hash_equals): "
                "an early-exit comparison leaks how many bytes matched.";
  return item;
}

std::vector<Item> run_audit(const AuditInput& input) {
  return {check_keys_in_env(input),
          check_env_ignored(input),
          check_keys_per_env(input),
          check_no_live_keys_outside_prod(input),
          check_minimal_scopes(input),
          check_webhook_signatures(input),
          check_rotation(input),
          check_history_exposure(input),
          check_scanning_in_place(input),
          check_audit_log(input)};
}

int exit_code(const std::vector<Item>& items) {
  for (const Item& item : items) {
    if (item.status == Status::fail) {
      return static_cast<int>(ExitCode::findings);
    }
  }
  return static_cast<int>(ExitCode::clean);
}

} // namespace leakstop::audit
