-- The plain-SQL baseline: the benchmark city as normalised tables (what
-- bench/generate_city.py writes to sql/*.csv), durable like sfmon's store
-- (WAL, synchronous=NORMAL). Loaded by the sqlite3 CLI with `.import --csv`
-- (import.sql), indexed after the load (indexes.sql), judged by rules.sql.
-- Money is integer fen, times UTC seconds, `day` the local (Asia/Shanghai) day.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;

CREATE TABLE schools (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  compulsory      INTEGER NOT NULL,   -- primary, middle, nine_year
  training        INTEGER NOT NULL,
  min_balance_fen INTEGER             -- '' when the school has no floor
);
CREATE TABLE accounts (number TEXT PRIMARY KEY, school_id TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE related (school_id TEXT NOT NULL, name TEXT NOT NULL, account TEXT NOT NULL, relation TEXT NOT NULL);
CREATE TABLE watchlist (name TEXT NOT NULL, account TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE catalogue (school_id TEXT NOT NULL, fee_type TEXT NOT NULL, grade TEXT NOT NULL,
                        cap_fen INTEGER NOT NULL, per TEXT NOT NULL);

CREATE TABLE bank (
  account       TEXT NOT NULL,
  bank_ref      TEXT NOT NULL,
  booked_at_utc INTEGER NOT NULL,
  day           TEXT NOT NULL,
  amount_fen    INTEGER NOT NULL,      -- credit +, debit -
  status        TEXT NOT NULL,         -- booked | pending
  cp_name       TEXT NOT NULL,
  cp_account    TEXT NOT NULL,
  cp_class      TEXT NOT NULL,         -- person | organisation | unknown
  purpose       TEXT NOT NULL
);
CREATE TABLE fees (
  school_id         TEXT NOT NULL,
  fee_id            TEXT NOT NULL,
  student_id        TEXT NOT NULL,
  paid_at_utc       INTEGER NOT NULL,
  day               TEXT NOT NULL,
  amount_fen        INTEGER NOT NULL,
  fee_type          TEXT NOT NULL,
  grade             TEXT NOT NULL,
  period_start      TEXT NOT NULL,
  period_end        TEXT NOT NULL,
  hours             REAL,              -- '' when not given
  receiving_account TEXT NOT NULL,
  refund_of         TEXT NOT NULL,
  enrolled_at       TEXT NOT NULL      -- '' when not given
);
-- Daily closing balances (a statement's closing balance, or a CSV's last
-- balance_after of the day).
CREATE TABLE balances (account TEXT NOT NULL, date TEXT NOT NULL, closing_fen INTEGER NOT NULL);
