#pragma once
// SQLite handles as owning types, and the one place its return codes turn
// into exceptions. A Db and its Statements belong to one thread at a time
// (SQLite's default serialized mode would allow more, but nothing here
// needs it). Move-only: a handle has exactly one owner.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace leakstop::store {

struct SqliteClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalize {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

// Throws RepoError("<what>: <sqlite message>") unless rc is SQLITE_OK,
// SQLITE_ROW or SQLITE_DONE.
void check(sqlite3* db, int rc, std::string_view what);

// A prepared statement. bind() takes 1-based indexes, as SQLite does; step()
// returns true while there is a row. Reset before binding again.
class Statement {
public:
  Statement(sqlite3* db, std::string_view sql);

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  bool step();
  // Runs to completion (INSERT, UPDATE...); then resets for reuse.
  void run();
  void reset();

  std::int64_t integer(int column) const { return sqlite3_column_int64(m_stmt.get(), column); }
  std::string text(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL; }

private:
  sqlite3* m_db;
  std::unique_ptr<sqlite3_stmt, SqliteFinalize> m_stmt;
};

class Db {
public:
  // Opens (creating) the database file; throws RepoError naming it.
  explicit Db(const std::filesystem::path& file);

  sqlite3* get() const { return m_db.get(); }
  // Runs one or more statements without results.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) const { return Statement(m_db.get(), sql); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(m_db.get()); }

private:
  std::unique_ptr<sqlite3, SqliteClose> m_db;
};

// BEGIN IMMEDIATE now; ROLLBACK unless commit() was called. IMMEDIATE takes
// the write lock at once, so a transaction never fails half-way on a lock.
class Transaction {
public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

private:
  Db& m_db;
  bool m_done = false;
};

} // namespace leakstop::store
