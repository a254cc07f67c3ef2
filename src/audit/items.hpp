#pragma once
// Internal to leakstop_audit: what the items share.

#include <string>
#include <string_view>

#include "audit/audit.hpp"

namespace leakstop::audit {

// An item with its fixed id and title, n/a until a check decides.
Item make_item(std::string_view id, std::string_view title);

// Evidence pointing at where `f` was found.
Evidence evidence_of(const Finding& f, std::string detail);

// Identity of a secret's value whichever rule found it.
std::string value_hash(std::string_view secret);

// `item` with `status` when it has evidence, pass otherwise.
Item& conclude(Item& item, Status when_evidence);

// The content of `file`, at most k_max_read bytes; "" when unreadable.
std::string read_bounded(const TrackedFile& file);

// True when `haystack` contains `needle`, ignoring ASCII case.
bool contains_nocase(std::string_view haystack, std::string_view needle);

} // namespace leakstop::audit
