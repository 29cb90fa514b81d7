#pragma once
// `alerts list` output: an aligned table for people, one JSON array for
// scripts (product.md "Surfaces that are contracts"), or CSV with a header
// row for working papers. Times are ISO 8601 in the bureau's zone
// ("2024-10-08T23:59:59+08:00"); values stay the text the rule formatted.

#include <iosfwd>
#include <vector>

#include "sfmon/alerts/alert.h"
#include "sfmon/model/time.h"
#include "sfmon/monitor/record_output.h"

namespace sfmon {

// JSON: one array; each alert has id, rule_id, rule_version, school_id,
// level, status, first_seen, last_seen, count, message, evidence
// ([{"kind": "bank"|"fee"|"balance", "id": "..."}]), values (an object,
// name → text, in the rule's order) and dedup_key.
void write_alerts(const std::vector<alerts::Alert>& alerts, OutputFormat format, const Zone& zone,
                  std::ostream& out);

}  // namespace sfmon
