#include "json_flat_object.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Whether `token` is one JSON number (RFC 8259 section 6), whole.
bool is_json_number(std::string_view token) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i;
    return i > start;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

// Rewrites an object so that every top-level number becomes a string holding
// its source text. This is how the exact text of an amount survives Poco,
// which parses numbers into doubles. Also collects the raw keys to find
// duplicates, which Poco silently merges.
//
// It runs before Poco has seen the text, so that Poco parses each object once,
// and it must not make an invalid object valid. It changes nothing but
// top-level number tokens, each into a string, and quotes a token only when
// it is one whole JSON number; anything else is copied as it is. So wherever
// Poco fails on the original, it fails on the rewritten text too (one value
// swapped for another leaves the grammar of everything around it as it was).
class TopLevelNumberQuoter {
 public:
  explicit TopLevelNumberQuoter(std::string_view json) : json_(json) {
    out_.reserve(json.size() + 16);
  }

  // Returns the first duplicated raw key in `*duplicate`, if any.
  std::string rewrite(std::string* duplicate) {
    copy_space();
    copy_char();  // '{'
    for (;;) {
      copy_space();
      if (peek() == '}') break;
      const std::string key = copy_string();
      if (!keys_.insert(key).second && duplicate->empty()) *duplicate = key;
      copy_space();
      copy_char();  // ':'
      copy_space();
      copy_value();
      copy_space();
      if (peek() != ',') break;
      copy_char();
    }
    out_ += json_.substr(pos_);
    return std::move(out_);
  }

  // Distinct keys as written (before escapes are decoded).
  std::size_t key_count() const { return keys_.size(); }

 private:
  char peek() const { return pos_ < json_.size() ? json_[pos_] : '\0'; }
  void copy_char() {
    if (pos_ < json_.size()) out_ += json_[pos_++];
  }
  void copy_space() {
    while (pos_ < json_.size() && is_json_space(json_[pos_])) copy_char();
  }

  // Copies a string token and returns its raw text without the quotes. On
  // text that is not JSON (an unterminated string) it stops at the end, and
  // what it returns does not matter: Poco refuses the text.
  std::string copy_string() {
    copy_char();  // opening quote
    const std::size_t start = pos_;
    while (pos_ < json_.size() && json_[pos_] != '"') {
      if (json_[pos_] == '\\') copy_char();
      copy_char();
    }
    const std::size_t end = pos_;
    copy_char();  // closing quote
    return std::string(json_.substr(start, end - start));
  }

  void copy_value() {
    const char c = peek();
    if (c == '"') {
      copy_string();
    } else if (c == '{' || c == '[') {
      copy_nested();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      // In a valid object a number ends at a comma, the closing brace or space.
      const std::size_t start = pos_;
      while (pos_ < json_.size() && json_[pos_] != ',' && json_[pos_] != '}' &&
             !is_json_space(json_[pos_])) {
        ++pos_;
      }
      const std::string_view token = json_.substr(start, pos_ - start);
      const bool quote = is_json_number(token);
      if (quote) out_ += '"';
      out_ += token;
      if (quote) out_ += '"';
    } else {  // true, false, null
      while (pos_ < json_.size() && json_[pos_] >= 'a' && json_[pos_] <= 'z') copy_char();
    }
  }

  void copy_nested() {
    int depth = 0;
    do {
      const char c = peek();
      if (c == '"') {
        copy_string();
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      copy_char();
    } while (depth > 0 && pos_ < json_.size());
  }

  std::string_view json_;
  std::size_t pos_ = 0;
  std::string out_;
  std::set<std::string> keys_;
};

Poco::Dynamic::Var parse_json(const std::string& json, const std::string& file,
                              const std::string& location) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(json);
  } catch (const Poco::Exception& e) {
    // Poco reports JSON syntax errors as JSONException or SyntaxException;
    // both become an input error at this boundary.
    throw InputError(file, location, "malformed JSON: " + e.displayText(), json);
  }
}

}  // namespace

std::map<std::string, std::string> read_flat_json_object(std::string_view json,
                                                         const std::vector<std::string_view>& keys,
                                                         const std::string& file,
                                                         const std::string& location) {
  const std::string original(json);
  const std::size_t first = original.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || original[first] != '{') {
    // Not an object: valid JSON of another kind, or malformed.
    parse_json(original, file, location);
    throw InputError(file, location, "expected a JSON object", original);
  }
  // One parse, of the rewritten text (see TopLevelNumberQuoter); the checks
  // come in the order two parses gave them: malformed JSON first. Text that
  // starts with '{' and parses is an object.
  std::string duplicate;
  TopLevelNumberQuoter quoter(json);
  const std::string rewritten = quoter.rewrite(&duplicate);
  const Poco::Dynamic::Var parsed = parse_json(rewritten, file, location);
  if (!duplicate.empty()) {
    throw InputError(file, location, "key '" + duplicate + "' appears twice", original);
  }
  const auto& object = parsed.extract<Poco::JSON::Object::Ptr>();
  if (object->size() != quoter.key_count()) {
    // Two spellings of one key, e.g. "a" and "\u0061".
    throw InputError(file, location, "a key appears twice (written with different escapes)",
                     original);
  }

  std::map<std::string, std::string> fields;
  for (const std::string_view wanted : keys) {
    const std::string key(wanted);
    if (!object->has(key)) continue;
    const Poco::Dynamic::Var value = object->get(key);
    if (value.isEmpty()) continue;  // null: the field is absent
    if (!value.isString()) {
      throw InputError(file, location, "field '" + key + "' must be a string or a number",
                       value.toString());
    }
    fields.emplace(key, value.extract<std::string>());
  }
  return fields;
}

}  // namespace sfmon
