// RecordStore::list_records: bank and fee records in one ordered list.

#include <algorithm>
#include <array>
#include <variant>

#include "sfmon/model/name_normaliser.h"
#include "sfmon/monitor/record_store.h"

namespace sfmon {
namespace {

// Both halves of the UNION produce these columns, in this order.
enum Column {
  kKind,
  kRowId,
  kIdent,
  kSchool,
  kAccount,
  kTimeUtc,
  kTimeOffset,
  kTimeDateOnly,
  kAmount,
  kCurrency,
  kStatus,
  kCpName,
  kCpAccount,
  kCpClass,
  kCpBasis,
  kPurpose,
  kReversal,
  kReversalOf,
  kFeeType,
  kStudent,
  kPeriodStart,
  kPeriodEnd,
  kSourceFile,
  kSourcePosition,
  kAlertIds,
};

constexpr const char* kBankSelect =
    "SELECT 'bank' AS kind, b.id AS row_id, b.bank_ref AS ident, "
    "COALESCE(a.school_id, '') AS school_id, b.account AS account, b.booked_at_utc AS t_utc, "
    "b.booked_at_offset, b.booked_at_date_only, b.amount_fen, b.currency, b.status, b.cp_name, "
    "b.cp_account, b.cp_class, b.cp_class_basis, b.purpose, b.reversal, b.reversal_of, '', '', "
    "NULL, NULL, b.source_file, b.source_position, "
    "(SELECT group_concat(e.alert_id) FROM alert_evidence e "
    " WHERE e.record_kind = 'bank' AND e.record_id = b.id) "
    "FROM bank_records b LEFT JOIN accounts a ON a.number = b.account WHERE 1";

constexpr const char* kFeeSelect =
    "SELECT 'fee' AS kind, f.id AS row_id, f.fee_id AS ident, f.school_id AS school_id, "
    "f.receiving_account AS account, f.paid_at_utc AS t_utc, "
    "f.paid_at_offset, f.paid_at_date_only, f.amount_fen, f.currency, 'booked', '', '', "
    "'unknown', 'none', '', 0, '', f.fee_type, f.student_id, f.period_start, f.period_end, "
    "f.source_file, f.source_position, "
    "(SELECT group_concat(e.alert_id) FROM alert_evidence e "
    " WHERE e.record_kind = 'fee' AND e.record_id = f.id) "
    "FROM fee_records f WHERE 1";

// Which column each half filters on.
struct Half {
  const char* select;
  const char* kind;
  const char* school;
  const char* account;
  const char* time;
  const char* row_id;
};
constexpr Half kBank{kBankSelect, "bank", "a.school_id", "b.account", "b.booked_at_utc", "b.id"};
constexpr Half kFee{kFeeSelect,      "fee", "f.school_id", "f.receiving_account",
                    "f.paid_at_utc", "f.id"};

using Value = std::variant<std::int64_t, std::string>;

// The SQL text depends only on which filters are set, so the statement cache
// holds a handful of variants; values are always bound, never spliced in.
void append_half(const Half& half, const RecordFilter& filter, std::optional<std::int64_t> from_utc,
                 std::optional<std::int64_t> to_utc, std::string& sql, std::vector<Value>& values) {
  sql += half.select;
  if (filter.school_id) {
    sql += std::string(" AND ") + half.school + " = ?";
    values.emplace_back(*filter.school_id);
  }
  if (filter.account) {
    sql += std::string(" AND ") + half.account + " = ?";
    values.emplace_back(normalise_account(*filter.account));
  }
  if (from_utc) {
    sql += std::string(" AND ") + half.time + " >= ?";
    values.emplace_back(*from_utc);
  }
  if (to_utc) {
    sql += std::string(" AND ") + half.time + " < ?";
    values.emplace_back(*to_utc);
  }
  if (filter.flagged_only) {
    sql += std::string(" AND EXISTS (SELECT 1 FROM alert_evidence e WHERE e.record_kind = '") +
           half.kind + "' AND e.record_id = " + half.row_id + ")";
  }
}

template <typename Enum, std::size_t N>
Enum enum_from_text(const std::array<Enum, N>& candidates, const std::string& text,
                    const char* what, const std::string& db_path) {
  for (Enum candidate : candidates) {
    if (text == to_string(candidate)) return candidate;
  }
  throw StoreError(std::string("stored ") + what + " '" + text + "' is not known to this sfmon", "",
                   db_path);
}

std::optional<Date> stored_date(const Statement& row, int column, const std::string& db_path) {
  const std::optional<std::string> text = row.column_text_or_null(column);
  if (!text) return std::nullopt;
  const std::optional<Date> date = parse_iso_date(*text);
  if (!date) throw StoreError("stored date '" + *text + "' is malformed", row.sql(), db_path);
  return date;
}

std::vector<std::int64_t> alert_ids(const std::optional<std::string>& joined) {
  std::vector<std::int64_t> ids;
  if (!joined) return ids;
  std::size_t start = 0;
  while (start <= joined->size()) {
    const std::size_t comma = std::min(joined->find(',', start), joined->size());
    ids.push_back(std::stoll(joined->substr(start, comma - start)));
    start = comma + 1;
  }
  // group_concat's order is unspecified.
  std::sort(ids.begin(), ids.end());
  return ids;
}

RecordRow read_row(const Statement& row, const std::string& db_path) {
  RecordRow record;
  const std::string kind = row.column_text(kKind);
  record.kind = kind == "bank" ? RecordKind::Bank : RecordKind::Fee;
  record.row_id = row.column_int64(kRowId);
  record.id = row.column_text(kIdent);
  record.school_id = row.column_text(kSchool);
  record.account = row.column_text(kAccount);
  record.time.utc_seconds = row.column_int64(kTimeUtc);
  record.time.offset_minutes = static_cast<int>(row.column_int64(kTimeOffset));
  record.time.date_only = row.column_bool(kTimeDateOnly);
  record.amount_fen = row.column_int64(kAmount);
  record.currency = row.column_text(kCurrency);
  record.status = enum_from_text(std::array{EntryStatus::Booked, EntryStatus::Pending},
                                 row.column_text(kStatus), "status", db_path);
  record.counterparty_name = row.column_text(kCpName);
  record.counterparty_account = row.column_text(kCpAccount);
  record.counterparty_class =
      enum_from_text(std::array{CounterpartyClass::Unknown, CounterpartyClass::Person,
                                CounterpartyClass::Organisation},
                     row.column_text(kCpClass), "counterparty class", db_path);
  record.counterparty_basis = enum_from_text(
      std::array{ClassBasis::None, ClassBasis::Source, ClassBasis::Registry, ClassBasis::Watchlist,
                 ClassBasis::LegalForm, ClassBasis::NameShape},
      row.column_text(kCpBasis), "counterparty class basis", db_path);
  record.purpose = row.column_text(kPurpose);
  record.reversal = row.column_bool(kReversal);
  record.reversal_of = row.column_text(kReversalOf);
  record.fee_type = row.column_text(kFeeType);
  record.student_id = row.column_text(kStudent);
  record.period_start = stored_date(row, kPeriodStart, db_path);
  record.period_end = stored_date(row, kPeriodEnd, db_path);
  record.source.file = row.column_text(kSourceFile);
  record.source.position = row.column_text(kSourcePosition);
  record.alert_ids = alert_ids(row.column_text_or_null(kAlertIds));
  return record;
}

}  // namespace

std::vector<RecordRow> RecordStore::list_records(const RecordFilter& filter, const Zone& zone) {
  if (filter.limit && *filter.limit < 0) {
    throw StoreError("record limit must not be negative", "", db_.path());
  }
  std::optional<std::int64_t> from_utc;
  std::optional<std::int64_t> to_utc;  // exclusive: the start of the day after `to`
  if (filter.from) from_utc = instant_from_date(*filter.from, zone).utc_seconds;
  if (filter.to) {
    const Date next = Date::from_days_since_epoch(filter.to->days_since_epoch() + 1);
    to_utc = instant_from_date(next, zone).utc_seconds;
  }

  std::string sql;
  std::vector<Value> values;
  if (!filter.kind || *filter.kind == RecordKind::Bank) {
    append_half(kBank, filter, from_utc, to_utc, sql, values);
  }
  if (!filter.kind) sql += " UNION ALL ";
  if (!filter.kind || *filter.kind == RecordKind::Fee) {
    append_half(kFee, filter, from_utc, to_utc, sql, values);
  }
  sql += " ORDER BY t_utc, kind, ident, account, row_id";
  if (filter.limit) {
    sql += " LIMIT ?";
    values.emplace_back(static_cast<std::int64_t>(*filter.limit));
  }

  Statement& query = db_.prepare(sql);
  ResetGuard done(query);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<std::int64_t>(&values[i])) {
      query.bind_int64(index, *number);
    } else {
      query.bind_text(index, std::get<std::string>(values[i]));
    }
  }
  std::vector<RecordRow> rows;
  while (query.step()) rows.push_back(read_row(query, db_.path()));
  return rows;
}

}  // namespace sfmon
