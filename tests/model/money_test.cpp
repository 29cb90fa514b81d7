#include "sfmon/model/money.h"

#include <gtest/gtest.h>

namespace sfmon::money_test {
namespace {

std::optional<Fen> dot(std::string_view text) {
  return parse_amount(text, AmountSyntax{});
}

TEST(MoneyParse, WholeAndFractionalAmounts) {
  EXPECT_EQ(dot("1234.50"), 123450);
  EXPECT_EQ(dot("0.01"), 1);
  EXPECT_EQ(dot("7"), 700);
  EXPECT_EQ(dot("7.5"), 750);
  EXPECT_EQ(dot("-12.35"), -1235);
  EXPECT_EQ(dot("+3.00"), 300);
  EXPECT_EQ(dot(".5"), 50);
}

TEST(MoneyParse, ZeroExtraDecimalsAreExact) {
  EXPECT_EQ(dot("5442.09000"), 544209);
  AmountSyntax strict;
  strict.allow_zero_extra_decimals = false;
  EXPECT_EQ(parse_amount("5442.090", strict), std::nullopt);
}

TEST(MoneyParse, NonZeroThirdDecimalIsRejectedWithReason) {
  std::string why;
  EXPECT_EQ(parse_amount("1.005", AmountSyntax{}, &why), std::nullopt);
  EXPECT_NE(why.find("two decimals"), std::string::npos);
}

TEST(MoneyParse, RejectsNonNumbers) {
  for (const char* bad :
       {"", "-", ".", "abc", "1,234.50", "1 234", "12.3.4", "1e5", " 12", "12 ", "--1", "0x10"}) {
    EXPECT_EQ(dot(bad), std::nullopt) << bad;
  }
}

TEST(MoneyParse, CommaSyntaxForMt940) {
  AmountSyntax comma{',', false, true};
  EXPECT_EQ(parse_amount("12,35", comma), 1235);
  EXPECT_EQ(parse_amount("12,", comma), 1200);
  EXPECT_EQ(parse_amount("-12,35", comma), std::nullopt);
  EXPECT_EQ(parse_amount("12.35", comma), std::nullopt);
}

TEST(MoneyParse, RejectsOutOfRange) {
  EXPECT_EQ(dot("99999999999999999999.00"), std::nullopt);
  EXPECT_EQ(dot("900000000000000.00"), 90000000000000000);
}

TEST(MoneyFormat, AlwaysTwoDecimals) {
  EXPECT_EQ(format_amount(123450), "1234.50");
  EXPECT_EQ(format_amount(-1235), "-12.35");
  EXPECT_EQ(format_amount(0), "0.00");
  EXPECT_EQ(format_amount(-5), "-0.05");
  EXPECT_EQ(format_amount(INT64_MIN), "-92233720368547758.08");
}

}  // namespace
}  // namespace sfmon::money_test
