// Findings, their locations and their statuses: what record_findings,
// close_repository and triage change, and what reports read.

#include "core/error.hpp"
#include "core/secret.hpp"
#include "store/store.hpp"
#include "store/store_impl.hpp"

#include <map>

namespace leakstop::store {

std::string_view to_string(RunStatus s) {
  switch (s) {
  case RunStatus::running: return "running";
  case RunStatus::completed: return "completed";
  case RunStatus::interrupted: return "interrupted";
  case RunStatus::failed: return "failed";
  }
  return "failed";
}

std::string_view to_string(Status s) {
  switch (s) {
  case Status::fresh: return "new";
  case Status::open: return "open";
  case Status::resolved: return "resolved";
  case Status::reopened: return "reopened";
  }
  return "open";
}

std::string_view to_string(Triage t) {
  switch (t) {
  case Triage::none: return "";
  case Triage::rotated: return "rotated";
  case Triage::false_positive: return "false-positive";
  case Triage::accepted_risk: return "accepted-risk";
  }
  return "";
}

std::optional<Triage> parse_triage(std::string_view s) {
  for (Triage t : {Triage::rotated, Triage::false_positive, Triage::accepted_risk}) {
    if (s == to_string(t)) {
      return t;
    }
  }
  return std::nullopt;
}

namespace {

Status parse_status(std::string_view s) {
  for (Status st : {Status::fresh, Status::open, Status::resolved, Status::reopened}) {
    if (s == to_string(st)) {
      return st;
    }
  }
  return Status::open;
}

std::string author_of(const Location& where) {
  if (!where.commit) {
    return "";
  }
  const CommitInfo& c = *where.commit;
  return c.email.empty() ? c.author : c.author + " <" + c.email + ">";
}

} // namespace

void Store::record_findings(RunId run, RepoId repo, const std::vector<Finding>& findings,
                            const std::vector<std::string>& scanned, const std::vector<BlobSecret>& secrets) {
  Db& db = m_impl->db;
  Transaction t(db);
  std::string now = now_iso();
  Statement finding = db.prepare(
      "INSERT INTO findings(fingerprint, rule_id, severity, preview, first_seen_run, first_seen, last_seen_run,"
      " last_seen, status, status_run, status_before) VALUES (?1, ?2, ?6, ?3, ?4, ?5, ?4, ?5, 'new', ?4, 'new') "
      "ON CONFLICT(fingerprint) DO UPDATE SET last_seen_run = ?4, last_seen = ?5, severity = ?6 RETURNING id");
  Statement insert = db.prepare(
      "INSERT INTO locations(finding, repository, commit_id, blob, path, line, author, date, at_head,"
      " first_seen_run, last_seen_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
      "ON CONFLICT DO UPDATE SET last_seen_run = ?10, at_head = ?9, blob = ?4 RETURNING first_seen_run = ?10");
  Statement flag = db.prepare("UPDATE findings SET moved_after_triage = 1 WHERE id = ? AND triage IS NOT NULL");
  for (const Finding& f : findings) {
    finding.bind(1, f.fingerprint).bind(2, f.rule_id).bind(3, redact(f.secret)).bind(4, run).bind(5, now);
    finding.bind(6, to_string(f.severity));
    finding.step();
    std::int64_t id = finding.integer(0);
    finding.reset();
    auto record = [&](const Location& where) {
      insert.bind(1, id).bind(2, repo).bind(3, where.commit ? where.commit->id : std::string());
      insert.bind(4, where.blob).bind(5, where.path).bind(6, std::int64_t{where.line}).bind(7, author_of(where));
      insert.bind(8, where.commit ? where.commit->date : std::string());
      insert.bind(9, std::int64_t{where.at_head.value_or(false) ? 1 : 0}).bind(10, run);
      insert.step();
      bool is_new = insert.integer(0) != 0;
      insert.reset();
      if (is_new) {
        flag.bind(1, id).run();
      }
    };
    record(f.location);
    for (const Location& other : f.other_locations) {
      record(other);
    }
  }
  if (!scanned.empty()) {
    Statement digest = db.prepare("SELECT ruleset_digest FROM runs WHERE id = ?");
    digest.bind(1, run);
    if (!digest.step()) {
      throw RepoError("store: no run " + std::to_string(run));
    }
    std::int64_t ruleset = *m_impl->ruleset_id(digest.text(0), true);
    Statement mark = db.prepare("INSERT OR IGNORE INTO scanned_blobs(blob, ruleset) VALUES (?, ?)");
    for (const std::string& blob : scanned) {
      mark.bind_blob(1, blob_key(blob)).bind(2, ruleset).run();
    }
    db.prepare("UPDATE runs SET blobs_scanned = blobs_scanned + ? WHERE id = ?")
        .bind(1, static_cast<std::int64_t>(scanned.size())).bind(2, run).run();
    Statement secret = db.prepare("INSERT OR IGNORE INTO blob_secrets(blob, ruleset, finding, line) "
                                  "SELECT ?, ?, id, ? FROM findings WHERE fingerprint = ?");
    for (const BlobSecret& s : secrets) {
      secret.bind(1, s.blob_id).bind(2, ruleset).bind(3, std::int64_t{s.line}).bind(4, s.fingerprint).run();
    }
  }
  t.commit();
}

void Store::close_repository(RunId run, RepoId repo, const BlobSet& head_blobs) {
  Db& db = m_impl->db;
  Transaction t(db);
  db.exec("CREATE TEMP TABLE IF NOT EXISTS head_blobs(blob TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM head_blobs;");
  Statement add = db.prepare("INSERT OR IGNORE INTO head_blobs(blob) VALUES (?)");
  for (const std::string& blob : head_blobs) {
    add.bind(1, blob).run();
  }
  db.prepare("UPDATE locations SET at_head = (blob IN (SELECT blob FROM head_blobs)) "
             "WHERE repository = ? AND blob != ''").bind(1, repo).run();
  // Every SET expression reads the row as it was: `base` is the status the
  // finding had when this run began, even when another repository holding it
  // was closed earlier in the same run.
  db.prepare(R"sql(
UPDATE findings SET
  status_before = CASE WHEN status_run = ?1 THEN status_before ELSE status END,
  status = CASE
    WHEN first_seen_run = ?1 THEN 'new'
    WHEN EXISTS (SELECT 1 FROM locations l WHERE l.finding = findings.id AND l.at_head) THEN
      CASE WHEN (CASE WHEN status_run = ?1 THEN status_before ELSE status END) = 'resolved'
           THEN 'reopened' ELSE 'open' END
    ELSE 'resolved' END,
  status_run = ?1
WHERE id IN (SELECT finding FROM locations WHERE repository = ?2))sql").bind(1, run).bind(2, repo).run();
  db.exec("DELETE FROM head_blobs");
  db.prepare("UPDATE runs SET repositories_closed = repositories_closed + 1 WHERE id = ?").bind(1, run).run();
  t.commit();
}

bool Store::triage(std::string_view fingerprint, Triage status, std::string_view note, std::string_view who) {
  Statement s = m_impl->db.prepare(
      "UPDATE findings SET triage = ?, triage_note = ?, triage_by = ?, triage_at = ?, moved_after_triage = 0 "
      "WHERE fingerprint = ?");
  if (status == Triage::none) {
    s.bind_null(1);
  } else {
    s.bind(1, to_string(status));
  }
  s.bind(2, note).bind(3, who).bind(4, now_iso()).bind(5, fingerprint).run();
  return sqlite3_changes(m_impl->db.get()) > 0;
}

std::vector<StoredFinding> Store::findings() { return findings_since(std::nullopt); }

std::vector<StoredFinding> Store::findings_since(std::optional<RunId> run) {
  Db& db = m_impl->db;
  Statement s = db.prepare(
      "SELECT id, fingerprint, rule_id, preview, status, first_seen_run, first_seen, last_seen_run, last_seen,"
      " coalesce(triage, ''), coalesce(triage_note, ''), coalesce(triage_by, ''), coalesce(triage_at, ''),"
      " moved_after_triage, severity FROM findings WHERE first_seen_run > ? ORDER BY first_seen_run DESC, id");
  s.bind(1, run.value_or(0));
  std::vector<StoredFinding> out;
  std::map<std::int64_t, std::size_t> index;
  while (s.step()) {
    StoredFinding f;
    f.fingerprint = s.text(1);
    f.rule_id = s.text(2);
    f.preview = s.text(3);
    f.status = parse_status(s.text(4));
    f.first_seen_run = s.integer(5);
    f.first_seen = s.text(6);
    f.last_seen_run = s.integer(7);
    f.last_seen = s.text(8);
    f.triage = parse_triage(s.text(9)).value_or(Triage::none);
    f.triage_note = s.text(10);
    f.triage_by = s.text(11);
    f.triage_at = s.text(12);
    f.moved_after_triage = s.integer(13) != 0;
    f.severity = parse_severity(s.text(14)).value_or(Severity::medium);
    index[s.integer(0)] = out.size();
    out.push_back(std::move(f));
  }
  Statement l = db.prepare(
      "SELECT l.finding, r.name, l.commit_id, l.path, l.line, l.author, l.date, l.at_head FROM locations l "
      "JOIN repositories r ON r.id = l.repository ORDER BY r.name, l.path, l.line, l.commit_id");
  while (l.step()) {
    auto it = index.find(l.integer(0));
    if (it != index.end()) {
      out[it->second].locations.push_back({l.text(1), l.text(2), l.text(3), static_cast<std::uint32_t>(l.integer(4)),
                                           l.text(5), l.text(6), l.integer(7) != 0});
    }
  }
  return out;
}

} // namespace leakstop::store
