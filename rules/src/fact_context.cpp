#include "fact_context.h"

#include <iterator>

#include "fact_fields.h"

namespace sfmon::rules {
Value FactContext::field(FieldId id) const {
  if (fact_ == nullptr || (fact_kinds_with(id) & fact_kind_bit(fact_->kind)) == 0) {
    return Value::null();
  }
  if (const FactFieldReader read = fact_field_reader(id)) return read(*fact_);
  switch (id) {
    case FieldId::WindowDay:
      return window_ && window_->day ? Value::date(*window_->day) : Value::null();
    case FieldId::WindowStart:
      return window_ ? Value::time(window_->start) : Value::null();
    case FieldId::WindowEnd:
      return window_ ? Value::time(window_->end) : Value::null();
    default:
      return school_field(id);
  }
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
      return school.min_balance_fen ? Value::money(*school.min_balance_fen) : Value::null();
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
