#include "sfmon/monitor/app_context.h"

#include <filesystem>
#include <iostream>
#include <system_error>

#include "registry_snapshot.h"
#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/model/sha256.h"
#include "sfmon/monitor/data_paths.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon {

std::string registry_fingerprint(std::string_view registry_text, std::string_view watchlist_text) {
  // v2: sync_registry as of schema version 5, with the watchlist.
  constexpr std::string_view kSyncVersion = "sfmon-registry-sync-v2\n";
  const std::string registry_size = std::to_string(registry_text.size()) + "\n";
  return sha256_hex({kSyncVersion, registry_size, registry_text, watchlist_text});
}

namespace {

// Whether `path` names a database file that exists already, i.e. a store
// that may hold a registry snapshot. Private databases (":memory:", "") start
// empty, and a "file:" URI may name anything (see SqliteDb::reopenable).
bool existing_database_file(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return false;
  std::error_code error;  // unreadable counts as absent: the texts are parsed first then
  return std::filesystem::is_regular_file(path, error);
}

// The listed parties of app.watchlist, however the lists were obtained (parsed
// or from the snapshot), and the mark that they are loaded.
void finish_lists(AppContext& app) {
  for (const WatchlistEntry& entry : app.watchlist) {
    app.listed.push_back(rules::ListedParty{entry.name, entry.account, entry.reason});
  }
  app.registry_loaded = true;
}

// Takes the registry and watchlist from the store's snapshot for
// `fingerprint`: false when there is none, or it does not decode, which is
// reported (the caller parses and replaces it).
bool take_snapshot(AppContext& app, const std::string& fingerprint, std::ostream& warnings) {
  std::optional<RegistrySnapshot> snapshot;
  try {
    snapshot = read_registry_snapshot(*app.db, fingerprint);
  } catch (const RegistrySnapshotError& error) {
    warnings << "warning: " << app.config.database << ": " << error.what()
             << "; the registry is parsed and the snapshot replaced\n";
    return false;
  }
  if (!snapshot) return false;
  app.registry = std::move(snapshot->registry);
  app.watchlist = std::move(snapshot->watchlist);
  app.registry_from_snapshot = true;
  finish_lists(app);
  return true;
}

}  // namespace

AppContext open_app(const std::optional<std::string>& config_path, RegistryUse use) {
  return open_app(config_path, use, std::cerr);
}

AppContext open_app(const std::optional<std::string>& config_path, RegistryUse use,
                    std::ostream& warnings) {
  AppContext app;
  app.config = config_path ? load_config_file(*config_path) : default_config();
  LocalFileSystem fs;
  const auto read = [&](const std::string& path, const char* what) {
    try {
      return fs.read_file(path);
    } catch (const std::exception& e) {
      throw ConfigError({app.config.file + ": " + what + ": " + e.what()});
    }
  };
  const auto load_lists = [&](const std::string& registry_text, const std::string& watchlist_text) {
    if (app.config.registry) {
      app.registry = load_registry(registry_text, *app.config.registry);
    }
    if (app.config.watchlist) {
      app.watchlist = load_watchlist(watchlist_text, *app.config.watchlist);
    }
    finish_lists(app);
  };

  // Reading and hashing the registry text takes about a millisecond;
  // parsing 500 schools of YAML takes far longer, and rewriting the registry
  // tables costs fsyncs, so both happen only when needed.
  std::string registry_text;
  std::string watchlist_text;
  if (use != RegistryUse::None && app.config.registry) {
    registry_text = read(*app.config.registry, "registry");
  }
  if (use != RegistryUse::None && app.config.watchlist) {
    watchlist_text = read(*app.config.watchlist, "watchlist");
  }
  // A command that needs the registry checks it before touching the store,
  // so a broken registry leaves no new database behind. Only an existing
  // store may spare the parse, by its snapshot of texts with the same
  // fingerprint, which parsed without error before; a broken text has
  // another fingerprint and is parsed below. The one exception: an empty
  // watchlist file fingerprints like no watchlist at all, but is an error.
  const bool snapshot_may_answer = use == RegistryUse::Load && app.config.registry &&
                                   !(app.config.watchlist && watchlist_text.empty()) &&
                                   existing_database_file(app.config.database);
  if (use == RegistryUse::Load && !snapshot_may_answer) load_lists(registry_text, watchlist_text);

  app.db = std::make_unique<SqliteDb>(app.config.database);
  // The log is copied into the store while the command works, not inside
  // the commit that crosses the checkpoint threshold, nor at the close.
  if (app.db->reopenable()) {
    app.db->checkpoint_in_background(
        [](const std::string& message) { std::cerr << "sfmon: " << message << "\n"; });
  }
  migrate(*app.db);
  app.store = std::make_unique<RecordStore>(*app.db);
  if (use == RegistryUse::None || !app.config.registry) return app;

  std::string fingerprint = registry_fingerprint(registry_text, watchlist_text);
  const std::optional<std::string> stored = app.store->registry_fingerprint();
  if (stored == fingerprint) {
    // Lists parsed before the store was opened (a new or private database)
    // stand; otherwise the snapshot answers, or the texts are parsed and
    // the snapshot written for the next command (a store synced before
    // snapshots existed, or whose snapshot was damaged).
    if (use != RegistryUse::Load || app.registry_loaded) return app;
    if (take_snapshot(app, fingerprint, warnings)) return app;
    load_lists(registry_text, watchlist_text);
    store_registry_snapshot(*app.db, fingerprint, app.registry, app.watchlist);
    return app;
  }
  if (!app.registry_loaded) load_lists(registry_text, watchlist_text);
  // Caps, terms, catalogues, related parties, accounts and the watchlist all
  // feed the rules: alerts stay a function of the stored records and the
  // current registry only if every school with records is judged again. The
  // marks commit with the new tables, so a crash cannot lose them.
  Transaction transaction(*app.db);
  store_registry_snapshot(*app.db, fingerprint, app.registry, app.watchlist);
  app.store->sync_registry(app.registry, std::move(fingerprint));
  EvaluationQueue queue(*app.db);
  for (const auto& [school, span] : app.store->record_spans_by_school()) {
    queue.mark(school, ChangedSpan{span.from, span.to});
  }
  transaction.commit();
  return app;
}

void load_rules(AppContext& app) {
  app.pack_paths = app.config.rules;
  if (app.pack_paths.empty()) {
    try {
      app.pack_paths.push_back(default_rule_pack_dir());
    } catch (const std::runtime_error& e) {
      throw ConfigError({e.what()});
    }
  }
  app.pack = rules::load_pack(app.pack_paths, app.config.parameters);
}

void evaluate_pending(AppContext& app, std::ostream& out) {
  RuleRunner runner(*app.db, *app.pack, app.registry, app.listed, app.config.zone);
  const RunSummary summary = runner.run_pending();
  out << "rules: " << summary.schools << " schools evaluated, " << summary.firings << " firings ("
      << summary.merged.new_firings << " new, " << summary.merged.withdrawn_firings
      << " withdrawn), alerts: " << summary.merged.new_alerts << " new, "
      << summary.merged.updated_alerts << " updated, " << summary.merged.withdrawn_alerts
      << " withdrawn\n";
}

}  // namespace sfmon
