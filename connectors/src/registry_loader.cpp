// load_registry: parses schools.yaml with yaml-cpp, reads every school
// (registry_loader_school.cpp), then checks what spans schools: unique
// ids and accounts that belong to one school only.

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "input_text.h"
#include "registry_loader_internal.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/name_normaliser.h"

namespace sfmon {
namespace {

using registry_internal::Field;
using registry_internal::FieldRule;
using registry_internal::ProblemList;
using registry_internal::SchoolSource;

std::string join_problems(const std::vector<std::string>& problems) {
  // One line, as the CLI prints errors, of bounded length however broken
  // the file; problems() has them all, one by one.
  constexpr std::size_t kShown = 20;
  if (problems.empty()) return "invalid registry";
  std::string text;
  for (std::size_t i = 0; i < problems.size() && i < kShown; ++i) {
    if (!text.empty()) text += "; ";
    text += problems[i];
  }
  if (problems.size() > kShown) {
    text += "; ... and " + std::to_string(problems.size() - kShown) + " more problems";
  }
  return text;
}

// A mark at the first invalid byte, so the problem reads file:line:column.
YAML::Mark mark_at(std::string_view text, std::size_t pos) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(pos);
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') ++mark.line;
  }
  return mark;
}

// Where the first line that is not blank, a comment or a document marker
// starts, if there is one.
std::optional<std::size_t> first_content(std::string_view text) {
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    const std::size_t line_end = std::min(text.find('\n', line_start), text.size());
    const std::string_view line = text.substr(line_start, line_end - line_start);
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#' && line.substr(first) != "---" &&
        line.substr(first) != "...") {
      return line_start + first;
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

// Notes whether a YAML document holds anything and where it starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  bool has_content() const { return has_content_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { has_content_ = true; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    has_content_ = true;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    has_content_ = true;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    has_content_ = true;
  }
  void OnMapEnd() override {}

 private:
  bool has_content_ = false;
  YAML::Mark start_;
};

// A second document would be silently ignored by most readers. Not
// YAML::LoadAll: in yaml-cpp 0.7 it loops forever, allocating, on some
// invalid input (jbeder/yaml-cpp#1319), so at most two documents are read.
void report_second_document(std::string_view text, ProblemList& problems) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  DocumentProbe first;
  DocumentProbe second;
  try {
    parser.HandleNextDocument(first);
    if (parser.HandleNextDocument(second) && second.has_content()) {
      problems.add(second.start(), "the registry must be one YAML document; found another");
    }
  } catch (const YAML::Exception& error) {
    problems.add(error.mark, "YAML syntax error: " + error.msg);
  }
}

// Parses the text's YAML document, reporting syntax errors and extra
// documents. nullopt when there is nothing to read.
std::optional<YAML::Node> parse_document(std::string_view text, ProblemList& problems) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    problems.add(error.mark, "YAML syntax error: " + error.msg);
    return std::nullopt;
  }
  if (root.IsNull()) {
    // yaml-cpp 0.7 reads some invalid text as an empty document; text that
    // is more than comments is not an empty registry.
    if (const std::optional<std::size_t> content = first_content(text)) {
      problems.add(mark_at(text, *content), "YAML syntax error: no YAML value could be read here");
    } else {
      problems.add(YAML::Mark(), "the registry is empty; expected a map with a schools list");
    }
    return std::nullopt;
  }
  report_second_document(text, problems);
  return root;
}

// Checks one school against those read before it and records its id and
// account numbers (compared normalised: "4305-0180" is "43050180").
class CrossSchoolChecks {
 public:
  explicit CrossSchoolChecks(ProblemList& problems) : problems_(problems) {}

  void add(const SchoolSource& source) {
    const School& school = source.school;
    if (source.id_mark) {
      const auto [first, inserted] = school_lines_.emplace(school.id, *source.id_mark);
      if (!inserted) {
        problems_.add(*source.id_mark,
                      "duplicate school id (first at " + ProblemList::line_of(first->second) + ")",
                      school.id);
      }
    }
    ++school_count_;
    for (std::size_t i = 0; i < school.accounts.size(); ++i) {
      const std::string& number = school.accounts[i].number;
      const YAML::Mark& mark = source.account_marks[i];
      const auto [first, inserted] =
          account_owners_.emplace(normalise_account(number), Owner{school_count_, school.id, mark});
      if (inserted) continue;
      const Owner& owner = first->second;
      const std::string where = ProblemList::line_of(owner.mark);
      if (owner.school_number == school_count_) {
        problems_.add(mark, "account is listed twice for this school (first at " + where + ")",
                      number);
      } else {
        problems_.add(mark,
                      "account already belongs to school " + owner.school_id + " (" + where + ")",
                      number);
      }
    }
  }

 private:
  struct Owner {
    int school_number = 0;  // 1-based position in the file; ids may repeat
    std::string school_id;
    YAML::Mark mark;
  };
  ProblemList& problems_;
  std::map<std::string, YAML::Mark> school_lines_;
  std::map<std::string, Owner> account_owners_;
  int school_count_ = 0;
};

}  // namespace

RegistryError::RegistryError(std::vector<std::string> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

Registry load_registry(std::string_view yaml, const std::string& file) {
  // yaml-cpp skips a BOM but its marks then count from after it; strip it
  // here so that columns computed from `text` agree with the marks.
  const std::string_view text = strip_utf8_bom(yaml);
  ProblemList problems(file, text);
  // GB18030 or Latin-1 text would turn every name into garbage; stop at the
  // first bad byte rather than report a misread.
  if (const std::size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    problems.add(mark_at(text, bad), "invalid UTF-8 (only UTF-8 text is accepted)");
    throw RegistryError(problems.sorted());
  }
  const std::optional<YAML::Node> root = parse_document(text, problems);
  Registry registry;
  if (root) {
    CrossSchoolChecks cross_checks(problems);
    const std::vector<FieldRule> rules = {
        {"schools", true,
         [&](const Field& field) {
           const auto items = registry_internal::read_list(field, problems);
           if (!items) return;
           for (const YAML::Node& item : *items) {
             SchoolSource source = registry_internal::read_school(item, problems);
             cross_checks.add(source);
             registry.schools.push_back(std::move(source.school));
           }
         }},
    };
    registry_internal::read_map(*root, "the registry", rules, problems);
  }
  if (!problems.empty()) throw RegistryError(problems.sorted());
  return registry;
}

}  // namespace sfmon
