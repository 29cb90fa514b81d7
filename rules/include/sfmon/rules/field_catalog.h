#pragma once
// Every field a rule expression can name, with its type. The catalogue is the
// contract between the expression compiler (which resolves names to ids and
// checks types) and the fact model (which answers a FieldId for one fact).

#include <string_view>

#include "sfmon/rules/value.h"

namespace sfmon::rules {

enum class FieldId {
  // record.* — bank facts
  RecordKind,
  RecordId,
  RecordAccount,
  RecordAmount,
  RecordDebit,
  RecordCredit,
  RecordOwnTransfer,
  RecordTime,
  RecordDay,
  RecordPurpose,
  RecordTxCode,
  RecordSupervised,  // bank: the statement account is supervised; fee: paid into it
  // counterparty.*
  CounterpartyName,
  CounterpartyAccount,
  CounterpartyKey,
  CounterpartyClass,
  CounterpartyPerson,
  CounterpartyRelated,
  CounterpartyRelation,
  CounterpartyListed,
  CounterpartyListReason,
  // account.*
  AccountNumber,
  AccountRole,
  AccountSupervised,
  // school.*
  SchoolId,
  SchoolName,
  SchoolKind,
  SchoolNonprofit,
  SchoolInclusive,
  SchoolCompulsory,
  SchoolTraining,
  SchoolDistrict,
  SchoolEnrollment,
  SchoolMinBalance,
  // fee.*
  FeeId,
  FeeStudentId,
  FeeAmount,
  FeeType,
  FeeGrade,
  FeeTime,
  FeeDay,
  FeePeriodStart,
  FeePeriodEnd,
  FeeHours,
  FeeReceivingAccount,
  FeeRefund,
  FeeEnrolledAt,
  FeeCatalogued,
  FeeCap,
  FeePer,
  FeeNormalisedAmount,
  FeeMonths,
  FeeTermEnd,
  FeeToSupervised,
  // balance.*
  BalanceAccount,
  BalanceDay,
  BalanceAmount,
  // window.*
  WindowDay,
  WindowStart,
  WindowEnd,
};

// Which fact kinds a field exists on: a rule of source `fee` may not read
// `record.purpose`. Shared fields (school.*, account.* of bank facts) list
// every kind that has them.
enum FactMask : unsigned { kBankFacts = 1, kFeeFacts = 2, kBalanceFacts = 4, kAllFacts = 7 };

struct FieldInfo {
  std::string_view name;  // "record.amount"
  FieldId id;
  ValueType type;
  unsigned facts;  // FactMask bits
  bool nullable;   // may be null (optional in the source)
};

// nullptr when `name` is no field.
const FieldInfo* find_field(std::string_view name);
const FieldInfo& field_info(FieldId id);
// All fields, for "did you mean" hints and documentation.
const FieldInfo* all_fields(std::size_t* count);

}  // namespace sfmon::rules
