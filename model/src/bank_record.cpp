#include "sfmon/model/bank_record.h"

namespace sfmon {

const char* to_string(EntryStatus status) {
  return status == EntryStatus::Booked ? "booked" : "pending";
}

const char* to_string(CounterpartyClass cls) {
  switch (cls) {
    case CounterpartyClass::Person:
      return "person";
    case CounterpartyClass::Organisation:
      return "organisation";
    case CounterpartyClass::Unknown:
      break;
  }
  return "unknown";
}

const char* to_string(ClassBasis basis) {
  switch (basis) {
    case ClassBasis::Source:
      return "source";
    case ClassBasis::Registry:
      return "registry";
    case ClassBasis::Watchlist:
      return "watchlist";
    case ClassBasis::LegalForm:
      return "legal-form";
    case ClassBasis::NameShape:
      return "name-shape";
    case ClassBasis::None:
      break;
  }
  return "none";
}

const char* to_string(BalanceType type) {
  return type == BalanceType::Opening ? "opening" : "closing";
}

const char* to_string(BankFormat format) {
  switch (format) {
    case BankFormat::Camt:
      return "camt";
    case BankFormat::Mt940:
      return "mt940";
    case BankFormat::Csv:
      break;
  }
  return "csv";
}

}  // namespace sfmon
