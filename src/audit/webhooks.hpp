#pragma once
// The webhook-signatures detector: handlers that compute an HMAC (over a
// request body, in practice) and compare the result with a non-constant-time
// operator. Line-based and heuristic: a comparison is suspect when its
// line names the signature or the digest (identifiers with sig, hmac,
// digest, hash, mac, expected, computed...) and is not a length, null or
// literal check. Measured on tests/data/audit/webhooks (see test_audit.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "audit/check_data.hpp"

namespace leakstop::audit {

struct WebhookHit {
  std::uint32_t line = 0;        // 1-based
  std::string comparison;        // "==", "===", "!=", "strcmp", "equals"...
  std::string safe_alternative;  // crypto.timingSafeEqual, hmac.compare_digest, ...
};

// The language of `path` among data.webhooks ("javascript", "python", "go",
// "ruby", "java", "php" built in); "" when none.
std::string webhook_language(std::string_view path, const CheckData& data);

// True when `content` (in the language of `path`) computes an HMAC.
bool computes_hmac(std::string_view path, std::string_view content, const CheckData& data);

// Every suspect comparison in `content`; empty when it computes no HMAC.
std::vector<WebhookHit> find_unsafe_signature_compares(std::string_view path, std::string_view content,
                                                       const CheckData& data);

} // namespace leakstop::audit
