#pragma once
// The store's schema is versioned with SQLite's PRAGMA user_version and
// evolves by numbered, forward-only migration steps (never edit a released
// step; add a new one). Each step runs in its own transaction together with
// the version bump, so an interrupted upgrade leaves the database at the last
// complete version. A database newer than this binary is refused rather than
// written by code that does not know its tables.
//
// Conventions of the schema (see schema_migrations.cpp for the tables):
// money is INTEGER fen; an instant is three columns, *_utc (INTEGER UTC
// seconds), *_offset (INTEGER minutes) and *_date_only (0/1); a date is TEXT
// 'YYYY-MM-DD'; a flag is INTEGER 0/1; account numbers are stored normalised
// (normalise_account); text the source did not give is '' and optional
// numbers or dates are NULL.

#include <string>
#include <vector>

#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

// Thrown when the database's schema version is newer than the binary knows,
// or is not the latest where the latest is required.
class SchemaVersionError : public StoreError {
 public:
  SchemaVersionError(std::string message, std::string db_path, int found, int supported);
  int found_version() const { return found_; }
  int supported_version() const { return supported_; }

 private:
  int found_;
  int supported_;
};

struct Migration {
  int version;              // 1, 2, 3, ... without gaps
  const char* description;  // one line, for logs
  const char* sql;          // a script of DDL/DML statements
  // Work SQL alone cannot do (e.g. checks before an edit), run after `sql` in
  // the same transaction; throws StoreError to fail the step.
  void (*code)(SqliteDb& db) = nullptr;
};

// Every step, in order. The last one's version is the latest.
const std::vector<Migration>& schema_migrations();
int latest_schema_version();

// 0 for a new, empty database.
int schema_version(SqliteDb& db);

// Applies every missing step up to the latest; returns how many it applied
// (0 when already current). Throws SchemaVersionError when the database is
// newer than this binary, StoreError when a step fails (that step is rolled
// back; earlier ones stay). Safe against a concurrent migrator: each step
// re-reads the version after taking the write lock.
int migrate(SqliteDb& db);

// Applies steps up to `version` only. For tests and tools that need a
// database at an older version; production code calls migrate().
int migrate_to(SqliteDb& db, int version);

// Throws SchemaVersionError unless the database is at the latest version;
// for code that needs the current tables (RecordStore, the API).
void require_latest_schema(SqliteDb& db);

}  // namespace sfmon
