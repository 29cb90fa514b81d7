#include "sfmon/connectors/record_normaliser.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace sfmon::record_normaliser_test {
namespace {

// --- counterparty classification -------------------------------------------

struct Classified {
  CounterpartyClass cls;
  ClassBasis basis;
};

Classified classify(const std::string& name, const std::string& account = "",
                    const Registry& registry = {},
                    const std::vector<WatchlistEntry>& watchlist = {}) {
  Counterparty counterparty;
  counterparty.name = name;
  counterparty.account = account;
  classify_counterparty(counterparty, registry, watchlist);
  return {counterparty.cls, counterparty.basis};
}

void expect_class(const Classified& got, CounterpartyClass cls, ClassBasis basis) {
  EXPECT_EQ(to_string(got.cls), std::string(to_string(cls)));
  EXPECT_EQ(to_string(got.basis), std::string(to_string(basis)));
}

Registry registry_with_parties(std::vector<RelatedParty> parties) {
  School school;
  school.id = "CS-0001";
  school.related_parties = std::move(parties);
  Registry registry;
  registry.schools.push_back(school);
  return registry;
}

TEST(CounterpartyClassificationTest, AChineseCompanyIsAnOrganisationByItsLegalForm) {
  expect_class(classify("湖南某某教育投资有限公司"), CounterpartyClass::Organisation,
               ClassBasis::LegalForm);
}

TEST(CounterpartyClassificationTest, InstitutionWordsMarkOrganisations) {
  for (const char* name : {"长沙市第一中学", "中国建设银行长沙分行", "岳麓区教育局", "某某幼儿园",
                           "星城培训中心", "家乐便利店"}) {
    expect_class(classify(name), CounterpartyClass::Organisation, ClassBasis::LegalForm);
  }
}

TEST(CounterpartyClassificationTest, TwoHanCharactersAreAPerson) {
  expect_class(classify("张三"), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, FourHanCharactersWithACompoundSurnameAreAPerson) {
  expect_class(classify("欧阳娜娜"), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, SpacesInsideAPersonalNameAreIgnored) {
  expect_class(classify(" 张　三 "), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, RareHanCharactersOutsideTheBasicBlockCount) {
  // U+20000 (CJK Extension B), as in names with 生僻字.
  expect_class(classify("张\xF0\xA0\x80\x80"), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, FiveHanCharactersWithoutALegalFormAreUnknown) {
  expect_class(classify("湘江新区东方"), CounterpartyClass::Unknown, ClassBasis::None);
  expect_class(classify("欧阳娜娜娜"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, OneHanCharacterIsUnknown) {
  expect_class(classify("张"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, AMinorityNameWithAMiddleDotIsAPerson) {
  expect_class(classify("买买提·艾力"), CounterpartyClass::Person, ClassBasis::NameShape);
  expect_class(classify("阿依古丽·买买提"), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, AStrayMiddleDotIsNotAName) {
  expect_class(classify("·艾力"), CounterpartyClass::Unknown, ClassBasis::None);
  expect_class(classify("艾力·"), CounterpartyClass::Unknown, ClassBasis::None);
  expect_class(classify("买买提··艾力"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, HanMixedWithLatinIsNotAPersonalNameShape) {
  expect_class(classify("张三A"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, LatinLegalFormsAreRecognisedCaseInsensitively) {
  for (const char* name : {"Siemens AG", "ACME Co., Ltd.", "Banco Santander S.A.",
                           "Müller GmbH & Co. KG", "shell holdings llc", "Bank of China",
                           "Changsha International School", "Philips N.V.", "ＡＢＣ　Ｌｔｄ"}) {
    expect_class(classify(name), CounterpartyClass::Organisation, ClassBasis::LegalForm);
  }
}

TEST(CounterpartyClassificationTest, LatinFormsMatchOnlyWholeWords) {
  expect_class(classify("Bankhaus Lampe"), CounterpartyClass::Unknown, ClassBasis::None);
  expect_class(classify("Agnes Cole"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, SyllablesOfRomanisedNamesAreNotLegalForms) {
  // "Sa" is a pinyin syllable; only the dotted "S.A." marks a company.
  expect_class(classify("WANG SA"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, ALatinPersonalNameIsUnknown) {
  expect_class(classify("ZHANG SAN"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, AnEmptyCounterpartyIsUnknown) {
  expect_class(classify(""), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, InvalidUtf8IsUnknown) {
  expect_class(classify("\xD5\xC5\xC8\xFD"), CounterpartyClass::Unknown, ClassBasis::None);
}

TEST(CounterpartyClassificationTest, TheSourcesMarkingIsKept) {
  Counterparty counterparty;
  counterparty.name = "某某有限公司";
  counterparty.cls = CounterpartyClass::Person;
  counterparty.basis = ClassBasis::Source;
  classify_counterparty(counterparty, {}, {});
  EXPECT_EQ(counterparty.cls, CounterpartyClass::Person);
  EXPECT_EQ(counterparty.basis, ClassBasis::Source);
}

TEST(CounterpartyClassificationTest, AClassWithoutABasisCountsAsTheSources) {
  Counterparty counterparty;
  counterparty.name = "张三";
  counterparty.cls = CounterpartyClass::Organisation;
  classify_counterparty(counterparty, {}, {});
  EXPECT_EQ(counterparty.cls, CounterpartyClass::Organisation);
  EXPECT_EQ(counterparty.basis, ClassBasis::Source);
}

TEST(CounterpartyClassificationTest, AnEarlierDecisionIsMadeAgain) {
  Counterparty counterparty;
  counterparty.name = "张三";
  counterparty.cls = CounterpartyClass::Organisation;
  counterparty.basis = ClassBasis::LegalForm;
  classify_counterparty(counterparty, {}, {});
  EXPECT_EQ(counterparty.cls, CounterpartyClass::Person);
  EXPECT_EQ(counterparty.basis, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, ARegistryPartyMatchedByAccountDecidesTheClass) {
  const Registry registry =
      registry_with_parties({{"湖南某某教育投资有限公司", "4300-1234-5678", "sponsor"}});
  // The bank truncated the name; the normalised account finds the party.
  expect_class(classify("湖南某某", "430012345678", registry), CounterpartyClass::Organisation,
               ClassBasis::Registry);
}

TEST(CounterpartyClassificationTest, ARegistryPartyMatchedByNormalisedNameDecidesTheClass) {
  // Full-width letters and odd spacing, as some bank systems write names.
  const Registry registry =
      registry_with_parties({{"ＡＢＣ　Ｔｒａｄｉｎｇ  Ｌｔｄ", "", "sponsor"}});
  expect_class(classify("abc trading ltd", "", registry), CounterpartyClass::Organisation,
               ClassBasis::Registry);
}

TEST(CounterpartyClassificationTest, ARegistryPartyOverridesTheNamesOwnShape) {
  // A four-character shop name looks personal; the registry knows better.
  const Registry registry = registry_with_parties({{"星光书店", "6222000011112222", "supplier"}});
  expect_class(classify("星光书", "6222000011112222", registry), CounterpartyClass::Organisation,
               ClassBasis::Registry);
}

TEST(CounterpartyClassificationTest, ARegistryPartyWhoseNameRevealsNothingIsSkipped) {
  const Registry registry = registry_with_parties({{"Lucky Star", "111", "sponsor"}});
  expect_class(classify("李四", "111", registry), CounterpartyClass::Person, ClassBasis::NameShape);
}

TEST(CounterpartyClassificationTest, AWatchlistEntryDecidesTheClass) {
  const std::vector<WatchlistEntry> watchlist = {
      {"长沙某某小额贷款有限公司", "43001111222233334444", "高利放贷"}};
  expect_class(classify("", "4300 1111 2222 3333 4444", {}, watchlist),
               CounterpartyClass::Organisation, ClassBasis::Watchlist);
}

TEST(CounterpartyClassificationTest, TheRegistryWinsOverTheWatchlist) {
  const Registry registry = registry_with_parties({{"张三", "999", "director"}});
  const std::vector<WatchlistEntry> watchlist = {{"某某贸易公司", "999", "shell"}};
  expect_class(classify("", "999", registry, watchlist), CounterpartyClass::Person,
               ClassBasis::Registry);
}

// --- content references ------------------------------------------------------

BankRecord record(Fen amount_fen, const std::string& purpose = "学费") {
  BankRecord r;
  r.account = "43050180123400000001";
  r.booked_at = instant_from_date(Date{2024, 9, 2}, Zone{});
  r.amount_fen = amount_fen;
  r.currency = "CNY";
  r.counterparty.name = "张三";
  r.counterparty.account = "6222020000000001";
  r.purpose = purpose;
  r.tx_code = "NTRF";
  r.source = {"stmt.xml", "Stmt[1]/Ntry[1]"};
  return r;
}

BankFile file_of(std::vector<std::vector<BankRecord>> statements) {
  BankFile file;
  for (auto& records : statements) {
    BankStatement statement;
    statement.records = std::move(records);
    file.statements.push_back(std::move(statement));
  }
  return file;
}

std::string hash_of(const BankRecord& r) {
  BankFile file = file_of({{r}});
  assign_content_references(file);
  return file.statements[0].records[0].bank_ref;
}

TEST(ContentReferenceTest, GivesAReferenceLessRecordAPrefixedHexHash) {
  BankFile file = file_of({{record(100)}});
  assign_content_references(file);
  const BankRecord& r = file.statements[0].records[0];
  EXPECT_TRUE(r.ref_is_hash);
  ASSERT_EQ(r.bank_ref.size(), 26u);
  EXPECT_EQ(r.bank_ref.substr(0, 2), "h:");
  EXPECT_EQ(r.bank_ref.find_first_not_of("0123456789abcdef", 2), std::string::npos);
}

TEST(ContentReferenceTest, TheHashIsStableAcrossRunsAndReleases) {
  // Stored references must never change: this value pins the hashed fields
  // and their encoding. Change it only together with kHashVersion.
  EXPECT_EQ(hash_of(record(100)), hash_of(record(100)));
  EXPECT_EQ(hash_of(record(100)), "h:10b44a058959b13577d0e3db");
}

TEST(ContentReferenceTest, EveryHashedFieldChangesTheHash) {
  const std::string base = hash_of(record(100));
  const std::vector<std::function<void(BankRecord&)>> changes = {
      [](BankRecord& r) { r.account = "43050180123400000002"; },
      [](BankRecord& r) {
        r.booked_at = instant_from_date(Date{2024, 9, 3}, Zone{});
      },
      [](BankRecord& r) { r.amount_fen = -100; },
      [](BankRecord& r) { r.currency = "USD"; },
      [](BankRecord& r) { r.counterparty.name = "李四"; },
      [](BankRecord& r) { r.counterparty.account = "6222020000000002"; },
      [](BankRecord& r) { r.purpose = "住宿费"; },
      [](BankRecord& r) { r.tx_code = "CHRG"; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    BankRecord changed = record(100);
    changes[i](changed);
    EXPECT_NE(hash_of(changed), base) << "change " << i;
  }
}

TEST(ContentReferenceTest, ADateOnlyBookingDiffersFromOneAtLocalMidnight) {
  BankRecord timed = record(100);
  timed.booked_at.date_only = false;
  EXPECT_NE(hash_of(timed), hash_of(record(100)));
}

TEST(ContentReferenceTest, FieldBoundariesCannotBeShifted) {
  BankRecord a = record(100, "bc");
  a.counterparty.name = "a";
  BankRecord b = record(100, "c");
  b.counterparty.name = "ab";
  EXPECT_NE(hash_of(a), hash_of(b));
}

TEST(ContentReferenceTest, SpellingsThatNormaliseAlikeHashAlike) {
  BankRecord spaced = record(100);
  spaced.account = "4305 0180 1234 0000 0001";
  spaced.counterparty.name = " 张三 ";
  EXPECT_EQ(hash_of(spaced), hash_of(record(100)));
}

TEST(ContentReferenceTest, IdenticalRecordsOfAStatementAreToldApartByOccurrence) {
  BankFile file = file_of({{record(100), record(100), record(200)}});
  assign_content_references(file);
  const auto& records = file.statements[0].records;
  EXPECT_NE(records[0].bank_ref, records[1].bank_ref);
  EXPECT_EQ(records[0].bank_ref, hash_of(record(100)));
}

TEST(ContentReferenceTest, TheSameRecordsInAnotherFileGetTheSameReferences) {
  BankFile intraday = file_of({{record(100), record(100)}});
  BankFile end_of_day = file_of({{record(100), record(300), record(100)}});
  assign_content_references(intraday);
  assign_content_references(end_of_day);
  EXPECT_EQ(intraday.statements[0].records[0].bank_ref,
            end_of_day.statements[0].records[0].bank_ref);
  EXPECT_EQ(intraday.statements[0].records[1].bank_ref,
            end_of_day.statements[0].records[2].bank_ref);
}

TEST(ContentReferenceTest, OccurrencesAreCountedPerStatement) {
  BankFile file = file_of({{record(100)}, {record(100)}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, file.statements[1].records[0].bank_ref);
}

TEST(ContentReferenceTest, APendingEntryAndItsBookingShareTheReference) {
  BankRecord pending = record(100);
  pending.status = EntryStatus::Pending;
  BankFile file = file_of({{pending, record(100)}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, file.statements[0].records[1].bank_ref);
  EXPECT_TRUE(file.warnings.empty());
}

TEST(ContentReferenceTest, KeepsTheBanksReference) {
  BankRecord r = record(100);
  r.bank_ref = "2024090200001";
  BankFile file = file_of({{r}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, "2024090200001");
  EXPECT_FALSE(file.statements[0].records[0].ref_is_hash);
}

BankRecord with_ref(BankRecord r, const std::string& ref) {
  r.bank_ref = ref;
  return r;
}

TEST(ContentReferenceTest, AReusedReferenceForADifferentEntryGetsASuffixAndAWarning) {
  BankFile file = file_of(
      {{with_ref(record(100), "R1"), with_ref(record(200), "R1")}, {with_ref(record(300), "R1")}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[0].bank_ref, "R1");
  EXPECT_EQ(file.statements[0].records[1].bank_ref, "R1#2");
  EXPECT_EQ(file.statements[1].records[0].bank_ref, "R1#3");
  ASSERT_EQ(file.warnings.size(), 2u);
  EXPECT_EQ(file.warnings[0].to_string(),
            "stmt.xml:Stmt[1]/Ntry[1]: bank reference 'R1' is used for another entry earlier in "
            "the file; stored as 'R1#2'");
}

TEST(ContentReferenceTest, AReusedReferenceOnAnotherAccountIsNoReuse) {
  BankRecord other = with_ref(record(200), "R1");
  other.account = "43050180123400000002";
  BankFile file = file_of({{with_ref(record(100), "R1"), other}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[1].bank_ref, "R1");
  EXPECT_TRUE(file.warnings.empty());
}

TEST(ContentReferenceTest, TheSameEntryTwiceInAFileKeepsOneReference) {
  // Overlapping statements in one file repeat entries; the store keeps one.
  BankFile file = file_of({{with_ref(record(100), "R1"), with_ref(record(200), "R1")},
                           {with_ref(record(200), "R1"), with_ref(record(100), "R1")}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[1].records[0].bank_ref, "R1#2");
  EXPECT_EQ(file.statements[1].records[1].bank_ref, "R1");
  EXPECT_EQ(file.warnings.size(), 1u);
}

TEST(ContentReferenceTest, ASuffixNeverTakesAReferenceTheFileAlreadyUses) {
  BankFile file = file_of(
      {{with_ref(record(100), "R1"), with_ref(record(200), "R1#2"), with_ref(record(300), "R1")}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[2].bank_ref, "R1#3");
}

TEST(ContentReferenceTest, APendingAndABookedEntryWithOneReferenceAreNoReuse) {
  BankRecord pending = with_ref(record(100), "R1");
  pending.status = EntryStatus::Pending;
  pending.value_date = Date{2024, 9, 3};
  BankFile file = file_of({{pending, with_ref(record(100), "R1")}});
  assign_content_references(file);
  EXPECT_EQ(file.statements[0].records[1].bank_ref, "R1");
  EXPECT_TRUE(file.warnings.empty());
}

TEST(NormaliseBankFileTest, AssignsReferencesAndClassifiesEveryRecord) {
  BankRecord company = record(-500000);
  company.counterparty.name = "湖南某某教育投资有限公司";
  company.counterparty.account = "";
  BankFile file = file_of({{record(100)}, {company}});
  normalise_bank_file(file, {}, {});
  EXPECT_TRUE(file.statements[0].records[0].ref_is_hash);
  EXPECT_TRUE(file.statements[1].records[0].ref_is_hash);
  EXPECT_EQ(file.statements[0].records[0].counterparty.cls, CounterpartyClass::Person);
  EXPECT_EQ(file.statements[1].records[0].counterparty.cls, CounterpartyClass::Organisation);
  EXPECT_EQ(file.statements[1].records[0].counterparty.basis, ClassBasis::LegalForm);
}

}  // namespace
}  // namespace sfmon::record_normaliser_test
