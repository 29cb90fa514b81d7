// AlertStore::replace_firings with a span per rule: only the named rules,
// only within their spans, are replaced; everything else stays.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon::alert_store_rule_span_test {
namespace {

constexpr std::int64_t kT = 1'728'522'000;
constexpr std::int64_t kDay = 86400;

rules::Firing firing(const std::string& rule, std::int64_t time, const std::string& key = "k") {
  rules::Firing result;
  result.rule_id = rule;
  result.school_id = "CS-0001";
  result.dedup_key = key;
  result.time = time;
  // Built piecewise: GCC 12 -O3 warns falsely (-Wrestrict) on "T" + s.
  result.message = rule;
  result.message += " at ";
  result.message += std::to_string(time);
  std::string reference = "T";
  reference += std::to_string(time);
  result.evidence = {{"bank", reference}};
  return result;
}

class AlertStoreRuleSpanTest : public ::testing::Test {
 protected:
  AlertStoreRuleSpanTest() { migrate(db_); }

  std::vector<std::string> stored() {
    std::vector<std::string> rows;
    Statement query = db_.prepare_uncached(
        "SELECT rule_id || '@' || (event_time - ?1) FROM firings ORDER BY rule_id, event_time");
    query.bind_int64(1, kT);
    while (query.step()) rows.push_back(query.column_text(0));
    return rows;
  }
  std::int64_t live_alerts(const std::string& rule) {
    Statement query =
        db_.prepare_uncached("SELECT count(*) FROM alerts WHERE withdrawn = 0 AND rule_id = ?1");
    query.bind_text(1, rule);
    query.step();
    return query.column_int64(0);
  }

  SqliteDb db_{":memory:"};
  AlertStore store_{db_, [] { return kT + 100 * kDay; }};
};

TEST_F(AlertStoreRuleSpanTest, ReplacesOnlyTheNamedRulesWithinTheirSpans) {
  store_.replace_firings("CS-0001", kT - 10 * kDay, kT + 10 * kDay,
                         {firing("A", kT), firing("A", kT + 5 * kDay), firing("B", kT)});
  ASSERT_EQ(stored(), (std::vector<std::string>{"A@0", "A@432000", "B@0"}));

  // A is judged over [kT + 1 day, kT + 9 days] and no longer fires there; B
  // is not judged at all, and A's firing before its span stays.
  const MergeSummary summary =
      store_.replace_firings("CS-0001", {RuleSpan{"A", kT + kDay, kT + 9 * kDay}}, {});
  EXPECT_EQ(summary.withdrawn_firings, 1);
  EXPECT_EQ(stored(), (std::vector<std::string>{"A@0", "B@0"}));
  EXPECT_EQ(live_alerts("A"), 1);
  EXPECT_EQ(live_alerts("B"), 1);
}

TEST_F(AlertStoreRuleSpanTest, FiringsOutsideTheirRulesSpanAreIgnored) {
  const MergeSummary summary = store_.replace_firings(
      "CS-0001", {RuleSpan{"A", kT, kT + kDay}, RuleSpan{"B", kT + 2 * kDay, kT + 3 * kDay}},
      {firing("A", kT), firing("A", kT + 2 * kDay), firing("B", kT), firing("B", kT + 2 * kDay),
       firing("C", kT)});
  EXPECT_EQ(summary.new_firings, 2);
  EXPECT_EQ(stored(), (std::vector<std::string>{"A@0", "B@172800"}));
}

TEST_F(AlertStoreRuleSpanTest, ReplacingWithTheSameFiringsChangesNothing) {
  const std::vector<RuleSpan> spans{RuleSpan{"A", kT - kDay, kT + kDay}};
  store_.replace_firings("CS-0001", spans, {firing("A", kT)});
  const MergeSummary again = store_.replace_firings("CS-0001", spans, {firing("A", kT)});
  EXPECT_EQ(again.new_firings, 0);
  EXPECT_EQ(again.withdrawn_firings, 0);
  EXPECT_EQ(again.new_alerts, 0);
  EXPECT_EQ(again.updated_alerts, 0);
}

TEST_F(AlertStoreRuleSpanTest, NoSpansTouchNothing) {
  store_.replace_firings("CS-0001", kT, kT, {firing("A", kT)});
  EXPECT_EQ(store_.replace_firings("CS-0001", std::vector<RuleSpan>{}, {}).withdrawn_firings, 0);
  EXPECT_EQ(stored(), (std::vector<std::string>{"A@0"}));
}

}  // namespace
}  // namespace sfmon::alert_store_rule_span_test
