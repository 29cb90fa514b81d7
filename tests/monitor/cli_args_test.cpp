#include "sfmon/monitor/cli_args.h"

#include <gtest/gtest.h>

namespace sfmon::cli_args_test {
namespace {

const OptionSpec kSpec{{"from", "to"}, {"flagged"}, {}};

TEST(CliArgsDate, AbsentOptionIsNoDate) {
  const CliArgs args({"--flagged"}, kSpec);
  EXPECT_EQ(args.date("from"), std::nullopt);
}

TEST(CliArgsDate, BothSpellingsGiveTheDate) {
  const CliArgs args({"--from", "2024-02-29", "--to=2024-03-01"}, kSpec);
  EXPECT_EQ(args.date("from"), (Date{2024, 2, 29}));
  EXPECT_EQ(args.date("to"), (Date{2024, 3, 1}));
}

TEST(CliArgsDate, TextThatIsNoDateNamesTheOptionAndTheText) {
  for (const char* text : {"2023-02-29", "2024-13-01", "yesterday", "2024-1-01", ""}) {
    const CliArgs args({"--to", text}, kSpec);
    try {
      (void)args.date("to");
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const UsageError& error) {
      EXPECT_EQ(std::string(error.what()),
                std::string("--to must be a date YYYY-MM-DD, not '") + text + "'");
    }
  }
}

}  // namespace
}  // namespace sfmon::cli_args_test
