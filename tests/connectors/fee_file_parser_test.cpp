#include "sfmon/connectors/fee_file_parser.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>

#include "sfmon/model/input_error.h"

namespace sfmon::fee_file_parser_test {
namespace {

const Zone kShanghai{};
const std::string kHeader =
    "fee_id,school_id,student_id,paid_at,amount,fee_type,grade,period_start,period_end,hours,"
    "receiving_account,refund_of,enrolled_at\n";
const std::string kMinimalHeader = "fee_id,school_id,paid_at,amount,fee_type\n";

template <typename Parse>
InputError error_of(Parse&& parse) {
  try {
    parse();
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("", "", "");
}

InputError csv_error(const std::string& content) {
  return error_of([&] { parse_fee_csv(content, "fees.csv", kShanghai); });
}

InputError jsonl_error(const std::string& content) {
  return error_of([&] { parse_fee_jsonl(content, "fees.jsonl", kShanghai); });
}

std::vector<FeeRecord> csv(const std::string& content) {
  return parse_fee_csv(content, "fees.csv", kShanghai);
}

std::vector<FeeRecord> jsonl(const std::string& content) {
  return parse_fee_jsonl(content, "fees.jsonl", kShanghai);
}

// A minimal valid field set for decode_fee_fields, with overrides.
std::map<std::string, std::string> fields_with(std::map<std::string, std::string> overrides) {
  std::map<std::string, std::string> fields = {{"fee_id", "F1"},
                                               {"school_id", "CS-0001"},
                                               {"paid_at", "2024-09-02"},
                                               {"amount", "100.00"},
                                               {"fee_type", "tuition"}};
  for (auto& [key, value] : overrides) fields[key] = value;
  return fields;
}

InputError decode_error(std::map<std::string, std::string> overrides) {
  return error_of(
      [&] { decode_fee_fields(fields_with(overrides), "api", "records[0]", kShanghai); });
}

// ---- decode_fee_fields -------------------------------------------------------

TEST(DecodeFeeFieldsTest, DecodesMinimalRecord) {
  const FeeRecord record = decode_fee_fields(fields_with({}), "api", "records[0]", kShanghai);
  EXPECT_EQ(record.fee_id, "F1");
  EXPECT_EQ(record.school_id, "CS-0001");
  EXPECT_EQ(record.paid_at, instant_from_date(Date{2024, 9, 2}, kShanghai));
  EXPECT_EQ(record.amount_fen, 10000);
  EXPECT_EQ(record.currency, "CNY");
  EXPECT_EQ(record.fee_type, "tuition");
  EXPECT_TRUE(record.student_id.empty());
  EXPECT_FALSE(record.period_start.has_value());
  EXPECT_FALSE(record.period_end.has_value());
  EXPECT_FALSE(record.hours.has_value());
  EXPECT_FALSE(record.enrolled_at.has_value());
  EXPECT_EQ(record.source.file, "api");
  EXPECT_EQ(record.source.position, "records[0]");
}

TEST(DecodeFeeFieldsTest, TrimsValues) {
  const FeeRecord record = decode_fee_fields(fields_with({{"fee_id", " F9 "}, {"amount", " 5 "}}),
                                             "api", "x", kShanghai);
  EXPECT_EQ(record.fee_id, "F9");
  EXPECT_EQ(record.amount_fen, 500);
}

TEST(DecodeFeeFieldsTest, EachRequiredFieldIsRequired) {
  for (const std::string name : {"fee_id", "school_id", "paid_at", "amount", "fee_type"}) {
    auto fields = fields_with({});
    fields.erase(name);
    const InputError error =
        error_of([&] { decode_fee_fields(fields, "api", "records[3]", kShanghai); });
    EXPECT_EQ(error.location(), "records[3]");
    EXPECT_EQ(error.message(), "field '" + name + "': value required");
  }
}

TEST(DecodeFeeFieldsTest, BlankRequiredFieldIsMissing) {
  EXPECT_EQ(decode_error({{"school_id", "  "}}).message(), "field 'school_id': value required");
}

TEST(DecodeFeeFieldsTest, PaidAtKeepsOffset) {
  const FeeRecord record =
      decode_fee_fields(fields_with({{"paid_at", "2024-09-02T10:00:00Z"}}), "api", "x", kShanghai);
  EXPECT_EQ(record.paid_at.to_string(), "2024-09-02T10:00:00Z");
}

TEST(DecodeFeeFieldsTest, ImpossiblePaidAtIsAnError) {
  const InputError error = decode_error({{"paid_at", "2024-02-30"}});
  EXPECT_NE(error.message().find("field 'paid_at'"), std::string::npos);
  EXPECT_EQ(error.value(), "2024-02-30");
}

TEST(DecodeFeeFieldsTest, BadAmountsAreErrors) {
  for (const std::string bad : {"1,234.50", "12.345", "abc", "12.340", "1e3", "0x10"}) {
    const InputError error = decode_error({{"amount", bad}});
    EXPECT_NE(error.message().find("field 'amount': invalid amount"), std::string::npos) << bad;
    EXPECT_EQ(error.value(), bad);
  }
}

TEST(DecodeFeeFieldsTest, FeeTypeMustBeKnown) {
  const InputError error = decode_error({{"fee_type", "sponsorship"}});
  EXPECT_NE(error.message().find("field 'fee_type'"), std::string::npos);
  EXPECT_EQ(error.value(), "sponsorship");
}

TEST(DecodeFeeFieldsTest, AcceptsEveryListedFeeType) {
  for (const std::string type :
       {"tuition", "boarding", "meals", "training", "materials", "donation", "other"}) {
    EXPECT_EQ(decode_fee_fields(fields_with({{"fee_type", type}}), "api", "x", kShanghai).fee_type,
              type);
  }
}

TEST(DecodeFeeFieldsTest, ReadsPeriodAndEnrolment) {
  const FeeRecord record = decode_fee_fields(fields_with({{"period_start", "2024-09-01"},
                                                          {"period_end", "2025-01-31"},
                                                          {"enrolled_at", "2024-08-20"},
                                                          {"grade", "G1"},
                                                          {"student_id", "S-77"},
                                                          {"receiving_account", "4305"}}),
                                             "api", "x", kShanghai);
  EXPECT_EQ(record.period_start, (Date{2024, 9, 1}));
  EXPECT_EQ(record.period_end, (Date{2025, 1, 31}));
  EXPECT_EQ(record.enrolled_at, (Date{2024, 8, 20}));
  EXPECT_EQ(record.grade, "G1");
  EXPECT_EQ(record.student_id, "S-77");
  EXPECT_EQ(record.receiving_account, "4305");
}

TEST(DecodeFeeFieldsTest, ImpossibleDatesAreErrors) {
  for (const std::string name : {"period_start", "period_end", "enrolled_at"}) {
    const InputError error = decode_error({{name, "2024-02-30"}});
    EXPECT_NE(error.message().find("field '" + name + "'"), std::string::npos);
    EXPECT_EQ(error.value(), "2024-02-30");
  }
}

TEST(DecodeFeeFieldsTest, PeriodEndBeforeStartIsAnError) {
  const InputError error =
      decode_error({{"period_start", "2024-09-01"}, {"period_end", "2024-08-31"}});
  EXPECT_NE(error.message().find("field 'period_end': is before period_start 2024-09-01"),
            std::string::npos);
}

TEST(DecodeFeeFieldsTest, OneDayPeriodIsFine) {
  const FeeRecord record =
      decode_fee_fields(fields_with({{"period_start", "2024-09-01"}, {"period_end", "2024-09-01"}}),
                        "api", "x", kShanghai);
  EXPECT_EQ(record.period_end, record.period_start);
}

TEST(DecodeFeeFieldsTest, ReadsHours) {
  EXPECT_EQ(decode_fee_fields(fields_with({{"hours", "1.5"}}), "api", "x", kShanghai).hours, 1.5);
  EXPECT_EQ(decode_fee_fields(fields_with({{"hours", "0"}}), "api", "x", kShanghai).hours, 0.0);
}

TEST(DecodeFeeFieldsTest, BadHoursAreErrors) {
  for (const std::string bad : {"-1", "abc", "1e3", ".5", "1.", "+2", "nan", "inf"}) {
    const InputError error = decode_error({{"hours", bad}});
    EXPECT_NE(error.message().find("field 'hours'"), std::string::npos) << bad;
    EXPECT_EQ(error.value(), bad);
  }
}

TEST(DecodeFeeFieldsTest, RefundWithNegativeAmount) {
  const FeeRecord record =
      decode_fee_fields(fields_with({{"fee_id", "F2"}, {"amount", "-100.00"}, {"refund_of", "F1"}}),
                        "api", "x", kShanghai);
  EXPECT_EQ(record.amount_fen, -10000);
  EXPECT_EQ(record.refund_of, "F1");
}

TEST(DecodeFeeFieldsTest, NegativeAmountWithoutRefundOfIsAccepted) {
  EXPECT_EQ(decode_fee_fields(fields_with({{"amount", "-5"}}), "api", "x", kShanghai).amount_fen,
            -500);
}

TEST(DecodeFeeFieldsTest, RefundOfWithPositiveAmountIsAnError) {
  const InputError error = decode_error({{"fee_id", "F2"}, {"refund_of", "F1"}});
  EXPECT_NE(error.message().find("field 'refund_of'"), std::string::npos);
  EXPECT_NE(error.message().find("not negative"), std::string::npos);
}

TEST(DecodeFeeFieldsTest, RefundOfItselfIsAnError) {
  const InputError error = decode_error({{"amount", "-1"}, {"refund_of", "F1"}});
  EXPECT_NE(error.message().find("names the record itself"), std::string::npos);
}

TEST(DecodeFeeFieldsTest, IgnoresUnknownFields) {
  EXPECT_EQ(decode_fee_fields(fields_with({{"parent_name", "x"}}), "api", "x", kShanghai).fee_id,
            "F1");
}

// ---- CSV ---------------------------------------------------------------------

TEST(FeeCsvTest, ReadsEveryColumn) {
  const auto records = csv(kHeader +
                           "F1,CS-0001,S-1,2024-09-02T09:00:00+08:00,7500.00,tuition,G3,"
                           "2024-09-01,2025-01-31,,4305001,,2024-08-25\n");
  ASSERT_EQ(records.size(), 1u);
  const FeeRecord& record = records[0];
  EXPECT_EQ(record.fee_id, "F1");
  EXPECT_EQ(record.school_id, "CS-0001");
  EXPECT_EQ(record.student_id, "S-1");
  EXPECT_EQ(record.paid_at.to_string(), "2024-09-02T09:00:00+08:00");
  EXPECT_EQ(record.amount_fen, 750000);
  EXPECT_EQ(record.fee_type, "tuition");
  EXPECT_EQ(record.grade, "G3");
  EXPECT_EQ(record.period_start, (Date{2024, 9, 1}));
  EXPECT_EQ(record.period_end, (Date{2025, 1, 31}));
  EXPECT_FALSE(record.hours.has_value());
  EXPECT_EQ(record.receiving_account, "4305001");
  EXPECT_TRUE(record.refund_of.empty());
  EXPECT_EQ(record.enrolled_at, (Date{2024, 8, 25}));
  EXPECT_EQ(record.source.file, "fees.csv");
  EXPECT_EQ(record.source.position, "line 2");
}

TEST(FeeCsvTest, ColumnsInAnyOrderExtraColumnsIgnored) {
  const auto records =
      csv("amount,comment,fee_type,paid_at,school_id,fee_id\n12.5,hello,meals,2024-09-02,S,F\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].amount_fen, 1250);
  EXPECT_EQ(records[0].fee_type, "meals");
}

TEST(FeeCsvTest, MissingRequiredColumnNamesIt) {
  const InputError error = csv_error("fee_id,school_id,paid_at,fee_type\n");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("missing required column 'amount'"), std::string::npos);
}

TEST(FeeCsvTest, HeaderOnlyIsEmpty) {
  EXPECT_TRUE(csv(kHeader).empty());
}

TEST(FeeCsvTest, EmptyFileIsAnError) {
  EXPECT_NE(csv_error("").message().find("empty file"), std::string::npos);
}

TEST(FeeCsvTest, ErrorsNameTheLine) {
  const InputError error = csv_error(
      kMinimalHeader + "F1,S,2024-09-02,1,tuition\nF2,S,2024-09-02,\"1,234.50\",tuition\n");
  EXPECT_EQ(error.file(), "fees.csv");
  EXPECT_EQ(error.location(), "line 3");
  EXPECT_EQ(error.value(), "1,234.50");
}

TEST(FeeCsvTest, WrongCellCountIsAnError) {
  const InputError error = csv_error(kMinimalHeader + "F1,S,2024-09-02,1\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("cells"), std::string::npos);
}

TEST(FeeCsvTest, DuplicateFeeIdForOneSchoolIsAnError) {
  const InputError error = csv_error(kMinimalHeader +
                                     "F1,S,2024-09-02,1,tuition\n"
                                     "F1,T,2024-09-02,1,tuition\n"
                                     "F1,S,2024-09-03,2,meals\n");
  EXPECT_EQ(error.location(), "line 4");
  EXPECT_NE(error.message().find("duplicate fee_id for school S (first at line 2)"),
            std::string::npos);
  EXPECT_EQ(error.value(), "F1");
}

TEST(FeeCsvTest, AcceptsBomAndCrlf) {
  const auto records =
      csv("\xEF\xBB\xBF"
          "fee_id,school_id,paid_at,amount,fee_type\r\nF1,S,2024-09-02,3,other\r\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fee_id, "F1");
  EXPECT_EQ(records[0].fee_type, "other");
}

TEST(FeeCsvTest, UnterminatedQuoteIsAnError) {
  EXPECT_NE(
      csv_error(kMinimalHeader + "F1,\"S,2024-09-02,1,tuition\n").message().find("unterminated"),
      std::string::npos);
}

// ---- JSON Lines --------------------------------------------------------------

TEST(FeeJsonlTest, ReadsStringValues) {
  const auto records = jsonl(
      R"({"fee_id":"F1","school_id":"CS-0001","student_id":"S-1","paid_at":"2024-09-02","amount":"7500.00","fee_type":"tuition","period_start":"2024-09-01","period_end":"2025-01-31","hours":"12"})"
      "\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fee_id, "F1");
  EXPECT_EQ(records[0].amount_fen, 750000);
  EXPECT_EQ(records[0].hours, 12.0);
  EXPECT_EQ(records[0].period_end, (Date{2025, 1, 31}));
  EXPECT_EQ(records[0].source.position, "line 1");
}

TEST(FeeJsonlTest, NumbersKeepTheirExactText) {
  const auto records = jsonl(
      R"({"fee_id":1,"school_id":"S","paid_at":"2024-09-02","amount":0.1,"fee_type":"meals","hours":2.5})"
      "\n"
      R"({"fee_id":2,"school_id":"S","paid_at":"2024-09-02","amount":-1234567890123.45,"fee_type":"meals"})");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fee_id, "1");
  EXPECT_EQ(records[0].amount_fen, 10);
  EXPECT_EQ(records[0].hours, 2.5);
  EXPECT_EQ(records[1].amount_fen, -123456789012345);
}

TEST(FeeJsonlTest, InexactNumbersAreErrors) {
  for (const std::string bad : {"12.345", "1e3", "1.5E2"}) {
    const InputError error =
        jsonl_error(R"({"fee_id":"F","school_id":"S","paid_at":"2024-09-02","amount":)" + bad +
                    R"(,"fee_type":"meals"})");
    EXPECT_NE(error.message().find("field 'amount'"), std::string::npos) << bad;
    EXPECT_EQ(error.value(), bad);
  }
}

TEST(FeeJsonlTest, SkipsBlankLinesAndCountsThem) {
  const auto records = jsonl(
      "\n  \r\n"
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"})"
      "\r\n\n"
      R"({"fee_id":"F2","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"})");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].source.position, "line 3");
  EXPECT_EQ(records[1].source.position, "line 5");
}

TEST(FeeJsonlTest, NullMeansAbsent) {
  const auto records = jsonl(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","hours":null,"refund_of":null})");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].hours.has_value());
}

TEST(FeeJsonlTest, IgnoresUnknownKeys) {
  const auto records = jsonl(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","x":{"y":[1,"}"]},"z":true})");
  ASSERT_EQ(records.size(), 1u);
}

TEST(FeeJsonlTest, DecodesEscapes) {
  const auto records = jsonl(
      R"({"fee_id":"F\"1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","grade":"\u4e00\u5e74\u7ea7"})");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fee_id, "F\"1");
  EXPECT_EQ(records[0].grade, "一年级");
}

TEST(FeeJsonlTest, MalformedJsonNamesTheLine) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"})"
      "\n"
      R"({"fee_id":"F2", "amount": )"
      "\n");
  EXPECT_EQ(error.file(), "fees.jsonl");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("malformed JSON"), std::string::npos);
}

TEST(FeeJsonlTest, TextThatIsNoNumberIsMalformedNotAString) {
  // Top-level numbers become strings before Poco parses the object; these
  // must not slip through as text.
  for (const std::string bad : {"01", "1.", "-", "--1", "1e", "1e+", ".5", "-.5", "1.2.3", "0x10",
                                "1]", "1:2", "12abc", "+1"}) {
    const InputError error =
        jsonl_error(R"({"fee_id":"F","school_id":"S","paid_at":"2024-09-02","amount":)" + bad +
                    R"(,"fee_type":"meals"})");
    EXPECT_EQ(error.location(), "line 1") << bad;
    EXPECT_NE(error.message().find("malformed JSON"), std::string::npos)
        << bad << ": " << error.message();
  }
  // The same in a member nobody reads.
  const InputError unread = jsonl_error(
      R"({"fee_id":"F","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","x":01})");
  EXPECT_NE(unread.message().find("malformed JSON"), std::string::npos) << unread.message();
  // Numbers of every shape the grammar allows pass.
  const auto records = jsonl(
      R"({"fee_id":-0,"school_id":"S","paid_at":"2024-09-02","amount":100,"fee_type":"meals","hours":0.5,"x":1E+2,"y":-0.5e-1})");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fee_id, "-0");
  EXPECT_EQ(records[0].amount_fen, 10'000);
  EXPECT_EQ(records[0].hours, 0.5);
}

// Poco parses each object once, after the top-level numbers became strings:
// no cut or edit of a valid line that Poco refuses may be accepted (or crash
// the rewriting, which now sees text Poco has not checked).
TEST(FeeJsonlTest, EveryLineThatIsNotJsonIsRefusedAsMalformed) {
  const std::string valid =
      R"({"fee_id":"F\"1","school_id":"S","paid_at":"2024-09-02","amount":-12.5,"fee_type":"meals","x":{"y":[1,"}"]},"hours":null, "n": 10 })";
  const auto poco_accepts = [](const std::string& line) {
    try {
      Poco::JSON::Parser().parse(line);
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  };
  ASSERT_TRUE(poco_accepts(valid));
  std::vector<std::string> edits;
  for (std::size_t length = 1; length < valid.size(); ++length) {
    edits.push_back(valid.substr(0, length));  // a line cut short, e.g. inside a string
  }
  for (std::size_t at = 0; at <= valid.size(); ++at) {
    if (at < valid.size()) edits.push_back(valid.substr(0, at) + valid.substr(at + 1));
    for (const char c : std::string("\"\\,:{}[] 1-.eE+0x")) {
      edits.push_back(valid.substr(0, at) + c + valid.substr(at));
    }
  }
  int refused = 0;
  for (const std::string& line : edits) {
    if (poco_accepts(line)) continue;
    ++refused;
    const InputError error = jsonl_error(line);
    EXPECT_NE(error.message().find("malformed JSON"), std::string::npos)
        << line << ": " << error.message();
  }
  EXPECT_GT(refused, 1000);
}

TEST(FeeJsonlTest, TrailingTextAfterObjectIsAnError) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"} x)");
  EXPECT_EQ(error.location(), "line 1");
}

TEST(FeeJsonlTest, NonObjectLineIsAnError) {
  const InputError error = jsonl_error("[1,2]\n");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("expected a JSON object"), std::string::npos);
}

TEST(FeeJsonlTest, BooleanOrNestedValueOfKnownFieldIsAnError) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":true,"fee_type":"meals"})");
  EXPECT_NE(error.message().find("field 'amount' must be a string or a number"), std::string::npos);
}

TEST(FeeJsonlTest, NestedValueOfKnownFieldIsAnError) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","grade":["G1"]})");
  EXPECT_NE(error.message().find("field 'grade' must be a string or a number"), std::string::npos);
}

TEST(FeeJsonlTest, DuplicateKeyIsAnError) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","amount":"2","fee_type":"meals"})");
  EXPECT_NE(error.message().find("key 'amount' appears twice"), std::string::npos);
}

TEST(FeeJsonlTest, DuplicateKeyWithEscapesIsAnError) {
  const InputError error = jsonl_error(
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","\u0061mount":"2","fee_type":"meals"})");
  EXPECT_NE(error.message().find("appears twice"), std::string::npos);
}

TEST(FeeJsonlTest, ValidationErrorsNameTheLine) {
  const InputError error = jsonl_error(
      "\n"
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-02-30","amount":"1","fee_type":"meals"})");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_EQ(error.value(), "2024-02-30");
}

TEST(FeeJsonlTest, DuplicateFeeIdIsAnError) {
  const std::string line =
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"})";
  const InputError error = jsonl_error(line + "\n" + line + "\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("first at line 1"), std::string::npos);
}

TEST(FeeJsonlTest, InvalidUtf8NamesTheLine) {
  const InputError error = jsonl_error(
      "\n\n"
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals","grade":")"
      "\xB3\xA4\"}");
  EXPECT_EQ(error.location(), "line 3");
  EXPECT_NE(error.message().find("UTF-8"), std::string::npos);
}

TEST(FeeJsonlTest, EmptyContentHasNoRecords) {
  EXPECT_TRUE(jsonl("").empty());
}

// ---- dispatch ----------------------------------------------------------------

TEST(FeeFileTest, ObjectFirstMeansJsonLines) {
  const auto records = parse_fee_file(
      "\xEF\xBB\xBF\n  "
      R"({"fee_id":"F1","school_id":"S","paid_at":"2024-09-02","amount":"1","fee_type":"meals"})",
      "fees.txt", kShanghai);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].source.position, "line 2");
}

TEST(FeeFileTest, HeaderFirstMeansCsv) {
  const auto records =
      parse_fee_file(kMinimalHeader + "F1,S,2024-09-02,1,tuition\n", "fees.txt", kShanghai);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].source.position, "line 2");
}

TEST(FeeFileTest, EmptyFileIsAnError) {
  EXPECT_THROW(parse_fee_file("", "fees.txt", kShanghai), InputError);
}

}  // namespace
}  // namespace sfmon::fee_file_parser_test
