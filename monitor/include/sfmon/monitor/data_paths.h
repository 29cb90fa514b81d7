#pragma once
// Where sfmon finds its bundled data (the default rule pack), wherever the
// binary runs from: $SFMON_DATA_DIR, then the install prefix next to the
// binary (<bin>/../share/sfmon), then the source tree it was built from.

#include <string>

namespace sfmon {

// The folder of the bundled default rule pack; throws std::runtime_error
// naming every place looked at when none has it.
std::string default_rule_pack_dir();

}  // namespace sfmon
