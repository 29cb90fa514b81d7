#pragma once
// Pieces of the schools.yaml loader shared by its source files
// (registry_loader*.cpp). Not part of the connectors' interface.
//
// The loader never stops at the first problem: each reader reports what is
// wrong to a ProblemList and carries on with the next key, so one run lists
// every mistake in the file. A reader returns nullopt when its value is
// unusable; the caller then skips the checks that need that value.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sfmon/model/money.h"
#include "sfmon/model/registry.h"
#include "sfmon/model/time.h"

namespace sfmon::registry_internal {

// Problems found in one registry text, each pinned to a yaml-cpp mark.
// Columns are counted in characters (code points), not bytes, so they match
// what an editor shows on a line with Chinese text.
class ProblemList {
 public:
  // `text` is the YAML exactly as yaml-cpp saw it (without a BOM); it must
  // outlive this object.
  ProblemList(std::string file, std::string_view text);

  // `value` is the offending text, shown as " (value '...')"; empty: none.
  void add(const YAML::Mark& mark, const std::string& message, std::string_view value = {});

  bool empty() const { return problems_.empty(); }

  // "file:line:column: message", ordered by position in the file.
  std::vector<std::string> sorted() const;

  // yaml-cpp marks an empty value (a "-" with nothing after it) at the
  // token that follows, often on a later line; this is the mark of the last
  // character before that token, where the value is missing.
  YAML::Mark before(const YAML::Mark& next_token) const;

  // "line 12" for cross-references such as "first at line 12".
  static std::string line_of(const YAML::Mark& mark);

 private:
  struct Problem {
    int line = 0;
    int column = 0;
    std::string text;
  };
  int column_of(const YAML::Mark& mark) const;

  std::string file_;
  std::string_view text_;
  std::vector<Problem> problems_;
};

// A mark at byte `offset` of `text`, for problems found outside yaml-cpp.
YAML::Mark mark_at(std::string_view text, std::size_t offset);

// Parses `text` (without a BOM) as one YAML document, reporting syntax
// errors, text that holds no YAML value and a second document. nullopt when
// there is no document to read.
std::optional<YAML::Node> parse_document(std::string_view text, ProblemList& problems);

// One key of a YAML map and its value.
struct Field {
  std::string_view name;
  YAML::Node key;
  YAML::Node value;

  // Where to point at the value; its key when the value is missing
  // (yaml-cpp marks an empty value at the next token, often the next line).
  YAML::Mark value_mark() const;
};

struct FieldRule {
  std::string_view name;
  bool required = false;
  std::function<void(const Field&)> read;
};

// Reads the map `node` (described as `what` in messages, e.g. "school"):
// reports a node that is not a map, keys that are not text, duplicate keys,
// unknown keys and missing required keys, and passes each known key to its
// rule's reader in document order. Returns false when `node` is not a map.
bool read_map(const YAML::Node& node, std::string_view what, const std::vector<FieldRule>& rules,
              ProblemList& problems);

// The items of a list field; a missing value counts as an empty list.
// nullopt (and a problem) when the value is not a list.
std::optional<std::vector<YAML::Node>> read_list(const Field& field, ProblemList& problems);

// Non-empty text (quoted or not).
std::optional<std::string> read_text(const Field& field, ProblemList& problems);
// An unquoted true or false.
std::optional<bool> read_bool(const Field& field, ProblemList& problems);
// An unquoted whole number from 0 to INT_MAX, decimal digits only.
std::optional<int> read_count(const Field& field, ProblemList& problems);
// An exact amount >= 0, quoted or not; the scalar's text is parsed as
// written, never through a floating-point number.
std::optional<Fen> read_amount(const Field& field, ProblemList& problems);
// A real calendar date YYYY-MM-DD.
std::optional<Date> read_date(const Field& field, ProblemList& problems);

// Text that must be one of `choices` (listed as "a, b, c" in the message).
template <typename Enum>
std::optional<Enum> read_choice(const Field& field, ProblemList& problems,
                                std::optional<Enum> (*parse)(const std::string&),
                                std::string_view choices) {
  const std::optional<std::string> text = read_text(field, problems);
  if (!text) return std::nullopt;
  std::optional<Enum> value = parse(*text);
  if (!value) {
    problems.add(field.value_mark(),
                 std::string(field.name) + " must be one of " + std::string(choices), *text);
  }
  return value;
}

// Sets `target` to a value that was read; leaves it as it is when nothing
// usable was read (the reader has reported why).
template <typename Value>
void store(std::optional<Value> value, Value& target) {
  if (value) target = std::move(*value);
}

// Account numbers may hold digits, Latin letters (IBANs), spaces and dashes.
// Returns the number as written (compare it through normalise_account), or
// nullopt (and a problem) otherwise.
std::optional<std::string> read_account_number(const Field& field, ProblemList& problems);

// A school as read, with the marks the cross-school checks point at.
struct SchoolSource {
  School school;
  std::optional<YAML::Mark> id_mark;
  std::vector<YAML::Mark> account_marks;  // parallel to school.accounts
  // A supervised role was given, even on an account that had other problems.
  bool has_supervised_role = false;
};

// Reads one item of `schools`, checking everything that concerns the school
// alone. Cross-school checks (ids, account owners) are the caller's.
SchoolSource read_school(const YAML::Node& node, ProblemList& problems);

// Readers of the lists inside a school; each appends what it could read.
void read_accounts(const Field& field, SchoolSource& source, ProblemList& problems);
void read_related_parties(const Field& field, School& school, ProblemList& problems);
void read_fee_catalogue(const Field& field, School& school, ProblemList& problems);
void read_academic_calendar(const Field& field, School& school, ProblemList& problems);

}  // namespace sfmon::registry_internal
