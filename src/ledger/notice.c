/*
 * notice: batches of notices for the receivables service.  See notice.h
 * and formats/notices.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/outfile.h"
#include "base/record.h"
#include "base/util.h"
#include "ledger/notice.h"

struct notices {
	sqlite3 *db;		/* borrowed from the ledger */
	const char *path;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS notice_batches ("
	"  id INTEGER PRIMARY KEY,"
	"  created TEXT NOT NULL,"
	"  after_alloc INTEGER NOT NULL,"
	"  upto_alloc INTEGER NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  file TEXT,"
	"  written INTEGER NOT NULL DEFAULT 0);";

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

static int
dberr(struct notices *n, struct diag *d, const char *what)
{
	diag_set(d, n->path, 0, 0, "ledger: %s: %s", what,
	    sqlite3_errmsg(n->db));
	return -1;
}

static int
exec(struct notices *n, const char *sql, struct diag *d)
{
	if (sqlite3_exec(n->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return dberr(n, d, sql);
	return 0;
}

int
notice_open(struct ledger *l, struct notices **out, struct diag *d)
{
	struct notices *n = xcalloc(1, sizeof(*n));
	const char *path;

	*out = NULL;
	n->db = ledger_db(l);
	path = sqlite3_db_filename(n->db, "main");
	n->path = path != NULL && *path != '\0' ? path : "ledger";
	if (exec(n, "SAVEPOINT notice_schema", d) < 0) {
		free(n);
		return -1;
	}
	if (exec(n, schema, d) < 0 ||
	    exec(n, "RELEASE notice_schema", d) < 0) {
		sqlite3_exec(n->db, "ROLLBACK TO notice_schema; "
		    "RELEASE notice_schema", NULL, NULL, NULL);
		free(n);
		return -1;
	}
	*out = n;
	return 0;
}

void
notice_close(struct notices *n)
{
	free(n);
}

/* A query returning one integer: 0 ok (into *v), -1 error. */
static int
one_int(struct notices *n, const char *sql, int64_t a1, int64_t a2,
    int64_t *v, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(n->db, sql, -1, &st, NULL) != SQLITE_OK)
		return dberr(n, d, "prepare");
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a1);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, a2);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dberr(n, d, "notice batch");
	return 0;
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
	if (one_int(n, "SELECT coalesce(max(upto_alloc), 0) FROM "
	    "notice_batches", 0, 0, &b->after, d) < 0 ||
	    one_int(n, "SELECT coalesce(max(id), 0) FROM allocations", 0, 0,
	    &b->upto, d) < 0)
		return -1;
	if (b->upto <= b->after)
		return 0;
	if (one_int(n, "SELECT count(*) " NOTICE_FROM, b->after, b->upto,
	    &count, d) < 0)
		return -1;
	b->count = (long)count;
	if (sqlite3_prepare_v2(n->db, "INSERT INTO notice_batches (created, "
	    "after_alloc, upto_alloc, count, written) VALUES (?1, ?2, ?3, ?4, "
	    "?5)", -1, &st, NULL) != SQLITE_OK) {
		dberr(n, d, "prepare");
		goto out;
	}
	sqlite3_bind_text(st, 1, date_format(today, date), -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, b->after);
	sqlite3_bind_int64(st, 3, b->upto);
	sqlite3_bind_int64(st, 4, count);
	sqlite3_bind_int(st, 5, count == 0);
	if (sqlite3_step(st) != SQLITE_DONE) {
		dberr(n, d, "notice batch");
		goto out;
	}
	b->id = sqlite3_last_insert_rowid(n->db);
	sqlite3_finalize(st);
	st = NULL;
	if (count == 0) {
		rc = 1;
		goto out;
	}
	batch_file(b);
	if (sqlite3_prepare_v2(n->db, "UPDATE notice_batches SET file = ?2 "
	    "WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		dberr(n, d, "prepare");
		goto out;
	}
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, b->file, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		dberr(n, d, "notice batch");
		goto out;
	}
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
	int rc, found = 0;

	memset(b, 0, sizeof(*b));
	if (sqlite3_prepare_v2(n->db, "SELECT id, created, after_alloc, "
	    "upto_alloc, count FROM notice_batches WHERE written = 0 "
	    "ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return dberr(n, d, "prepare");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->id = sqlite3_column_int64(st, 0);
		s = (const char *)sqlite3_column_text(st, 1);
		if (s == NULL || strlen(s) != 10 ||
		    date_parse_iso(s, 10, &b->created) < 0)
			b->created = DAY_NONE;
		b->after = sqlite3_column_int64(st, 2);
		b->upto = sqlite3_column_int64(st, 3);
		b->count = (long)sqlite3_column_int64(st, 4);
		found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dberr(n, d, "notice batch");
	if (found) {
		if (b->created == DAY_NONE) {
			diag_set(d, n->path, 0, 0, "ledger: notice batch %lld "
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
notice_write(struct notices *n, const struct notice_batch *b, FILE *fp,
    struct diag *d)
{
	sqlite3_stmt *st;
	struct recout w;
	long count = 0;
	int rc;

	if (sqlite3_prepare_v2(n->db, "SELECT CASE a.outcome WHEN 'credit' "
	    "THEN 'credit-note' WHEN 'bypass' THEN 'bypass' ELSE "
	    "'bypass-reversal' END, i.invoice_no, (SELECT s.service_reference "
	    ROUTED_OF_I " ORDER BY s.id DESC LIMIT 1), i.reference, a.amount, "
	    "CASE WHEN a.outcome = 'credit' THEN c.invoice_date ELSE "
	    "coalesce(p.payment_date, p.booking_date) END, p.archive_id, "
	    "CASE WHEN a.outcome = 'credit' THEN i.buyer_name ELSE "
	    "p.payer_name END, c.invoice_no, coalesce(p.source, c.source) "
	    NOTICE_FROM " ORDER BY a.id", -1, &st, NULL) != SQLITE_OK)
		return dberr(n, d, "prepare");
	sqlite3_bind_int64(st, 1, b->after);
	sqlite3_bind_int64(st, 2, b->upto);
	rec_out_init(&w, fp);
	fputs("kind\tinvoice_no\tservice_reference\treference\tamount\t"
	    "payment_date\tarchive_id\tpayer\tcredit_note_no\tsource\n", fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rec_begin(&w, text(st, 0));
		rec_str(&w, text(st, 1));
		rec_str(&w, text(st, 2));
		rec_str(&w, text(st, 3));
		rec_cents(&w, sqlite3_column_int64(st, 4));
		rec_str(&w, text(st, 5));
		rec_str(&w, text(st, 6));
		rec_str(&w, text(st, 7));
		rec_str(&w, text(st, 8));
		rec_str(&w, text(st, 9));
		rec_end(&w);
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(n, d, "notices");
	return count;
}

int
notice_done(struct notices *n, int64_t batch, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(n->db, "UPDATE notice_batches SET written = 1 "
	    "WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return dberr(n, d, "prepare");
	sqlite3_bind_int64(st, 1, batch);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(n, d, "notice batch");
	return 0;
}

int
notice_write_pending(struct ledger *l, struct notices *n, const char *dir,
    void (*written)(void *arg, const char *file), void *arg, struct diag *d)
{
	struct notice_batch b;
	struct outfile o;
	long got;
	int rc;

	while ((rc = notice_pending(n, &b, d)) == 1) {
		if (outfile_open(&o, dir, b.file, d) < 0)
			return -1;
		got = notice_write(n, &b, o.fp, d);
		if (got < 0) {
			outfile_abort(&o);
			return -1;
		}
		if (got != b.count) {
			outfile_abort(&o);
			diag_set(d, b.file, 0, 0, "notice batch %lld has %ld "
			    "notices, %ld when it was taken", (long long)b.id,
			    got, b.count);
			return -1;
		}
		if (outfile_commit(&o, d) < 0)
			return -1;
		if (ledger_begin(l, d) < 0)
			return -1;
		if (notice_done(n, b.id, d) < 0 || ledger_commit(l, d) < 0) {
			ledger_rollback(l);
			return -1;
		}
		if (written != NULL)
			written(arg, b.file);
	}
	return rc;
}
