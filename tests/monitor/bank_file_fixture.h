#pragma once
// A bank file as the camt parser returns it, with one statement of
// `account` holding `records`, for tests that store bank records.

#include <string>
#include <utility>
#include <vector>

#include "sfmon/model/bank_record.h"

namespace sfmon::testing {

inline BankFile camt_file(std::vector<BankRecord> records, const std::string& account) {
  BankStatement statement;
  statement.statement_id = "STMT-1";
  statement.account = account;
  statement.currency = "CNY";
  statement.records = std::move(records);
  BankFile file;
  file.format = BankFormat::Camt;
  file.format_detail = "camt.053.001.02";
  file.statements.push_back(std::move(statement));
  return file;
}

}  // namespace sfmon::testing
