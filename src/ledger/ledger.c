/*
 * ledger: rows in and out of the SQLite receivables ledger.  See ledger.h
 * and formats/ledger.md (the schema, for operators who open the file).
 *
 * Every statement is prepared once when the ledger is opened and reset
 * after use, so a payment costs a handful of indexed B-tree lookups and
 * no parsing.  The file's schema (all of it, not only these tables) is
 * ledger/db.c's migration list, run by db_open().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"
#include "ledger/db.h"
#include "base/ident.h"
#include "ledger/ledger.h"

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_RUN_START, S_RUN_FINISH,
	S_INV_BY_NO, S_CREDIT_BY_NO, S_INV_BY_NO_DATE, S_CREDIT_BY_NO_DATE,
	S_INV_BY_ID, S_INV_BY_KEY, S_INV_UNLINKED,
	S_INV_INSERT, S_INV_UPDATE, S_INV_PAID,
	S_PAY_INSERT, S_PAY_DUP, S_PAY_CUT_OF, S_PAY_CUT_TO,
	S_PAY_ANY_PLACED, S_PAY_CLAIMED, S_PAY_PAIR, S_PAY_CLAIM, S_PAY_DROP,
	S_PAY_SEEN,
	S_PAY_REVERSIBLE, S_PAY_MARK,
	S_ALLOC_OF_PAY, S_ALLOC_INSERT, S_EVENT,
	S_COUNT
};

#define INV_COLS "id, type, invoice_no, reference, match_key, buyer_id, " \
	"credited_invoice_no, credited_id, invoice_date, due_date, total, " \
	"credited, paid, over, open_amount, status"

static const char *const sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_RUN_START] = "INSERT INTO runs (started, command, inputs) VALUES "
	    "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
	[S_RUN_FINISH] = "UPDATE runs SET finished = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), result = ?2 WHERE id = ?1",
	/* the type a literal: bound, it would make SQLite plan the
	 * statement again at each call, to see whether a partial index of
	 * the table (WHERE type = ...) may serve */
	[S_INV_BY_NO] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE invoice_no = ?1 AND type = 'invoice' ORDER BY id DESC "
	    "LIMIT 1",
	[S_CREDIT_BY_NO] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE invoice_no = ?1 AND type = 'credit' ORDER BY id DESC "
	    "LIMIT 1",
	[S_INV_BY_NO_DATE] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE invoice_no = ?1 AND type = 'invoice' AND "
	    "coalesce(invoice_date, '') = coalesce(?2, '')",
	[S_CREDIT_BY_NO_DATE] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE invoice_no = ?1 AND type = 'credit' AND "
	    "coalesce(invoice_date, '') = coalesce(?2, '')",
	[S_INV_BY_ID] = "SELECT " INV_COLS " FROM invoices WHERE id = ?1",
	[S_INV_BY_KEY] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE match_key = ?1 AND type = 'invoice' "
	    "ORDER BY open_amount <= 0, id LIMIT ?2",
	[S_INV_UNLINKED] = "SELECT " INV_COLS " FROM invoices "
	    "WHERE credited_invoice_no = ?1 AND type = 'credit' "
	    "AND credited_id IS NULL ORDER BY id LIMIT 1",
	[S_INV_INSERT] = "INSERT OR IGNORE INTO invoices (invoice_no, type, "
	    "invoice_date, due_date, reference, match_key, service, total, "
	    "credited, paid, over, open_amount, status, buyer_id, buyer_name, "
	    "credited_invoice_no, credited_id, source, run_id) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18, ?19)",
	[S_INV_UPDATE] = "UPDATE invoices SET credited_id = ?2, credited = ?3,"
	    " paid = ?4, over = ?5, open_amount = ?6, status = ?7 "
	    "WHERE id = ?1",
	/* what a payment changes: no credit note link, so neither the
	 * credited_id indexes nor its foreign key are touched */
	[S_INV_PAID] = "UPDATE invoices SET paid = ?2, over = ?3, "
	    "open_amount = ?4, status = ?5 WHERE id = ?1",
	[S_PAY_INSERT] = "INSERT OR IGNORE INTO payments (account_iban, "
	    "archive_id, booking_date, payment_date, amount, reference, "
	    "match_key, payer_name, correction, source, run_id, placed) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_PAY_DUP] = "SELECT id, source FROM payments WHERE account_iban = ?1 "
	    "AND archive_id = ?2 AND booking_date = ?3 AND amount = ?4 "
	    "AND correction = ?5",
	/* the same payment under the archive id cut to its last 16
	 * characters (KTL) and under the whole one (camt): ?2 is the cut
	 * one, the row the whole one; then the other way round */
	[S_PAY_CUT_OF] = "SELECT id, source FROM payments WHERE "
	    "length(archive_id) > 16 AND account_iban = ?1 AND "
	    "trim(substr(archive_id, -16)) = ?2 AND booking_date = ?3 AND "
	    "amount = ?4 AND correction = ?5 ORDER BY id LIMIT 1",
	[S_PAY_CUT_TO] = "SELECT id, source FROM payments WHERE "
	    "archive_id = trim(substr(?2, -16)) AND account_iban = ?1 AND "
	    "booking_date = ?3 AND amount = ?4 AND correction = ?5 "
	    "ORDER BY id LIMIT 1",
	/* a collective camt.054 entry's payments named by their place and
	 * the KTL of the same payments (ledger_add_payment()) */
	[S_PAY_ANY_PLACED] = "SELECT EXISTS (SELECT 1 FROM payments "
	    "WHERE placed = 1)",
	[S_PAY_CLAIMED] = "SELECT id, source FROM payments WHERE "
	    "claimed_archive_id = ?2 AND account_iban = ?1 AND "
	    "booking_date = ?3 AND amount = ?4 AND correction = ?5 LIMIT 1",
	[S_PAY_PAIR] = "SELECT id, source FROM payments WHERE match_key = ?2 "
	    "AND account_iban = ?1 AND booking_date = ?3 AND amount = ?4 AND "
	    "correction = ?5 AND placed = ?6 AND claimed_archive_id IS NULL "
	    "AND id <> ?7 ORDER BY id LIMIT 1",
	/* another payment of an archive id, amount and reference, of
	 * another day (ledger_archive_id_seen()) */
	[S_PAY_SEEN] = "SELECT coalesce(booking_date, ''), amount, "
	    "coalesce(source, '') FROM payments WHERE archive_id = ?1 AND "
	    "account_iban = ?2 AND correction = 0 AND id <> ?3 AND "
	    "amount = ?4 AND coalesce(reference, '') = ?5 AND "
	    "reversed_by IS NULL ORDER BY id LIMIT 1",
	[S_PAY_CLAIM] = "UPDATE payments SET claimed_archive_id = ?2, "
	    "claimed_source = ?3 WHERE id = ?1",
	[S_PAY_DROP] = "DELETE FROM payments WHERE id = ?1",
	[S_PAY_REVERSIBLE] = "SELECT id FROM payments WHERE account_iban = ?1 "
	    "AND match_key = ?2 AND amount = ?3 AND correction = 0 "
	    "AND reversed_by IS NULL ORDER BY id DESC LIMIT 1",
	[S_PAY_MARK] = "UPDATE payments SET reversed_by = "
	    "CASE WHEN id = ?1 THEN ?2 ELSE reversed_by END, reverses = "
	    "CASE WHEN id = ?2 THEN ?1 ELSE reverses END WHERE id IN (?1, ?2)",
	[S_ALLOC_OF_PAY] = "SELECT id, invoice_id, amount, outcome, "
	    "reverses FROM allocations WHERE payment_id = ?1 ORDER BY id",
	[S_ALLOC_INSERT] = "INSERT INTO allocations (payment_id, invoice_id, "
	    "credit_id, reverses_id, amount, outcome, open_after, reason, "
	    "reverses, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10)",
	[S_EVENT] = "INSERT INTO events (run_id, source, kind, key, event, "
	    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

struct ledger {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[S_COUNT];
	int64_t run_id;
};

static void
finish(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* buf (DATE_BUFSZ bytes) holds the text until the statement has run:
 * no copy is made. */
static void
bind_date(sqlite3_stmt *st, int i, day_t day, char *buf)
{
	if (day == DAY_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, date_format(day, buf), -1,
		    SQLITE_STATIC);
}

static void
bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, id);
}

/* the column readers of ledger/db.h, by their short names here */
#define col_text db_col_text
#define col_date db_col_date

/* Copy src into dst (size bytes), cut short if it does not fit. */
static void
copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Read the INV_COLS of the current row. */
static void
read_invoice(sqlite3_stmt *st, struct ledger_invoice *inv)
{
	memset(inv, 0, sizeof *inv);
	inv->id = sqlite3_column_int64(st, 0);
	inv->is_credit = strcmp(col_text(st, 1), "credit") == 0;
	copy(inv->invoice_no, sizeof inv->invoice_no, col_text(st, 2));
	copy(inv->reference, sizeof inv->reference, col_text(st, 3));
	copy(inv->match_key, sizeof inv->match_key, col_text(st, 4));
	copy(inv->buyer_id, sizeof inv->buyer_id, col_text(st, 5));
	copy(inv->credited_invoice_no, sizeof inv->credited_invoice_no,
	    col_text(st, 6));
	inv->credited_id = sqlite3_column_int64(st, 7);
	inv->invoice_date = col_date(st, 8);
	inv->due_date = col_date(st, 9);
	inv->total = sqlite3_column_int64(st, 10);
	inv->credited = sqlite3_column_int64(st, 11);
	inv->paid = sqlite3_column_int64(st, 12);
	inv->over = sqlite3_column_int64(st, 13);
	inv->open_amount = sqlite3_column_int64(st, 14);
	copy(inv->status, sizeof inv->status, col_text(st, 15));
}

int
ledger_open(const char *path, struct ledger **out, struct diag *d)
{
	struct ledger *l = xcalloc(1, sizeof *l);
	int i;

	*out = NULL;
	l->path = xstrdup(path);
	if (db_open(path, &l->db, d) < 0)
		goto fail;
	for (i = 0; i < S_COUNT; i++)
		if (sqlite3_prepare_v3(l->db, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &l->st[i], NULL) != SQLITE_OK) {
			db_error(l->db, d, "prepare");
			goto fail;
		}
	*out = l;
	return 0;
fail:
	ledger_close(l);
	return -1;
}

void
ledger_close(struct ledger *l)
{
	int i;

	if (l == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(l->st[i]);
	db_close(l->db);
	free(l->path);
	free(l);
}

int
ledger_run_start(struct ledger *l, const char *command, const char *inputs,
    struct diag *d)
{
	sqlite3_stmt *st = l->st[S_RUN_START];

	bind_text(st, 1, command);
	bind_text(st, 2, inputs);
	if (db_done(st, d, "run") < 0)
		return -1;
	l->run_id = sqlite3_last_insert_rowid(l->db);
	return 0;
}

int64_t
ledger_run_id(const struct ledger *l)
{
	return l->run_id;
}

int
ledger_run_finish(struct ledger *l, const char *result, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_RUN_FINISH];

	sqlite3_bind_int64(st, 1, l->run_id);
	bind_text(st, 2, result);
	return db_done(st, d, "run");
}

int
ledger_begin(struct ledger *l, struct diag *d)
{
	return db_done(l->st[S_BEGIN], d, "begin");
}

int
ledger_commit(struct ledger *l, struct diag *d)
{
	return db_done(l->st[S_COMMIT], d, "commit");
}

int
ledger_rollback(struct ledger *l)
{
	struct diag ignored;

	if (sqlite3_get_autocommit(l->db))
		return 0;
	return db_done(l->st[S_ROLLBACK], &ignored, "rollback");
}

void
ledger_invoice_settle(struct ledger_invoice *inv)
{
	const char *s;

	if (inv->is_credit) {
		inv->open_amount = inv->credited_id ? 0 : inv->total;
		s = inv->credited_id ? "linked" : "unlinked";
	} else {
		inv->open_amount = inv->total + inv->credited - inv->paid;
		if (inv->open_amount > 0)
			s = inv->paid == 0 ? "open"
			    : "partial";
		else if (inv->open_amount < 0 || inv->over > 0)
			s = "over";
		else if (inv->paid == 0 && inv->credited != 0)
			s = "credited";
		else
			s = "paid";
	}
	copy(inv->status, sizeof inv->status, s);
}

/* Run a SELECT of INV_COLS; up to max rows into out.  Returns the count. */
static int
select_invoices(struct ledger *l, sqlite3_stmt *st,
    struct ledger_invoice *out, int max, struct diag *d)
{
	int n = 0, rc = 0;

	while (n < max && (rc = db_step(st, d, "invoice lookup")) == 1)
		read_invoice(st, &out[n++]);
	finish(st);
	return rc < 0 ? -1 : n;
}

int
ledger_find_invoice(struct ledger *l, const char *invoice_no, int is_credit,
    struct ledger_invoice *out, struct diag *d)
{
	sqlite3_stmt *st = l->st[is_credit ? S_CREDIT_BY_NO : S_INV_BY_NO];

	bind_text(st, 1, invoice_no);
	return select_invoices(l, st, out, 1, d);
}

int
ledger_find_dated_invoice(struct ledger *l, const char *invoice_no,
    int is_credit, day_t invoice_date, struct ledger_invoice *out,
    struct diag *d)
{
	sqlite3_stmt *st = l->st[is_credit ? S_CREDIT_BY_NO_DATE :
	    S_INV_BY_NO_DATE];
	char date[DATE_BUFSZ];

	bind_text(st, 1, invoice_no);
	bind_date(st, 2, invoice_date, date);
	return select_invoices(l, st, out, 1, d);
}

int
ledger_invoice_dates(struct ledger *l, const char *invoice_no, int is_credit,
    struct sbuf *dates, struct diag *d)
{
	static const char q[] = "SELECT invoice_date FROM invoices"
	    " WHERE invoice_no = ?1 AND type = ?2 ORDER BY id";
	sqlite3_stmt *st = db_cached(l->db, q, d);
	int rc, n = 0;

	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, invoice_no);
	db_bind_copy(st, 2, is_credit ? "credit" : "invoice");
	while ((rc = db_step(st, d, "invoice dates")) == 1) {
		const char *t = db_col_text(st, 0);

		sbuf_addf(dates, "%s%s", n++ ? ", " : "", *t ? t : "none");
	}
	db_release(st);
	return rc < 0 ? -1 : n;
}

int
ledger_get_invoice(struct ledger *l, int64_t id, struct ledger_invoice *out,
    struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_BY_ID];

	sqlite3_bind_int64(st, 1, id);
	return select_invoices(l, st, out, 1, d);
}

int
ledger_find_by_key(struct ledger *l, const char *key,
    struct ledger_invoice *out, int max, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_BY_KEY];

	bind_text(st, 1, key);
	sqlite3_bind_int(st, 2, max);
	return select_invoices(l, st, out, max, d);
}

int
ledger_find_unlinked_credit(struct ledger *l, const char *invoice_no,
    struct ledger_invoice *out, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_UNLINKED];

	bind_text(st, 1, invoice_no);
	return select_invoices(l, st, out, 1, d);
}

int
ledger_add_or_get_invoice(struct ledger *l, struct ledger_invoice *inv,
    int other_dates, const char *service, const char *buyer_name,
    const char *source, struct ledger_invoice *old, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_INSERT];
	char date[2][DATE_BUFSZ];
	int rc;

	/* one of the number and another date stops it, unless allowed; one
	 * of this date too is the one to compare with */
	if (!other_dates && (rc = ledger_find_invoice(l, inv->invoice_no,
	    inv->is_credit, old, d)) != 0) {
		if (rc < 0 || old->invoice_date == inv->invoice_date)
			return rc;
		return ledger_find_dated_invoice(l, inv->invoice_no,
		    inv->is_credit, inv->invoice_date, old, d) < 0 ? -1 : 1;
	}
	ledger_invoice_settle(inv);
	bind_text(st, 1, inv->invoice_no);
	bind_text(st, 2, inv->is_credit ? "credit" : "invoice");
	bind_date(st, 3, inv->invoice_date, date[0]);
	bind_date(st, 4, inv->due_date, date[1]);
	bind_text(st, 5, inv->reference);
	bind_text(st, 6, inv->match_key);
	bind_text(st, 7, service);
	sqlite3_bind_int64(st, 8, inv->total);
	sqlite3_bind_int64(st, 9, inv->credited);
	sqlite3_bind_int64(st, 10, inv->paid);
	sqlite3_bind_int64(st, 11, inv->over);
	sqlite3_bind_int64(st, 12, inv->open_amount);
	bind_text(st, 13, inv->status);
	bind_text(st, 14, inv->buyer_id);
	bind_text(st, 15, buyer_name);
	bind_text(st, 16, inv->credited_invoice_no);
	bind_id(st, 17, inv->credited_id);
	bind_text(st, 18, source);
	bind_id(st, 19, l->run_id);
	if (db_done(st, d, "add invoice") < 0)
		return -1;
	if (sqlite3_changes(l->db) == 1) {
		inv->id = sqlite3_last_insert_rowid(l->db);
		return 0;
	}
	/* ignored: the unique key is taken */
	switch (ledger_find_dated_invoice(l, inv->invoice_no, inv->is_credit,
	    inv->invoice_date, old, d)) {
	case 1:
		return 1;
	case 0:
		diag_set(d, l->path, 0, 0, "ledger: add invoice %s: not "
		    "stored and not found", inv->invoice_no);
		/* FALLTHROUGH */
	default:
		return -1;
	}
}

int
ledger_add_invoice(struct ledger *l, struct ledger_invoice *inv,
    const char *service, const char *buyer_name, const char *source,
    struct diag *d)
{
	struct ledger_invoice old;

	switch (ledger_add_or_get_invoice(l, inv, 0, service, buyer_name,
	    source, &old, d)) {
	case 0:
		return 0;
	case 1:
		diag_set(d, l->path, 0, 0, "ledger: add invoice: %s %s is "
		    "already there", inv->is_credit ? "credit note" :
		    "invoice", inv->invoice_no);
		/* FALLTHROUGH */
	default:
		return -1;
	}
}

int
ledger_update_invoice(struct ledger *l, struct ledger_invoice *inv,
    struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_UPDATE];

	ledger_invoice_settle(inv);
	sqlite3_bind_int64(st, 1, inv->id);
	bind_id(st, 2, inv->credited_id);
	sqlite3_bind_int64(st, 3, inv->credited);
	sqlite3_bind_int64(st, 4, inv->paid);
	sqlite3_bind_int64(st, 5, inv->over);
	sqlite3_bind_int64(st, 6, inv->open_amount);
	bind_text(st, 7, inv->status);
	return db_done(st, d, "update invoice");
}

int
ledger_update_paid(struct ledger *l, struct ledger_invoice *inv,
    struct diag *d)
{
	sqlite3_stmt *st = l->st[S_INV_PAID];

	ledger_invoice_settle(inv);
	sqlite3_bind_int64(st, 1, inv->id);
	sqlite3_bind_int64(st, 2, inv->paid);
	sqlite3_bind_int64(st, 3, inv->over);
	sqlite3_bind_int64(st, 4, inv->open_amount);
	bind_text(st, 5, inv->status);
	return db_done(st, d, "update invoice");
}

/* The payment already there that statement which (S_PAY_DUP,
 * S_PAY_CUT_OF, S_PAY_CUT_TO) finds for p: 1 found (its id in
 * p->twin_id, its source in dup_source), 0 none, -1 error. */
static int
find_twin_by(struct ledger *l, enum stmt which, struct ledger_payment *p,
    const char *key, char *dup_source, size_t dup_size, struct diag *d)
{
	sqlite3_stmt *st = l->st[which];
	char date[DATE_BUFSZ];
	int rc;

	bind_text(st, 1, p->account_iban);
	bind_text(st, 2, key);
	bind_date(st, 3, p->booking_date, date);
	sqlite3_bind_int64(st, 4, p->amount);
	sqlite3_bind_int(st, 5, p->correction);
	rc = db_step(st, d, "duplicate payment lookup");
	if (rc == 1) {
		p->twin_id = sqlite3_column_int64(st, 0);
		copy(dup_source, dup_size, col_text(st, 1));
	}
	finish(st);
	return rc;
}

/* The same by p's archive id. */
static int
find_twin(struct ledger *l, enum stmt which, struct ledger_payment *p,
    char *dup_source, size_t dup_size, struct diag *d)
{
	return find_twin_by(l, which, p, p->archive_id, dup_source, dup_size,
	    d);
}

/*
 * A collective camt.054 entry whose transactions have no archive ids of
 * their own gives them ids by their place (archive_id_placed()); the KTL
 * of the same payments gives the bank's.  New payment p (stored as row
 * p->id, placed or not) is the same payment as one stored of the other
 * kind with the same account, booking day, amount and reference, not
 * yet paired: then p's row is dropped, the other claims p's archive id,
 * and p is its twin (1, p->twin_cut 3).  One to one: two payments of
 * one reference and amount on a day, in both files, are two pairs.
 * 0 none, -1.
 */
static int
pair_payment(struct ledger *l, struct ledger_payment *p, int placed,
    char *dup_source, size_t dup_size, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (p->match_key == NULL || *p->match_key == '\0')
		return 0;
	/* ?1 .. ?5 as for any twin, the reference's key for the id */
	sqlite3_bind_int(l->st[S_PAY_PAIR], 6, !placed);
	sqlite3_bind_int64(l->st[S_PAY_PAIR], 7, p->id);
	if ((rc = find_twin_by(l, S_PAY_PAIR, p, p->match_key, dup_source,
	    dup_size, d)) != 1)
		return rc;
	st = l->st[S_PAY_DROP];
	sqlite3_bind_int64(st, 1, p->id);
	if (db_done(st, d, "drop a paired payment") < 0)
		return -1;
	st = l->st[S_PAY_CLAIM];
	sqlite3_bind_int64(st, 1, p->twin_id);
	bind_text(st, 2, p->archive_id);
	bind_text(st, 3, p->source);
	if (db_done(st, d, "pair a payment") < 0)
		return -1;
	p->id = 0;
	p->twin_cut = 3;
	return 1;
}

/* Whether the ledger holds a payment named by its place (no pairing to
 * look for otherwise): 1, 0, -1. */
static int
any_placed(struct ledger *l, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_PAY_ANY_PLACED];
	int rc = db_step(st, d, "placed payments"), any = 0;

	if (rc == 1)
		any = sqlite3_column_int(st, 0);
	finish(st);
	return rc < 0 ? -1 : any;
}

int
ledger_add_payment(struct ledger *l, struct ledger_payment *p,
    char *dup_source, size_t dup_size, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_PAY_INSERT];
	size_t n = p->archive_id != NULL ? strlen(p->archive_id) : 0;
	char date[2][DATE_BUFSZ];
	int rc;

	int placed = archive_id_placed(p->archive_id), pairs = 0;

	p->twin_id = 0;
	p->twin_cut = 0;
	/* the same payment under its archive id cut or whole */
	if (n > 0 && (rc = find_twin(l, n > 16 ? S_PAY_CUT_TO : S_PAY_CUT_OF,
	    p, dup_source, dup_size, d)) != 0) {
		if (rc == 1)
			p->twin_cut = n > 16 ? 1 : 2;
		return rc;
	}
	/* the same payment under the id of its pair, seen before */
	if (n > 0 && (pairs = placed ? 1 : any_placed(l, d)) < 0)
		return -1;
	if (pairs && (rc = find_twin(l, S_PAY_CLAIMED, p, dup_source,
	    dup_size, d)) != 0) {
		if (rc == 1)
			p->twin_cut = 3;
		return rc;
	}
	bind_text(st, 1, p->account_iban);
	bind_text(st, 2, p->archive_id);
	bind_date(st, 3, p->booking_date, date[0]);
	bind_date(st, 4, p->payment_date, date[1]);
	sqlite3_bind_int64(st, 5, p->amount);
	bind_text(st, 6, p->reference);
	bind_text(st, 7, p->match_key);
	bind_text(st, 8, p->payer_name);
	sqlite3_bind_int(st, 9, p->correction);
	bind_text(st, 10, p->source);
	bind_id(st, 11, l->run_id);
	sqlite3_bind_int(st, 12, placed);
	if (db_done(st, d, "add payment") < 0)
		return -1;
	if (sqlite3_changes(l->db) == 1) {
		p->id = sqlite3_last_insert_rowid(l->db);
		return pairs ? pair_payment(l, p, placed, dup_source, dup_size,
		    d) : 0;
	}
	/* ignored: the unique key is taken */
	rc = find_twin(l, S_PAY_DUP, p, dup_source, dup_size, d);
	if (rc == 0)
		diag_set(d, db_path(l->db), 0, 0, "ledger: a payment was "
		    "ignored as a duplicate but its twin is not there");
	return rc == 1 ? 1 : -1;
}

int
ledger_find_reversible(struct ledger *l, const char *account_iban,
    const char *match_key, int64_t amount, int64_t *id, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_PAY_REVERSIBLE];
	int rc;

	bind_text(st, 1, account_iban);
	bind_text(st, 2, match_key);
	sqlite3_bind_int64(st, 3, amount);
	rc = db_step(st, d, "reversal lookup");
	if (rc == 1)
		*id = sqlite3_column_int64(st, 0);
	finish(st);
	return rc;
}

int
ledger_mark_reversed(struct ledger *l, int64_t payment_id,
    int64_t correction_id, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_PAY_MARK];

	sqlite3_bind_int64(st, 1, payment_id);
	sqlite3_bind_int64(st, 2, correction_id);
	return db_done(st, d, "mark reversal");
}

int
ledger_invoice_overs(struct ledger *l, int64_t invoice_id,
    struct ledger_over *out, int max, struct diag *d)
{
	/* a correction's reversal is the correction's allocation: it
	 * counts for the payment whose allocation it reverses */
	static const char overs[] =
	    "SELECT owner, sum(amount), min(CASE WHEN outcome = 'over'"
	    " THEN id END) FROM (SELECT a.id, a.amount, a.outcome,"
	    " coalesce((SELECT o.payment_id FROM allocations o WHERE o.id ="
	    " a.reverses_id), a.payment_id) AS owner FROM allocations a"
	    " WHERE a.invoice_id = ? AND (a.outcome = 'over' OR"
	    " (a.outcome = 'reversed' AND a.reverses = 'over')))"
	    " GROUP BY owner HAVING sum(amount) > 0 AND (SELECT"
	    " reversed_by FROM payments WHERE id = owner) IS NULL"
	    " ORDER BY owner";
	sqlite3_stmt *st = db_prepare(l->db, overs, d);
	int n = 0, rc = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invoice_id);
	while (n < max && (rc = db_step(st, d, "overpayments")) == 1) {
		out[n].payment_id = sqlite3_column_int64(st, 0);
		out[n].amount = sqlite3_column_int64(st, 1);
		out[n].over_id = sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : n;
}

int
ledger_payment_allocs(struct ledger *l, int64_t payment_id,
    struct ledger_alloc *out, char (*outcome_buf)[16],
    char (*reverses_buf)[16], int max, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_ALLOC_OF_PAY];
	int n = 0, rc = 0;

	sqlite3_bind_int64(st, 1, payment_id);
	while (n < max && (rc = db_step(st, d, "allocation lookup")) == 1) {
		memset(&out[n], 0, sizeof out[n]);
		out[n].id = sqlite3_column_int64(st, 0);
		out[n].payment_id = payment_id;
		out[n].invoice_id = sqlite3_column_int64(st, 1);
		out[n].amount = sqlite3_column_int64(st, 2);
		copy(outcome_buf[n], 16, col_text(st, 3));
		out[n].outcome = outcome_buf[n];
		copy(reverses_buf[n], 16, col_text(st, 4));
		out[n].reverses = reverses_buf[n];
		n++;
	}
	finish(st);
	return rc < 0 ? -1 : n;
}

int
ledger_add_alloc(struct ledger *l, struct ledger_alloc *a, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_ALLOC_INSERT];

	bind_id(st, 1, a->payment_id);
	bind_id(st, 2, a->invoice_id);
	bind_id(st, 3, a->credit_id);
	bind_id(st, 4, a->reverses_id);
	sqlite3_bind_int64(st, 5, a->amount);
	bind_text(st, 6, a->outcome);
	if (a->has_open_after)
		sqlite3_bind_int64(st, 7, a->open_after);
	else
		sqlite3_bind_null(st, 7);
	bind_text(st, 8, a->reason);
	bind_text(st, 9, a->reverses);
	bind_id(st, 10, l->run_id);
	if (db_done(st, d, "add allocation") < 0)
		return -1;
	a->id = sqlite3_last_insert_rowid(l->db);
	return 0;
}

int
ledger_log_event(struct ledger *l, const char *source, const char *kind,
    const char *key, const char *event, const char *detail, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_EVENT];

	bind_id(st, 1, l->run_id);
	bind_text(st, 2, source);
	bind_text(st, 3, kind);
	bind_text(st, 4, key);
	bind_text(st, 5, event);
	bind_text(st, 6, detail);
	return db_done(st, d, "log event");
}

/* Dumps use their own statements: they are rare and may run while the
 * cached ones are idle. */

#define ITEM_COLS "invoice_no, type, reference, service, status, buyer_id, " \
	"buyer_name, credited_invoice_no, source, invoice_date, due_date, " \
	"total, credited, paid, over, open_amount"

static void
read_item(sqlite3_stmt *st, struct ledger_item *it)
{
	it->invoice_no = col_text(st, 0);
	it->type = col_text(st, 1);
	it->reference = col_text(st, 2);
	it->service = col_text(st, 3);
	it->status = col_text(st, 4);
	it->buyer_id = col_text(st, 5);
	it->buyer_name = col_text(st, 6);
	it->credited_invoice_no = col_text(st, 7);
	it->source = col_text(st, 8);
	it->invoice_date = col_date(st, 9);
	it->due_date = col_date(st, 10);
	it->total = sqlite3_column_int64(st, 11);
	it->credited = sqlite3_column_int64(st, 12);
	it->paid = sqlite3_column_int64(st, 13);
	it->over = sqlite3_column_int64(st, 14);
	it->open_amount = sqlite3_column_int64(st, 15);
}

/* The items the query (bound to key when not NULL) selects. */
static int
each_item(struct ledger *l, const char *query, const char *key,
    int (*fn)(void *, const struct ledger_item *), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st = NULL;
	struct ledger_item it;
	int rc, ret = 0;

	if ((st = db_prepare(l->db, query, d)) == NULL)
		return -1;
	if (key != NULL)
		db_bind_copy(st, 1, key);
	while ((rc = db_step(st, d, "listing invoices")) == 1) {
		read_item(st, &it);
		if ((ret = fn(arg, &it)) != 0)
			break;
	}
	if (ret == 0 && rc < 0)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

int
ledger_each_item(struct ledger *l, enum ledger_filter f,
    int (*fn)(void *, const struct ledger_item *), void *arg,
    struct diag *d)
{
	return each_item(l, f == LEDGER_OPEN ?
	    "SELECT " ITEM_COLS " FROM invoices WHERE status IN ('open', "
	    "'partial', 'over', 'unlinked') ORDER BY id" :
	    "SELECT " ITEM_COLS " FROM invoices ORDER BY id", NULL, fn, arg,
	    d);
}

int
ledger_each_item_by_key(struct ledger *l, const char *key,
    int (*fn)(void *, const struct ledger_item *), void *arg,
    struct diag *d)
{
	return each_item(l, "SELECT " ITEM_COLS " FROM invoices WHERE "
	    "match_key = ?1 ORDER BY id", key, fn, arg, d);
}

int
ledger_invoice_history(struct ledger *l, const char *invoice_no,
    int (*item)(void *, const struct ledger_item *),
    int (*alloc)(void *, const struct ledger_alloc *), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st = NULL;
	struct ledger_item it;
	struct ledger_alloc a;
	int rc, ret = 0, found = 0;

	/* the invoice, then credit notes crediting it */
	if ((st = db_prepare(l->db, "SELECT " ITEM_COLS " FROM invoices "
	    "WHERE invoice_no = ?1 OR credited_id IN (SELECT id FROM invoices "
	    "WHERE invoice_no = ?1 AND type = 'invoice') ORDER BY id", d)) ==
	    NULL)
		return -1;
	db_bind_copy(st, 1, invoice_no);
	while ((rc = db_step(st, d, "invoice history")) == 1) {
		found++;
		read_item(st, &it);
		if ((ret = item(arg, &it)) != 0)
			break;
	}
	if (ret == 0 && rc < 0)
		ret = -1;
	sqlite3_finalize(st);
	st = NULL;
	if (ret != 0)
		return ret;
	if ((st = db_prepare(l->db, "SELECT a.amount, a.outcome, "
	    "a.open_after, a.reason, a.reverses, p.archive_id, i.invoice_no, "
	    "coalesce(p.reference, i.reference), p.account_iban, "
	    "p.booking_date, p.payer_name, i.buyer_id, c.invoice_no, "
	    "coalesce(p.source, c.source), a.open_after IS NOT NULL, "
	    "a.posting_date "
	    "FROM allocations a JOIN invoices i ON i.id = a.invoice_id "
	    "LEFT JOIN payments p ON p.id = a.payment_id "
	    "LEFT JOIN invoices c ON c.id = a.credit_id "
	    "WHERE i.invoice_no = ?1 ORDER BY a.id", d)) == NULL)
		return -1;
	db_bind_copy(st, 1, invoice_no);
	while ((rc = db_step(st, d, "invoice history")) == 1) {
		memset(&a, 0, sizeof a);
		a.amount = sqlite3_column_int64(st, 0);
		a.outcome = col_text(st, 1);
		a.open_after = sqlite3_column_int64(st, 2);
		a.reason = col_text(st, 3);
		a.reverses = col_text(st, 4);
		a.archive_id = col_text(st, 5);
		a.invoice_no = col_text(st, 6);
		a.reference = col_text(st, 7);
		a.account_iban = col_text(st, 8);
		a.booking_date = col_date(st, 9);
		a.payer_name = col_text(st, 10);
		a.buyer_id = col_text(st, 11);
		a.credit_note_no = col_text(st, 12);
		a.source = col_text(st, 13);
		a.has_open_after = sqlite3_column_int(st, 14);
		/* a move is posted on its own day, not the payment's */
		a.posting_date = col_date(st, 15);
		if ((ret = alloc(arg, &a)) != 0)
			break;
	}
	if (ret == 0 && rc < 0)
		ret = -1;
	sqlite3_finalize(st);
	return ret != 0 ? ret : found;
}

/* The payments the WHERE clause where (bound to key when not NULL)
 * selects. */
static int
each_payment(struct ledger *l, const char *where, const char *key,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st = NULL;
	struct ledger_payment_row p;
	struct sbuf q = SBUF_INIT;
	int rc, ret = 0;

	sbuf_addf(&q, "SELECT account_iban, archive_id, "
	    "reference, payer_name, CASE WHEN correction = 0 THEN CASE WHEN "
	    "reversed_by IS NOT NULL THEN 'reversed' WHEN (SELECT "
	    "coalesce(sum(a.amount), 0) FROM allocations a WHERE "
	    "a.payment_id = payments.id AND (a.outcome = 'unknown' OR "
	    "(a.outcome = 'reversed' AND a.reverses = 'unknown'))) != 0 "
	    "THEN 'suspense' ELSE 'applied' END ELSE CASE WHEN "
	    "reverses IS NULL THEN 'unmatched' ELSE 'reversal' END END, "
	    "source, booking_date, payment_date, amount, correction "
	    "FROM payments %s ORDER BY id", where);
	st = db_prepare(l->db, q.data, d);
	sbuf_free(&q);
	if (st == NULL)
		return -1;
	if (key != NULL)
		db_bind_copy(st, 1, key);
	while ((rc = db_step(st, d, "listing payments")) == 1) {
		p.account_iban = col_text(st, 0);
		p.archive_id = col_text(st, 1);
		p.reference = col_text(st, 2);
		p.payer_name = col_text(st, 3);
		p.state = col_text(st, 4);
		p.source = col_text(st, 5);
		p.booking_date = col_date(st, 6);
		p.payment_date = col_date(st, 7);
		p.amount = sqlite3_column_int64(st, 8);
		p.correction = sqlite3_column_int(st, 9);
		if ((ret = fn(arg, &p)) != 0)
			break;
	}
	if (ret == 0 && rc < 0)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

int
ledger_each_payment(struct ledger *l,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d)
{
	return each_payment(l, "", NULL, fn, arg, d);
}

int
ledger_each_payment_by_key(struct ledger *l, const char *key,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d)
{
	return each_payment(l, "WHERE match_key = ?1", key, fn, arg, d);
}

int
ledger_payment_row(struct ledger *l, int64_t id,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d)
{
	char where[64];

	snprintf(where, sizeof where, "WHERE id = %lld", (long long)id);
	return each_payment(l, where, NULL, fn, arg, d);
}

struct sqlite3 *
ledger_db(struct ledger *l)
{
	return l->db;
}

int
ledger_archive_id_seen(struct ledger *l, const char *account,
    const char *archive_id, int64_t amount, const char *reference,
    int64_t but, struct ledger_payment_seen *out, struct diag *d)
{
	sqlite3_stmt *st = l->st[S_PAY_SEEN];
	int rc;

	bind_text(st, 1, archive_id);
	bind_text(st, 2, account);
	sqlite3_bind_int64(st, 3, but);
	sqlite3_bind_int64(st, 4, amount);
	sqlite3_bind_text(st, 5, reference != NULL ? reference : "", -1,
	    SQLITE_STATIC);
	if ((rc = db_step(st, d, "payments of the archive id")) == 1) {
		copy(out->booking_date, sizeof out->booking_date,
		    col_text(st, 0));
		out->amount = sqlite3_column_int64(st, 1);
		copy(out->source, sizeof out->source, col_text(st, 2));
	}
	finish(st);
	return rc;
}
