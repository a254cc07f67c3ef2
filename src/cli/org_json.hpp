#pragma once
// A stored finding as `org report --format json` writes it
// (docs/report-schema.json#/$defs/org_finding): redacted preview and
// fingerprint, never the secret; exposure age as of `now`. `org scan --on-new` sends the same.

#include <nlohmann/json.hpp>

#include <cstdint>

#include "store/store.hpp"

namespace leakstop::cli {

nlohmann::json finding_json(const store::StoredFinding& f, std::int64_t now);

} // namespace leakstop::cli
