#pragma once
// The school registry (schools.yaml) and the watchlist as plain data.

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sfmon/model/money.h"
#include "sfmon/model/time.h"

namespace sfmon {

enum class SchoolKind { Kindergarten, Primary, Middle, High, NineYear, Vocational, Training };
enum class AccountRole { Supervised, Basic, Other };
enum class FeePer { Hour, Month, Semester, Year };

const char* to_string(SchoolKind kind);
const char* to_string(AccountRole role);
const char* to_string(FeePer per);
std::optional<SchoolKind> school_kind_from_string(const std::string& text);
std::optional<AccountRole> account_role_from_string(const std::string& text);
std::optional<FeePer> fee_per_from_string(const std::string& text);

// primary, middle and nine_year schools provide compulsory education.
bool is_compulsory(SchoolKind kind);

struct SchoolAccount {
  std::string number;
  std::string bank;
  AccountRole role = AccountRole::Other;
};

struct RelatedParty {
  std::string name;
  std::string account;  // may be empty
  std::string relation;
};

struct FeeCatalogueEntry {
  std::string fee_type;
  std::string grade = "all";
  Fen cap_fen = 0;
  FeePer per = FeePer::Semester;
};

struct AcademicTerm {
  std::string term;  // e.g. "2024-autumn"
  Date start;
  Date end;  // inclusive
};

struct School {
  std::string id;
  std::string name;
  SchoolKind kind = SchoolKind::Primary;
  bool nonprofit = true;
  bool inclusive = false;
  std::string district;
  int enrollment = 0;
  std::optional<Fen> min_balance_fen;
  std::vector<SchoolAccount> accounts;
  std::vector<RelatedParty> related_parties;
  std::vector<FeeCatalogueEntry> fee_catalogue;
  std::vector<AcademicTerm> academic_calendar;  // empty: the default calendar
};

// Lookup tables over Registry::schools, by position in the list, so that
// copies and moves of a registry keep a valid index.
struct RegistryIndex {
  std::unordered_map<std::string, std::size_t> by_id;       // first school with the id
  std::unordered_map<std::string, std::size_t> by_account;  // normalised number -> owner
  std::size_t school_count = 0;  // schools.size() when built; another size means stale
  bool built = false;
};

struct Registry {
  std::vector<School> schools;
  // Built by build_index() (load_registry calls it). While it is missing or
  // stale (the school list changed size) the lookups scan every school,
  // which costs O(schools) per call; with it they are O(1). The lookups only
  // read it, so several threads may look up in one registry at once.
  RegistryIndex index;

  // Indexes ids and normalised account numbers. Call again after changing
  // ids or accounts of schools in place: such edits keep the list's size, so
  // the lookups cannot tell that the index is stale.
  void build_index();

  const School* find_school(const std::string& id) const;
  // The school owning `account_number`, or nullptr when it is unregistered.
  const School* find_account_owner(const std::string& account_number) const;

 private:
  bool index_current() const { return index.built && index.school_count == schools.size(); }
};

struct WatchlistEntry {
  std::string name;     // may be empty
  std::string account;  // may be empty
  std::string reason;
};

}  // namespace sfmon
