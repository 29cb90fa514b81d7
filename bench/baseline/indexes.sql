-- Built after the load (faster than maintaining them row by row). The unique
-- ones are the records' identities, as in sfmon's store; the others are what
-- rules.sql and the per-school queries look up by.
CREATE UNIQUE INDEX bank_identity ON bank(account, bank_ref);
CREATE INDEX bank_by_account_time ON bank(account, booked_at_utc);
CREATE UNIQUE INDEX fee_identity ON fees(school_id, fee_id);
CREATE INDEX fees_by_school_time ON fees(school_id, paid_at_utc);
CREATE INDEX fees_by_student ON fees(school_id, student_id);
CREATE UNIQUE INDEX balance_identity ON balances(account, date);
CREATE INDEX accounts_by_school ON accounts(school_id, role);
CREATE INDEX related_by_account ON related(account);
CREATE INDEX related_by_name ON related(name);
CREATE INDEX watchlist_by_account ON watchlist(account);
CREATE INDEX watchlist_by_name ON watchlist(name);
CREATE INDEX catalogue_by_school ON catalogue(school_id, fee_type);
ANALYZE;
