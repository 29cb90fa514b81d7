#include "sfmon/connectors/csv_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "sfmon/model/input_error.h"

namespace sfmon::csv_reader_test {
namespace {

using Cells = std::vector<std::string>;

InputError read_error(std::string_view content) {
  try {
    read_csv(content, "t.csv");
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected an InputError for: " << content;
  return InputError("", "", "");
}

TEST(CsvReaderTest, ReadsRowsWithLineNumbers) {
  const auto rows = read_csv("a,b\nc,d\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[0].cells, (Cells{"a", "b"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].cells, (Cells{"c", "d"}));
}

TEST(CsvReaderTest, AcceptsCrlfLineEndings) {
  const auto rows = read_csv("a,b\r\nc,d\r\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (Cells{"a", "b"}));
  EXPECT_EQ(rows[1].cells, (Cells{"c", "d"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReaderTest, AcceptsLoneCrLineEndings) {
  const auto rows = read_csv("a\rb\r", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells, (Cells{"b"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReaderTest, LastRowNeedsNoTrailingNewline) {
  const auto rows = read_csv("a,b\nc,d", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells, (Cells{"c", "d"}));
}

TEST(CsvReaderTest, QuotedFieldKeepsCommas) {
  const auto rows = read_csv("\"x, y\",z\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"x, y", "z"}));
}

TEST(CsvReaderTest, DoubledQuoteIsOneQuote) {
  const auto rows = read_csv("\"say \"\"hi\"\"\",\"\"\"\"\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"say \"hi\"", "\""}));
}

TEST(CsvReaderTest, EmptyQuotedFieldIsEmpty) {
  const auto rows = read_csv("\"\",b\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"", "b"}));
}

TEST(CsvReaderTest, QuotedLineBreakStaysInFieldAndCountsLines) {
  const auto rows = read_csv("h1,h2\n\"two\nlines\",x\nnext,row\n", "t.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[1].cells, (Cells{"two\nlines", "x"}));
  EXPECT_EQ(rows[2].line, 4);
}

TEST(CsvReaderTest, QuotedCrlfBecomesLf) {
  const auto rows = read_csv("\"two\r\nlines\",x\r\nnext\r\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[0], "two\nlines");
  EXPECT_EQ(rows[1].line, 3);
}

TEST(CsvReaderTest, KeepsEmptyFieldsIncludingTrailingOne) {
  const auto rows = read_csv("a,,c,\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"a", "", "c", ""}));
}

TEST(CsvReaderTest, TrailingCommaAtEndOfFileKeepsEmptyField) {
  const auto rows = read_csv("a,", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"a", ""}));
}

TEST(CsvReaderTest, SkipsEmptyLinesButKeepsLineNumbers) {
  const auto rows = read_csv("a\n\n\r\nb\n\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].cells, (Cells{"b"}));
  EXPECT_EQ(rows[1].line, 4);
}

TEST(CsvReaderTest, KeepsSpacesInsideFields) {
  const auto rows = read_csv(" a , b \n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{" a ", " b "}));
}

TEST(CsvReaderTest, EmptyContentHasNoRows) {
  EXPECT_TRUE(read_csv("", "t.csv").empty());
  EXPECT_TRUE(read_csv("\n\r\n", "t.csv").empty());
}

TEST(CsvReaderTest, SkipsUtf8Bom) {
  const auto rows = read_csv("\xEF\xBB\xBFtxn_id,amount\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"txn_id", "amount"}));
}

TEST(CsvReaderTest, KeepsUtf8Text) {
  const auto rows = read_csv("长沙市某某学校,😀\n", "t.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"长沙市某某学校", "😀"}));
}

TEST(CsvReaderTest, ReadsHugeFields) {
  const std::string big(1 << 20, 'x');
  const auto rows = read_csv(big + ",\"" + big + "\"\nz\n", "t.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[0].size(), big.size());
  EXPECT_EQ(rows[0].cells[1].size(), big.size());
  EXPECT_EQ(rows[1].line, 2);
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItOpened) {
  const InputError error = read_error("a,b\nc,\"open\nmore\nstill open");
  EXPECT_EQ(error.file(), "t.csv");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("unterminated"), std::string::npos);
  EXPECT_EQ(error.value().substr(0, 5), "\"open");
}

TEST(CsvReaderTest, StrayQuoteInUnquotedFieldIsAnError) {
  const InputError error = read_error("a,b\nc,d\"e\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("stray quote in unquoted field 2"), std::string::npos);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAnError) {
  const InputError error = read_error("\"ab\"c,d\n");
  EXPECT_EQ(error.location(), "line 1");
  EXPECT_NE(error.message().find("after the closing quote of field 1"), std::string::npos);
}

TEST(CsvReaderTest, InvalidUtf8NamesTheLine) {
  const InputError error = read_error("a,b\nc,d\xFF\n");
  EXPECT_EQ(error.location(), "line 2");
  EXPECT_NE(error.message().find("invalid UTF-8 at byte 4"), std::string::npos);
  EXPECT_EQ(error.value(), "\\xFF\\x0A");
}

TEST(CsvReaderTest, InvalidUtf8LineCountsCrlfOnce) {
  EXPECT_EQ(read_error("a\r\nb\r\n\xC3\x28\r\n").location(), "line 3");
}

TEST(CsvReaderTest, RejectsOverlongUtf8) {
  EXPECT_EQ(read_error("\xC0\xAF").location(), "line 1");
}

TEST(CsvReaderTest, RejectsEncodedSurrogates) {
  EXPECT_EQ(read_error("x\n\xED\xA0\x80").location(), "line 2");
}

TEST(CsvReaderTest, RejectsCodePointsAboveUnicodeRange) {
  EXPECT_EQ(read_error("\xF4\x90\x80\x80").location(), "line 1");
}

TEST(CsvReaderTest, RejectsTruncatedSequenceAtEnd) {
  EXPECT_EQ(read_error("ok\n\xE4\xB8").location(), "line 2");
}

TEST(CsvReaderTest, RejectsGb18030Text) {
  // "长沙" in GB18030: must not be misread as UTF-8 (formats.md).
  EXPECT_EQ(read_error("name\n\xB3\xA4\xC9\xB3\n").location(), "line 2");
}

}  // namespace
}  // namespace sfmon::csv_reader_test
