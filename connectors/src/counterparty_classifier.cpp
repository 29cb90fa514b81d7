#include "counterparty_classifier.h"

#include <array>

#include "sfmon/model/name_normaliser.h"

namespace sfmon {
namespace {

// Words that only organisations carry in their names. Matched anywhere in
// the name: Chinese has no word boundaries, and these words are too rare in
// personal names to mislead (文化 or 国华, common given names, are not here).
constexpr auto kChineseLegalForms = std::to_array<std::string_view>({
    "公司", "学校",   "幼儿园", "银行",   "局",     "中心",   "协会",   "委员会", "研究院",
    "集团", "事务所", "医院",   "合作社", "基金会", "工作室", "商行",   "门市部", "店",
    "厂",   "分行",   "支行",   "信用社", "大学",   "学院",   "中学",   "小学",   "政府",
    "财政", "税务",   "法院",   "检察院", "研究所", "派出所", "办事处", "营业部", "经营部",
    "商会", "工会",   "联合会", "学会",   "俱乐部", "超市",   "酒店",   "宾馆",   "饭店",
    "餐厅", "食堂",   "合伙",   "企业",   "厅",     "培训",   "教育",   "科技",   "贸易",
    "实业", "投资",   "咨询",   "物业",   "个体",   "保险",
});

// Latin legal forms and institution words, compared as whole tokens with
// dots removed ("Co.," and "co" alike), case-insensitively.
constexpr auto kLatinLegalForms = std::to_array<std::string_view>({
    "gmbh",        "ag",        "kg",         "ohg",          "ltd",      "limited",
    "llc",         "llp",       "inc",        "incorporated", "co",       "corp",
    "corporation", "company",   "plc",        "sas",          "sarl",     "srl",
    "spa",         "bv",        "nv",         "oy",           "pte",      "pty",
    "bhd",         "bank",      "school",     "university",   "college",  "kindergarten",
    "academy",     "institute", "foundation", "association",  "society",  "group",
    "holdings",    "trust",     "fund",       "ministry",     "bureau",   "department",
    "government",  "council",   "committee",  "hospital",     "clinic",   "center",
    "centre",      "club",      "agency",     "authority",    "services", "partners",
    "cooperative",
});
// Forms that are also syllables of romanised names (Sa, Ev): counted only
// when written with dots, as in "S.A." or "e.V.".
constexpr auto kDottedLatinLegalForms = std::to_array<std::string_view>({"sa", "ev"});

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
  for (const std::string_view candidate : words) {
    if (candidate == word) return true;
  }
  return false;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
}

bool has_latin_legal_form(std::string_view folded) {
  std::size_t pos = 0;
  while (pos < folded.size()) {
    if (!is_token_char(folded[pos])) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    while (pos < folded.size() && is_token_char(folded[pos])) ++pos;
    const std::string_view token = folded.substr(start, pos - start);
    std::string bare;
    for (const char c : token) {
      if (c != '.') bare += c;
    }
    const bool dotted = bare.size() != token.size();
    if (contains(kLatinLegalForms, bare) || (dotted && contains(kDottedLatinLegalForms, bare))) {
      return true;
    }
  }
  return false;
}

// Decodes the code point at `pos` strictly (no overlongs, surrogates or
// values above U+10FFFF); returns its length, or 0 for an invalid sequence.
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    minimum = 0x10000;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(pos + i) & 0x3Fu);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < minimum || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

// CJK Unified Ideographs with extensions A-H and the compatibility blocks,
// so that rare characters in names (生僻字) count as Han.
bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) ||
         (c >= 0x2F800 && c <= 0x2FA1F);
}

// U+00B7 is the standard separator in transcribed minority and foreign
// names; banks' systems also emit the bullet, the hyphenation point and
// the (half-width) katakana middle dot.
bool is_name_dot(char32_t c) {
  return c == 0x00B7 || c == 0x2022 || c == 0x2027 || c == 0x30FB || c == 0xFF65;
}

}  // namespace

bool has_legal_form(std::string_view name) {
  const std::string folded = normalise_name(name);
  for (const std::string_view word : kChineseLegalForms) {
    if (folded.find(word) != std::string::npos) return true;
  }
  return has_latin_legal_form(folded);
}

bool has_personal_name_shape(std::string_view name) {
  constexpr int kMaxPartLength = 8;
  constexpr int kMaxParts = 4;
  const std::string folded = normalise_name(name);
  int parts = 1;
  int han_in_part = 0;
  int han_total = 0;
  for (std::size_t pos = 0; pos < folded.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8(folded, pos, c);
    if (length == 0) return false;
    pos += length;
    if (c == ' ') continue;  // "张 三" as some bank systems pad names
    if (is_han(c)) {
      if (++han_in_part > kMaxPartLength) return false;
      ++han_total;
    } else if (is_name_dot(c) && han_in_part > 0 && parts < kMaxParts) {
      ++parts;
      han_in_part = 0;
    } else {
      return false;
    }
  }
  if (han_in_part == 0) return false;  // empty, or a trailing dot
  return parts > 1 || (han_total >= 2 && han_total <= 4);
}

std::optional<CounterpartyClass> class_from_name(std::string_view name) {
  if (has_legal_form(name)) return CounterpartyClass::Organisation;
  if (has_personal_name_shape(name)) return CounterpartyClass::Person;
  return std::nullopt;
}

void CounterpartyClassifier::Index::add(std::string_view name, std::string_view account) {
  const std::optional<CounterpartyClass> cls = class_from_name(name);
  if (!cls) return;  // an entry whose name says nothing cannot decide a class
  if (!account.empty()) by_account.emplace(normalise_account(account), *cls);
  if (!name.empty()) by_name.emplace(normalise_name(name), *cls);
}

std::optional<CounterpartyClass> CounterpartyClassifier::Index::find(
    const std::string& account, const std::string& name) const {
  if (!account.empty()) {
    if (const auto it = by_account.find(account); it != by_account.end()) return it->second;
  }
  if (!name.empty()) {
    if (const auto it = by_name.find(name); it != by_name.end()) return it->second;
  }
  return std::nullopt;
}

CounterpartyClassifier::CounterpartyClassifier(const Registry& registry,
                                               const std::vector<WatchlistEntry>& watchlist) {
  for (const School& school : registry.schools) {
    for (const RelatedParty& party : school.related_parties) {
      registry_.add(party.name, party.account);
    }
  }
  for (const WatchlistEntry& entry : watchlist) watchlist_.add(entry.name, entry.account);
}

void CounterpartyClassifier::classify(Counterparty& counterparty) const {
  if (counterparty.basis == ClassBasis::Source) return;
  if (counterparty.basis == ClassBasis::None && counterparty.cls != CounterpartyClass::Unknown) {
    counterparty.basis = ClassBasis::Source;  // a parser set the class from the file
    return;
  }
  // Anything else was decided by an earlier run: decide again, as the
  // registry or watchlist may have changed since.
  const std::string account = normalise_account(counterparty.account);
  const std::string name = normalise_name(counterparty.name);
  if (const auto cls = registry_.find(account, name)) {
    counterparty.cls = *cls;
    counterparty.basis = ClassBasis::Registry;
  } else if (const auto listed = watchlist_.find(account, name)) {
    counterparty.cls = *listed;
    counterparty.basis = ClassBasis::Watchlist;
  } else if (has_legal_form(counterparty.name)) {
    counterparty.cls = CounterpartyClass::Organisation;
    counterparty.basis = ClassBasis::LegalForm;
  } else if (has_personal_name_shape(counterparty.name)) {
    counterparty.cls = CounterpartyClass::Person;
    counterparty.basis = ClassBasis::NameShape;
  } else {
    counterparty.cls = CounterpartyClass::Unknown;
    counterparty.basis = ClassBasis::None;
  }
}

}  // namespace sfmon
