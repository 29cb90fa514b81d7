#pragma once
// Names of counterparties are compared after normalisation: trimmed, inner
// runs of white space folded to one space, full-width forms (U+FF01..U+FF5E,
// U+3000) mapped to ASCII, ASCII case-folded. Invalid UTF-8 bytes are kept.

#include <string>
#include <string_view>

namespace sfmon {

std::string normalise_name(std::string_view name);

// Account numbers compare without spaces and dashes, upper-cased (IBANs).
std::string normalise_account(std::string_view account);
// normalise_account(account) == account, without making the copy (stored
// accounts are normalised already).
bool account_is_normalised(std::string_view account);

}  // namespace sfmon
