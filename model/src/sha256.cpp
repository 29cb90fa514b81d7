#include "sfmon/model/sha256.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace sfmon {

// Poco's own SHA-256, not OpenSSL's (Poco::Crypto): OpenSSL hashes about
// five times as fast with the CPU's SHA instructions, but its first digest
// in a process loads its configuration and providers (about 4 ms), more than
// a command that hashes the registry and a few files saves (bench/profile.md).
std::string sha256_hex(std::string_view bytes) {
  return sha256_hex({bytes});
}

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  for (const std::string_view part : parts) engine.update(part.data(), part.size());
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace sfmon
