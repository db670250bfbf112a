/*
 * ledger/db.c: step results are never taken for "no rows", and the one
 * migration list takes a file of today's shape (version 1 plus tables
 * made on their own) to the current version.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <string.h>

#include "ledger/db.h"

static sqlite3 *
mem(void)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static int64_t
one(sqlite3 *db, const char *sql)
{
	struct diag d;
	int64_t v = -1;

	cr_assert_eq(db_int(db, sql, 0, 0, &v, &d), 0, "%s", d.msg);
	return v;
}

Test(db, step_reports_an_error_not_the_end)
{
	sqlite3 *db = mem();
	sqlite3_stmt *st;
	struct diag d;
	int rc, rows = 0;

	/* The second row raises an error while the query runs. */
	st = db_prepare(db, "SELECT CASE WHEN x = 2 THEN "
	    "abs(-9223372036854775808) ELSE x END FROM (SELECT 1 AS x "
	    "UNION ALL SELECT 2)", &d);
	cr_assert_not_null(st, "%s", d.msg);
	while ((rc = db_step(st, &d, "probe")) == 1)
		rows++;
	cr_assert_eq(rc, -1);
	cr_assert_eq(rows, 1);
	cr_assert_not_null(strstr(d.msg, "probe: integer overflow"), "%s",
	    d.msg);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(db, done_and_int_report_errors)
{
	sqlite3 *db = mem();
	sqlite3_stmt *st;
	struct diag d;
	int64_t v = 7;

	cr_assert_eq(db_exec(db, "CREATE TABLE t (x INTEGER CHECK (x > 0))",
	    &d), 0, "%s", d.msg);
	st = db_prepare(db, "INSERT INTO t VALUES (?1)", &d);
	cr_assert_not_null(st);
	sqlite3_bind_int(st, 1, 1);
	cr_assert_eq(db_done(st, &d, "insert"), 0, "%s", d.msg);
	sqlite3_bind_int(st, 1, -1);
	cr_assert_eq(db_done(st, &d, "insert"), -1);
	cr_assert_not_null(strstr(d.msg, "CHECK"), "%s", d.msg);
	sqlite3_finalize(st);
	cr_assert_eq(db_int(db, "SELECT abs(-9223372036854775808)", 0, 0, &v,
	    &d), -1);
	cr_assert_eq(db_int(db, "SELECT x FROM t WHERE x > 5", 0, 0, &v, &d),
	    -1);
	cr_assert_not_null(strstr(d.msg, "no row"), "%s", d.msg);
	cr_assert_eq(v, 7);
	cr_assert_null(db_prepare(db, "SELECT nonsense FROM nowhere", &d));
	sqlite3_close(db);
}

/* A file as the program made it before the one list: version 1 and the
 * assignments table without the digest column, a spool table. */
static void
old_shape(sqlite3 *db, int with_digest)
{
	struct diag d;
	char sql[1024];

	cr_assert_eq(db_exec(db, "CREATE TABLE schema_version (version "
	    "INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
	    "CREATE TABLE runs (id INTEGER PRIMARY KEY, started TEXT NOT "
	    "NULL, finished TEXT, command TEXT NOT NULL, inputs TEXT, result "
	    "TEXT);"
	    "CREATE TABLE spool_claim (name BLOB PRIMARY KEY);"
	    "INSERT INTO spool_claim VALUES ('a.xml')", &d), 0, "%s", d.msg);
	snprintf(sql, sizeof sql, "CREATE TABLE assignments (id INTEGER "
	    "PRIMARY KEY, number INTEGER UNIQUE, invoice_no TEXT NOT NULL, "
	    "invoice_date TEXT, buyer_id TEXT, service TEXT NOT NULL, action "
	    "TEXT NOT NULL, code INTEGER NOT NULL DEFAULT 0, reason TEXT, "
	    "customer_group TEXT, reference TEXT, service_reference TEXT, "
	    "language TEXT, login_code TEXT, status TEXT, in_error INTEGER "
	    "NOT NULL DEFAULT 0, closed_by INTEGER, source TEXT NOT NULL%s);"
	    "INSERT INTO assignments (invoice_no, service, action, source) "
	    "VALUES ('1', 'amili', 'pass', 'a.xml:2')",
	    with_digest ? ", digest TEXT" : "");
	cr_assert_eq(db_exec(db, sql, &d), 0, "%s", d.msg);
}

static void
migrates_old_shape(int with_digest)
{
	sqlite3 *db = mem();
	struct diag d;
	int v;

	old_shape(db, with_digest);
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(db_version(db, &v, &d), 0);
	cr_assert_eq(v, DB_SCHEMA_VERSION);
	cr_assert_eq(one(db, "SELECT count(*) FROM schema_version"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM pragma_table_info("
	    "'assignments') WHERE name = 'digest'"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM assignments"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM spool_claim"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "IN ('notice_batches', 'spool_input', 'spool_run')"), 3);
	/* the same again changes nothing */
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(one(db, "SELECT count(*) FROM schema_version"), 1);
	sqlite3_close(db);
}

Test(db, migrates_version_1_with_the_digest_column)
{
	migrates_old_shape(1);
}

Test(db, migrates_version_1_without_the_digest_column)
{
	migrates_old_shape(0);
}

Test(db, migrates_an_empty_file)
{
	sqlite3 *db = mem();
	struct diag d;

	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(one(db, "SELECT max(version) FROM schema_version"),
	    DB_SCHEMA_VERSION);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE type "
	    "= 'table'"), 29);	/* 7: factoring_*, 8: notice_deferred, financing, 9: suspense_moves, 10: recon_*, 11: spool_release*, 13: recon_open, 14: op_flow, 15: op_rows, 23: spool_finish_output, 24: move_vouchers */
	sqlite3_close(db);
}

/* A version 16 file: recon_item a table with a rowid and an index of
 * its key, the open amounts indexed whole.  Version 17 keeps the items
 * and the open invoices' index answers the suggestions' query. */
Test(db, migrates_version_16_items_and_open_amounts)
{
	sqlite3 *db = mem();
	struct diag d;
	sqlite3_stmt *st;

	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(db_exec(db, "DROP TABLE recon_item;"
	    "CREATE TABLE recon_item (kind TEXT NOT NULL CHECK (kind IN "
	    "('entry', 'pay')), account_iban TEXT NOT NULL, day TEXT NOT "
	    "NULL, archive_id TEXT NOT NULL, amount INTEGER NOT NULL, "
	    "correction INTEGER NOT NULL, nth INTEGER NOT NULL, source TEXT, "
	    "PRIMARY KEY (kind, account_iban, day, archive_id, amount, "
	    "correction, nth));"
	    "INSERT INTO recon_item VALUES ('pay', 'FI21', '2026-02-01', "
	    "'A1', 500, 0, 1, 'b.ktl:2'), ('entry', 'FI21', '2026-02-01', "
	    "'A1', 500, 0, 1, 'b.kto:3');"
	    "DROP INDEX invoices_open_amount;"
	    "CREATE INDEX invoices_open_amount ON invoices(open_amount);"
	    "DROP INDEX payments_match_key;"
	    "CREATE INDEX payments_match_key ON payments(match_key);"
	    "CREATE INDEX IF NOT EXISTS payments_reversible ON payments("
	    "account_iban, match_key, amount) WHERE correction = 0 AND "
	    "reversed_by IS NULL;"
	    "DROP INDEX payments_archive_cut;"
	    "UPDATE schema_version SET version = 16", &d), 0, "%s", d.msg);
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(one(db, "SELECT max(version) FROM schema_version"),
	    DB_SCHEMA_VERSION);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'payments_archive_cut' AND sql LIKE '%trim(substr(archive_id, "
	    "-16))%WHERE length(archive_id) > 16'"), 1);	/* 18, 19 */
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item WHERE "
	    "account_iban = 'FI21' AND amount = 500"), 2);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'recon_item' AND sql LIKE '%WITHOUT ROWID'"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'invoices_open_amount' AND sql LIKE '%WHERE%open_amount > 0'"),
	    1);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'payments_reversible'"), 0);
	cr_assert_eq(one(db, "SELECT count(*) FROM pragma_index_info("
	    "'payments_match_key')"), 3);
	/* the same key twice is still one item */
	cr_assert_eq(db_exec(db, "INSERT OR IGNORE INTO recon_item VALUES "
	    "('pay', 'FI21', '2026-02-01', 'A1', 500, 0, 1, 'again')", &d), 0,
	    "%s", d.msg);
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item"), 2);
	st = db_prepare(db, "EXPLAIN QUERY PLAN SELECT id FROM invoices "
	    "WHERE type = 'invoice' AND open_amount > 0 AND open_amount = 5 "
	    "ORDER BY id", &d);
	cr_assert_not_null(st, "%s", d.msg);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_not_null(strstr((const char *)sqlite3_column_text(st, 3),
	    "invoices_open_amount"), "%s", sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	st = db_prepare(db, "EXPLAIN QUERY PLAN SELECT id FROM payments WHERE "
	    "account_iban = 'FI21' AND match_key = '5' AND amount = 5 AND "
	    "correction = 0 AND reversed_by IS NULL ORDER BY id DESC LIMIT 1",
	    &d);
	cr_assert_not_null(st, "%s", d.msg);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_not_null(strstr((const char *)sqlite3_column_text(st, 3),
	    "payments_match_key (match_key=? AND account_iban=? AND "
	    "amount=?)"), "%s", sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(db, refuses_a_newer_file_and_changes_nothing)
{
	sqlite3 *db = mem();
	struct diag d;

	cr_assert_eq(db_exec(db, "CREATE TABLE schema_version (version "
	    "INTEGER NOT NULL); INSERT INTO schema_version VALUES (99)", &d),
	    0);
	cr_assert_eq(db_migrate(db, &d), -1);
	cr_assert_not_null(strstr(d.msg, "schema version 99 is newer than "
	    "this program's"), "%s", d.msg);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master"), 1);
	sqlite3_close(db);
}

Test(db, migrates_inside_a_transaction_with_a_savepoint)
{
	sqlite3 *db = mem();
	struct diag d;

	cr_assert_eq(db_exec(db, "BEGIN", &d), 0);
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(db_exec(db, "ROLLBACK", &d), 0);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master"), 0);
	sqlite3_close(db);
}

/* 20: a payment's reconciliation item under a longer archive id takes
 * the id's KTL form; one whose KTL form is there already (the payment
 * counted twice, from KTL and from camt.054) goes; entries keep theirs. */
Test(db, v20_recon_items_in_ktl_form)
{
	sqlite3 *db = mem();
	struct diag d;

	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(db_exec(db, "INSERT INTO recon_item VALUES "
	    "('pay', 'FI21', '2026-01-07', '260107AK00000013', 500, 0, 1, "
	    "'a.ktl:2'), "
	    "('pay', 'FI21', '2026-01-07', '2026260107AK00000013', 500, 0, 1, "
	    "'b.xml:30'), "
	    "('pay', 'FI21', '2026-01-07', '2026 260107SP0000020 ', 700, 0, 1, "
	    "'b.xml:40'), "
	    "('entry', 'FI21', '2026-01-07', '260107ND0000705AXYZ', 1200, 0, 1, "
	    "'c.kto:3');"
	    "UPDATE schema_version SET version = 19", &d), 0, "%s", d.msg);
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(one(db, "SELECT max(version) FROM schema_version"),
	    DB_SCHEMA_VERSION);
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item WHERE kind = "
	    "'pay'"), 2);
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item WHERE kind = "
	    "'pay' AND archive_id = '260107AK00000013' AND source = "
	    "'a.ktl:2'"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item WHERE kind = "
	    "'pay' AND archive_id = '260107SP0000020' AND amount = 700"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM recon_item WHERE kind = "
	    "'entry' AND archive_id = '260107ND0000705AXYZ'"), 1);
	sqlite3_close(db);
}

/* 21: the invoices table of version 20 (one invoice a number and type)
 * made again keyed by number, type and date, its rows under their ids,
 * the other tables' references still to it; with foreign keys on, as
 * db_open() has them, and on again after. */
Test(db, v21_invoices_by_number_type_and_date)
{
	sqlite3 *db = mem();
	struct diag d;

	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(db_exec(db, "DROP TABLE invoices;"
	    "CREATE TABLE invoices (id INTEGER PRIMARY KEY, invoice_no TEXT "
	    "NOT NULL, type TEXT NOT NULL, invoice_date TEXT, due_date TEXT, "
	    "reference TEXT, match_key TEXT, service TEXT NOT NULL, total "
	    "INTEGER NOT NULL, credited INTEGER NOT NULL DEFAULT 0, paid "
	    "INTEGER NOT NULL DEFAULT 0, over INTEGER NOT NULL DEFAULT 0, "
	    "open_amount INTEGER NOT NULL, status TEXT NOT NULL, buyer_id "
	    "TEXT, buyer_name TEXT, credited_invoice_no TEXT, credited_id "
	    "INTEGER REFERENCES invoices(id), source TEXT, run_id INTEGER "
	    "REFERENCES runs(id), UNIQUE (invoice_no, type));"
	    "CREATE INDEX invoices_open_amount ON invoices(open_amount) "
	    "WHERE type = 'invoice' AND open_amount > 0;"
	    /* a credit note stored before the invoice it was linked to */
	    "INSERT INTO invoices (id, invoice_no, type, invoice_date, "
	    "service, total, open_amount, status, credited_invoice_no, "
	    "credited_id) VALUES (1, 'H-1', 'credit', '2026-09-01', 'none', "
	    "-500, 0, 'closed', 'A-1', 2), (2, 'A-1', 'invoice', "
	    "'2026-09-01', 'none', 2000, 1000, 'open', NULL, NULL);"
	    "INSERT INTO payments (id, account_iban, booking_date, amount, "
	    "correction) VALUES (1, 'FI21', '2026-09-05', 500, 0);"
	    "INSERT INTO allocations (payment_id, invoice_id, amount, outcome)"
	    " VALUES (1, 2, 500, 'partial');"
	    "UPDATE schema_version SET version = 20;"
	    "PRAGMA foreign_keys = ON", &d), 0, "%s", d.msg);
	cr_assert_eq(db_migrate(db, &d), 0, "%s", d.msg);
	cr_assert_eq(one(db, "SELECT max(version) FROM schema_version"),
	    DB_SCHEMA_VERSION);
	cr_assert_eq(one(db, "PRAGMA foreign_keys"), 1);
	cr_assert_eq(one(db, "SELECT count(*) FROM pragma_foreign_key_check"),
	    0);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE sql "
	    "LIKE '%invoices_v20%'"), 0);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'allocations' AND sql LIKE '%REFERENCES invoices(id)%'"), 1);
	cr_assert_eq(one(db, "SELECT credited_id FROM invoices WHERE id = 1"),
	    2);
	cr_assert_eq(one(db, "SELECT open_amount FROM invoices WHERE invoice_no"
	    " = 'A-1'"), 1000);
	cr_assert_eq(one(db, "SELECT count(*) FROM sqlite_master WHERE name "
	    "= 'invoices_open_amount' AND sql LIKE '%open_amount > 0'"), 1);
	/* another date of the number is taken, the same date is not */
	cr_assert_eq(db_exec(db, "INSERT INTO invoices (invoice_no, type, "
	    "invoice_date, service, total, open_amount, status) VALUES "
	    "('A-1', 'invoice', '2026-09-02', 'amili', 2000, 2000, 'open')",
	    &d), 0, "%s", d.msg);
	cr_assert_eq(db_exec(db, "INSERT INTO invoices (invoice_no, type, "
	    "invoice_date, service, total, open_amount, status) VALUES "
	    "('A-1', 'invoice', '2026-09-01', 'amili', 2000, 2000, 'open')",
	    &d), -1);
	/* and a reference to no invoice is refused again */
	cr_assert_eq(db_exec(db, "INSERT INTO allocations (invoice_id, amount,"
	    " outcome) VALUES (99, 1, 'partial')", &d), -1);
	sqlite3_close(db);
}
