#pragma once
// "Did you mean" hints for misspelt names (fields, functions, macros, ...).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sfmon::rules {

// Levenshtein distance, counted in bytes.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `name` when it is near enough to be a likely typo
// (at most a third of the name's length and at most 3 edits, at least 1);
// the first such candidate wins a tie. Empty when none is.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

// " (did you mean 'x'?)" for the closest candidate, or "".
std::string did_you_mean(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace sfmon::rules
