#pragma once
// JSON views of the daemon's operational tables, shared by the CLI
// (`deadletters list --format json`) and the API (GET /api/v1/deadletters,
// GET /api/v1/connectors), so both always show the same fields.
// Times are written in `zone` (ISO 8601 with offset); nullable fields are
// JSON null.

#include <Poco/JSON/Array.h>

#include <vector>

#include "sfmon/model/time.h"
#include "sfmon/monitor/connector_state.h"
#include "sfmon/monitor/delivery_store.h"

namespace sfmon {

Poco::JSON::Array dead_letters_json(const std::vector<DeadLetter>& letters, const Zone& zone);
Poco::JSON::Array connector_states_json(const std::vector<ConnectorState>& states,
                                        const Zone& zone);

}  // namespace sfmon
