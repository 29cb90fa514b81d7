#pragma once
// Text checks shared by the line-oriented parsers (bank CSV, fee CSV and JSON
// Lines): formats.md says all input is UTF-8 with an optional BOM, and that
// anything else is an error, never a silent misread.

#include <cstddef>
#include <string>
#include <string_view>

namespace sfmon {

// `text` without a leading UTF-8 byte order mark (EF BB BF), if it has one.
std::string_view strip_utf8_bom(std::string_view text);

// Offset of the first byte that does not start (or continue) a well-formed
// UTF-8 sequence per Unicode table 3-7 (no overlong forms, no surrogates, at
// most U+10FFFF), or std::string_view::npos when all of `text` is valid.
std::size_t find_invalid_utf8(std::string_view text);

// Throws InputError(file, "line N", ...) naming the line and byte column of
// the first invalid sequence; the value shows the bytes escaped as \xHH so
// the error message itself stays valid UTF-8. `first_line` is the number of
// the line `text` starts on; CRLF, LF and a lone CR each end a line.
void require_valid_utf8(std::string_view text, const std::string& file, int first_line = 1);

// `text` without leading and trailing ASCII spaces and tabs (and CR/LF).
std::string_view trim_ascii(std::string_view text);

// "line 12": the location format every line-oriented parser uses in errors.
std::string line_location(int line);

}  // namespace sfmon
