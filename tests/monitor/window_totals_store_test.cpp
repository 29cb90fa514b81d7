// WindowTotalsStore: the blob of a day's totals reads back exactly and
// refuses anything else; a run of days sums only when every day is there
// under the same basis; changed records forget the days around them;
// pruning drops only the school's rows of other bases and earlier days.

#include "../../monitor/src/window_totals_store.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon::window_totals_store_test {
namespace {

using rules::DayTotals;
using rules::KeyTotals;
using rules::Moments;
using rules::WideInt;

constexpr std::int64_t kDay = 86400;

DayTotals sample_day(std::int64_t day) {
  Moments big{3, -(WideInt{1} << 100), WideInt{1} << 120};
  return DayTotals{day,
                   {KeyTotals{"String=A\x1f", {Moments{2, 0, 0}, Moments{2, -700, 250'000}}},
                    KeyTotals{"String=B\x1f", {Moments{0, 0, 0}, big}}}};
}

TEST(WindowTotalsBlobTest, ADayReadsBackExactly) {
  const DayTotals day = sample_day(20'000);
  DayTotals back;
  ASSERT_TRUE(decode_day(encode_day(day), 2, back));
  back.day = day.day;  // the day is the row's key, not in the blob
  EXPECT_EQ(back, day);
  ASSERT_TRUE(decode_day(encode_day(DayTotals{5, {}}), 2, back));
  EXPECT_TRUE(back.keys.empty());
}

TEST(WindowTotalsBlobTest, AnythingButAWholeBlobOfThatShapeIsRefused) {
  const std::string blob = encode_day(sample_day(1));
  DayTotals back;
  for (std::size_t size = 0; size < blob.size(); ++size) {
    EXPECT_FALSE(decode_day(blob.substr(0, size), 2, back)) << "prefix of " << size;
  }
  EXPECT_FALSE(decode_day(blob + '\0', 2, back));  // trailing bytes
  EXPECT_FALSE(decode_day(blob, 1, back));         // another rule's aggregates
  EXPECT_FALSE(decode_day(blob, 3, back));
  DayTotals unsorted = sample_day(1);
  std::swap(unsorted.keys[0], unsorted.keys[1]);
  EXPECT_FALSE(decode_day(encode_day(unsorted), 2, back));
  std::string absurd = blob;
  absurd[7] = '\x7f';  // a key count far beyond the blob
  EXPECT_FALSE(decode_day(absurd, 2, back));
}

TEST(WindowTotalsBasisTest, NamesThePackTheRegistryAndTheZone) {
  rules::CompiledPack pack;
  pack.source_digest = "pack-1";
  const Zone zone;
  const std::string basis = window_totals_basis(pack, "registry-1", zone);
  EXPECT_EQ(basis.size(), 16u);
  EXPECT_EQ(window_totals_basis(pack, "registry-1", zone), basis);
  EXPECT_NE(window_totals_basis(pack, "registry-2", zone), basis);
  EXPECT_NE(window_totals_basis(pack, "registry-1", Zone{"UTC", 0}), basis);
  rules::CompiledPack other;
  other.source_digest = "pack-2";
  EXPECT_NE(window_totals_basis(other, "registry-1", zone), basis);
  // Without either, nothing is kept.
  EXPECT_EQ(window_totals_basis(pack, "", zone), "");
  EXPECT_EQ(window_totals_basis(rules::CompiledPack{}, "registry-1", zone), "");
}

class WindowTotalsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { migrate(db_); }

  void write_days(const std::string& school, std::int64_t first, std::int64_t last,
                  const std::string& basis = "B1") {
    WindowTotalsUpdate update;
    update.rules.push_back({"RULE", {}});
    for (std::int64_t day = first; day <= last; ++day) {
      update.rules[0].days.push_back(sample_day(day));
    }
    store_.write(school, basis, update);
  }

  bool sum(std::int64_t first, std::int64_t last, std::vector<KeyTotals>& sums,
           const std::string& basis = "B1") {
    sums.clear();
    return store_.sum_days("S1", "RULE", 2, basis, first, last, sums);
  }

  std::int64_t rows(const std::string& school) {
    Statement query = db_.prepare_uncached(
        "SELECT count(*) FROM window_day_totals WHERE school_id = '" + school + "'");
    EXPECT_TRUE(query.step());
    return query.column_int64(0);
  }

  SqliteDb db_{":memory:"};
  WindowTotalsStore store_{db_};
};

TEST_F(WindowTotalsStoreTest, ARunOfStoredDaysSumsPerKey) {
  write_days("S1", 100, 109);
  std::vector<KeyTotals> sums;
  ASSERT_TRUE(sum(101, 105, sums));
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums[0].aggregates[1], (Moments{10, -3500, 1'250'000}));
  EXPECT_EQ(sums[1].aggregates[1].sum, -5 * (WideInt{1} << 100));
}

TEST_F(WindowTotalsStoreTest, AMissingDayAnotherBasisOrAnUnreadableRowSumsNothing) {
  write_days("S1", 100, 104);
  write_days("S1", 106, 109);
  std::vector<KeyTotals> sums;
  EXPECT_FALSE(sum(100, 109, sums));  // day 105 is missing
  EXPECT_TRUE(sum(106, 109, sums));
  EXPECT_FALSE(sum(106, 110, sums));  // so is day 110
  EXPECT_FALSE(sum(100, 104, sums, "B2"));
  write_days("S1", 102, 102, "B2");
  EXPECT_FALSE(sum(100, 104, sums));
  db_.exec("UPDATE window_day_totals SET totals = x'00' WHERE day = 107");
  EXPECT_FALSE(sum(106, 109, sums));
}

TEST_F(WindowTotalsStoreTest, WritingADayAgainReplacesItAndForgetAllClearsOnlyThatSchool) {
  write_days("S1", 100, 101);
  write_days("S1", 101, 102);
  write_days("S2", 100, 101);
  EXPECT_EQ(rows("S1"), 3);
  WindowTotalsUpdate forget;
  forget.forget_all = true;
  store_.write("S1", "B1", forget);
  EXPECT_EQ(rows("S1"), 0);
  EXPECT_EQ(rows("S2"), 2);
}

TEST_F(WindowTotalsStoreTest, ForgettingAChangeDropsItsLocalDays) {
  write_days("S1", 100, 110);
  write_days("S2", 100, 110);
  // 00:00 to 23:59 of local day 105 in Shanghai (16:00 to 15:59 UTC).
  const Zone shanghai;
  const std::int64_t start = 105 * kDay - 8 * 3600;
  store_.forget("S1", start, start + kDay - 1, shanghai);
  EXPECT_EQ(rows("S1"), 10);
  EXPECT_EQ(rows("S2"), 11);
  std::vector<KeyTotals> sums;
  EXPECT_TRUE(sum(100, 104, sums));
  EXPECT_FALSE(sum(100, 105, sums));
  EXPECT_TRUE(sum(106, 110, sums));
  // The same instants in UTC touch days 104 and 105.
  store_.forget("S1", start, start + kDay - 1, Zone{"UTC", 0});
  EXPECT_EQ(rows("S1"), 9);
  EXPECT_FALSE(sum(104, 104, sums));
}

TEST_F(WindowTotalsStoreTest, PruningDropsOtherBasesAndEarlierDaysOfThatSchoolOnly) {
  write_days("S1", 100, 110);
  write_days("S1", 111, 112, "B0");  // computed under an older pack, say
  write_days("S2", 100, 112, "B0");
  store_.prune("S1", "B1", 105);
  EXPECT_EQ(rows("S1"), 6);
  EXPECT_EQ(rows("S2"), 13);
  std::vector<KeyTotals> sums;
  EXPECT_TRUE(sum(105, 110, sums));
  EXPECT_FALSE(sum(104, 104, sums));
  EXPECT_FALSE(sum(111, 111, sums, "B0"));
  // Pruning again under the same cut changes nothing.
  store_.prune("S1", "B1", 105);
  EXPECT_EQ(rows("S1"), 6);
  // A cut past every day leaves none of the school's rows.
  store_.prune("S1", "B1", std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(rows("S1"), 0);
  EXPECT_EQ(rows("S2"), 13);
}

}  // namespace
}  // namespace sfmon::window_totals_store_test
