/*
 * db: SQLite helpers and the one migration list of state/ledger.db.  See
 * db.h and formats/ledger.md (the schema and its versions).
 *
 * Before the list, version 1 (ledger.c's tables) was the only versioned
 * part; assignments, their digest column, notice_batches and the spool
 * journal were made by their modules with CREATE TABLE IF NOT EXISTS.
 * A file of that time says version 1 and may hold any of those tables
 * already, with or without the digest column, so the steps after 1 make
 * only what is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "base/ident.h"
#include "ledger/db.h"

const char *
db_path(sqlite3 *db)
{
	const char *path = db != NULL ? sqlite3_db_filename(db, "main") : NULL;

	return path != NULL && *path != '\0' ? path : "ledger";
}

int
db_error(sqlite3 *db, struct diag *d, const char *what)
{
	diag_set(d, db_path(db), 0, 0, "ledger: %s: %s", what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

int
db_exec(sqlite3 *db, const char *sql, struct diag *d)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		diag_set(d, db_path(db), 0, 0, "ledger: %s", msg ? msg :
		    sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql, struct diag *d)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_error(db, d, "prepare");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int
db_step(sqlite3_stmt *st, struct diag *d, const char *what)
{
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		return 1;
	case SQLITE_DONE:
		return 0;
	default:
		return db_error(sqlite3_db_handle(st), d, what);
	}
}

int
db_done(sqlite3_stmt *st, struct diag *d, const char *what)
{
	int rc = db_step(st, d, what);

	if (rc > 0)
		diag_set(d, db_path(sqlite3_db_handle(st)), 0, 0, "ledger: "
		    "%s: a row where none was expected", what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == 0 ? 0 : -1;
}

int
db_finish(sqlite3_stmt *st, struct diag *d, const char *what)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = db_done(st, d, what);
	sqlite3_finalize(st);
	return rc;
}

int
db_int(sqlite3 *db, const char *sql, int64_t a1, int64_t a2,
    int64_t *v, struct diag *d)
{
	sqlite3_stmt *st = db_cached(db, sql, d);
	int rc;

	if (st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a1);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, a2);
	rc = db_step(st, d, sql);
	if (rc == 1)
		*v = sqlite3_column_int64(st, 0);
	else if (rc == 0)
		diag_set(d, db_path(db), 0, 0, "ledger: %s: no row", sql);
	db_release(st);
	return rc == 1 ? 0 : -1;
}

/* ---- the migrations ----------------------------------------------------- */

/* 1: the ledger proper.  Amounts are integer cents, dates TEXT
 * YYYY-MM-DD. */
static const char v1_ledger[] =
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  started TEXT NOT NULL,"
	"  finished TEXT,"
	"  command TEXT NOT NULL,"
	"  inputs TEXT,"
	"  result TEXT);"
	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY,"
	"  invoice_no TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit')),"
	"  invoice_date TEXT,"
	"  due_date TEXT,"
	"  reference TEXT,"
	"  match_key TEXT,"
	"  service TEXT NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  credited INTEGER NOT NULL DEFAULT 0,"
	"  paid INTEGER NOT NULL DEFAULT 0,"
	"  over INTEGER NOT NULL DEFAULT 0,"
	"  open_amount INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  buyer_id TEXT,"
	"  buyer_name TEXT,"
	"  credited_invoice_no TEXT,"
	"  credited_id INTEGER REFERENCES invoices(id),"
	"  source TEXT,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  UNIQUE (invoice_no, type));"
	"CREATE INDEX invoices_match_key ON invoices(match_key,"
	"  open_amount <= 0, id)"
	"  WHERE type = 'invoice';"
	"CREATE INDEX invoices_unlinked ON invoices(credited_invoice_no)"
	"  WHERE type = 'credit' AND credited_id IS NULL;"
	"CREATE INDEX invoices_credited_id ON invoices(credited_id)"
	"  WHERE credited_id IS NOT NULL;"
	"CREATE TABLE payments ("
	"  id INTEGER PRIMARY KEY,"
	"  account_iban TEXT NOT NULL,"
	"  archive_id TEXT,"
	"  booking_date TEXT NOT NULL,"
	"  payment_date TEXT,"
	"  amount INTEGER NOT NULL CHECK (amount >= 0),"
	"  reference TEXT,"
	"  match_key TEXT,"
	"  payer_name TEXT,"
	"  correction INTEGER NOT NULL CHECK (correction IN (0, 1)),"
	"  reversed_by INTEGER REFERENCES payments(id),"
	"  reverses INTEGER REFERENCES payments(id),"
	"  source TEXT,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  UNIQUE (account_iban, archive_id, booking_date, amount,"
	"    correction));"
	"CREATE INDEX payments_reversible ON payments(account_iban,"
	"  match_key, amount) WHERE correction = 0 AND reversed_by IS NULL;"
	"CREATE TABLE allocations ("
	"  id INTEGER PRIMARY KEY,"
	"  payment_id INTEGER REFERENCES payments(id),"
	"  invoice_id INTEGER REFERENCES invoices(id),"
	"  credit_id INTEGER REFERENCES invoices(id),"
	"  reverses_id INTEGER REFERENCES allocations(id),"
	"  amount INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  open_after INTEGER,"
	"  reason TEXT,"
	"  reverses TEXT,"
	"  run_id INTEGER REFERENCES runs(id));"
	"CREATE INDEX allocations_payment ON allocations(payment_id);"
	"CREATE INDEX allocations_invoice ON allocations(invoice_id);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  source TEXT,"
	"  kind TEXT NOT NULL,"
	"  key TEXT,"
	"  event TEXT NOT NULL,"
	"  detail TEXT);";

/* 2: routing decisions (ledger/assign.c), as first made: no digest. */
static const char v2_assignments[] =
	"CREATE TABLE IF NOT EXISTS assignments ("
	"  id INTEGER PRIMARY KEY,"
	"  number INTEGER UNIQUE,"
	"  invoice_no TEXT NOT NULL,"
	"  invoice_date TEXT,"
	"  buyer_id TEXT,"
	"  service TEXT NOT NULL,"
	"  action TEXT NOT NULL CHECK (action IN ('route', 'pass', 'reject')),"
	"  code INTEGER NOT NULL DEFAULT 0,"
	"  reason TEXT,"
	"  customer_group TEXT,"
	"  reference TEXT,"
	"  service_reference TEXT,"
	"  language TEXT,"
	"  login_code TEXT,"
	"  status TEXT,"
	"  in_error INTEGER NOT NULL DEFAULT 0,"
	"  closed_by INTEGER REFERENCES assignments(id),"
	"  source TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS assignments_no ON assignments(invoice_no,"
	"  invoice_date);"
	"CREATE INDEX IF NOT EXISTS assignments_sref ON"
	"  assignments(service_reference) WHERE service_reference IS NOT NULL;";

/* 4: notice batches (ledger/notice.c). */
static const char v4_notices[] =
	"CREATE TABLE IF NOT EXISTS notice_batches ("
	"  id INTEGER PRIMARY KEY,"
	"  created TEXT NOT NULL,"
	"  after_alloc INTEGER NOT NULL,"
	"  upto_alloc INTEGER NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  file TEXT,"
	"  written INTEGER NOT NULL DEFAULT 0);";

/* 5: the spool's journal (spool/spool.c, formats/spool.md). */
static const char v5_spool[] =
	"CREATE TABLE IF NOT EXISTS spool_run ("
	" id INTEGER PRIMARY KEY,"
	" day TEXT NOT NULL,"
	" seq INTEGER NOT NULL,"
	" reported INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (day, seq));"
	"CREATE TABLE IF NOT EXISTS spool_input ("
	" id INTEGER PRIMARY KEY,"
	" run INTEGER NOT NULL REFERENCES spool_run(id),"
	" name BLOB NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" format TEXT NOT NULL DEFAULT '',"
	" outcome TEXT NOT NULL,"
	" dest TEXT NOT NULL,"
	" error TEXT,"
	" first INTEGER REFERENCES spool_input(id),"
	" filed INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS spool_input_sha256"
	" ON spool_input(sha256) WHERE outcome = 'processed';"
	"CREATE INDEX IF NOT EXISTS spool_input_unfiled"
	" ON spool_input(filed) WHERE filed = 0;"
	"CREATE TABLE IF NOT EXISTS spool_output ("
	" input INTEGER NOT NULL REFERENCES spool_input(id),"
	" seq INTEGER NOT NULL,"
	" staged TEXT NOT NULL,"
	" dest TEXT NOT NULL,"
	" PRIMARY KEY (input, seq));"
	"CREATE TABLE IF NOT EXISTS spool_count ("
	" input INTEGER NOT NULL REFERENCES spool_input(id),"
	" what TEXT NOT NULL,"
	" n INTEGER NOT NULL,"
	" cents INTEGER,"
	" PRIMARY KEY (input, what));"
	"CREATE TABLE IF NOT EXISTS spool_note ("
	" input INTEGER NOT NULL REFERENCES spool_input(id),"
	" seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" line TEXT NOT NULL,"
	" PRIMARY KEY (input, seq));"
	"CREATE TABLE IF NOT EXISTS spool_claim ("
	" name BLOB PRIMARY KEY);"
	"CREATE TABLE IF NOT EXISTS spool_stray ("
	" run INTEGER NOT NULL REFERENCES spool_run(id),"
	" seq INTEGER NOT NULL,"
	" name BLOB NOT NULL,"
	" PRIMARY KEY (run, seq));";

/* 7: factoring invoices and their batches (ledger/fbatch.c). */
static const char v7_factoring[] =
	"CREATE TABLE IF NOT EXISTS factoring_batches ("
	" id INTEGER PRIMARY KEY,"
	" account TEXT NOT NULL,"
	" batch INTEGER NOT NULL,"
	" financier TEXT NOT NULL,"
	" contract TEXT NOT NULL,"
	" created TEXT NOT NULL,"
	" count INTEGER NOT NULL,"
	" total INTEGER NOT NULL,"
	" UNIQUE (account, batch));"
	"CREATE TABLE IF NOT EXISTS factoring_invoices ("
	" id INTEGER PRIMARY KEY,"
	" assignment INTEGER NOT NULL UNIQUE REFERENCES assignments(id),"
	" account TEXT NOT NULL,"
	" batch INTEGER,"
	" invoice_no TEXT NOT NULL,"
	" type TEXT NOT NULL CHECK (type IN ('invoice', 'credit')),"
	" customer_code TEXT NOT NULL,"
	" recipient TEXT,"
	" invoice_date TEXT,"
	" due_date TEXT,"
	" amount INTEGER NOT NULL,"
	" reference TEXT);"
	"CREATE INDEX IF NOT EXISTS factoring_invoices_batch"
	" ON factoring_invoices(account, batch);";

/* 8: op-laskulaina credit-note notices held back one banking day
 * (ledger/notice.c): the allocation, the day it is due, and the batch
 * that took it once due. */
static const char v8_deferred_notices[] =
	"CREATE TABLE IF NOT EXISTS notice_deferred ("
	"  alloc_id INTEGER PRIMARY KEY REFERENCES allocations(id),"
	"  due TEXT NOT NULL,"
	"  batch INTEGER REFERENCES notice_batches(id));"
	"CREATE INDEX IF NOT EXISTS notice_deferred_waiting ON"
	"  notice_deferred(due) WHERE batch IS NULL;"
	/* and kassavirta's financed shares and adjustments (ledger/
	 * financing.c), settled by Noja's payout (a payment row) */
	"CREATE TABLE IF NOT EXISTS financing ("
	"  id INTEGER PRIMARY KEY,"
	"  invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('granted', 'adjustment',"
	"    'reversal')),"
	"  amount INTEGER NOT NULL CHECK (amount > 0),"
	"  payment INTEGER REFERENCES payments(id),"
	"  payout INTEGER REFERENCES payments(id));"
	"CREATE INDEX IF NOT EXISTS financing_invoice ON"
	"  financing(invoice_id);"
	"CREATE INDEX IF NOT EXISTS financing_payment ON"
	"  financing(payment) WHERE payment IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS financing_pending ON"
	"  financing(id) WHERE payout IS NULL;";

/* 10: what reconciliation compares (ledger/reconcile.h): statements
 * with their balances; their 705 entries and the reference payments
 * (recon_item kind 'entry' and 'pay'). */
static const char v10_reconcile[] =
	"CREATE TABLE recon_stmt ("
	" account_iban TEXT NOT NULL,"
	" statement_no TEXT NOT NULL,"
	" from_date TEXT NOT NULL,"
	" to_date TEXT NOT NULL,"
	" opening INTEGER,"
	" closing INTEGER,"
	" source TEXT,"
	" PRIMARY KEY (account_iban, from_date, to_date, statement_no));"
	"CREATE TABLE recon_item ("
	" kind TEXT NOT NULL CHECK (kind IN ('entry', 'pay')),"
	" account_iban TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" archive_id TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" correction INTEGER NOT NULL,"
	" nth INTEGER NOT NULL,"
	" source TEXT,"
	" PRIMARY KEY (kind, account_iban, day, archive_id, amount,"
	"  correction, nth));";

/* 11: one factoring batch per run and account (ledger/fbatch.c,
 * spool/spool.c): a batch stays open, taking the factoring invoices of
 * the run's later inputs, until the run closes it; the invoice files of
 * its inputs are held in state/staging/ (spool_output.hold) until the
 * release that writes its notice (spool_release, its outputs in
 * spool_release_output) has filed them. */
static const char v11_run_batches[] =
	"ALTER TABLE factoring_batches ADD COLUMN open INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE spool_output ADD COLUMN hold TEXT;"
	"CREATE INDEX IF NOT EXISTS spool_output_hold"
	" ON spool_output(hold, input, seq) WHERE hold IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS spool_output_held_dest"
	" ON spool_output(dest) WHERE hold IS NOT NULL;"
	"CREATE TABLE IF NOT EXISTS spool_release ("
	" id INTEGER PRIMARY KEY,"
	" run INTEGER NOT NULL REFERENCES spool_run(id),"
	" hold TEXT NOT NULL UNIQUE,"
	" filed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS spool_release_output ("
	" release INTEGER NOT NULL REFERENCES spool_release(id),"
	" seq INTEGER NOT NULL,"
	" staged TEXT NOT NULL,"
	" dest TEXT NOT NULL,"
	" PRIMARY KEY (release, seq));";

/* 12: whether a statement's entries carry booking codes at all (a camt
 * file of ISO codes only has none): the 705 check needs them. */
static const char v12_recon_codes[] =
	"ALTER TABLE recon_stmt ADD COLUMN codes INTEGER NOT NULL DEFAULT 1;";

/* 13: the account days whose 705 entries were said not reconciled, so
 * that a later file that makes them agree says so. */
static const char v13_recon_open[] =
	"CREATE TABLE recon_open ("
	" account_iban TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" PRIMARY KEY (account_iban, day));";

/* 14: op-laskulaina, what passed the virtual account per reference
 * (ledger/opflow.c): the customer's payments ('in'), what OP took out
 * of them ('out'), what it forwarded to the company ('forward'), and
 * what of that the company's account took as remainder ('remainder'),
 * each row naming the payment it comes from. */
static const char v14_op_flow[] =
	"CREATE TABLE op_flow ("
	" id INTEGER PRIMARY KEY,"
	" payment_id INTEGER NOT NULL REFERENCES payments(id),"
	" match_key TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'forward',"
	"  'remainder')),"
	" amount INTEGER NOT NULL CHECK (amount > 0));"
	"CREATE INDEX op_flow_key ON op_flow(match_key);";
/* 15: the OP Laskulaina rows later rows are checked against
 * (ledger/oprows.c): withdrawal requests and the arrival that cleared
 * each, customer payments and what was taken out of them, reference
 * payments of the virtual account and the summary entry that claimed
 * them. */
static const char v15_op_rows[] =
	"CREATE TABLE op_rows ("
	" id INTEGER PRIMARY KEY,"
	" payment_id INTEGER NOT NULL REFERENCES payments(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('withdrawal', 'payment',"
	"  'taken', 'ktl-payment')),"
	" match_key TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" cleared_by INTEGER REFERENCES payments(id));"
	"CREATE INDEX op_rows_key ON op_rows(match_key, kind);"
	"CREATE INDEX op_rows_open ON op_rows(kind, day)"
	" WHERE cleared_by IS NULL;";
/* 16: the day each financed share was granted (kassavirta), so that
 * Noja's payout settles only the shares it can be for (ledger/
 * financing.c); rows of older files keep NULL, financed earlier. */
static const char v16_financing_day[] =
	"ALTER TABLE financing ADD COLUMN day TEXT;";

/* 17: what every matched payment writes, with fewer B-trees.  A
 * reconciliation item is known by its key alone: the table is that key
 * (WITHOUT ROWID), not a row and an index of the same columns.  The
 * suggestions for a payment in suspense look only at open invoices, so
 * the index of open amounts holds those alone: a payment in full takes
 * its invoice out of it instead of moving it.  A payment's reference
 * was in two indexes (all payments by it; those a correction could
 * reverse by account, it and amount): one index of the three columns
 * answers both. */
static const char v17_recon_item[] =
	"CREATE TABLE recon_item_v17 ("
	" kind TEXT NOT NULL CHECK (kind IN ('entry', 'pay')),"
	" account_iban TEXT NOT NULL,"
	" day TEXT NOT NULL,"
	" archive_id TEXT NOT NULL,"
	" amount INTEGER NOT NULL,"
	" correction INTEGER NOT NULL,"
	" nth INTEGER NOT NULL,"
	" source TEXT,"
	" PRIMARY KEY (kind, account_iban, day, archive_id, amount,"
	"  correction, nth)) WITHOUT ROWID;"
	"INSERT INTO recon_item_v17 (kind, account_iban, day, archive_id,"
	" amount, correction, nth, source) SELECT kind, account_iban, day,"
	" archive_id, amount, correction, nth, source FROM recon_item;"
	"DROP TABLE recon_item;"
	"ALTER TABLE recon_item_v17 RENAME TO recon_item;";

static int has_table(sqlite3 *, const char *, struct diag *);

static int
v17_fewer_trees(sqlite3 *db, struct diag *d)
{
	int t;

	if (db_exec(db, v17_recon_item, d) < 0 ||
	    (t = has_table(db, "invoices", d)) < 0 || (t &&
	    db_exec(db, "DROP INDEX IF EXISTS invoices_open_amount;"
	    " CREATE INDEX invoices_open_amount ON invoices(open_amount)"
	    " WHERE type = 'invoice' AND open_amount > 0", d) < 0) ||
	    (t = has_table(db, "payments", d)) < 0)
		return -1;
	return t ? db_exec(db, "DROP INDEX IF EXISTS payments_reversible;"
	    " DROP INDEX IF EXISTS payments_match_key;"
	    " CREATE INDEX payments_match_key ON payments(match_key,"
	    " account_iban, amount)", d) : 0;
}

/* 18: the payments whose archive id is longer than a KTL file's 16
 * characters (camt.054 gives the bank's id whole), by account and the
 * id's last 16 characters: a KTL payment is found there as the same
 * payment read twice (ledger.c). */
static int
v18_archive_cut(sqlite3 *db, struct diag *d)
{
	int t = has_table(db, "payments", d);

	return t <= 0 ? t : db_exec(db, "CREATE INDEX payments_archive_cut"
	    " ON payments(account_iban, rtrim(substr(archive_id, -16)),"
	    " booking_date, amount) WHERE length(archive_id) > 16", d);
}

/* 19: the index of 18 by the id's last 16 characters with the blanks at
 * both ends dropped, as the KTL reader gives an archive id. */
static int
v19_archive_cut_trim(sqlite3 *db, struct diag *d)
{
	int t = has_table(db, "payments", d);

	return t <= 0 ? t : db_exec(db, "DROP INDEX IF EXISTS"
	    " payments_archive_cut; CREATE INDEX payments_archive_cut"
	    " ON payments(account_iban, trim(substr(archive_id, -16)),"
	    " booking_date, amount) WHERE length(archive_id) > 16", d);
}

/* 20: a payment's reconciliation item is stored under its archive id's
 * last 16 characters with the blanks at both ends dropped, the id a KTL
 * file gives, so that the payment read from KTL and read whole from a
 * camt.054 is one item (reconcile.c).  An older item of a longer id
 * takes that form; one whose cut form is there already is the same
 * payment counted twice, and goes. */
static const char v20_recon_cut[] =
	"UPDATE OR IGNORE recon_item SET archive_id ="
	" trim(substr(archive_id, -16)) WHERE kind = 'pay' AND"
	" length(archive_id) > 16;"
	"DELETE FROM recon_item WHERE kind = 'pay' AND"
	" length(archive_id) > 16;";

static int
v20_recon_cut_fn(sqlite3 *db, struct diag *d)
{
	int t = has_table(db, "recon_item", d);

	return t <= 0 ? t : db_exec(db, v20_recon_cut, d);
}

/* 21: an invoice number may come back with another invoice date, and
 * the duplicate-number rule (1) gives that invoice an assignment of its
 * own (route/route.c), so the ledger keeps an invoice by its number,
 * type and date, not by number and type.  SQLite keeps a table's UNIQUE
 * as the table was made, so the table is made again: the old one is
 * renamed away without the other tables' references following it
 * (foreign keys off, db_migrate(), and legacy_alter_table), the new one
 * takes every row under the same id, and the old one goes with its
 * indexes, made again on the new one. */
static const char v21_invoice_dates[] =
	"DROP INDEX IF EXISTS invoices_match_key;"
	"DROP INDEX IF EXISTS invoices_unlinked;"
	"DROP INDEX IF EXISTS invoices_credited_id;"
	"DROP INDEX IF EXISTS invoices_open_amount;"
	"PRAGMA legacy_alter_table = ON;"
	"ALTER TABLE invoices RENAME TO invoices_v20;"
	"PRAGMA legacy_alter_table = OFF;"
	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY,"
	"  invoice_no TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit')),"
	"  invoice_date TEXT,"
	"  due_date TEXT,"
	"  reference TEXT,"
	"  match_key TEXT,"
	"  service TEXT NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  credited INTEGER NOT NULL DEFAULT 0,"
	"  paid INTEGER NOT NULL DEFAULT 0,"
	"  over INTEGER NOT NULL DEFAULT 0,"
	"  open_amount INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  buyer_id TEXT,"
	"  buyer_name TEXT,"
	"  credited_invoice_no TEXT,"
	"  credited_id INTEGER REFERENCES invoices(id),"
	"  source TEXT,"
	"  run_id INTEGER REFERENCES runs(id));"
	"INSERT INTO invoices (id, invoice_no, type, invoice_date, due_date,"
	"  reference, match_key, service, total, credited, paid, over,"
	"  open_amount, status, buyer_id, buyer_name, credited_invoice_no,"
	"  credited_id, source, run_id)"
	" SELECT id, invoice_no, type, invoice_date, due_date, reference,"
	"  match_key, service, total, credited, paid, over, open_amount,"
	"  status, buyer_id, buyer_name, credited_invoice_no, credited_id,"
	"  source, run_id FROM invoices_v20;"
	"DROP TABLE invoices_v20;"
	"CREATE UNIQUE INDEX invoices_number ON invoices(invoice_no, type,"
	"  coalesce(invoice_date, ''));"
	"CREATE INDEX invoices_match_key ON invoices(match_key,"
	"  open_amount <= 0, id)"
	"  WHERE type = 'invoice';"
	"CREATE INDEX invoices_unlinked ON invoices(credited_invoice_no)"
	"  WHERE type = 'credit' AND credited_id IS NULL;"
	"CREATE INDEX invoices_credited_id ON invoices(credited_id)"
	"  WHERE credited_id IS NOT NULL;"
	"CREATE INDEX invoices_open_amount ON invoices(open_amount)"
	"  WHERE type = 'invoice' AND open_amount > 0;";

static int
v21_invoice_dates_fn(sqlite3 *db, struct diag *d)
{
	int64_t fk;
	int t = has_table(db, "invoices", d);

	if (t <= 0)
		return t;
	/* with foreign keys on, the other tables' references would follow
	 * the renamed table and name one that goes */
	if (db_int(db, "PRAGMA foreign_keys", 0, 0, &fk, d) < 0)
		return -1;
	if (fk) {
		diag_set(d, db_path(db), 0, 0, "ledger: schema version 21 is "
		    "made with foreign keys off, outside a transaction");
		return -1;
	}
	return db_exec(db, v21_invoice_dates, d);
}

/* 22: routed assignments by the invoice's own reference: a payment of a
 * factoring invoice's own reference finds the invoice the ledger keeps
 * under the factoring reference (match.c). */
static const char v22_own_reference[] =
	"CREATE INDEX IF NOT EXISTS assignments_own_reference ON"
	" assignments(reference) WHERE action = 'route';";

/* 23: the files a run wrote after its inputs (the notices for the
 * service, out/notices/), for its report (spool/spool.c). */
static const char v23_finish_outputs[] =
	"CREATE TABLE IF NOT EXISTS spool_finish_output ("
	" run INTEGER NOT NULL REFERENCES spool_run(id),"
	" seq INTEGER NOT NULL,"
	" dest TEXT NOT NULL,"
	" PRIMARY KEY (run, seq));";

/* 24: the vouchers a move out of a run wrote (allocate, unallocate):
 * with the spool's, the count that numbers the next voucher, so that
 * no two vouchers of a ledger share a number. */
static const char v24_move_vouchers[] =
	"CREATE TABLE IF NOT EXISTS move_vouchers ("
	" run_id INTEGER PRIMARY KEY REFERENCES runs(id),"
	" first INTEGER NOT NULL,"
	" n INTEGER NOT NULL);";

/* 25: payments with archive ids the camt reader made from their place
 * (payments.placed) and the other payment each stands for
 * (payments.claimed_*): a collective camt.054 entry's transactions
 * without ids of their own, and the KTL of the same payments, are one
 * payment each, paired one to one (ledger.c, ledger_add_payment()). */
static const char v25_claims[] =
	"ALTER TABLE payments ADD COLUMN placed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE payments ADD COLUMN claimed_archive_id TEXT;"
	"ALTER TABLE payments ADD COLUMN claimed_source TEXT;";
static const char v25_claims_index[] =
	"CREATE INDEX IF NOT EXISTS payments_claimed ON"
	" payments(claimed_archive_id, account_iban)"
	" WHERE claimed_archive_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS payments_placed ON payments(id)"
	" WHERE placed = 1;";

static int
v25_claims_fn(sqlite3 *db, struct diag *d)
{
	sqlite3_stmt *st, *up;
	int t = has_table(db, "payments", d), rc;
	int64_t has;

	if (t <= 0)
		return t;
	/* a file that has the columns already (made again from a current
	 * one) keeps them */
	if (db_int(db, "SELECT count(*) FROM pragma_table_info('payments')"
	    " WHERE name = 'placed'", 0, 0, &has, d) < 0)
		return -1;
	if ((has == 0 && db_exec(db, v25_claims, d) < 0) ||
	    db_exec(db, v25_claims_index, d) < 0)
		return -1;
	if ((st = db_prepare(db, "SELECT id, archive_id FROM payments"
	    " WHERE archive_id LIKE '%/%'", d)) == NULL)
		return -1;
	if ((up = db_prepare(db, "UPDATE payments SET placed = 1 WHERE"
	    " id = ?", d)) == NULL) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = db_step(st, d, "placed archive ids")) == 1) {
		if (!archive_id_placed((const char *)sqlite3_column_text(st,
		    1)))
			continue;
		sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0));
		if (db_step(up, d, "placed archive ids") < 0) {
			rc = -1;
			break;
		}
		sqlite3_reset(up);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc < 0 ? -1 : 0;
}

/* A file of an earlier version may hold op-laskulaina payments already,
 * which op_flow did not see.  The virtual account is the one with
 * repayments or interest; its rows with a reference and no such
 * allocation are taken as customer payments (a TILITYS row cannot be
 * told from one there, so what was forwarded is over-counted, as the
 * earlier versions did: any money there made a remainder), and the
 * remainders taken are noted. */
static const char v14_op_flow_fill[] =
	"INSERT INTO op_flow (payment_id, match_key, kind, amount)"
	" SELECT p.id, p.match_key, CASE WHEN EXISTS (SELECT 1 FROM"
	"  allocations a WHERE a.payment_id = p.id AND a.outcome IN"
	"  ('repayment', 'loan-interest')) THEN 'out' ELSE 'in' END, p.amount"
	" FROM payments p WHERE p.correction = 0 AND p.amount > 0 AND"
	" coalesce(p.match_key, '') <> '' AND p.account_iban IN (SELECT"
	"  q.account_iban FROM payments q JOIN allocations a ON a.payment_id"
	"  = q.id WHERE a.outcome IN ('repayment', 'loan-interest'));"
	"INSERT INTO op_flow (payment_id, match_key, kind, amount)"
	" SELECT a.payment_id, p.match_key, 'remainder', sum(a.amount)"
	" FROM allocations a JOIN payments p ON p.id = a.payment_id"
	" WHERE (a.outcome = 'remainder' OR (a.outcome = 'reversed' AND"
	"  a.reverses = 'remainder')) AND coalesce(p.match_key, '') <> ''"
	" GROUP BY a.payment_id HAVING sum(a.amount) > 0;";

static int
v14_op_flow_fn(sqlite3 *db, struct diag *d)
{
	int t;

	if (db_exec(db, v14_op_flow, d) < 0)
		return -1;
	if ((t = has_table(db, "allocations", d)) < 0)
		return -1;
	return t ? db_exec(db, v14_op_flow_fill, d) : 0;
}

/* 3: the digest of the inv record a decision was made on; old rows keep
 * NULL and are matched on their source alone.  A file whose assignments
 * got the column before the list existed is left as it is. */
static int
v3_digest(sqlite3 *db, struct diag *d)
{
	int64_t n;

	if (db_int(db, "SELECT count(*) FROM pragma_table_info("
	    "'assignments') WHERE name = 'digest'", 0, 0, &n, d) < 0)
		return -1;
	if (n > 0)
		return 0;
	return db_exec(db, "ALTER TABLE assignments ADD COLUMN digest TEXT",
	    d);
}

/* 9: the suspense workflow (ledger/suspense.c): the date an allocation
 * is posted on when it is not the payment's booking date (an allocation
 * made later: by allocate, unallocate, or the match of a payment in
 * suspense when its invoice arrives), and the journal of those moves.
 * A version 1 file made by the modules alone has no ledger tables: only
 * what is there is changed. */
static int
has_table(sqlite3 *db, const char *name, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = ?", d);
	int rc, n = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = db_step(st, d, "schema")) == 1)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : n > 0;
}

static int
v9_suspense(sqlite3 *db, struct diag *d)
{
	int t;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS suspense_moves ("
	    " id INTEGER PRIMARY KEY,"
	    " run_id INTEGER REFERENCES runs(id),"
	    " day TEXT NOT NULL,"
	    " action TEXT NOT NULL"
	    "  CHECK (action IN ('allocate', 'unallocate', 'rematch')),"
	    " payment_id INTEGER NOT NULL REFERENCES payments(id),"
	    " invoice_id INTEGER NOT NULL REFERENCES invoices(id),"
	    " amount INTEGER NOT NULL,"
	    " first_alloc INTEGER NOT NULL,"
	    " last_alloc INTEGER NOT NULL)", d) < 0)
		return -1;
	if ((t = has_table(db, "allocations", d)) < 0 || (t &&
	    db_exec(db, "ALTER TABLE allocations ADD COLUMN posting_date TEXT",
	    d) < 0))
		return -1;
	if ((t = has_table(db, "payments", d)) < 0 || (t &&
	    db_exec(db, "CREATE INDEX IF NOT EXISTS payments_match_key"
	    " ON payments(match_key); CREATE INDEX IF NOT EXISTS"
	    " payments_archive_id ON payments(archive_id)", d) < 0))
		return -1;
	if ((t = has_table(db, "invoices", d)) < 0 || (t &&
	    db_exec(db, "CREATE INDEX IF NOT EXISTS invoices_open_amount"
	    " ON invoices(open_amount)", d) < 0))
		return -1;
	return 0;
}

static const struct migration {
	int version;
	const char *sql;		/* or */
	int (*fn)(sqlite3 *db, struct diag *d);
} migrations[] = {
	{ 1, v1_ledger, NULL },
	{ 2, v2_assignments, NULL },
	{ 3, NULL, v3_digest },
	{ 4, v4_notices, NULL },
	{ 5, v5_spool, NULL },
	{ 7, v7_factoring, NULL },
	{ 8, v8_deferred_notices, NULL },
	{ 9, NULL, v9_suspense },
	{ 10, v10_reconcile, NULL },
	{ 11, v11_run_batches, NULL },
	{ 12, v12_recon_codes, NULL },
	{ 13, v13_recon_open, NULL },
	{ 14, NULL, v14_op_flow_fn },
	{ 15, v15_op_rows, NULL },
	{ 16, v16_financing_day, NULL },
	{ 17, NULL, v17_fewer_trees },
	{ 18, NULL, v18_archive_cut },
	{ 19, NULL, v19_archive_cut_trim },
	{ 20, NULL, v20_recon_cut_fn },
	{ 21, NULL, v21_invoice_dates_fn },
	{ 22, v22_own_reference, NULL },
	{ 23, v23_finish_outputs, NULL },
	{ 24, v24_move_vouchers, NULL },
	{ 25, NULL, v25_claims_fn },
};

/* The statements db_cached() keeps, of every connection. */
static struct cached {
	sqlite3 *db;
	const char *sql;
	sqlite3_stmt *st;
} cache[64];

sqlite3_stmt *
db_cached(sqlite3 *db, const char *sql, struct diag *d)
{
	size_t i, free_slot = sizeof cache / sizeof cache[0];

	for (i = 0; i < sizeof cache / sizeof cache[0]; i++) {
		if (cache[i].db == db && cache[i].sql == sql)
			return cache[i].st;
		if (cache[i].db == NULL && free_slot == sizeof cache /
		    sizeof cache[0])
			free_slot = i;
	}
	if (free_slot == sizeof cache / sizeof cache[0])
		return db_prepare(db, sql, d);	/* full: not kept */
	if ((cache[free_slot].st = db_prepare(db, sql, d)) == NULL)
		return NULL;
	cache[free_slot].db = db;
	cache[free_slot].sql = sql;
	return cache[free_slot].st;
}

void
db_release(sqlite3_stmt *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < sizeof cache / sizeof cache[0]; i++)
		if (cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);	/* one the full cache did not keep */
}

void
db_close(sqlite3 *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < sizeof cache / sizeof cache[0]; i++)
		if (cache[i].db == db) {
			sqlite3_finalize(cache[i].st);
			memset(&cache[i], 0, sizeof cache[i]);
		}
	sqlite3_close(db);
}

int
db_version(sqlite3 *db, int *version, struct diag *d)
{
	int64_t n, v = 0;

	if (db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = "
	    "'table' AND name = 'schema_version'", 0, 0, &n, d) < 0)
		return -1;
	if (n > 0 && db_int(db, "SELECT coalesce(max(version), 0) FROM "
	    "schema_version", 0, 0, &v, d) < 0)
		return -1;
	*version = (int)v;
	return 0;
}

static int
newer(sqlite3 *db, int version, struct diag *d)
{
	diag_set(d, db_path(db), 0, 0, "ledger schema version %d is newer "
	    "than this program's (%d); use the reskontra that wrote it",
	    version, DB_SCHEMA_VERSION);
	return -1;
}

/* The steps after version, in the caller's transaction. */
static int
apply(sqlite3 *db, int version, struct diag *d)
{
	char sql[96];
	size_t i;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version INTEGER NOT NULL)", d) < 0)
		return -1;
	for (i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		const struct migration *m = &migrations[i];

		if (m->version <= version)
			continue;
		if (m->sql != NULL ? db_exec(db, m->sql, d) < 0 :
		    m->fn(db, d) < 0)
			return -1;
	}
	snprintf(sql, sizeof sql, "DELETE FROM schema_version; INSERT INTO "
	    "schema_version VALUES (%d)", DB_SCHEMA_VERSION);
	return db_exec(db, sql, d);
}

/* After the steps made with foreign keys off: every reference holds. */
static int
foreign_keys_hold(sqlite3 *db, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(db, "PRAGMA foreign_key_check", d);
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st, d, "foreign key check")) == 1) {
		diag_set(d, db_path(db), 0, 0, "ledger: after the schema "
		    "steps, table %s has a row whose reference to %s does not "
		    "hold; the file is left as it was",
		    (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 2));
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int
db_next_voucher(sqlite3 *db, long *next, struct diag *d)
{
	int64_t n;

	if (db_int(db, "SELECT (SELECT coalesce(sum(n), 0) FROM spool_count"
	    " WHERE what = 'vouchers') + (SELECT coalesce(sum(n), 0) FROM"
	    " move_vouchers)", 0, 0, &n, d) < 0)
		return -1;
	*next = (long)n + 1;
	return 0;
}

int
db_migrate(sqlite3 *db, struct diag *d)
{
	int version, outer = sqlite3_get_autocommit(db);
	struct diag ignored;

	if (db_version(db, &version, d) < 0)
		return -1;
	if (version > DB_SCHEMA_VERSION)
		return newer(db, version, d);
	if (version == DB_SCHEMA_VERSION)
		return 0;
	/* A step that makes a table again needs foreign keys off (a
	 * setting a transaction cannot change); they are on again after. */
	if (outer && db_exec(db, "PRAGMA foreign_keys = OFF", d) < 0)
		return -1;
	if (db_exec(db, outer ? "BEGIN IMMEDIATE" : "SAVEPOINT db_migrate",
	    d) < 0)
		goto on;
	/* Read again under the write lock: another process may have
	 * migrated the file meanwhile. */
	if (db_version(db, &version, d) < 0)
		goto fail;
	if (version > DB_SCHEMA_VERSION) {
		newer(db, version, d);
		goto fail;
	}
	if (version < DB_SCHEMA_VERSION && apply(db, version, d) < 0)
		goto fail;
	if (outer && foreign_keys_hold(db, d) < 0)
		goto fail;
	if (db_exec(db, outer ? "COMMIT" : "RELEASE db_migrate", d) < 0)
		goto on;
	return outer ? db_exec(db, "PRAGMA foreign_keys = ON", d) : 0;
fail:
	db_exec(db, outer ? "ROLLBACK" : "ROLLBACK TO db_migrate; "
	    "RELEASE db_migrate", &ignored);
on:
	if (outer)
		db_exec(db, "PRAGMA foreign_keys = ON", &ignored);
	return -1;
}

/*
 * The library's process-wide settings, made before its first use: the
 * program uses SQLite from one thread only, so no mutexes; no memory
 * statistics (each allocation would otherwise take a global mutex and
 * count).  sqlite3_config() refuses once the library is initialised, so
 * later calls change nothing.  (A private small-block allocator for
 * SQLite was measured at 7% of a payment and left out: it would hide
 * SQLite's memory from the sanitizers.)
 */
static void
configure_sqlite(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * path with its directory resolved (realpath(3)) and its last name kept:
 * SQLite's NOFOLLOW refuses a link anywhere in the name it is given,
 * and a spool or ledger directory reached through a link (SPOOL ->
 * /data/acme) is an ordinary deployment.  Only the ledger file itself
 * must not be a link.  A directory that cannot be resolved leaves path
 * as it is, for SQLite to say why it cannot open it.  Caller frees.
 */
static char *
resolved_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct sbuf b = SBUF_INIT;
	char *dir, *real;

	if (slash == NULL)
		return xstrdup(path);
	dir = slash == path ? xstrdup("/") : xstrndup(path, slash - path);
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return xstrdup(path);
	sbuf_addf(&b, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/",
	    slash + 1);
	free(real);
	return b.data;
}

int
db_open(const char *path, sqlite3 **out, struct diag *d)
{
	sqlite3 *db = NULL;
	struct stat st;
	char *real;
	int rc;

	*out = NULL;
	configure_sqlite();
	/* NOFOLLOW: a ledger file that is a symbolic link is refused. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		diag_set(d, path, 0, 0, "cannot open ledger: it is a symbolic "
		    "link; the ledger must be a regular file");
		return -1;
	}
	real = resolved_dir(path);
	rc = sqlite3_open_v2(real, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
	    NULL);
	free(real);
	if (rc != SQLITE_OK) {
		diag_set(d, path, 0, 0, "cannot open ledger: %s",
		    db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	/* A second job waits for the first instead of failing. */
	sqlite3_busy_timeout(db, 30000);
	/* page_size only takes on a new file (before WAL is set): 16 KiB
	 * pages mean a quarter of the page reads, writes and checkpoint
	 * copies of the default 4 KiB.  synchronous=FULL: a commit is on
	 * disk before the renames that follow it, so a power cut cannot
	 * undo a commit whose outputs are already visible. */
	if (db_exec(db, "PRAGMA page_size = 16384", d) < 0 ||
	    db_exec(db, "PRAGMA journal_mode = WAL", d) < 0 ||
	    db_exec(db, "PRAGMA synchronous = FULL", d) < 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON", d) < 0 ||
	    db_exec(db, "PRAGMA cache_size = -65536", d) < 0 ||
	    db_migrate(db, d) < 0)
		goto fail;
	*out = db;
	return 0;
fail:
	db_close(db);	/* and the statements the migrations kept */
	return -1;
}

/* Bind a copy of s.  SQLite copies it with its own allocator; when that
 * fails the parameter would silently stay NULL and a row be stored
 * without the value, so running out of memory here aborts like the
 * x-wrappers (base/util.h). */
static void
bind_copy(sqlite3_stmt *st, int i, const char *s)
{
	if (sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) == SQLITE_NOMEM)
		oom(strlen(s) + 1);
}

void
db_bind_copy(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		bind_copy(st, i, s);
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		bind_copy(st, i, s);
}

void
db_bind_date(sqlite3_stmt *st, int i, day_t day)
{
	char buf[DATE_BUFSZ];

	if (day == DAY_NONE)
		sqlite3_bind_null(st, i);
	else
		bind_copy(st, i, date_format(day, buf));
}

const char *
db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

day_t
db_col_date(sqlite3_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	day_t day;

	if (*s == '\0' || date_parse_iso(s, strlen(s), &day) < 0)
		return DAY_NONE;
	return day;
}
