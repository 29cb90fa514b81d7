#include "sfmon/connectors/registry_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sfmon::registry_loader_test {
namespace {

using ::testing::ElementsAre;

constexpr char kFile[] = "schools.yaml";

// The problems load_registry reports for `yaml`; fails the test when it
// accepts the text.
std::vector<std::string> problems_of(std::string_view yaml) {
  try {
    load_registry(yaml, kFile);
  } catch (const RegistryError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "registry was accepted:\n" << yaml;
  return {};
}

// A valid registry with one school; tests append or vary keys to it.
std::string one_school(
    const std::string& extra_keys = "",
    const std::string& accounts = "      - {number: \"1001\", role: supervised}\n") {
  return "schools:\n"
         "  - id: S1\n"
         "    name: 甲学校\n"
         "    kind: primary\n" +
         extra_keys + "    accounts:\n" + accounts;
}

constexpr char kRealisticRegistry[] = R"(# 长沙市民办学校登记
schools:
  - id: CS-0001
    name: 长沙市某某实验学校
    kind: nine_year
    nonprofit: true
    district: 岳麓区
    enrollment: 1200
    min_balance: "2000000.00"
    accounts:
      - {number: "43050180123400000001", bank: 建设银行长沙分行, role: supervised}
      - {number: "43050180123400000002", bank: 建设银行长沙分行, role: basic}
    related_parties:
      - {name: 湖南某某教育投资有限公司, account: "43001234567890", relation: sponsor}
      - {name: 张三, account: "6222020000000001", relation: director}
    fee_catalogue:
      - {fee_type: tuition, grade: all, cap: "15000.00", per: semester}
      - {fee_type: boarding, grade: all, cap: 1200.50, per: semester}
    academic_calendar:
      - {term: 2024-autumn, start: 2024-09-01, end: 2025-01-31}
      - {term: 2025-spring, start: 2025-02-17, end: 2025-07-10}
  - id: CS-0002
    name: 星星幼儿园
    kind: kindergarten
    nonprofit: false
    inclusive: true
    accounts:
      - number: "6217 0020 0000 1234"
        bank: 工商银行
)";

TEST(RegistryLoaderTest, LoadsEveryFieldOfARealisticRegistry) {
  const Registry registry = load_registry(kRealisticRegistry, kFile);

  ASSERT_EQ(registry.schools.size(), 2u);
  const School& school = registry.schools[0];
  EXPECT_EQ(school.id, "CS-0001");
  EXPECT_EQ(school.name, "长沙市某某实验学校");
  EXPECT_EQ(school.kind, SchoolKind::NineYear);
  EXPECT_TRUE(school.nonprofit);
  EXPECT_FALSE(school.inclusive);
  EXPECT_EQ(school.district, "岳麓区");
  EXPECT_EQ(school.enrollment, 1200);
  EXPECT_EQ(school.min_balance_fen, 200000000);
  ASSERT_EQ(school.accounts.size(), 2u);
  EXPECT_EQ(school.accounts[0].number, "43050180123400000001");
  EXPECT_EQ(school.accounts[0].bank, "建设银行长沙分行");
  EXPECT_EQ(school.accounts[0].role, AccountRole::Supervised);
  EXPECT_EQ(school.accounts[1].role, AccountRole::Basic);
  ASSERT_EQ(school.related_parties.size(), 2u);
  EXPECT_EQ(school.related_parties[0].name, "湖南某某教育投资有限公司");
  EXPECT_EQ(school.related_parties[0].account, "43001234567890");
  EXPECT_EQ(school.related_parties[0].relation, "sponsor");
  EXPECT_EQ(school.related_parties[1].name, "张三");
  ASSERT_EQ(school.fee_catalogue.size(), 2u);
  EXPECT_EQ(school.fee_catalogue[0].fee_type, "tuition");
  EXPECT_EQ(school.fee_catalogue[0].grade, "all");
  EXPECT_EQ(school.fee_catalogue[0].cap_fen, 1500000);
  EXPECT_EQ(school.fee_catalogue[0].per, FeePer::Semester);
  EXPECT_EQ(school.fee_catalogue[1].cap_fen, 120050);  // an unquoted amount, read exactly
  ASSERT_EQ(school.academic_calendar.size(), 2u);
  EXPECT_EQ(school.academic_calendar[0].term, "2024-autumn");
  EXPECT_EQ(school.academic_calendar[0].start, (Date{2024, 9, 1}));
  EXPECT_EQ(school.academic_calendar[0].end, (Date{2025, 1, 31}));
  EXPECT_EQ(school.academic_calendar[1].start, (Date{2025, 2, 17}));

  const School& kindergarten = registry.schools[1];
  EXPECT_EQ(kindergarten.kind, SchoolKind::Kindergarten);
  EXPECT_FALSE(kindergarten.nonprofit);
  EXPECT_TRUE(kindergarten.inclusive);
  ASSERT_EQ(kindergarten.accounts.size(), 1u);
  // Kept as written; compare through normalise_account.
  EXPECT_EQ(kindergarten.accounts[0].number, "6217 0020 0000 1234");
}

TEST(RegistryLoaderTest, LoadsTheDemoCityRegistry) {
  const std::filesystem::path path =
      std::filesystem::path(SFMON_SOURCE_DIR) / "examples/demo-city/schools.yaml";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no demo city at " << path;
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_FALSE(load_registry(content.str(), path.string()).schools.empty());
}

TEST(RegistryLoaderTest, OptionalKeysTakeTheirDefaults) {
  const Registry registry = load_registry(one_school("", "      - {number: \"1001\"}\n"), kFile);

  ASSERT_EQ(registry.schools.size(), 1u);
  const School& school = registry.schools[0];
  EXPECT_TRUE(school.nonprofit);
  EXPECT_FALSE(school.inclusive);
  EXPECT_EQ(school.district, "");
  EXPECT_EQ(school.enrollment, 0);
  EXPECT_FALSE(school.min_balance_fen.has_value());
  EXPECT_EQ(school.accounts[0].role, AccountRole::Other);
  EXPECT_TRUE(school.related_parties.empty());
  EXPECT_TRUE(school.fee_catalogue.empty());
  EXPECT_TRUE(school.academic_calendar.empty());
}

TEST(RegistryLoaderTest, AnEmptyFeeCatalogueKeyIsAnEmptyList) {
  const Registry registry = load_registry(one_school("    fee_catalogue:\n"), kFile);
  EXPECT_TRUE(registry.schools.at(0).fee_catalogue.empty());
}

TEST(RegistryLoaderTest, AcceptsAnEmptySchoolsList) {
  EXPECT_TRUE(load_registry("schools: []\n", kFile).schools.empty());
}

TEST(RegistryLoaderTest, IgnoresAUtf8ByteOrderMarkAndKeepsColumns) {
  EXPECT_EQ(load_registry("\xEF\xBB\xBF" + one_school(), kFile).schools.size(), 1u);
  EXPECT_THAT(problems_of("\xEF\xBB\xBF" + one_school("    kind2: x\n")),
              ElementsAre("schools.yaml:5:5: unknown key in school; expected one of: id, name, "
                          "kind, nonprofit, inclusive, district, enrollment, min_balance, "
                          "accounts, related_parties, fee_catalogue, academic_calendar "
                          "(value 'kind2')"));
}

TEST(RegistryLoaderTest, ReportsAYamlSyntaxErrorWithItsPosition) {
  EXPECT_THAT(problems_of("schools:\n  - id: [S1\n    name: x\n"),
              ElementsAre("schools.yaml:3:9: YAML syntax error: end of sequence flow not found"));
}

TEST(RegistryLoaderTest, RejectsAnEmptyFile) {
  EXPECT_THAT(problems_of("# nothing yet\n"),
              ElementsAre("schools.yaml:1:1: the registry is empty; expected a map with a "
                          "schools list"));
}

TEST(RegistryLoaderTest, RejectsTextThatYamlCppReadsAsNothing) {
  // yaml-cpp 0.7 accepts this as an empty document (and LoadAll loops on it).
  EXPECT_THAT(problems_of("# schools\n&ame,account,x\n\"a,b\"r,y\n"),
              ElementsAre("schools.yaml:2:1: YAML syntax error: no YAML value could be read "
                          "here"));
}

TEST(RegistryLoaderTest, AnEmptyTrailingDocumentIsNoSecondDocument) {
  EXPECT_EQ(load_registry(one_school() + "---\n# nothing\n", kFile).schools.size(), 1u);
}

TEST(RegistryLoaderTest, RejectsATopLevelThatIsNotAMap) {
  EXPECT_THAT(problems_of("- id: S1\n"),
              ElementsAre("schools.yaml:1:1: the registry must be a map; got a list"));
}

TEST(RegistryLoaderTest, RejectsAMissingSchoolsKey) {
  EXPECT_THAT(problems_of("school:\n  - id: S1\n"),
              ElementsAre("schools.yaml:1:1: unknown key in the registry; expected one of: "
                          "schools (value 'school')",
                          "schools.yaml:1:1: the registry is missing required key schools"));
}

TEST(RegistryLoaderTest, RejectsSchoolsThatAreNotAList) {
  EXPECT_THAT(problems_of("schools:\n  id: S1\n"),
              ElementsAre("schools.yaml:2:3: schools must be a list; got a map"));
}

TEST(RegistryLoaderTest, RejectsASchoolThatIsNotAMap) {
  EXPECT_THAT(problems_of("schools:\n  - S1\n"),
              ElementsAre("schools.yaml:2:5: school must be a map; got text (value 'S1')"));
}

TEST(RegistryLoaderTest, ReportsAnEmptyListItemWhereItIs) {
  EXPECT_THAT(problems_of("schools:\n  -\n\n" + one_school().substr(9)),
              ElementsAre("schools.yaml:2:3: school must be a map; got nothing"));
}

TEST(RegistryLoaderTest, RejectsAMisspeltOptionalKey) {
  EXPECT_THAT(problems_of(one_school("    min_balanse: \"100.00\"\n")),
              ElementsAre("schools.yaml:5:5: unknown key in school; expected one of: id, name, "
                          "kind, nonprofit, inclusive, district, enrollment, min_balance, "
                          "accounts, related_parties, fee_catalogue, academic_calendar "
                          "(value 'min_balanse')"));
}

TEST(RegistryLoaderTest, RejectsAnUnknownKeyInAnAccount) {
  EXPECT_THAT(problems_of(one_school("", "      - {number: \"1001\", rol: basic}\n")),
              ElementsAre("schools.yaml:6:26: unknown key in account; expected one of: number, "
                          "bank, role (value 'rol')"));
}

TEST(RegistryLoaderTest, RejectsADuplicateKey) {
  EXPECT_THAT(problems_of(one_school("    name: 乙学校\n")),
              ElementsAre("schools.yaml:5:5: duplicate key in school (first at line 3) "
                          "(value 'name')"));
}

TEST(RegistryLoaderTest, ReportsEveryMissingRequiredKeyAtTheSchool) {
  EXPECT_THAT(problems_of("schools:\n  - id: S1\n    district: 岳麓区\n"),
              ElementsAre("schools.yaml:2:5: school is missing required key name",
                          "schools.yaml:2:5: school is missing required key kind",
                          "schools.yaml:2:5: school is missing required key accounts"));
}

TEST(RegistryLoaderTest, RejectsAKeyWithoutAValue) {
  EXPECT_THAT(problems_of(one_school("    district:\n")),
              ElementsAre("schools.yaml:5:5: district has no value"));
}

TEST(RegistryLoaderTest, RejectsAnEmptyName) {
  EXPECT_THAT(problems_of(one_school("    district: \"\"\n")),
              ElementsAre("schools.yaml:5:15: district must not be empty"));
}

TEST(RegistryLoaderTest, RejectsTextWhereAListBelongs) {
  EXPECT_THAT(problems_of(one_school("    related_parties: 张三\n")),
              ElementsAre("schools.yaml:5:22: related_parties must be a list; got text "
                          "(value '张三')"));
}

TEST(RegistryLoaderTest, RejectsAListWhereTextBelongs) {
  EXPECT_THAT(problems_of(one_school("    district: [a, b]\n")),
              ElementsAre("schools.yaml:5:15: district must be text; got a list"));
}

TEST(RegistryLoaderTest, RejectsAnUnknownKind) {
  std::string yaml = one_school();
  yaml.replace(yaml.find("primary"), 7, "college");
  EXPECT_THAT(problems_of(yaml),
              ElementsAre("schools.yaml:4:11: kind must be one of kindergarten, primary, middle, "
                          "high, nine_year, vocational, training (value 'college')"));
}

TEST(RegistryLoaderTest, RejectsANonprofitThatIsNotABoolean) {
  EXPECT_THAT(problems_of(one_school("    nonprofit: yes\n")),
              ElementsAre("schools.yaml:5:16: nonprofit must be true or false (without quotes) "
                          "(value 'yes')"));
}

TEST(RegistryLoaderTest, RejectsAQuotedBoolean) {
  EXPECT_THAT(problems_of(one_school("    nonprofit: \"true\"\n")),
              ElementsAre("schools.yaml:5:16: nonprofit must be true or false (without quotes) "
                          "(value 'true')"));
}

TEST(RegistryLoaderTest, RejectsAnEnrollmentThatIsNotAWholeNumber) {
  EXPECT_THAT(problems_of(one_school("    enrollment: 1200.5\n")),
              ElementsAre("schools.yaml:5:17: enrollment must be a whole number from 0 to "
                          "2147483647 (without quotes) (value '1200.5')"));
}

TEST(RegistryLoaderTest, RejectsANegativeEnrollment) {
  EXPECT_THAT(problems_of(one_school("    enrollment: -3\n")),
              ElementsAre("schools.yaml:5:17: enrollment must be a whole number from 0 to "
                          "2147483647 (without quotes) (value '-3')"));
}

TEST(RegistryLoaderTest, ReadsAnUnquotedMinBalanceExactly) {
  // 2000000.07 is not exact as a double; the scalar text must be parsed.
  const Registry registry = load_registry(one_school("    min_balance: 2000000.07\n"), kFile);
  EXPECT_EQ(registry.schools.at(0).min_balance_fen, 200000007);
}

TEST(RegistryLoaderTest, RejectsAMinBalanceWithThousandsSeparators) {
  const std::vector<std::string> problems =
      problems_of(one_school("    min_balance: \"2,000.00\"\n"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], ::testing::StartsWith("schools.yaml:5:18: min_balance must be an "
                                                 "exact amount such as \"15000.00\": "));
  EXPECT_THAT(problems[0], ::testing::EndsWith(" (value '2,000.00')"));
}

TEST(RegistryLoaderTest, RejectsAMinBalanceWithAThirdDecimal) {
  EXPECT_THAT(problems_of(one_school("    min_balance: \"100.005\"\n")),
              ElementsAre(::testing::StartsWith("schools.yaml:5:18: min_balance must be an exact "
                                                "amount")));
}

TEST(RegistryLoaderTest, RejectsANegativeMinBalance) {
  EXPECT_THAT(problems_of(one_school("    min_balance: \"-1.00\"\n")),
              ElementsAre("schools.yaml:5:18: min_balance must not be negative (value '-1.00')"));
}

TEST(RegistryLoaderTest, RejectsAMinBalanceWithoutASupervisedAccount) {
  EXPECT_THAT(
      problems_of(
          one_school("    min_balance: \"100.00\"\n", "      - {number: \"1001\", role: basic}\n")),
      ElementsAre("schools.yaml:5:18: min_balance needs an account with role supervised, and "
                  "this school has none"));
}

TEST(RegistryLoaderTest, RejectsAnUnknownAccountRole) {
  EXPECT_THAT(problems_of(one_school("", "      - {number: \"1001\", role: main}\n")),
              ElementsAre("schools.yaml:6:32: role must be one of supervised, basic, other "
                          "(value 'main')"));
}

TEST(RegistryLoaderTest, RejectsASecondSupervisedAccount) {
  EXPECT_THAT(problems_of(one_school("",
                                     "      - {number: \"1001\", role: supervised}\n"
                                     "      - {number: \"1002\", role: supervised}\n")),
              ElementsAre("schools.yaml:7:32: a school has at most one supervised account "
                          "(first at line 6)"));
}

TEST(RegistryLoaderTest, RejectsAnAccountWithoutANumber) {
  EXPECT_THAT(problems_of(one_school("", "      - {bank: 工商银行, role: basic}\n")),
              ElementsAre("schools.yaml:6:9: account is missing required key number"));
}

TEST(RegistryLoaderTest, RejectsAnAccountNumberWithOtherCharacters) {
  EXPECT_THAT(problems_of(one_school("", "      - {number: \"1001/2\"}\n")),
              ElementsAre("schools.yaml:6:18: number may hold only digits, Latin letters, "
                          "spaces and dashes (value '1001/2')"));
}

TEST(RegistryLoaderTest, RejectsASchoolWithoutAccounts) {
  EXPECT_THAT(problems_of(one_school("", "      []\n")),
              ElementsAre("schools.yaml:5:5: accounts must list at least one account"));
}

TEST(RegistryLoaderTest, RejectsADuplicateSchoolId) {
  EXPECT_THAT(
      problems_of(one_school() +
                  "  - {id: S1, name: 乙学校, kind: high, accounts: [{number: \"2002\"}]}\n"),
      ElementsAre("schools.yaml:7:10: duplicate school id (first at line 2) "
                  "(value 'S1')"));
}

TEST(RegistryLoaderTest, RejectsAnAccountOfTwoSchoolsComparedNormalised) {
  EXPECT_THAT(
      problems_of(one_school() +
                  "  - {id: S2, name: 乙学校, kind: high, accounts: [{number: \"10-01\"}]}\n"),
      ElementsAre("schools.yaml:7:57: account already belongs to school S1 (line 6) "
                  "(value '10-01')"));
}

TEST(RegistryLoaderTest, RejectsAnAccountListedTwiceForOneSchool) {
  EXPECT_THAT(problems_of(one_school("",
                                     "      - {number: \"1001\", role: supervised}\n"
                                     "      - {number: \"1001\"}\n")),
              ElementsAre("schools.yaml:7:18: account is listed twice for this school (first "
                          "at line 6) (value '1001')"));
}

TEST(RegistryLoaderTest, RejectsInclusiveOnASchoolThatIsNotAKindergarten) {
  EXPECT_THAT(problems_of(one_school("    inclusive: true\n")),
              ElementsAre("schools.yaml:5:16: inclusive: true applies only to kindergartens; "
                          "this school's kind is primary"));
}

TEST(RegistryLoaderTest, AcceptsInclusiveFalseOnAnyKind) {
  EXPECT_FALSE(load_registry(one_school("    inclusive: false\n"), kFile).schools[0].inclusive);
}

TEST(RegistryLoaderTest, RejectsARelatedPartyWithNeitherNameNorAccount) {
  EXPECT_THAT(problems_of(one_school("    related_parties:\n      - {relation: sponsor}\n")),
              ElementsAre("schools.yaml:6:9: a related party needs a name or an account"));
}

TEST(RegistryLoaderTest, AcceptsARelatedPartyKnownOnlyByAccount) {
  const Registry registry = load_registry(
      one_school("    related_parties:\n      - {account: \"6222 0200\", relation: lender}\n"),
      kFile);
  ASSERT_EQ(registry.schools[0].related_parties.size(), 1u);
  EXPECT_EQ(registry.schools[0].related_parties[0].account, "6222 0200");
}

TEST(RegistryLoaderTest, RejectsAnUnknownFeePeriod) {
  EXPECT_THAT(problems_of(one_school("    fee_catalogue:\n"
                                     "      - {fee_type: tuition, cap: \"100.00\", per: week}\n")),
              ElementsAre("schools.yaml:6:49: per must be one of hour, month, semester, year "
                          "(value 'week')"));
}

TEST(RegistryLoaderTest, RejectsAnUnknownFeeType) {
  EXPECT_THAT(problems_of(one_school("    fee_catalogue:\n"
                                     "      - {fee_type: bus, cap: \"100.00\", per: month}\n")),
              ElementsAre("schools.yaml:6:20: fee_type must be one of tuition, boarding, meals, "
                          "training, materials, donation, other (value 'bus')"));
}

TEST(RegistryLoaderTest, RejectsAFeeCatalogueEntryWithoutCapOrPeriod) {
  EXPECT_THAT(problems_of(one_school("    fee_catalogue:\n      - {fee_type: meals}\n")),
              ElementsAre("schools.yaml:6:9: fee catalogue entry is missing required key cap",
                          "schools.yaml:6:9: fee catalogue entry is missing required key per"));
}

TEST(RegistryLoaderTest, RejectsTwoCapsForOneFeeTypeAndGrade) {
  EXPECT_THAT(problems_of(one_school(
                  "    fee_catalogue:\n"
                  "      - {fee_type: tuition, cap: \"100.00\", per: month}\n"
                  "      - {fee_type: tuition, grade: 一年级, cap: \"90.00\", per: month}\n"
                  "      - {fee_type: tuition, grade: all, cap: \"900.00\", per: semester}\n")),
              ElementsAre("schools.yaml:8:9: fee catalogue lists tuition for grade all twice "
                          "(first at line 6)"));
}

TEST(RegistryLoaderTest, RejectsADateThatDoesNotExist) {
  EXPECT_THAT(problems_of(one_school("    academic_calendar:\n"
                                     "      - {term: t1, start: 2024-02-30, end: 2024-06-30}\n")),
              ElementsAre("schools.yaml:6:27: start must be a real date written YYYY-MM-DD "
                          "(value '2024-02-30')"));
}

TEST(RegistryLoaderTest, RejectsATermThatEndsBeforeItStarts) {
  EXPECT_THAT(problems_of(one_school("    academic_calendar:\n"
                                     "      - {term: t1, start: 2024-09-01, end: 2024-08-31}\n")),
              ElementsAre("schools.yaml:6:44: term t1 ends before it starts on 2024-09-01 "
                          "(value '2024-08-31')"));
}

TEST(RegistryLoaderTest, RejectsOverlappingTerms) {
  EXPECT_THAT(problems_of(one_school("    academic_calendar:\n"
                                     "      - {term: t1, start: 2024-09-01, end: 2025-01-31}\n"
                                     "      - {term: t2, start: 2025-01-31, end: 2025-07-10}\n")),
              ElementsAre("schools.yaml:7:9: term t2 overlaps term t1 (line 6)"));
}

TEST(RegistryLoaderTest, AcceptsATermOfOneDay) {
  const Registry registry = load_registry(
      one_school(
          "    academic_calendar:\n      - {term: t1, start: 2024-09-01, end: 2024-09-01}\n"),
      kFile);
  EXPECT_EQ(registry.schools[0].academic_calendar.size(), 1u);
}

TEST(RegistryLoaderTest, RejectsATermListedTwice) {
  EXPECT_THAT(problems_of(one_school("    academic_calendar:\n"
                                     "      - {term: t1, start: 2024-09-01, end: 2025-01-31}\n"
                                     "      - {term: t1, start: 2025-02-01, end: 2025-07-10}\n")),
              ElementsAre("schools.yaml:7:9: term t1 is listed twice (line 6)"));
}

TEST(RegistryLoaderTest, CountsColumnsInCharactersNotBytes) {
  // Three Han characters (nine bytes) precede the bad value.
  EXPECT_THAT(problems_of(one_school("    related_parties:\n"
                                     "      - {name: 李四五, account: \"x/y\"}\n")),
              ElementsAre("schools.yaml:6:30: account may hold only digits, Latin letters, "
                          "spaces and dashes (value 'x/y')"));
}

TEST(RegistryLoaderTest, RejectsInvalidUtf8AtItsPosition) {
  // "王" in GB18030 (CD F5) is not UTF-8.
  EXPECT_THAT(problems_of("schools:\n  - id: S1\n    name: \xCD\xF5\n"),
              ElementsAre("schools.yaml:3:11: invalid UTF-8 (only UTF-8 text is accepted)"));
}

TEST(RegistryLoaderTest, RejectsASecondYamlDocument) {
  EXPECT_THAT(problems_of(one_school() + "---\nschools: []\n"),
              ElementsAre("schools.yaml:7:1: the registry must be one YAML document; found "
                          "another"));
}

TEST(RegistryLoaderTest, RejectsASecondDocumentAfterAnEndMarker) {
  EXPECT_THAT(problems_of("---\n" + one_school() + "...\nschools: []\n"),
              ElementsAre("schools.yaml:9:1: the registry must be one YAML document; found "
                          "another"));
}

TEST(RegistryLoaderTest, DashesInsideAValueAreNoDocumentMarker) {
  // Only "---" at the start of a line can begin a document: the quick check
  // for a second document must not mistake these for one.
  const Registry registry = load_registry(
      "---\n" + one_school("    district: \"--- 岳麓区 ---\"\n") + "# --- end\n", kFile);
  ASSERT_EQ(registry.schools.size(), 1u);
  EXPECT_EQ(registry.schools[0].district, "--- 岳麓区 ---");
}

TEST(RegistryLoaderTest, ALoadedRegistryIsIndexed) {
  const Registry registry = load_registry(kRealisticRegistry, kFile);
  EXPECT_TRUE(registry.index.built);
  ASSERT_NE(registry.find_account_owner("6217002000001234"), nullptr);
  EXPECT_EQ(registry.find_account_owner("6217002000001234")->id, "CS-0002");
}

TEST(RegistryLoaderTest, CollectsEveryProblemOfTheFileInOneErrorInFileOrder) {
  const std::string yaml =
      "schools:\n"
      "  - id: S1\n"
      "    name: 甲学校\n"
      "    kind: college\n"
      "    nonprofit: maybe\n"
      "    min_balanse: \"1.00\"\n"
      "    accounts:\n"
      "      - {number: \"1001\", role: supervised}\n"
      "  - id: S1\n"
      "    name: 乙学校\n"
      "    kind: high\n"
      "    accounts:\n"
      "      - {number: \"1001\"}\n";
  EXPECT_THAT(
      problems_of(yaml),
      ElementsAre(::testing::StartsWith("schools.yaml:4:11: kind must be one of "),
                  ::testing::StartsWith("schools.yaml:5:16: nonprofit must be true or false"),
                  ::testing::StartsWith("schools.yaml:6:5: unknown key in school"),
                  "schools.yaml:9:9: duplicate school id (first at line 2) (value 'S1')",
                  "schools.yaml:13:18: account already belongs to school S1 (line 8) "
                  "(value '1001')"));
}

TEST(RegistryLoaderTest, ErrorMessageHoldsEveryProblemOnOneLine) {
  try {
    load_registry(one_school("    nonprofit: maybe\n    enrollment: many\n"), kFile);
    FAIL() << "accepted";
  } catch (const RegistryError& error) {
    const std::string what = error.what();
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_EQ(what, error.problems()[0] + "; " + error.problems()[1]);
  }
}

TEST(RegistryLoaderTest, ErrorMessageOfAVeryBrokenFileStaysBounded) {
  std::string yaml = "schools:\n";
  for (int i = 0; i < 30; ++i) yaml += "  - {id: S" + std::to_string(i) + "}\n";
  try {
    load_registry(yaml, kFile);
    FAIL() << "accepted";
  } catch (const RegistryError& error) {
    EXPECT_EQ(error.problems().size(), 90u);  // name, kind and accounts missing, 30 times
    EXPECT_THAT(std::string(error.what()), ::testing::EndsWith("; ... and 70 more problems"));
  }
}

}  // namespace
}  // namespace sfmon::registry_loader_test
