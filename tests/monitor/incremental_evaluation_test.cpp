// Incremental evaluation (RuleRunner::run_pending with per-rule spans) must
// leave exactly the firings a full evaluation of every stored record gives,
// whatever order the files arrive in and however often the runner runs in
// between. The scenario plants a case of most default-pack rules, including
// the ones whose inputs are not local in time: a capital round trip over
// months, a baseline over 90 days, closing balances derived from entries, a
// reversal days after its entry and an enrolment date given by another record.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "../../monitor/src/change_evaluator.h"
#include "../../monitor/src/window_totals_store.h"
#include "sfmon/monitor/alert_store.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/evaluator.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon::incremental_evaluation_test {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr const char* kSupervised = "43050180123400000001";
constexpr const char* kBasic = "43050180123400000002";
constexpr const char* kRelatedAccount = "6222000011112222";
constexpr const char* kListedAccount = "6222999900001111";
constexpr const char* kSupplierAccount = "4300111122223333";
constexpr const char* kSchool = "CS-0001";
constexpr int kDays = 200;

const Zone kZone{};

Date day_date(int day) {
  return Date::from_days_since_epoch(parse_iso_date("2024-09-02")->days_since_epoch() + day);
}

Instant at(int day, int hour, int minute = 0) {
  return Instant{instant_from_date(day_date(day), kZone).utc_seconds + hour * 3600 + minute * 60,
                 kZone.offset_minutes, false};
}

Registry make_registry() {
  School school;
  school.id = kSchool;
  school.name = "长沙市某某实验学校";
  school.kind = SchoolKind::High;  // not compulsory: FUND-RELATED judges the amount
  school.district = "岳麓区";
  school.enrollment = 800;
  school.min_balance_fen = 100'000'000;
  school.accounts = {{kSupervised, "BANK", AccountRole::Supervised},
                     {kBasic, "BANK", AccountRole::Basic}};
  school.related_parties = {{"王建国", kRelatedAccount, "举办者"}};
  FeeCatalogueEntry tuition;
  tuition.fee_type = "tuition";
  tuition.cap_fen = 3'000'000;
  tuition.per = FeePer::Semester;
  school.fee_catalogue = {tuition};
  Registry registry;
  registry.schools.push_back(school);
  registry.build_index();
  return registry;
}

const std::vector<rules::ListedParty>& listed() {
  static const std::vector<rules::ListedParty> parties{
      {"黑名单公司", kListedAccount, "失信被执行人"}};
  return parties;
}

// One delivery: a bank file of one account or a batch of fee records.
using Batch = std::variant<BankFile, std::vector<FeeRecord>>;

struct Scenario {
  std::vector<BankRecord> bank;  // every record, for the reference evaluation
  std::vector<FeeRecord> fees;
  std::vector<rules::StoredBalance> closings;
  std::vector<Batch> batches;
};

class ScenarioBuilder {
 public:
  // Without the reversal, no delivery falls back to judging the whole
  // history, so every change is judged over its rules' spans alone.
  explicit ScenarioBuilder(bool with_reversal) : with_reversal_(with_reversal) {}

  Scenario build() {
    for (int day = 0; day < kDays; ++day) ordinary_day(day);
    planted();
    batch_up();
    return std::move(scenario_);
  }

 private:
  BankRecord& entry(const std::string& account, Instant when, Fen amount, const std::string& name,
                    const std::string& cp_account, CounterpartyClass cls,
                    const std::string& purpose) {
    BankRecord& record = scenario_.bank.emplace_back();
    record.account = account;
    record.bank_ref = "R" + std::to_string(++refs_);
    record.booked_at = when;
    record.amount_fen = amount;
    record.currency = "CNY";
    record.counterparty.name = name;
    record.counterparty.account = cp_account;
    record.counterparty.cls = cls;
    record.purpose = purpose;
    record.source = {"test", record.bank_ref};
    return record;
  }

  FeeRecord& fee(int day, int hour, Fen amount, const std::string& student,
                 const std::string& type = "tuition") {
    FeeRecord& record = scenario_.fees.emplace_back();
    record.fee_id = "F" + std::to_string(++refs_);
    record.school_id = kSchool;
    record.student_id = student;
    record.paid_at = at(day, hour);
    record.amount_fen = amount;
    record.fee_type = type;
    record.grade = "all";
    record.period_start = parse_iso_date("2024-09-01");
    record.period_end = parse_iso_date("2025-01-19");
    record.receiving_account = kSupervised;
    record.source = {"test", record.fee_id};
    return record;
  }

  // A fee paid with its bank credit into the supervised account.
  void paid_fee(int day, int hour, Fen amount, const std::string& student) {
    FeeRecord& record = fee(day, hour, amount, student);
    if (student.back() % 3 == 0) record.enrolled_at = parse_iso_date("2024-09-01");
    entry(kSupervised, at(day, hour), amount, "家长" + student, "6217" + student.substr(2),
          CounterpartyClass::Person, "学费");
  }

  // Days 170 to 185 leave the supervised account alone, so its closing
  // balance of day 169 stands until day 186.
  static bool supervised_quiet(int day) { return day >= 170 && day <= 185; }

  void ordinary_day(int day) {
    for (int k = 0; k < 2 && !supervised_quiet(day); ++k) {
      paid_fee(day, 9 + k, 300'000 + static_cast<Fen>(random_() % 500'000),
               "S-" + std::to_string(1000 + (day * 2 + k) % 60));
    }
    // Nothing leaves the school on days 166 to 175 either: the file with
    // the closing balance of day 169 holds nothing FUND-DRAIN judges, yet
    // changes its judgement of day 190.
    const int debits = day >= 166 && day <= 175 ? 0 : 1 + static_cast<int>(random_() % 2);
    for (int k = 0; k < debits; ++k) {
      entry(kBasic, at(day, 14 + k), -(500'000 + static_cast<Fen>(random_() % 2'500'000)),
            "长沙某某食品有限公司", kSupplierAccount, CounterpartyClass::Organisation, "食材款");
    }
    if (day % 7 == 0 && !supervised_quiet(day)) {  // own transfer: neither debit nor credit
      entry(kSupervised, at(day, 16), -2'000'000, "本校", kBasic, CounterpartyClass::Organisation,
            "划转");
      entry(kBasic, at(day, 16), 2'000'000, "本校", kSupervised, CounterpartyClass::Organisation,
            "划转");
    }
  }

  void planted() {
    const auto basic_debit = [&](int day, int hour, Fen amount, const std::string& name,
                                 const std::string& account, CounterpartyClass cls,
                                 const std::string& purpose) -> BankRecord& {
      return entry(kBasic, at(day, hour), -amount, name, account, cls, purpose);
    };
    const auto org = CounterpartyClass::Organisation;
    basic_debit(20, 11, 250'000'000, "长沙某某食品有限公司", kSupplierAccount, org, "设备款");
    basic_debit(25, 11, 6'000'000, "", "", CounterpartyClass::Unknown, "ATM取现");
    basic_debit(30, 11, 8'000'000, "李四", "6217000000004444", CounterpartyClass::Person, "劳务费");
    basic_debit(35, 11, 15'000'000, "王建国", kRelatedAccount, CounterpartyClass::Person,
                "借款归还");
    entry(kBasic, at(40, 11), 100'000'000, "王建国", kRelatedAccount, CounterpartyClass::Person,
          "举办者出资");
    basic_debit(60, 11, 30'000'000, "王建国", kRelatedAccount, CounterpartyClass::Person, "往来款");
    basic_debit(90, 11, 30'000'000, "王建国", kRelatedAccount, CounterpartyClass::Person, "往来款");
    for (int k = 0; k < 4; ++k) {
      basic_debit(50, 10 + k, 40'000'000, "长沙某某建筑有限公司", "4300555566667777", org,
                  "工程款");
    }
    entry(kSupervised, at(70, 10), 300'000'000, "某某基金会", "4300888800008888", org, "捐资");
    entry(kSupervised, at(71, 10), -260'000'000, "长沙某某建筑有限公司", "4300555566667777", org,
          "工程款");
    basic_debit(100, 11, 1'000'000, "黑名单公司", kListedAccount, org, "咨询费");
    // A payment to a person, reversed twenty days later (in another file).
    if (with_reversal_) reversal();
    // The donor's enrolment is given only by an earlier record of theirs.
    fee(5, 8, 400'000, "S-DONOR").enrolled_at = day_date(110);
    fee(112, 8, 5'000'000, "S-DONOR", "donation");
    entry(kSupervised, at(112, 8), 5'000'000, "家长S-DONOR", "6217DONOR", CounterpartyClass::Person,
          "捐赠");
    paid_fee(130, 15, 5'000'000, "S-2001");  // over the semester cap
    fee(140, 15, 2'000'000, "S-2002");       // no bank credit: unreconciled
    entry(kSupervised, at(150, 11), -600'000'000, "长沙某某建筑有限公司", "4300555566667777", org,
          "工程款");  // below the minimum balance
    // Drains against the closing balance of day 169, the latest before day 182.
    basic_debit(190, 11, 40'000'000, "长沙某某食品有限公司", kSupplierAccount, org, "设备款");
  }

  void reversal() {
    const std::string reversed = entry(kBasic, at(80, 11), -7'000'000, "赵六", "6217000000006666",
                                       CounterpartyClass::Person, "劳务费")
                                     .bank_ref;
    BankRecord& reversal = entry(kBasic, at(100, 9), 7'000'000, "赵六", "6217000000006666",
                                 CounterpartyClass::Person, "冲正");
    reversal.reversal = true;
    reversal.reversal_of = reversed;
  }

  // Running balances of the supervised account, then files of six days per
  // account (every other supervised file with a closing balance) and fee
  // batches of nine days.
  void batch_up() {
    std::vector<BankRecord*> supervised;
    for (BankRecord& record : scenario_.bank) {
      if (record.account == kSupervised) supervised.push_back(&record);
    }
    std::stable_sort(supervised.begin(), supervised.end(), [](const auto* a, const auto* b) {
      return std::tie(a->booked_at.utc_seconds, a->bank_ref) <
             std::tie(b->booked_at.utc_seconds, b->bank_ref);
    });
    Fen balance = 500'000'000;
    for (BankRecord* record : supervised) {
      balance += record->amount_fen;
      record->balance_after_fen = balance;
    }
    const auto chunk_of = [](const Instant& when) {
      return static_cast<int>(
          (when.local_date(kZone).days_since_epoch() - day_date(0).days_since_epoch()) / 6);
    };
    for (const char* account : {kSupervised, kBasic}) {
      for (int chunk = 0; chunk * 6 < kDays; ++chunk) {
        BankStatement statement;
        statement.statement_id = std::string(account) + "-" + std::to_string(chunk);
        statement.account = account;
        statement.currency = "CNY";
        for (const BankRecord& record : scenario_.bank) {
          if (record.account == account && chunk_of(record.booked_at) == chunk) {
            statement.records.push_back(record);
          }
        }
        if (statement.records.empty()) continue;
        std::stable_sort(statement.records.begin(), statement.records.end(),
                         [](const BankRecord& a, const BankRecord& b) {
                           return std::tie(a.booked_at.utc_seconds, a.bank_ref) <
                                  std::tie(b.booked_at.utc_seconds, b.bank_ref);
                         });
        const BankRecord& last = statement.records.back();
        if (account == std::string(kSupervised) && chunk % 2 == 0) {
          const Date date = last.booked_at.local_date(kZone);
          statement.closing = Balance{BalanceType::Closing, date, *last.balance_after_fen, "CNY"};
          scenario_.closings.push_back({account, date, *last.balance_after_fen});
        }
        BankFile file;
        file.format = BankFormat::Camt;
        file.format_detail = "camt.053.001.02";
        file.statements.push_back(std::move(statement));
        scenario_.batches.emplace_back(std::move(file));
      }
    }
    for (int chunk = 0; chunk * 9 < kDays; ++chunk) {
      std::vector<FeeRecord> batch;
      for (const FeeRecord& record : scenario_.fees) {
        const auto day =
            record.paid_at.local_date(kZone).days_since_epoch() - day_date(0).days_since_epoch();
        if (day / 9 == chunk) batch.push_back(record);
      }
      if (!batch.empty()) scenario_.batches.emplace_back(std::move(batch));
    }
  }

  bool with_reversal_;
  Scenario scenario_;
  std::mt19937 random_{20241002};
  int refs_ = 0;
};

const Scenario& scenario(bool with_reversal = true) {
  static const Scenario with = ScenarioBuilder(true).build();
  static const Scenario without = ScenarioBuilder(false).build();
  return with_reversal ? with : without;
}

using FiringRow = std::tuple<std::string, std::string, std::int64_t, std::string, std::string>;

// The facts of every record of the scenario (they borrow `registry`).
rules::SchoolFacts full_history_facts(const Registry& registry, const Scenario& data) {
  rules::FactInputs inputs;
  inputs.bank = data.bank;
  inputs.fees = data.fees;
  inputs.balances = data.closings;
  return rules::build_school_facts(registry.schools.front(), inputs, listed(), kZone);
}

// What a full evaluation of every record gives: (rule, dedup key, time,
// level, message).
std::set<FiringRow> reference_firings(const rules::CompiledPack& pack, const Registry& registry,
                                      const Scenario& data = scenario()) {
  const rules::SchoolFacts facts = full_history_facts(registry, data);
  std::set<FiringRow> rows;
  for (const rules::Firing& firing : rules::evaluate_school(pack, facts)) {
    rows.emplace(firing.rule_id, firing.dedup_key, firing.time, rules::to_string(firing.level),
                 firing.message);
  }
  return rows;
}

// Every daily total a store keeps equals the one the full history gives
// (window_totals_store.h): stale totals would make later seeded runs judge
// wrong. Returns how many were checked.
int expect_totals_of_full_history(SqliteDb& db, const rules::CompiledPack& pack,
                                  const Registry& registry, const Scenario& data) {
  const rules::SchoolFacts facts = full_history_facts(registry, data);
  std::map<std::string, const rules::CompiledRule*> rules_by_id;
  for (const rules::CompiledRule& rule : pack.rules) rules_by_id[rule.id] = &rule;
  int checked = 0;
  Statement rows =
      db.prepare_uncached("SELECT rule_id, day, totals FROM window_day_totals ORDER BY 1, 2");
  while (rows.step()) {
    const rules::CompiledRule& rule = *rules_by_id.at(rows.column_text(0));
    const std::int64_t day = rows.column_int64(1);
    rules::DayTotals stored;
    EXPECT_TRUE(decode_day(rows.column_blob_view(2), rule.aggregates.size(), stored));
    stored.day = day;
    std::vector<rules::DayTotals> expected;
    rules::day_totals(pack, rule, facts, day, day, expected);
    EXPECT_EQ(stored, expected.at(0)) << rule.id << " day " << day;
    ++checked;
  }
  return checked;
}

struct Store {
  SqliteDb db{":memory:"};
  Registry registry = make_registry();
  std::int64_t files = 0;
  std::int64_t days_from_totals = 0;  // over every run

  // `keep_totals`: the registry is synced with a fingerprint, as open_app
  // does, so that runs keep daily totals of windowed rules and use them.
  explicit Store(bool keep_totals = true) {
    migrate(db);
    RecordStore(db, [] { return std::int64_t{1'740'000'000}; })
        .sync_registry(
            registry, keep_totals ? std::optional<std::string>("scenario-registry") : std::nullopt);
  }

  // Stores one delivery and marks it for evaluation, as ingest does.
  void deliver(const Batch& batch) {
    RecordStore records(db, [] { return std::int64_t{1'740'000'000}; });
    const std::string name = "file-" + std::to_string(++files);
    EvaluationQueue queue(db);
    if (const auto* file = std::get_if<BankFile>(&batch)) {
      records.store_bank_file(*file, {"bank-inbox", name, name, "bank", ""});
      queue.mark(*file, registry, kZone);
    } else {
      const auto& fees = std::get<std::vector<FeeRecord>>(batch);
      records.store_fee_records(fees, {"fee-inbox", name, name, "fee", "csv"});
      queue.mark(fees, registry);
    }
  }

  RunSummary run(const rules::CompiledPack& pack) {
    RunSummary summary = RuleRunner(db, pack, registry, listed(), kZone).run_pending();
    days_from_totals += summary.days_from_totals;
    return summary;
  }

  std::set<FiringRow> firings() {
    std::set<FiringRow> rows;
    Statement query = db.prepare_uncached(
        "SELECT rule_id, dedup_key, event_time, level, message FROM firings "
        "WHERE result_set = 'live'");
    while (query.step()) {
      rows.emplace(query.column_text(0), query.column_text(1), query.column_int64(2),
                   query.column_text(3), query.column_text(4));
    }
    return rows;
  }

  // Everything stored about firings and live alerts, ids aside.
  std::vector<std::string> stored_state() {
    std::vector<std::string> rows;
    Statement firings = db.prepare_uncached(
        "SELECT rule_id || '|' || dedup_key || '|' || event_time || '|' || level || '|' || "
        "message || '|' || values_json || '|' || evidence_json FROM firings "
        "WHERE result_set = 'live' ORDER BY 1");
    while (firings.step()) rows.push_back(firings.column_text(0));
    Statement alerts = db.prepare_uncached(
        "SELECT rule_id || '|' || dedup_key || '|' || first_seen || '|' || last_seen || '|' || "
        "count || '|' || level || '|' || message FROM alerts "
        "WHERE result_set = 'live' AND withdrawn = 0 ORDER BY 1");
    while (alerts.step()) rows.push_back(alerts.column_text(0));
    return rows;
  }
};

// The parameter: whether the scenario holds the reversal (which makes the
// deliveries before it judge the whole history).
class IncrementalEvaluationTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    pack_ = rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {}).release();
  }
  static void TearDownTestSuite() {
    delete pack_;
    pack_ = nullptr;
  }

  const Scenario& data() const { return scenario(GetParam()); }
  std::set<FiringRow> reference(const Store& store) const {
    return reference_firings(*pack_, store.registry, data());
  }

  // Delivers the batches in `order`, running the pack after every `every`
  // deliveries (and at the end).
  void incremental(Store& store, const std::vector<std::size_t>& order, std::size_t every) const {
    std::size_t delivered = 0;
    for (std::size_t index : order) {
      store.deliver(data().batches[index]);
      if (++delivered % every == 0) store.run(*pack_);
    }
    store.run(*pack_);
  }

  std::vector<std::size_t> chronological() const {
    // Batches are per account, then fees; deliver them by their first day.
    const std::vector<Batch>& batches = data().batches;
    std::vector<std::size_t> order(batches.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto first_time = [](const Batch& batch) {
      if (const auto* file = std::get_if<BankFile>(&batch)) {
        return file->statements.front().records.front().booked_at.utc_seconds;
      }
      return std::get<std::vector<FeeRecord>>(batch).front().paid_at.utc_seconds;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return first_time(batches[a]) < first_time(batches[b]);
    });
    return order;
  }

  static rules::CompiledPack* pack_;
};

rules::CompiledPack* IncrementalEvaluationTest::pack_ = nullptr;

TEST_P(IncrementalEvaluationTest, ScenarioFiresTheRulesItPlants) {
  std::set<std::string> fired;
  std::set<std::pair<std::string, std::int64_t>> at_time;
  for (const FiringRow& row : reference_firings(*pack_, make_registry(), data())) {
    fired.insert(std::get<0>(row));
    at_time.emplace(std::get<0>(row), std::get<2>(row));
  }
  // The drain judged against a closing balance 13 days old, and the
  // reversed payment to a person that does not fire.
  EXPECT_EQ(at_time.count({"FUND-DRAIN", at(190, 11).utc_seconds}), 1u);
  EXPECT_EQ(at_time.count({"FUND-TO-PERSON", at(80, 11).utc_seconds}), 0u);
  for (const char* rule :
       {"FUND-LARGE", "FUND-CASH", "FUND-TO-PERSON", "FUND-RELATED", "FUND-ROUNDTRIP", "FUND-DRAIN",
        "FUND-SPLIT", "FUND-PASSTHRU", "FUND-MINBAL", "FUND-LISTED", "FUND-ANOMALY", "FEE-DONATION",
        "FEE-OVER-CAP", "FEE-UNRECONCILED"}) {
    EXPECT_EQ(fired.count(rule), 1u) << rule << " does not fire in the scenario";
  }
}

TEST_P(IncrementalEvaluationTest, OneRunOverEverythingEqualsTheFullEvaluation) {
  Store store;
  for (const Batch& batch : data().batches) store.deliver(batch);
  store.run(*pack_);
  EXPECT_EQ(store.firings(), reference(store));
}

TEST_P(IncrementalEvaluationTest, FileByFileInEventOrderEqualsTheFullEvaluation) {
  Store store;
  incremental(store, chronological(), 1);
  EXPECT_EQ(store.firings(), reference(store));
  // Each new file's 90-day baselines read most of their days as totals; the
  // reversal of day 100 stops that until it is older than the baselines.
  EXPECT_GT(store.days_from_totals, GetParam() ? 20 : 1000);
  EXPECT_GT(expect_totals_of_full_history(store.db, *pack_, store.registry, data()), 60);
}

TEST_P(IncrementalEvaluationTest, FileByFileKeepsOnlyTheTotalsLaterChangesCanRead) {
  Store store;
  incremental(store, chronological(), 1);
  EXPECT_EQ(store.firings(), reference(store));
  // 200 days of history, FUND-ANOMALY's 90-day baseline the longest window
  // that takes totals: the days kept reach back the window, the days around
  // a change and a spare week.
  constexpr std::int64_t kWindowDays = 90;
  constexpr std::int64_t kMarginDays = 10;
  Statement spans = store.db.prepare_uncached(
      "SELECT school_id, min(day), max(day) FROM window_day_totals GROUP BY 1");
  int schools = 0;
  while (spans.step()) {
    ++schools;
    EXPECT_LE(spans.column_int64(2) - spans.column_int64(1) + 1, kWindowDays + kMarginDays)
        << spans.column_text(0) << " keeps days " << spans.column_int64(1) << " to "
        << spans.column_int64(2);
  }
  EXPECT_EQ(schools, 1);
  // What is kept still holds, and is about the whole window.
  EXPECT_GT(expect_totals_of_full_history(store.db, *pack_, store.registry, data()),
            kWindowDays - 5);
}

TEST_P(IncrementalEvaluationTest, FileByFileWithoutDailyTotalsEqualsTheFullEvaluation) {
  Store store(/*keep_totals=*/false);
  incremental(store, chronological(), 1);
  EXPECT_EQ(store.firings(), reference(store));
  EXPECT_EQ(store.days_from_totals, 0);
  Statement rows = store.db.prepare_uncached("SELECT count(*) FROM window_day_totals");
  ASSERT_TRUE(rows.step());
  EXPECT_EQ(rows.column_int64(0), 0);
}

TEST_P(IncrementalEvaluationTest, FileByFileInReverseOrderEqualsTheFullEvaluation) {
  std::vector<std::size_t> order = chronological();
  std::reverse(order.begin(), order.end());
  Store store;
  incremental(store, order, 1);
  EXPECT_EQ(store.firings(), reference(store));
  expect_totals_of_full_history(store.db, *pack_, store.registry, data());
}

TEST_P(IncrementalEvaluationTest, ShuffledDeliveriesLeaveTheSameStoreAsOneRun) {
  Store once;
  for (const Batch& batch : data().batches) once.deliver(batch);
  once.run(*pack_);
  const std::vector<std::string> expected = once.stored_state();
  ASSERT_FALSE(expected.empty());
  for (const unsigned seed : {1u, 2u, 3u}) {
    std::vector<std::size_t> order = chronological();
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    Store store;
    incremental(store, order, seed);  // run after every 1, 2 or 3 deliveries
    EXPECT_EQ(store.firings(), reference(store)) << "seed " << seed;
    EXPECT_EQ(store.stored_state(), expected) << "seed " << seed;
    expect_totals_of_full_history(store.db, *pack_, store.registry, data());
  }
}

TEST_P(IncrementalEvaluationTest, ALateClosingBalanceReJudgesADrainLongAfterIt) {
  // The supervised account's file of days 168 to 173 (closing balance of
  // day 169) arrives last: nothing in it takes part in FUND-DRAIN, yet the
  // drain of day 190 reads its balance.
  const std::string late = std::string(kSupervised) + "-28";
  const auto is_late = [&](const Batch& batch) {
    const auto* file = std::get_if<BankFile>(&batch);
    return file != nullptr && file->statements.front().statement_id == late;
  };
  Store store;
  for (const Batch& batch : data().batches) {
    if (!is_late(batch)) store.deliver(batch);
  }
  store.run(*pack_);
  for (const Batch& batch : data().batches) {
    if (is_late(batch)) store.deliver(batch);
  }
  store.run(*pack_);
  EXPECT_EQ(store.firings(), reference(store));
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutReversal, IncrementalEvaluationTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? "WithReversal" : "WithoutReversal";
                         });

// A student's enrolment arrives with a record paid long after some of their
// records and long before others: those far from the change inherit it and
// must be judged again; a student with records inside and far outside the
// changed span keeps the enrolment of their earliest record.
TEST(IncrementalEnrolmentTest, ALateEnrolmentReJudgesTheStudentsRecordsFarFromIt) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Scenario data = scenario(false);
  const auto student_fee = [&](const std::string& student, int day, const std::string& type,
                               std::optional<Date> enrolled) {
    FeeRecord record = data.fees.front();
    record.fee_id = student + "-" + std::to_string(day);
    record.student_id = student;
    record.paid_at = at(day, 8);
    record.fee_type = type;
    record.amount_fen = 5'000'000;
    record.enrolled_at = enrolled;
    record.source = {"test", record.fee_id};
    return record;
  };
  // S-LATE: donations on days 20 and 150 without an enrolment of their own.
  // S-KEPT: enrolled on day 10 by their first record; a later record in the
  // changed batch claims day 140, which must not move it.
  const std::vector<FeeRecord> early{student_fee("S-LATE", 20, "donation", std::nullopt),
                                     student_fee("S-LATE", 150, "donation", std::nullopt),
                                     student_fee("S-KEPT", 12, "tuition", day_date(10)),
                                     student_fee("S-KEPT", 190, "donation", std::nullopt)};
  const std::vector<FeeRecord> late{student_fee("S-LATE", 80, "tuition", day_date(65)),
                                    student_fee("S-KEPT", 81, "tuition", day_date(140))};
  Store store;
  for (const Batch& batch : data.batches) store.deliver(batch);
  store.deliver(early);
  store.run(*pack);
  const auto donations_fired = [&](const std::set<FiringRow>& rows) {
    std::set<std::string> fired;
    for (const FiringRow& row : rows) {
      if (std::get<0>(row) == "FEE-DONATION") fired.insert(std::get<1>(row));
    }
    return fired;
  };
  EXPECT_EQ(donations_fired(store.firings()).count("S-LATE-20"), 0u);
  store.deliver(late);
  store.run(*pack);

  data.fees.insert(data.fees.end(), early.begin(), early.end());
  data.fees.insert(data.fees.end(), late.begin(), late.end());
  const std::set<FiringRow> expected = reference_firings(*pack, store.registry, data);
  // Enrolled on day 65: both donations are within 90 days of it; S-KEPT's
  // donation of day 190 is 180 days after their enrolment on day 10.
  EXPECT_EQ(donations_fired(expected).count("S-LATE-20"), 1u);
  EXPECT_EQ(donations_fired(expected).count("S-LATE-150"), 1u);
  EXPECT_EQ(donations_fired(expected).count("S-KEPT-190"), 0u);
  EXPECT_EQ(store.firings(), expected);
}

// A bank file of one entry of the basic account with the supplier
// (`amount` < 0: a debit to it), after the scenario's records.
BankFile one_entry_file(const std::string& ref, Instant when, Fen amount) {
  BankStatement statement;
  statement.statement_id = ref;
  statement.account = kBasic;
  statement.currency = "CNY";
  BankRecord record = scenario().bank.back();
  record.account = kBasic;
  record.bank_ref = ref;
  record.booked_at = when;
  record.amount_fen = amount;
  record.counterparty.name = "长沙某某食品有限公司";
  record.counterparty.account = kSupplierAccount;
  record.counterparty.cls = CounterpartyClass::Organisation;
  record.reversal = false;
  record.reversal_of.clear();
  record.balance_after_fen.reset();
  statement.records.push_back(record);
  BankFile file;
  file.statements.push_back(statement);
  return file;
}

TEST(IncrementalTotalsTest, JudgingAChangeForgetsTheTotalsOfItsDays) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Store store;
  for (const Batch& batch : scenario().batches) store.deliver(batch);
  store.run(*pack);
  // A total of day 150 that no longer holds (as if its records changed).
  const std::int64_t day = day_date(150).days_since_epoch();
  const std::string basis = window_totals_basis(*pack, "scenario-registry", kZone);
  ASSERT_FALSE(basis.empty());
  rules::DayTotals bogus{day, {rules::KeyTotals{"bogus", {{1, 0, 0}, {1, 5, 25}, {1, 5, 25}}}}};
  store.db
      .prepare("INSERT OR REPLACE INTO window_day_totals VALUES (?1, ?2, 'FUND-ANOMALY', ?3, ?4)")
      .bind_text(1, kSchool)
      .bind_int64(2, day)
      .bind_text(3, basis)
      .bind_blob(4, encode_day(bogus))
      .run();
  // A credit on that day. The reversal of day 100 is within the 90-day
  // baselines judged, so this run keeps no totals of its own: only the
  // forgetting of the marked days removes the stale one.
  store.deliver(one_entry_file("LATE-CREDIT", at(150, 15), 1'000));
  store.run(*pack);
  Statement left = store.db.prepare_uncached("SELECT count(*) FROM window_day_totals WHERE day = " +
                                             std::to_string(day));
  ASSERT_TRUE(left.step());
  EXPECT_EQ(left.column_int64(0), 0);
}

TEST(IncrementalTotalsTest, TotalsAreKeptForTheLongestWindowThatTakesThemAndAFewDaysMore) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  const std::int64_t day = day_date(kDays).days_since_epoch();
  const std::int64_t first = first_totals_day_to_keep(*pack, kZone, at(kDays, 14).utc_seconds);
  // FUND-ANOMALY's 90-day baseline, the days around a change and a spare
  // week.
  EXPECT_LE(first, day - 96);
  EXPECT_GE(first, day - 100);
  // With no rule that takes totals, none is kept.
  for (rules::CompiledRule& rule : pack->rules) {
    if (rule.id == "FUND-ANOMALY") rule.enabled = false;
  }
  EXPECT_EQ(first_totals_day_to_keep(*pack, kZone, at(kDays, 14).utc_seconds),
            std::numeric_limits<std::int64_t>::max());
}

// Judging the whole history at once (a first ingest) works out the totals
// of the days that are kept only: about three of every four days of a year
// would be written just to be pruned in the same transaction.
TEST(IncrementalTotalsTest, AWholeHistoryKeepsTotalsOfTheKeptDaysOnly) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Store store;
  for (const Batch& batch : scenario(false).batches) store.deliver(batch);
  const ChangedSpan span{at(0, 0).utc_seconds, at(kDays, 23).utc_seconds};
  const ChangeEvaluation evaluation = RuleRunner(store.db, *pack, store.registry, listed(), kZone)
                                          .evaluate(*store.registry.find_school(kSchool), span);
  const std::int64_t first_kept = first_totals_day_to_keep(*pack, kZone, span.to);
  ASSERT_FALSE(evaluation.totals.rules.empty());
  std::size_t days = 0;
  for (const WindowTotalsUpdate::RuleDays& rule : evaluation.totals.rules) {
    for (const rules::DayTotals& day : rule.days) {
      EXPECT_GE(day.day, first_kept) << rule.rule_id;
      ++days;
    }
  }
  EXPECT_GT(days, 80u) << "the kept days are still worked out";
}

// After a gap in a school's records its older totals are pruned: a late
// change whose baseline would read them is judged from its records, and
// stores them again. The days a new day's baseline reads are kept.
TEST(IncrementalTotalsTest, ALateChangeBeforeThePrunedDaysIsJudgedFromItsRecords) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Scenario data = scenario(false);
  Store store;
  for (const Batch& batch : data.batches) store.deliver(batch);
  store.run(*pack);
  const auto deliver = [&](const std::string& ref, int day) {
    const BankFile file = one_entry_file(ref, at(day, 14), -1'000'000);
    data.bank.push_back(file.statements[0].records[0]);
    store.deliver(file);
    return store.run(*pack);
  };
  // The day after the history: its baseline is seeded with kept days.
  EXPECT_GT(deliver("NEXT-DAY", kDays).days_from_totals, 70);
  // A hundred days later: every day of the history is older than its
  // baseline, and is pruned.
  EXPECT_EQ(deliver("AFTER-GAP", kDays + 100).days_from_totals, 0);
  Statement old_days =
      store.db.prepare_uncached("SELECT count(*) FROM window_day_totals WHERE day <= " +
                                std::to_string(day_date(kDays).days_since_epoch()));
  ASSERT_TRUE(old_days.step());
  EXPECT_EQ(old_days.column_int64(0), 0);
  // A late debit five days before the end of the history: its baseline
  // would be seeded with days from 111 on, which are gone.
  EXPECT_EQ(deliver("LATE", kDays - 5).days_from_totals, 0);
  EXPECT_EQ(store.firings(), reference_firings(*pack, store.registry, data));
  // Its evaluation stored their totals again, as the full history has them.
  EXPECT_GT(expect_totals_of_full_history(store.db, *pack, store.registry, data), 80);
}

TEST(IncrementalTotalsTest, AWindowTooLargeForExactMomentsIsJudgedFromItsRecords) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Store store;
  Scenario data;
  for (int day = 0; day < 120; ++day) {
    // Debits near 2^58 fen: each day's totals, and their sums over the
    // baseline, fit 128 bits, but n · Σx² of a 90-day window does not, so a
    // seeded standard deviation throws SeedOverflow and the school is judged
    // from its records (as the full evaluation does, through Boost).
    const Fen amount = -((Fen{1} << 58) + Fen{day % 7} * (Fen{1} << 52));
    const BankFile file = one_entry_file("BIG-" + std::to_string(day), at(day, 14), amount);
    data.bank.push_back(file.statements[0].records[0]);
    store.deliver(file);
    store.run(*pack);
  }
  EXPECT_EQ(store.days_from_totals, 0);
  EXPECT_EQ(store.firings(), reference_firings(*pack, store.registry, data));
  // The seeds were there to take: the days' totals are stored.
  std::vector<rules::KeyTotals> sums;
  const std::int64_t last = day_date(110).days_since_epoch();
  EXPECT_TRUE(WindowTotalsStore(store.db).sum_days(
      kSchool, "FUND-ANOMALY", 3, window_totals_basis(*pack, "scenario-registry", kZone), last - 75,
      last, sums));
}

// A statement of the supervised account with no entries and the closing
// balance of `day`, as a delivery and in the reference's closings.
void add_closing_balance(Scenario& data, int day, Fen closing) {
  BankStatement statement;
  statement.statement_id = "S-" + std::to_string(day);
  statement.account = kSupervised;
  statement.currency = "CNY";
  statement.closing = Balance{BalanceType::Closing, day_date(day), closing, "CNY"};
  BankFile file;
  file.statements.push_back(statement);
  data.batches.emplace_back(std::move(file));
  data.closings.push_back({kSupervised, day_date(day), closing});
}

// FUND-DRAIN reads the supervised account's closing balance of the day
// before its window, known here only from statements (no entry gives a
// running balance): the reference day's, then two later ones, all before the
// debits. Judging the debits must load the reference day's statement too, not
// only the latest one before the records it loads.
TEST(IncrementalBalancesTest, ADrainReadsTheStatementBalanceOfItsReferenceDay) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Scenario data;
  // Debits of days 18 to 20, 30,000.00 each. Their windows start on days 11
  // to 13, so each reads the balance of day 10 (200,000.00): the third
  // passes 30% of it. Were day 14's read (100.00) the first would, and were
  // none read, none would be judged.
  for (const auto& [day, closing] :
       {std::pair{10, Fen{20'000'000}}, std::pair{13, Fen{10'000}}, std::pair{14, Fen{10'000}}}) {
    add_closing_balance(data, day, closing);
  }
  BankFile debits;
  for (int day = 18; day <= 20; ++day) {
    const BankFile one = one_entry_file("D-" + std::to_string(day), at(day, 11), -3'000'000);
    debits.statements.push_back(one.statements.front());
    data.bank.push_back(one.statements.front().records.front());
  }
  const std::set<FiringRow> expected = reference_firings(*pack, make_registry(), data);
  std::vector<std::int64_t> drains;
  for (const FiringRow& row : expected) {
    if (std::get<0>(row) == "FUND-DRAIN") drains.push_back(std::get<2>(row));
  }
  ASSERT_EQ(drains, std::vector<std::int64_t>{at(20, 11).utc_seconds});

  Store store;
  for (const Batch& batch : data.batches) store.deliver(batch);
  store.run(*pack);
  store.deliver(debits);
  store.run(*pack);
  EXPECT_EQ(store.firings(), expected);
}

// A windowed rule over balance facts counts the low days of the week
// before each balance: judging a new day's balance needs the stored
// balances of that week, though no bank record of it is loaded.
TEST(IncrementalBalancesTest, AWindowOverBalancesReadsTheStoredBalancesItCovers) {
  rules::PackDocument doc;
  rules::read_rules_file(
      "- rule: LOW-WEEK\n  title: t\n  level: yellow\n  source: balance\n"
      "  where: account.supervised\n  key: [school.id]\n  window: {preceding: 7d}\n"
      "  aggregates:\n    low: count() where balance.amount < school.min_balance\n"
      "  condition: low >= 4\n  message: \"{low}\"\n",
      "pack.yaml", doc);
  const std::unique_ptr<rules::CompiledPack> pack = rules::compile_pack(doc, {});
  Scenario data;
  // Low balances on days 1 to 8 (below the 1,000,000.00 minimum), then a
  // ninth on day 12: its week (days 6 to 12) holds four low days, so it
  // fires only when the balances of days 6 to 8 are read with it.
  for (const int day : {1, 2, 3, 4, 5, 6, 7, 8, 12}) add_closing_balance(data, day, 10'000);
  const std::set<FiringRow> expected = reference_firings(*pack, make_registry(), data);
  ASSERT_EQ(expected.size(), 6u);  // days 4 to 8, and day 12

  Store store;
  for (std::size_t i = 0; i + 1 < data.batches.size(); ++i) store.deliver(data.batches[i]);
  store.run(*pack);
  store.deliver(data.batches.back());
  store.run(*pack);
  EXPECT_EQ(store.firings(), expected);
}

TEST(IncrementalSpansTest, ANewDayJudgesOnlyWhatItCanReach) {
  const std::unique_ptr<rules::CompiledPack> pack =
      rules::load_pack({std::string(SFMON_SOURCE_DIR) + "/rules/default"}, {});
  Store store;
  for (const Batch& batch : scenario().batches) store.deliver(batch);
  store.run(*pack);

  // One more ordinary debit on the day after the scenario.
  RuleRunner runner(store.db, *pack, store.registry, listed(), kZone);
  const BankFile file = one_entry_file("NEW-1", at(kDays, 14), -1'000'000);
  RecordStore(store.db, [] {
    return std::int64_t{1'740'000'000};
  }).store_bank_file(file, {"bank-inbox", "late", "late", "bank", ""});

  const std::int64_t t = file.statements[0].records[0].booked_at.utc_seconds;
  const RuleRunner::Evaluation evaluation =
      runner.evaluate(store.registry.schools.front(), ChangedSpan{t, t});
  std::map<std::string, RuleSpan> spans;
  for (const RuleSpan& span : evaluation.spans) spans[span.rule_id] = span;
  // A debit to an ordinary supplier takes no part in these.
  for (const char* untouched : {"FUND-ROUNDTRIP", "FUND-RELATED", "FUND-CASH", "FUND-TO-PERSON",
                                "FEE-OVER-CAP", "FUND-MINBAL"}) {
    EXPECT_EQ(spans.count(untouched), 0u) << untouched;
  }
  // Per-record and tumbling-day rules: the day, give or take the margins.
  ASSERT_EQ(spans.count("FUND-LISTED"), 1u);  // any debit or credit takes part
  EXPECT_GE(spans["FUND-LISTED"].from, t - 2 * kDay);
  EXPECT_LE(spans["FUND-LISTED"].to, t + 2 * kDay);
  ASSERT_EQ(spans.count("FUND-LARGE"), 1u);
  EXPECT_LE(spans["FUND-LARGE"].to, t + 3 * kDay);
  // The 90-day baseline judges the debits the new one precedes, not older ones.
  ASSERT_EQ(spans.count("FUND-ANOMALY"), 1u);
  EXPECT_GE(spans["FUND-ANOMALY"].from, t - 2 * kDay);
  // The only firing the new debit can add: none (it is ordinary).
  EXPECT_TRUE(evaluation.firings.empty());
}

}  // namespace
}  // namespace sfmon::incremental_evaluation_test
