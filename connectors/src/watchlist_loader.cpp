// load_watchlist: watchlist.csv (formats.md "Watchlist"). Being CSV, its
// problems name "line N" as every CSV error in sfmon does (there is no
// meaningful column), formatted by InputError.

#include "csv_columns.h"
#include "input_text.h"
#include "sfmon/connectors/csv_reader.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/input_error.h"
#include "sfmon/model/name_normaliser.h"

namespace sfmon {
namespace {

bool is_plain_account_number(std::string_view account) {
  const std::string normalised = normalise_account(account);
  return !normalised.empty() &&
         normalised.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos;
}

// Reads one data row, returning the problem that keeps it out, if any.
std::optional<InputError> read_entry(const CsvColumns& columns, const CsvRow& row,
                                     const std::string& file, std::vector<WatchlistEntry>& out) {
  try {
    columns.check_width(row);
  } catch (const InputError& error) {
    return error;
  }
  WatchlistEntry entry{std::string(columns.cell(row, "name")),
                       std::string(columns.cell(row, "account")),
                       std::string(columns.cell(row, "reason"))};
  if (entry.name.empty() && entry.account.empty()) {
    return InputError(file, line_location(row.line), "an entry needs a name or an account");
  }
  if (!entry.account.empty() && !is_plain_account_number(entry.account)) {
    return InputError(file, line_location(row.line),
                      "account may hold only digits, Latin letters, spaces and dashes",
                      entry.account);
  }
  out.push_back(std::move(entry));
  return std::nullopt;
}

}  // namespace

std::vector<WatchlistEntry> load_watchlist(std::string_view csv, const std::string& file) {
  std::vector<CsvRow> rows;
  std::optional<CsvColumns> columns;
  try {
    rows = read_csv(csv, file);
    if (rows.empty()) {
      throw InputError(file, line_location(1),
                       "the watchlist has no header row name,account,reason");
    }
    columns.emplace(rows.front(), file);
    columns->require({"name", "account", "reason"});
  } catch (const InputError& error) {
    // Nothing below the header can be read without it.
    throw RegistryError({error.what()});
  }
  std::vector<WatchlistEntry> entries;
  std::vector<std::string> problems;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (std::optional<InputError> problem = read_entry(*columns, rows[i], file, entries)) {
      problems.push_back(problem->what());
    }
  }
  if (!problems.empty()) throw RegistryError(std::move(problems));
  return entries;
}

}  // namespace sfmon
