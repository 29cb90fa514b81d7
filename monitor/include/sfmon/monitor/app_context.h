#pragma once
// What every command that touches the store needs: the configuration, an
// open, migrated database, and the registry and watchlist it names (already
// synchronised into the store).

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

struct AppContext {
  Config config;
  Registry registry;
  std::vector<WatchlistEntry> watchlist;
  std::vector<rules::ListedParty> listed;  // watchlist (and, later, the published blacklist)
  std::unique_ptr<SqliteDb> db;
  std::unique_ptr<RecordStore> store;
  std::unique_ptr<rules::CompiledPack> pack;  // null until load_rules()
  std::vector<std::string> pack_paths;        // what load_rules() read
};

// The rule packs the config names (or the bundled default pack), with the
// config's parameter overrides. Throws rules::PackError.
void load_rules(AppContext& app);

// Evaluates every school whose records changed since the last evaluation and
// prints one line of what fired. Needs load_rules().
void evaluate_pending(AppContext& app, std::ostream& out);

// Loads `config_path` (or the embedded default when empty), opens and
// migrates the database, loads the registry and watchlist and syncs the
// registry into the store. Throws ConfigError / RegistryError / StoreError.
AppContext open_app(const std::optional<std::string>& config_path);

}  // namespace sfmon
