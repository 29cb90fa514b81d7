#include "expression_lexer.h"

#include <charconv>
#include <cstdio>
#include <utility>

namespace sfmon::rules::lexer {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

bool is_continuation_byte(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The code point starting at text[pos] and its length in bytes; kInvalid
// (length 1) for a malformed sequence, so that any byte string lexes.
char32_t decode(std::string_view text, std::size_t pos, std::size_t* length) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  *length = 1;
  if (lead < 0x80) return lead;
  std::size_t extra = 0;
  char32_t code = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    code = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    code = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    code = lead & 0x07u;
  } else {
    return kInvalid;
  }
  if (pos + extra >= text.size()) return kInvalid;
  for (std::size_t i = 1; i <= extra; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + i]);
    if (!is_continuation_byte(byte)) return kInvalid;
    code = (code << 6) | (byte & 0x3Fu);
  }
  *length = extra + 1;
  return code;
}

bool is_space(char32_t code) {
  return code == ' ' || code == '\t' || code == '\n' || code == '\r' || code == '\f' ||
         code == '\v' || code == 0xA0 || code == 0x3000;
}

bool is_digit(char32_t code) {
  return code >= '0' && code <= '9';
}

// Non-ASCII punctuation never joins a name, so that "（" gets its own hint.
bool is_punctuation(char32_t code) {
  return (code >= 0x80 && code <= 0xBF) || code == 0xD7 || code == 0xF7 ||
         (code >= 0x2000 && code <= 0x206F) || (code >= 0x3000 && code <= 0x303F) ||
         (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF0F) ||
         (code >= 0xFF1A && code <= 0xFF20) || (code >= 0xFF3B && code <= 0xFF40) ||
         (code >= 0xFF5B && code <= 0xFF65);
}

// Names may use letters of any script (a list item such as 现金 can go
// unquoted); ASCII names are letters, digits and '_'.
bool is_name_start(char32_t code) {
  if (code == kInvalid) return false;
  if (code < 0x80)
    return (code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z') || code == '_';
  return !is_punctuation(code) && !is_space(code);
}

bool is_name_part(char32_t code) {
  return is_name_start(code) || is_digit(code);
}

// Full-width punctuation an input method produces instead of the ASCII one.
const char* ascii_lookalike(char32_t code) {
  switch (code) {
    case 0xFF08:
      return "(";
    case 0xFF09:
      return ")";
    case 0xFF0C:
    case 0x3001:
      return ",";
    case 0xFF1D:
      return "==";
    case 0xFF3B:
    case 0x3010:
      return "[";
    case 0xFF3D:
    case 0x3011:
      return "]";
    case 0x2018:
    case 0x2019:
      return "'";
    case 0x201C:
    case 0x201D:
      return "\"";
    case 0xFF04:
      return "$";
    case 0xFF0B:
      return "+";
    case 0xFF0D:
      return "-";
    case 0xFF1C:
      return "<";
    case 0xFF1E:
      return ">";
    default:
      return nullptr;
  }
}

struct Keyword {
  std::string_view text;
  TokenKind kind;
};
constexpr Keyword kKeywords[] = {
    {"and", TokenKind::And},
    {"or", TokenKind::Or},
    {"not", TokenKind::Not},
    {"in", TokenKind::In},
    {"contains", TokenKind::Contains},
    {"icontains", TokenKind::IContains},
    {"startswith", TokenKind::StartsWith},
    {"endswith", TokenKind::EndsWith},
    {"matches", TokenKind::Matches},
    {"contains_any", TokenKind::ContainsAny},
    {"true", TokenKind::True},
    {"false", TokenKind::False},
    {"null", TokenKind::Null},
};

std::int64_t unit_seconds(char suffix) {
  switch (suffix) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 3600;
    case 'd':
      return 86400;
    default:
      return 0;
  }
}

class Lexer {
 public:
  Lexer(std::string_view text, const SourceRef& origin)
      : text_(text), file_(origin.file), tracker_(origin) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    std::size_t last_end = 0;
    while (true) {
      skip_blanks();
      if (pos_ >= text_.size()) break;
      tokens.push_back(next_token());
      last_end = pos_;
    }
    Token end;
    end.kind = TokenKind::End;
    tracker_.advance_to(text_, last_end);
    end.line = tracker_.line();
    end.column = tracker_.column();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  char32_t code_at(std::size_t pos, std::size_t* length) const {
    if (pos >= text_.size()) {
      *length = 0;
      return 0;
    }
    return decode(text_, pos, length);
  }
  char32_t code_at(std::size_t pos) const {
    std::size_t length = 0;
    return code_at(pos, &length);
  }
  char byte_at(std::size_t pos) const { return pos < text_.size() ? text_[pos] : '\0'; }

  void skip_blanks() {
    std::size_t length = 0;
    while (pos_ < text_.size() && is_space(code_at(pos_, &length))) pos_ += length;
  }

  // Index just after the name part starting at `pos`.
  std::size_t scan_name(std::size_t pos) const {
    std::size_t length = 0;
    while (pos < text_.size() && is_name_part(code_at(pos, &length))) pos += length;
    return pos;
  }

  [[noreturn]] void fail_at(std::size_t pos, std::string message) {
    tracker_.advance_to(text_, pos);
    fail(file_, tracker_.line(), tracker_.column(), std::move(message));
  }

  Token start_token(TokenKind kind) {
    tracker_.advance_to(text_, pos_);
    Token token;
    token.kind = kind;
    token.line = tracker_.line();
    token.column = tracker_.column();
    return token;
  }

  Token finish(Token token, std::size_t start, std::size_t end) {
    token.text = text_.substr(start, end - start);
    pos_ = end;
    return token;
  }

  Token next_token() {
    std::size_t length = 0;
    const char32_t code = code_at(pos_, &length);
    if (is_digit(code)) return number();
    if (code == '\'' || code == '"') return string_literal();
    if (is_name_start(code)) return name();
    if (code == '$') return param();
    return punctuation(code, length);
  }

  Token number() {
    const std::size_t start = pos_;
    Token token = start_token(TokenKind::Integer);
    std::size_t end = start;
    while (is_digit(code_at(end))) ++end;
    if (byte_at(end) == '.') {
      if (!is_digit(code_at(end + 1))) {
        fail_at(start, "invalid number '" +
                           std::string(text_.substr(start, scan_name(end + 1) - start)) +
                           "' (write digits after the '.')");
      }
      std::size_t decimal_end = end + 1;
      while (is_digit(code_at(decimal_end))) ++decimal_end;
      if (is_name_part(code_at(decimal_end)) || byte_at(decimal_end) == '.') {
        const std::size_t bad_end =
            byte_at(decimal_end) == '.' ? decimal_end + 1 : scan_name(decimal_end);
        fail_at(start, "invalid number '" + std::string(text_.substr(start, bad_end - start)) +
                           "' (durations are whole numbers, e.g. 90m)");
      }
      token.kind = TokenKind::Decimal;
      const auto result =
          std::from_chars(text_.data() + start, text_.data() + decimal_end, token.number);
      if (result.ec != std::errc()) {
        fail_at(start, "number '" + std::string(text_.substr(start, decimal_end - start)) +
                           "' is out of range");
      }
      return finish(std::move(token), start, decimal_end);
    }
    const auto result = std::from_chars(text_.data() + start, text_.data() + end, token.integer);
    const std::size_t name_end = scan_name(end);
    if (name_end != end) {
      const std::int64_t unit = name_end == end + 1 ? unit_seconds(text_[end]) : 0;
      if (unit == 0) {
        fail_at(start, "invalid number '" + std::string(text_.substr(start, name_end - start)) +
                           "' (durations are written like 30m, 72h, 7d)");
      }
      token.kind = TokenKind::Duration;
      if (result.ec != std::errc() || __builtin_mul_overflow(token.integer, unit, &token.integer)) {
        fail_at(start, "duration '" + std::string(text_.substr(start, name_end - start)) +
                           "' is out of range");
      }
      return finish(std::move(token), start, name_end);
    }
    if (result.ec != std::errc()) {
      fail_at(start,
              "integer '" + std::string(text_.substr(start, end - start)) + "' is out of range");
    }
    return finish(std::move(token), start, end);
  }

  // A backslash escapes the quote and itself only; any other backslash stays,
  // so regular expressions read as written: 'x\d+'.
  Token string_literal() {
    const std::size_t start = pos_;
    const char quote = text_[start];
    Token token = start_token(TokenKind::String);
    std::size_t pos = start + 1;
    while (true) {
      if (pos >= text_.size()) fail_at(start, "unterminated string");
      const char c = text_[pos];
      if (c == quote) break;
      if (c == '\\' && pos + 1 < text_.size() &&
          (text_[pos + 1] == quote || text_[pos + 1] == '\\')) {
        token.value += text_[pos + 1];
        pos += 2;
        continue;
      }
      token.value += c;
      ++pos;
    }
    return finish(std::move(token), start, pos + 1);
  }

  Token name() {
    const std::size_t start = pos_;
    Token token = start_token(TokenKind::Identifier);
    std::size_t end = scan_name(start);
    bool dotted = false;
    while (byte_at(end) == '.') {
      if (!is_name_start(code_at(end + 1))) {
        fail_at(start, "expected a name after '.' in '" +
                           std::string(text_.substr(start, scan_name(end + 1) - start)) + "'");
      }
      dotted = true;
      end = scan_name(end + 1);
    }
    const std::string_view text = text_.substr(start, end - start);
    if (!dotted) {
      for (const Keyword& keyword : kKeywords) {
        if (keyword.text == text) token.kind = keyword.kind;
      }
    }
    return finish(std::move(token), start, end);
  }

  Token param() {
    const std::size_t start = pos_;
    Token token = start_token(TokenKind::Param);
    if (!is_name_start(code_at(start + 1))) fail_at(start, "expected a parameter name after '$'");
    const std::size_t end = scan_name(start + 1);
    token.value = std::string(text_.substr(start + 1, end - start - 1));
    return finish(std::move(token), start, end);
  }

  Token simple(TokenKind kind, std::size_t length) {
    const std::size_t start = pos_;
    Token token = start_token(kind);
    return finish(std::move(token), start, start + length);
  }

  [[noreturn]] void unknown_operator(std::string_view op, std::string_view suggestion) {
    fail_at(pos_, "unknown operator '" + std::string(op) + "' (did you mean '" +
                      std::string(suggestion) + "')");
  }

  Token punctuation(char32_t code, std::size_t length) {
    const char next = byte_at(pos_ + 1);
    switch (code) {
      case '=':
        if (next == '=') return simple(TokenKind::Eq, 2);
        if (next == '<') unknown_operator("=<", "<=");
        if (next == '>') unknown_operator("=>", ">=");
        unknown_operator("=", "==");
      case '!':
        if (next == '=') return simple(TokenKind::Ne, 2);
        unknown_operator("!", "not");
      case '<':
        if (next == '=') return simple(TokenKind::Le, 2);
        if (next == '>') unknown_operator("<>", "!=");
        return simple(TokenKind::Lt, 1);
      case '>':
        if (next == '=') return simple(TokenKind::Ge, 2);
        return simple(TokenKind::Gt, 1);
      case '&':
        unknown_operator(next == '&' ? "&&" : "&", "and");
      case '|':
        unknown_operator(next == '|' ? "||" : "|", "or");
      case '+':
        return simple(TokenKind::Plus, 1);
      case '-':
        return simple(TokenKind::Minus, 1);
      case '*':
        return simple(TokenKind::Star, 1);
      case '/':
        return simple(TokenKind::Slash, 1);
      case '(':
        return simple(TokenKind::LParen, 1);
      case ')':
        return simple(TokenKind::RParen, 1);
      case '[':
        return simple(TokenKind::LBracket, 1);
      case ']':
        return simple(TokenKind::RBracket, 1);
      case ',':
        return simple(TokenKind::Comma, 1);
      default:
        break;
    }
    if (code == kInvalid) {
      char buffer[48];
      std::snprintf(buffer, sizeof buffer, "invalid UTF-8 byte 0x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(text_[pos_])));
      fail_at(pos_, buffer);
    }
    if (code < 0x20 || code == 0x7F) {
      char buffer[48];
      std::snprintf(buffer, sizeof buffer, "unexpected control character U+%04X",
                    static_cast<unsigned>(code));
      fail_at(pos_, buffer);
    }
    std::string message = "unexpected character '" + std::string(text_.substr(pos_, length)) + "'";
    if (const char* ascii = ascii_lookalike(code)) {
      message += " (did you mean '" + std::string(ascii) + "'?)";
    }
    fail_at(pos_, std::move(message));
  }

  std::string_view text_;
  std::string file_;
  PositionTracker tracker_;
  std::size_t pos_ = 0;
};

}  // namespace

void PositionTracker::advance_to(std::string_view text, std::size_t target) {
  for (; offset_ < target && offset_ < text.size(); ++offset_) {
    const auto byte = static_cast<unsigned char>(text[offset_]);
    if (byte == '\n') {
      ++line_;
      column_ = 1;
    } else if (!is_continuation_byte(byte)) {
      ++column_;
    }
  }
}

std::vector<Token> tokenize(std::string_view text, const SourceRef& origin) {
  return Lexer(text, origin).run();
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::End:
      return "the end of the expression";
    case TokenKind::String: {
      // Built piecewise: GCC 12 -O3 warns falsely (-Wrestrict) on "..." + s.
      std::string text = "string ";
      text += token.text;
      return text;
    }
    default: {
      std::string text = "'";
      text += token.text;
      text += '\'';
      return text;
    }
  }
}

void fail(const std::string& file, int line, int column, std::string message) {
  throw PackError({Diagnostic{SourceRef{file, line, column}, std::move(message)}});
}

}  // namespace sfmon::rules::lexer
