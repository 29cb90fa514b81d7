-- The default rule pack (rules-catalogue.md) as plain SQL over the baseline
-- tables, one statement per rule, with the catalogue's default parameters
-- written in (fen). Every rule of the catalogue is here; the windowed ones use
-- window functions (RANGE frames over UTC seconds) or a self-join.
--
-- Output: sql_alerts(rule_id, school_id, dedup_key), the keys sfmon's default
-- pack alerts on (same dedup templates), so bench/measure.py can compare them.
--
-- Simplifications the benchmark city allows (it has no reversals, no pending
-- entries, no school calendars, no full-width or padded names): names match
-- exactly instead of after normalisation, and terms are the default calendar.
BEGIN;

CREATE TABLE sql_alerts (rule_id TEXT NOT NULL, school_id TEXT NOT NULL, dedup_key TEXT NOT NULL);

-- Bank facts: booked records with their school, account role and the shared
-- definitions (own transfer, debit, credit, related party, listed party).
CREATE TEMP TABLE facts AS
SELECT r.*,
       NOT r.own AND r.amount < 0 AS debit,
       NOT r.own AND r.amount > 0 AS credit,
       EXISTS (SELECT 1 FROM related p
                WHERE p.school_id = r.school_id
                  AND ((r.cp_account <> '' AND p.account = r.cp_account)
                       OR (r.cp_name <> '' AND p.name = r.cp_name))) AS related,
       EXISTS (SELECT 1 FROM watchlist w WHERE r.cp_account <> '' AND w.account = r.cp_account)
       OR EXISTS (SELECT 1 FROM watchlist w WHERE r.cp_name <> '' AND w.name = r.cp_name) AS listed
  FROM (SELECT a.school_id, b.account, a.role, b.bank_ref AS id, b.booked_at_utc AS t, b.day,
               b.amount_fen AS amount, b.cp_name, b.cp_account, b.cp_class, b.purpose,
               CASE WHEN b.cp_account <> '' THEN b.cp_account ELSE b.cp_name END AS cp_key,
               b.cp_account <> '' AND o.number IS NOT NULL AS own
          FROM bank b
          JOIN accounts a ON a.number = b.account
          LEFT JOIN accounts o ON o.number = b.cp_account AND o.school_id = a.school_id
         WHERE b.status = 'booked') r;
CREATE INDEX temp.facts_by_school_time ON facts(school_id, t);

-- Fee facts: paid into the supervised account or not, the student's
-- enrolment (the record's, else the earliest any record of the student gives).
CREATE TEMP TABLE enrolments AS
SELECT school_id, student_id, min(enrolled_at) AS enrolled_at
  FROM fees WHERE enrolled_at <> '' GROUP BY school_id, student_id;
CREATE TEMP TABLE fee_facts AS
SELECT f.school_id, f.fee_id AS id, f.day, f.amount_fen AS amount, f.fee_type, f.grade,
       f.period_start, f.period_end, nullif(f.hours, '') AS hours, s.training,
       f.amount_fen < 0 AS refund,
       sup.number IS NOT NULL AS to_supervised,
       coalesce(nullif(f.enrolled_at, ''), e.enrolled_at) AS enrolled_at,
       c.cap_fen AS cap, c.per
  FROM fees f
  JOIN schools s ON s.id = f.school_id
  LEFT JOIN accounts sup ON sup.number = f.receiving_account AND sup.school_id = f.school_id
                        AND sup.role = 'supervised'
  LEFT JOIN enrolments e ON e.school_id = f.school_id AND e.student_id = f.student_id
  LEFT JOIN catalogue c ON c.school_id = f.school_id AND c.fee_type = f.fee_type
                       AND (c.grade = f.grade
                            OR (c.grade = 'all'
                                AND NOT EXISTS (SELECT 1 FROM catalogue g WHERE g.school_id = f.school_id
                                                   AND g.fee_type = f.fee_type AND g.grade = f.grade)));

-- The default academic calendar: autumn Sep 1 - Jan 31, spring Feb 1 - Jul 31.
CREATE TEMP TABLE default_terms AS
WITH RECURSIVE years(y) AS (SELECT 2020 UNION ALL SELECT y + 1 FROM years WHERE y < 2030)
SELECT y || '-02-01' AS term_start, y || '-07-31' AS term_end FROM years
UNION ALL
SELECT y || '-09-01', (y + 1) || '-01-31' FROM years;

-- FUND-LARGE: an account's debits on one day sum to >= 2,000,000.00.
INSERT INTO sql_alerts
SELECT 'FUND-LARGE', school_id, account || ':' || day FROM facts WHERE debit
 GROUP BY school_id, account, day HAVING sum(-amount) >= 200000000;

-- FUND-CASH: cash withdrawals of an account on one day sum to >= 50,000.00.
INSERT INTO sql_alerts
SELECT 'FUND-CASH', school_id, account || ':' || day FROM facts
 WHERE debit AND (instr(lower(purpose), '现金') OR instr(lower(purpose), '取现')
                  OR instr(lower(purpose), 'atm'))
 GROUP BY school_id, account, day HAVING sum(-amount) >= 5000000;

-- FUND-TO-PERSON: a debit to a natural person >= 50,000.00, not payroll.
INSERT INTO sql_alerts
SELECT 'FUND-TO-PERSON', school_id, id FROM facts
 WHERE debit AND cp_class = 'person' AND -amount >= 5000000
   AND NOT (instr(lower(purpose), '工资') OR instr(lower(purpose), '薪')
            OR instr(lower(purpose), 'salary') OR instr(lower(purpose), 'payroll'));

-- FUND-RELATED: a debit to a related party; compulsory schools any amount,
-- others >= 100,000.00.
INSERT INTO sql_alerts
SELECT 'FUND-RELATED', f.school_id, f.id FROM facts f JOIN schools s ON s.id = f.school_id
 WHERE f.debit AND f.related AND (s.compulsory OR -f.amount >= 10000000);

-- FUND-ROUNDTRIP: a capital credit from a related party, then debits to
-- related parties in [t, t + 180 days) of at least half of it.
INSERT INTO sql_alerts
SELECT 'FUND-ROUNDTRIP', c.school_id, c.id FROM facts c
  JOIN facts d ON d.school_id = c.school_id AND d.t >= c.t AND d.t < c.t + 180 * 86400
              AND d.debit AND d.related
 WHERE c.credit AND c.related
   AND (instr(c.purpose, '出资') OR instr(c.purpose, '注册资本') OR instr(c.purpose, '开办资金')
        OR instr(c.purpose, '投资款') OR instr(c.purpose, '借款'))
 GROUP BY c.school_id, c.account, c.id HAVING 2 * sum(-d.amount) >= c.amount;

-- FUND-DRAIN: a school's debits in (t - 7 days, t] above 30% of the
-- supervised closing balance of the day before the day containing t - 7 days
-- (or the latest earlier one).
INSERT INTO sql_alerts
SELECT DISTINCT 'FUND-DRAIN', school_id, school_id FROM (
  SELECT w.school_id, w.total,
         (SELECT b.closing_fen FROM accounts sa JOIN balances b ON b.account = sa.number
           WHERE sa.school_id = w.school_id AND sa.role = 'supervised'
             AND b.date <= date(w.t - 7 * 86400 + 8 * 3600, 'unixepoch', '-1 day')
           ORDER BY b.date DESC LIMIT 1) AS ref
    FROM (SELECT school_id, t, sum(-amount) OVER (PARTITION BY school_id ORDER BY t
                                                  RANGE BETWEEN 604799 PRECEDING AND CURRENT ROW) AS total
            FROM facts WHERE debit) w)
 WHERE ref > 0 AND 10 * total > 3 * ref;

-- FUND-SPLIT: >= 3 debits to one counterparty within 24 h (inclusive), each
-- under 2,000,000.00, together >= 1,000,000.00.
INSERT INTO sql_alerts
SELECT DISTINCT 'FUND-SPLIT', school_id, cp_key FROM (
  SELECT school_id, cp_key,
         count(*) OVER w AS n, sum(-amount) OVER w AS total
    FROM facts WHERE debit AND cp_key <> '' AND -amount < 200000000
  WINDOW w AS (PARTITION BY school_id, cp_key ORDER BY t RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW))
 WHERE n >= 3 AND total >= 100000000;

-- FUND-PASSTHRU: a debit D >= 100,000.00 with D >= 80% of the credits from
-- non-own parties into the supervised account in (t - 72 h, t], when there are any.
INSERT INTO sql_alerts
SELECT 'FUND-PASSTHRU', school_id, id FROM (
  SELECT school_id, id, debit, amount,
         sum(CASE WHEN credit AND role = 'supervised' THEN amount ELSE 0 END)
           OVER (PARTITION BY school_id ORDER BY t RANGE BETWEEN 259199 PRECEDING AND CURRENT ROW) AS c
    FROM facts)
 WHERE debit AND c > 0 AND -5 * amount >= 4 * c AND -amount >= 10000000;

-- FUND-MINBAL: a day's closing balance of the supervised account below the
-- school's min_balance.
INSERT INTO sql_alerts
SELECT DISTINCT 'FUND-MINBAL', a.school_id, b.account FROM balances b
  JOIN accounts a ON a.number = b.account AND a.role = 'supervised'
  JOIN schools s ON s.id = a.school_id
 WHERE s.min_balance_fen <> '' AND b.closing_fen < s.min_balance_fen;

-- FUND-ANOMALY: a debit above the mean + 4 population standard deviations of
-- the school's debits in [t - 90 days, t), with at least 30 of them.
INSERT INTO sql_alerts
SELECT 'FUND-ANOMALY', school_id, id FROM (
  SELECT school_id, id, -amount AS x, count(*) OVER w AS n, avg(-amount) OVER w AS mu,
         sum(1.0 * amount * amount) OVER w AS s2
    FROM facts WHERE debit
  WINDOW w AS (PARTITION BY school_id ORDER BY t RANGE BETWEEN 7776000 PRECEDING AND 1 PRECEDING))
 WHERE n >= 30 AND x > mu AND (x - mu) * (x - mu) > 16 * (s2 / n - mu * mu);

-- FUND-LISTED: a debit to, or a credit from, a watchlisted counterparty.
INSERT INTO sql_alerts
SELECT 'FUND-LISTED', school_id, id FROM facts WHERE (debit OR credit) AND listed;

-- FEE-OVER-CAP: a catalogued payment above its cap once normalised to the
-- catalogue's unit: per hour, per month covered (whole months plus partial
-- months as days / days in that month), per term overlapped, per year.
INSERT INTO sql_alerts
SELECT 'FEE-OVER-CAP', school_id, id FROM (
  SELECT f.*,
         CASE WHEN strftime('%Y-%m', period_start) = strftime('%Y-%m', period_end)
              THEN (julianday(period_end) - julianday(period_start) + 1) / dim_start
              ELSE (dim_start - cast(strftime('%d', period_start) AS INTEGER) + 1) / dim_start
                   + (12 * cast(strftime('%Y', period_end) AS INTEGER) + cast(strftime('%m', period_end) AS INTEGER))
                   - (12 * cast(strftime('%Y', period_start) AS INTEGER) + cast(strftime('%m', period_start) AS INTEGER))
                   - 1
                   + cast(strftime('%d', period_end) AS REAL) / dim_end
         END AS months,
         (SELECT count(*) FROM default_terms WHERE term_start <= f.period_end AND term_end >= f.period_start) AS terms
    FROM (SELECT *,
                 julianday(period_start, 'start of month', '+1 month') - julianday(period_start, 'start of month') AS dim_start,
                 julianday(period_end, 'start of month', '+1 month') - julianday(period_end, 'start of month') AS dim_end
            FROM fee_facts WHERE NOT refund AND fee_type <> 'donation' AND cap IS NOT NULL) f)
 WHERE CASE per
         WHEN 'hour' THEN hours > 0 AND amount > cap * hours
         WHEN 'month' THEN months > 0 AND amount > cap * months
         WHEN 'semester' THEN amount > cap * max(terms, 1)
         WHEN 'year' THEN amount > cap * max(months / 12.0, 1)
       END;

-- FEE-UNLISTED: a payment (not a donation) whose type the catalogue lacks.
INSERT INTO sql_alerts
SELECT 'FEE-UNLISTED', school_id, id FROM fee_facts
 WHERE NOT refund AND fee_type <> 'donation' AND cap IS NULL;

-- FEE-PREPAY-TERM: a school (not training) collects for a period that runs
-- past the end of the term of the payment (between terms: the next one; terms
-- do not overlap, so that is the first term ending on or after the day).
INSERT INTO sql_alerts
SELECT 'FEE-PREPAY-TERM', school_id, id FROM fee_facts
 WHERE NOT refund AND NOT training
   AND period_end > (SELECT min(term_end) FROM default_terms WHERE term_end >= day);

-- FEE-PREPAY-TRAINING: a training payment covering 3 calendar months or more
-- (period_end on or after period_start + 3 months, clamped to the month's
-- end), or more than 60 class hours.
INSERT INTO sql_alerts
SELECT 'FEE-PREPAY-TRAINING', school_id, id FROM fee_facts
 WHERE NOT refund AND training
   AND (period_end >= min(date(period_start, '+3 months'),
                          date(period_start, 'start of month', '+4 months', '-1 day'))
        OR hours > 60);

-- FEE-DONATION: a donation within 90 days (inclusive) of the student's enrolment.
INSERT INTO sql_alerts
SELECT 'FEE-DONATION', school_id, id FROM fee_facts
 WHERE NOT refund AND fee_type = 'donation'
   AND abs(julianday(day) - julianday(enrolled_at)) <= 90;

-- FEE-WRONG-ACCOUNT: a payment into an account other than the school's supervised one.
INSERT INTO sql_alerts
SELECT 'FEE-WRONG-ACCOUNT', school_id, id FROM fee_facts WHERE NOT refund AND NOT to_supervised;

-- FEE-UNRECONCILED: per school and day, fees paid into the supervised account
-- and credits into it from non-own parties differ by > 5% and > 10,000.00.
INSERT INTO sql_alerts
SELECT 'FEE-UNRECONCILED', school_id, school_id || ':' || day FROM (
  SELECT school_id, day, sum(fees) AS fees, sum(credits) AS credits FROM (
    SELECT school_id, day, amount AS fees, 0 AS credits FROM fee_facts WHERE to_supervised
    UNION ALL
    SELECT school_id, day, 0, amount FROM facts WHERE credit AND role = 'supervised')
  GROUP BY school_id, day)
 WHERE abs(fees - credits) * 20 > max(fees, credits) AND abs(fees - credits) > 1000000;

-- FEE-LOAN: a training institution's account receives money from a lender
-- (by the counterparty's name).
INSERT INTO sql_alerts
SELECT 'FEE-LOAN', f.school_id, f.id FROM facts f JOIN schools s ON s.id = f.school_id
 WHERE f.credit AND s.training
   AND (instr(f.cp_name, '小额贷款') OR instr(f.cp_name, '消费金融') OR instr(f.cp_name, '融资租赁')
        OR instr(f.cp_name, '网络借贷') OR instr(f.cp_name, '分期'));

COMMIT;
