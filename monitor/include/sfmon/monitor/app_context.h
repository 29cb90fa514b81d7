#pragma once
// What every command that touches the store needs: the configuration, an
// open, migrated database, and the registry and watchlist it names (already
// synchronised into the store).

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfmon/model/registry.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/record_store.h"
#include "sfmon/monitor/sqlite_db.h"
#include "sfmon/rules/fact_builder.h"
#include "sfmon/rules/rule_pack.h"

namespace sfmon {

// How much of the registry a command needs; open_app reads no more.
enum class RegistryUse {
  // Registry and watchlist parsed into the AppContext (ingest, rules,
  // notices, the daemon). The store's registry tables are rewritten only
  // when the registry text changed since the last sync.
  Load,
  // Only the store's registry tables are read (records queries): the YAML
  // is parsed, and the tables rewritten, only when the registry text changed
  // since the last sync. app.registry and app.watchlist stay empty otherwise.
  StoreOnly,
  // No registry data at all (alert queries): neither read nor synced.
  None,
};

struct AppContext {
  Config config;
  Registry registry;  // empty unless registry_loaded
  bool registry_loaded = false;
  // Loaded from the store's snapshot of the same texts (registry_snapshot.h)
  // rather than parsed: the registry files are unchanged since they were
  // last parsed into this store.
  bool registry_from_snapshot = false;
  std::vector<WatchlistEntry> watchlist;   // empty unless registry_loaded
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
// migrates the database, loads the registry and watchlist as `use` asks and
// syncs the registry into the store when its text or the watchlist's changed
// (the store keeps a fingerprint of the texts it last synced); then every
// school with stored records is marked for evaluation over all of them, since
// caps, terms, accounts and listed parties feed the rules. Throws ConfigError /
// RegistryError / StoreError.
//
// With RegistryUse::Load and unchanged texts, the lists come from the parsed
// snapshot the store keeps of them, written whenever open_app parses them
// (app.registry_from_snapshot); a snapshot that does not decode is reported
// on `warnings` (one line; std::cerr in the first form) and replaced.
AppContext open_app(const std::optional<std::string>& config_path,
                    RegistryUse use = RegistryUse::Load);
AppContext open_app(const std::optional<std::string>& config_path, RegistryUse use,
                    std::ostream& warnings);

// What the store remembers of a registry and watchlist text: SHA-256 (hex) of
// a version tag and both texts. Changing the tag makes every store sync once
// more, as is needed when sync_registry starts writing the tables differently.
std::string registry_fingerprint(std::string_view registry_text,
                                 std::string_view watchlist_text = {});

}  // namespace sfmon
