#include "expression_nodes.h"

#include "expression_operations.h"
#include "fact_fields.h"

namespace sfmon::rules::nodes {
namespace {

class ConstantNode final : public Node {
 public:
  explicit ConstantNode(const Value& value) : Node(value.type), value_(value) {}
  Value eval(const EvalContext&) const override { return value_; }

 private:
  Value value_;
};

class StringConstantNode final : public Node {
 public:
  explicit StringConstantNode(std::string text) : Node(ValueType::String), text_(std::move(text)) {}
  Value eval(const EvalContext&) const override { return Value::string(text_); }

 private:
  std::string text_;
};

class ListNode final : public Node {
 public:
  explicit ListNode(std::vector<std::string> items)
      : Node(ValueType::List), owned_(std::move(items)), items_(&owned_) {}
  explicit ListNode(const std::vector<std::string>* items) : Node(ValueType::List), items_(items) {}
  ListNode(const ListNode&) = delete;  // items_ may point into owned_
  ListNode& operator=(const ListNode&) = delete;
  Value eval(const EvalContext&) const override {
    Value value;
    value.type = ValueType::List;
    value.list = items_;
    return value;
  }

 private:
  std::vector<std::string> owned_;
  const std::vector<std::string>* items_;
};

class FieldNode final : public Node {
 public:
  FieldNode(FieldId id, ValueType type)
      : Node(type),
        id_(id),
        read_(fact_field_reader(id)),
        flag_(fact_flag_reader(id)),
        kinds_(fact_kinds_with(id)) {}
  Value eval(const EvalContext& context) const override {
    // As FactContext::field reads it, one virtual call and dispatch fewer:
    // this runs for every field of every rule for every record.
    if (read_ != nullptr) {
      if (const Fact* fact = context.fact()) {
        return (kinds_ & fact_kind_bit(fact->kind)) != 0 ? read_(*fact) : Value::null();
      }
    }
    return context.field(id_);
  }
  // Boolean fields stand alone in most conditions (`record.debit and ...`):
  // a flag of the fact is tested without a Value made and destroyed.
  bool test(const EvalContext& context) const override {
    if (flag_ != nullptr) {
      if (const Fact* fact = context.fact()) {
        return (kinds_ & fact_kind_bit(fact->kind)) != 0 && flag_(*fact);
      }
    }
    return eval(context).truthy();
  }

 private:
  FieldId id_;
  FactFieldReader read_;  // nullptr: not a field of the fact itself
  FactFlagReader flag_;   // nullptr: not a boolean field of the fact itself
  unsigned kinds_;        // FactMask
};

class ParamNode final : public Node {
 public:
  ParamNode(int slot, ValueType type) : Node(type), slot_(slot) {}
  Value eval(const EvalContext& context) const override { return context.param(slot_); }

 private:
  int slot_;
};

class AggregateNode final : public Node {
 public:
  AggregateNode(int slot, ValueType type) : Node(type), slot_(slot) {}
  Value eval(const EvalContext& context) const override { return context.aggregate(slot_); }

 private:
  int slot_;
};

class AndNode final : public Node {
 public:
  AndNode(NodePtr left, NodePtr right)
      : Node(ValueType::Bool), left_(std::move(left)), right_(std::move(right)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    return left_->test(context) && right_->test(context);
  }

 private:
  NodePtr left_;
  NodePtr right_;
};

class OrNode final : public Node {
 public:
  OrNode(NodePtr left, NodePtr right)
      : Node(ValueType::Bool), left_(std::move(left)), right_(std::move(right)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    return left_->test(context) || right_->test(context);
  }

 private:
  NodePtr left_;
  NodePtr right_;
};

class NotNode final : public Node {
 public:
  explicit NotNode(NodePtr operand) : Node(ValueType::Bool), operand_(std::move(operand)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override { return !operand_->test(context); }

 private:
  NodePtr operand_;
};

class KindTestNode final : public Node {
 public:
  KindTestNode(NodePtr general, unsigned kinds, bool negate)
      : Node(ValueType::Bool), general_(std::move(general)), kinds_(kinds), negate_(negate) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    const Fact* fact = context.fact();
    if (fact == nullptr) return general_->test(context);
    return ((kinds_ & fact_kind_bit(fact->kind)) != 0) != negate_;
  }

 private:
  NodePtr general_;
  unsigned kinds_;  // FactMask
  bool negate_;
};

class NullTestNode final : public Node {
 public:
  NullTestNode(NodePtr operand, bool want_null)
      : Node(ValueType::Bool), operand_(std::move(operand)), want_null_(want_null) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    return operand_->eval(context).is_null() == want_null_;
  }

 private:
  NodePtr operand_;
  bool want_null_;
};

class MembershipNode final : public Node {
 public:
  MembershipNode(NodePtr value, NodePtr list, bool negate)
      : Node(ValueType::Bool), value_(std::move(value)), list_(std::move(list)), negate_(negate) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    const Value value = value_->eval(context);
    if (value.is_null()) return false;
    const Value list = list_->eval(context);
    if (list.is_null() || !list.list) return false;
    bool found = false;
    for (const std::string& item : *list.list) {
      if (item == value.text) {
        found = true;
        break;
      }
    }
    return found != negate_;
  }

 private:
  NodePtr value_;
  NodePtr list_;
  bool negate_;
};

class ContainsAnyNode final : public Node {
 public:
  ContainsAnyNode(NodePtr text, NodePtr list)
      : Node(ValueType::Bool), text_(std::move(text)), list_(std::move(list)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    const Value text = text_->eval(context);
    if (text.is_null()) return false;
    const Value list = list_->eval(context);
    if (list.is_null() || !list.list) return false;
    for (const std::string& item : *list.list) {
      if (!item.empty() && ops::contains_ignoring_case(text.text, item)) return true;
    }
    return false;
  }

 private:
  NodePtr text_;
  NodePtr list_;
};

class RegexNode final : public Node {
 public:
  RegexNode(NodePtr text, std::regex pattern)
      : Node(ValueType::Bool), text_(std::move(text)), pattern_(std::move(pattern)) {}
  Value eval(const EvalContext& context) const override { return Value::boolean(test(context)); }
  bool test(const EvalContext& context) const override {
    const Value text = text_->eval(context);
    if (text.is_null()) return false;
    return std::regex_search(text.text.begin(), text.text.end(), pattern_);
  }

 private:
  NodePtr text_;
  std::regex pattern_;
};

class CoalesceNode final : public Node {
 public:
  CoalesceNode(NodePtr first, NodePtr second, ValueType type)
      : Node(type), first_(std::move(first)), second_(std::move(second)) {}
  Value eval(const EvalContext& context) const override {
    Value value = first_->eval(context);
    return value.is_null() ? second_->eval(context) : value;
  }

 private:
  NodePtr first_;
  NodePtr second_;
};

class ClosingBalanceNode final : public Node {
 public:
  explicit ClosingBalanceNode(NodePtr day) : Node(ValueType::Money), day_(std::move(day)) {}
  Value eval(const EvalContext& context) const override {
    const Value day = day_->eval(context);
    return day.is_null() ? day : context.closing_balance(day.i);
  }

 private:
  NodePtr day_;
};

}  // namespace

NodePtr constant(const Value& value) {
  return std::make_unique<ConstantNode>(value);
}
NodePtr string_constant(std::string text) {
  return std::make_unique<StringConstantNode>(std::move(text));
}
NodePtr list_constant(std::vector<std::string> items) {
  return std::make_unique<ListNode>(std::move(items));
}
NodePtr list_reference(const std::vector<std::string>* items) {
  return std::make_unique<ListNode>(items);
}
NodePtr field(FieldId id, ValueType type) {
  return std::make_unique<FieldNode>(id, type);
}
NodePtr param(int slot, ValueType type) {
  return std::make_unique<ParamNode>(slot, type);
}
NodePtr aggregate(int slot, ValueType type) {
  return std::make_unique<AggregateNode>(slot, type);
}
NodePtr logical_and(NodePtr left, NodePtr right) {
  return std::make_unique<AndNode>(std::move(left), std::move(right));
}
NodePtr logical_or(NodePtr left, NodePtr right) {
  return std::make_unique<OrNode>(std::move(left), std::move(right));
}
NodePtr logical_not(NodePtr operand) {
  return std::make_unique<NotNode>(std::move(operand));
}
NodePtr kind_test(NodePtr general, unsigned kinds, bool negate) {
  return std::make_unique<KindTestNode>(std::move(general), kinds, negate);
}

NodePtr null_test(NodePtr operand, bool want_null) {
  return std::make_unique<NullTestNode>(std::move(operand), want_null);
}
NodePtr membership(NodePtr value, NodePtr list, bool negate) {
  return std::make_unique<MembershipNode>(std::move(value), std::move(list), negate);
}
NodePtr contains_any(NodePtr text, NodePtr list) {
  return std::make_unique<ContainsAnyNode>(std::move(text), std::move(list));
}
NodePtr regex_search(NodePtr text, std::regex pattern) {
  return std::make_unique<RegexNode>(std::move(text), std::move(pattern));
}
NodePtr coalesce(NodePtr first, NodePtr second, ValueType type) {
  return std::make_unique<CoalesceNode>(std::move(first), std::move(second), type);
}
NodePtr closing_balance(NodePtr day) {
  return std::make_unique<ClosingBalanceNode>(std::move(day));
}

}  // namespace sfmon::rules::nodes
