#include "sfmon/model/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace sfmon::sha256_test {
namespace {

// FIPS 180-2 test vectors: the stored digests (file contents, registry
// fingerprints, token hashes) must not change with the implementation.
TEST(Sha256, MatchesTheStandardTestVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PartsHashAsTheirConcatenation) {
  EXPECT_EQ(sha256_hex({"a", "", "bc"}), sha256_hex("abc"));
  EXPECT_EQ(sha256_hex({}), sha256_hex(""));
  EXPECT_NE(sha256_hex({"ab", "c"}), sha256_hex({"a", "bd"}));
}

TEST(Sha256, TakesBytesThatAreNotText) {
  const std::string bytes("\0\xff\x80", 3);
  EXPECT_EQ(sha256_hex(bytes).size(), 64u);
  EXPECT_NE(sha256_hex(bytes), sha256_hex(std::string("\0\xff", 2)));
}

}  // namespace
}  // namespace sfmon::sha256_test
