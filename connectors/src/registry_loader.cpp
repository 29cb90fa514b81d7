// load_registry: parses schools.yaml (registry_loader_document.cpp), reads
// every school (registry_loader_school.cpp), then checks what spans schools:
// unique ids and accounts that belong to one school only.

#include "sfmon/connectors/registry_loader.h"

#include <map>

#include "input_text.h"
#include "registry_loader_internal.h"
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
    problems.add(registry_internal::mark_at(text, bad),
                 "invalid UTF-8 (only UTF-8 text is accepted)");
    throw RegistryError(problems.sorted());
  }
  const std::optional<YAML::Node> root = registry_internal::parse_document(text, problems);
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
  registry.build_index();
  return registry;
}

}  // namespace sfmon
