#pragma once
// The fields a fact holds itself (record.*, counterparty.*, account.*, fee.*,
// balance.*): which kinds of fact have them, and a reader per field. Both
// FactContext::field and compiled field nodes read through these, so a field
// reads the same whichever way it is reached. school.* and window.* fields
// come from the evaluation, not the fact: they have no reader.

#include "sfmon/rules/facts.h"
#include "sfmon/rules/field_catalog.h"
#include "sfmon/rules/value.h"

namespace sfmon::rules {

// Strings in the value are views into the fact or static names.
using FactFieldReader = Value (*)(const Fact& fact);

// The reader of `id`, or nullptr when the fact alone does not give it.
FactFieldReader fact_field_reader(FieldId id);

// A boolean field's value without a Value around it: conditions test
// boolean fields (`record.debit and ...`) for every record of every rule.
using FactFlagReader = bool (*)(const Fact& fact);

// The flag reader of a boolean field of the fact itself, else nullptr.
// fact_field_reader(id) reads the same flag as a Value.
FactFlagReader fact_flag_reader(FieldId id);

// The kinds of fact that have the field (field_info(id).facts, a FactMask);
// a field a fact's kind does not have reads as null.
unsigned fact_kinds_with(FieldId id);

constexpr unsigned fact_kind_bit(FactKind kind) {
  static_assert(kBankFacts == 1u << static_cast<unsigned>(FactKind::Bank) &&
                kFeeFacts == 1u << static_cast<unsigned>(FactKind::Fee) &&
                kBalanceFacts == 1u << static_cast<unsigned>(FactKind::Balance));
  return 1u << static_cast<unsigned>(kind);
}

}  // namespace sfmon::rules
