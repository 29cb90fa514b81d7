#include "sfmon/model/name_normaliser.h"

#include <gtest/gtest.h>

#include "sfmon/model/registry.h"

namespace sfmon {
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

TEST(AccountNormaliser, IgnoresSpacesAndCase) {
  EXPECT_EQ(normalise_account("de89 3704-0044 0532 0130 00"), "DE89370400440532013000");
}

TEST(RegistryLookup, FindsOwnerOfNormalisedAccount) {
  Registry registry;
  registry.schools.push_back(School{.id = "CS-1", .accounts = {{"4305 0180", "CCB", AccountRole::Supervised}}});
  ASSERT_NE(registry.find_account_owner("43050180"), nullptr);
  EXPECT_EQ(registry.find_account_owner("43050180")->id, "CS-1");
  EXPECT_EQ(registry.find_account_owner("999"), nullptr);
  EXPECT_EQ(registry.find_school("CS-1"), &registry.schools[0]);
  EXPECT_TRUE(is_compulsory(SchoolKind::NineYear));
  EXPECT_FALSE(is_compulsory(SchoolKind::High));
  EXPECT_EQ(school_kind_from_string("nine_year"), SchoolKind::NineYear);
  EXPECT_EQ(school_kind_from_string("college"), std::nullopt);
}

}  // namespace
}  // namespace sfmon
