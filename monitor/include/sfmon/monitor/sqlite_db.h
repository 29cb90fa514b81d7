#pragma once
// A thin RAII layer over the sqlite3 C API for the record store: a connection
// (SqliteDb), prepared statements (Statement), a statement cache and
// transactions. Every sqlite return code is checked; failures throw StoreError
// naming the sqlite message, the SQL and the database path.
//
// Thread safety: none of these classes may be shared between threads. Use one
// SqliteDb per thread (the connection is opened with SQLITE_OPEN_NOMUTEX and
// its statement cache is unsynchronised). Several connections, in this or in
// other processes, may use the same database file: WAL mode lets readers run
// beside one writer, and writers wait up to `busy_timeout_ms` for each other.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

namespace sfmon {

// A database failure. what() is one line: the message, the SQL (white space
// folded) and the database path, e.g.
//   "UNIQUE constraint failed: accounts.number (sqlite code 1555); SQL: INSERT
//    INTO accounts ...; database: /var/lib/sfmon/sfmon.db"
class StoreError : public std::runtime_error {
 public:
  // `sqlite_code` is the extended result code, or 0 when the failure is ours
  // (e.g. a schema newer than the binary) rather than sqlite's.
  StoreError(std::string message, std::string sql, std::string db_path, int sqlite_code = 0);

  const std::string& message() const { return message_; }
  const std::string& sql() const { return sql_; }
  const std::string& db_path() const { return db_path_; }
  int sqlite_code() const { return sqlite_code_; }

 private:
  std::string message_;
  std::string sql_;
  std::string db_path_;
  int sqlite_code_;
};

// The same error with `context` (what was being stored, e.g. a record's file
// and position) put in front of its message.
StoreError with_context(const StoreError& error, const std::string& context);

// One compiled SQL statement. Parameter and column indexes follow sqlite:
// parameters count from 1 (?1, ?2, ...), columns from 0. Text is UTF-8 and is
// copied on bind (except by bind_text_borrowed). Borrows the connection: a
// Statement must not outlive the SqliteDb that made it.
class Statement {
 public:
  // Compiles exactly one SQL statement; trailing text other than white space
  // and comments is an error (use SqliteDb::exec for scripts).
  Statement(sqlite3* db, std::string sql, std::string db_path);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;

  Statement& bind_int64(int index, std::int64_t value);
  Statement& bind_bool(int index, bool value);  // stored as 0 / 1
  Statement& bind_double(int index, double value);
  Statement& bind_text(int index, std::string_view value);
  // Binds `value` without copying it (SQLITE_STATIC): sqlite reads the bytes
  // where they lie whenever the statement steps. They must stay valid and
  // unchanged until the parameter is bound again or the bindings are cleared
  // (reset(), a ResetGuard ending, SqliteDb::prepare of the same text), not
  // just until step() returns: a step after the caller's strings died would
  // read freed memory. For the per-record inserts, whose values are members of
  // a record that outlives the statement's use; everything else uses
  // bind_text. An empty view binds '' (never NULL).
  Statement& bind_text_borrowed(int index, std::string_view value);
  Statement& bind_null(int index);
  // Binds the bytes of `value` as a BLOB (copied); an empty view binds a
  // zero-length BLOB, never NULL.
  Statement& bind_blob(int index, std::string_view value);
  // nullopt binds NULL.
  Statement& bind_int64_or_null(int index, const std::optional<std::int64_t>& value);
  Statement& bind_double_or_null(int index, const std::optional<double>& value);
  Statement& bind_text_or_null(int index, const std::optional<std::string>& value);

  // Runs to the next row: true when a row is available through the column
  // getters, false when the statement has finished.
  bool step();
  // Runs to completion, ignoring any rows (INSERT, UPDATE, DDL).
  void run();
  // Makes the statement ready to run again and clears its bindings. Never
  // throws: sqlite3_reset only repeats the error of a failed step(), which
  // step() has already thrown.
  void reset() noexcept;

  // Column getters need a current row (the last step() returned true) and a
  // value of the right storage class; NULL is only accepted by the *_or_null
  // getters. A mismatch throws StoreError naming the column.
  int column_count() const;
  bool column_is_null(int index) const;
  std::int64_t column_int64(int index) const;
  bool column_bool(int index) const;
  double column_double(int index) const;  // REAL or INTEGER
  std::string column_text(int index) const;
  // The same text without a copy: the view is valid until the next step(),
  // reset() or other getter call on this column (readers that reuse their
  // strings' storage assign from it).
  std::string_view column_text_view(int index) const;
  // A BLOB's bytes without a copy, valid as column_text_view's view is.
  std::string_view column_blob_view(int index) const;
  std::optional<std::int64_t> column_int64_or_null(int index) const;
  std::optional<double> column_double_or_null(int index) const;
  std::optional<std::string> column_text_or_null(int index) const;

  const std::string& sql() const { return sql_; }

 private:
  void check_bind(int rc, int index);
  void check_position(int index) const;
  // The current row's value of a column, checked to be of `wanted_type`
  // (an INTEGER passes for a REAL), or nullptr when it is NULL. One call into
  // sqlite per column, where sqlite3_column_type, _text and _bytes would take
  // the connection's mutex once each (a fifth of reading a record). sqlite
  // calls such a value "unprotected": safe here, because a connection is
  // opened SQLITE_OPEN_NOMUTEX and used by one thread at a time.
  sqlite3_value* checked_value(int index, int wanted_type) const;
  // checked_value(), with NULL an error.
  sqlite3_value* value_of(int index, int wanted_type) const;
  std::string_view checked_text(sqlite3_value* value, int index) const;
  [[noreturn]] void fail(const std::string& message) const;
  // "column N (name) is TYPE, expected TYPE".
  [[noreturn]] void fail_type(int index, int type, int wanted_type) const;

  sqlite3* db_ = nullptr;         // not owned
  sqlite3_stmt* stmt_ = nullptr;  // owned
  std::string sql_;
  std::string db_path_;
  bool has_row_ = false;
};

// Resets a statement when the scope ends. A statement left on a row keeps its
// read snapshot open, which blocks checkpoints and can make this connection's
// next write transaction fail with SQLITE_BUSY_SNAPSHOT; use this guard for
// queries that stop reading before the last row or may throw half way.
class ResetGuard {
 public:
  explicit ResetGuard(Statement& statement) : statement_(statement) {}
  ~ResetGuard() { statement_.reset(); }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  Statement& statement_;
};

enum class Synchronous { Normal, Full };

struct SqliteOptions {
  // FULL fsyncs the write-ahead log at every commit, so a commit that returned
  // survives power loss too. sfmon commits once per input file or page, so the
  // cost is one fsync per file, while the benefit is that a connector may move
  // a file to the archive (or tell a remote source it is done) right after the
  // commit without risking a file that is archived but not stored.
  // NORMAL (sync only at checkpoints) is still crash-safe for the process —
  // kill -9 loses nothing in WAL mode — and keeps the database consistent on
  // power loss, but may roll back the last commits; fine for tests, benchmarks
  // and rebuildable scratch databases.
  Synchronous synchronous = Synchronous::Full;
  int busy_timeout_ms = 5000;  // how long a writer waits for another writer
  // Page cache per connection, KiB (sqlite's default is 2 MiB). Ingest
  // touches index pages all over bank_records and fee_records; with a cache
  // that holds them, a batch writes each page once. Memory grows only as
  // pages are read, up to this bound.
  int cache_size_kib = 64 * 1024;
  // WAL pages (4 KiB each) after which a commit checkpoints the log into the
  // database (sqlite's default is 1000). Larger means fewer checkpoints, and
  // a page changed by several batches is copied into the database once;
  // journal_size_limit_bytes then truncates the log file back after a
  // checkpoint.
  int wal_autocheckpoint_pages = 8192;
  std::int64_t journal_size_limit_bytes = 64 * 1024 * 1024;
  // Savepoints (a file inside a batch, see ingest_pipeline.h) keep the
  // original of every page they change in a sub-journal, and statements
  // that may abort half way keep a statement journal; both are temporary
  // files unless temp_store is MEMORY. They live only as long as their
  // savepoint or statement, so memory is the cheaper place.
  bool temp_store_in_memory = true;
};

class WalCheckpointer;

// An open connection. Opening creates the file when missing and sets: WAL
// journal mode (file databases; ":memory:" keeps its in-memory journal),
// the chosen synchronous level, cache size, checkpoint interval, temp_store,
// foreign_keys=ON, the busy timeout and extended result codes. Does not create the schema: see
// schema_migrations.h.
class SqliteDb {
 public:
  explicit SqliteDb(const std::string& path, const SqliteOptions& options = {});
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  // Moving keeps cached statements valid (they belong to the connection, which
  // moves with them); objects holding a SqliteDb& to the source do not follow.
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  // A cached statement for `sql`, reset and with cleared bindings. The
  // reference stays valid while this SqliteDb lives; the next prepare() of the
  // same text resets it, so do not nest two uses of one SQL text (use
  // prepare_uncached for that). The cache is keyed by the exact text and is
  // never trimmed: bind values, never format them into SQL.
  Statement& prepare(const std::string& sql);
  Statement prepare_uncached(const std::string& sql);

  // Runs every statement of a script (e.g. a migration) in order, discarding
  // rows. An error names the statement of the script that failed.
  void exec(std::string_view script);
  // The first column of a pragma's (or query's) first row as an integer;
  // StoreError when it gives no row.
  std::int64_t pragma_int(const std::string& sql);

  // True between BEGIN and COMMIT/ROLLBACK (sqlite's autocommit is off).
  bool in_transaction() const;
  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;  // rows changed by the last INSERT/UPDATE/DELETE

  const std::string& path() const { return path_; }
  // Whether a second SqliteDb(path()) sees this database: not for ":memory:"
  // or "" (private databases) nor for a "file:" URI, which may name one.
  bool reopenable() const;
  // For features this wrapper does not cover; the connection stays owned here.
  sqlite3* handle() const { return db_.get(); }

  // From now on, the write-ahead log is copied into the database on a
  // thread of this connection's own (wal_checkpointer.h) rather than inside
  // the commits; `report` hears of a failure, after which the commits do it
  // again. The thread works through a second connection of its own and
  // never uses this one's; it stops before this connection closes. Only for
  // a reopenable() database.
  void checkpoint_in_background(std::function<void(const std::string& message)> report);

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  void configure(const SqliteOptions& options);
  std::string pragma_text(const std::string& sql);

  std::string path_;
  std::unique_ptr<sqlite3, Closer> db_;
  // Declared after db_ so that statements are finalised before the close.
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  // Declared last: it watches the connection, so it stops first.
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

// A write transaction. At the outermost level it is BEGIN IMMEDIATE, which
// takes the write lock up front so a read-then-write cannot fail half way
// with SQLITE_BUSY. Inside an open transaction it is a SAVEPOINT instead, so
// store operations that have their own Transaction compose into a caller's
// larger one (records, cursor and alerts committed together). Destroying an
// uncommitted Transaction rolls it back (to its savepoint when nested).
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();
  // Explicit rollback; unlike the destructor it reports failure.
  void rollback();
  bool nested() const { return nested_; }

 private:
  SqliteDb& db_;
  bool nested_ = false;
  bool finished_ = false;
};

}  // namespace sfmon
