#pragma once
// Reads a school's stored records back into the rules' inputs.

#include <cstdint>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/fact_builder.h"

namespace sfmon {

// What load_school_records reads (bits).
inline constexpr unsigned kLoadBank = 1;
inline constexpr unsigned kLoadFees = 2;
inline constexpr unsigned kLoadBalances = 4;  // every stored closing balance, any date
inline constexpr unsigned kLoadAll = 7;

// Appends the school's bank and/or fee records with event time in [from, to]
// (UTC seconds), read through `db` (the runner's connection, or a replay
// worker's own), and its closing balances, as `what` says. Records come in
// no particular order: the fact builder sorts.
void load_school_records(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                         unsigned what, rules::FactInputs& inputs);

// The same, but replacing the records and balances `inputs` holds (and its
// enrolment), for readers that go from school to school: the record objects
// already there are overwritten, so their strings keep their storage and a
// replay does not allocate every text column of every row again.
void reload_school_records(SqliteDb& db, const School& school, std::int64_t from, std::int64_t to,
                           unsigned what, rules::FactInputs& inputs);

}  // namespace sfmon
