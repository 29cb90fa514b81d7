#include "sfmon/monitor/status_json.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace sfmon {
namespace {

Poco::Dynamic::Var optional_time(const std::optional<std::int64_t>& utc_seconds, const Zone& zone) {
  if (!utc_seconds) return Poco::Dynamic::Var();  // null
  return local_time_text(*utc_seconds, zone);
}

}  // namespace

Poco::JSON::Array dead_letters_json(const std::vector<DeadLetter>& letters, const Zone& zone) {
  Poco::JSON::Array array;
  for (const DeadLetter& letter : letters) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("id", letter.id);
    item.set("delivery_id", letter.delivery_id);
    item.set("channel", letter.channel);
    item.set("recipient", letter.recipient);
    item.set("attempts", letter.attempts);
    item.set("created_at", local_time_text(letter.created_at, zone));
    item.set("error", letter.error);
    item.set("payload", letter.payload);
    array.add(item);
  }
  return array;
}

Poco::JSON::Array connector_states_json(const std::vector<ConnectorState>& states,
                                        const Zone& zone) {
  Poco::JSON::Array array;
  for (const ConnectorState& state : states) {
    Poco::JSON::Object item(Poco::JSON_PRESERVE_KEY_ORDER);
    item.set("source", state.source);
    item.set("last_attempt", optional_time(state.last_attempt, zone));
    item.set("last_success", optional_time(state.last_success, zone));
    item.set("last_error", state.last_error);
    item.set("last_error_at", optional_time(state.last_error_at, zone));
    item.set("consecutive_failures", state.consecutive_failures);
    item.set("records_read", state.records_read);
    item.set("pages_read", state.pages_read);
    item.set("lag_seconds",
             state.lag_seconds ? Poco::Dynamic::Var(*state.lag_seconds) : Poco::Dynamic::Var());
    array.add(item);
  }
  return array;
}

}  // namespace sfmon
