#pragma once
// Errors in input files (bank statements, fee files, registry, config).
// Every error names the file, where in it (line[:column] or an XML element path)
// and the offending value, so a user can find and fix it without a debugger.

#include <stdexcept>
#include <string>

namespace sfmon {

class InputError : public std::runtime_error {
 public:
  // `location` is "line 12", "12:5" or an element path such as
  // "Stmt[1]/Ntry[3]/Amt"; `value` is the offending text (may be empty).
  InputError(std::string file, std::string location, std::string message, std::string value = {});

  const std::string& file() const { return file_; }
  const std::string& location() const { return location_; }
  const std::string& message() const { return message_; }
  const std::string& value() const { return value_; }

 private:
  std::string file_;
  std::string location_;
  std::string message_;
  std::string value_;
};

// A non-fatal finding (unbalanced statement, unregistered account, ...).
struct Warning {
  std::string file;
  std::string location;
  std::string message;

  std::string to_string() const;
};

}  // namespace sfmon
