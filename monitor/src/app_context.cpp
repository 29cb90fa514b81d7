#include "sfmon/monitor/app_context.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <ostream>

#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/monitor/data_paths.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"

namespace sfmon {

std::string registry_fingerprint(std::string_view registry_text, std::string_view watchlist_text) {
  // v2: sync_registry as of schema version 5, with the watchlist.
  constexpr std::string_view kSyncVersion = "sfmon-registry-sync-v2\n";
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(kSyncVersion.data(), static_cast<unsigned>(kSyncVersion.size()));
  const std::string registry_size = std::to_string(registry_text.size()) + "\n";
  engine.update(registry_size.data(), static_cast<unsigned>(registry_size.size()));
  engine.update(registry_text.data(), static_cast<unsigned>(registry_text.size()));
  engine.update(watchlist_text.data(), static_cast<unsigned>(watchlist_text.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

AppContext open_app(const std::optional<std::string>& config_path, RegistryUse use) {
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
    for (const WatchlistEntry& entry : app.watchlist) {
      app.listed.push_back(rules::ListedParty{entry.name, entry.account, entry.reason});
    }
    app.registry_loaded = true;
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
  // so a broken registry leaves no new database behind.
  if (use == RegistryUse::Load) load_lists(registry_text, watchlist_text);

  app.db = std::make_unique<SqliteDb>(app.config.database);
  migrate(*app.db);
  app.store = std::make_unique<RecordStore>(*app.db);
  if (use == RegistryUse::None || !app.config.registry) return app;

  std::string fingerprint = registry_fingerprint(registry_text, watchlist_text);
  const std::optional<std::string> stored = app.store->registry_fingerprint();
  if (stored == fingerprint) return app;
  if (!app.registry_loaded) load_lists(registry_text, watchlist_text);
  // Caps, terms, catalogues, related parties, accounts and the watchlist all
  // feed the rules: alerts stay a function of the stored records and the
  // current registry only if every school with records is judged again. The
  // marks commit with the new tables, so a crash cannot lose them.
  Transaction transaction(*app.db);
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
