#include "sfmon/rules/field_catalog.h"

#include <array>

namespace sfmon::rules {
namespace {

using enum ValueType;
constexpr unsigned kBank = kBankFacts;
constexpr unsigned kFee = kFeeFacts;
constexpr unsigned kBalance = kBalanceFacts;

constexpr std::array kFields{
    FieldInfo{"record.kind", FieldId::RecordKind, String, kAllFacts, false},
    FieldInfo{"record.id", FieldId::RecordId, String, kAllFacts, false},
    FieldInfo{"record.account", FieldId::RecordAccount, String, kAllFacts, false},
    FieldInfo{"record.amount", FieldId::RecordAmount, Money, kAllFacts, false},
    FieldInfo{"record.debit", FieldId::RecordDebit, Bool, kAllFacts, false},
    FieldInfo{"record.credit", FieldId::RecordCredit, Bool, kAllFacts, false},
    FieldInfo{"record.own_transfer", FieldId::RecordOwnTransfer, Bool, kBank, false},
    FieldInfo{"record.time", FieldId::RecordTime, Time, kAllFacts, false},
    FieldInfo{"record.day", FieldId::RecordDay, Date, kAllFacts, false},
    FieldInfo{"record.purpose", FieldId::RecordPurpose, String, kBank, false},
    FieldInfo{"record.tx_code", FieldId::RecordTxCode, String, kBank, false},
    FieldInfo{"record.supervised", FieldId::RecordSupervised, Bool, kBank | kFee, false},
    FieldInfo{"counterparty.name", FieldId::CounterpartyName, String, kBank, false},
    FieldInfo{"counterparty.account", FieldId::CounterpartyAccount, String, kBank, false},
    FieldInfo{"counterparty.key", FieldId::CounterpartyKey, String, kBank, false},
    FieldInfo{"counterparty.class", FieldId::CounterpartyClass, String, kBank, false},
    FieldInfo{"counterparty.person", FieldId::CounterpartyPerson, Bool, kBank, false},
    FieldInfo{"counterparty.related", FieldId::CounterpartyRelated, Bool, kBank, false},
    FieldInfo{"counterparty.relation", FieldId::CounterpartyRelation, String, kBank, false},
    FieldInfo{"counterparty.listed", FieldId::CounterpartyListed, Bool, kBank, false},
    FieldInfo{"counterparty.list_reason", FieldId::CounterpartyListReason, String, kBank, false},
    FieldInfo{"account.number", FieldId::AccountNumber, String, kBank | kBalance, false},
    FieldInfo{"account.role", FieldId::AccountRole, String, kBank | kBalance, false},
    FieldInfo{"account.supervised", FieldId::AccountSupervised, Bool, kBank | kBalance, false},
    FieldInfo{"school.id", FieldId::SchoolId, String, kAllFacts, false},
    FieldInfo{"school.name", FieldId::SchoolName, String, kAllFacts, false},
    FieldInfo{"school.kind", FieldId::SchoolKind, String, kAllFacts, false},
    FieldInfo{"school.nonprofit", FieldId::SchoolNonprofit, Bool, kAllFacts, false},
    FieldInfo{"school.inclusive", FieldId::SchoolInclusive, Bool, kAllFacts, false},
    FieldInfo{"school.compulsory", FieldId::SchoolCompulsory, Bool, kAllFacts, false},
    FieldInfo{"school.training", FieldId::SchoolTraining, Bool, kAllFacts, false},
    FieldInfo{"school.district", FieldId::SchoolDistrict, String, kAllFacts, false},
    FieldInfo{"school.enrollment", FieldId::SchoolEnrollment, Integer, kAllFacts, false},
    FieldInfo{"school.min_balance", FieldId::SchoolMinBalance, Money, kAllFacts, true},
    FieldInfo{"fee.id", FieldId::FeeId, String, kFee, false},
    FieldInfo{"fee.student_id", FieldId::FeeStudentId, String, kFee, false},
    FieldInfo{"fee.amount", FieldId::FeeAmount, Money, kFee, false},
    FieldInfo{"fee.fee_type", FieldId::FeeType, String, kFee, false},
    FieldInfo{"fee.grade", FieldId::FeeGrade, String, kFee, false},
    FieldInfo{"fee.time", FieldId::FeeTime, Time, kFee, false},
    FieldInfo{"fee.day", FieldId::FeeDay, Date, kFee, false},
    FieldInfo{"fee.period_start", FieldId::FeePeriodStart, Date, kFee, true},
    FieldInfo{"fee.period_end", FieldId::FeePeriodEnd, Date, kFee, true},
    FieldInfo{"fee.hours", FieldId::FeeHours, Number, kFee, true},
    FieldInfo{"fee.receiving_account", FieldId::FeeReceivingAccount, String, kFee, false},
    FieldInfo{"fee.refund", FieldId::FeeRefund, Bool, kFee, false},
    FieldInfo{"fee.enrolled_at", FieldId::FeeEnrolledAt, Date, kFee, true},
    FieldInfo{"fee.catalogued", FieldId::FeeCatalogued, Bool, kFee, false},
    FieldInfo{"fee.cap", FieldId::FeeCap, Money, kFee, true},
    FieldInfo{"fee.per", FieldId::FeePer, String, kFee, true},
    FieldInfo{"fee.normalised_amount", FieldId::FeeNormalisedAmount, Money, kFee, true},
    FieldInfo{"fee.months", FieldId::FeeMonths, Number, kFee, true},
    FieldInfo{"fee.term_end", FieldId::FeeTermEnd, Date, kFee, true},
    FieldInfo{"fee.to_supervised", FieldId::FeeToSupervised, Bool, kFee, false},
    FieldInfo{"balance.account", FieldId::BalanceAccount, String, kBalance, false},
    FieldInfo{"balance.day", FieldId::BalanceDay, Date, kBalance, false},
    FieldInfo{"balance.amount", FieldId::BalanceAmount, Money, kBalance, false},
    FieldInfo{"window.day", FieldId::WindowDay, Date, kAllFacts, true},
    FieldInfo{"window.start", FieldId::WindowStart, Time, kAllFacts, true},
    FieldInfo{"window.end", FieldId::WindowEnd, Time, kAllFacts, true},
};

}  // namespace

const FieldInfo* find_field(std::string_view name) {
  for (const FieldInfo& field : kFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

const FieldInfo& field_info(FieldId id) {
  for (const FieldInfo& field : kFields) {
    if (field.id == id) return field;
  }
  return kFields[0];  // unreachable: every FieldId has a row (tested)
}

const FieldInfo* all_fields(std::size_t* count) {
  *count = kFields.size();
  return kFields.data();
}

}  // namespace sfmon::rules
