#pragma once
// Values as hash keys: the grouping keys of windows (one group per distinct
// tuple of key values) and the items counted by distinct(). Strings are
// compared by content; the views stay valid because every stored Value keeps
// its text alive (facts and pack outlive evaluation; computed text is owned).

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "sfmon/rules/value.h"

namespace sfmon::rules::window {

bool same_value(const Value& a, const Value& b);
std::size_t hash_value(const Value& value);

struct ValueHash {
  std::size_t operator()(const Value& value) const { return hash_value(value); }
};
struct ValueEqual {
  bool operator()(const Value& a, const Value& b) const { return same_value(a, b); }
};

// Numbers a group per distinct key tuple, in order of first appearance.
// Looking up a known key allocates nothing.
class KeyGroups {
 public:
  std::uint32_t group_of(std::span<const Value> key);
  const std::vector<Value>& key(std::uint32_t group) const { return *keys_[group]; }
  std::size_t size() const { return keys_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::span<const Value> key) const;
    std::size_t operator()(const std::vector<Value>& key) const {
      return (*this)(std::span<const Value>(key));
    }
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::span<const Value> a, std::span<const Value> b) const;
    bool operator()(const std::vector<Value>& a, std::span<const Value> b) const {
      return (*this)(std::span<const Value>(a), b);
    }
    bool operator()(std::span<const Value> a, const std::vector<Value>& b) const {
      return (*this)(a, std::span<const Value>(b));
    }
    bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
      return (*this)(std::span<const Value>(a), std::span<const Value>(b));
    }
  };
  std::unordered_map<std::vector<Value>, std::uint32_t, Hash, Equal> ids_;
  std::vector<const std::vector<Value>*> keys_;  // into ids_ (node-based: stable)
  // The group of the last key looked up: facts in event order often repeat
  // it (a rule keyed by school.id has one key), and comparing is cheaper
  // than hashing.
  std::uint32_t last_ = 0;
};

}  // namespace sfmon::rules::window
