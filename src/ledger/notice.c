/*
 * notice: batches of notices for the receivables service, their table
 * and queries.  See notice.h and formats/notices.md; the file is written
 * by write/notice_file.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"
#include "ledger/db.h"
#include "ledger/notice.h"

struct notices {
	sqlite3 *db;		/* borrowed from the ledger */
};

/* The routed assignment of invoice i (the latest with its number and
 * date). */
#define ROUTED_OF_I "FROM assignments s WHERE s.invoice_no = i.invoice_no " \
	"AND s.action = 'route' AND (i.invoice_date IS NULL OR " \
	"s.invoice_date IS i.invoice_date)"

/* Allocations after ?1 up to ?2 that make a notice. */
#define NOTICE_FROM "FROM allocations a JOIN invoices i ON i.id = " \
	"a.invoice_id LEFT JOIN payments p ON p.id = a.payment_id " \
	"LEFT JOIN invoices c ON c.id = a.credit_id " \
	"WHERE a.id > ?1 AND a.id <= ?2 AND (a.outcome = 'bypass' OR " \
	"(a.outcome = 'reversed' AND a.reverses = 'bypass') OR " \
	"(a.outcome = 'credit' AND EXISTS (SELECT 1 " ROUTED_OF_I ")))"

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

int
notice_new_batch(struct notices *n, day_t today, struct notice_batch *b,
    struct diag *d)
{
	sqlite3_stmt *st = NULL;
	char date[DATE_BUFSZ];
	int64_t count;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	b->created = today;
	if (db_int(n->db, "SELECT coalesce(max(upto_alloc), 0) FROM "
	    "notice_batches", 0, 0, &b->after, d) < 0 ||
	    db_int(n->db, "SELECT coalesce(max(id), 0) FROM allocations", 0, 0,
	    &b->upto, d) < 0)
		return -1;
	if (b->upto <= b->after)
		return 0;
	if (db_int(n->db, "SELECT count(*) " NOTICE_FROM, b->after, b->upto,
	    &count, d) < 0)
		return -1;
	b->count = (long)count;
	if ((st = db_prepare(n->db, "INSERT INTO notice_batches (created, "
	    "after_alloc, upto_alloc, count, written) VALUES (?1, ?2, ?3, ?4, "
	    "?5)", d)) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, date_format(today, date), -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, b->after);
	sqlite3_bind_int64(st, 3, b->upto);
	sqlite3_bind_int64(st, 4, count);
	sqlite3_bind_int(st, 5, count == 0);
	if (db_done(st, d, "notice batch") < 0)
		goto out;
	b->id = sqlite3_last_insert_rowid(n->db);
	sqlite3_finalize(st);
	st = NULL;
	if (count == 0) {
		rc = 1;
		goto out;
	}
	batch_file(b);
	if ((st = db_prepare(n->db, "UPDATE notice_batches SET file = ?2 "
	    "WHERE id = ?1", d)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, b->file, -1, SQLITE_TRANSIENT);
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

long
notice_each(struct notices *n, const struct notice_batch *b,
    void (*fn)(void *arg, const struct notice_row *r), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st;
	struct notice_row r;
	long count = 0;
	int rc;

	if ((st = db_prepare(n->db, "SELECT CASE a.outcome WHEN 'credit' "
	    "THEN 'credit-note' WHEN 'bypass' THEN 'bypass' ELSE "
	    "'bypass-reversal' END, i.invoice_no, (SELECT s.service_reference "
	    ROUTED_OF_I " ORDER BY s.id DESC LIMIT 1), i.reference, a.amount, "
	    "CASE WHEN a.outcome = 'credit' THEN c.invoice_date ELSE "
	    "coalesce(p.payment_date, p.booking_date) END, p.archive_id, "
	    "CASE WHEN a.outcome = 'credit' THEN i.buyer_name ELSE "
	    "p.payer_name END, c.invoice_no, coalesce(p.source, c.source) "
	    NOTICE_FROM " ORDER BY a.id", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, b->after);
	sqlite3_bind_int64(st, 2, b->upto);
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
