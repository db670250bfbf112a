/*
 * fbatch: factoring invoices and batches in the ledger database.  See
 * fbatch.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"
#include "ledger/db.h"
#include "ledger/fbatch.h"

int
fbatch_add(struct ledger *l, const struct fbatch_invoice *fi,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO "
	    "factoring_invoices (assignment, account, batch, invoice_no, type,"
	    " customer_code, recipient, invoice_date, due_date, amount,"
	    " reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	    d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, fi->assignment);
	db_bind_text(st, 2, fi->account);
	if (fi->unbatched)
		sqlite3_bind_int64(st, 3, 0);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, fi->invoice_no);
	db_bind_text(st, 5, fi->is_credit ? "credit" : "invoice");
	db_bind_text(st, 6, fi->customer_code);
	db_bind_text(st, 7, fi->recipient);
	db_bind_date(st, 8, fi->invoice_date);
	db_bind_date(st, 9, fi->due_date);
	sqlite3_bind_int64(st, 10, fi->amount);
	db_bind_text(st, 11, fi->reference);
	return db_finish(st, d, "add factoring invoice");
}

/* The rows without a batch of account b->account get number b->batch. */
static int
number_rows(struct ledger *l, const struct fbatch *b, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "UPDATE factoring_invoices"
	    " SET batch = ?2 WHERE account = ?1 AND batch IS NULL", d);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, b->account);
	sqlite3_bind_int64(st, 2, b->batch);
	return db_finish(st, d, "number factoring invoices");
}

/* The open batch of b->account, if there is one, takes the rows
 * (b->count and b->total of them): 1 (b->batch set, b->joined), 0 when
 * the account has no open batch, -1 with d. */
static int
join_open(struct ledger *l, struct fbatch *b, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "UPDATE factoring_batches"
	    " SET count = count + ?2, total = total + ?3 WHERE account = ?1"
	    " AND open = 1 RETURNING batch", d);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, b->account);
	sqlite3_bind_int64(st, 2, b->count);
	sqlite3_bind_int64(st, 3, b->total);
	if ((rc = db_step(st, d, "join factoring batch")) == 1) {
		b->batch = sqlite3_column_int64(st, 0);
		b->joined = 1;
	}
	sqlite3_finalize(st);
	return rc;
}

/* With keep_open, the account's open batch when it has one, else the
 * next batch of account b->account, numbered and stored (open when
 * keep_open); its rows given the number.  0 or -1. */
static int
take_one(struct ledger *l, struct fbatch *b, int keep_open, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (keep_open && (rc = join_open(l, b, d)) != 0)
		return rc < 0 ? -1 : number_rows(l, b, d);
	st = db_prepare(ledger_db(l), "INSERT INTO factoring_batches (account,"
	    " batch, financier, contract, created, count, total, open) SELECT"
	    " ?1, coalesce(max(batch), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 FROM"
	    " factoring_batches WHERE account = ?1", d);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, b->account);
	db_bind_text(st, 2, b->financier);
	db_bind_text(st, 3, b->contract);
	db_bind_date(st, 4, b->created);
	sqlite3_bind_int64(st, 5, b->count);
	sqlite3_bind_int64(st, 6, b->total);
	sqlite3_bind_int(st, 7, keep_open != 0);
	if (db_finish(st, d, "add factoring batch") < 0)
		return -1;
	if (db_int(ledger_db(l), "SELECT batch FROM factoring_batches WHERE"
	    " id = ?1", sqlite3_last_insert_rowid(ledger_db(l)), 0, &b->batch,
	    d) < 0)
		return -1;
	return number_rows(l, b, d);
}

int
fbatch_take(struct ledger *l, const struct config *c, day_t today,
    int keep_open, struct fbatch *out, int max, struct diag *d)
{
	sqlite3_stmt *st;
	int n = 0, rc;

	st = db_prepare(ledger_db(l), "SELECT account, count(*), sum(amount)"
	    " FROM factoring_invoices WHERE batch IS NULL GROUP BY account"
	    " ORDER BY account", d);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st, d, "pending factoring invoices")) == 1) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const struct conf_factoring *f = config_factoring(c, name);
		struct fbatch *b = &out[n];

		if (n == max || f == NULL) {
			diag_set(d, c->path, 0, 0, "factoring invoices of "
			    "account '%s' wait for a batch, but the "
			    "configuration has no [factoring %s]", name, name);
			rc = -1;
			break;
		}
		memset(b, 0, sizeof(*b));
		snprintf(b->account, sizeof(b->account), "%s", name);
		snprintf(b->financier, sizeof(b->financier), "%s",
		    config_financier_name(f->financier));
		snprintf(b->contract, sizeof(b->contract), "%s", f->contract);
		b->created = today;
		b->count = (long)sqlite3_column_int64(st, 1);
		b->total = sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	for (rc = 0; rc < n; rc++)
		if (take_one(l, &out[rc], keep_open, d) < 0)
			return -1;
	return n;
}

/* The batch in columns 0-6 of st's row (account, batch, financier,
 * contract, created, count, total) into b: fbatch_open_batches() and
 * fbatch_each() select them so. */
static void
batch_row(sqlite3_stmt *st, struct fbatch *b)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->account, sizeof(b->account), "%s", db_col_text(st, 0));
	b->batch = sqlite3_column_int64(st, 1);
	snprintf(b->financier, sizeof(b->financier), "%s", db_col_text(st, 2));
	snprintf(b->contract, sizeof(b->contract), "%s", db_col_text(st, 3));
	b->created = db_col_date(st, 4);
	b->count = (long)sqlite3_column_int64(st, 5);
	b->total = sqlite3_column_int64(st, 6);
}

int
fbatch_open_batches(struct ledger *l, struct fbatch **out, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT account, batch,"
	    " financier, contract, created, count, total FROM"
	    " factoring_batches WHERE open = 1 ORDER BY account", d);
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st, d, "open factoring batches")) == 1) {
		struct fbatch *b;

		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		b = &(*out)[n];
		batch_row(st, b);
		n++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return (int)n;
}

int
fbatch_close_open(struct ledger *l, struct diag *d)
{
	return db_exec(ledger_db(l), "UPDATE factoring_batches SET open = 0"
	    " WHERE open = 1", d);
}

int
fbatch_hold_key(struct ledger *l, struct sbuf *key, struct diag *d)
{
	int64_t id;

	if (db_int(ledger_db(l), "SELECT coalesce(min(id), 0) FROM"
	    " factoring_batches WHERE open = 1", 0, 0, &id, d) < 0)
		return -1;
	if (id == 0)
		return 0;
	sbuf_addf(key, "factoring-%lld", (long long)id);
	return 1;
}

int
fbatch_of_assignment(struct ledger *l, int64_t id, struct fbatch_ref *out,
    struct diag *d)
{
	/* kept: the matcher asks once a payment of a factoring invoice */
	sqlite3_stmt *st = db_cached(ledger_db(l), "SELECT account,"
	    " coalesce(batch, 0), coalesce(reference, ''), customer_code"
	    " FROM factoring_invoices WHERE assignment = ?1", d);
	int rc;

	if (st == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(st, 1, id);
	if ((rc = db_step(st, d, "factoring invoice")) == 1) {
		snprintf(out->account, sizeof(out->account), "%s",
		    (const char *)sqlite3_column_text(st, 0));
		out->batch = sqlite3_column_int64(st, 1);
		snprintf(out->reference, sizeof(out->reference), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		snprintf(out->customer_code, sizeof(out->customer_code),
		    "%s", (const char *)sqlite3_column_text(st, 3));
	}
	db_release(st);
	return rc;
}

static const char *
text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? (const char *)s : "";
}

static day_t
date_col(sqlite3_stmt *st, int i)
{
	const char *s = text(st, i);
	day_t day;

	return date_parse_iso(s, strlen(s), &day) == 0 ? day : DAY_NONE;
}

/* A result row of fbatch_each()'s query into b and r. */
static void
each_row(sqlite3_stmt *st, struct fbatch *b, struct fbatch_row *r)
{
	batch_row(st, b);
	r->invoice_no = text(st, 7);
	r->type = text(st, 8);
	r->customer_code = text(st, 9);
	r->recipient = text(st, 10);
	r->invoice_date = date_col(st, 11);
	r->due_date = date_col(st, 12);
	r->amount = sqlite3_column_int64(st, 13);
	r->reference = text(st, 14);
	r->credited_invoice_no = text(st, 15);
}

long
fbatch_each(struct ledger *l, const struct fbatch_filter *f,
    void (*fn)(void *arg, const struct fbatch *b, const struct fbatch_row *r),
    void *arg, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT b.account,"
	    " b.batch, b.financier, b.contract, b.created, b.count, b.total,"
	    " i.invoice_no, i.type, i.customer_code, i.recipient,"
	    " i.invoice_date, i.due_date, i.amount, i.reference,"
	    " (SELECT v.credited_invoice_no FROM invoices v WHERE"
	    " i.type = 'credit' AND v.type = 'credit' AND v.invoice_no ="
	    " i.invoice_no AND v.invoice_date IS i.invoice_date LIMIT 1)"
	    " FROM factoring_invoices i JOIN factoring_batches b"
	    " ON b.account = i.account AND b.batch = i.batch"
	    " WHERE (?1 IS NULL OR b.account = ?1)"
	    " AND (?2 = 0 OR b.batch = ?2)"
	    " AND (?3 IS NULL OR i.invoice_no = ?3)"
	    " AND (?4 IS NULL OR i.invoice_date >= ?4)"
	    " AND (?5 IS NULL OR i.invoice_date <= ?5)"
	    " ORDER BY b.id DESC, i.id", d);
	struct fbatch b;
	struct fbatch_row r;
	long n = 0;
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, f->account);
	sqlite3_bind_int64(st, 2, f->batch);
	db_bind_text(st, 3, f->invoice_no);
	db_bind_date(st, 4, f->from);
	db_bind_date(st, 5, f->to);
	while ((rc = db_step(st, d, "factoring batches")) == 1) {
		each_row(st, &b, &r);
		fn(arg, &b, &r);
		n++;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : n;
}
