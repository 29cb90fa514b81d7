#pragma once
// The sfmon command line: `sfmon COMMAND [options]`. Exit codes: 0 success,
// 1 a check failed (a rejected file, invalid rules, failed verification),
// 2 usage or configuration error. Errors go to `err`, one line each.

#include <iosfwd>
#include <string>
#include <vector>

namespace sfmon {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sfmon
