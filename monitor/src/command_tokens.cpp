// `sfmon tokens add|list`: API bearer tokens (stored as SHA-256 only).
#include <ctime>
#include <iomanip>
#include <ostream>
#include <stdexcept>

#include "sfmon/monitor/cli_commands.h"
#include "sfmon/monitor/config.h"
#include "sfmon/monitor/http_api.h"
#include "sfmon/monitor/schema_migrations.h"
#include "sfmon/monitor/sqlite_db.h"

namespace sfmon {

const char* const kTokensAddHelp =
    R"(Usage: sfmon tokens add [--config FILE] --user USER --role ROLE

Creates an API bearer token for USER with ROLE (supervisor, auditor,
publisher or admin) and prints it once on stdout. Only its SHA-256 is
stored: a lost token cannot be shown again, add a new one.
Use it as: curl -H "Authorization: Bearer TOKEN" http://127.0.0.1:8080/api/v1/alerts

Exit: 0 created; 2 usage or configuration error (e.g. an unknown role).
)";

const char* const kTokensListHelp = R"(Usage: sfmon tokens list [--config FILE]

Lists the API tokens: id, user, role, created (UTC) and whether revoked.
Tokens themselves are never shown (only their hashes are stored).
)";

namespace {

SqliteDb open_tokens_db(const CliArgs& args) {
  const auto path = args.value("config");
  const Config config = path ? load_config_file(*path) : default_config();
  SqliteDb db(config.database);
  migrate(db);
  return db;
}

std::string utc_text(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

int tokens_add_command(const CliArgs& args, std::ostream& out, std::ostream& /*err*/) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  const auto user = args.value("user");
  const auto role = args.value("role");
  if (!user || user->empty()) throw UsageError("--user USER is required");
  if (!role) throw UsageError("--role supervisor|auditor|publisher|admin is required");
  SqliteDb db = open_tokens_db(args);
  const std::string token = new_api_token();
  try {
    add_api_token(db, *user, *role, token, static_cast<std::int64_t>(std::time(nullptr)));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  out << token << '\n';
  return 0;
}

int tokens_list_command(const CliArgs& args, std::ostream& out, std::ostream& /*err*/) {
  if (!args.positional().empty()) {
    throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  }
  SqliteDb db = open_tokens_db(args);
  out << std::left << std::setw(6) << "ID" << std::setw(20) << "USER" << std::setw(12) << "ROLE"
      << std::setw(22) << "CREATED"
      << "REVOKED\n";
  for (const ApiTokenRow& row : list_api_tokens(db)) {
    out << std::setw(6) << row.id << std::setw(20) << row.user << std::setw(12) << row.role
        << std::setw(22) << utc_text(row.created_at)
        << (row.revoked_at ? utc_text(*row.revoked_at) : "-") << '\n';
  }
  return 0;
}

}  // namespace sfmon
