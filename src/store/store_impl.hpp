#pragma once
// What Store keeps behind its pointer: the database, the lock, and the
// statements asked often enough to be worth keeping prepared. Private to
// src/store.

#include "store/sqlite.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leakstop::store {

// An exclusive flock on a file, held until destruction.
class FileLock {
public:
  // Throws ConfigError if another process holds it, RepoError if the file
  // cannot be opened.
  explicit FileLock(const std::filesystem::path& file);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int m_fd = -1;
};

struct Store::Impl {
  Impl(const std::filesystem::path& dir);

  FileLock lock;  // first: released last, after the database is closed
  Db db;
  Statement blob_lookup;
  Statement secrets_lookup;
  std::string cached_digest;
  std::optional<std::int64_t> cached_ruleset;

  // The id of `digest` in rulesets; nullopt if absent and not `create`.
  std::optional<std::int64_t> ruleset_id(std::string_view digest, bool create);
};

// Brings the schema to the newest version, one transaction per migration.
void migrate(Db& db, const std::filesystem::path& dir);
int schema_version(Db& db);

// The current time, ISO 8601 UTC to the second.
std::string now_iso();
// 128 random bits in hex: a run's identity across merged stores.
std::string random_uid();
// 20 or 32 raw bytes from a hex object id; throws RepoError otherwise.
std::string blob_key(std::string_view hex);

} // namespace leakstop::store
