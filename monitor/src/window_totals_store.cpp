#include "window_totals_store.h"

#include <algorithm>
#include <cstring>

#include "sfmon/model/sha256.h"

namespace sfmon {
namespace {

constexpr std::int64_t kDay = 86400;
__extension__ typedef unsigned __int128 WideBits;

// Fixed-width little-endian integers: the blob reads the same on any host.
void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void put_wide(std::string& out, rules::WideInt value) {
  const auto bits = static_cast<WideBits>(value);
  put_u64(out, static_cast<std::uint64_t>(bits));
  put_u64(out, static_cast<std::uint64_t>(bits >> 64));
}

class BlobReader {
 public:
  explicit BlobReader(std::string_view blob) : blob_(blob) {}
  bool u64(std::uint64_t& value) {
    if (blob_.size() - at_ < 8) return false;
    value = 0;
    for (int i = 0; i < 8; ++i) {
      value |= std::uint64_t{static_cast<unsigned char>(blob_[at_ + static_cast<std::size_t>(i)])}
               << (8 * i);
    }
    at_ += 8;
    return true;
  }
  bool wide(rules::WideInt& value) {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    if (!u64(low) || !u64(high)) return false;
    value = static_cast<rules::WideInt>((static_cast<WideBits>(high) << 64) | low);
    return true;
  }
  bool text(std::uint64_t size, std::string& value) {
    if (blob_.size() - at_ < size) return false;
    value.assign(blob_.substr(at_, static_cast<std::size_t>(size)));
    at_ += static_cast<std::size_t>(size);
    return true;
  }
  bool done() const { return at_ == blob_.size(); }

 private:
  std::string_view blob_;
  std::size_t at_ = 0;
};

}  // namespace

std::int64_t local_day_of(std::int64_t utc_seconds, const Zone& zone) {
  const std::int64_t local = utc_seconds + zone.offset_minutes * std::int64_t{60};
  return local >= 0 ? local / kDay : -((-local + kDay - 1) / kDay);
}

std::string window_totals_basis(const rules::CompiledPack& pack,
                                const std::string& registry_fingerprint, const Zone& zone) {
  if (pack.source_digest.empty() || registry_fingerprint.empty()) return "";
  // v1: day_totals() and encode_day() as first written.
  const std::string offset = std::to_string(zone.offset_minutes);
  // 64 bits tell bases apart well enough and keep the rows small.
  return sha256_hex({"sfmon-window-totals-v1\n", pack.source_digest, "\n", registry_fingerprint,
                     "\n", zone.name, "\n", offset, "\n"})
      .substr(0, 16);
}

std::string encode_day(const rules::DayTotals& day) {
  std::string blob;
  put_u64(blob, day.keys.size());
  for (const rules::KeyTotals& key : day.keys) {
    put_u64(blob, key.key.size());
    blob += key.key;
    for (const rules::Moments& moments : key.aggregates) {
      put_u64(blob, static_cast<std::uint64_t>(moments.count));
      put_wide(blob, moments.sum);
      put_wide(blob, moments.sum_squares);
    }
  }
  return blob;
}

bool decode_day(std::string_view blob, std::size_t aggregates, rules::DayTotals& day) {
  BlobReader reader(blob);
  std::uint64_t keys = 0;
  if (!reader.u64(keys) || keys > blob.size()) return false;
  day.keys.clear();
  for (std::uint64_t k = 0; k < keys; ++k) {
    rules::KeyTotals key;
    std::uint64_t size = 0;
    if (!reader.u64(size) || !reader.text(size, key.key)) return false;
    key.aggregates.resize(aggregates);
    for (rules::Moments& moments : key.aggregates) {
      std::uint64_t count = 0;
      if (!reader.u64(count) || !reader.wide(moments.sum) || !reader.wide(moments.sum_squares)) {
        return false;
      }
      moments.count = static_cast<std::int64_t>(count);
      if (moments.count < 0) return false;
    }
    if (!day.keys.empty() && !(day.keys.back().key < key.key)) return false;
    day.keys.push_back(std::move(key));
  }
  return reader.done();
}

bool WindowTotalsStore::sum_days(const std::string& school_id, const std::string& rule_id,
                                 std::size_t aggregates, const std::string& basis,
                                 std::int64_t first_day, std::int64_t last_day,
                                 std::vector<rules::KeyTotals>& sums) {
  Statement& query = db_.prepare(
      "SELECT day, basis, totals FROM window_day_totals "
      "WHERE school_id = ?1 AND day BETWEEN ?2 AND ?3 AND rule_id = ?4 ORDER BY day");
  ResetGuard guard(query);
  query.bind_text(1, school_id)
      .bind_int64(2, first_day)
      .bind_int64(3, last_day)
      .bind_text(4, rule_id);
  std::int64_t expected = first_day;
  rules::DayTotals day;
  while (query.step()) {
    if (query.column_int64(0) != expected || query.column_text_view(1) != basis ||
        !decode_day(query.column_blob_view(2), aggregates, day) || !rules::add_totals(sums, day)) {
      return false;
    }
    ++expected;
  }
  return expected == last_day + 1;
}

void WindowTotalsStore::write(const std::string& school_id, const std::string& basis,
                              const WindowTotalsUpdate& update) {
  if (update.forget_all) forget_school(school_id);
  Statement& insert = db_.prepare(
      "INSERT OR REPLACE INTO window_day_totals (school_id, day, rule_id, basis, totals) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const WindowTotalsUpdate::RuleDays& rule : update.rules) {
    for (const rules::DayTotals& day : rule.days) {
      ResetGuard guard(insert);
      insert.bind_text(1, school_id)
          .bind_int64(2, day.day)
          .bind_text(3, rule.rule_id)
          .bind_text(4, basis)
          .bind_blob(5, encode_day(day))
          .run();
    }
  }
}

void WindowTotalsStore::forget(const std::string& school_id, std::int64_t from, std::int64_t to,
                               const Zone& zone) {
  db_.prepare("DELETE FROM window_day_totals WHERE school_id = ?1 AND day BETWEEN ?2 AND ?3")
      .bind_text(1, school_id)
      .bind_int64(2, local_day_of(from, zone))
      .bind_int64(3, local_day_of(to, zone))
      .run();
}

void WindowTotalsStore::prune(const std::string& school_id, const std::string& basis,
                              std::int64_t first_day_kept) {
  // One seek to the school's rows in the primary key (SEARCH ... USING
  // PRIMARY KEY (school_id=?)). The basis is no key, so its test reads each
  // of those rows, but once pruned they are only the window's days (about a
  // hundred rows, a few pages). An index on basis would cost every write.
  db_.prepare("DELETE FROM window_day_totals WHERE school_id = ?1 AND (day < ?2 OR basis <> ?3)")
      .bind_text(1, school_id)
      .bind_int64(2, first_day_kept)
      .bind_text(3, basis)
      .run();
}

void WindowTotalsStore::forget_school(const std::string& school_id) {
  db_.prepare("DELETE FROM window_day_totals WHERE school_id = ?1").bind_text(1, school_id).run();
}

}  // namespace sfmon
