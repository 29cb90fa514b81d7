// Bearer tokens: only their SHA-256 is stored (api_tokens, schema version 4).
#include <Poco/RandomStream.h>

#include <stdexcept>

#include "sfmon/model/sha256.h"
#include "sfmon/monitor/http_api.h"

namespace sfmon {

std::string new_api_token() {
  Poco::RandomInputStream random;  // /dev/urandom where there is one
  std::string bytes(32, '\0');
  random.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (random.gcount() != static_cast<std::streamsize>(bytes.size())) {
    throw std::runtime_error("could not read 32 random bytes for a token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    token += kHex[byte >> 4];
    token += kHex[byte & 0x0f];
  }
  return token;
}

std::optional<ApiPrincipal> find_api_principal(SqliteDb& db, const std::string& token) {
  if (token.empty()) return std::nullopt;
  Statement& query = db.prepare(
      "SELECT user_name, role FROM api_tokens WHERE token_sha256 = ?1 AND revoked_at IS NULL");
  ResetGuard guard(query);
  query.bind_text(1, sha256_hex(token));
  if (!query.step()) return std::nullopt;
  return ApiPrincipal{query.column_text(0), query.column_text(1)};
}

std::int64_t add_api_token(SqliteDb& db, const std::string& user, const std::string& role,
                           const std::string& token, std::int64_t now) {
  if (user.empty()) throw std::invalid_argument("the user must not be empty");
  if (role != "supervisor" && role != "auditor" && role != "publisher" && role != "admin") {
    throw std::invalid_argument("role must be supervisor, auditor, publisher or admin, not '" +
                                role + "'");
  }
  db.prepare(
        "INSERT INTO api_tokens (user_name, role, token_sha256, created_at) "
        "VALUES (?1, ?2, ?3, ?4)")
      .bind_text(1, user)
      .bind_text(2, role)
      .bind_text(3, sha256_hex(token))
      .bind_int64(4, now)
      .run();
  return db.last_insert_rowid();
}

std::vector<ApiTokenRow> list_api_tokens(SqliteDb& db) {
  Statement& query =
      db.prepare("SELECT id, user_name, role, created_at, revoked_at FROM api_tokens ORDER BY id");
  std::vector<ApiTokenRow> rows;
  while (query.step()) {
    rows.push_back(ApiTokenRow{query.column_int64(0), query.column_text(1), query.column_text(2),
                               query.column_int64(3), query.column_int64_or_null(4)});
  }
  return rows;
}

}  // namespace sfmon
