#include "sfmon/monitor/record_output.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <ostream>

#include "sfmon/monitor/cli_args.h"

namespace sfmon {
namespace {

// Display columns of a UTF-8 string: East Asian wide characters count two.
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++width;
      ++i;
    } else {
      const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      width += length >= 3 ? 2 : 1;  // CJK ideographs and full-width forms are 3-byte
      i += length;
    }
  }
  return width;
}

std::string optional_date(const std::optional<Date>& date) {
  return date ? date->to_string() : std::string();
}

std::string alert_ids_text(const std::vector<std::int64_t>& ids) {
  std::string text;
  for (const std::int64_t id : ids) {
    if (!text.empty()) text += ' ';
    text += std::to_string(id);
  }
  return text;
}

Poco::JSON::Object::Ptr to_json(const RecordRow& row) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const bool bank = row.kind == RecordKind::Bank;
  object->set("kind", to_string(row.kind));
  object->set("id", row.id);
  object->set("school_id",
              row.school_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.school_id));
  object->set("account", row.account);
  object->set(bank ? "booked_at" : "paid_at", row.time.to_string());
  object->set("amount", format_amount(row.amount_fen));
  object->set("currency", row.currency);
  object->set("status", to_string(row.status));
  if (bank) {
    object->set("counterparty_name", row.counterparty_name);
    object->set("counterparty_account", row.counterparty_account);
    object->set("counterparty_class", to_string(row.counterparty_class));
    object->set("counterparty_class_basis", to_string(row.counterparty_basis));
    object->set("purpose", row.purpose);
    object->set("reversal", row.reversal);
    if (!row.reversal_of.empty()) object->set("reversal_of", row.reversal_of);
  } else {
    object->set("fee_type", row.fee_type);
    object->set("student_id", row.student_id);
    object->set("period_start", row.period_start ? Poco::Dynamic::Var(row.period_start->to_string())
                                                 : Poco::Dynamic::Var());
    object->set("period_end", row.period_end ? Poco::Dynamic::Var(row.period_end->to_string())
                                             : Poco::Dynamic::Var());
  }
  Poco::JSON::Object::Ptr source = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  source->set("file", row.source.file);
  source->set("position", row.source.position);
  object->set("source", source);
  Poco::JSON::Array::Ptr alerts = new Poco::JSON::Array;
  for (const std::int64_t id : row.alert_ids) alerts->add(id);
  object->set("alert_ids", alerts);
  return object;
}

const std::vector<std::string> kColumns = {"kind",
                                           "id",
                                           "school_id",
                                           "account",
                                           "time",
                                           "amount",
                                           "currency",
                                           "status",
                                           "counterparty_name",
                                           "counterparty_account",
                                           "counterparty_class",
                                           "purpose",
                                           "fee_type",
                                           "student_id",
                                           "period_start",
                                           "period_end",
                                           "source",
                                           "alert_ids"};

std::vector<std::string> to_cells(const RecordRow& row) {
  return {to_string(row.kind),
          row.id,
          row.school_id,
          row.account,
          row.time.to_string(),
          format_amount(row.amount_fen),
          row.currency,
          to_string(row.status),
          row.counterparty_name,
          row.counterparty_account,
          row.kind == RecordKind::Bank ? to_string(row.counterparty_class) : "",
          row.purpose,
          row.fee_type,
          row.student_id,
          optional_date(row.period_start),
          optional_date(row.period_end),
          row.source.file + (row.source.position.empty() ? "" : "#" + row.source.position),
          alert_ids_text(row.alert_ids)};
}

}  // namespace

OutputFormat output_format_from_string(const std::string& text) {
  if (text == "table") return OutputFormat::Table;
  if (text == "json") return OutputFormat::Json;
  if (text == "csv") return OutputFormat::Csv;
  throw UsageError("unknown --format '" + text + "' (expected table, json or csv)");
}

void write_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = display_width(header[c]);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out << cells[c];
      if (c + 1 < cells.size()) out << std::string(widths[c] - display_width(cells[c]) + 2, ' ');
    }
    out << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void write_csv(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  const auto cell = [&](const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
      out << text;
      return;
    }
    out << '"';
    for (char c : text) {
      if (c == '"') out << '"';
      out << c;
    }
    out << '"';
  };
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) out << ',';
      cell(cells[c]);
    }
    out << "\r\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void write_records(const std::vector<RecordRow>& rows, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::Json) {
    Poco::JSON::Array array;
    for (const RecordRow& row : rows) array.add(to_json(row));
    Poco::JSON::Stringifier::stringify(array, out, 0, -1, Poco::JSON_WRAP_STRINGS);
    out << '\n';
    return;
  }
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (const RecordRow& row : rows) cells.push_back(to_cells(row));
  if (format == OutputFormat::Csv) {
    write_csv(kColumns, cells, out);
  } else {
    write_table(kColumns, cells, out);
  }
}

}  // namespace sfmon
