#include "sfmon/monitor/app_context.h"

#include "sfmon/connectors/file_system.h"
#include "sfmon/connectors/registry_loader.h"
#include "sfmon/monitor/schema_migrations.h"

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
  app.db = std::make_unique<SqliteDb>(app.config.database);
  migrate(*app.db);
  app.store = std::make_unique<RecordStore>(*app.db);
  if (app.config.registry) app.store->sync_registry(app.registry);
  return app;
}

}  // namespace sfmon
