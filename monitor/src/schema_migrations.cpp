#include "sfmon/monitor/schema_migrations.h"

#include <sqlite3.h>

#include <cstring>
#include <set>
#include <string>
#include <string_view>

namespace sfmon {
namespace {

// Version 1: the base schema. Registry tables are replaced wholesale by
// RecordStore::sync_registry; nothing that must survive a registry reload may
// reference them with ON DELETE CASCADE. Bank records deliberately carry no
// school id: their school is found through `accounts`, so records of an
// account that is registered later join their school without a rewrite. Fee
// records do not reference `schools` either: a fee file may name a school the
// registry does not know yet, and must not be lost for it.
constexpr const char* kBaseSchema = R"sql(
CREATE TABLE schools (
  id              TEXT    NOT NULL PRIMARY KEY CHECK (id <> ''),
  name            TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('kindergarten', 'primary', 'middle', 'high',
                                                    'nine_year', 'vocational', 'training')),
  nonprofit       INTEGER NOT NULL CHECK (nonprofit IN (0, 1)),
  inclusive       INTEGER NOT NULL CHECK (inclusive IN (0, 1)),
  district        TEXT    NOT NULL,
  enrollment      INTEGER NOT NULL CHECK (enrollment >= 0),
  min_balance_fen INTEGER                                    -- NULL: no floor set
) STRICT;

CREATE TABLE accounts (
  number    TEXT NOT NULL PRIMARY KEY CHECK (number <> ''),  -- normalised
  school_id TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  bank      TEXT NOT NULL,
  role      TEXT NOT NULL CHECK (role IN ('supervised', 'basic', 'other'))
) STRICT;
CREATE INDEX accounts_by_school ON accounts(school_id);

CREATE TABLE related_parties (
  id              INTEGER PRIMARY KEY,
  school_id       TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  name_normalised TEXT NOT NULL,                             -- normalise_name(name)
  account         TEXT NOT NULL,                             -- normalised; '' when unknown
  relation        TEXT NOT NULL
) STRICT;
CREATE INDEX related_parties_by_school ON related_parties(school_id);

CREATE TABLE fee_catalogue (
  id        INTEGER PRIMARY KEY,
  school_id TEXT    NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  fee_type  TEXT    NOT NULL,
  grade     TEXT    NOT NULL,                                -- 'all' or a grade label
  cap_fen   INTEGER NOT NULL CHECK (cap_fen >= 0),
  per       TEXT    NOT NULL CHECK (per IN ('hour', 'month', 'semester', 'year'))
) STRICT;
CREATE INDEX fee_catalogue_by_school ON fee_catalogue(school_id);

CREATE TABLE academic_terms (
  school_id  TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
  term       TEXT NOT NULL,
  start_date TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  end_date   TEXT NOT NULL CHECK (end_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  PRIMARY KEY (school_id, term),
  CHECK (end_date >= start_date)
) STRICT;

CREATE TABLE sources (
  name          TEXT    NOT NULL PRIMARY KEY CHECK (name <> ''),  -- connector name
  kind          TEXT    NOT NULL CHECK (kind IN ('bank', 'fee')),
  first_seen_at INTEGER NOT NULL                                  -- UTC seconds
) STRICT;

CREATE TABLE cursors (
  source     TEXT    NOT NULL PRIMARY KEY REFERENCES sources(name),
  cursor     TEXT    NOT NULL,
  updated_at INTEGER NOT NULL                                     -- UTC seconds
) STRICT;

CREATE TABLE ingest_log (
  id                INTEGER PRIMARY KEY,
  source            TEXT    NOT NULL REFERENCES sources(name),
  path              TEXT    NOT NULL,                -- file path or URL
  sha256            TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('bank', 'fee')),
  format            TEXT    NOT NULL,                -- camt | mt940 | csv | jsonl | http | ''
  format_detail     TEXT    NOT NULL,                -- e.g. 'camt.053.001.02'
  status            TEXT    NOT NULL CHECK (status IN ('accepted', 'rejected', 'duplicate')),
  records_added     INTEGER NOT NULL DEFAULT 0,
  records_duplicate INTEGER NOT NULL DEFAULT 0,
  error             TEXT,                            -- set exactly when rejected
  warnings          INTEGER NOT NULL DEFAULT 0,
  at                INTEGER NOT NULL,                -- UTC seconds
  CHECK ((status = 'rejected') = (error IS NOT NULL))
) STRICT;
CREATE INDEX ingest_log_by_content ON ingest_log(sha256, kind, status);

CREATE TABLE ingest_warnings (
  id        INTEGER PRIMARY KEY,
  ingest_id INTEGER NOT NULL REFERENCES ingest_log(id),
  file      TEXT    NOT NULL,
  location  TEXT    NOT NULL,
  message   TEXT    NOT NULL
) STRICT;
CREATE INDEX ingest_warnings_by_ingest ON ingest_warnings(ingest_id);

CREATE TABLE quarantine (
  id        INTEGER PRIMARY KEY,
  ingest_id INTEGER NOT NULL UNIQUE REFERENCES ingest_log(id),
  path      TEXT    NOT NULL,                        -- where the file now lies
  error     TEXT    NOT NULL
) STRICT;

CREATE TABLE statements (
  id           INTEGER PRIMARY KEY,
  ingest_id    INTEGER NOT NULL REFERENCES ingest_log(id),
  statement_id TEXT    NOT NULL,
  account      TEXT    NOT NULL,                     -- normalised
  currency     TEXT    NOT NULL,
  opening_fen  INTEGER,
  opening_date TEXT,
  closing_fen  INTEGER,
  closing_date TEXT,
  record_count INTEGER NOT NULL,
  CHECK ((opening_fen IS NULL) = (opening_date IS NULL)),
  CHECK ((closing_fen IS NULL) = (closing_date IS NULL))
) STRICT;
CREATE INDEX statements_by_ingest ON statements(ingest_id);

-- One balance per account, day and type; a later statement repeating it
-- keeps the first one read.
CREATE TABLE balances (
  id            INTEGER PRIMARY KEY,
  account       TEXT    NOT NULL,                    -- normalised
  date          TEXT    NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  type          TEXT    NOT NULL CHECK (type IN ('opening', 'closing')),
  amount_fen    INTEGER NOT NULL,
  currency      TEXT    NOT NULL,
  statement_row INTEGER NOT NULL REFERENCES statements(id),
  UNIQUE (account, date, type)
) STRICT;

CREATE TABLE bank_records (
  id                  INTEGER PRIMARY KEY,
  account             TEXT    NOT NULL CHECK (account <> ''),   -- normalised
  bank_ref            TEXT    NOT NULL CHECK (bank_ref <> ''),
  ref_is_hash         INTEGER NOT NULL CHECK (ref_is_hash IN (0, 1)),
  booked_at_utc       INTEGER NOT NULL,
  booked_at_offset    INTEGER NOT NULL,
  booked_at_date_only INTEGER NOT NULL CHECK (booked_at_date_only IN (0, 1)),
  value_date          TEXT CHECK (value_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  amount_fen          INTEGER NOT NULL,                         -- credit +, debit -
  currency            TEXT    NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
  status              TEXT    NOT NULL CHECK (status IN ('booked', 'pending')),
  reversal            INTEGER NOT NULL CHECK (reversal IN (0, 1)),
  reversal_of         TEXT    NOT NULL,
  cp_name             TEXT    NOT NULL,
  cp_name_normalised  TEXT    NOT NULL,                         -- normalise_name(cp_name)
  cp_account          TEXT    NOT NULL,                         -- normalised
  cp_bank             TEXT    NOT NULL,
  cp_class            TEXT    NOT NULL CHECK (cp_class IN ('unknown', 'person', 'organisation')),
  cp_class_basis      TEXT    NOT NULL,
  purpose             TEXT    NOT NULL,
  tx_code             TEXT    NOT NULL,
  balance_after_fen   INTEGER,
  source_file         TEXT    NOT NULL,
  source_position     TEXT    NOT NULL,
  ingest_id           INTEGER NOT NULL REFERENCES ingest_log(id),
  UNIQUE (account, bank_ref)
) STRICT;
CREATE INDEX bank_records_by_account_time ON bank_records(account, booked_at_utc);
CREATE INDEX bank_records_by_time ON bank_records(booked_at_utc);

CREATE TABLE fee_records (
  id                INTEGER PRIMARY KEY,
  school_id         TEXT    NOT NULL CHECK (school_id <> ''),
  fee_id            TEXT    NOT NULL CHECK (fee_id <> ''),
  student_id        TEXT    NOT NULL,
  paid_at_utc       INTEGER NOT NULL,
  paid_at_offset    INTEGER NOT NULL,
  paid_at_date_only INTEGER NOT NULL CHECK (paid_at_date_only IN (0, 1)),
  amount_fen        INTEGER NOT NULL,                           -- refunds negative
  currency          TEXT    NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
  fee_type          TEXT    NOT NULL,
  grade             TEXT    NOT NULL,
  period_start      TEXT CHECK (period_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  period_end        TEXT CHECK (period_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  hours             REAL,                                       -- class hours, not money
  receiving_account TEXT    NOT NULL,                           -- normalised
  refund_of         TEXT    NOT NULL,
  enrolled_at       TEXT CHECK (enrolled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  source_file       TEXT    NOT NULL,
  source_position   TEXT    NOT NULL,
  ingest_id         INTEGER NOT NULL REFERENCES ingest_log(id),
  UNIQUE (school_id, fee_id)
) STRICT;
CREATE INDEX fee_records_by_school_time ON fee_records(school_id, paid_at_utc);
CREATE INDEX fee_records_by_time ON fee_records(paid_at_utc);
)sql";

// Version 2: promotions of pending bank records are counted per file; the
// evidence table that alerts will fill (record_kind 'balance' points at
// balances.id, for FUND-MINBAL) exists so that record queries can already ask
// "is this record flagged"; fee lookups by receiving account (FEE-WRONG-ACCOUNT,
// FEE-UNRECONCILED) get an index. The alerts table itself arrives with the
// alert manager; alert_evidence.alert_id will refer to it.
constexpr const char* kEvidenceAndPromotions = R"sql(
ALTER TABLE ingest_log ADD COLUMN records_promoted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE alert_evidence (
  alert_id    INTEGER NOT NULL,
  record_kind TEXT    NOT NULL CHECK (record_kind IN ('bank', 'fee', 'balance')),
  record_id   INTEGER NOT NULL,                -- bank_records.id, fee_records.id or balances.id
  PRIMARY KEY (alert_id, record_kind, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_evidence_by_record ON alert_evidence(record_kind, record_id, alert_id);

CREATE INDEX fee_records_by_account_time ON fee_records(receiving_account, paid_at_utc);
)sql";

// Version 3: alerts. Evaluation writes firings (one rule firing on one dedup
// key at one event time); alerts are the firings of a rule and dedup key
// grouped into sessions by the rule's grouping window. Re-evaluating a span
// replaces its firings and regroups, so alerts are a function of the stored
// records, not of arrival order. An alert whose firings all disappear (late
// data showed it was wrong) is kept as withdrawn, never deleted.
// alert_evidence_refs names evidence as the source did (bank reference,
// fee_id, ACCOUNT:DATE). result_set keeps replays apart from live alerts.
// evaluation_queue marks schools whose records changed, committed with the
// records and cleared with the alerts they cause.
constexpr const char* kAlerts = R"sql(
CREATE TABLE alerts (
  id           INTEGER PRIMARY KEY,
  result_set   TEXT    NOT NULL,                 -- 'live' or 'replay:N'
  rule_id      TEXT    NOT NULL,
  rule_version INTEGER NOT NULL,
  school_id    TEXT    NOT NULL,
  level        TEXT    NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  status       TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'dismissed')),
  dedup_key    TEXT    NOT NULL,
  first_seen   INTEGER NOT NULL,                 -- event time, UTC seconds
  last_seen    INTEGER NOT NULL,
  count        INTEGER NOT NULL CHECK (count >= 0),
  message      TEXT    NOT NULL,
  values_json  TEXT    NOT NULL,
  group_window INTEGER NOT NULL,                 -- seconds
  withdrawn    INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  CHECK (first_seen <= last_seen)
) STRICT;
CREATE INDEX alerts_by_key ON alerts(result_set, school_id, rule_id, dedup_key);
CREATE INDEX alerts_by_first_seen ON alerts(result_set, first_seen);

CREATE TABLE firings (
  id            INTEGER PRIMARY KEY,
  result_set    TEXT    NOT NULL,
  school_id     TEXT    NOT NULL,
  rule_id       TEXT    NOT NULL,
  rule_version  INTEGER NOT NULL,
  dedup_key     TEXT    NOT NULL,
  event_time    INTEGER NOT NULL,
  level         TEXT    NOT NULL,
  message       TEXT    NOT NULL,
  values_json   TEXT    NOT NULL,
  evidence_json TEXT    NOT NULL,
  group_window  INTEGER NOT NULL,
  alert_id      INTEGER REFERENCES alerts(id),
  UNIQUE (result_set, school_id, rule_id, dedup_key, event_time)
) STRICT;
CREATE INDEX firings_by_school_time ON firings(result_set, school_id, event_time);

CREATE TABLE alert_evidence_refs (
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  kind     TEXT    NOT NULL CHECK (kind IN ('bank', 'fee', 'balance')),
  ref      TEXT    NOT NULL,
  PRIMARY KEY (alert_id, kind, ref)
) STRICT, WITHOUT ROWID;

CREATE TABLE alert_events (
  id          INTEGER PRIMARY KEY,
  alert_id    INTEGER NOT NULL REFERENCES alerts(id),
  at          INTEGER NOT NULL,
  actor       TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  from_status TEXT,
  to_status   TEXT,
  comment     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX alert_events_by_alert ON alert_events(alert_id);

CREATE TABLE replay_runs (
  id          INTEGER PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  description TEXT    NOT NULL
) STRICT;

CREATE TABLE evaluation_queue (
  school_id TEXT    NOT NULL,
  from_utc  INTEGER NOT NULL,
  to_utc    INTEGER NOT NULL,
  CHECK (from_utc <= to_utc)
) STRICT;
CREATE INDEX evaluation_queue_by_school ON evaluation_queue(school_id);
)sql";

// Version 4: the daemon. Per-connector state for /metrics and the API;
// lifecycle events already live in alert_events (version 3). Notices group a
// school's open alerts per day; deliveries record every attempt on every
// channel, and what finally failed stays in dead_letters. Silences mute
// notifications (never alerts) for a school and rule until they end. API
// tokens are stored as SHA-256 hashes only.
constexpr const char* kDaemon = R"sql(
CREATE TABLE connector_state (
  source          TEXT    NOT NULL PRIMARY KEY,
  last_attempt    INTEGER,
  last_success    INTEGER,
  last_error      TEXT    NOT NULL DEFAULT '',
  last_error_at   INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  records_read    INTEGER NOT NULL DEFAULT 0,
  pages_read      INTEGER NOT NULL DEFAULT 0,
  lag_seconds     INTEGER
) STRICT;

CREATE TABLE notices (
  id          INTEGER PRIMARY KEY,
  school_id   TEXT    NOT NULL,
  day         TEXT    NOT NULL,                -- local day the notice covers
  fingerprint TEXT    NOT NULL,                -- hash of the alerts and their state
  subject     TEXT    NOT NULL,
  text_body   TEXT    NOT NULL,
  html_body   TEXT    NOT NULL,
  alert_ids   TEXT    NOT NULL,                -- JSON array
  created_at  INTEGER NOT NULL,
  UNIQUE (school_id, day, fingerprint)
) STRICT;

CREATE TABLE deliveries (
  id          INTEGER PRIMARY KEY,
  notice_id   INTEGER REFERENCES notices(id),
  alert_id    INTEGER REFERENCES alerts(id),
  channel     TEXT    NOT NULL,                -- channel name from the config
  recipient   TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dead')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error  TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);

CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  channel     TEXT    NOT NULL,
  recipient   TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  error       TEXT    NOT NULL,
  attempts    INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE silences (
  id         INTEGER PRIMARY KEY,
  school_id  TEXT    NOT NULL,                 -- '*' for every school
  rule_id    TEXT    NOT NULL,                 -- '*' for every rule
  reason     TEXT    NOT NULL CHECK (reason <> ''),
  author     TEXT    NOT NULL CHECK (author <> ''),
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (starts_at < ends_at)
) STRICT;

CREATE TABLE escalations (
  alert_id   INTEGER NOT NULL REFERENCES alerts(id),
  step       INTEGER NOT NULL,                 -- 1, 2, ... per alert
  at         INTEGER NOT NULL,
  from_level TEXT    NOT NULL,
  to_level   TEXT    NOT NULL,
  notified   TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (alert_id, step)
) STRICT;

CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  user_name  TEXT    NOT NULL,
  role       TEXT    NOT NULL CHECK (role IN ('supervisor', 'auditor', 'publisher', 'admin')),
  token_sha256 TEXT  NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;

-- The webhook form of a notice (JSON), built with its text and HTML.
ALTER TABLE notices ADD COLUMN json_body TEXT NOT NULL DEFAULT '{}';
CREATE INDEX notices_by_school ON notices(school_id, id);

-- Escalation raises alerts.level; regrouping (a new firing joining the
-- alert) rewrites the level from the firings. An escalated alert never
-- drops below the level its last escalation step gave it.
CREATE TRIGGER alerts_keep_escalated_level AFTER UPDATE OF level ON alerts
WHEN EXISTS (SELECT 1 FROM escalations WHERE alert_id = NEW.id)
BEGIN
  UPDATE alerts
     SET level = (SELECT to_level FROM escalations WHERE alert_id = NEW.id
                  ORDER BY step DESC LIMIT 1)
   WHERE id = NEW.id
     AND (CASE NEW.level WHEN 'blue' THEN 0 WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 ELSE 3 END)
       < (SELECT CASE to_level WHEN 'blue' THEN 0 WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2
                 ELSE 3 END
            FROM escalations WHERE alert_id = NEW.id ORDER BY step DESC LIMIT 1);
END;

CREATE INDEX deliveries_by_notice ON deliveries(notice_id);
)sql";

// Version 5: start-up and ingest speed. registry_sync remembers the
// fingerprint of the registry text last written into the registry tables, so
// commands rewrite them only when the registry changed (app_context.cpp).
// connector_state.newest_event_at keeps the newest booked or paid time a
// files connector has read, from which its lag is computed after each pull.
// bank_records_pending lets the store summary count pending records without
// reading every row (it holds only the few pending ones, so ingest of booked
// records never writes to it).
constexpr const char* kRegistrySync = R"sql(
CREATE TABLE registry_sync (
  id          INTEGER PRIMARY KEY CHECK (id = 1),  -- one row at most
  fingerprint TEXT    NOT NULL CHECK (fingerprint <> ''),
  synced_at   INTEGER NOT NULL                     -- UTC seconds
) STRICT;

ALTER TABLE connector_state ADD COLUMN newest_event_at INTEGER;  -- UTC seconds

CREATE INDEX bank_records_pending ON bank_records(account) WHERE status = 'pending';
)sql";

// Version 6: each re-evaluated school looks up its students' enrolment dates
// (rule_runner.cpp, load_enrolment); this index answers that per school and
// student without reading the fee records themselves (a fifth of an
// incremental day's time before it).
constexpr const char* kEnrolmentIndex = R"sql(
CREATE INDEX fee_records_by_student ON fee_records(school_id, student_id, enrolled_at, paid_at_utc);
)sql";

// Version 7: the store summary printed after every run-once counts without
// reading every record (RecordStore::summary). record_counts.bank_counted_to
// and fee_counted_to are record ids: bank_record_counts holds, per account,
// the bank records with an id up to bank_counted_to, and fee_records the fee
// records up to fee_counted_to. Records above them are counted when read, and
// each stored file folds them in (RecordStore::finish_ingest), so the counts
// stay exact whichever path wrote the records. A delete, or a change of a
// counted record's id or account, empties the counts and they are built again
// from the records (ids of deleted records can be handed out again).
// bank_records_with_balance finds an account's booked entries that carry a
// balance (RuleRunner's next and last known closing balance) without reading
// every entry of an account whose statements give none.
constexpr const char* kRecordCounts = R"sql(
CREATE INDEX bank_records_with_balance ON bank_records(account, booked_at_utc)
  WHERE balance_after_fen IS NOT NULL AND status = 'booked';

CREATE TABLE bank_record_counts (
  account TEXT    NOT NULL PRIMARY KEY,        -- normalised
  records INTEGER NOT NULL CHECK (records > 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE record_counts (
  id              INTEGER PRIMARY KEY CHECK (id = 1),  -- one row
  bank_counted_to INTEGER NOT NULL,                    -- bank_records.id
  fee_records     INTEGER NOT NULL,                    -- fee records with id <= fee_counted_to
  fee_counted_to  INTEGER NOT NULL                     -- fee_records.id
) STRICT;

INSERT INTO bank_record_counts (account, records)
  SELECT account, count(*) FROM bank_records GROUP BY account;
INSERT INTO record_counts (id, bank_counted_to, fee_records, fee_counted_to)
  VALUES (1, (SELECT coalesce(max(id), 0) FROM bank_records), (SELECT count(*) FROM fee_records),
          (SELECT coalesce(max(id), 0) FROM fee_records));

CREATE TRIGGER bank_records_recount_after_delete AFTER DELETE ON bank_records
  WHEN OLD.id <= (SELECT bank_counted_to FROM record_counts)
BEGIN
  DELETE FROM bank_record_counts;
  UPDATE record_counts SET bank_counted_to = 0;
END;
CREATE TRIGGER bank_records_recount_after_move AFTER UPDATE OF id, account ON bank_records
  WHEN OLD.id <= (SELECT bank_counted_to FROM record_counts)
    AND (NEW.id <> OLD.id OR NEW.account <> OLD.account)
BEGIN
  DELETE FROM bank_record_counts;
  UPDATE record_counts SET bank_counted_to = 0;
END;
CREATE TRIGGER fee_records_recount_after_delete AFTER DELETE ON fee_records
  WHEN OLD.id <= (SELECT fee_counted_to FROM record_counts)
BEGIN
  UPDATE record_counts SET fee_records = 0, fee_counted_to = 0;
END;
CREATE TRIGGER fee_records_recount_after_move AFTER UPDATE OF id ON fee_records
  WHEN OLD.id <= (SELECT fee_counted_to FROM record_counts) AND NEW.id <> OLD.id
BEGIN
  UPDATE record_counts SET fee_records = 0, fee_counted_to = 0;
END;
)sql";

// Version 9: the parsed registry and watchlist, kept with the fingerprint of
// the texts they were parsed from (monitor/src/registry_snapshot.h). A process
// whose registry files are unchanged since the last sync reads this instead of
// parsing the YAML again (about 120 ms for 500 schools).
constexpr const char* kRegistrySnapshot = R"sql(
CREATE TABLE registry_snapshot (
  id          INTEGER PRIMARY KEY CHECK (id = 1),  -- one row at most
  fingerprint TEXT    NOT NULL CHECK (fingerprint <> ''),
  format      INTEGER NOT NULL,                    -- encoding version of body
  body        BLOB    NOT NULL
) STRICT;
)sql";

// Version 10: per school, local day and windowed rule, the totals (per key
// and aggregate: count, sum, sum of squares) of the records the rule's
// aggregates took that day (monitor/src/window_totals_store.h). Incremental
// evaluation reads them instead of the records of the days every judged
// window covers whole. `basis` names the pack, registry and zone they were
// computed under; rows of another basis count as missing. Totals stand in
// only where no reversal is booked, which the partial index finds at once.
constexpr const char* kWindowDayTotals = R"sql(
CREATE TABLE window_day_totals (
  school_id TEXT    NOT NULL,
  day       INTEGER NOT NULL,  -- local day in the bureau's zone, days since 1970-01-01
  rule_id   TEXT    NOT NULL,
  basis     TEXT    NOT NULL,
  totals    BLOB    NOT NULL,  -- window_totals_store.cpp, encode_day()
  PRIMARY KEY (school_id, day, rule_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX bank_records_reversals ON bank_records(account, booked_at_utc)
  WHERE reversal = 1 AND status = 'booked';
)sql";

// Version 8: cheaper CHECKs on the tables written per record, file or alert.
// SQLite codes `x IN (a, b, c)` (three constants or more) as a temporary
// B-tree, and a CHECK builds it anew for every row written: a quarter of the
// bank record insert's time in sqlite (bench/profile.md). `x = a OR x = b OR
// x = c` is the same predicate (the same collation, and NULL in both when x
// is NULL; these columns are NOT NULL anyway) coded as plain comparisons.
// Only the schema text changes and the stored rows already satisfy it, so
// the tables are edited in place by SQLite's documented writable_schema
// procedure (lang_altertable.html, "Making Other Kinds Of Table Schema
// Changes") instead of being copied and rebuilt: indexes, triggers and row
// ids stay as they are, and the only cost is one quick_check read of each
// edited table. IN lists of tables written only when the registry changes or
// by an operator (schools, accounts, fee_catalogue, deliveries, api_tokens)
// are left alone.
struct CheckRewrite {
  const char* table;
  const char* from;  // must occur exactly once in the table's CREATE TABLE text
  const char* to;
};

constexpr CheckRewrite kCheapChecks[] = {
    {"bank_records", "CHECK (cp_class IN ('unknown', 'person', 'organisation'))",
     "CHECK (cp_class = 'unknown' OR cp_class = 'person' OR cp_class = 'organisation')"},
    {"ingest_log", "CHECK (status IN ('accepted', 'rejected', 'duplicate'))",
     "CHECK (status = 'accepted' OR status = 'rejected' OR status = 'duplicate')"},
    {"alerts", "CHECK (level IN ('blue', 'yellow', 'orange', 'red'))",
     "CHECK (level = 'blue' OR level = 'yellow' OR level = 'orange' OR level = 'red')"},
    {"alerts", "CHECK (status IN ('open', 'acknowledged', 'resolved', 'dismissed'))",
     "CHECK (status = 'open' OR status = 'acknowledged' OR status = 'resolved' OR "
     "status = 'dismissed')"},
    {"alert_evidence", "CHECK (record_kind IN ('bank', 'fee', 'balance'))",
     "CHECK (record_kind = 'bank' OR record_kind = 'fee' OR record_kind = 'balance')"},
    {"alert_evidence_refs", "CHECK (kind IN ('bank', 'fee', 'balance'))",
     "CHECK (kind = 'bank' OR kind = 'fee' OR kind = 'balance')"},
};

// Opens sqlite_schema for writing for as long as it lives. Defensive mode
// refuses writes to sqlite_schema and silently ignores PRAGMA
// schema_version=N, so it is switched off meanwhile; writable_schema must be
// off again before anything else runs, whether the edit worked or not (it
// also hides a schema that fails to parse). sqlite3_db_config rather than the
// PRAGMAs, so that the destructor can restore both without throwing.
class SchemaEdit {
 public:
  explicit SchemaEdit(SqliteDb& db) : db_(db) {
    config(SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive_);
    config(SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
    config(SQLITE_DBCONFIG_WRITABLE_SCHEMA, 1, nullptr);
  }
  ~SchemaEdit() {
    // Both calls only fail on a bad option code, which these are not.
    sqlite3_db_config(db_.handle(), SQLITE_DBCONFIG_WRITABLE_SCHEMA, 0, nullptr);
    sqlite3_db_config(db_.handle(), SQLITE_DBCONFIG_DEFENSIVE, defensive_, nullptr);
  }
  SchemaEdit(const SchemaEdit&) = delete;
  SchemaEdit& operator=(const SchemaEdit&) = delete;

 private:
  void config(int option, int value, int* now) {
    if (sqlite3_db_config(db_.handle(), option, value, now) != SQLITE_OK) {
      throw StoreError("sqlite3_db_config(" + std::to_string(option) + ") failed", "", db_.path());
    }
  }

  SqliteDb& db_;
  int defensive_ = 0;
};

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos;
       at = text.find(part, at + part.size())) {
    ++count;
  }
  return count;
}

// Needs a SchemaEdit. The text must match exactly once: a database whose
// schema was changed by hand fails the step rather than being half edited.
void rewrite_check(SqliteDb& db, const CheckRewrite& rewrite) {
  std::string sql;
  {
    Statement read =
        db.prepare_uncached("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    read.bind_text(1, rewrite.table);
    if (!read.step()) {
      throw StoreError(std::string("no table ") + rewrite.table, read.sql(), db.path());
    }
    sql = read.column_text(0);
  }
  const std::size_t found = occurrences(sql, rewrite.from);
  if (found != 1) {
    throw StoreError("expected " + std::string(rewrite.from) + " once in the schema of table " +
                         rewrite.table + ", found it " + std::to_string(found) + " times",
                     "", db.path());
  }
  sql.replace(sql.find(rewrite.from), std::strlen(rewrite.from), rewrite.to);
  Statement write =
      db.prepare_uncached("UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1");
  write.bind_text(1, rewrite.table).bind_text(2, sql).run();
  if (db.changes() != 1) {
    throw StoreError(std::string("the schema of table ") + rewrite.table + " was not rewritten",
                     write.sql(), db.path());
  }
}

// The first statement after the edit parses the new schema (an error fails
// the step); quick_check then evaluates every CHECK and NOT NULL of the
// edited tables on their stored rows, as SQLite now compiles them.
void check_table(SqliteDb& db, const std::string& table) {
  Statement check = db.prepare_uncached("PRAGMA quick_check(" + table + ")");
  std::string problems;
  while (check.step()) {
    const std::string line = check.column_text(0);
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  if (!problems.empty()) {
    throw StoreError("quick_check of table " + table + " failed: " + problems, check.sql(),
                     db.path());
  }
}

void rewrite_cheap_checks(SqliteDb& db) {
  const std::int64_t cookie = db.pragma_int("PRAGMA schema_version");
  {
    SchemaEdit edit(db);
    for (const CheckRewrite& rewrite : kCheapChecks) rewrite_check(db, rewrite);
    // Makes every connection, this one too, parse the schema again.
    db.exec("PRAGMA schema_version = " + std::to_string(cookie + 1));
  }
  if (db.pragma_int("PRAGMA schema_version") != cookie + 1) {
    throw StoreError("PRAGMA schema_version did not move to " + std::to_string(cookie + 1),
                     "PRAGMA schema_version", db.path());
  }
  std::set<std::string> tables;
  for (const CheckRewrite& rewrite : kCheapChecks) tables.insert(rewrite.table);
  for (const std::string& table : tables) check_table(db, table);
}

SchemaVersionError too_new(SqliteDb& db, int found) {
  return SchemaVersionError(
      "database schema version " + std::to_string(found) + " is newer than this sfmon supports (" +
          std::to_string(latest_schema_version()) + "); use a newer sfmon with this database",
      db.path(), found, latest_schema_version());
}

void check_foreign_keys(SqliteDb& db, const Migration& step) {
  Statement check = db.prepare_uncached("PRAGMA foreign_key_check");
  if (check.step()) {
    throw StoreError("migration " + std::to_string(step.version) + " (" + step.description +
                         ") left rows violating a foreign key in table " + check.column_text(0),
                     "PRAGMA foreign_key_check", db.path());
  }
}

// False when another migrator applied the step first.
bool apply(SqliteDb& db, const Migration& step) {
  Transaction transaction(db);
  // Re-read under the write lock: another process may have migrated meanwhile.
  const int current = schema_version(db);
  if (current > latest_schema_version()) throw too_new(db, current);
  if (current >= step.version) return false;
  try {
    db.exec(step.sql);
    if (step.code != nullptr) step.code(db);
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
  } catch (const StoreError& error) {
    throw StoreError("migration " + std::to_string(step.version) + " (" + step.description +
                         ") failed: " + error.message(),
                     error.sql(), error.db_path(), error.sqlite_code());
  }
  check_foreign_keys(db, step);
  transaction.commit();
  return true;
}

}  // namespace

SchemaVersionError::SchemaVersionError(std::string message, std::string db_path, int found,
                                       int supported)
    : StoreError(std::move(message), "", std::move(db_path)),
      found_(found),
      supported_(supported) {}

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> steps{
      {1, "base schema", kBaseSchema},
      {2, "promotion counts, alert evidence, fee account index", kEvidenceAndPromotions},
      {3, "alerts, their firings, evidence and events; replays; evaluation queue", kAlerts},
      {4,
       "daemon: connector state, notices, deliveries, dead letters, silences, escalations, tokens",
       kDaemon},
      {5, "registry sync fingerprint, newest event time per connector, pending index",
       kRegistrySync},
      {6, "fee records by school and student (enrolment lookups)", kEnrolmentIndex},
      {7, "record counts for the store summary, entries with a balance", kRecordCounts},
      {8, "comparisons instead of IN lists in the CHECKs of per-record and per-alert tables", "",
       rewrite_cheap_checks},
      {9, "parsed registry snapshot", kRegistrySnapshot},
      {10, "daily totals of windowed rules' aggregates, booked reversals index", kWindowDayTotals},
  };
  return steps;
}

int latest_schema_version() {
  return schema_migrations().back().version;
}

int schema_version(SqliteDb& db) {
  return static_cast<int>(db.pragma_int("PRAGMA user_version"));
}

int migrate(SqliteDb& db) {
  return migrate_to(db, latest_schema_version());
}

int migrate_to(SqliteDb& db, int version) {
  if (version < 0 || version > latest_schema_version()) {
    throw SchemaVersionError("cannot migrate to unknown schema version " + std::to_string(version),
                             db.path(), version, latest_schema_version());
  }
  const int found = schema_version(db);
  if (found > latest_schema_version()) throw too_new(db, found);
  int applied = 0;
  for (const Migration& step : schema_migrations()) {
    if (step.version <= found) continue;
    if (step.version > version) break;
    if (apply(db, step)) ++applied;
  }
  return applied;
}

void require_latest_schema(SqliteDb& db) {
  const int found = schema_version(db);
  if (found > latest_schema_version()) throw too_new(db, found);
  if (found < latest_schema_version()) {
    throw SchemaVersionError("database schema version " + std::to_string(found) +
                                 " is older than this sfmon needs (" +
                                 std::to_string(latest_schema_version()) + "); migrate it first",
                             db.path(), found, latest_schema_version());
  }
}

}  // namespace sfmon
