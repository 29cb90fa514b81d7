#include "registry_loader_internal.h"

namespace sfmon::registry_internal {
namespace {

constexpr std::string_view kKindChoices =
    "kindergarten, primary, middle, high, nine_year, vocational, training";

}  // namespace

SchoolSource read_school(const YAML::Node& node, ProblemList& problems) {
  SchoolSource source;
  School& school = source.school;
  std::optional<SchoolKind> kind;
  std::optional<YAML::Mark> inclusive_mark;
  std::optional<YAML::Mark> min_balance_mark;

  // Required: id, name, kind, accounts. Everything else has a default that
  // the model documents (nonprofit true, no minimum balance, the default
  // academic calendar, ...).
  const std::vector<FieldRule> rules = {
      {"id", true,
       [&](const Field& f) {
         store(read_text(f, problems), school.id);
         if (!school.id.empty()) source.id_mark = f.value_mark();
       }},
      {"name", true, [&](const Field& f) { store(read_text(f, problems), school.name); }},
      {"kind", true,
       [&](const Field& f) {
         kind = read_choice(f, problems, &school_kind_from_string, kKindChoices);
         store(kind, school.kind);
       }},
      {"nonprofit", false,
       [&](const Field& f) { store(read_bool(f, problems), school.nonprofit); }},
      {"inclusive", false,
       [&](const Field& f) {
         store(read_bool(f, problems), school.inclusive);
         inclusive_mark = f.value_mark();
       }},
      {"district", false, [&](const Field& f) { store(read_text(f, problems), school.district); }},
      {"enrollment", false,
       [&](const Field& f) { store(read_count(f, problems), school.enrollment); }},
      {"min_balance", false,
       [&](const Field& f) {
         school.min_balance_fen = read_amount(f, problems);
         min_balance_mark = f.value_mark();
       }},
      {"accounts", true, [&](const Field& f) { read_accounts(f, source, problems); }},
      {"related_parties", false,
       [&](const Field& f) { read_related_parties(f, school, problems); }},
      {"fee_catalogue", false, [&](const Field& f) { read_fee_catalogue(f, school, problems); }},
      {"academic_calendar", false,
       [&](const Field& f) { read_academic_calendar(f, school, problems); }},
  };
  if (!read_map(node, "school", rules, problems)) return source;

  // 普惠性民办园 is a kindergarten status; on another kind it is a mistake
  // that would apply kindergarten fee rules to the wrong school.
  if (school.inclusive && kind && *kind != SchoolKind::Kindergarten) {
    problems.add(*inclusive_mark, std::string("inclusive: true applies only to kindergartens; ") +
                                      "this school's kind is " + to_string(*kind));
  }
  // The minimum balance is checked on the supervised account; without one
  // the check (FUND-MINBAL) could never run.
  if (min_balance_mark && !source.has_supervised_role) {
    problems.add(*min_balance_mark,
                 "min_balance needs an account with role supervised, and this school has none");
  }
  return source;
}

}  // namespace sfmon::registry_internal
