#include "sfmon/monitor/sqlite_db.h"

#include <sqlite3.h>

#include <iostream>
#include <utility>

#include "sfmon/monitor/wal_checkpointer.h"

namespace sfmon {
namespace {

// Error messages stay on one line even for multi-line migration SQL, and a
// huge statement does not drown the message.
std::string one_line(std::string_view sql) {
  constexpr std::size_t kMaxShown = 300;
  std::string folded;
  bool in_space = false;
  for (char c : sql) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      in_space = !folded.empty();
      continue;
    }
    if (in_space) folded += ' ';
    in_space = false;
    folded += c;
  }
  if (folded.size() > kMaxShown) folded = folded.substr(0, kMaxShown - 3) + "...";
  return folded;
}

std::string describe(const std::string& message, const std::string& sql, const std::string& path,
                     int code) {
  std::string text = message;
  if (code != 0) text += " (sqlite code " + std::to_string(code) + ")";
  if (!sql.empty()) text += "; SQL: " + one_line(sql);
  text += "; database: " + (path.empty() ? std::string("(temporary)") : path);
  return text;
}

bool is_blank_tail(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\r' && *tail != '\t' && *tail != ';') {
      return false;
    }
  }
  return true;
}

bool is_memory_path(const std::string& path) {
  return path.empty() || path == ":memory:";
}

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using OwnedStmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

const char* type_name(int type) {
  switch (type) {
    case SQLITE_INTEGER:
      return "INTEGER";
    case SQLITE_FLOAT:
      return "REAL";
    case SQLITE_TEXT:
      return "TEXT";
    case SQLITE_BLOB:
      return "BLOB";
    default:
      return "NULL";
  }
}

}  // namespace

StoreError::StoreError(std::string message, std::string sql, std::string db_path, int sqlite_code)
    : std::runtime_error(describe(message, sql, db_path, sqlite_code)),
      message_(std::move(message)),
      sql_(std::move(sql)),
      db_path_(std::move(db_path)),
      sqlite_code_(sqlite_code) {}

StoreError with_context(const StoreError& error, const std::string& context) {
  return StoreError(context + ": " + error.message(), error.sql(), error.db_path(),
                    error.sqlite_code());
}

// ---------------------------------------------------------------- Statement

Statement::Statement(sqlite3* db, std::string sql, std::string db_path)
    : db_(db), sql_(std::move(sql)), db_path_(std::move(db_path)) {
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql_.c_str(), static_cast<int>(sql_.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, &tail);
  if (rc != SQLITE_OK) {
    throw StoreError(sqlite3_errmsg(db_), sql_, db_path_, sqlite3_extended_errcode(db_));
  }
  if (stmt_ == nullptr) throw StoreError("no SQL statement to prepare", sql_, db_path_);
  if (!is_blank_tail(tail)) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw StoreError("more than one SQL statement; use SqliteDb::exec for scripts", sql_, db_path_);
  }
}

// sqlite3_finalize only repeats the error of the last failed step, which
// step() has already thrown.
Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)),
      db_path_(std::move(other.db_path_)),
      has_row_(std::exchange(other.has_row_, false)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
    db_path_ = std::move(other.db_path_);
    has_row_ = std::exchange(other.has_row_, false);
  }
  return *this;
}

void Statement::fail(const std::string& message) const {
  throw StoreError(message, sql_, db_path_);
}

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) {
    throw StoreError("cannot bind parameter " + std::to_string(index) + ": " + sqlite3_errmsg(db_),
                     sql_, db_path_, sqlite3_extended_errcode(db_));
  }
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind_bool(int index, bool value) {
  return bind_int64(index, value ? 1 : 0);
}

Statement& Statement::bind_double(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  check_bind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::bind_text_borrowed(int index, std::string_view value) {
  // A null data pointer would bind NULL instead of ''.
  const char* bytes = value.data() != nullptr ? value.data() : "";
  check_bind(sqlite3_bind_text64(stmt_, index, bytes, value.size(), SQLITE_STATIC, SQLITE_UTF8),
             index);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  // A null data pointer would bind NULL instead of an empty BLOB.
  const char* bytes = value.data() != nullptr ? value.data() : "";
  check_bind(sqlite3_bind_blob64(stmt_, index, bytes, value.size(), SQLITE_TRANSIENT), index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bind_int64_or_null(int index, const std::optional<std::int64_t>& value) {
  return value ? bind_int64(index, *value) : bind_null(index);
}

Statement& Statement::bind_double_or_null(int index, const std::optional<double>& value) {
  return value ? bind_double(index, *value) : bind_null(index);
}

Statement& Statement::bind_text_or_null(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  has_row_ = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return has_row_;
  throw StoreError(sqlite3_errmsg(db_), sql_, db_path_, sqlite3_extended_errcode(db_));
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);  // always SQLITE_OK
  has_row_ = false;
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

void Statement::check_position(int index) const {
  if (!has_row_) fail("column " + std::to_string(index) + " read without a current row");
  if (index < 0 || index >= sqlite3_column_count(stmt_)) {
    fail("column index " + std::to_string(index) + " out of range");
  }
}

void Statement::fail_type(int index, int type, int wanted_type) const {
  fail(std::string("column ") + std::to_string(index) + " (" + sqlite3_column_name(stmt_, index) +
       ") is " + type_name(type) + ", expected " + type_name(wanted_type));
}

sqlite3_value* Statement::checked_value(int index, int wanted_type) const {
  check_position(index);
  sqlite3_value* value = sqlite3_column_value(stmt_, index);
  const int type = sqlite3_value_type(value);
  if (type == SQLITE_NULL) return nullptr;
  const bool integer_as_real = wanted_type == SQLITE_FLOAT && type == SQLITE_INTEGER;
  if (type != wanted_type && !integer_as_real) fail_type(index, type, wanted_type);
  return value;
}

sqlite3_value* Statement::value_of(int index, int wanted_type) const {
  sqlite3_value* value = checked_value(index, wanted_type);
  if (value == nullptr) fail_type(index, SQLITE_NULL, wanted_type);
  return value;
}

std::string_view Statement::checked_text(sqlite3_value* value, int index) const {
  // A NULL pointer for a TEXT value means sqlite ran out of memory converting it.
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
  if (text == nullptr) fail("out of memory reading column " + std::to_string(index));
  return {text, static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

bool Statement::column_is_null(int index) const {
  check_position(index);
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int index) const {
  return sqlite3_value_int64(value_of(index, SQLITE_INTEGER));
}

bool Statement::column_bool(int index) const {
  return column_int64(index) != 0;
}

double Statement::column_double(int index) const {
  return sqlite3_value_double(value_of(index, SQLITE_FLOAT));
}

std::string Statement::column_text(int index) const {
  return std::string(column_text_view(index));
}

std::string_view Statement::column_text_view(int index) const {
  return checked_text(value_of(index, SQLITE_TEXT), index);
}

std::string_view Statement::column_blob_view(int index) const {
  sqlite3_value* value = value_of(index, SQLITE_BLOB);
  const void* bytes = sqlite3_value_blob(value);
  const auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
  // sqlite gives a NULL pointer for a zero-length BLOB, and for no other
  // BLOB unless it ran out of memory.
  if (size == 0) return {};
  if (bytes == nullptr) fail("out of memory reading column " + std::to_string(index));
  return std::string_view(static_cast<const char*>(bytes), size);
}

std::optional<std::int64_t> Statement::column_int64_or_null(int index) const {
  sqlite3_value* value = checked_value(index, SQLITE_INTEGER);
  if (value == nullptr) return std::nullopt;
  return sqlite3_value_int64(value);
}

std::optional<double> Statement::column_double_or_null(int index) const {
  sqlite3_value* value = checked_value(index, SQLITE_FLOAT);
  if (value == nullptr) return std::nullopt;
  return sqlite3_value_double(value);
}

std::optional<std::string> Statement::column_text_or_null(int index) const {
  sqlite3_value* value = checked_value(index, SQLITE_TEXT);
  if (value == nullptr) return std::nullopt;
  return std::string(checked_text(value, index));
}

// ----------------------------------------------------------------- SqliteDb

void SqliteDb::Closer::operator()(sqlite3* db) const {
  // close_v2 defers the close until any statement still alive is finalised,
  // so destruction order mistakes cannot leak the connection; it reports
  // nothing but misuse (a bad handle), which unique_ptr rules out.
  sqlite3_close_v2(db);
}

namespace {

// sqlite keeps memory statistics by default, taking a process-wide mutex on
// every allocation and free (about 27 of each per stored record, 3% of an
// ingest's instructions); nothing here reads them. sqlite3_config only works
// before sqlite initialises, which the first connection does; if something
// initialised it earlier the statistics stay on, which is only slower.
void turn_off_memory_statistics() {
  static const int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(rc);
}

}  // namespace

SqliteDb::SqliteDb(const std::string& path, const SqliteOptions& options) : path_(path) {
  turn_off_memory_statistics();
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db_.reset(raw);  // sqlite may hand out a handle even on failure; it must be closed
  if (rc != SQLITE_OK) {
    const std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    throw StoreError("cannot open database: " + why, "", path_, rc);
  }
  configure(options);
}

SqliteDb::~SqliteDb() = default;
SqliteDb::SqliteDb(SqliteDb&& other) noexcept = default;

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this == &other) return *this;
  // This connection's parts go in the order the destructor takes: the
  // checkpointer watching it, its statements, then the connection itself.
  checkpointer_.reset();
  cache_.clear();
  db_ = std::move(other.db_);
  path_ = std::move(other.path_);
  cache_ = std::move(other.cache_);
  checkpointer_ = std::move(other.checkpointer_);
  return *this;
}

void SqliteDb::checkpoint_in_background(std::function<void(const std::string& message)> report) {
  checkpointer_.reset();  // a second call starts afresh
  checkpointer_ = std::make_unique<WalCheckpointer>(*this, std::move(report));
}

void SqliteDb::configure(const SqliteOptions& options) {
  if (sqlite3_extended_result_codes(db_.get(), 1) != SQLITE_OK) {
    throw StoreError("cannot enable extended result codes", "", path_);
  }
  if (sqlite3_busy_timeout(db_.get(), options.busy_timeout_ms) != SQLITE_OK) {
    throw StoreError("cannot set busy timeout", "", path_);
  }
  if (!is_memory_path(path_)) {
    const std::string mode = pragma_text("PRAGMA journal_mode=WAL");
    if (mode != "wal") {
      throw StoreError("cannot enable WAL journal mode (sqlite kept '" + mode + "')",
                       "PRAGMA journal_mode=WAL", path_);
    }
  }
  exec(options.synchronous == Synchronous::Full ? "PRAGMA synchronous=FULL"
                                                : "PRAGMA synchronous=NORMAL");
  // A negative cache_size counts KiB rather than pages.
  exec("PRAGMA cache_size=" + std::to_string(-static_cast<std::int64_t>(options.cache_size_kib)));
  if (!is_memory_path(path_)) {
    exec("PRAGMA wal_autocheckpoint=" + std::to_string(options.wal_autocheckpoint_pages));
    exec("PRAGMA journal_size_limit=" + std::to_string(options.journal_size_limit_bytes));
  }
  exec(options.temp_store_in_memory ? "PRAGMA temp_store=MEMORY" : "PRAGMA temp_store=DEFAULT");
  exec("PRAGMA foreign_keys=ON");
  // A sqlite built without foreign key support accepts the pragma silently.
  if (pragma_text("PRAGMA foreign_keys") != "1") {
    throw StoreError("this sqlite does not enforce foreign keys", "PRAGMA foreign_keys", path_);
  }
}

std::int64_t SqliteDb::pragma_int(const std::string& sql) {
  Statement query = prepare_uncached(sql);
  if (!query.step()) throw StoreError("no row", sql, path_);
  return query.column_int64(0);
}

bool SqliteDb::reopenable() const {
  return !is_memory_path(path_) && path_.rfind("file:", 0) != 0;
}

std::string SqliteDb::pragma_text(const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr);
  OwnedStmt statement(raw);
  if (rc != SQLITE_OK) {
    throw StoreError(sqlite3_errmsg(db_.get()), sql, path_, sqlite3_extended_errcode(db_.get()));
  }
  const int step_rc = sqlite3_step(statement.get());
  if (step_rc == SQLITE_DONE) return "";  // e.g. a pragma this sqlite does not know
  if (step_rc != SQLITE_ROW) {
    throw StoreError(sqlite3_errmsg(db_.get()), sql, path_, sqlite3_extended_errcode(db_.get()));
  }
  // Pragmas answer in whichever storage class they like; read the value as text.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
  return text != nullptr ? std::string(text) : std::string();
}

Statement& SqliteDb::prepare(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    auto statement = std::make_unique<Statement>(db_.get(), sql, path_);
    found = cache_.emplace(sql, std::move(statement)).first;
  } else {
    found->second->reset();
  }
  return *found->second;
}

Statement SqliteDb::prepare_uncached(const std::string& sql) {
  return Statement(db_.get(), sql, path_);
}

void SqliteDb::exec(std::string_view script) {
  const char* next = script.data();
  const char* const end = script.data() + script.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(db_.get(), next, static_cast<int>(end - next), &raw, &tail);
    OwnedStmt statement(raw);
    if (rc != SQLITE_OK) {
      // sqlite does not say where a statement that fails to compile ends.
      throw StoreError(sqlite3_errmsg(db_.get()), std::string(next, end), path_,
                       sqlite3_extended_errcode(db_.get()));
    }
    const std::string current(next, tail);
    if (statement == nullptr) break;  // only white space or comments were left
    int step_rc = SQLITE_ROW;
    while (step_rc == SQLITE_ROW) step_rc = sqlite3_step(statement.get());
    if (step_rc != SQLITE_DONE) {
      throw StoreError(sqlite3_errmsg(db_.get()), current, path_,
                       sqlite3_extended_errcode(db_.get()));
    }
    next = tail;
  }
}

bool SqliteDb::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

std::int64_t SqliteDb::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t SqliteDb::changes() const {
  return sqlite3_changes64(db_.get());
}

// -------------------------------------------------------------- Transaction

namespace {
constexpr const char* kSavepoint = "sfmon_nested";
}

Transaction::Transaction(SqliteDb& db) : db_(db), nested_(db.in_transaction()) {
  db_.exec(nested_ ? std::string("SAVEPOINT ") + kSavepoint : std::string("BEGIN IMMEDIATE"));
}

Transaction::~Transaction() {
  if (finished_) return;
  try {
    rollback();
  } catch (const StoreError& error) {
    // A destructor cannot throw. If the rollback really failed the connection
    // is still inside the transaction, and the next BEGIN reports it loudly.
    std::cerr << "sfmon: transaction rollback failed: " << error.what() << '\n';
  }
}

void Transaction::commit() {
  if (finished_) throw StoreError("commit of a finished transaction", "", db_.path());
  db_.exec(nested_ ? std::string("RELEASE ") + kSavepoint : std::string("COMMIT"));
  finished_ = true;
}

void Transaction::rollback() {
  if (finished_) throw StoreError("rollback of a finished transaction", "", db_.path());
  finished_ = true;
  // Some errors (disk full, I/O) make sqlite roll back the whole transaction
  // itself; then there is nothing left to undo.
  if (!db_.in_transaction()) return;
  if (nested_) {
    db_.exec(std::string("ROLLBACK TO ") + kSavepoint + "; RELEASE " + kSavepoint);
  } else {
    db_.exec("ROLLBACK");
  }
}

}  // namespace sfmon
