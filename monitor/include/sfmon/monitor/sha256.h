#pragma once
// SHA-256 of files, registry texts, notices and API tokens.

#include <string>
#include <string_view>

namespace sfmon {

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace sfmon
