#include "../../monitor/src/registry_snapshot.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon::registry_snapshot_test {
namespace {

using namespace std::string_literals;

Date date(int year, int month, int day) {
  Date value;
  value.year = year;
  value.month = month;
  value.day = day;
  return value;
}

// Every field set, most to something other than its default, with the
// shapes the loader produces: unicode, empty and absent values, account
// numbers as written (spaces, dashes), several terms, parties with and
// without an account.
Registry rich_registry() {
  School first;
  first.id = "CS-0001";
  first.name = "长沙市某某实验学校";
  first.kind = SchoolKind::NineYear;
  first.nonprofit = false;
  first.inclusive = true;
  first.district = "岳麓区\0二"s;  // a NUL byte survives too
  first.enrollment = 1200;
  first.min_balance_fen = -5;
  first.accounts = {{"4305 0180 1234", "建设银行长沙分行", AccountRole::Supervised},
                    {"4305-0180-5678", "", AccountRole::Basic},
                    {"ABC/9", "工行", AccountRole::Other}};
  first.related_parties = {{"湖南某某教育投资有限公司", "43001234567890", "sponsor"},
                           {"张三", "", "director"}};
  first.fee_catalogue = {{"tuition", "all", 1'500'000, FeePer::Semester},
                         {"boarding", "G7", 9'000'000'000'000'000'000, FeePer::Year},
                         {"tutoring", "", 0, FeePer::Hour},
                         {"meals", "G1", 30'000, FeePer::Month}};
  first.academic_calendar = {{"2024-autumn", date(2024, 9, 1), date(2025, 1, 31)},
                             {"2025-spring", date(2025, 2, 17), date(2025, 7, 4)},
                             {"", date(2028, 2, 29), date(2028, 2, 29)}};
  School second;  // defaults throughout: no accounts, no calendar, no minimum
  second.id = "CS-0002";
  second.kind = SchoolKind::Training;
  School third;
  third.id = "CS-0000";  // order is kept, not sorted
  third.name = "幼儿园";
  third.kind = SchoolKind::Kindergarten;
  third.min_balance_fen = 0;
  third.enrollment = -1;
  third.accounts = {{"6222 0200 0000 0001", "农商行", AccountRole::Supervised}};
  Registry registry;
  registry.schools = {first, second, third};
  registry.build_index();
  return registry;
}

std::vector<WatchlistEntry> rich_watchlist() {
  return {{"某某借贷公司", "", "非法集资"}, {"", "6217 0000-1", "失信"}, {"Ｆｕｌｌ", "1", ""}};
}

void expect_same_school(const School& got, const School& want) {
  SCOPED_TRACE("school " + want.id);
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.nonprofit, want.nonprofit);
  EXPECT_EQ(got.inclusive, want.inclusive);
  EXPECT_EQ(got.district, want.district);
  EXPECT_EQ(got.enrollment, want.enrollment);
  EXPECT_EQ(got.min_balance_fen, want.min_balance_fen);
  ASSERT_EQ(got.accounts.size(), want.accounts.size());
  for (std::size_t i = 0; i < want.accounts.size(); ++i) {
    EXPECT_EQ(got.accounts[i].number, want.accounts[i].number);
    EXPECT_EQ(got.accounts[i].bank, want.accounts[i].bank);
    EXPECT_EQ(got.accounts[i].role, want.accounts[i].role);
  }
  ASSERT_EQ(got.related_parties.size(), want.related_parties.size());
  for (std::size_t i = 0; i < want.related_parties.size(); ++i) {
    EXPECT_EQ(got.related_parties[i].name, want.related_parties[i].name);
    EXPECT_EQ(got.related_parties[i].account, want.related_parties[i].account);
    EXPECT_EQ(got.related_parties[i].relation, want.related_parties[i].relation);
  }
  ASSERT_EQ(got.fee_catalogue.size(), want.fee_catalogue.size());
  for (std::size_t i = 0; i < want.fee_catalogue.size(); ++i) {
    EXPECT_EQ(got.fee_catalogue[i].fee_type, want.fee_catalogue[i].fee_type);
    EXPECT_EQ(got.fee_catalogue[i].grade, want.fee_catalogue[i].grade);
    EXPECT_EQ(got.fee_catalogue[i].cap_fen, want.fee_catalogue[i].cap_fen);
    EXPECT_EQ(got.fee_catalogue[i].per, want.fee_catalogue[i].per);
  }
  ASSERT_EQ(got.academic_calendar.size(), want.academic_calendar.size());
  for (std::size_t i = 0; i < want.academic_calendar.size(); ++i) {
    EXPECT_EQ(got.academic_calendar[i].term, want.academic_calendar[i].term);
    EXPECT_EQ(got.academic_calendar[i].start, want.academic_calendar[i].start);
    EXPECT_EQ(got.academic_calendar[i].end, want.academic_calendar[i].end);
  }
}

void expect_same_lists(const RegistrySnapshot& got, const Registry& registry,
                       const std::vector<WatchlistEntry>& watchlist) {
  ASSERT_EQ(got.registry.schools.size(), registry.schools.size());
  for (std::size_t i = 0; i < registry.schools.size(); ++i) {
    expect_same_school(got.registry.schools[i], registry.schools[i]);
  }
  ASSERT_EQ(got.watchlist.size(), watchlist.size());
  for (std::size_t i = 0; i < watchlist.size(); ++i) {
    EXPECT_EQ(got.watchlist[i].name, watchlist[i].name);
    EXPECT_EQ(got.watchlist[i].account, watchlist[i].account);
    EXPECT_EQ(got.watchlist[i].reason, watchlist[i].reason);
  }
}

// A one-school body whose byte positions the tests below can name.
// Layout: format u32 | school count u32 | id (u32 + 2) | name (u32 + 1) |
// kind | nonprofit | ...
std::string small_body() {
  Registry registry;
  School school;
  school.id = "S1";
  school.name = "n";
  school.academic_calendar = {{"t", date(2024, 9, 1), date(2025, 1, 31)}};
  registry.schools = {school};
  return encode_registry_snapshot(registry, {});
}
constexpr std::size_t kSchoolCountAt = 4;
constexpr std::size_t kIdLengthAt = 8;
constexpr std::size_t kKindAt = 8 + 4 + 2 + 4 + 1;
constexpr std::size_t kNonprofitAt = kKindAt + 1;

void put_u32(std::string& body, std::size_t at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) body[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string decode_error(const std::string& body) {
  try {
    decode_registry_snapshot(body);
  } catch (const RegistrySnapshotError& error) {
    return error.what();
  }
  return "(decoded)";
}

TEST(RegistrySnapshotTest, ARichRegistryAndWatchlistRoundTripFieldByField) {
  const Registry registry = rich_registry();
  const RegistrySnapshot decoded =
      decode_registry_snapshot(encode_registry_snapshot(registry, rich_watchlist()));
  expect_same_lists(decoded, registry, rich_watchlist());
}

TEST(RegistrySnapshotTest, TheDecodedRegistryIsIndexed) {
  const RegistrySnapshot decoded =
      decode_registry_snapshot(encode_registry_snapshot(rich_registry(), {}));
  EXPECT_TRUE(decoded.registry.index.built);
  EXPECT_EQ(decoded.registry.index.school_count, 3u);
  const School* owner = decoded.registry.find_account_owner("430501805678");
  ASSERT_NE(owner, nullptr) << "looked up normalised, stored as written";
  EXPECT_EQ(owner->id, "CS-0001");
}

TEST(RegistrySnapshotTest, AnEmptyRegistryRoundTrips) {
  const RegistrySnapshot decoded = decode_registry_snapshot(encode_registry_snapshot({}, {}));
  EXPECT_TRUE(decoded.registry.schools.empty());
  EXPECT_TRUE(decoded.watchlist.empty());
}

TEST(RegistrySnapshotTest, EveryTruncatedBodyIsAnError) {
  const std::string body = encode_registry_snapshot(rich_registry(), rich_watchlist());
  for (std::size_t size = 0; size < body.size(); ++size) {
    // A copy of exactly `size` bytes, so that reading past it is a fault
    // under the sanitizers rather than a read of the rest of `body`.
    const std::string prefix = body.substr(0, size);
    EXPECT_THROW(decode_registry_snapshot(prefix), RegistrySnapshotError) << size << " bytes";
  }
}

TEST(RegistrySnapshotTest, ATruncatedBodySaysWhatIsMissingAndWhere) {
  const std::string body = small_body();  // ends with the watchlist count, 4 bytes
  const std::size_t count_at = body.size() - 4;
  EXPECT_EQ(decode_error(body.substr(0, body.size() - 2)),
            "registry snapshot: truncated: watchlist count is missing at byte " +
                std::to_string(count_at) + " of " + std::to_string(body.size() - 2));
}

TEST(RegistrySnapshotTest, ACountTooLargeForWhatIsLeftIsAnError) {
  const std::string body = small_body();
  EXPECT_EQ(decode_error(body.substr(0, kKindAt)),
            "registry snapshot: school count 1 cannot fit in the 11 bytes left at byte 4 of 19");
}

TEST(RegistrySnapshotTest, AnEnumOutOfRangeIsAnError) {
  std::string body = small_body();
  ASSERT_EQ(body[kKindAt], static_cast<char>(SchoolKind::Primary));
  body[kKindAt] = 7;  // one past Training
  EXPECT_EQ(decode_error(body), "registry snapshot: school kind 7 is out of range at byte 19 of " +
                                    std::to_string(body.size()));
}

TEST(RegistrySnapshotTest, ABooleanOtherThanZeroOrOneIsAnError) {
  std::string body = small_body();
  ASSERT_EQ(body[kNonprofitAt], 1);
  body[kNonprofitAt] = 2;
  EXPECT_NE(decode_error(body).find("nonprofit flag is 2, not 0 or 1 at byte 20"),
            std::string::npos)
      << decode_error(body);
}

TEST(RegistrySnapshotTest, AnAbsurdCountIsAnErrorNotAnAllocation) {
  std::string body = small_body();
  put_u32(body, kSchoolCountAt, 0xffffffffu);
  EXPECT_NE(decode_error(body).find("school count 4294967295 cannot fit"), std::string::npos)
      << decode_error(body);
}

TEST(RegistrySnapshotTest, AnAbsurdStringLengthIsAnError) {
  std::string body = small_body();
  put_u32(body, kIdLengthAt, 0x7fffffffu);
  EXPECT_NE(decode_error(body).find("school id length 2147483647 exceeds"), std::string::npos)
      << decode_error(body);
}

TEST(RegistrySnapshotTest, AnInvalidDateIsAnError) {
  Registry registry;
  registry.schools.resize(1);
  registry.schools[0].academic_calendar = {{"t", date(2024, 2, 30), date(2024, 3, 1)}};
  EXPECT_NE(decode_error(encode_registry_snapshot(registry, {})).find("term start is not a valid"),
            std::string::npos);
}

TEST(RegistrySnapshotTest, TrailingBytesAreAnError) {
  const std::string body = small_body() + "x";
  EXPECT_EQ(decode_error(body),
            "registry snapshot: 1 bytes after the end of the snapshot at byte " +
                std::to_string(body.size() - 1) + " of " + std::to_string(body.size()));
}

TEST(RegistrySnapshotTest, ABodyOfAnotherFormatIsAnError) {
  std::string body = small_body();
  put_u32(body, 0, kRegistrySnapshotFormat + 1);
  EXPECT_NE(decode_error(body).find("format 2, expected 1 at byte 0"), std::string::npos)
      << decode_error(body);
}

class RegistrySnapshotStoreTest : public ::testing::Test {
 protected:
  RegistrySnapshotStoreTest() { migrate(db_); }
  std::int64_t rows() { return db_.pragma_int("SELECT COUNT(*) FROM registry_snapshot"); }

  SqliteDb db_{":memory:"};
};

TEST_F(RegistrySnapshotStoreTest, WhatIsStoredReadsBackUnderItsFingerprint) {
  store_registry_snapshot(db_, "fp-1", rich_registry(), rich_watchlist());
  const std::optional<RegistrySnapshot> read = read_registry_snapshot(db_, "fp-1");
  ASSERT_TRUE(read.has_value());
  expect_same_lists(*read, rich_registry(), rich_watchlist());
}

TEST_F(RegistrySnapshotStoreTest, NoRowReadsAsNone) {
  EXPECT_FALSE(read_registry_snapshot(db_, "fp-1").has_value());
}

TEST_F(RegistrySnapshotStoreTest, AnotherFingerprintReadsAsNone) {
  store_registry_snapshot(db_, "fp-1", rich_registry(), {});
  EXPECT_FALSE(read_registry_snapshot(db_, "fp-2").has_value());
}

TEST_F(RegistrySnapshotStoreTest, AnotherFormatReadsAsNone) {
  store_registry_snapshot(db_, "fp-1", rich_registry(), {});
  db_.exec("UPDATE registry_snapshot SET format = format + 1");
  EXPECT_FALSE(read_registry_snapshot(db_, "fp-1").has_value());
}

TEST_F(RegistrySnapshotStoreTest, StoringAgainReplacesTheOneRow) {
  store_registry_snapshot(db_, "fp-1", rich_registry(), {});
  store_registry_snapshot(db_, "fp-2", {}, rich_watchlist());
  EXPECT_EQ(rows(), 1);
  EXPECT_FALSE(read_registry_snapshot(db_, "fp-1").has_value());
  const std::optional<RegistrySnapshot> read = read_registry_snapshot(db_, "fp-2");
  ASSERT_TRUE(read.has_value());
  EXPECT_TRUE(read->registry.schools.empty());
  EXPECT_EQ(read->watchlist.size(), 3u);
}

TEST_F(RegistrySnapshotStoreTest, ADamagedBodyUnderTheFingerprintIsAnError) {
  store_registry_snapshot(db_, "fp-1", rich_registry(), {});
  db_.exec("UPDATE registry_snapshot SET body = substr(body, 1, 30)");
  EXPECT_THROW(read_registry_snapshot(db_, "fp-1"), RegistrySnapshotError);
  EXPECT_FALSE(read_registry_snapshot(db_, "fp-2").has_value()) << "not even read";
}

TEST_F(RegistrySnapshotStoreTest, AnEmptyBlobIsStoredAsABlobNotNull) {
  db_.exec("CREATE TABLE blobs (b BLOB NOT NULL) STRICT");
  db_.prepare("INSERT INTO blobs VALUES (?1)").bind_blob(1, std::string_view()).run();
  Statement& query = db_.prepare("SELECT b FROM blobs");
  ResetGuard done(query);
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.column_blob_view(0), "");
}

TEST_F(RegistrySnapshotStoreTest, ABlobColumnReadAsTextIsAnError) {
  Statement& query = db_.prepare("SELECT 'text'");
  ResetGuard done(query);
  ASSERT_TRUE(query.step());
  EXPECT_THROW(query.column_blob_view(0), StoreError);
}

}  // namespace
}  // namespace sfmon::registry_snapshot_test
