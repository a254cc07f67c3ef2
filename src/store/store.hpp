#pragma once
// The store of an organisation-wide scan: one SQLite database,
// DIR/leakstop.db, that remembers what every run saw.
//
// - Blobs already scanned are kept by (blob id, ruleset digest) and shared by
//   every repository: a fork or a vendored copy is scanned once, and a new
//   ruleset rescans everything.
// - A finding is its content fingerprint (Finding::fingerprint), wherever it
//   is; its locations say where (repository, commit, path, line).
// - Each write is one transaction (one repository's findings and the blobs
//   they came from commit together), in WAL mode: `kill -9` at any moment
//   loses at most the transaction in flight and never corrupts the store.
// - One process at a time: Store::open takes an exclusive flock on
//   DIR/leakstop.lock for the Store's lifetime and refuses at once otherwise;
//   SQLite itself runs in exclusive locking mode, so not even a reader (the
//   sqlite3 shell) gets in while a Store is open.
//
// A Store is used by one thread at a time; it is movable, not copyable.

#include "core/blob_secret.hpp"
#include "core/types.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace leakstop::store {

using RunId = std::int64_t;
using RepoId = std::int64_t;
using BlobSet = std::unordered_set<std::string>;  // lowercase hex object ids

// How a run ended; a run left `running` by a killed process is marked
// `interrupted` by the next begin_run.
enum class RunStatus { running, completed, interrupted, failed };
// new: first seen this run; open: at a head; resolved: at no head any more
// (still in history: exposed until rotated); reopened: resolved, then seen at
// a head again this run.
enum class Status { fresh, open, resolved, reopened };
enum class Triage { none, rotated, false_positive, accepted_risk };

std::string_view to_string(RunStatus s);
std::string_view to_string(Status s);  // "new", "open", "resolved", "reopened"
std::string_view to_string(Triage t);  // "", "rotated", "false-positive", "accepted-risk"
std::optional<Triage> parse_triage(std::string_view s);

struct StoredLocation {
  std::string repository;  // its name
  std::string commit;
  std::string path;
  std::uint32_t line = 0;
  std::string author;
  std::string date;
  bool at_head = false;
};

struct StoredFinding {
  std::string fingerprint;
  std::string rule_id;
  Severity severity = Severity::medium;  // as the rule said when last seen
  std::string preview;  // redacted: see core/secret.hpp
  Status status = Status::fresh;
  RunId first_seen_run = 0;
  std::string first_seen;  // ISO 8601 UTC
  RunId last_seen_run = 0;
  std::string last_seen;
  Triage triage = Triage::none;
  std::string triage_note, triage_by, triage_at;
  bool moved_after_triage = false;  // triaged, then found in a new location
  std::vector<StoredLocation> locations;
};

struct RunInfo {
  RunId id = 0;
  std::string started, finished;  // ISO 8601 UTC; finished empty while running
  std::string ruleset_digest;
  RunStatus status = RunStatus::running;
  std::int64_t repositories_closed = 0;
  std::int64_t blobs_scanned = 0;  // blobs marked scanned through record_findings
};

struct RepositoryInfo {
  RepoId id = 0;
  std::string name;
  std::string url;         // userinfo stripped
  std::string last_fetch;  // ISO 8601 UTC, empty if never fetched
  std::string last_error;  // empty if the last fetch succeeded
};

class Store {
public:
  // Creates DIR if needed and opens DIR/leakstop.db, migrating its schema.
  // Throws ConfigError at once if another process holds the store, and
  // RepoError if DIR cannot be created or the database is unreadable or
  // newer than this leakstop.
  static Store open(const std::filesystem::path& dir);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version();
  // SQLite's integrity_check: "ok" when the database is sound.
  std::string integrity_check();

  RunId begin_run(std::string_view ruleset_digest);
  void finish_run(RunId run, RunStatus status);
  // The last run before `run` that completed, if any: "new since yesterday".
  std::optional<RunId> previous_run(RunId run);
  // Every run, oldest first.
  std::vector<RunInfo> runs();

  // Adds or updates the repository called `name`; `url` is stored stripped.
  RepoId add_repository(std::string_view name, std::string_view url);
  // Records the outcome of fetching it: an empty error means success.
  void record_fetch(RepoId repo, std::string_view error);
  std::vector<RepositoryInfo> repositories();

  // Whether `blob_id` was scanned with the ruleset `digest`: one lookup in a
  // cached prepared statement, cheap enough to ask before reading each blob.
  bool is_blob_scanned(std::string_view blob_id, std::string_view digest);
  // Those of `blob_ids` that were scanned with `digest`.
  BlobSet scanned_blobs(const std::vector<std::string>& blob_ids, std::string_view digest);
  void mark_blobs_scanned(const std::vector<std::string>& blob_ids, std::string_view digest);

  // In one transaction: `findings` seen in `repo` during `run`, and
  // `scanned` marked as scanned with the run's ruleset, with `secrets` (the
  // secrets of those blobs, whose findings are among `findings`), so that a
  // blob is never marked scanned without its findings.
  void record_findings(RunId run, RepoId repo, const std::vector<Finding>& findings,
                       const std::vector<std::string>& scanned = {}, const std::vector<BlobSecret>& secrets = {});
  // The secrets recorded in `blob_id` when it was scanned with `digest`,
  // with their finding's fingerprint, rule and severity: a blob shared by
  // several repositories is read once, then credited to each (see
  // scan::HistoryRequest::known_secrets). One lookup in a cached statement.
  std::vector<BlobSecret> secrets_in_blob(std::string_view blob_id, std::string_view digest);
  // `repo` is done for `run`: its locations are at a head exactly when their
  // blob is in `head_blobs` (the blobs of every branch tip), and the status
  // of each finding located in it is brought up to date. Locations recorded
  // without a blob id keep the at_head they were recorded with.
  void close_repository(RunId run, RepoId repo, const BlobSet& head_blobs);

  // Records a decision; false if no finding has that fingerprint.
  bool triage(std::string_view fingerprint, Triage status, std::string_view note, std::string_view who);

  // Adds the store in `other_dir` to this one, in one transaction (the
  // merge step of sharded runs). A blob scanned there counts as scanned
  // here; repositories join by name (the latest fetch outcome wins), runs
  // are copied and renumbered, findings join by fingerprint: first seen the
  // earliest, last seen the latest, and the newest triage decision wins
  // (a tie: the store merged last). Status: new only if new in both; then
  // resolved when no location is at a head; else reopened if one side says
  // so and neither says open or new; else open. Merging the same store again
  // changes nothing. Throws ConfigError if there is no store there or it is
  // in use.
  void merge(const std::filesystem::path& other_dir);

  // Every finding with its locations, most recently first seen first.
  std::vector<StoredFinding> findings();
  // Those first seen after `run` (all of them for nullopt).
  std::vector<StoredFinding> findings_since(std::optional<RunId> run);

private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace leakstop::store
