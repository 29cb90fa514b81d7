#include "fact_fields.h"

#include <array>
#include <cstddef>
#include <optional>

namespace sfmon::rules {
namespace {

constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::WindowEnd) + 1;

template <typename T, typename Make>
Value optional_value(const std::optional<T>& value, Make make) {
  return value ? make(*value) : Value::null();
}

struct FieldReaders {
  FactFieldReader value = nullptr;
  FactFlagReader flag = nullptr;  // boolean fields only
};

// A boolean field's two readers, from one definition of it.
template <FactFlagReader Flag>
FieldReaders flag_field() {
  return {[](const Fact& fact) { return Value::boolean(Flag(fact)); }, Flag};
}

template <bool Fact::*Member>
bool member_flag(const Fact& fact) {
  return fact.*Member;
}

bool supervised_account(const Fact& fact) {
  return fact.account_role == AccountRole::Supervised;
}
bool person_counterparty(const Fact& fact) {
  return fact.counterparty_class == CounterpartyClass::Person;
}

// Every field a fact holds, as the evaluator reads it (a reader per field,
// so that a compiled field node picks its reader once).
FieldReaders readers_of(FieldId id) {
  switch (id) {
    case FieldId::RecordKind:
      return {[](const Fact& fact) { return Value::string(to_string(fact.kind)); }};
    case FieldId::RecordId:
    case FieldId::FeeId:
      return {[](const Fact& fact) { return Value::string(fact.id); }};
    case FieldId::RecordAccount:
    case FieldId::AccountNumber:
    case FieldId::FeeReceivingAccount:
    case FieldId::BalanceAccount:
      return {[](const Fact& fact) { return Value::string(fact.account); }};
    case FieldId::RecordAmount:
    case FieldId::FeeAmount:
    case FieldId::BalanceAmount:
      return {[](const Fact& fact) { return Value::money(fact.amount); }};
    case FieldId::RecordDebit:
      return flag_field<&member_flag<&Fact::debit>>();
    case FieldId::RecordCredit:
      return flag_field<&member_flag<&Fact::credit>>();
    case FieldId::RecordOwnTransfer:
      return flag_field<&member_flag<&Fact::own_transfer>>();
    case FieldId::RecordSupervised:  // a fee fact's account is its receiving account
      return flag_field<&supervised_account>();
    case FieldId::RecordTime:
    case FieldId::FeeTime:
      return {[](const Fact& fact) { return Value::time(fact.time); }};
    case FieldId::RecordDay:
    case FieldId::FeeDay:
    case FieldId::BalanceDay:
      return {[](const Fact& fact) { return Value::date(fact.day); }};
    case FieldId::RecordPurpose:
      return {[](const Fact& fact) { return Value::string(fact.purpose); }};
    case FieldId::RecordTxCode:
      return {[](const Fact& fact) { return Value::string(fact.tx_code); }};
    case FieldId::CounterpartyName:
      return {[](const Fact& fact) { return Value::string(fact.counterparty_name); }};
    case FieldId::CounterpartyAccount:
      return {[](const Fact& fact) { return Value::string(fact.counterparty_account); }};
    case FieldId::CounterpartyKey:
      return {[](const Fact& fact) { return Value::string(fact.counterparty_key); }};
    case FieldId::CounterpartyClass:
      return {[](const Fact& fact) { return Value::string(to_string(fact.counterparty_class)); }};
    case FieldId::CounterpartyPerson:
      return flag_field<&person_counterparty>();
    case FieldId::CounterpartyRelated:
      return flag_field<&member_flag<&Fact::counterparty_related>>();
    case FieldId::CounterpartyRelation:
      return {[](const Fact& fact) { return Value::string(fact.counterparty_relation); }};
    case FieldId::CounterpartyListed:
      return flag_field<&member_flag<&Fact::counterparty_listed>>();
    case FieldId::CounterpartyListReason:
      return {[](const Fact& fact) { return Value::string(fact.counterparty_list_reason); }};
    case FieldId::AccountRole:
      return {[](const Fact& fact) { return Value::string(to_string(fact.account_role)); }};
    case FieldId::AccountSupervised:
      return flag_field<&supervised_account>();
    case FieldId::FeeStudentId:
      return {[](const Fact& fact) { return Value::string(fact.student_id); }};
    case FieldId::FeeType:
      return {[](const Fact& fact) { return Value::string(fact.fee_type); }};
    case FieldId::FeeGrade:
      return {[](const Fact& fact) { return Value::string(fact.grade); }};
    case FieldId::FeePeriodStart:
      return {[](const Fact& fact) { return optional_value(fact.period_start, Value::date); }};
    case FieldId::FeePeriodEnd:
      return {[](const Fact& fact) { return optional_value(fact.period_end, Value::date); }};
    case FieldId::FeeHours:
      return {[](const Fact& fact) { return optional_value(fact.hours, Value::real); }};
    case FieldId::FeeRefund:
      return flag_field<&member_flag<&Fact::refund>>();
    case FieldId::FeeEnrolledAt:
      return {[](const Fact& fact) { return optional_value(fact.enrolled_at, Value::date); }};
    case FieldId::FeeCatalogued:
      return flag_field<&member_flag<&Fact::catalogued>>();
    case FieldId::FeeCap:
      return {[](const Fact& fact) { return optional_value(fact.cap, Value::money); }};
    case FieldId::FeePer:
      return {[](const Fact& fact) {
        return fact.per ? Value::string(to_string(*fact.per)) : Value::null();
      }};
    case FieldId::FeeNormalisedAmount:
      return {
          [](const Fact& fact) { return optional_value(fact.normalised_amount, Value::money); }};
    case FieldId::FeeMonths:
      return {[](const Fact& fact) { return optional_value(fact.months, Value::real); }};
    case FieldId::FeeTermEnd:
      return {[](const Fact& fact) { return optional_value(fact.term_end, Value::date); }};
    case FieldId::FeeToSupervised:
      return flag_field<&member_flag<&Fact::to_supervised>>();
    default:
      return {};
  }
}

// Indexed by FieldId: field reads run for every record of every rule, and
// field_info() searches.
struct FieldTable {
  std::array<FieldReaders, kFieldCount> readers{};
  std::array<unsigned, kFieldCount> masks{};  // FactMask
};

const FieldTable& field_table() {
  static const FieldTable table = [] {
    FieldTable built;
    std::size_t count = 0;
    const FieldInfo* fields = all_fields(&count);
    for (std::size_t i = 0; i < count; ++i) {
      built.masks[static_cast<std::size_t>(fields[i].id)] = fields[i].facts;
    }
    for (std::size_t i = 0; i < kFieldCount; ++i)
      built.readers[i] = readers_of(static_cast<FieldId>(i));
    return built;
  }();
  return table;
}

}  // namespace

FactFieldReader fact_field_reader(FieldId id) {
  return field_table().readers[static_cast<std::size_t>(id)].value;
}

FactFlagReader fact_flag_reader(FieldId id) {
  return field_table().readers[static_cast<std::size_t>(id)].flag;
}

unsigned fact_kinds_with(FieldId id) {
  return field_table().masks[static_cast<std::size_t>(id)];
}

}  // namespace sfmon::rules
