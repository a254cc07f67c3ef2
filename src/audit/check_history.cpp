// Items 7 and 8: how old the keys at HEAD are, and which keys history
// still gives away.
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "core/dates.hpp"
#include "audit/items.hpp"

namespace leakstop::audit {
namespace {

struct Introduced {
  std::time_t when;
  std::string commit;
  std::string date;
};

void consider(std::map<std::string, Introduced>& first, const std::string& hash, const Location& l) {
  if (!l.commit) {
    return;
  }
  std::optional<std::int64_t> when = leakstop::parse_date(l.commit->date, 0);  // commit dates are ISO 8601
  if (!when) {
    return;
  }
  auto it = first.find(hash);
  if (it == first.end() || *when < it->second.when) {
    first[hash] = {*when, l.commit->id, l.commit->date.substr(0, 10)};
  }
}

} // namespace

Item check_rotation(const AuditInput& input) {
  Item item = make_item("rotation", "Keys are rotated on schedule");
  item.remedy = fmt::format(
    "Rotate each key older than {} days: generate a new key at the provider, update the environment variable "
    "or secret store that holds it, verify the application works with the new key, then revoke the old one.",
    input.rotation_days);
  if (!input.history_findings) {
    return item;
  }
  std::map<std::string, Introduced> first;
  for (const Finding& f : *input.history_findings) {
    if (f.path_rule) {
      continue;
    }
    std::string hash = value_hash(f.secret);
    consider(first, hash, f.location);
    for (const Location& l : f.other_locations) {
      consider(first, hash, l);
    }
  }
  std::set<std::string> reported;
  for (const Finding& f : input.head_findings) {
    auto it = f.path_rule ? first.end() : first.find(value_hash(f.secret));
    if (it == first.end() || !reported.insert(f.fingerprint + f.location.path).second) {
      continue;
    }
    long long age_days = static_cast<long long>((input.now - it->second.when) / 86400);
    if (age_days <= input.rotation_days) {
      continue;
    }
    Evidence e = evidence_of(f, fmt::format("rotation overdue: introduced {} ({} days ago, limit {})",
                                            it->second.date, age_days, input.rotation_days));
    e.commit = it->second.commit;
    if (!f.link.empty()) {
      e.detail += fmt::format("; provider's steps: {}", f.link);
    }
    item.evidence.push_back(std::move(e));
  }
  conclude(item, Status::fail);
  return item;
}

Item check_history_exposure(const AuditInput& input) {
  Item item = make_item("history-exposure", "Secrets removed from HEAD were rotated");
  item.remedy = "Rotate every secret listed: deleting it from the files does not remove it from history, and "
                "anyone with a clone has it. Record it as rotated in the organisation store once done.";
  if (!input.history_findings) {
    return item;
  }
  std::set<std::string> at_head;
  for (const Finding& f : input.head_findings) {
    at_head.insert(f.path_rule ? f.fingerprint : value_hash(f.secret));
  }
  for (const Finding& f : *input.history_findings) {
    bool still = f.still_at_head.value_or(false) || at_head.count(f.path_rule ? f.fingerprint : value_hash(f.secret));
    if (still || input.rotated_fingerprints.count(f.fingerprint)) {
      continue;
    }
    item.evidence.push_back(evidence_of(f, "rotate: anyone with a clone has it"));
  }
  return conclude(item, Status::fail);
}

} // namespace leakstop::audit
