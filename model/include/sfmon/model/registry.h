#pragma once
// The school registry (schools.yaml) and the watchlist as plain data.

#include <optional>
#include <string>
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

struct Registry {
  std::vector<School> schools;

  const School* find_school(const std::string& id) const;
  // The school owning `account_number`, or nullptr when it is unregistered.
  const School* find_account_owner(const std::string& account_number) const;
};

struct WatchlistEntry {
  std::string name;     // may be empty
  std::string account;  // may be empty
  std::string reason;
};

}  // namespace sfmon
