// Store::merge: shard stores combined into one (`leakstop store merge`).

#include "core/error.hpp"
#include "store/store.hpp"
#include "store/store_impl.hpp"

namespace leakstop::store {
namespace {

constexpr std::string_view k_blobs_and_repositories = R"sql(
INSERT OR IGNORE INTO main.rulesets(digest) SELECT digest FROM other.rulesets;
INSERT OR IGNORE INTO main.scanned_blobs(blob, ruleset)
  SELECT b.blob, m.id FROM other.scanned_blobs b
  JOIN other.rulesets o ON o.id = b.ruleset JOIN main.rulesets m ON m.digest = o.digest;
INSERT INTO main.repositories(name, url, last_fetch, last_error)
  SELECT name, url, last_fetch, last_error FROM other.repositories WHERE true
  ON CONFLICT(name) DO UPDATE SET url = excluded.url, last_fetch = excluded.last_fetch, last_error = excluded.last_error
  WHERE coalesce(excluded.last_fetch, '') >= coalesce(repositories.last_fetch, '');
)sql";

// Every SET expression reads the row as it was before the statement.
constexpr std::string_view k_findings = R"sql(
INSERT INTO main.findings(fingerprint, rule_id, severity, preview, first_seen_run, first_seen, last_seen_run,
    last_seen, status, status_run, status_before, triage, triage_note, triage_by, triage_at, moved_after_triage)
  SELECT o.fingerprint, o.rule_id, o.severity, o.preview, f.mine, o.first_seen, l.mine, o.last_seen, o.status,
    s.mine, o.status_before, o.triage, o.triage_note, o.triage_by, o.triage_at, o.moved_after_triage
  FROM other.findings o JOIN run_map f ON f.other = o.first_seen_run JOIN run_map l ON l.other = o.last_seen_run
  JOIN run_map s ON s.other = o.status_run WHERE true
  ON CONFLICT(fingerprint) DO UPDATE SET
    first_seen_run = CASE WHEN excluded.first_seen < first_seen THEN excluded.first_seen_run ELSE first_seen_run END,
    first_seen = min(first_seen, excluded.first_seen),
    last_seen_run = CASE WHEN excluded.last_seen > last_seen THEN excluded.last_seen_run ELSE last_seen_run END,
    last_seen = max(last_seen, excluded.last_seen),
    severity = CASE WHEN excluded.last_seen > last_seen THEN excluded.severity ELSE severity END,
    status = CASE WHEN status = 'new' AND excluded.status = 'new' THEN 'new'
                  WHEN 'open' IN (status, excluded.status) OR 'new' IN (status, excluded.status) THEN 'open'
                  WHEN 'reopened' IN (status, excluded.status) THEN 'reopened'
                  ELSE 'resolved' END,
    triage = CASE WHEN coalesce(excluded.triage_at, '') >= coalesce(triage_at, '') AND excluded.triage_at IS NOT NULL
                  THEN excluded.triage ELSE triage END,
    triage_note = CASE WHEN coalesce(excluded.triage_at, '') >= coalesce(triage_at, '') AND excluded.triage_at IS NOT NULL
                       THEN excluded.triage_note ELSE triage_note END,
    triage_by = CASE WHEN coalesce(excluded.triage_at, '') >= coalesce(triage_at, '') AND excluded.triage_at IS NOT NULL
                     THEN excluded.triage_by ELSE triage_by END,
    moved_after_triage = CASE WHEN coalesce(excluded.triage_at, '') >= coalesce(triage_at, '') AND excluded.triage_at IS NOT NULL
                              THEN excluded.moved_after_triage ELSE moved_after_triage END,
    triage_at = CASE WHEN coalesce(excluded.triage_at, '') >= coalesce(triage_at, '') AND excluded.triage_at IS NOT NULL
                     THEN excluded.triage_at ELSE triage_at END;
INSERT INTO main.locations(finding, repository, commit_id, blob, path, line, author, date, at_head, first_seen_run,
    last_seen_run)
  SELECT f.id, r.id, o.commit_id, o.blob, o.path, o.line, o.author, o.date, o.at_head, m1.mine, m2.mine
  FROM other.locations o
  JOIN other.findings theirs ON theirs.id = o.finding JOIN main.findings f ON f.fingerprint = theirs.fingerprint
  JOIN other.repositories rr ON rr.id = o.repository JOIN main.repositories r ON r.name = rr.name
  JOIN run_map m1 ON m1.other = o.first_seen_run JOIN run_map m2 ON m2.other = o.last_seen_run WHERE true
  ON CONFLICT DO UPDATE SET at_head = max(at_head, excluded.at_head);
INSERT OR IGNORE INTO main.blob_secrets(blob, ruleset, finding, line)
  SELECT b.blob, m.id, f.id, b.line FROM other.blob_secrets b
  JOIN other.rulesets o ON o.id = b.ruleset JOIN main.rulesets m ON m.digest = o.digest
  JOIN other.findings theirs ON theirs.id = b.finding JOIN main.findings f ON f.fingerprint = theirs.fingerprint;
UPDATE main.findings SET status = CASE
    WHEN EXISTS (SELECT 1 FROM main.locations l WHERE l.finding = findings.id AND l.at_head)
      THEN CASE WHEN status = 'resolved' THEN 'open' ELSE status END
    WHEN status = 'new' THEN 'new'
    ELSE 'resolved' END
  WHERE fingerprint IN (SELECT fingerprint FROM other.findings);
)sql";

// Detaches `other` at the end, whatever happened.
struct Attached {
  Db& db;
  ~Attached() { sqlite3_exec(db.get(), "DETACH DATABASE other", nullptr, nullptr, nullptr); }
};

} // namespace

void Store::merge(const std::filesystem::path& other_dir) {
  std::filesystem::path file = other_dir / "leakstop.db";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw ConfigError("no store at " + other_dir.string() + " (no leakstop.db there)");
  }
  FileLock lock(other_dir / "leakstop.lock");
  {
    Db other(file);  // brought to this leakstop's schema first
    migrate(other, other_dir);
  }
  Db& db = m_impl->db;
  db.prepare("ATTACH DATABASE ? AS other").bind(1, file.string()).run();
  Attached attached{db};
  Transaction t(db);
  db.exec(k_blobs_and_repositories);
  // Runs are renumbered; one already here (the same store merged again) is
  // not copied twice.
  db.exec("CREATE TEMP TABLE IF NOT EXISTS run_map(other INTEGER PRIMARY KEY, mine INTEGER NOT NULL);"
          "DELETE FROM run_map;");
  Statement runs = db.prepare("SELECT id, started, coalesce(finished, ''), ruleset_digest, status,"
                              " repositories_closed, blobs_scanned, uid FROM other.runs ORDER BY id");
  Statement same = db.prepare("SELECT id FROM main.runs WHERE uid = ?");
  Statement add = db.prepare("INSERT INTO main.runs(started, finished, ruleset_digest, status, repositories_closed,"
                             " blobs_scanned, uid) VALUES (?, nullif(?, ''), ?, ?, ?, ?, ?)");
  Statement map = db.prepare("INSERT INTO run_map(other, mine) VALUES (?, ?)");
  while (runs.step()) {
    same.bind(1, runs.text(7));
    std::int64_t mine = same.step() ? same.integer(0) : 0;
    same.reset();
    if (mine == 0) {
      add.bind(1, runs.text(1)).bind(2, runs.text(2)).bind(3, runs.text(3)).bind(4, runs.text(4));
      add.bind(5, runs.integer(5)).bind(6, runs.integer(6)).bind(7, runs.text(7)).run();
      mine = db.last_insert_id();
    }
    map.bind(1, runs.integer(0)).bind(2, mine).run();
  }
  db.exec(k_findings);
  db.exec("DELETE FROM run_map");
  t.commit();
  m_impl->cached_ruleset.reset();
}

} // namespace leakstop::store
