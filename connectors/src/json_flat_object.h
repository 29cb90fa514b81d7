#pragma once
// One JSON object of scalar fields (a JSON Lines record) as named text.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sfmon {

// Parses `json` (one object) with Poco::JSON and returns the members named in
// `keys` as text: strings decoded, numbers exactly as written in the source
// ("1234.50" stays "1234.50"; Poco alone would turn it into a double), null
// members left out. Other members are ignored, whatever their type.
// Throws InputError(file, location, ...) on malformed JSON, a value that is
// not an object, a wanted member that is a boolean, object or array, or a key
// that appears twice. Poco's messages carry no position, hence `location`.
// Poco parses each object once.
std::map<std::string, std::string> read_flat_json_object(std::string_view json,
                                                         const std::vector<std::string_view>& keys,
                                                         const std::string& file,
                                                         const std::string& location);

}  // namespace sfmon
