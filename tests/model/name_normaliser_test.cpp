#include "sfmon/model/name_normaliser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sfmon/model/registry.h"

namespace sfmon::name_normaliser_test {
namespace {

TEST(NameNormaliser, TrimsFoldsWidthAndCase) {
  EXPECT_EQ(normalise_name("  湖南某某教育投资有限公司 "), "湖南某某教育投资有限公司");
  EXPECT_EQ(normalise_name("ＡＢＣ　Ｃｏ．"), "abc co.");
  EXPECT_EQ(normalise_name("Acme   GmbH\t"), "acme gmbh");
  EXPECT_EQ(normalise_name("（长沙）分公司"), "(长沙)分公司");
}

TEST(NameNormaliser, KeepsInvalidUtf8Bytes) {
  const std::string latin1 = "M\xfcller";
  EXPECT_EQ(normalise_name(latin1), "m\xfcller");
}

TEST(NameNormaliser, NamesWithNothingToChangeComeOutAsTheyWentIn) {
  for (const char* name :
       {"王红", "湖南某某教育投资有限公司", "m\xfcller", "a·b", "\xe4\xb8", ""}) {
    EXPECT_EQ(normalise_name(name), name);
  }
}

TEST(NameNormaliser, OverLongEncodingsAreReadAsWhatTheySpell) {
  // decode_utf8 accepts over-long forms, so these are upper case, spaces and
  // full-width forms too; one for each lead byte that can begin one.
  EXPECT_EQ(normalise_name("\xC1\x81王"), "a王");              // C1: 'A'
  EXPECT_EQ(normalise_name("王\xC0\xA0\xC0\xA0明"), "王 明");  // C0: ' '
  EXPECT_EQ(normalise_name("\xE0\x81\x81"), "a");              // E0: 'A'
  EXPECT_EQ(normalise_name("\xF0\x83\x80\x80王"), "王");       // F0: U+3000
  EXPECT_EQ(normalise_name("\xF0\x8F\xBC\xA1"), "a");          // F0: U+FF21 'Ａ'
  EXPECT_EQ(normalise_name("王\xE3\x80\x80明"), "王 明");      // E3: U+3000
  EXPECT_EQ(normalise_name("王\xEF\xBC\xA1"), "王a");          // EF: U+FF21 'Ａ'
  for (const char* space : {"\t", "\n", "\r", " "}) {
    EXPECT_EQ(normalise_name(std::string("王") + space + "明"), "王 明");
    EXPECT_EQ(normalise_name(std::string(space) + "王" + space + space + "明" + space), "王 明");
  }
}

TEST(AccountNormaliser, IgnoresSpacesAndCase) {
  EXPECT_EQ(normalise_account("de89 3704-0044 0532 0130 00"), "DE89370400440532013000");
}

TEST(AccountNormaliser, KnowsWhenAnAccountIsNormalisedAlready) {
  // Every string of up to three characters from an alphabet of what
  // normalising drops, changes and keeps.
  const std::string alphabet = " -\taAzZ09\x80\xff_";
  std::vector<std::string> accounts{""};
  for (std::size_t length = 1; length <= 3; ++length) {
    const std::size_t before = accounts.size();
    for (std::size_t i = 0; i < before; ++i) {
      if (accounts[i].size() + 1 != length) continue;
      for (char c : alphabet) accounts.push_back(accounts[i] + c);
    }
  }
  for (const std::string& account : accounts) {
    EXPECT_EQ(account_is_normalised(account), normalise_account(account) == account) << account;
  }
}

TEST(RegistryLookup, FindsOwnerOfNormalisedAccount) {
  Registry registry;
  registry.schools.push_back(
      School{.id = "CS-1", .accounts = {{"4305 0180", "CCB", AccountRole::Supervised}}});
  ASSERT_NE(registry.find_account_owner("43050180"), nullptr);
  EXPECT_EQ(registry.find_account_owner("43050180")->id, "CS-1");
  EXPECT_EQ(registry.find_account_owner("999"), nullptr);
  EXPECT_EQ(registry.find_school("CS-1"), &registry.schools[0]);
  EXPECT_TRUE(is_compulsory(SchoolKind::NineYear));
  EXPECT_FALSE(is_compulsory(SchoolKind::High));
  EXPECT_EQ(school_kind_from_string("nine_year"), SchoolKind::NineYear);
  EXPECT_EQ(school_kind_from_string("college"), std::nullopt);
}

School school_with_account(const std::string& id, const std::string& number) {
  return School{.id = id, .accounts = {{number, "CCB", AccountRole::Supervised}}};
}

TEST(RegistryLookup, IndexedLookupsAgreeWithTheScan) {
  Registry registry{{school_with_account("CS-1", "4305 0180"), school_with_account("CS-2", "77-01"),
                     school_with_account("CS-1", "99")}};
  registry.build_index();
  ASSERT_TRUE(registry.index.built);
  EXPECT_EQ(registry.find_account_owner("43050180"), &registry.schools[0]);
  EXPECT_EQ(registry.find_account_owner("7701"), &registry.schools[1]);
  EXPECT_EQ(registry.find_account_owner("12345"), nullptr);
  // A repeated id finds the first school, as the scan does.
  EXPECT_EQ(registry.find_school("CS-1"), &registry.schools[0]);
  EXPECT_EQ(registry.find_school("CS-3"), nullptr);
}

TEST(RegistryLookup, CopiesKeepAWorkingIndex) {
  Registry original{{school_with_account("CS-1", "111"), school_with_account("CS-2", "222")}};
  original.build_index();
  const Registry copy = original;
  // Positions, not pointers: the copy answers with its own schools.
  EXPECT_EQ(copy.find_account_owner("222"), &copy.schools[1]);
  EXPECT_EQ(copy.find_school("CS-1"), &copy.schools[0]);
}

TEST(RegistryLookup, SchoolsAddedAfterIndexingAreFound) {
  Registry registry{{school_with_account("CS-1", "111")}};
  registry.build_index();
  registry.schools.push_back(school_with_account("CS-2", "222"));
  ASSERT_NE(registry.find_account_owner("222"), nullptr);
  EXPECT_EQ(registry.find_account_owner("222")->id, "CS-2");
  EXPECT_EQ(registry.find_school("CS-2"), &registry.schools[1]);
}

TEST(RegistryLookup, AccountEditedInPlaceIsNotAttributedToItsOldOwner) {
  Registry registry{{school_with_account("CS-1", "111"), school_with_account("CS-2", "222")}};
  registry.build_index();
  registry.schools[0].accounts[0].number = "333";
  EXPECT_EQ(registry.find_account_owner("111"), nullptr);
  registry.build_index();
  ASSERT_NE(registry.find_account_owner("333"), nullptr);
  EXPECT_EQ(registry.find_account_owner("333")->id, "CS-1");
}

}  // namespace
}  // namespace sfmon::name_normaliser_test
