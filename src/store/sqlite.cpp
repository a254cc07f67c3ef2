#include "store/sqlite.hpp"

#include "core/error.hpp"

#include <string>

namespace leakstop::store {

void check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) {
    return;
  }
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw RepoError(std::string(what) + ": " + message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  m_stmt.reset(raw);
  check(db, rc, "store: cannot prepare statement");
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(m_db, sqlite3_bind_int64(m_stmt.get(), index, value), "store: bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  check(m_db, sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "store: bind");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  check(m_db, sqlite3_bind_blob64(m_stmt.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), "store: bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(m_db, sqlite3_bind_null(m_stmt.get(), index), "store: bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt.get());
  check(m_db, rc, "store: query failed");
  return rc == SQLITE_ROW;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_stmt.get());
  sqlite3_clear_bindings(m_stmt.get());
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt.get(), column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), column))) : std::string();
}

Db::Db(const std::filesystem::path& file) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  m_db.reset(raw);
  check(raw, rc, "store: cannot open " + file.string());
  sqlite3_extended_result_codes(raw, 1);
}

void Db::exec(std::string_view sql) {
  std::string owned(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(m_db.get(), owned.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  if (rc != SQLITE_OK) {
    throw RepoError("store: " + message);
  }
}

Transaction::Transaction(Db& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!m_done) {
    sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  m_db.exec("COMMIT");
  m_done = true;
}

} // namespace leakstop::store
