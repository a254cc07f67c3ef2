#pragma once
// `leakstop org report --format html`: what an organisation store holds, as
// one static page that people read in a browser, offline.
//
// - One file, nothing fetched: the CSS and the little JavaScript are inline,
//   and a Content-Security-Policy meta tag forbids every network request and
//   admits only that one script and that one style sheet (by their hashes).
// - Readable without JavaScript: every table is plain HTML; the script only
//   adds sorting by column and filters (repository, rule, status, age), and
//   it reads what it sorts and filters from the DOM (no embedded JSON).
// - Everything from a repository or the store (names, URLs, paths, authors,
//   rule ids, notes, errors) goes through `printable` (core/encoding.hpp),
//   then is HTML-escaped for text and attribute contexts alike.
// - Secrets as everywhere: the stored redacted preview and the fingerprint.

#include <cstdint>
#include <ostream>
#include <vector>

#include "store/store.hpp"

namespace leakstop::cli {

// Writes the page for `findings` (one table row per location), with a table
// of `repositories` and their finding counts, those whose last fetch failed,
// and the latest of `runs`. Exposure ages are counted to `now` (unix time)
// from each location's commit date (the first-seen time when it has none).
void write_org_html(std::ostream& out, const std::vector<store::StoredFinding>& findings,
                    const std::vector<store::RepositoryInfo>& repositories, const std::vector<store::RunInfo>& runs,
                    std::int64_t now);

} // namespace leakstop::cli
