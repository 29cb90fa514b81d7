#include "sfmon/rules/field_catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sfmon::rules::field_catalog_test {
namespace {

constexpr int kLastFieldId = static_cast<int>(FieldId::WindowEnd);

TEST(FieldCatalog, EveryFieldIdHasItsOwnRow) {
  std::size_t count = 0;
  all_fields(&count);
  EXPECT_EQ(count, static_cast<std::size_t>(kLastFieldId + 1));
  for (int i = 0; i <= kLastFieldId; ++i) {
    const auto id = static_cast<FieldId>(i);
    EXPECT_EQ(field_info(id).id, id) << "FieldId " << i << " has no row";
  }
}

TEST(FieldCatalog, NamesAreUniqueAndFindable) {
  std::size_t count = 0;
  const FieldInfo* fields = all_fields(&count);
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_TRUE(names.insert(fields[i].name).second) << "duplicate " << fields[i].name;
    const FieldInfo* found = find_field(fields[i].name);
    ASSERT_NE(found, nullptr) << fields[i].name;
    EXPECT_EQ(found->id, fields[i].id);
  }
}

TEST(FieldCatalog, EveryFieldIsDottedTypedAndOnSomeFacts) {
  std::size_t count = 0;
  const FieldInfo* fields = all_fields(&count);
  for (std::size_t i = 0; i < count; ++i) {
    const FieldInfo& field = fields[i];
    EXPECT_NE(field.name.find('.'), std::string_view::npos) << field.name;
    EXPECT_NE(field.type, ValueType::Null) << field.name;
    EXPECT_NE(field.type, ValueType::List) << field.name;
    EXPECT_NE(field.facts & kAllFacts, 0u) << field.name;
    EXPECT_EQ(field.facts & ~kAllFacts, 0u) << field.name;
  }
}

TEST(FieldCatalog, UnknownNameIsNull) {
  EXPECT_EQ(find_field("record.amout"), nullptr);
  EXPECT_EQ(find_field("amount"), nullptr);
  EXPECT_EQ(find_field(""), nullptr);
}

TEST(FieldCatalog, SourceSpecificFieldsAreLimitedToTheirFacts) {
  EXPECT_EQ(find_field("fee.cap")->facts, unsigned{kFeeFacts});
  EXPECT_EQ(find_field("counterparty.name")->facts, unsigned{kBankFacts});
  EXPECT_EQ(find_field("balance.amount")->facts, unsigned{kBalanceFacts});
  EXPECT_EQ(find_field("school.id")->facts, unsigned{kAllFacts});
  EXPECT_TRUE(find_field("school.min_balance")->nullable);
  EXPECT_EQ(find_field("record.amount")->type, ValueType::Money);
}

}  // namespace
}  // namespace sfmon::rules::field_catalog_test
