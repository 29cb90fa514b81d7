#include "sfmon/monitor/sha256.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace sfmon {

// Poco's own SHA-256, not OpenSSL's (Poco::Crypto): OpenSSL hashes about
// five times as fast with the CPU's SHA instructions, but its first digest
// in a process loads its configuration and providers (about 4 ms), more than
// a command that hashes the registry and a few files saves (bench/profile.md).
std::string sha256_hex(std::string_view bytes) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(bytes.data(), bytes.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace sfmon
