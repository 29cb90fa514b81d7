// Key groups: one group per distinct key tuple, numbered in order of first
// appearance, whether a key repeats the one before or comes back later.

#include "../../rules/src/window_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sfmon::rules::window::window_keys_test {
namespace {

TEST(KeyGroupsTest, GroupsAreNumberedInOrderOfFirstAppearance) {
  const std::string a = "CS-0001";
  const std::string a_again = "CS-0001";  // same text, other storage
  const std::string b = "CS-0002";
  KeyGroups groups;
  std::vector<std::uint32_t> seen;
  for (const std::string* text : {&a, &a_again, &b, &b, &a, &a_again, &b}) {
    const Value key[] = {Value::string(*text)};
    seen.push_back(groups.group_of(key));
  }
  EXPECT_EQ(seen, (std::vector<std::uint32_t>{0, 0, 1, 1, 0, 0, 1}));
  EXPECT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups.key(1)[0].text, "CS-0002");
}

TEST(KeyGroupsTest, KeysDifferingInOnePartOrInTypeAreOtherGroups) {
  KeyGroups groups;
  const Value one_two[] = {Value::integer(1), Value::integer(2)};
  const Value one_three[] = {Value::integer(1), Value::integer(3)};
  const Value money_one_two[] = {Value::money(1), Value::integer(2)};
  const Value just_one[] = {Value::integer(1)};
  EXPECT_EQ(groups.group_of(one_two), 0u);
  EXPECT_EQ(groups.group_of(one_three), 1u);
  EXPECT_EQ(groups.group_of(money_one_two), 2u);
  EXPECT_EQ(groups.group_of(just_one), 3u);
  EXPECT_EQ(groups.group_of(just_one), 3u);
  EXPECT_EQ(groups.group_of(one_two), 0u);
  EXPECT_EQ(groups.size(), 4u);
}

TEST(KeyGroupsTest, NoKeyPartsIsOneGroup) {
  KeyGroups groups;
  EXPECT_EQ(groups.group_of({}), 0u);
  EXPECT_EQ(groups.group_of({}), 0u);
  EXPECT_EQ(groups.size(), 1u);
}

}  // namespace
}  // namespace sfmon::rules::window::window_keys_test
