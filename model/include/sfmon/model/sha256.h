#pragma once
// SHA-256 of files, fee API pages, records without a bank reference,
// registry texts, notices and API tokens.

#include <initializer_list>
#include <string>
#include <string_view>

namespace sfmon {

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);
// The same of the concatenation of `parts`, without copying them together.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

}  // namespace sfmon
