// The lists inside a school: accounts, related parties, fee catalogue and
// academic calendar. Each item is read like a school (all problems
// reported) and appended only when it is complete and valid.

#include <map>

#include "registry_loader_internal.h"

namespace sfmon::registry_internal {
namespace {

constexpr std::string_view kRoleChoices = "supervised, basic, other";
constexpr std::string_view kPerChoices = "hour, month, semester, year";
constexpr std::string_view kFeeTypeChoices =
    "tuition, boarding, meals, training, materials, donation, other";

// The fee types of fee records (formats.md "Fee records"); a catalogue
// entry with another type could never match a payment.
std::optional<std::string> fee_type_from_string(const std::string& text) {
  for (const char* type :
       {"tuition", "boarding", "meals", "training", "materials", "donation", "other"}) {
    if (text == type) return text;
  }
  return std::nullopt;
}

}  // namespace

void read_accounts(const Field& field, SchoolSource& source, ProblemList& problems) {
  const std::optional<std::vector<YAML::Node>> items = read_list(field, problems);
  if (!items) return;
  if (items->empty()) {
    problems.add(field.key.Mark(), "accounts must list at least one account");
    return;
  }
  // The rules speak of "the supervised account": a second one would make
  // balances and fee checks ambiguous.
  std::optional<YAML::Mark> first_supervised;
  for (const YAML::Node& item : *items) {
    SchoolAccount account;
    std::optional<std::string> number;
    YAML::Mark number_mark;
    const std::vector<FieldRule> rules = {
        {"number", true,
         [&](const Field& f) {
           number = read_account_number(f, problems);
           number_mark = f.value_mark();
         }},
        {"bank", false, [&](const Field& f) { store(read_text(f, problems), account.bank); }},
        {"role", false,
         [&](const Field& f) {
           const std::optional<AccountRole> role =
               read_choice(f, problems, &account_role_from_string, kRoleChoices);
           if (role != AccountRole::Supervised) {
             store(role, account.role);
             return;
           }
           source.has_supervised_role = true;
           if (first_supervised) {
             problems.add(f.value_mark(), "a school has at most one supervised account (first at " +
                                              ProblemList::line_of(*first_supervised) + ")");
             return;
           }
           first_supervised = f.value_mark();
           account.role = AccountRole::Supervised;
         }},
    };
    if (read_map(item, "account", rules, problems) && number) {
      account.number = std::move(*number);
      source.school.accounts.push_back(std::move(account));
      source.account_marks.push_back(number_mark);
    }
  }
}

void read_related_parties(const Field& field, School& school, ProblemList& problems) {
  const std::optional<std::vector<YAML::Node>> items = read_list(field, problems);
  if (!items) return;
  for (const YAML::Node& item : *items) {
    RelatedParty party;
    bool has_name_or_account = false;
    const std::vector<FieldRule> rules = {
        {"name", false,
         [&](const Field& f) {
           store(read_text(f, problems), party.name);
           has_name_or_account = true;
         }},
        {"account", false,
         [&](const Field& f) {
           store(read_account_number(f, problems), party.account);
           has_name_or_account = true;
         }},
        {"relation", false, [&](const Field& f) { store(read_text(f, problems), party.relation); }},
    };
    if (!read_map(item, "related party", rules, problems)) continue;
    if (!has_name_or_account) {
      problems.add(item.Mark(), "a related party needs a name or an account");
      continue;
    }
    school.related_parties.push_back(std::move(party));
  }
}

void read_fee_catalogue(const Field& field, School& school, ProblemList& problems) {
  const std::optional<std::vector<YAML::Node>> items = read_list(field, problems);
  if (!items) return;
  // One cap per fee type and grade: two would leave FEE-OVER-CAP to guess.
  std::map<std::pair<std::string, std::string>, YAML::Mark> first_entry;
  for (const YAML::Node& item : *items) {
    FeeCatalogueEntry entry;
    std::optional<std::string> fee_type;
    std::optional<Fen> cap;
    std::optional<FeePer> per;
    const std::vector<FieldRule> rules = {
        {"fee_type", true,
         [&](const Field& f) {
           fee_type = read_choice(f, problems, &fee_type_from_string, kFeeTypeChoices);
         }},
        {"grade", false, [&](const Field& f) { store(read_text(f, problems), entry.grade); }},
        {"cap", true, [&](const Field& f) { cap = read_amount(f, problems); }},
        {"per", true,
         [&](const Field& f) {
           per = read_choice(f, problems, &fee_per_from_string, kPerChoices);
         }},
    };
    if (!read_map(item, "fee catalogue entry", rules, problems) || !fee_type || !cap || !per) {
      continue;
    }
    const auto [first, inserted] =
        first_entry.emplace(std::pair(*fee_type, entry.grade), item.Mark());
    if (!inserted) {
      problems.add(item.Mark(), "fee catalogue lists " + *fee_type + " for grade " + entry.grade +
                                    " twice (first at " + ProblemList::line_of(first->second) +
                                    ")");
      continue;
    }
    entry.fee_type = std::move(*fee_type);
    entry.cap_fen = *cap;
    entry.per = *per;
    school.fee_catalogue.push_back(std::move(entry));
  }
}

void read_academic_calendar(const Field& field, School& school, ProblemList& problems) {
  const std::optional<std::vector<YAML::Node>> items = read_list(field, problems);
  if (!items) return;
  // Each payment must fall in at most one term (FEE-PREPAY-TERM), so terms
  // may not overlap; they need not be listed in order.
  std::vector<YAML::Mark> term_marks;  // parallel to school.academic_calendar
  for (const YAML::Node& item : *items) {
    std::optional<std::string> term;
    std::optional<Date> start;
    std::optional<Date> end;
    YAML::Mark end_mark;
    const std::vector<FieldRule> rules = {
        {"term", true, [&](const Field& f) { term = read_text(f, problems); }},
        {"start", true, [&](const Field& f) { start = read_date(f, problems); }},
        {"end", true,
         [&](const Field& f) {
           end = read_date(f, problems);
           end_mark = f.value_mark();
         }},
    };
    if (!read_map(item, "academic term", rules, problems) || !term || !start || !end) continue;
    if (*end < *start) {
      problems.add(end_mark, "term " + *term + " ends before it starts on " + start->to_string(),
                   end->to_string());
      continue;
    }
    bool clashes = false;
    for (std::size_t i = 0; i < school.academic_calendar.size() && !clashes; ++i) {
      const AcademicTerm& other = school.academic_calendar[i];
      const std::string where = " (" + ProblemList::line_of(term_marks[i]) + ")";
      if (other.term == *term) {
        problems.add(item.Mark(), "term " + *term + " is listed twice" + where);
        clashes = true;
      } else if (*start <= other.end && other.start <= *end) {
        problems.add(item.Mark(), "term " + *term + " overlaps term " + other.term + where);
        clashes = true;
      }
    }
    if (clashes) continue;
    school.academic_calendar.push_back({std::move(*term), *start, *end});
    term_marks.push_back(item.Mark());
  }
}

}  // namespace sfmon::registry_internal
