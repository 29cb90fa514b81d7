#include "sfmon/rules/window_totals.h"

#include <algorithm>
#include <charconv>

namespace sfmon::rules {
namespace {

bool integer_valued(ValueType type) {
  return type == ValueType::Money || type == ValueType::Integer || type == ValueType::Duration;
}

}  // namespace

bool totals_can_stand_in(const CompiledRule& rule) {
  if (rule.window.kind != WindowKind::Preceding || rule.aggregates.empty()) return false;
  if (rule.evidence_window || rule.reads_closing_balance || rule.sources != kBankFacts) {
    return false;
  }
  return std::all_of(
      rule.aggregates.begin(), rule.aggregates.end(), [](const CompiledAggregate& aggregate) {
        switch (aggregate.func) {
          case AggregateFunc::Count:
            return true;
          case AggregateFunc::Sum:
          case AggregateFunc::Mean:
          case AggregateFunc::Stddev:
            return aggregate.argument != nullptr && integer_valued(aggregate.argument->type());
          default:
            return false;
        }
      });
}

std::string key_text(std::span<const Value> key) {
  // Each part as its type's name, '=', its value and a unit separator: two
  // tuples have the same text exactly when they group together.
  std::string text;
  for (const Value& part : key) {
    text += to_string(part.type);
    text += '=';
    switch (part.type) {
      case ValueType::Null:
        break;
      case ValueType::String:
        text += part.text;
        break;
      case ValueType::Number: {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, part.number);
        text.append(buffer, result.ptr);
        break;
      }
      case ValueType::List:
        if (part.list != nullptr) {
          for (const std::string& item : *part.list) {
            text += std::to_string(item.size()) + ':' + item;
          }
        }
        break;
      default:
        text += std::to_string(part.i);
        break;
    }
    text += '\x1f';
  }
  return text;
}

bool add_totals(std::vector<KeyTotals>& sums, const DayTotals& day) {
  for (const KeyTotals& totals : day.keys) {
    auto it = std::lower_bound(
        sums.begin(), sums.end(), totals.key,
        [](const KeyTotals& sum, const std::string& key) { return sum.key < key; });
    if (it == sums.end() || it->key != totals.key) {
      it = sums.insert(it, KeyTotals{totals.key, std::vector<Moments>(totals.aggregates.size())});
    }
    if (it->aggregates.size() != totals.aggregates.size()) return false;
    for (std::size_t a = 0; a < totals.aggregates.size(); ++a) {
      Moments& sum = it->aggregates[a];
      const Moments& add = totals.aggregates[a];
      if (__builtin_add_overflow(sum.count, add.count, &sum.count) ||
          __builtin_add_overflow(sum.sum, add.sum, &sum.sum) ||
          __builtin_add_overflow(sum.sum_squares, add.sum_squares, &sum.sum_squares)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace sfmon::rules
