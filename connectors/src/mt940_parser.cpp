#include "sfmon/connectors/mt940_parser.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "input_text.h"
#include "mt940_fields.h"
#include "mt940_info.h"
#include "mt940_lines.h"
#include "mt940_text.h"
#include "sfmon/model/input_error.h"

namespace sfmon {
namespace {

using mt940::FieldSource;
using mt940::Item;
using mt940::ItemKind;

// Fields sfmon does not use but that are legal in MT940 (or its MT942 sibling).
const std::set<std::string, std::less<>> kIgnoredTags = {"21", "13", "13D", "34F", "90C", "90D"};

std::string first_line(const Item& item) {
  return item.lines.empty() ? std::string() : item.lines[0];
}

bool is_tag(const Item& item, std::string_view a, std::string_view b = {}) {
  return item.tag == a || (!b.empty() && item.tag == b);
}

// The :61: entry the next :86: belongs to, with what it needs once complete.
struct OpenEntry {
  std::size_t index = 0;  // into the statement's records
  std::string posting_text;
  std::string supplementary;
  bool has_gvc = false;
};

struct OpenMessage {
  BankStatement statement;
  int header_line = 0;
  std::string reference;      // :20:
  std::string sequence;       // :28C: / :28:
  bool continuation = false;  // opened by a :61: after the previous message had ended
  std::optional<OpenEntry> entry;
};

class Assembler {
 public:
  Assembler(const std::string& file, const Zone& zone, BankFile& out)
      : file_(file), zone_(zone), out_(out) {}

  void add(const Item& item) {
    switch (item.kind) {
      case ItemKind::MessageEnd:
        close_message();
        return;
      case ItemKind::Outside:
        note_outside(item.line);
        return;
      case ItemKind::Field:
        add_field(item);
        return;
    }
  }

  void finish() {
    close_message();
    if (outside_lines_ > 0) {
      warn(first_outside_line_,
           std::to_string(outside_lines_) +
               " line(s) outside any statement ignored (bank headers or damage)");
    }
    if (missing_references_ > 0) {
      warn(first_missing_reference_,
           std::to_string(missing_references_) +
               " incomplete :61: statement line(s) without any reference");
    }
    clear_repeated_references();
  }

 private:
  void add_field(const Item& item) {
    if (item.tag == "20") {
      close_message();
      open_message(item);
      return;
    }
    if (!message_ && item.tag == "61") open_continuation(item);
    if (!message_) {
      note_outside(item.line);
      return;
    }
    if (item.tag != "86") close_entry();

    BankStatement& statement = message_->statement;
    if (item.tag == "25") {
      statement.account = std::string(mt940::trim(first_line(item)));
    } else if (is_tag(item, "28C", "28")) {
      message_->sequence = std::string(mt940::trim(first_line(item)));
    } else if (is_tag(item, "60F", "60M")) {
      statement.opening = mt940::parse_balance(first_line(item), BalanceType::Opening, item.tag,
                                               FieldSource{file_, item.line});
    } else if (is_tag(item, "62F", "62M")) {
      statement.closing = mt940::parse_balance(first_line(item), BalanceType::Closing, item.tag,
                                               FieldSource{file_, item.line});
    } else if (item.tag == "61") {
      add_entry(item);
    } else if (item.tag == "86") {
      add_information(item);
    } else if (item.tag.starts_with("64") || item.tag.starts_with("65")) {
      check_unused_balance(item);
    } else if (!kIgnoredTags.contains(item.tag)) {
      warn(item.line, "unknown field :" + item.tag + ": ignored");
    }
  }

  void open_message(const Item& item) {
    message_.emplace();
    message_->header_line = item.line;
    message_->reference = std::string(mt940::trim(first_line(item)));
  }

  // A :61: after the end marker of a message and before any new :20:. Booking
  // it to the previous statement's account (with a warning) keeps the entry;
  // with no previous statement there is nothing to attribute it to.
  void open_continuation(const Item& item) {
    if (!previous_) {
      throw InputError(file_, line_location(item.line),
                       ":61: statement line outside any statement (no :20: before it)",
                       first_line(item));
    }
    message_.emplace();
    message_->continuation = true;
    message_->header_line = item.line;
    message_->statement.statement_id = previous_->statement_id;
    message_->statement.account = previous_->account;
    message_->statement.currency = previous_->currency;
    warn(item.line, ":61: after the end of statement " + previous_->statement_id +
                        "; booked to that statement's account " + previous_->account);
  }

  void add_entry(const Item& item) {
    const FieldSource source{file_, item.line};
    const mt940::StatementLine line = mt940::parse_statement_line(item.lines, source);
    if (line.reference_missing && missing_references_++ == 0) first_missing_reference_ = item.line;

    BankRecord record;
    record.booked_at = instant_from_date(line.entry_date.value_or(line.value_date), zone_);
    record.value_date = line.value_date;
    record.amount_fen = line.amount_fen;
    record.reversal = line.reversal;
    record.tx_code = line.type_code;
    // Only the bank's own reference identifies an entry; the customer
    // reference is the account owner's free choice ("EREF", an IBAN, ...).
    if (line.bank_ref != "NONREF") record.bank_ref = line.bank_ref;
    record.status = EntryStatus::Booked;
    record.source = SourcePosition{file_, source.location()};

    auto& records = message_->statement.records;
    records.push_back(std::move(record));
    message_->entry = OpenEntry{records.size() - 1, {}, line.supplementary, false};
  }

  void add_information(const Item& item) {
    // A :86: after the balances describes the statement, not an entry.
    if (!message_->entry) return;
    const mt940::Information info = mt940::parse_information(item.lines);
    BankRecord& record = message_->statement.records[message_->entry->index];
    if (!info.purpose.empty()) {
      if (!record.purpose.empty()) record.purpose += ' ';
      record.purpose += info.purpose;
    }
    if (!info.structured) return;
    if (record.counterparty.name.empty() && record.counterparty.account.empty()) {
      record.counterparty = info.counterparty;
    }
    if (!message_->entry->has_gvc) {
      record.tx_code += "/" + info.gvc;  // "NMSC/166": SWIFT type code / German GVC
      message_->entry->has_gvc = true;
    }
    if (message_->entry->posting_text.empty()) message_->entry->posting_text = info.posting_text;
  }

  void close_entry() {
    if (!message_ || !message_->entry) return;
    BankRecord& record = message_->statement.records[message_->entry->index];
    if (record.purpose.empty()) record.purpose = message_->entry->posting_text;
    if (record.purpose.empty()) record.purpose = message_->entry->supplementary;
    message_->entry.reset();
  }

  // :64: (available) and :65: (forward available) balances are not stored;
  // one that cannot be read is damage worth a warning, not a rejection.
  void check_unused_balance(const Item& item) {
    try {
      mt940::parse_balance(first_line(item), BalanceType::Closing, item.tag,
                           FieldSource{file_, item.line});
    } catch (const InputError& error) {
      warn(item.line, "unreadable :" + item.tag + ": balance ignored: " + error.message() + " ('" +
                          first_line(item) + "')");
    }
  }

  void close_message() {
    if (!message_) return;
    close_entry();
    OpenMessage message = std::move(*message_);
    message_.reset();
    BankStatement& statement = message.statement;
    if (!message.continuation) complete_header(message);
    for (BankRecord& record : statement.records) {
      record.account = statement.account;
      record.currency = statement.currency;
    }
    previous_ = statement;
    previous_->records.clear();
    out_.statements.push_back(std::move(statement));
  }

  void complete_header(OpenMessage& message) {
    BankStatement& statement = message.statement;
    statement.statement_id = message.reference;
    if (!message.sequence.empty()) statement.statement_id += "/" + message.sequence;
    if (statement.account.empty()) {
      throw InputError(file_, line_location(message.header_line),
                       "statement has no account identification :25:", message.reference);
    }
    if (statement.opening) {
      statement.currency = statement.opening->currency;
    } else if (statement.closing) {
      statement.currency = statement.closing->currency;
      warn(message.header_line, "statement " + statement.statement_id +
                                    " has no opening balance :60F:; currency taken from :62F:");
    } else {
      throw InputError(file_, line_location(message.header_line),
                       "statement has neither an opening balance :60F: nor a closing balance "
                       ":62F:, so its currency is unknown",
                       message.reference);
    }
    if (!statement.closing) {
      warn(message.header_line,
           "statement " + statement.statement_id + " has no closing balance :62F:");
    } else if (statement.closing->currency != statement.currency) {
      warn(message.header_line, "statement " + statement.statement_id +
                                    ": closing balance currency " + statement.closing->currency +
                                    " differs from opening balance currency " + statement.currency);
    }
  }

  // An identity (account, bank reference) must name one entry. Sample and
  // test files reuse references ("//1234" four times); for such entries the
  // normaliser's content hash is the only safe identity.
  void clear_repeated_references() {
    std::map<std::pair<std::string, std::string>, int> uses;
    for (const auto& statement : out_.statements) {
      for (const auto& record : statement.records) {
        if (!record.bank_ref.empty()) ++uses[{record.account, record.bank_ref}];
      }
    }
    std::set<std::pair<std::string, std::string>> reported;
    for (auto& statement : out_.statements) {
      for (auto& record : statement.records) {
        const std::pair<std::string, std::string> key{record.account, record.bank_ref};
        if (record.bank_ref.empty() || uses[key] < 2) continue;
        if (reported.insert(key).second) {
          out_.warnings.push_back({file_, record.source.position,
                                   "bank reference '" + record.bank_ref + "' is used by " +
                                       std::to_string(uses[key]) +
                                       " entries; they get content-hash references instead"});
        }
        record.bank_ref.clear();
      }
    }
  }

  void note_outside(int line) {
    if (outside_lines_++ == 0) first_outside_line_ = line;
  }

  void warn(int line, std::string message) {
    out_.warnings.push_back({file_, line_location(line), std::move(message)});
  }

  const std::string& file_;
  const Zone& zone_;
  BankFile& out_;
  std::optional<OpenMessage> message_;
  std::optional<BankStatement> previous_;  // header of the last closed statement
  int outside_lines_ = 0;
  int first_outside_line_ = 0;
  int missing_references_ = 0;
  int first_missing_reference_ = 0;
};

bool has_transaction_reference(const mt940::Tokens& tokens) {
  for (const auto& item : tokens.items) {
    if (item.kind == ItemKind::Field && item.tag == "20") return true;
  }
  return false;
}

std::string first_text(std::string_view content) {
  const auto start = content.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  const auto end = content.find_first_of("\r\n", start);
  bool ignored = false;
  return mt940::clean_text(content.substr(start, end == std::string_view::npos ? end : end - start),
                           &ignored);
}

}  // namespace

BankFile parse_mt940(std::string_view content, const std::string& file, const Zone& zone) {
  const mt940::Tokens tokens = mt940::tokenize(content);
  if (!has_transaction_reference(tokens)) {
    throw InputError(file, "line 1",
                     "not an MT940 statement: no :20: transaction reference field found",
                     first_text(content));
  }

  BankFile result;
  result.format = BankFormat::Mt940;
  result.format_detail = "MT940";
  Assembler assembler(file, zone, result);
  for (const auto& item : tokens.items) assembler.add(item);
  assembler.finish();

  if (tokens.invalid_utf8_lines > 0) {
    result.warnings.push_back({file, line_location(tokens.first_invalid_utf8_line),
                               "text is not valid UTF-8 on " +
                                   std::to_string(tokens.invalid_utf8_lines) +
                                   " line(s); invalid bytes replaced with U+FFFD"});
  }
  return result;
}

}  // namespace sfmon
