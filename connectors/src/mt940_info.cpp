#include "mt940_info.h"

#include <cctype>
#include <map>
#include <string_view>

#include "mt940_text.h"

namespace sfmon::mt940 {
namespace {

// SWIFT lines hold at most 65 characters; a line that long was cut by the
// bank's line wrap, mid-word, so it continues without a space.
constexpr std::size_t kSwiftLineLength = 65;
constexpr std::size_t kTagLength = 4;  // ":86:"

bool is_subfield_start(std::string_view text, std::size_t pos, char separator) {
  return text[pos] == separator && pos + 2 < text.size() && is_digit(text[pos + 1]) &&
         is_digit(text[pos + 2]);
}

// "166?00..." (DFÜ) or "000>10..." (Triodos). A separator other than '?'
// must open at least two subfields, so free text such as "100/20 rent" stays text.
bool looks_structured(std::string_view text) {
  if (text.size() < 6 || !is_digit(text[0]) || !is_digit(text[1]) || !is_digit(text[2]))
    return false;
  const char separator = text[3];
  if (std::isalnum(static_cast<unsigned char>(separator)) || separator == ' ') return false;
  if (!is_subfield_start(text, 3, separator)) return false;
  if (separator == '?') return true;
  int subfields = 0;
  for (std::size_t pos = 3; pos < text.size() && subfields < 2; ++pos) {
    if (is_subfield_start(text, pos, separator)) ++subfields;
  }
  return subfields >= 2;
}

Information read_structured(std::string_view text) {
  Information info;
  info.structured = true;
  info.gvc = std::string(text.substr(0, 3));
  const char separator = text[3];

  std::string purpose;
  std::string purpose_more;              // ?60-?63 continue the purpose after ?29
  std::map<int, std::string> subfields;  // the others, joined when a code repeats
  std::size_t pos = 3;
  while (pos < text.size()) {
    const int code = (text[pos + 1] - '0') * 10 + (text[pos + 2] - '0');
    std::size_t end = pos + 3;
    while (end < text.size() && !is_subfield_start(text, end, separator)) ++end;
    const std::string_view content = text.substr(pos + 3, end - pos - 3);
    if (code >= 20 && code <= 29) {
      purpose += content;
    } else if (code >= 60 && code <= 63) {
      purpose_more += content;
    } else {
      subfields[code] += content;
    }
    pos = end;
  }
  info.posting_text = fold_spaces(subfields[0]);
  info.purpose = fold_spaces(purpose + purpose_more);
  info.counterparty.bank = fold_spaces(subfields[30]);
  info.counterparty.account = fold_spaces(subfields[31]);
  if (info.counterparty.account.empty()) info.counterparty.account = fold_spaces(subfields[38]);
  info.counterparty.name = fold_spaces(subfields[32] + subfields[33]);
  return info;
}

std::string join_free_text(const std::vector<std::string>& lines) {
  std::string text;
  std::size_t previous_length = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::size_t length = count_code_points(lines[i]) + (i == 0 ? kTagLength : 0);
    if (!trim(lines[i]).empty()) {
      if (!text.empty() && previous_length < kSwiftLineLength) text += ' ';
      text += lines[i];
    }
    previous_length = length;
  }
  return fold_spaces(text);
}

}  // namespace

Information parse_information(const std::vector<std::string>& lines) {
  // Structured fields are wrapped at arbitrary points ("?2\n2MTLG"), so their
  // lines join without any separator before the subfields are read.
  std::string joined;
  for (const auto& line : lines) joined += line;
  if (looks_structured(joined)) return read_structured(joined);

  Information info;
  info.purpose = join_free_text(lines);
  return info;
}

}  // namespace sfmon::mt940
