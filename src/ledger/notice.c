/*
 * notice: batches of notices for the receivables service, their table
 * and queries.  See notice.h and formats/notices.md; the file is written
 * by write/notice_file.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/recschema.h"
#include "base/util.h"
#include "ledger/db.h"
#include "ledger/notice.h"

struct notices {
	sqlite3 *db;		/* borrowed from the ledger */
	int op;			/* op-laskulaina (notice_set_op()) */
};

/* The routed assignment of invoice i (the latest with its number and
 * date). */
#define ROUTED_OF_I "FROM assignments s WHERE s.invoice_no = i.invoice_no " \
	"AND s.action = 'route' AND (i.invoice_date IS NULL OR " \
	"s.invoice_date IS i.invoice_date)"

#define NOTICE_JOIN "FROM allocations a JOIN invoices i ON i.id = " \
	"a.invoice_id LEFT JOIN payments p ON p.id = a.payment_id " \
	"LEFT JOIN invoices c ON c.id = a.credit_id "
#define BYPASS_OF_A "(a.outcome = 'bypass' OR (a.outcome = 'reversed' " \
	"AND a.reverses = 'bypass'))"
#define CREDIT_OF_A "(a.outcome = 'credit' AND EXISTS (SELECT 1 " \
	ROUTED_OF_I "))"

/* Allocations after ?1 up to ?2 that make a notice. */
#define NOTICE_FROM NOTICE_JOIN "WHERE a.id > ?1 AND a.id <= ?2 AND (" \
	BYPASS_OF_A " OR " CREDIT_OF_A ")"

/* What of allocation a a notice tells: a, and for one whose notice
 * waited (notice_deferred), less what was undone of it meanwhile: an
 * off-payment that OP's statement showed was a remainder, or that the
 * bank corrected before OP was told. */
#define AMOUNT_OF_A "(a.amount + CASE WHEN a.id IN (SELECT alloc_id FROM " \
	"notice_deferred) THEN coalesce((SELECT sum(r.amount) FROM " \
	"allocations r WHERE r.reverses_id = a.id), 0) ELSE 0 END)"

/* A reversal that makes no notice: a re-classification, or one that
 * undoes an off-payment whose notice waits or goes out in this batch
 * (?3), which tells OP of what is left of it. */
#define REVERSAL_TOLD_OF_A "(a.reason IS '" ALLOC_REASON_FORWARDED "' " \
	"OR a.reverses_id IN (SELECT alloc_id FROM notice_deferred WHERE " \
	"batch IS NULL OR batch = ?3))"

/* The same for op-laskulaina, whose credit-note notices wait a banking
 * day in notice_deferred, and so do the off-payments nothing forwarded
 * was known for: those of batch ?3 instead, less what was undone of
 * them meanwhile. */
#define NOTICE_FROM_OP NOTICE_JOIN "WHERE (a.id > ?1 AND a.id <= ?2 AND " \
	BYPASS_OF_A " AND a.id NOT IN (SELECT alloc_id FROM " \
	"notice_deferred) AND NOT (a.outcome = 'reversed' AND " \
	REVERSAL_TOLD_OF_A ")) OR (a.id IN (SELECT alloc_id FROM " \
	"notice_deferred WHERE batch = ?3) AND " AMOUNT_OF_A " <> 0)"

/* The table is made by the ledger's migrations (ledger/db.c). */
int
notice_open(struct ledger *l, struct notices **out, struct diag *d)
{
	struct notices *n = xcalloc(1, sizeof(*n));

	n->db = ledger_db(l);
	*out = n;
	return 0;
}

void
notice_set_op(struct notices *n, int op)
{
	n->op = op;
}

void
notice_close(struct notices *n)
{
	free(n);
}

static void
batch_file(struct notice_batch *b)
{
	char date[DATE_BUFSZ];

	snprintf(b->file, sizeof(b->file), "notices-%s-%lld.tsv",
	    date_format(b->created, date), (long long)b->id);
}

/* Run sql with ?1, ?2 bound to a1, a2 and ?3 to t3, or to a3 when t3 is
 * NULL (a parameter sql does not have is not bound); the first column of
 * its first row into *v when v is not NULL. */
static int
run3(sqlite3 *db, const char *sql, int64_t a1, int64_t a2, int64_t a3,
    const char *t3, int64_t *v, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(db, sql, d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a1);
	sqlite3_bind_int64(st, 2, a2);
	if (t3 != NULL)
		db_bind_copy(st, 3, t3);
	else
		sqlite3_bind_int64(st, 3, a3);
	rc = db_step(st, d, "notices");
	if (rc == 1 && v != NULL)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/*
 * op-laskulaina: OP is told of a credit note one banking day after it
 * was matched to its invoice (seeds/003).  The credit notices of the new
 * range wait in notice_deferred until the banking day after today; *due
 * is how many waiting ones are due by today.
 */
static int
defer_credits(struct notices *n, const struct notice_batch *b, day_t today,
    int64_t *due, struct diag *d)
{
	char when[DATE_BUFSZ], now[DATE_BUFSZ];

	date_format(date_add_banking_days(today, 1), when);
	date_format(today, now);
	*due = 0;
	if (!n->op)
		return 0;
	if (b->upto > b->after && run3(n->db, "INSERT INTO notice_deferred "
	    "(alloc_id, due) SELECT a.id, ?3 " NOTICE_JOIN "WHERE a.id > ?1 "
	    "AND a.id <= ?2 AND " CREDIT_OF_A, b->after, b->upto, 0, when,
	    NULL, d) < 0)
		return -1;
	return run3(n->db, "SELECT count(*) FROM notice_deferred WHERE batch "
	    "IS NULL AND due <= ?3", 0, 0, 0, now, due, d);
}

int
notice_new_batch(struct notices *n, day_t today, struct notice_batch *b,
    struct diag *d)
{
	sqlite3_stmt *st = NULL;
	char date[DATE_BUFSZ];
	int64_t count, due;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	b->created = today;
	if (db_int(n->db, "SELECT coalesce(max(upto_alloc), 0) FROM "
	    "notice_batches", 0, 0, &b->after, d) < 0 ||
	    db_int(n->db, "SELECT coalesce(max(id), 0) FROM allocations", 0, 0,
	    &b->upto, d) < 0)
		return -1;
	if (b->upto < b->after)
		b->upto = b->after;
	if (defer_credits(n, b, today, &due, d) < 0)
		return -1;
	if (b->upto == b->after && due == 0)
		return 0;
	if ((st = db_prepare(n->db, "INSERT INTO notice_batches (created, "
	    "after_alloc, upto_alloc, count, written) VALUES (?1, ?2, ?3, 0, "
	    "0)", d)) == NULL)
		goto out;
	db_bind_copy(st, 1, date_format(today, date));
	sqlite3_bind_int64(st, 2, b->after);
	sqlite3_bind_int64(st, 3, b->upto);
	if (db_done(st, d, "notice batch") < 0)
		goto out;
	b->id = sqlite3_last_insert_rowid(n->db);
	if (due > 0 && run3(n->db, "UPDATE notice_deferred SET batch = ?1 "
	    "WHERE batch IS NULL AND due <= ?3", b->id, 0, 0, date,
	    NULL, d) < 0)
		goto out;
	if (run3(n->db, n->op ? "SELECT count(*) " NOTICE_FROM_OP :
	    "SELECT count(*) " NOTICE_FROM, b->after, b->upto,
	    b->id, NULL, &count, d) < 0)
		goto out;
	b->count = (long)count;
	if (count > 0)
		batch_file(b);
	sqlite3_finalize(st);
	if ((st = db_prepare(n->db, "UPDATE notice_batches SET count = ?2, "
	    "written = ?3, file = ?4 WHERE id = ?1", d)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_int64(st, 2, count);
	sqlite3_bind_int(st, 3, count == 0);
	if (count > 0)
		db_bind_copy(st, 4, b->file);
	if (db_done(st, d, "notice batch") < 0)
		goto out;
	rc = 1;
out:
	sqlite3_finalize(st);
	return rc;
}

int
notice_pending(struct notices *n, struct notice_batch *b, struct diag *d)
{
	sqlite3_stmt *st;
	const char *s;
	int found;

	memset(b, 0, sizeof(*b));
	if ((st = db_prepare(n->db, "SELECT id, created, after_alloc, "
	    "upto_alloc, count FROM notice_batches WHERE written = 0 "
	    "ORDER BY id LIMIT 1", d)) == NULL)
		return -1;
	found = db_step(st, d, "notice batch");
	if (found == 1) {
		b->id = sqlite3_column_int64(st, 0);
		s = (const char *)sqlite3_column_text(st, 1);
		if (s == NULL || strlen(s) != 10 ||
		    date_parse_iso(s, 10, &b->created) < 0)
			b->created = DAY_NONE;
		b->after = sqlite3_column_int64(st, 2);
		b->upto = sqlite3_column_int64(st, 3);
		b->count = (long)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (found == 1) {
		if (b->created == DAY_NONE) {
			diag_set(d, db_path(n->db), 0, 0, "ledger: notice batch %lld "
			    "has no valid date", (long long)b->id);
			return -1;
		}
		batch_file(b);
	}
	return found;
}

static const char *
text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

/* The columns of a notice (struct notice_row), with the kind names of
 * a bypass payment and of its reversal. */
#define NOTICE_SELECT(bypass, reversal) "SELECT CASE a.outcome WHEN " \
	"'credit' THEN 'credit-note' WHEN 'bypass' THEN " bypass " ELSE " \
	reversal " END, i.invoice_no, (SELECT s.service_reference " \
	ROUTED_OF_I " ORDER BY s.id DESC LIMIT 1), i.reference, " \
	AMOUNT_OF_A ", " \
	"CASE WHEN a.outcome = 'credit' THEN c.invoice_date ELSE " \
	"coalesce(p.payment_date, p.booking_date) END, p.archive_id, " \
	"CASE WHEN a.outcome = 'credit' THEN i.buyer_name ELSE " \
	"p.payer_name END, c.invoice_no, coalesce(p.source, c.source) "

long
notice_each(struct notices *n, const struct notice_batch *b,
    void (*fn)(void *arg, const struct notice_row *r), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st;
	struct notice_row r;
	long count = 0;
	int rc;

	/* op-laskulaina calls a bypass payment an off-payment (seeds/003) */
	if ((st = db_prepare(n->db, n->op ? NOTICE_SELECT(
	    "'off-payment'", "'off-payment-reversal'") NOTICE_FROM_OP
	    " ORDER BY a.id" : NOTICE_SELECT("'bypass'", "'bypass-reversal'")
	    NOTICE_FROM " ORDER BY a.id", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, b->after);
	sqlite3_bind_int64(st, 2, b->upto);
	sqlite3_bind_int64(st, 3, b->id);
	while ((rc = db_step(st, d, "notices")) == 1) {
		r.kind = text(st, 0);
		r.invoice_no = text(st, 1);
		r.service_reference = text(st, 2);
		r.reference = text(st, 3);
		r.amount = sqlite3_column_int64(st, 4);
		r.payment_date = text(st, 5);
		r.archive_id = text(st, 6);
		r.payer = text(st, 7);
		r.credit_note_no = text(st, 8);
		r.source = text(st, 9);
		fn(arg, &r);
		count++;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : count;
}

int
notice_defer_bypass(struct ledger *l, int64_t payment_id, day_t due,
    struct diag *d)
{
	char when[DATE_BUFSZ];

	return run3(ledger_db(l), "INSERT OR IGNORE INTO notice_deferred "
	    "(alloc_id, due) SELECT id, ?3 FROM allocations WHERE payment_id "
	    "= ?1 AND outcome = 'bypass'", payment_id, 0, 0,
	    date_format(due, when), NULL, d);
}

int
notice_waiting_bypass(struct ledger *l, const char *key, day_t from,
    struct notice_waiting *w, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT a.id, "
	    "a.payment_id, a.invoice_id, " AMOUNT_OF_A ", p.booking_date "
	    "FROM notice_deferred n JOIN allocations a ON a.id = n.alloc_id "
	    "JOIN payments p ON p.id = a.payment_id WHERE n.batch IS NULL AND "
	    "a.outcome = 'bypass' AND p.match_key = ?1 AND p.booking_date >= "
	    "?2 AND p.reversed_by IS NULL AND " AMOUNT_OF_A " > 0 ORDER BY "
	    "a.id LIMIT 1", d);
	char day[DATE_BUFSZ];
	const char *s;
	int rc;

	memset(w, 0, sizeof *w);
	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, key);
	db_bind_copy(st, 2, date_format(from, day));
	if ((rc = db_step(st, d, "waiting notices")) == 1) {
		w->alloc_id = sqlite3_column_int64(st, 0);
		w->payment_id = sqlite3_column_int64(st, 1);
		w->invoice_id = sqlite3_column_int64(st, 2);
		w->amount = sqlite3_column_int64(st, 3);
		s = (const char *)sqlite3_column_text(st, 4);
		if (s == NULL || strlen(s) != 10 ||
		    date_parse_iso(s, 10, &w->booking_date) < 0)
			w->booking_date = from;
	}
	sqlite3_finalize(st);
	return rc;
}

int
notice_done(struct notices *n, int64_t batch, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(n->db, "UPDATE notice_batches SET written = 1 "
	    "WHERE id = ?1", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, batch);
	rc = db_done(st, d, "notice batch");
	sqlite3_finalize(st);
	return rc;
}
