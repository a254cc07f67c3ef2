#pragma once
// A stored finding as `org report --format json` writes it
// (docs/report-schema.json#/$defs/org_finding): redacted preview and
// fingerprint, never the secret. `org scan --on-new` sends the same.

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace leakstop::cli {

nlohmann::json finding_json(const store::StoredFinding& f);

} // namespace leakstop::cli
