#include "sfmon/monitor/app_context.h"

#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/monitor/data_paths.h"
#include "sfmon/monitor/rule_runner.h"
#include "sfmon/monitor/schema_migrations.h"

#include <ostream>

namespace sfmon {

AppContext open_app(const std::optional<std::string>& config_path) {
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
  if (app.config.registry) {
    app.registry = load_registry(read(*app.config.registry, "registry"), *app.config.registry);
  }
  if (app.config.watchlist) {
    app.watchlist = load_watchlist(read(*app.config.watchlist, "watchlist"), *app.config.watchlist);
  }
  for (const WatchlistEntry& entry : app.watchlist) {
    app.listed.push_back(rules::ListedParty{entry.name, entry.account, entry.reason});
  }
  app.db = std::make_unique<SqliteDb>(app.config.database);
  migrate(*app.db);
  app.store = std::make_unique<RecordStore>(*app.db);
  if (app.config.registry) app.store->sync_registry(app.registry);
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
