#pragma once
// Private to the expression parser: splits expression text into tokens, each
// with its absolute position. Positions follow the editor's view: a newline
// in the text starts the next line at column 1, and columns count characters
// (UTF-8 code points), not bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/rules/diagnostic.h"

namespace sfmon::rules::lexer {

enum class TokenKind {
  End,
  Integer,     // 30
  Decimal,     // 0.8, 2000000.00 (exact text kept)
  Duration,    // 72h, 7d, 30m, 10s
  String,      // 'x' or "x"
  Identifier,  // is_debit, record.amount (dotted names are one token)
  Param,       // $name (text without '$' in `value`)
  // Keywords.
  And,
  Or,
  Not,
  In,
  Contains,
  IContains,
  StartsWith,
  EndsWith,
  Matches,
  ContainsAny,
  True,
  False,
  Null,
  // Punctuation.
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;  // as written in the source (quotes included)
  int line = 0;
  int column = 0;
  std::string value;         // String: decoded content; Param: the name
  std::int64_t integer = 0;  // Integer; Duration in seconds
  double number = 0;         // Decimal
};

// Walks text one byte at a time, keeping the line and character column of
// the byte it stands on.
class PositionTracker {
 public:
  explicit PositionTracker(const SourceRef& origin) : line_(origin.line), column_(origin.column) {}

  // Moves over text[offset_ .. target); `text` must be the same each call.
  void advance_to(std::string_view text, std::size_t target);

  std::size_t offset() const { return offset_; }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  std::size_t offset_ = 0;
  int line_;
  int column_;
};

// Every token of `text`, ending with one End token placed just after the last
// non-blank character. Throws PackError (one Diagnostic) on a lexical error.
std::vector<Token> tokenize(std::string_view text, const SourceRef& origin);

// How a token reads in a message: "'and'", "end of expression".
std::string describe(const Token& token);

// Throws PackError with a single diagnostic.
[[noreturn]] void fail(const std::string& file, int line, int column, std::string message);

}  // namespace sfmon::rules::lexer
