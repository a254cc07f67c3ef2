// The schema, as a list of migrations: migration N takes a store from
// PRAGMA user_version N to N+1. Append new ones; never edit a shipped one.

#include "store/store_impl.hpp"

#include "core/error.hpp"

#include <array>
#include <string>

namespace leakstop::store {
namespace {

constexpr std::array<std::string_view, 2> k_migrations = {
    R"sql(
CREATE TABLE repositories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,              -- userinfo stripped
  last_fetch TEXT,
  last_error TEXT                 -- NULL when the last fetch succeeded
);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,       -- random: the same run in any store it is merged into
  started TEXT NOT NULL,
  finished TEXT,
  ruleset_digest TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
  repositories_closed INTEGER NOT NULL DEFAULT 0,
  blobs_scanned INTEGER NOT NULL DEFAULT 0   -- marked scanned through record_findings
);
CREATE TABLE rulesets (
  id INTEGER PRIMARY KEY,
  digest TEXT NOT NULL UNIQUE
);
-- Shared by every repository: a blob is scanned once per ruleset.
CREATE TABLE scanned_blobs (
  blob BLOB NOT NULL,             -- the raw object id
  ruleset INTEGER NOT NULL REFERENCES rulesets(id),
  PRIMARY KEY (blob, ruleset)
) WITHOUT ROWID;
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  preview TEXT NOT NULL,          -- redacted
  first_seen_run INTEGER NOT NULL REFERENCES runs(id),
  first_seen TEXT NOT NULL,
  last_seen_run INTEGER NOT NULL REFERENCES runs(id),
  last_seen TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved', 'reopened')),
  status_run INTEGER NOT NULL,    -- the run that last set status
  status_before TEXT NOT NULL,    -- status before that run: several repositories may close in one run
  triage TEXT CHECK (triage IN ('rotated', 'false-positive', 'accepted-risk')),
  triage_note TEXT,
  triage_by TEXT,
  triage_at TEXT,
  moved_after_triage INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX findings_first_seen ON findings(first_seen_run);
CREATE TABLE locations (
  id INTEGER PRIMARY KEY,
  finding INTEGER NOT NULL REFERENCES findings(id),
  repository INTEGER NOT NULL REFERENCES repositories(id),
  commit_id TEXT NOT NULL,
  blob TEXT NOT NULL,             -- hex; empty when the scan had none
  path TEXT NOT NULL,
  line INTEGER NOT NULL,
  author TEXT NOT NULL,
  date TEXT NOT NULL,
  at_head INTEGER NOT NULL,
  first_seen_run INTEGER NOT NULL,
  last_seen_run INTEGER NOT NULL,
  UNIQUE (finding, repository, commit_id, path, line)
);
CREATE INDEX locations_repository ON locations(repository, blob);
)sql",
    // 2: the secrets of each blob read, so that another repository holding
    // an already-scanned blob gains the finding's location without reading
    // it. Filled from the locations a store already has (each under the
    // ruleset of the run that last saw it).
    R"sql(
CREATE TABLE blob_secrets (
  blob TEXT NOT NULL,             -- hex, as in locations
  ruleset INTEGER NOT NULL REFERENCES rulesets(id),
  finding INTEGER NOT NULL REFERENCES findings(id),
  line INTEGER NOT NULL,
  PRIMARY KEY (blob, ruleset, finding, line)
) WITHOUT ROWID;
INSERT OR IGNORE INTO blob_secrets(blob, ruleset, finding, line)
  SELECT l.blob, s.id, l.finding, l.line FROM locations l
  JOIN runs r ON r.id = l.last_seen_run JOIN rulesets s ON s.digest = r.ruleset_digest
  WHERE l.blob != '' AND l.line > 0;
)sql",
};

} // namespace

int schema_version(Db& db) {
  Statement s = db.prepare("PRAGMA user_version");
  s.step();
  return static_cast<int>(s.integer(0));
}

void migrate(Db& db, const std::filesystem::path& dir) {
  int version = schema_version(db);
  if (version > static_cast<int>(k_migrations.size())) {
    throw RepoError("store " + dir.string() + " has schema version " + std::to_string(version) +
                    "; this leakstop knows versions up to " + std::to_string(k_migrations.size()));
  }
  for (auto v = static_cast<std::size_t>(version); v < k_migrations.size(); ++v) {
    Transaction t(db);
    db.exec(k_migrations[v]);
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    t.commit();
  }
}

} // namespace leakstop::store
