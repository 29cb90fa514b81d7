#pragma once
// What every command that touches the store needs: the configuration, an
// open, migrated database, and the registry and watchlist it names (already
// synchronised into the store).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

struct AppContext {
  Config config;
  Registry registry;
  std::vector<WatchlistEntry> watchlist;
  std::unique_ptr<SqliteDb> db;
  std::unique_ptr<RecordStore> store;
};

// Loads `config_path` (or the embedded default when empty), opens and
// migrates the database, loads the registry and watchlist and syncs the
// registry into the store. Throws ConfigError / RegistryError / StoreError.
AppContext open_app(const std::optional<std::string>& config_path);

}  // namespace sfmon
