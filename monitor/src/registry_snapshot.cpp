#include "registry_snapshot.h"

#include <limits>
#include <utility>

#include "sfmon/model/time.h"

namespace sfmon {
namespace {

// Appends fixed-width little-endian values, so the body reads the same on
// any host.
class Writer {
 public:
  void u8(std::uint8_t value) { body_.push_back(static_cast<char>(value)); }
  void boolean(bool value) { u8(value ? 1 : 0); }
  void u32(std::uint32_t value) { unsigned_bytes(value, 4); }
  void i32(std::int32_t value) { unsigned_bytes(static_cast<std::uint32_t>(value), 4); }
  void i64(std::int64_t value) { unsigned_bytes(static_cast<std::uint64_t>(value), 8); }
  void count(std::size_t value, const char* what) {
    if (value > std::numeric_limits<std::uint32_t>::max()) {
      throw RegistrySnapshotError(std::string("registry snapshot: too many ") + what +
                                  " to encode: " + std::to_string(value));
    }
    u32(static_cast<std::uint32_t>(value));
  }
  void str(const std::string& value) {
    count(value.size(), "bytes in a string");
    body_ += value;
  }
  void date(const Date& value) {
    i32(value.year);
    i32(value.month);
    i32(value.day);
  }
  template <typename Enum>
  void enumerator(Enum value) {
    u8(static_cast<std::uint8_t>(value));
  }

  std::string take() { return std::move(body_); }

 private:
  void unsigned_bytes(std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
  }

  std::string body_;
};

// Reads what Writer wrote. Every read first checks that the bytes are there,
// and every count that the elements could fit in what is left, so a damaged
// count cannot make the decoder reserve gigabytes either.
class Reader {
 public:
  explicit Reader(std::string_view body) : body_(body) {}

  std::uint8_t u8(const char* what) {
    need(1, what);
    return static_cast<std::uint8_t>(body_[pos_++]);
  }
  bool boolean(const char* what) {
    const std::size_t at = pos_;
    const std::uint8_t value = u8(what);
    if (value > 1) fail(std::string(what) + " is " + std::to_string(value) + ", not 0 or 1", at);
    return value == 1;
  }
  std::uint32_t u32(const char* what) {
    return static_cast<std::uint32_t>(unsigned_bytes(4, what));
  }
  std::int32_t i32(const char* what) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(unsigned_bytes(4, what)));
  }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(unsigned_bytes(8, what)); }

  // A count of elements that take at least `min_bytes_each` bytes each.
  std::size_t count(const char* what, std::size_t min_bytes_each) {
    const std::size_t at = pos_;
    const std::size_t value = u32(what);
    if (value * min_bytes_each > left()) {
      fail(std::string(what) + " " + std::to_string(value) + " cannot fit in the " +
               std::to_string(left()) + " bytes left",
           at);
    }
    return value;
  }
  std::string str(const char* what) {
    const std::size_t at = pos_;
    const std::size_t size = u32(what);
    if (size > left()) {
      fail(std::string(what) + " length " + std::to_string(size) + " exceeds the " +
               std::to_string(left()) + " bytes left",
           at);
    }
    std::string value(body_.substr(pos_, size));
    pos_ += size;
    return value;
  }
  Date date(const char* what) {
    const std::size_t at = pos_;
    Date value;
    value.year = i32(what);
    value.month = i32(what);
    value.day = i32(what);
    if (!is_valid_date(value.year, value.month, value.day)) {
      fail(std::string(what) + " is not a valid date", at);
    }
    return value;
  }
  // An enum whose values run from 0 to `last`.
  template <typename Enum>
  Enum enumerator(const char* what, Enum last) {
    const std::size_t at = pos_;
    const std::uint8_t value = u8(what);
    if (value > static_cast<std::uint8_t>(last)) {
      fail(std::string(what) + " " + std::to_string(value) + " is out of range", at);
    }
    return static_cast<Enum>(value);
  }

  void expect_end() const {
    if (left() != 0) fail(std::to_string(left()) + " bytes after the end of the snapshot", pos_);
  }
  [[noreturn]] void fail(const std::string& problem, std::size_t at) const {
    throw RegistrySnapshotError("registry snapshot: " + problem + " at byte " + std::to_string(at) +
                                " of " + std::to_string(body_.size()));
  }

 private:
  std::size_t left() const { return body_.size() - pos_; }
  void need(std::size_t bytes, const char* what) const {
    if (bytes > left()) fail(std::string("truncated: ") + what + " is missing", pos_);
  }
  std::uint64_t unsigned_bytes(std::size_t bytes, const char* what) {
    need(bytes, what);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      value |= std::uint64_t{static_cast<std::uint8_t>(body_[pos_ + i])} << (8 * i);
    }
    pos_ += bytes;
    return value;
  }

  std::string_view body_;
  std::size_t pos_ = 0;
};

// The least each element takes (empty strings, no children), for count().
constexpr std::size_t kMinSchoolBytes = 4 + 4 + 1 + 1 + 1 + 4 + 4 + 1 + 4 * 4;
constexpr std::size_t kMinAccountBytes = 4 + 4 + 1;
constexpr std::size_t kMinPartyBytes = 4 * 3;
constexpr std::size_t kMinFeeBytes = 4 + 4 + 8 + 1;
constexpr std::size_t kMinTermBytes = 4 + 2 * 3 * 4;
constexpr std::size_t kMinWatchlistBytes = 4 * 3;

void write_school(Writer& out, const School& school) {
  out.str(school.id);
  out.str(school.name);
  out.enumerator(school.kind);
  out.boolean(school.nonprofit);
  out.boolean(school.inclusive);
  out.str(school.district);
  out.i32(school.enrollment);
  out.boolean(school.min_balance_fen.has_value());
  if (school.min_balance_fen) out.i64(*school.min_balance_fen);
  out.count(school.accounts.size(), "accounts");
  for (const SchoolAccount& account : school.accounts) {
    out.str(account.number);
    out.str(account.bank);
    out.enumerator(account.role);
  }
  out.count(school.related_parties.size(), "related parties");
  for (const RelatedParty& party : school.related_parties) {
    out.str(party.name);
    out.str(party.account);
    out.str(party.relation);
  }
  out.count(school.fee_catalogue.size(), "fee catalogue entries");
  for (const FeeCatalogueEntry& fee : school.fee_catalogue) {
    out.str(fee.fee_type);
    out.str(fee.grade);
    out.i64(fee.cap_fen);
    out.enumerator(fee.per);
  }
  out.count(school.academic_calendar.size(), "academic terms");
  for (const AcademicTerm& term : school.academic_calendar) {
    out.str(term.term);
    out.date(term.start);
    out.date(term.end);
  }
}

School read_school(Reader& in) {
  School school;
  school.id = in.str("school id");
  school.name = in.str("school name");
  school.kind = in.enumerator("school kind", SchoolKind::Training);
  school.nonprofit = in.boolean("nonprofit flag");
  school.inclusive = in.boolean("inclusive flag");
  school.district = in.str("district");
  school.enrollment = in.i32("enrollment");
  if (in.boolean("min_balance presence")) school.min_balance_fen = in.i64("min_balance");
  school.accounts.resize(in.count("account count", kMinAccountBytes));
  for (SchoolAccount& account : school.accounts) {
    account.number = in.str("account number");
    account.bank = in.str("account bank");
    account.role = in.enumerator("account role", AccountRole::Other);
  }
  school.related_parties.resize(in.count("related party count", kMinPartyBytes));
  for (RelatedParty& party : school.related_parties) {
    party.name = in.str("related party name");
    party.account = in.str("related party account");
    party.relation = in.str("related party relation");
  }
  school.fee_catalogue.resize(in.count("fee catalogue count", kMinFeeBytes));
  for (FeeCatalogueEntry& fee : school.fee_catalogue) {
    fee.fee_type = in.str("fee type");
    fee.grade = in.str("fee grade");
    fee.cap_fen = in.i64("fee cap");
    fee.per = in.enumerator("fee period", FeePer::Year);
  }
  school.academic_calendar.resize(in.count("academic term count", kMinTermBytes));
  for (AcademicTerm& term : school.academic_calendar) {
    term.term = in.str("term name");
    term.start = in.date("term start");
    term.end = in.date("term end");
  }
  return school;
}

}  // namespace

std::string encode_registry_snapshot(const Registry& registry,
                                     const std::vector<WatchlistEntry>& watchlist) {
  Writer out;
  out.u32(kRegistrySnapshotFormat);
  out.count(registry.schools.size(), "schools");
  for (const School& school : registry.schools) write_school(out, school);
  out.count(watchlist.size(), "watchlist entries");
  for (const WatchlistEntry& entry : watchlist) {
    out.str(entry.name);
    out.str(entry.account);
    out.str(entry.reason);
  }
  return out.take();
}

RegistrySnapshot decode_registry_snapshot(std::string_view body) {
  Reader in(body);
  const std::uint32_t format = in.u32("format number");
  if (format != kRegistrySnapshotFormat) {
    in.fail("format " + std::to_string(format) + ", expected " +
                std::to_string(kRegistrySnapshotFormat),
            0);
  }
  RegistrySnapshot snapshot;
  const std::size_t schools = in.count("school count", kMinSchoolBytes);
  snapshot.registry.schools.reserve(schools);
  for (std::size_t i = 0; i < schools; ++i) snapshot.registry.schools.push_back(read_school(in));
  snapshot.watchlist.resize(in.count("watchlist count", kMinWatchlistBytes));
  for (WatchlistEntry& entry : snapshot.watchlist) {
    entry.name = in.str("watchlist name");
    entry.account = in.str("watchlist account");
    entry.reason = in.str("watchlist reason");
  }
  in.expect_end();
  snapshot.registry.build_index();
  return snapshot;
}

void store_registry_snapshot(SqliteDb& db, const std::string& fingerprint, const Registry& registry,
                             const std::vector<WatchlistEntry>& watchlist) {
  const std::string body = encode_registry_snapshot(registry, watchlist);
  db.prepare(
        "INSERT INTO registry_snapshot (id, fingerprint, format, body) VALUES (1, ?1, ?2, ?3) "
        "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, "
        "format = excluded.format, body = excluded.body")
      .bind_text(1, fingerprint)
      .bind_int64(2, kRegistrySnapshotFormat)
      .bind_blob(3, body)
      .run();
}

std::optional<RegistrySnapshot> read_registry_snapshot(SqliteDb& db,
                                                       const std::string& fingerprint) {
  Statement& query = db.prepare(
      "SELECT body FROM registry_snapshot WHERE id = 1 AND fingerprint = ?1 AND format = ?2");
  ResetGuard done(query);
  query.bind_text(1, fingerprint).bind_int64(2, kRegistrySnapshotFormat);
  if (!query.step()) return std::nullopt;
  return decode_registry_snapshot(query.column_blob_view(0));
}

}  // namespace sfmon
