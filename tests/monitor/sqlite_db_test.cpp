#include "sfmon/monitor/sqlite_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sfmon::sqlite_db_test {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards (with the -wal/-shm files).
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("sfmon-sqlite-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::int64_t count_rows(SqliteDb& db, const std::string& table) {
  Statement& query = db.prepare("SELECT count(*) FROM " + table);
  ResetGuard done(query);
  EXPECT_TRUE(query.step());
  return query.column_int64(0);
}

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price INTEGER)");
  }
  void insert(const std::string& name) {
    db_.prepare("INSERT INTO items (name) VALUES (?1)").bind_text(1, name).run();
  }
  SqliteDb db_{":memory:"};
};

TEST_F(SqliteDbTest, SqliteKeepsNoMemoryStatistics) {
  // Turned off before the first connection: they cost a process-wide mutex
  // on every allocation. With them on, this table's pages would count.
  for (int i = 0; i < 100; ++i) insert("item " + std::to_string(i));
  EXPECT_EQ(sqlite3_memory_used(), 0);
}

TEST_F(SqliteDbTest, ForeignKeysAreEnforced) {
  db_.exec(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY); "
      "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent(id))");
  EXPECT_THROW(db_.exec("INSERT INTO child (parent_id) VALUES (42)"), StoreError);
}

TEST(SqliteDbFileTest, FileDatabaseUsesWalAndFullSyncByDefault) {
  TempDir dir;
  SqliteDb db(dir.file("store.db"));
  Statement mode = db.prepare_uncached("PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "wal");
  Statement sync = db.prepare_uncached("PRAGMA synchronous");
  ASSERT_TRUE(sync.step());
  EXPECT_EQ(sync.column_int64(0), 2);  // FULL
}

TEST(SqliteDbFileTest, NormalSynchronousCanBeChosen) {
  TempDir dir;
  SqliteOptions options;
  options.synchronous = Synchronous::Normal;
  SqliteDb db(dir.file("store.db"), options);
  Statement sync = db.prepare_uncached("PRAGMA synchronous");
  ASSERT_TRUE(sync.step());
  EXPECT_EQ(sync.column_int64(0), 1);  // NORMAL
}

std::int64_t pragma_value(SqliteDb& db, const std::string& pragma) {
  return db.pragma_int("PRAGMA " + pragma);
}

TEST(SqliteDbFileTest, PragmaIntReadsTheFirstColumnAndRefusesNoRow) {
  SqliteDb db(":memory:");
  db.exec("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(db.pragma_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.pragma_int("SELECT count(*) FROM t"), 0);
  try {
    db.pragma_int("SELECT x FROM t");
    FAIL() << "a pragma without a row must be an error";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("no row"), std::string::npos) << error.what();
  }
}

TEST(SqliteDbFileTest, OnlyAFileDatabaseIsReopenable) {
  TempDir dir;
  EXPECT_TRUE(SqliteDb(dir.file("store.db")).reopenable());
  EXPECT_FALSE(SqliteDb(":memory:").reopenable());
  EXPECT_FALSE(SqliteDb("").reopenable());
}

TEST(SqliteDbFileTest, CacheAndCheckpointSizesFollowTheOptions) {
  TempDir dir;
  SqliteDb defaults(dir.file("defaults.db"));
  EXPECT_EQ(pragma_value(defaults, "cache_size"), -64 * 1024);  // KiB
  EXPECT_EQ(pragma_value(defaults, "wal_autocheckpoint"), 8192);
  EXPECT_EQ(pragma_value(defaults, "journal_size_limit"), 64 * 1024 * 1024);
  EXPECT_EQ(pragma_value(defaults, "temp_store"), 2);  // MEMORY

  SqliteOptions options;
  options.cache_size_kib = 1024;
  options.wal_autocheckpoint_pages = 100;
  options.journal_size_limit_bytes = 4096;
  options.temp_store_in_memory = false;
  SqliteDb chosen(dir.file("chosen.db"), options);
  EXPECT_EQ(pragma_value(chosen, "cache_size"), -1024);
  EXPECT_EQ(pragma_value(chosen, "wal_autocheckpoint"), 100);
  EXPECT_EQ(pragma_value(chosen, "journal_size_limit"), 4096);
  EXPECT_EQ(pragma_value(chosen, "temp_store"), 0);  // DEFAULT
}

TEST(SqliteDbFileTest, OpenFailureNamesThePath) {
  const std::string path = "/nonexistent-sfmon-dir/sub/store.db";
  try {
    SqliteDb db(path);
    FAIL() << "opening " << path << " should fail";
  } catch (const StoreError& error) {
    EXPECT_EQ(error.db_path(), path);
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("cannot open database"), std::string::npos);
  }
}

TEST(SqliteDbFileTest, OtherConnectionSeesWritesOnlyAfterCommit) {
  TempDir dir;
  SqliteDb writer(dir.file("store.db"));
  writer.exec("CREATE TABLE items (name TEXT)");
  SqliteDb reader(dir.file("store.db"));
  Transaction transaction(writer);
  writer.exec("INSERT INTO items VALUES ('a')");
  EXPECT_EQ(count_rows(reader, "items"), 0);
  transaction.commit();
  EXPECT_EQ(count_rows(reader, "items"), 1);
}

TEST_F(SqliteDbTest, PrepareReturnsTheCachedStatementForTheSameSql) {
  Statement& first = db_.prepare("SELECT name FROM items WHERE id = ?1");
  Statement& second = db_.prepare("SELECT name FROM items WHERE id = ?1");
  Statement& other = db_.prepare("SELECT name FROM items WHERE name = ?1");
  EXPECT_EQ(&first, &second);
  EXPECT_NE(&first, &other);
}

TEST_F(SqliteDbTest, PrepareResetsTheCachedStatementAndItsBindings) {
  insert("pen");
  Statement& query = db_.prepare("SELECT ?1, name FROM items");
  query.bind_int64(1, 7);
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_int64(0), 7);
  // Left on a row; the next prepare starts it over with no bindings.
  Statement& again = db_.prepare("SELECT ?1, name FROM items");
  ASSERT_TRUE(again.step());
  EXPECT_TRUE(again.column_is_null(0));
  EXPECT_EQ(again.column_text(1), "pen");
}

TEST_F(SqliteDbTest, CachedInsertRunsManyTimes) {
  for (const char* name : {"a", "b", "c"}) insert(name);
  EXPECT_EQ(count_rows(db_, "items"), 3);
}

TEST_F(SqliteDbTest, PrepareErrorNamesSqlMessageAndPath) {
  try {
    db_.prepare("SELEC name FROM items");
    FAIL() << "a syntax error must throw";
  } catch (const StoreError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("syntax error"), std::string::npos) << text;
    EXPECT_NE(text.find("SQL: SELEC name FROM items"), std::string::npos) << text;
    EXPECT_NE(text.find("database: :memory:"), std::string::npos) << text;
    EXPECT_EQ(error.sql(), "SELEC name FROM items");
  }
}

TEST_F(SqliteDbTest, ConstraintViolationOnStepNamesConstraintAndSql) {
  insert("pen");
  try {
    insert("pen");
    FAIL() << "a duplicate name must throw";
  } catch (const StoreError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("UNIQUE constraint failed: items.name"), std::string::npos) << text;
    EXPECT_NE(text.find("INSERT INTO items (name) VALUES (?1)"), std::string::npos) << text;
    EXPECT_EQ(error.sqlite_code(), 2067);  // SQLITE_CONSTRAINT_UNIQUE
  }
}

TEST_F(SqliteDbTest, MultiLineSqlIsShownOnOneLine) {
  try {
    db_.exec("SELECT\n  name\n  FROM nowhere");
    FAIL();
  } catch (const StoreError& error) {
    const std::string text = error.what();
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    EXPECT_NE(text.find("SELECT name FROM nowhere"), std::string::npos) << text;
  }
}

TEST_F(SqliteDbTest, ExecReportsTheFailingStatementOfAScript) {
  try {
    db_.exec("INSERT INTO items (name) VALUES ('a'); INSERT INTO missing VALUES (1);");
    FAIL();
  } catch (const StoreError& error) {
    EXPECT_NE(error.sql().find("INSERT INTO missing"), std::string::npos) << error.sql();
    EXPECT_EQ(error.sql().find("INSERT INTO items"), std::string::npos) << error.sql();
    EXPECT_NE(std::string(error.what()).find("no such table: missing"), std::string::npos);
  }
}

TEST_F(SqliteDbTest, PrepareRefusesTwoStatements) {
  EXPECT_THROW(db_.prepare("SELECT 1; SELECT 2"), StoreError);
  EXPECT_NO_THROW(db_.prepare("SELECT 1;  "));
}

TEST_F(SqliteDbTest, BindingAMissingParameterThrows) {
  Statement& query = db_.prepare("SELECT ?1");
  EXPECT_THROW(query.bind_int64(2, 1), StoreError);
}

TEST_F(SqliteDbTest, ColumnGettersCheckRowTypeAndIndex) {
  insert("pen");
  Statement& query = db_.prepare("SELECT name, price FROM items");
  EXPECT_THROW(query.column_text(0), StoreError);  // no row yet
  ASSERT_TRUE(query.step());
  EXPECT_THROW(query.column_int64(0), StoreError);  // TEXT, not INTEGER
  EXPECT_THROW(query.column_int64(1), StoreError);  // NULL needs the *_or_null getter
  EXPECT_EQ(query.column_int64_or_null(1), std::nullopt);
  EXPECT_THROW(query.column_text(2), StoreError);  // no such column
  EXPECT_FALSE(query.step());
}

TEST_F(SqliteDbTest, ColumnGetterErrorsNameTheColumnAndBothTypes) {
  insert("pen");
  Statement& query = db_.prepare("SELECT name, price, 7 AS count, x'00' AS bytes FROM items");
  ASSERT_TRUE(query.step());
  const auto message = [](const auto& read) {
    try {
      read();
    } catch (const StoreError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const auto contains = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  EXPECT_PRED2(contains, message([&] { query.column_int64(0); }),
               "column 0 (name) is TEXT, expected INTEGER");
  EXPECT_PRED2(contains, message([&] { query.column_text(1); }),
               "column 1 (price) is NULL, expected TEXT");
  EXPECT_PRED2(contains, message([&] { query.column_int64_or_null(0); }),
               "column 0 (name) is TEXT, expected INTEGER");
  EXPECT_PRED2(contains, message([&] { query.column_text_or_null(2); }),
               "column 2 (count) is INTEGER, expected TEXT");
  EXPECT_PRED2(contains, message([&] { query.column_blob_view(0); }),
               "column 0 (name) is TEXT, expected BLOB");
  // An INTEGER reads as a REAL; the getters that take NULL give what is there.
  EXPECT_EQ(query.column_double(2), 7.0);
  EXPECT_EQ(query.column_double_or_null(2), 7.0);
  EXPECT_EQ(query.column_double_or_null(1), std::nullopt);
  EXPECT_EQ(query.column_text_or_null(0), "pen");
  EXPECT_EQ(query.column_int64_or_null(2), 7);
  EXPECT_EQ(query.column_blob_view(3), std::string_view("\0", 1));
}

TEST_F(SqliteDbTest, ValuesRoundTrip) {
  const std::string name = "长沙市某某实验学校";
  db_.prepare("INSERT INTO items (name, price) VALUES (?1, ?2)")
      .bind_text(1, name)
      .bind_int64(2, -9'000'000'000'000'000'00)
      .run();
  Statement& query = db_.prepare("SELECT name, price, ?1, ?2 FROM items");
  query.bind_double(1, 2.5).bind_text_or_null(2, std::nullopt);
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_text(0), name);
  EXPECT_EQ(query.column_int64(1), -9'000'000'000'000'000'00);
  EXPECT_EQ(query.column_double(2), 2.5);
  EXPECT_EQ(query.column_text_or_null(3), std::nullopt);
}

TEST_F(SqliteDbTest, BorrowedTextIsStoredLikeCopiedText) {
  const std::string name = "长沙市某某实验学校";
  db_.prepare("INSERT INTO items (name) VALUES (?1)").bind_text_borrowed(1, name).run();
  Statement& query = db_.prepare("SELECT name FROM items");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_text(0), name);
}

TEST_F(SqliteDbTest, BorrowedTextIsReadWhenTheStatementStepsNotWhenBound) {
  // The contract callers must keep: the bytes are read in place at step().
  std::string name = "pen";
  Statement& insert = db_.prepare("INSERT INTO items (name) VALUES (?1)");
  insert.bind_text_borrowed(1, name);
  name[0] = 'h';
  insert.run();
  Statement& query = db_.prepare("SELECT name FROM items");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_text(0), "hen");
}

TEST_F(SqliteDbTest, EmptyBorrowedTextIsEmptyTextNotNull) {
  Statement& query = db_.prepare("SELECT typeof(?1), length(?1)");
  query.bind_text_borrowed(1, std::string_view());
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_text(0), "text");
  EXPECT_EQ(query.column_int64(1), 0);
}

TEST_F(SqliteDbTest, ResetGuardForgetsBorrowedText) {
  // What the record store relies on: once the guard ends, the statement no
  // longer points at the caller's bytes, so a later step cannot read them.
  Statement& query = db_.prepare("SELECT ?1");
  {
    const std::string name = "pen";
    ResetGuard unbind(query);
    query.bind_text_borrowed(1, name);
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.column_text(0), "pen");
  }
  ASSERT_TRUE(query.step());
  EXPECT_TRUE(query.column_is_null(0));
}

TEST_F(SqliteDbTest, TransactionRollsBackWhenAnExceptionLeavesItsScope) {
  const auto failing_work = [this] {
    Transaction transaction(db_);
    insert("pen");
    throw std::runtime_error("parse failed half way");
  };
  EXPECT_THROW(failing_work(), std::runtime_error);
  EXPECT_FALSE(db_.in_transaction());
  EXPECT_EQ(count_rows(db_, "items"), 0);
}

TEST_F(SqliteDbTest, CommittedTransactionKeepsItsRows) {
  {
    Transaction transaction(db_);
    insert("pen");
    transaction.commit();
  }
  EXPECT_EQ(count_rows(db_, "items"), 1);
}

TEST_F(SqliteDbTest, ExplicitRollbackDiscardsRows) {
  Transaction transaction(db_);
  insert("pen");
  transaction.rollback();
  EXPECT_EQ(count_rows(db_, "items"), 0);
  EXPECT_THROW(transaction.commit(), StoreError);
}

TEST_F(SqliteDbTest, CommittingTwiceThrows) {
  Transaction transaction(db_);
  transaction.commit();
  EXPECT_THROW(transaction.commit(), StoreError);
}

TEST_F(SqliteDbTest, NestedTransactionRollsBackOnlyItsOwnWork) {
  Transaction outer(db_);
  EXPECT_FALSE(outer.nested());
  insert("kept");
  {
    Transaction inner(db_);
    EXPECT_TRUE(inner.nested());
    insert("dropped");
  }
  outer.commit();
  EXPECT_EQ(count_rows(db_, "items"), 1);
}

TEST_F(SqliteDbTest, NestedCommitIsUndoneByOuterRollback) {
  {
    Transaction outer(db_);
    Transaction inner(db_);
    insert("pen");
    inner.commit();
  }
  EXPECT_EQ(count_rows(db_, "items"), 0);
}

TEST_F(SqliteDbTest, MovedConnectionKeepsItsCachedStatements) {
  insert("pen");
  Statement& query = db_.prepare("SELECT count(*) FROM items");
  SqliteDb moved(std::move(db_));
  EXPECT_EQ(&moved.prepare("SELECT count(*) FROM items"), &query);
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_int64(0), 1);
}

}  // namespace
}  // namespace sfmon::sqlite_db_test
