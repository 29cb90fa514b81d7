#pragma once
// First stage of the MT940 parser: splits the file into tagged fields and
// message boundaries, independent of what the fields mean. Handles CRLF/LF,
// a UTF-8 BOM, SWIFT envelopes ({1:..}{2:..}{4: ... -}{5:..}) and bare
// messages separated by "-" lines.

#include <string>
#include <string_view>
#include <vector>

namespace sfmon::mt940 {

enum class ItemKind {
  Field,       // ":TAG:text" plus the continuation lines that follow it
  MessageEnd,  // a line starting with '-' ("-", "-}{5:}", "-XXX")
  Outside,     // a non-blank line that belongs to no field (bank headers, preambles)
};

struct Item {
  ItemKind kind = ItemKind::Field;
  int line = 0;                    // 1-based line of the tag or marker
  std::string tag;                 // "20", "28C", "61", "NS"; Field only
  std::vector<std::string> lines;  // [0]: text after the tag, then continuation lines;
                                   // Outside: the line itself
};

struct Tokens {
  std::vector<Item> items;
  int invalid_utf8_lines = 0;  // lines where invalid bytes became U+FFFD
  int first_invalid_utf8_line = 0;
};

// All text in the result is valid UTF-8 without control characters (see clean_text).
Tokens tokenize(std::string_view content);

}  // namespace sfmon::mt940
