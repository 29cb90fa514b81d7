#include "fact_context.h"

#include <array>
#include <iterator>

namespace sfmon::rules {
namespace {

constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::WindowEnd) + 1;

// FactMask of every field, indexed by FieldId: field_info() searches, and
// field() runs for every record of every rule.
const std::array<unsigned, kFieldCount>& field_masks() {
  static const std::array<unsigned, kFieldCount> masks = [] {
    std::array<unsigned, kFieldCount> table{};
    std::size_t count = 0;
    const FieldInfo* fields = all_fields(&count);
    for (std::size_t i = 0; i < count; ++i) {
      table[static_cast<std::size_t>(fields[i].id)] = fields[i].facts;
    }
    return table;
  }();
  return masks;
}

unsigned kind_bit(FactKind kind) {
  switch (kind) {
    case FactKind::Bank:
      return kBankFacts;
    case FactKind::Fee:
      return kFeeFacts;
    case FactKind::Balance:
      return kBalanceFacts;
  }
  return 0;
}

template <typename T, typename Make>
Value optional_value(const std::optional<T>& value, Make make) {
  return value ? make(*value) : Value::null();
}

}  // namespace

Value FactContext::field(FieldId id) const {
  if (fact_ == nullptr) return Value::null();
  if ((field_masks()[static_cast<std::size_t>(id)] & kind_bit(fact_->kind)) == 0) {
    return Value::null();
  }
  switch (id) {
    case FieldId::WindowDay:
      return window_ ? optional_value(window_->day, Value::date) : Value::null();
    case FieldId::WindowStart:
      return window_ ? Value::time(window_->start) : Value::null();
    case FieldId::WindowEnd:
      return window_ ? Value::time(window_->end) : Value::null();
    default:
      break;
  }
  if (id >= FieldId::SchoolId && id <= FieldId::SchoolMinBalance) return school_field(id);
  return fact_field(id);
}

Value FactContext::school_field(FieldId id) const {
  if (facts_.school == nullptr) return Value::null();
  const School& school = *facts_.school;
  switch (id) {
    case FieldId::SchoolId:
      return Value::string(school.id);
    case FieldId::SchoolName:
      return Value::string(school.name);
    case FieldId::SchoolKind:
      return Value::string(to_string(school.kind));
    case FieldId::SchoolNonprofit:
      return Value::boolean(school.nonprofit);
    case FieldId::SchoolInclusive:
      return Value::boolean(school.inclusive);
    case FieldId::SchoolCompulsory:
      return Value::boolean(is_compulsory(school.kind));
    case FieldId::SchoolTraining:
      return Value::boolean(school.kind == SchoolKind::Training);
    case FieldId::SchoolDistrict:
      return Value::string(school.district);
    case FieldId::SchoolEnrollment:
      return Value::integer(school.enrollment);
    case FieldId::SchoolMinBalance:
      return optional_value(school.min_balance_fen, Value::money);
    default:
      return Value::null();
  }
}

Value FactContext::fact_field(FieldId id) const {
  const Fact& fact = *fact_;
  switch (id) {
    case FieldId::RecordKind:
      return Value::string(to_string(fact.kind));
    case FieldId::RecordId:
    case FieldId::FeeId:
      return Value::string(fact.id);
    case FieldId::RecordAccount:
    case FieldId::AccountNumber:
    case FieldId::FeeReceivingAccount:
    case FieldId::BalanceAccount:
      return Value::string(fact.account);
    case FieldId::RecordAmount:
    case FieldId::FeeAmount:
    case FieldId::BalanceAmount:
      return Value::money(fact.amount);
    case FieldId::RecordDebit:
      return Value::boolean(fact.debit);
    case FieldId::RecordCredit:
      return Value::boolean(fact.credit);
    case FieldId::RecordOwnTransfer:
      return Value::boolean(fact.own_transfer);
    case FieldId::RecordSupervised:  // a fee fact's account is its receiving account
      return Value::boolean(fact.account_role == AccountRole::Supervised);
    case FieldId::RecordTime:
    case FieldId::FeeTime:
      return Value::time(fact.time);
    case FieldId::RecordDay:
    case FieldId::FeeDay:
    case FieldId::BalanceDay:
      return Value::date(fact.day);
    case FieldId::RecordPurpose:
      return Value::string(fact.purpose);
    case FieldId::RecordTxCode:
      return Value::string(fact.tx_code);
    case FieldId::CounterpartyName:
      return Value::string(fact.counterparty_name);
    case FieldId::CounterpartyAccount:
      return Value::string(fact.counterparty_account);
    case FieldId::CounterpartyKey:
      return Value::string(fact.counterparty_key);
    case FieldId::CounterpartyClass:
      return Value::string(to_string(fact.counterparty_class));
    case FieldId::CounterpartyPerson:
      return Value::boolean(fact.counterparty_class == CounterpartyClass::Person);
    case FieldId::CounterpartyRelated:
      return Value::boolean(fact.counterparty_related);
    case FieldId::CounterpartyRelation:
      return Value::string(fact.counterparty_relation);
    case FieldId::CounterpartyListed:
      return Value::boolean(fact.counterparty_listed);
    case FieldId::CounterpartyListReason:
      return Value::string(fact.counterparty_list_reason);
    case FieldId::AccountRole:
      return Value::string(to_string(fact.account_role));
    case FieldId::AccountSupervised:
      return Value::boolean(fact.account_role == AccountRole::Supervised);
    case FieldId::FeeStudentId:
      return Value::string(fact.student_id);
    case FieldId::FeeType:
      return Value::string(fact.fee_type);
    case FieldId::FeeGrade:
      return Value::string(fact.grade);
    case FieldId::FeePeriodStart:
      return optional_value(fact.period_start, Value::date);
    case FieldId::FeePeriodEnd:
      return optional_value(fact.period_end, Value::date);
    case FieldId::FeeHours:
      return optional_value(fact.hours, Value::real);
    case FieldId::FeeRefund:
      return Value::boolean(fact.refund);
    case FieldId::FeeEnrolledAt:
      return optional_value(fact.enrolled_at, Value::date);
    case FieldId::FeeCatalogued:
      return Value::boolean(fact.catalogued);
    case FieldId::FeeCap:
      return optional_value(fact.cap, Value::money);
    case FieldId::FeePer:
      return fact.per ? Value::string(to_string(*fact.per)) : Value::null();
    case FieldId::FeeNormalisedAmount:
      return optional_value(fact.normalised_amount, Value::money);
    case FieldId::FeeMonths:
      return optional_value(fact.months, Value::real);
    case FieldId::FeeTermEnd:
      return optional_value(fact.term_end, Value::date);
    case FieldId::FeeToSupervised:
      return Value::boolean(fact.to_supervised);
    default:
      return Value::null();
  }
}

Value FactContext::aggregate(int slot) const {
  return aggregates_ != nullptr ? aggregates_->aggregate(slot) : Value::null();
}

Value FactContext::param(int slot) const {
  if (slot < 0 || static_cast<std::size_t>(slot) >= params_.size()) return Value::null();
  return params_[static_cast<std::size_t>(slot)];
}

Value FactContext::closing_balance(std::int64_t day) const {
  const auto& closing = facts_.supervised_closing;
  auto it = closing.upper_bound(day);  // the first day after `day`
  if (it == closing.begin()) return Value::null();
  return Value::money(std::prev(it)->second);
}

}  // namespace sfmon::rules
