#pragma once
// The parsed registry and watchlist, kept in the store (table
// registry_snapshot, schema version 9) under the fingerprint of the texts
// they were parsed from, so that a process whose registry files have not
// changed since the last run reads a few hundred KB of binary instead of
// parsing the YAML again (about 120 ms for 500 schools).
//
// The encoding ("format" 1) is little-endian: a u32 format number, then the
// schools in registry order and the watchlist entries in file order. Strings
// are a u32 byte count and the bytes exactly as parsed (account numbers are
// not normalised); counts are u32; Fen is i64; enrollment and the parts of a
// date are i32; enums and booleans are one byte; an optional is a presence
// byte and the value. The decoder checks every count, length, enum and date
// against what is left of the body, so a damaged body is an error, never a
// read past its end.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

// Bump it when the encoding changes, and also when load_registry or
// load_watchlist start producing something else from the same text: the
// fingerprint covers only the texts, so a stored snapshot of another format
// number is what makes the new binary parse again.
inline constexpr std::uint32_t kRegistrySnapshotFormat = 1;

// A body that cannot be decoded. what() says what was wrong and where, e.g.
// "registry snapshot: string length 4000000 exceeds the 12 bytes left at byte
// 80 of 92".
class RegistrySnapshotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RegistrySnapshot {
  Registry registry;  // index built
  std::vector<WatchlistEntry> watchlist;
};

std::string encode_registry_snapshot(const Registry& registry,
                                     const std::vector<WatchlistEntry>& watchlist);

// The registry (with build_index() done) and watchlist `body` encodes.
// Throws RegistrySnapshotError when the body is not a complete snapshot of
// kRegistrySnapshotFormat with nothing after it.
RegistrySnapshot decode_registry_snapshot(std::string_view body);

// Replaces the stored snapshot with these lists, parsed from texts with
// `fingerprint` (registry_fingerprint()). Joins the caller's transaction if
// one is open. Throws StoreError.
void store_registry_snapshot(SqliteDb& db, const std::string& fingerprint, const Registry& registry,
                             const std::vector<WatchlistEntry>& watchlist);

// The stored snapshot of texts with `fingerprint`, or nullopt when there is
// none, or it was taken of other texts or in another format. Throws
// RegistrySnapshotError when the matching body does not decode, StoreError
// when it cannot be read.
std::optional<RegistrySnapshot> read_registry_snapshot(SqliteDb& db,
                                                       const std::string& fingerprint);

}  // namespace sfmon
