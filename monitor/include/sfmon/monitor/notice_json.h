#pragma once
// The JSON form of notices, the body webhook receivers get:
//   {"type": "notice" | "escalation", "school": {"id", "name", "district"},
//    "day": "YYYY-MM-DD", "subject": "...", "text": "...",
//    "alerts": [{"id", "rule_id", "rule_title", "level", "status", "message",
//                "first_seen", "last_seen", "count",
//                "evidence": [{"kind", "id"}]}],
//    "notice_id": N, "delivery_id": N}            (the last two added on sending)
// Times are ISO 8601 in the bureau's zone.

#include <cstdint>
#include <string>

#include "sfmon/alerts/notice_builder.h"

namespace sfmon {

std::string notice_json(const alerts::NoticeInput& input, const alerts::Notice& notice,
                        const std::string& type);

// `json` (an object) with integer fields set, e.g. notice_id and delivery_id.
std::string with_ids(const std::string& json, std::int64_t notice_id, std::int64_t delivery_id);

}  // namespace sfmon
