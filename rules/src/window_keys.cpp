#include "window_keys.h"

#include <algorithm>
#include <functional>
#include <string_view>

namespace sfmon::rules::window {
namespace {

std::size_t combine(std::size_t seed, std::size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace

bool same_value(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case ValueType::Null:
      return true;
    case ValueType::Number:
      return a.number == b.number;
    case ValueType::String:
      return a.text == b.text;
    case ValueType::List:
      return a.list == b.list;
    default:
      return a.i == b.i;
  }
}

std::size_t hash_value(const Value& value) {
  const auto type = static_cast<std::size_t>(value.type);
  switch (value.type) {
    case ValueType::Null:
      return type;
    case ValueType::Number:
      // 0.0 and -0.0 are equal, so they must hash alike.
      return combine(type, std::hash<double>{}(value.number == 0 ? 0.0 : value.number));
    case ValueType::String:
      return combine(type, std::hash<std::string_view>{}(value.text));
    case ValueType::List:
      return combine(type, std::hash<const void*>{}(value.list));
    default:
      return combine(type, std::hash<std::int64_t>{}(value.i));
  }
}

std::size_t KeyGroups::Hash::operator()(std::span<const Value> key) const {
  std::size_t seed = key.size();
  for (const Value& value : key) seed = combine(seed, hash_value(value));
  return seed;
}

bool KeyGroups::Equal::operator()(std::span<const Value> a, std::span<const Value> b) const {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_value);
}

std::uint32_t KeyGroups::group_of(std::span<const Value> key) {
  if (!keys_.empty() && Equal{}(*keys_[last_], key)) return last_;
  if (const auto it = ids_.find(key); it != ids_.end()) return last_ = it->second;
  const auto id = static_cast<std::uint32_t>(keys_.size());
  const auto inserted = ids_.emplace(std::vector<Value>(key.begin(), key.end()), id).first;
  keys_.push_back(&inserted->first);
  return last_ = id;
}

}  // namespace sfmon::rules::window
