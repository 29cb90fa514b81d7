-- Bulk load of the normalised CSVs (run with the sql/ folder as the working
-- directory). The sqlite3 CLI wraps each .import in one transaction.
.import --csv --skip 1 schools.csv schools
.import --csv --skip 1 accounts.csv accounts
.import --csv --skip 1 related.csv related
.import --csv --skip 1 watchlist.csv watchlist
.import --csv --skip 1 catalogue.csv catalogue
.import --csv --skip 1 bank.csv bank
.import --csv --skip 1 fees.csv fees
.import --csv --skip 1 balances.csv balances
