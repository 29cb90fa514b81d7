// parse_fee_page (declared in fee_api_client.h): one page of the fee HTTP API.
//
// Poco::JSON validates the page and checks the top-level types, but it turns
// numbers into doubles; the records are therefore cut out of the raw text
// and read with read_flat_json_object, which keeps each amount as written.

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <string_view>
#include <vector>

#include "fee_record_checks.h"
#include "input_text.h"
#include "sfmon/connectors/fee_api_client.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Walks JSON text that Poco has already accepted, so it need not check syntax.
class RawJson {
 public:
  explicit RawJson(std::string_view text) : text_(text) {}

  // The top-level members of the object, as (raw key, raw value) in order.
  std::vector<std::pair<std::string_view, std::string_view>> members() {
    std::vector<std::pair<std::string_view, std::string_view>> result;
    skip_space();
    ++pos_;  // '{'
    for (;;) {
      skip_space();
      if (peek() != '"') break;  // '}'
      const std::string_view key = string_token();
      skip_space();
      ++pos_;  // ':'
      skip_space();
      const std::size_t start = pos_;
      skip_value();
      result.emplace_back(key, text_.substr(start, pos_ - start));
      skip_space();
      if (peek() != ',') break;
      ++pos_;
    }
    return result;
  }

  // The elements of an array, as raw text.
  std::vector<std::string_view> elements() {
    std::vector<std::string_view> result;
    skip_space();
    ++pos_;  // '['
    for (;;) {
      skip_space();
      if (peek() == ']' || pos_ >= text_.size()) break;
      const std::size_t start = pos_;
      skip_value();
      result.push_back(text_.substr(start, pos_ - start));
      skip_space();
      if (peek() != ',') break;
      ++pos_;
    }
    return result;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && is_json_space(text_[pos_])) ++pos_;
  }

  // At a '"': returns the text between the quotes, escapes undecoded.
  std::string_view string_token() {
    const std::size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    const std::string_view token = text_.substr(start, pos_ - start);
    ++pos_;
    return token;
  }

  void skip_value() {
    const char c = peek();
    if (c == '"') {
      string_token();
    } else if (c == '{' || c == '[') {
      int depth = 0;
      do {
        const char d = peek();
        if (d == '"') {
          string_token();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++pos_;
      } while (depth > 0 && pos_ < text_.size());
    } else {  // number, true, false, null
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' &&
             text_[pos_] != ']' && !is_json_space(text_[pos_])) {
        ++pos_;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// A raw key with its escapes decoded ("rec\u006frds" is "records").
std::string decoded_key(std::string_view raw) {
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  // Poco 1.11 wants an object or array at the top, hence the brackets.
  Poco::JSON::Parser parser;
  const auto array =
      parser.parse("[\"" + std::string(raw) + "\"]").extract<Poco::JSON::Array::Ptr>();
  return array->getElement<std::string>(0);
}

class PageDecoder {
 public:
  PageDecoder(std::string_view body, const std::string& url, const Zone& zone)
      : body_(strip_utf8_bom(body)), url_(url), zone_(zone) {}

  FeePage decode() {
    require_valid_utf8(body_, url_);
    const std::string text(body_);
    Poco::Dynamic::Var parsed;
    try {
      Poco::JSON::Parser parser;
      parsed = parser.parse(text);
    } catch (const Poco::Exception& e) {
      // Poco reports syntax errors as JSONException or SyntaxException.
      fail("malformed JSON: " + e.displayText(), text);
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      fail("the page must be a JSON object", text);
    }
    const auto object = parsed.extract<Poco::JSON::Object::Ptr>();

    FeePage page;
    page.url = url_;
    page.has_more = has_more(*object);
    page.next_cursor = next_cursor(*object);
    if (!object->isArray("records")) {
      fail(object->has("records") ? "'records' must be an array" : "'records' is missing");
    }
    const std::vector<std::string_view> records = RawJson(records_text()).elements();
    if (records.size() != object->getArray("records")->size()) {
      fail("'records' could not be split into its elements");  // a bug, not the server's fault
    }
    FeeIdentityCheck identities(url_);
    for (std::size_t i = 0; i < records.size(); ++i) {
      page.records.push_back(decode_record(records[i], i + 1));
      identities.add(page.records.back());
    }
    return page;
  }

 private:
  [[noreturn]] void fail(const std::string& message, const std::string& value = {}) const {
    throw InputError(url_, "", message, value);
  }

  bool has_more(const Poco::JSON::Object& object) const {
    if (!object.has("has_more")) fail("'has_more' is missing");
    const Poco::Dynamic::Var value = object.get("has_more");
    if (!value.isBoolean()) fail("'has_more' must be true or false", value.toString());
    return value.extract<bool>();
  }

  std::string next_cursor(const Poco::JSON::Object& object) const {
    if (!object.has("next_cursor")) fail("'next_cursor' is missing");
    const Poco::Dynamic::Var value = object.get("next_cursor");
    if (!value.isString()) fail("'next_cursor' must be a string", value.toString());
    return value.extract<std::string>();
  }

  // The raw text of the one top-level "records" member.
  std::string_view records_text() const {
    std::string_view found;
    int count = 0;
    for (const auto& [raw_key, value] : RawJson(body_).members()) {
      if (decoded_key(raw_key) != "records") continue;
      ++count;
      found = value;
    }
    // Poco keeps the last of repeated keys; which one the server meant is
    // anybody's guess, so a repeat is an error.
    if (count > 1) fail("key 'records' appears " + std::to_string(count) + " times");
    return found;
  }

  FeeRecord decode_record(std::string_view text, std::size_t index) const {
    const std::string location = "record " + std::to_string(index);
    if (text.empty() || text.front() != '{') {
      throw InputError(url_, location, "expected a JSON object", std::string(text));
    }
    return decode_fee_json_object(text, url_, location, zone_);
  }

  std::string_view body_;
  const std::string& url_;
  const Zone& zone_;
};

}  // namespace

FeePage parse_fee_page(std::string_view body, const std::string& url, const Zone& zone) {
  return PageDecoder(body, url, zone).decode();
}

}  // namespace sfmon
