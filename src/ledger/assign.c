/*
 * assign: routing decisions and assignments in the ledger database.  See
 * assign.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/db.h"

/* The lookups a matcher makes per payment are prepared once. */
enum { Q_SREF, Q_ROUTED, Q_ROUTED_DAY, Q_SOURCE, Q_LATEST, Q_BY_NUMBER,
    Q_BY_OWN_REF, Q_ID, Q_COUNT };

/* A decision of the input: its row id, or -(1 + i) for unkept[i]. */
struct seen {
	long line;
	long seq;		/* order of adding: the last for a line wins */
	int64_t id;
};

struct assign {
	sqlite3 *db;		/* borrowed from the ledger */
	sqlite3_stmt *q[Q_COUNT];
	/* the input's decisions (assign_input_begin()) */
	int input_on, unsorted;
	struct seen *seen;
	size_t nseen, capseen;
	struct assignment *unkept;
	size_t nunkept, capunkept;
};

static const char columns[] =
	"id, coalesce(number, 0), invoice_no, invoice_date, buyer_id, service,"
	" action, code, reason, customer_group, reference, service_reference,"
	" language, login_code, status, in_error, coalesce(closed_by, 0),"
	" source, digest";

/* The table is made by the ledger's migrations (ledger/db.c), which
 * ledger_open() has run. */
int
assign_open(struct ledger *l, struct assign **out, struct diag *d)
{
	struct assign *a = xcalloc(1, sizeof(*a));

	a->db = ledger_db(l);
	*out = a;
	return 0;
}

void
assign_close(struct assign *a)
{
	int i;

	if (a == NULL)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(a->q[i]);
	free(a->seen);
	free(a->unkept);
	free(a);
}

static void
copy_col(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", s != NULL ? (const char *)s : "");
}

static void
row(sqlite3_stmt *st, struct assignment *x)
{
	char date[DATE_BUFSZ];

	memset(x, 0, sizeof(*x));
	x->id = sqlite3_column_int64(st, 0);
	x->number = sqlite3_column_int64(st, 1);
	copy_col(st, 2, x->invoice_no, sizeof(x->invoice_no));
	copy_col(st, 3, date, sizeof(date));
	if (date_parse_iso(date, strlen(date), &x->invoice_date) != 0)
		x->invoice_date = DAY_NONE;
	copy_col(st, 4, x->buyer_id, sizeof(x->buyer_id));
	copy_col(st, 5, x->service, sizeof(x->service));
	copy_col(st, 6, x->action, sizeof(x->action));
	x->code = sqlite3_column_int(st, 7);
	copy_col(st, 8, x->reason, sizeof(x->reason));
	copy_col(st, 9, x->group, sizeof(x->group));
	copy_col(st, 10, x->reference, sizeof(x->reference));
	copy_col(st, 11, x->service_reference, sizeof(x->service_reference));
	copy_col(st, 12, x->language, sizeof(x->language));
	copy_col(st, 13, x->login_code, sizeof(x->login_code));
	copy_col(st, 14, x->status, sizeof(x->status));
	x->in_error = sqlite3_column_int(st, 15);
	x->closed_by = (int)sqlite3_column_int64(st, 16);
	copy_col(st, 17, x->source, sizeof(x->source));
	copy_col(st, 18, x->digest, sizeof(x->digest));
}

static int
prepare(struct assign *a, const char *where, sqlite3_stmt **st,
    struct diag *d)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT %s FROM assignments %s", columns,
	    where);
	*st = db_prepare(a->db, sql, d);
	return *st != NULL ? 0 : -1;
}

/* Step a prepared query, copying up to max rows: the count, or -1 with d.
 * The caller resets the statement. */
static int
fetch_rows(struct assign *a, sqlite3_stmt *st, struct assignment *out,
    int max, struct diag *d)
{
	int n = 0, rc;

	while ((rc = db_step(st, d, "assignments")) == 1)
		if (n < max)
			row(st, &out[n++]);
	return rc < 0 ? -1 : n;
}

/* Prepare query i of the cached ones on first use. */
static int
cached(struct assign *a, int i, const char *where, sqlite3_stmt **st,
    struct diag *d)
{
	if (a->q[i] == NULL && prepare(a, where, &a->q[i], d) < 0)
		return -1;
	*st = a->q[i];
	return 0;
}

/* One row of a cached query: 1 (into out), 0 none; the query is reset. */
static int
fetch_one(struct assign *a, sqlite3_stmt *st, struct assignment *out,
    struct diag *d)
{
	int n = db_step(st, d, "assignments");

	if (n == 1)
		row(st, out);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

int
assign_find_source(struct assign *a, const char *invoice_no,
    day_t invoice_date, const char *source, const char *digest,
    struct assignment *out, struct diag *d)
{
	sqlite3_stmt *st;

	if (cached(a, Q_SOURCE, "WHERE invoice_no = ?1 AND invoice_date IS ?2 "
	    "AND source = ?3 AND (digest IS NULL OR digest = ?4) "
	    "ORDER BY id DESC LIMIT 1", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, invoice_no);
	db_bind_date(st, 2, invoice_date);
	db_bind_copy(st, 3, source);
	db_bind_copy(st, 4, digest);
	return fetch_one(a, st, out, d);
}

int
assign_latest(struct assign *a, const char *invoice_no, day_t invoice_date,
    struct assignment *out, struct diag *d)
{
	sqlite3_stmt *st;

	if (cached(a, Q_LATEST, "WHERE invoice_no = ?1 AND invoice_date IS ?2 "
	    "ORDER BY id DESC LIMIT 1", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, invoice_no);
	db_bind_date(st, 2, invoice_date);
	return fetch_one(a, st, out, d);
}

int
assign_by_number(struct assign *a, const char *invoice_no,
    struct assignment *out, int max, struct diag *d)
{
	sqlite3_stmt *st;

	int n;

	if (cached(a, Q_BY_NUMBER, "WHERE invoice_no = ?1 AND action = "
	    "'route' ORDER BY id", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, invoice_no);
	n = fetch_rows(a, st, out, max, d);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

int
assign_by_service_reference(struct assign *a, const char *sref,
    struct assignment *out, struct diag *d)
{
	sqlite3_stmt *st;

	if (cached(a, Q_SREF, "WHERE service_reference = ?1 ORDER BY id DESC "
	    "LIMIT 1", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, sref);
	return fetch_one(a, st, out, d);
}

int
assign_by_own_reference(struct assign *a, const char *key,
    struct assignment *out, int max, struct diag *d)
{
	sqlite3_stmt *st;
	char rf[REF_BUFSZ];
	int n;

	/* the invoice's reference is kept as it came, national or RF: the
	 * key's RF form finds the second */
	if (rf_from_ref(key, strlen(key), rf) != 0)
		snprintf(rf, sizeof rf, "%s", key);
	if (cached(a, Q_BY_OWN_REF, "WHERE reference IN (?1, ?2) AND action = "
	    "'route' AND coalesce(service_reference, '') <> '' ORDER BY id "
	    "DESC", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, rf);
	n = fetch_rows(a, st, out, max, d);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return n;
}

int
assign_routed(struct assign *a, const char *invoice_no, day_t invoice_date,
    struct assignment *out, struct diag *d)
{
	sqlite3_stmt *st;

	/* with the date, the index on (invoice_no, invoice_date) gives the
	 * rows in id order: no sort for each payment */
	if (invoice_date != DAY_NONE) {
		if (cached(a, Q_ROUTED_DAY, "WHERE invoice_no = ?1 AND "
		    "invoice_date = ?2 AND action = 'route' ORDER BY id DESC "
		    "LIMIT 1", &st, d) < 0)
			return -1;
		db_bind_text(st, 1, invoice_no);
		db_bind_date(st, 2, invoice_date);
		return fetch_one(a, st, out, d);
	}
	if (cached(a, Q_ROUTED, "WHERE invoice_no = ?1 AND action = 'route' "
	    "ORDER BY id DESC LIMIT 1", &st, d) < 0)
		return -1;
	db_bind_text(st, 1, invoice_no);
	return fetch_one(a, st, out, d);
}

int
assign_add(struct assign *a, struct assignment *x, struct diag *d)
{
	sqlite3_stmt *st;
	int route = strcmp(x->action, "route") == 0;
	int rc = -1;

	x->number = 0;
	if (route && db_int(a->db, "SELECT coalesce(max(number), 0) + 1 FROM "
	    "assignments", 0, 0, &x->number, d) < 0)
		return -1;
	if ((st = db_cached(a->db, "INSERT INTO assignments (number, "
	    "invoice_no, invoice_date, buyer_id, service, action, code, reason,"
	    " customer_group, reference, service_reference, language, "
	    "login_code, status, in_error, source, digest) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0, ?15, ?16)",
	    d)) == NULL)
		return -1;
	if (route)
		sqlite3_bind_int64(st, 1, x->number);
	else
		sqlite3_bind_null(st, 1);
	db_bind_text(st, 2, x->invoice_no);
	db_bind_date(st, 3, x->invoice_date);
	db_bind_text(st, 4, x->buyer_id);
	db_bind_text(st, 5, x->service);
	db_bind_text(st, 6, x->action);
	sqlite3_bind_int(st, 7, x->code);
	db_bind_text(st, 8, x->reason);
	db_bind_text(st, 9, x->group);
	db_bind_text(st, 10, x->reference);
	db_bind_text(st, 11, x->service_reference);
	db_bind_text(st, 12, x->language);
	db_bind_text(st, 13, x->login_code);
	db_bind_text(st, 14, route ? "open" : NULL);
	db_bind_copy(st, 15, x->source);
	db_bind_text(st, 16, x->digest);
	if (db_done(st, d, "add assignment") < 0)
		goto out;
	x->id = sqlite3_last_insert_rowid(a->db);
	if (route)
		snprintf(x->status, sizeof(x->status), "open");
	rc = 0;
out:
	db_release(st);
	return rc;
}

static int
update(struct assign *a, const char *sql, int64_t id, const char *s1,
    const char *s2, int64_t n, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_cached(a->db, sql, d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (s1 != NULL)
		db_bind_text(st, 2, s1);
	if (s2 != NULL)
		db_bind_text(st, 3, s2);
	if (n != 0)
		sqlite3_bind_int64(st, 2, n);
	rc = db_done(st, d, "update assignment");
	db_release(st);
	return rc;
}

int
assign_set_refs(struct assign *a, int64_t id, const char *sref,
    const char *login_code, struct diag *d)
{
	return update(a, "UPDATE assignments SET service_reference = ?2, "
	    "login_code = ?3 WHERE id = ?1", id, sref, login_code, 0, d);
}

int
assign_close_old(struct assign *a, int64_t id, int64_t by, struct diag *d)
{
	return update(a, "UPDATE assignments SET status = 'closed', "
	    "closed_by = ?2 WHERE id = ?1", id, NULL, NULL, by, d);
}

/* ---- the decisions of one input ---- */

static void
input_clear(struct assign *a)
{
	a->nseen = 0;
	a->nunkept = 0;
	a->unsorted = 0;
}

void
assign_input_begin(struct assign *a)
{
	if (a == NULL)
		return;
	input_clear(a);
	a->input_on = 1;
}

void
assign_input_end(struct assign *a)
{
	if (a == NULL)
		return;
	input_clear(a);
	a->input_on = 0;
}

int
assign_input_on(const struct assign *a)
{
	return a != NULL && a->input_on;
}

long
assign_source_line(const char *source)
{
	const char *c = strrchr(source, ':'), *p;
	long line = 0;

	if (c == NULL || c[1] == '\0')
		return 0;
	for (p = c + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || line > 100000000000L)
			return 0;
		line = line * 10 + (*p - '0');
	}
	return line;
}

void
assign_input_add(struct assign *a, const char *source,
    const struct assignment *x)
{
	long line;
	struct seen *s;

	if (!assign_input_on(a) || (line = assign_source_line(source)) <= 0)
		return;
	if (a->nseen == a->capseen) {
		a->capseen = a->capseen ? 2 * a->capseen : 256;
		a->seen = xrealloc(a->seen, a->capseen * sizeof(*a->seen));
	}
	s = &a->seen[a->nseen];
	s->line = line;
	s->seq = (long)a->nseen;
	if (x->id > 0)
		s->id = x->id;
	else {
		/* rejected as unfit and not kept: held as it is */
		if (a->nunkept == a->capunkept) {
			a->capunkept = a->capunkept ? 2 * a->capunkept : 8;
			a->unkept = xrealloc(a->unkept, a->capunkept *
			    sizeof(*a->unkept));
		}
		a->unkept[a->nunkept] = *x;
		s->id = -(int64_t)(1 + a->nunkept++);
	}
	if (a->nseen > 0 && line < a->seen[a->nseen - 1].line)
		a->unsorted = 1;
	a->nseen++;
}

static int
by_line(const void *p, const void *q)
{
	const struct seen *s = p, *t = q;

	if (s->line != t->line)
		return s->line < t->line ? -1 : 1;
	return s->seq < t->seq ? -1 : s->seq > t->seq;
}

int
assign_input_find(struct assign *a, long line, struct assignment *out,
    struct diag *d)
{
	size_t lo = 0, hi, mid;
	int64_t id;
	sqlite3_stmt *st;

	if (!assign_input_on(a) || a->nseen == 0)
		return 0;
	if (a->unsorted) {
		qsort(a->seen, a->nseen, sizeof(*a->seen), by_line);
		a->unsorted = 0;
	}
	/* the last entry for line: the first past it, less one */
	hi = a->nseen;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->seen[mid].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || a->seen[lo - 1].line != line)
		return 0;
	id = a->seen[lo - 1].id;
	if (id < 0) {
		*out = a->unkept[-id - 1];
		return 1;
	}
	if (cached(a, Q_ID, "WHERE id = ?1", &st, d) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(a, st, out, d);
}
