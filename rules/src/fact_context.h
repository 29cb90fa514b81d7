#pragma once
// EvalContext over one fact: what compiled expressions read while the
// evaluator judges a record (fields of the fact and its school, the window
// being evaluated, the rule's aggregates, the pack's parameters and the
// school's supervised closing balances). Strings are views into the fact,
// the school or static names: nothing is copied, so reading fields
// allocates nothing.

#include <cstdint>
#include <optional>
#include <vector>

#include "sfmon/rules/expression.h"
#include "sfmon/rules/facts.h"

namespace sfmon::rules {

// The window.* fields of one evaluation; absent for per-record evaluations.
struct WindowFields {
  std::optional<std::int64_t> day;  // tumbling windows: the local day
  std::int64_t start = 0;           // UTC seconds
  std::int64_t end = 0;             // UTC seconds
};

// Supplies aggregate values by slot (computed lazily by the evaluator).
class AggregateSource {
 public:
  virtual ~AggregateSource() = default;
  virtual Value aggregate(int slot) const = 0;
};

class FactContext final : public EvalContext {
 public:
  // `facts` and `params` are borrowed and must outlive the context.
  FactContext(const SchoolFacts& facts, const std::vector<Value>& params)
      : facts_(facts), params_(params) {}

  void set_fact(const Fact& fact) { fact_ = &fact; }
  // nullptr: no window fields (they read as null).
  void set_window(const WindowFields* window) { window_ = window; }
  // nullptr: no aggregates (they read as null).
  void set_aggregates(const AggregateSource* aggregates) { aggregates_ = aggregates; }

  // A field the fact's kind does not have (fee.amount of a bank record) is null.
  Value field(FieldId id) const override;
  const Fact* fact() const override { return fact_; }
  Value aggregate(int slot) const override;
  Value param(int slot) const override;
  Value closing_balance(std::int64_t day) const override;

 private:
  Value school_field(FieldId id) const;

  const SchoolFacts& facts_;
  const std::vector<Value>& params_;
  const Fact* fact_ = nullptr;
  const WindowFields* window_ = nullptr;
  const AggregateSource* aggregates_ = nullptr;
};

}  // namespace sfmon::rules
