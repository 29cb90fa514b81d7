// libFuzzer entry point for the rule expression language: the lexer, the
// expression, aggregate and template parsers, the compiler (with lists,
// macros, parameters and aggregates in scope) and evaluation of whatever
// compiles. Only sfmon::rules::PackError is an expected outcome; any other
// exception, crash, hang or sanitizer report is a bug.
// scripts/fuzz.sh runs it with libFuzzer; ctest runs it over seed files.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/rules/diagnostic.h"
#include "sfmon/rules/expression.h"

namespace {

using sfmon::rules::Value;
using sfmon::rules::ValueType;

// Every field present with a plausible value, some null, so that evaluation
// walks every operation.
class FuzzContext : public sfmon::rules::EvalContext {
 public:
  Value field(sfmon::rules::FieldId id) const override {
    const auto& info = sfmon::rules::field_info(id);
    if (info.nullable && static_cast<int>(id) % 2 == 0) return Value::null();
    switch (info.type) {
      case ValueType::Bool:
        return Value::boolean(static_cast<int>(id) % 3 == 0);
      case ValueType::Integer:
        return Value::integer(1200);
      case ValueType::Number:
        return Value::real(2.5);
      case ValueType::Money:
        return Value::money(-INT64_C(9223372036854775807));
      case ValueType::String:
        return Value::string("ATM取现 Salary 4305");
      case ValueType::Date:
        return Value::date(19999);
      case ValueType::Time:
        return Value::time(1728318600);
      case ValueType::Duration:
        return Value::duration(259200);
      default:
        return Value::null();
    }
  }
  Value aggregate(int slot) const override {
    return slot == 0 ? Value::money(INT64_C(9223372036854775807)) : Value::integer(INT64_MIN);
  }
  Value param(int slot) const override {
    switch (slot) {
      case 0:
        return Value::money(200000000);
      case 1:
        return Value::real(1e-300);
      case 2: {
        Value list{ValueType::List};
        list.list = &lenders_;
        return list;
      }
      default:
        return Value::null();
    }
  }
  Value closing_balance(std::int64_t day) const override {
    return day % 2 == 0 ? Value::money(day) : Value::null();
  }

 private:
  std::vector<std::string> lenders_{"分期", "", "loan"};
};

struct Scope {
  Scope() {
    const sfmon::rules::SourceRef origin{"macros.yaml", 1, 1};
    macros["is_debit"] =
        sfmon::rules::parse_expression("record.debit and record.amount < 0", origin);
    macros["loop"] = sfmon::rules::parse_expression("is_debit or loop", origin);
    macros["twice"] = sfmon::rules::parse_expression("is_debit and is_debit", origin);
    scope.facts = sfmon::rules::kBankFacts;
    scope.item = "rule 'FUZZ'";
    scope.lists = &lists;
    scope.macros = &macros;
    scope.params = &params;
    scope.aggregates = &aggregates;
  }
  std::map<std::string, std::vector<std::string>> lists{{"cash_words", {"现金", "ATM"}}};
  std::map<std::string, sfmon::rules::ExprNode> macros;
  std::map<std::string, sfmon::rules::ParamSymbol> params{{"limit", {0, ValueType::Money}},
                                                          {"share", {1, ValueType::Number}},
                                                          {"lenders", {2, ValueType::List}},
                                                          {"flag", {3, ValueType::Bool}}};
  std::map<std::string, sfmon::rules::AggregateSymbol> aggregates{{"total", {0, ValueType::Money}},
                                                                  {"n", {1, ValueType::Integer}}};
  sfmon::rules::CompileScope scope;
};

void compile_and_run(const sfmon::rules::ExprNode& node, const Scope& scope) {
  static const FuzzContext context;
  for (ValueType expected : {ValueType::Null, ValueType::Bool}) {
    try {
      const auto compiled = sfmon::rules::compile_expression(node, scope.scope, expected);
      sfmon::rules::format_value(compiled->eval(context));
    } catch (const sfmon::rules::PackError&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Scope scope;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const sfmon::rules::SourceRef origin{"fuzz.yaml", 2, 5};
  try {
    compile_and_run(sfmon::rules::parse_expression(text, origin), scope);
  } catch (const sfmon::rules::PackError&) {
  }
  try {
    const auto aggregate = sfmon::rules::parse_aggregate(text, origin);
    if (aggregate.argument) compile_and_run(*aggregate.argument, scope);
    if (aggregate.filter) compile_and_run(*aggregate.filter, scope);
  } catch (const sfmon::rules::PackError&) {
  }
  try {
    for (const auto& hole : sfmon::rules::parse_template(text, origin).holes) {
      compile_and_run(hole, scope);
    }
  } catch (const sfmon::rules::PackError&) {
  }
  return 0;
}
