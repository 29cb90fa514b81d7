#pragma once
// Problems found in a rule pack, each with its place: "file:line:column: message".

#include <stdexcept>
#include <string>
#include <vector>

namespace sfmon::rules {

struct SourceRef {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

struct Diagnostic {
  SourceRef where;
  std::string message;            // names the item, e.g. "in rule 'FUND-LARGE': unknown field 'x'"
  std::string to_string() const;  // "file:line:column: message"
};

// A pack with any error is rejected whole; `errors` lists every problem found.
class PackError : public std::runtime_error {
 public:
  explicit PackError(std::vector<Diagnostic> errors);
  const std::vector<Diagnostic>& errors() const { return errors_; }

 private:
  std::vector<Diagnostic> errors_;
};

}  // namespace sfmon::rules
