#include "sfmon/model/registry.h"

#include <array>
#include <utility>

#include "sfmon/model/name_normaliser.h"

namespace sfmon {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<const char*, Enum>, N>& table,
                           const std::string& text) {
  for (const auto& [name, value] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
const char* name_of(const std::array<std::pair<const char*, Enum>, N>& table, Enum value) {
  for (const auto& [name, candidate] : table) {
    if (candidate == value) return name;
  }
  return "?";
}

constexpr std::array<std::pair<const char*, SchoolKind>, 7> kKinds{{
    {"kindergarten", SchoolKind::Kindergarten},
    {"primary", SchoolKind::Primary},
    {"middle", SchoolKind::Middle},
    {"high", SchoolKind::High},
    {"nine_year", SchoolKind::NineYear},
    {"vocational", SchoolKind::Vocational},
    {"training", SchoolKind::Training},
}};
constexpr std::array<std::pair<const char*, AccountRole>, 3> kRoles{{
    {"supervised", AccountRole::Supervised},
    {"basic", AccountRole::Basic},
    {"other", AccountRole::Other},
}};
constexpr std::array<std::pair<const char*, FeePer>, 4> kPers{{
    {"hour", FeePer::Hour},
    {"month", FeePer::Month},
    {"semester", FeePer::Semester},
    {"year", FeePer::Year},
}};

}  // namespace

const char* to_string(SchoolKind kind) {
  return name_of(kKinds, kind);
}
const char* to_string(AccountRole role) {
  return name_of(kRoles, role);
}
const char* to_string(FeePer per) {
  return name_of(kPers, per);
}
std::optional<SchoolKind> school_kind_from_string(const std::string& text) {
  return lookup(kKinds, text);
}
std::optional<AccountRole> account_role_from_string(const std::string& text) {
  return lookup(kRoles, text);
}
std::optional<FeePer> fee_per_from_string(const std::string& text) {
  return lookup(kPers, text);
}

bool is_compulsory(SchoolKind kind) {
  return kind == SchoolKind::Primary || kind == SchoolKind::Middle || kind == SchoolKind::NineYear;
}

void Registry::build_index() {
  RegistryIndex built;
  for (std::size_t i = 0; i < schools.size(); ++i) {
    // emplace keeps the first entry, as the scans below find the first match.
    built.by_id.emplace(schools[i].id, i);
    for (const SchoolAccount& account : schools[i].accounts) {
      built.by_account.emplace(normalise_account(account.number), i);
    }
  }
  built.school_count = schools.size();
  built.built = true;
  index = std::move(built);
}

const School* Registry::find_school(const std::string& id) const {
  if (index_current()) {
    const auto found = index.by_id.find(id);
    if (found == index.by_id.end()) return nullptr;
    const School& school = schools[found->second];
    if (school.id == id) return &school;
    // An id edited in place since the index was built: scan below.
  }
  for (const School& school : schools) {
    if (school.id == id) return &school;
  }
  return nullptr;
}

const School* Registry::find_account_owner(const std::string& account_number) const {
  const std::string wanted = normalise_account(account_number);
  if (index_current()) {
    const auto found = index.by_account.find(wanted);
    if (found == index.by_account.end()) return nullptr;
    const School& school = schools[found->second];
    for (const SchoolAccount& account : school.accounts) {
      if (normalise_account(account.number) == wanted) return &school;
    }
    // Accounts edited in place since the index was built: scan below.
  }
  for (const School& school : schools) {
    for (const SchoolAccount& account : school.accounts) {
      if (normalise_account(account.number) == wanted) return &school;
    }
  }
  return nullptr;
}

}  // namespace sfmon
