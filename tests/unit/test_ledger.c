/*
 * Unit tests: the SQLite ledger (ledger/ledger.c): migration, settings,
 * transactions, the duplicate key, lookups by match key.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/db.h"
#include "ledger/ledger.h"

static char dir[] = "/tmp/reskontra-ledger.XXXXXX";
static char path[256];

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(ledger, .init = setup, .fini = teardown);

static struct ledger *
open_ok(void)
{
	struct ledger *l;
	struct diag d;

	cr_assert_eq(ledger_open(path, &l, &d), 0, "%s", d.msg);
	return l;
}

static long long
query(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
	    "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
add(struct ledger *l, const char *no, const char *key, int64_t total)
{
	struct ledger_invoice inv;
	struct diag d;

	memset(&inv, 0, sizeof inv);
	snprintf(inv.invoice_no, sizeof inv.invoice_no, "%s", no);
	snprintf(inv.reference, sizeof inv.reference, "%s", key);
	snprintf(inv.match_key, sizeof inv.match_key, "%s", key);
	inv.invoice_date = inv.due_date = DAY_NONE;
	inv.total = total;
	cr_assert_eq(ledger_add_invoice(l, &inv, "none", "B", "t:1", &d), 0,
	    "%s", d.msg);
}

Test(ledger, migrates_an_empty_file_to_the_current_version)
{
	struct ledger *l = open_ok();

	ledger_close(l);
	cr_assert_eq(query("SELECT max(version) FROM schema_version"),
	    DB_SCHEMA_VERSION);
	cr_assert_eq(query("SELECT count(*) FROM sqlite_master WHERE name IN "
	    "('invoices', 'payments', 'allocations', 'runs', 'events')"), 5);
	/* opening again migrates nothing and keeps one version row */
	l = open_ok();
	ledger_close(l);
	cr_assert_eq(query("SELECT count(*) FROM schema_version"), 1);
}

Test(ledger, wal_mode)
{
	struct ledger *l = open_ok();

	ledger_close(l);
	sqlite3 *db;
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

Test(ledger, refuses_a_newer_schema)
{
	struct ledger *l = open_ok();
	struct diag d;

	ledger_close(l);
	cr_assert_eq(query("INSERT INTO schema_version VALUES (99) RETURNING "
	    "version"), 99);
	cr_assert_eq(ledger_open(path, &l, &d), -1);
	cr_assert_not_null(strstr(d.msg, "schema version 99 is newer"), "%s",
	    d.msg);
}

Test(ledger, rollback_discards_an_input)
{
	struct ledger *l = open_ok();
	struct diag d;

	cr_assert_eq(ledger_begin(l, &d), 0);
	add(l, "1", "1009", 100);
	cr_assert_eq(ledger_commit(l, &d), 0);
	cr_assert_eq(ledger_begin(l, &d), 0);
	add(l, "2", "1012", 100);
	cr_assert_eq(ledger_rollback(l), 0);
	ledger_close(l);
	cr_assert_eq(query("SELECT count(*) FROM invoices"), 1);
}

Test(ledger, duplicate_payment_key)
{
	struct ledger *l = open_ok();
	struct ledger_payment p;
	struct diag d;
	char dup[64] = "";

	memset(&p, 0, sizeof p);
	p.account_iban = "FI2112345600000785";
	p.archive_id = "A1";
	p.booking_date = 20500;
	p.payment_date = DAY_NONE;
	p.amount = 1000;
	p.reference = p.match_key = "1009";
	p.source = "k:1";
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0);
	p.source = "k:2";
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 1);
	cr_assert_str_eq(dup, "k:1");
	/* another archive id, or another day, is another payment */
	p.archive_id = "A2";
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0);
	p.booking_date++;
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0);
	/* without an archive id nothing can be called a duplicate */
	p.archive_id = "";
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0);
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0);
	ledger_close(l);
}

Test(ledger, lookup_by_key_puts_open_invoices_first)
{
	struct ledger *l = open_ok();
	struct ledger_invoice out[3];
	struct diag d;

	add(l, "1", "1009", 100);
	add(l, "2", "1009", 200);
	add(l, "3", "1012", 300);
	cr_assert_eq(ledger_find_by_key(l, "1009", out, 3, &d), 2);
	/* pay invoice 1: invoice 2 is the open one and comes first */
	out[0].paid = 100;
	cr_assert_eq(ledger_update_invoice(l, &out[0], &d), 0);
	cr_assert_str_eq(out[0].status, "paid");
	cr_assert_eq(ledger_find_by_key(l, "1009", out, 3, &d), 2);
	cr_assert_str_eq(out[0].invoice_no, "2");
	cr_assert_eq(out[0].open_amount, 200);
	cr_assert_eq(ledger_find_by_key(l, "7", out, 3, &d), 0);
	ledger_close(l);
	/* the lookup uses the index, not a scan */
	cr_assert_eq(query("SELECT count(*) FROM pragma_index_list('invoices')"
	    " WHERE name = 'invoices_match_key'"), 1);
}

Test(ledger, settle_statuses)
{
	struct ledger_invoice i;

	memset(&i, 0, sizeof i);
	i.total = 100;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "open");
	i.paid = 40;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "partial");
	cr_assert_eq(i.open_amount, 60);
	i.paid = 100;
	i.over = 5;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "over");
	i.paid = 0;
	i.over = 0;
	i.credited = -100;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "credited");
	i.paid = 50;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "over");
	cr_assert_eq(i.open_amount, -50);
	memset(&i, 0, sizeof i);
	i.is_credit = 1;
	i.total = -30;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "unlinked");
	cr_assert_eq(i.open_amount, -30);
	i.credited_id = 7;
	ledger_invoice_settle(&i);
	cr_assert_str_eq(i.status, "linked");
	cr_assert_eq(i.open_amount, 0);
}
