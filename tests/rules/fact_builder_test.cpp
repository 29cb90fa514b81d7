#include "sfmon/rules/fact_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sfmon::rules::fact_builder_test {
namespace {

const Zone kShanghai{};
constexpr const char* kSupervised = "43050180123400000101";
constexpr const char* kBasic = "43050180123400000102";

std::int64_t day(const char* text) {
  return parse_iso_date(text)->days_since_epoch();
}
Instant at(const char* text) {
  return *parse_iso_instant(text, kShanghai);
}

School make_school() {
  School school;
  school.id = "CS-0001";
  school.name = "长沙市某某实验学校";
  school.kind = SchoolKind::Primary;
  school.accounts = {{kSupervised, "建设银行", AccountRole::Supervised},
                     {"4305 0180 1234 0000 0102", "建设银行", AccountRole::Basic}};
  school.related_parties = {{"湖南某某教育投资有限公司", "", "sponsor"},
                            {"Zhang San", "6222020000000001", "director"}};
  school.fee_catalogue = {{"tuition", "all", 1500000, FeePer::Semester},
                          {"tuition", "grade-1", 1200000, FeePer::Semester},
                          {"care", "all", 110000, FeePer::Month},
                          {"training", "all", 18000, FeePer::Hour}};
  return school;
}

BankRecord bank(const char* ref, const char* booked_at, Fen amount,
                const char* name = "某某建设有限公司",
                const char* counterparty_account = "6200000000000001",
                const char* account = kSupervised) {
  BankRecord record;
  record.account = account;
  record.bank_ref = ref;
  record.booked_at = at(booked_at);
  record.amount_fen = amount;
  record.currency = "CNY";
  record.counterparty.name = name;
  record.counterparty.account = counterparty_account;
  return record;
}

FeeRecord fee(const char* id, const char* paid_at, Fen amount, const char* fee_type = "tuition") {
  FeeRecord record;
  record.fee_id = id;
  record.school_id = "CS-0001";
  record.student_id = "S1";
  record.paid_at = at(paid_at);
  record.amount_fen = amount;
  record.fee_type = fee_type;
  record.grade = "grade-3";
  record.receiving_account = kSupervised;
  return record;
}

class FactBuilderTest : public ::testing::Test {
 protected:
  SchoolFacts build() { return build_school_facts(school_, inputs_, listed_, kShanghai); }
  const Fact& only(const SchoolFacts& facts, const std::string& id) {
    const auto it = std::find_if(facts.facts.begin(), facts.facts.end(),
                                 [&](const Fact& fact) { return fact.id == id; });
    EXPECT_NE(it, facts.facts.end()) << id;
    return *it;
  }

  School school_ = make_school();
  FactInputs inputs_;
  std::vector<ListedParty> listed_;
};

// ---- bank records --------------------------------------------------------------

TEST_F(FactBuilderTest, PaymentToAnOutsidePartyIsADebit) {
  inputs_.bank = {bank("T1", "2024-10-08T10:00:00", -500000)};
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "T1");
  EXPECT_TRUE(fact.debit);
  EXPECT_FALSE(fact.credit);
  EXPECT_FALSE(fact.own_transfer);
  EXPECT_EQ(fact.kind, FactKind::Bank);
  EXPECT_EQ(fact.amount, -500000);
  EXPECT_EQ(fact.day, day("2024-10-08"));
  EXPECT_EQ(fact.account_role, AccountRole::Supervised);
}

TEST_F(FactBuilderTest, MoneyFromAnOutsidePartyIsACredit) {
  inputs_.bank = {bank("T1", "2024-10-08", 500000)};
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "T1");
  EXPECT_TRUE(fact.credit);
  EXPECT_FALSE(fact.debit);
}

TEST_F(FactBuilderTest, TransferBetweenOwnAccountsIsNeitherDebitNorCredit) {
  // The registry writes the basic account with spaces; the statement without.
  inputs_.bank = {bank("T1", "2024-09-20", -300000000, "本校", kBasic),
                  bank("T2", "2024-09-20", 300000000, "本校", kSupervised, kBasic)};
  const SchoolFacts facts = build();
  for (const char* id : {"T1", "T2"}) {
    const Fact& fact = only(facts, id);
    EXPECT_TRUE(fact.own_transfer) << id;
    EXPECT_FALSE(fact.debit) << id;
    EXPECT_FALSE(fact.credit) << id;
  }
  EXPECT_EQ(only(facts, "T2").account, "4305 0180 1234 0000 0102");  // the registry's spelling
  EXPECT_EQ(only(facts, "T2").account_role, AccountRole::Basic);
}

TEST_F(FactBuilderTest, PendingEntriesAreNoFacts) {
  inputs_.bank = {bank("T1", "2024-11-27", -260000000)};
  inputs_.bank[0].status = EntryStatus::Pending;
  EXPECT_TRUE(build().facts.empty());
}

TEST_F(FactBuilderTest, CounterpartyKeyIsTheNormalisedAccountElseTheNormalisedName) {
  inputs_.bank = {bank("T1", "2024-10-08", -100, "ACME Ltd", "6200-0000 01"),
                  bank("T2", "2024-10-08", -100, "  ＡＣＭＥ   Ltd ", "")};
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "T1").counterparty_key, "6200000001");
  EXPECT_EQ(only(facts, "T2").counterparty_key, "acme ltd");
  EXPECT_EQ(only(facts, "T2").counterparty_name, "  ＡＣＭＥ   Ltd ");  // as the source gave it
}

// ---- reversals -------------------------------------------------------------------

TEST_F(FactBuilderTest, ReversalNamingItsOriginalCancelsBoth) {
  inputs_.bank = {bank("T1", "2024-10-23T10:00:00", -8000000, "刘建国"),
                  bank("R1", "2024-10-23T15:00:00", 8000000, "刘建国")};
  inputs_.bank[1].reversal = true;
  inputs_.bank[1].reversal_of = "T1";
  const SchoolFacts facts = build();
  EXPECT_FALSE(only(facts, "T1").debit);
  EXPECT_FALSE(only(facts, "R1").credit);
}

TEST_F(FactBuilderTest, ReversalOfADebitIsFoundBySignAmountAndCounterparty) {
  // The reversal arrives first in the input, and both are booked date-only
  // on the same day: "earlier" includes the same instant.
  inputs_.bank = {bank("R1", "2024-10-23", 8000000, "刘建国"),
                  bank("T0", "2024-10-22", -8000000, "刘建国"),
                  bank("T1", "2024-10-23", -8000000, "刘建国")};
  inputs_.bank[0].reversal = true;
  const SchoolFacts facts = build();
  EXPECT_FALSE(only(facts, "T1").debit) << "the latest earlier entry is reversed";
  EXPECT_TRUE(only(facts, "T0").debit) << "an older entry stays";
  EXPECT_FALSE(only(facts, "R1").credit);
}

TEST_F(FactBuilderTest, ReversalOfACreditIsFoundTheOtherWayRound) {
  inputs_.bank = {bank("C1", "2024-10-01T09:00:00", 300000, "Parent", ""),
                  bank("R1", "2024-10-02T09:00:00", -300000, "PARENT", "")};
  inputs_.bank[1].reversal = true;
  const SchoolFacts facts = build();
  EXPECT_FALSE(only(facts, "C1").credit);
  EXPECT_FALSE(only(facts, "R1").debit);
}

TEST_F(FactBuilderTest, ReversalNamingAnUnknownReferenceFallsBackToTheCatalogueRule) {
  // camt may carry the original's EndToEndId rather than its bank reference.
  inputs_.bank = {bank("T1", "2024-10-23T10:00:00", -8000000, "刘建国"),
                  bank("R1", "2024-10-23T15:00:00", 8000000, "刘建国")};
  inputs_.bank[1].reversal = true;
  inputs_.bank[1].reversal_of = "E2E-0001";
  EXPECT_FALSE(only(build(), "T1").debit);
}

TEST_F(FactBuilderTest, ReversalDoesNotCancelAnEntryOfAnotherCounterpartyOrLaterTime) {
  inputs_.bank = {bank("T1", "2024-10-23T10:00:00", -8000000, "刘建国", "6200000000000001"),
                  bank("R1", "2024-10-23T15:00:00", 8000000, "刘建国", "6200000000000002"),
                  bank("T2", "2024-10-23T16:00:00", -8000000, "刘建国", "6200000000000002")};
  inputs_.bank[1].reversal = true;
  const SchoolFacts facts = build();
  EXPECT_TRUE(only(facts, "T1").debit);
  EXPECT_TRUE(only(facts, "T2").debit);
  EXPECT_FALSE(only(facts, "R1").credit) << "a reversal never counts as money moved";
}

TEST_F(FactBuilderTest, EachEntryIsReversedOnlyOnce) {
  inputs_.bank = {bank("T1", "2024-10-20", -100000), bank("T2", "2024-10-21", -100000),
                  bank("R1", "2024-10-22", 100000), bank("R2", "2024-10-23", 100000)};
  inputs_.bank[2].reversal = true;
  inputs_.bank[3].reversal = true;
  const SchoolFacts facts = build();
  EXPECT_FALSE(only(facts, "T1").debit);
  EXPECT_FALSE(only(facts, "T2").debit);
}

// ---- related and listed parties ----------------------------------------------------

TEST_F(FactBuilderTest, RelatedPartyMatchesByNameAcrossFullWidthCaseAndSpaces) {
  inputs_.bank = {bank("T1", "2024-10-16", -3600000, " ＺＨＡＮＧ　san ", "6200000000000009"),
                  bank("T2", "2024-10-16", -3600000, "湖南某某教育投资有限公司", "")};
  const SchoolFacts facts = build();
  EXPECT_TRUE(only(facts, "T1").counterparty_related);
  EXPECT_EQ(only(facts, "T1").counterparty_relation, "director");
  EXPECT_TRUE(only(facts, "T2").counterparty_related);
  EXPECT_EQ(only(facts, "T2").counterparty_relation, "sponsor");
}

TEST_F(FactBuilderTest, RelatedPartyMatchesByAccount) {
  inputs_.bank = {bank("T1", "2024-10-16", -3600000, "某人", "6222 0200 0000 0001")};
  EXPECT_EQ(only(build(), "T1").counterparty_relation, "director");
}

TEST_F(FactBuilderTest, UnrelatedPartyIsNotRelated) {
  inputs_.bank = {bank("T1", "2024-10-16", -3600000, "Zhang Si", "6200000000000009")};
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "T1");
  EXPECT_FALSE(fact.counterparty_related);
  EXPECT_EQ(fact.counterparty_relation, "");
}

TEST_F(FactBuilderTest, ListedCounterpartyMatchesByNameOrAccount) {
  listed_ = {{"长沙鑫源商贸(集团)有限公司", "", "shell company"},
             {"", "6230580000012345678", "blacklisted elsewhere"}};
  inputs_.bank = {bank("T1", "2024-10-17", -6800000, "长沙鑫源商贸（集团）有限公司", ""),
                  bank("T2", "2024-10-28", 3000000, "某某", "6230580000012345678"),
                  bank("T3", "2024-10-24", -4500000, "长沙鑫源商贸服务有限公司", "")};
  const SchoolFacts facts = build();
  EXPECT_TRUE(only(facts, "T1").counterparty_listed);
  EXPECT_EQ(only(facts, "T1").counterparty_list_reason, "shell company");
  EXPECT_EQ(only(facts, "T2").counterparty_list_reason, "blacklisted elsewhere");
  EXPECT_FALSE(only(facts, "T3").counterparty_listed);
}

// ---- fees ----------------------------------------------------------------------------

TEST_F(FactBuilderTest, FeeOfTheExactGradeUsesThatGradesCatalogueEntry) {
  inputs_.fees = {fee("F1", "2024-09-02", 1300000), fee("F2", "2024-09-02", 1300000)};
  inputs_.fees[1].grade = "grade-1";
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "F1").cap, 1500000);
  EXPECT_EQ(only(facts, "F2").cap, 1200000);
  EXPECT_EQ(only(facts, "F2").per, FeePer::Semester);
  EXPECT_TRUE(only(facts, "F2").catalogued);
}

TEST_F(FactBuilderTest, FeeTypeOutsideTheCatalogueIsNotCatalogued) {
  inputs_.fees = {fee("F1", "2024-09-02", 68000, "materials")};
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "F1");
  EXPECT_FALSE(fact.catalogued);
  EXPECT_FALSE(fact.cap.has_value());
  EXPECT_FALSE(fact.normalised_amount.has_value());
}

TEST_F(FactBuilderTest, MonthlyFeeIsNormalisedOverTheMonthsCovered) {
  inputs_.fees = {fee("F1", "2024-09-02", 360000, "care")};
  inputs_.fees[0].period_start = parse_iso_date("2024-09-01");
  inputs_.fees[0].period_end = parse_iso_date("2024-11-30");
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "F1");
  EXPECT_EQ(fact.months, 3.0);
  EXPECT_EQ(fact.normalised_amount, 120000);
  EXPECT_EQ(fact.period_start, day("2024-09-01"));
  EXPECT_EQ(fact.period_end, day("2024-11-30"));
}

TEST_F(FactBuilderTest, HourlyFeeIsNormalisedOverTheHours) {
  inputs_.fees = {fee("F1", "2024-10-08", 800000, "training"),
                  fee("F2", "2024-10-08", 800000, "training")};
  inputs_.fees[0].hours = 40;
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "F1").normalised_amount, 20000);
  EXPECT_FALSE(only(facts, "F2").normalised_amount.has_value()) << "no hours, nothing to divide";
}

TEST_F(FactBuilderTest, SemesterFeeIsNormalisedOverTheTermsItOverlaps) {
  inputs_.fees = {fee("F1", "2024-09-02", 3000000)};
  inputs_.fees[0].period_start = parse_iso_date("2024-09-01");
  inputs_.fees[0].period_end = parse_iso_date("2025-07-31");
  EXPECT_EQ(only(build(), "F1").normalised_amount, 1500000);
}

TEST_F(FactBuilderTest, TermEndIsThatOfTheTermOfPayment) {
  inputs_.fees = {fee("F1", "2024-11-25", 1500000), fee("F2", "2024-08-15", 1500000),
                  fee("F3", "2025-03-01", 1500000)};
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "F1").term_end, day("2025-01-31"));
  EXPECT_EQ(only(facts, "F2").term_end, day("2025-01-31")) << "between terms: the next one";
  EXPECT_EQ(only(facts, "F3").term_end, day("2025-07-31"));
}

TEST_F(FactBuilderTest, TermEndFollowsTheSchoolsOwnCalendar) {
  school_.academic_calendar = {
      {"2024-autumn", *parse_iso_date("2024-09-01"), *parse_iso_date("2025-01-17")}};
  inputs_.fees = {fee("F1", "2024-08-26", 120000)};
  EXPECT_EQ(only(build(), "F1").term_end, day("2025-01-17"));
}

TEST_F(FactBuilderTest, TermEndUsesTheLocalDayOfPayment) {
  // 2025-01-31T16:30Z is Feb 1 00:30 in Shanghai: the spring term.
  inputs_.fees = {fee("F1", "2025-01-31T16:30:00Z", 1500000)};
  const SchoolFacts facts = build();
  const Fact& fact = only(facts, "F1");
  EXPECT_EQ(fact.day, day("2025-02-01"));
  EXPECT_EQ(fact.term_end, day("2025-07-31"));
}

TEST_F(FactBuilderTest, EnrolmentComesFromTheRecordElseFromTheStudentsOtherRecords) {
  inputs_.fees = {fee("F1", "2024-09-02", 1500000), fee("F2", "2024-11-30", 5000000, "donation"),
                  fee("F3", "2024-11-30", 5000000, "donation")};
  inputs_.fees[0].enrolled_at = parse_iso_date("2024-09-01");
  inputs_.fees[2].student_id = "S2";
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "F2").enrolled_at, day("2024-09-01"));
  EXPECT_FALSE(only(facts, "F3").enrolled_at.has_value()) << "another student";
}

TEST_F(FactBuilderTest, FeeIntoTheBasicAccountIsNotToSupervised) {
  inputs_.fees = {fee("F1", "2024-09-02", 400000), fee("F2", "2024-09-02", -80000)};
  inputs_.fees[0].receiving_account = kBasic;
  const SchoolFacts facts = build();
  EXPECT_FALSE(only(facts, "F1").to_supervised);
  EXPECT_FALSE(only(facts, "F1").refund);
  EXPECT_TRUE(only(facts, "F2").to_supervised);
  EXPECT_TRUE(only(facts, "F2").refund);
}

// ---- balances ----------------------------------------------------------------------------

TEST_F(FactBuilderTest, StatementClosingBalanceMakesABalanceFactAtTheDaysLastSecond) {
  inputs_.bank = {bank("T1", "2024-10-22T10:00:00", -70000000),
                  bank("T2", "2024-10-22T11:00:00", -100, "某某", "", kBasic)};
  inputs_.balances = {{kSupervised, *parse_iso_date("2024-10-22"), 290000000}};
  const SchoolFacts facts = build();
  const Fact& balance = only(facts, std::string(kSupervised) + ":2024-10-22");
  EXPECT_EQ(balance.kind, FactKind::Balance);
  EXPECT_EQ(balance.amount, 290000000);
  EXPECT_EQ(balance.account, kSupervised);
  EXPECT_EQ(balance.time, at("2024-10-22T23:59:59").utc_seconds);
  EXPECT_EQ(balance.day, day("2024-10-22"));
  EXPECT_EQ(balance.day_debits, (std::vector<EvidenceRef>{{"bank", "T1"}}))
      << "only the supervised account's debits";
  EXPECT_EQ(facts.supervised_closing.at(day("2024-10-22")), 290000000);
}

TEST_F(FactBuilderTest, LastBalanceAfterOfTheDayIsTheClosingBalance) {
  inputs_.bank = {bank("T2", "2024-10-22T15:00:00", -1000),
                  bank("T1", "2024-10-22T09:00:00", -1000),
                  bank("T3", "2024-10-23T09:00:00", -1000)};
  inputs_.bank[0].balance_after_fen = 8000;
  inputs_.bank[1].balance_after_fen = 9000;
  inputs_.bank[2].balance_after_fen = 7000;
  const SchoolFacts facts = build();
  EXPECT_EQ(facts.supervised_closing,
            (std::map<std::int64_t, Fen>{{day("2024-10-22"), 8000}, {day("2024-10-23"), 7000}}));
}

TEST_F(FactBuilderTest, BalancesOfRecordsBookedAtOneInstantChainToTheLastOne) {
  // Date-only bookings share one instant: the balances say which came last.
  inputs_.bank = {bank("T1", "2024-10-22", -1000), bank("T2", "2024-10-22", -2000),
                  bank("T3", "2024-10-22", 500)};
  inputs_.bank[0].balance_after_fen = 7500;  // 10000 + 500 - 1000 - 2000 = 7500 ends the day
  inputs_.bank[1].balance_after_fen = 8500;
  inputs_.bank[2].balance_after_fen = 10500;
  EXPECT_EQ(build().supervised_closing.at(day("2024-10-22")), 7500);
}

TEST_F(FactBuilderTest, StatementClosingBalanceWinsOverBalanceAfter) {
  inputs_.bank = {bank("T1", "2024-10-22T15:00:00", -1000)};
  inputs_.bank[0].balance_after_fen = 8000;
  inputs_.balances = {{kSupervised, *parse_iso_date("2024-10-22"), 8100}};
  EXPECT_EQ(build().supervised_closing.at(day("2024-10-22")), 8100);
}

TEST_F(FactBuilderTest, BalancesOfOtherAccountsMakeNoFacts) {
  inputs_.bank = {bank("T1", "2024-10-22T15:00:00", -1000, "某某", "", kBasic)};
  inputs_.bank[0].balance_after_fen = 8000;
  inputs_.balances = {{kBasic, *parse_iso_date("2024-10-21"), 9000}};
  const SchoolFacts facts = build();
  EXPECT_TRUE(facts.supervised_closing.empty());
  EXPECT_EQ(facts.facts.size(), 1u);
}

TEST_F(FactBuilderTest, FactsAreInTimeThenKindThenIdOrder) {
  inputs_.bank = {bank("B", "2024-10-22", -1000), bank("A", "2024-10-22", -1000),
                  bank("C", "2024-10-21", -1000)};
  inputs_.fees = {fee("F1", "2024-10-22", 1000)};
  inputs_.balances = {{kSupervised, *parse_iso_date("2024-10-21"), 5000}};
  const SchoolFacts facts = build();
  std::vector<std::string> ids;
  for (const Fact& fact : facts.facts) ids.push_back(fact.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"C", std::string(kSupervised) + ":2024-10-21", "A", "B",
                                           "F1"}));
  EXPECT_EQ(facts.school, &school_);
}

TEST_F(FactBuilderTest, FactDayIsTheLocalDayOnBothSidesOfMidnightAndOfTheEpoch) {
  inputs_.bank = {
      bank("B1", "1969-12-31T00:00:00", -1000), bank("B2", "1969-12-31T23:59:59", -1000),
      bank("B3", "1970-01-01T00:00:00", -1000), bank("B4", "1970-01-01T07:59:59", -1000),
      bank("B5", "2024-10-08T23:59:59", -1000), bank("B6", "2024-10-09T00:00:00", -1000)};
  const SchoolFacts facts = build();
  EXPECT_EQ(only(facts, "B1").day, day("1969-12-31"));
  EXPECT_EQ(only(facts, "B2").day, day("1969-12-31"));
  EXPECT_EQ(only(facts, "B3").day, day("1970-01-01"));
  EXPECT_EQ(only(facts, "B4").day, day("1970-01-01"));
  EXPECT_EQ(only(facts, "B5").day, day("2024-10-08"));
  EXPECT_EQ(only(facts, "B6").day, day("2024-10-09"));
}

// Building into facts of an earlier school reuses them: every field must be
// that of a fresh build. The earlier school's facts set every field (related
// and listed debits, a catalogued fee with periods, a balance with its day's
// debits) at the places where the next school has facts of another kind.
TEST_F(FactBuilderTest, FactsBuiltIntoThoseOfAnotherSchoolAreThoseOfAFreshBuild) {
  listed_ = {{"黑名单某某公司", "", "fraud"}};
  FactInputs rich;
  rich.bank = {bank("A1", "2024-10-21T10:00", -5000, "湖南某某教育投资有限公司", ""),
               bank("A2", "2024-10-21T11:00", -7000, "黑名单某某公司", "")};
  FeeRecord care = fee("F-A", "2024-10-21T12:00", 110000, "care");
  care.period_start = *parse_iso_date("2024-10-01");
  care.period_end = *parse_iso_date("2024-12-31");
  care.hours = 12.5;
  care.enrolled_at = *parse_iso_date("2024-09-01");
  rich.fees = {care};
  rich.balances = {{kSupervised, *parse_iso_date("2024-10-21"), 5000}};
  FactInputs bare;
  bare.fees = {fee("F-B", "2024-10-01T09:00", 1000, "unknown-type")};
  bare.bank = {bank("B1", "2024-10-01T10:00", 3000, "某某个人", "")};

  SchoolFacts reused;
  build_school_facts(school_, rich, listed_, kShanghai, reused);
  ASSERT_EQ(reused.facts.size(), 4u);
  EXPECT_TRUE(reused.facts[0].counterparty_related);
  EXPECT_TRUE(reused.facts[1].counterparty_listed);
  EXPECT_EQ(reused.facts[3].day_debits.size(), 2u);
  build_school_facts(school_, bare, listed_, kShanghai, reused);
  const SchoolFacts fresh_bare = build_school_facts(school_, bare, listed_, kShanghai);
  ASSERT_EQ(fresh_bare.facts.size(), 2u);
  EXPECT_EQ(fresh_bare.facts[0].kind, FactKind::Fee);
  EXPECT_TRUE(reused.facts == fresh_bare.facts);
  EXPECT_EQ(reused.supervised_closing, fresh_bare.supervised_closing);

  // And back: more facts than the school before.
  build_school_facts(school_, rich, listed_, kShanghai, reused);
  const SchoolFacts fresh_rich = build_school_facts(school_, rich, listed_, kShanghai);
  EXPECT_TRUE(reused.facts == fresh_rich.facts);
  EXPECT_EQ(reused.supervised_closing, fresh_rich.supervised_closing);
}

}  // namespace
}  // namespace sfmon::rules::fact_builder_test
