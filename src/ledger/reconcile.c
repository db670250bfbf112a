/*
 * reconcile: statements against reference payments and against each
 * other (reconcile.h).  It sits in the match stage: the entries and
 * payments of an input are stored as match reads them, its statements
 * at its end, and compared then.  What is held in memory for an input
 * is a 64-bit fingerprint per item (to number alike items), its
 * statements and the accounts and days its payments touched -- not the
 * items, so a file of a million payments is not a million strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/recschema.h"
#include "ledger/db.h"
#include "ledger/reconcile.h"

/* A statement's reference-payment entries have this booking code. */
#define RECON_BOOKING_CODE "705"
/* Days of one statement looked at; a longer period is cut there. */
#define RECON_MAX_DAYS 62

struct rstmt {
	char *account, *no, *source;
	day_t from, to;
	int has_opening, has_closing;
	int64_t opening, closing;
	int coded;		/* an entry of it has a booking code */
	int fresh;		/* new to the ledger (reconcile_finish) */
};

/* Fingerprints of the input's items with how many were seen: open
 * addressing, 0 is an empty slot. */
struct fpcount {
	uint64_t *key;
	int *count;
	size_t cap, n;
};

/* An account and a day the input's payments touched. */
struct rday {
	char *account;
	day_t day;
};

struct reconcile {
	sqlite3 *db;
	char *own_payments;	/* account no payment file need follow */
	sqlite3_stmt *ins;	/* INSERT OR IGNORE INTO recon_item */
	int failed;		/* storing an item failed: err says how */
	struct diag err;
	struct rstmt *stmt;
	size_t nstmt;
	struct fpcount items, dayset;
	struct rday *days;
	size_t ndays, capdays;
};

/* FNV-1a over n bytes of p, continuing from h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);	/* with the NUL: "a","b" != "ab","" */
}

/* How many times key was counted before; counts it once more. */
static int
fp_bump(struct fpcount *f, uint64_t key)
{
	size_t i, mask;

	if (key == 0)
		key = 1;
	if (2 * (f->n + 1) > f->cap) {
		struct fpcount g;

		g.cap = f->cap ? 2 * f->cap : 1024;
		g.n = 0;
		g.key = xcalloc(g.cap, sizeof *g.key);
		g.count = xcalloc(g.cap, sizeof *g.count);
		for (i = 0; i < f->cap; i++)
			if (f->key[i] != 0) {
				size_t j = f->key[i] & (g.cap - 1);

				while (g.key[j] != 0)
					j = (j + 1) & (g.cap - 1);
				g.key[j] = f->key[i];
				g.count[j] = f->count[i];
				g.n++;
			}
		free(f->key);
		free(f->count);
		*f = g;
	}
	mask = f->cap - 1;
	for (i = key & mask; f->key[i] != 0; i = (i + 1) & mask)
		if (f->key[i] == key)
			return f->count[i]++;
	f->key[i] = key;
	f->count[i] = 1;
	f->n++;
	return 0;
}

static void
fp_free(struct fpcount *f)
{
	free(f->key);
	free(f->count);
	memset(f, 0, sizeof *f);
}

struct reconcile *
reconcile_new(sqlite3 *db, const char *own_payments)
{
	struct reconcile *rc = xcalloc(1, sizeof *rc);

	rc->db = db;
	if (own_payments != NULL)
		rc->own_payments = xstrdup(own_payments);
	return rc;
}

static void
forget(struct reconcile *rc)
{
	size_t i;

	for (i = 0; i < rc->nstmt; i++) {
		free(rc->stmt[i].account);
		free(rc->stmt[i].no);
		free(rc->stmt[i].source);
	}
	for (i = 0; i < rc->ndays; i++)
		free(rc->days[i].account);
	free(rc->stmt);
	free(rc->days);
	rc->stmt = NULL;
	rc->days = NULL;
	rc->nstmt = rc->ndays = rc->capdays = 0;
	fp_free(&rc->items);
	fp_free(&rc->dayset);
	rc->failed = 0;
}

void
reconcile_free(struct reconcile *rc)
{
	if (rc == NULL)
		return;
	forget(rc);
	sqlite3_finalize(rc->ins);
	free(rc->own_payments);
	free(rc);
}

/* ---- what the input says ---------------------------------------------- */

static int
field_day(const struct recin *r, size_t col, day_t *day)
{
	const char *s = rec_field(r, col);

	return strlen(s) == 10 && date_parse_iso(s, 10, day) == 0 ? 0 : -1;
}

static int
field_cents(const struct recin *r, size_t col, int64_t *cents)
{
	const char *s = rec_field(r, col);

	return *s && money_parse(s, strlen(s), cents) == 0 ? 0 : -1;
}

static void
take_stmt(struct reconcile *rc, const struct recin *r)
{
	struct rstmt s;

	memset(&s, 0, sizeof s);
	if (field_day(r, COL_STMT_FROM_DATE, &s.from) < 0 ||
	    field_day(r, COL_STMT_TO_DATE, &s.to) < 0 || s.to < s.from)
		return;
	s.has_opening = field_cents(r, COL_STMT_OPENING_BALANCE,
	    &s.opening) == 0;
	s.account = xstrdup(rec_field(r, COL_STMT_ACCOUNT_IBAN));
	s.no = xstrdup(rec_field(r, COL_STMT_STATEMENT_NO));
	s.source = xstrdup(rec_source_field(r));
	rc->stmt = xrealloc(rc->stmt, (rc->nstmt + 1) * sizeof *rc->stmt);
	rc->stmt[rc->nstmt++] = s;
}

/* A balance on the last day of the input's latest statement of that
 * account is its closing balance. */
static void
take_bal(struct reconcile *rc, const struct recin *r)
{
	struct rstmt *s;
	day_t day;
	int64_t cents;

	if (rc->nstmt == 0 || field_day(r, COL_BAL_DATE, &day) < 0 ||
	    field_cents(r, COL_BAL_BOOKED_BALANCE, &cents) < 0)
		return;
	s = &rc->stmt[rc->nstmt - 1];
	if (day == s->to && strcmp(s->account, rec_field(r,
	    COL_BAL_ACCOUNT_IBAN)) == 0) {
		s->closing = cents;
		s->has_closing = 1;
	}
}

static void bind_day(sqlite3_stmt *st, int i, day_t day);

/*
 * The archive id a KTL file gives for a payment's id: the last 16
 * characters of a longer one (camt.054 gives the bank's id whole), with
 * the blanks at both ends dropped, as the ledger compares them (SQL's
 * trim(substr(id, -16))), into buf (at least 16 * 4 + 1 bytes); an id
 * of 16 characters or fewer is id itself.
 */
static const char *
ktl_form(const char *id, char *buf)
{
	const char *p = id + strlen(id), *e;
	int n = 0;

	while (p > id && n < 16)
		if ((*--p & 0xc0) != 0x80)	/* a character's first byte */
			n++;
	if (p == id)
		return id;
	while (*p == ' ')
		p++;
	for (e = p + strlen(p); e > p && e[-1] == ' '; e--)
		;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/*
 * Store an item of kind ("entry" or "pay") of record r: its number
 * among the alike items of the input before it (two entries without
 * archive ids stay two), and a row of recon_item unless an earlier
 * input stored it (INSERT OR IGNORE: seen again, not counted twice).
 */
static void
add_item(struct reconcile *rc, const char *kind, const struct recin *r,
    size_t account_col, size_t archive_col, day_t day, int64_t amount,
    int correction)
{
	const char *account = rec_field(r, account_col);
	const char *archive_id = rec_field(r, archive_col);
	uint64_t h = 0xcbf29ce484222325ULL;
	char cut[16 * 4 + 1];
	int nth;

	/* one payment read from KTL and from camt.054 is one item */
	if (strcmp(kind, "pay") == 0)
		archive_id = ktl_form(archive_id, cut);

	if (rc->failed)
		return;
	h = fnv_str(h, kind);
	h = fnv_str(h, account);
	h = fnv_str(h, archive_id);
	h = fnv(h, &day, sizeof day);
	h = fnv(h, &amount, sizeof amount);
	h = fnv(h, &correction, sizeof correction);
	nth = fp_bump(&rc->items, h);
	if (rc->ins == NULL && (rc->ins = db_prepare(rc->db, "INSERT OR "
	    "IGNORE INTO recon_item (kind, account_iban, day, archive_id, "
	    "amount, correction, nth, source) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?)", &rc->err)) == NULL) {
		rc->failed = 1;
		return;
	}
	sqlite3_bind_text(rc->ins, 1, kind, -1, SQLITE_STATIC);
	db_bind_copy(rc->ins, 2, account);
	bind_day(rc->ins, 3, day);
	db_bind_copy(rc->ins, 4, archive_id);
	sqlite3_bind_int64(rc->ins, 5, amount);
	sqlite3_bind_int(rc->ins, 6, correction);
	sqlite3_bind_int(rc->ins, 7, nth);
	db_bind_copy(rc->ins, 8, rec_source_field(r));
	if (db_done(rc->ins, &rc->err, "store for reconciliation") < 0)
		rc->failed = 1;
}

/* Note that the input's payments touched account on day. */
static void
add_day(struct reconcile *rc, const char *account, day_t day)
{
	uint64_t h = fnv(fnv_str(0xcbf29ce484222325ULL, account), &day,
	    sizeof day);

	if (fp_bump(&rc->dayset, h) != 0)
		return;
	if (rc->ndays == rc->capdays) {
		rc->capdays = rc->capdays ? 2 * rc->capdays : 16;
		rc->days = xrealloc(rc->days, rc->capdays * sizeof *rc->days);
	}
	rc->days[rc->ndays].account = xstrdup(account);
	rc->days[rc->ndays++].day = day;
}

/* A statement entry (not an itemisation row) with booking code 705. */
static void
take_txn(struct reconcile *rc, const struct recin *r)
{
	day_t day;
	int64_t cents;

	if (rc->nstmt > 0 && *rec_field(r, COL_TXN_BOOKING_CODE) &&
	    strcmp(rc->stmt[rc->nstmt - 1].account, rec_field(r,
	    COL_TXN_ACCOUNT_IBAN)) == 0)
		rc->stmt[rc->nstmt - 1].coded = 1;
	if (strcmp(rec_field(r, COL_TXN_BOOKING_CODE),
	    RECON_BOOKING_CODE) != 0 ||
	    !txn_booked(r) ||
	    field_day(r, COL_TXN_BOOKING_DATE, &day) < 0 ||
	    field_cents(r, COL_TXN_AMOUNT, &cents) < 0)
		return;
	add_item(rc, "entry", r, COL_TXN_ACCOUNT_IBAN,
	    COL_TXN_ARCHIVE_ID, day, cents, 0);
}

static void
take_pay(struct reconcile *rc, const struct recin *r)
{
	day_t day;
	int64_t cents;

	/* A direct debit (KTL type 5) is in the statement's 704 entry,
	 * not its 705 (a failed one moved no money at all): only
	 * reference payments are compared with the 705 entries.  A credit
	 * without a reference (a camt.054 notifies every credit, a
	 * transfer from Noja say) is an entry of its own on the statement,
	 * not part of the 705. */
	if (strcmp(rec_field(r, COL_PAY_RECORD_TYPE), "dd") == 0 ||
	    *rec_field(r, COL_PAY_REFERENCE) == '\0' ||
	    pay_failed_dd(r) ||
	    field_day(r, COL_PAY_BOOKING_DATE, &day) < 0 ||
	    field_cents(r, COL_PAY_AMOUNT, &cents) < 0 || cents < 0)
		return;
	add_item(rc, "pay", r, COL_PAY_ACCOUNT_IBAN,
	    COL_PAY_ARCHIVE_ID, day, cents,
	    strcmp(rec_field(r, COL_PAY_CORRECTION), "1") == 0);
	add_day(rc, rec_field(r, COL_PAY_ACCOUNT_IBAN), day);
}

int
reconcile_record(struct reconcile *rc, const struct recin *r,
    struct diag *d)
{
	const char *kind = rec_field(r, 0);

	if (strcmp(kind, "stmt") == 0)
		take_stmt(rc, r);
	else if (strcmp(kind, "bal") == 0)
		take_bal(rc, r);
	else if (strcmp(kind, "txn") == 0)
		take_txn(rc, r);
	else if (strcmp(kind, "pay") == 0)
		take_pay(rc, r);
	if (!rc->failed)
		return 0;
	*d = rc->err;
	return -1;
}

/* ---- storing ------------------------------------------------------------ */

static void
bind_day(sqlite3_stmt *st, int i, day_t day)
{
	char buf[DATE_BUFSZ];

	db_bind_copy(st, i, date_format(day, buf));
}

/* Store statement s: 1 when it is new, 0 when the ledger had it. */
static int
store_stmt(struct reconcile *rc, const struct rstmt *s, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(rc->db, "INSERT OR IGNORE INTO "
	    "recon_stmt (account_iban, statement_no, from_date, to_date, "
	    "opening, closing, source, codes) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?)", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, s->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->no, -1, SQLITE_STATIC);
	bind_day(st, 3, s->from);
	bind_day(st, 4, s->to);
	if (s->has_opening)
		sqlite3_bind_int64(st, 5, s->opening);
	if (s->has_closing)
		sqlite3_bind_int64(st, 6, s->closing);
	sqlite3_bind_text(st, 7, s->source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, s->coded);
	if (db_finish(st, d, "store a statement for reconciliation") < 0)
		return -1;
	return sqlite3_changes(rc->db) > 0;
}

/* ---- comparing ---------------------------------------------------------- */

struct report {
	void (*fn)(void *arg, const struct reconcile_diff *x);
	void *arg;
	int n;
};

static void
differ(struct report *rp, const char *account, day_t day, const char *what,
    int64_t expected, int64_t found, const char *source)
{
	struct reconcile_diff x;
	char buf[DATE_BUFSZ];

	x.account = account;
	x.day = date_format(day, buf);
	x.what = what;
	x.expected = expected;
	x.found = found;
	x.source = source;
	rp->fn(rp->arg, &x);
	rp->n++;
}

/* Account day's 705 entries were said not reconciled (open = 1: note
 * it) or now agree (open = 0: 1 when they had been said not to). */
static int
day_open(struct reconcile *rc, const char *account, day_t day, int open,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(rc->db, open ? "INSERT OR IGNORE INTO "
	    "recon_open (account_iban, day) VALUES (?1, ?2)" : "DELETE FROM "
	    "recon_open WHERE account_iban = ?1 AND day = ?2", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	bind_day(st, 2, day);
	if (db_finish(st, d, "reconciliation of a day") < 0)
		return -1;
	return sqlite3_changes(rc->db) > 0;
}

/*
 * The 705 entries of account on day against its payments' net, once a
 * statement covers the day and a payment of the day is known: 0 (a
 * difference reported or none), -1 with d.
 */
static int
compare_day(struct reconcile *rc, struct report *rp, const char *account,
    day_t day, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(rc->db, "SELECT "
	    " (SELECT source FROM recon_stmt WHERE account_iban = ?1"
	    "  AND from_date <= ?2 AND to_date >= ?2 AND codes = 1"
	    "  ORDER BY rowid LIMIT 1),"
	    " (SELECT coalesce(sum(amount), 0) FROM recon_item"
	    "  WHERE kind = 'entry' AND account_iban = ?1 AND day = ?2),"
	    " (SELECT count(*) FROM recon_item WHERE kind = 'pay'"
	    "  AND account_iban = ?1 AND day = ?2),"
	    " (SELECT coalesce(sum(CASE correction WHEN 1 THEN -amount"
	    "  ELSE amount END), 0) FROM recon_item WHERE kind = 'pay'"
	    "  AND account_iban = ?1 AND day = ?2)", d);
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	bind_day(st, 2, day);
	if ((r = db_step(st, d, "reconcile a day")) == 1 &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 2) > 0) {
		char *source = xstrdup((const char *)sqlite3_column_text(st,
		    0));
		int64_t found = sqlite3_column_int64(st, 1);
		int64_t expected = sqlite3_column_int64(st, 3);
		int open;

		sqlite3_finalize(st);
		st = NULL;
		/* a difference said before and gone now is said too: it
		 * closes what the operator was told to look at */
		if ((open = day_open(rc, account, day, found != expected,
		    d)) < 0)
			r = -1;
		else if (found != expected || open == 1)
			differ(rp, account, day, found != expected ?
			    "705 entries" : "705 entries now", expected,
			    found, source);
		free(source);
	}
	sqlite3_finalize(st);
	return r < 0 ? -1 : 0;
}

/* The balance of the account's statement just before (next = 0: its
 * closing) or just after (next = 1: its opening, and its first day in
 * *from) statement s: 1 with *cents, 0 when there is none or it has no
 * such balance, -1 with d. */
static int
neighbour_balance(struct reconcile *rc, const struct rstmt *s, int next,
    int64_t *cents, day_t *from, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(rc->db, next ?
	    "SELECT opening, from_date FROM recon_stmt WHERE account_iban = ?1"
	    " AND from_date > ?2 ORDER BY from_date LIMIT 1" :
	    "SELECT closing, to_date FROM recon_stmt WHERE account_iban = ?1 "
	    "AND to_date < ?2 ORDER BY to_date DESC LIMIT 1", d);
	int r, found = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, s->account, -1, SQLITE_STATIC);
	bind_day(st, 2, next ? s->to : s->from);
	if ((r = db_step(st, d, "reconcile balances")) == 1 &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*cents = sqlite3_column_int64(st, 0);
		if (from != NULL && date_parse_iso((const char *)
		    sqlite3_column_text(st, 1), 10, from) != 0)
			*from = DAY_NONE;
		found = 1;
	}
	sqlite3_finalize(st);
	return r < 0 ? -1 : found;
}

/* Whether the input brought the account's statement that begins on
 * from, new to the ledger. */
static int
fresh_from(const struct reconcile *rc, const char *account, day_t from)
{
	size_t i;

	for (i = 0; i < rc->nstmt; i++)
		if (rc->stmt[i].fresh && rc->stmt[i].from == from &&
		    strcmp(rc->stmt[i].account, account) == 0)
			return 1;
	return 0;
}

/* A new statement's opening against the previous closing, its closing
 * against the next opening, the statements of the whole input stored
 * first (a file may list its days newest first).  A gap between two
 * new statements is said once, as the later one's opening. */
static int
compare_balances(struct reconcile *rc, struct report *rp,
    const struct rstmt *s, struct diag *d)
{
	int64_t cents;
	day_t from;
	int r;

	if (s->has_opening) {
		if ((r = neighbour_balance(rc, s, 0, &cents, NULL, d)) < 0)
			return -1;
		if (r == 1 && cents != s->opening)
			differ(rp, s->account, s->from, "opening balance",
			    cents, s->opening, s->source);
	}
	if (s->has_closing) {
		if ((r = neighbour_balance(rc, s, 1, &cents, &from, d)) < 0)
			return -1;
		if (r == 1 && cents != s->closing &&
		    !fresh_from(rc, s->account, from))
			differ(rp, s->account, s->to, "closing balance",
			    cents, s->closing, s->source);
	}
	return 0;
}

/*
 * When the statement after it arrives, the days of the previous
 * statement of s's account whose 705 entries no reference payment
 * matched yet: their payment file has not come (or went elsewhere).
 */
static int
compare_unmatched(struct reconcile *rc, struct report *rp,
    const struct rstmt *s, struct diag *d)
{
	/* only for the account's latest statement: one that came late
	 * has a later one, which said it already */
	sqlite3_stmt *st = db_prepare(rc->db, "SELECT e.day, sum(e.amount),"
	    " p.source FROM recon_item e,"
	    " (SELECT from_date, to_date, source FROM recon_stmt"
	    "  WHERE account_iban = ?1 AND to_date < ?2"
	    "  ORDER BY to_date DESC LIMIT 1) p"
	    " WHERE NOT EXISTS (SELECT 1 FROM recon_stmt WHERE"
	    "  account_iban = ?1 AND from_date > ?3)"
	    " AND e.kind = 'entry' AND e.account_iban = ?1"
	    " AND e.day >= p.from_date"
	    " AND e.day <= p.to_date AND NOT EXISTS (SELECT 1 FROM recon_item"
	    "  WHERE kind = 'pay' AND account_iban = ?1 AND day = e.day)"
	    " GROUP BY e.day HAVING sum(e.amount) != 0 ORDER BY e.day", d);
	day_t day;
	int r;

	if (st == NULL)
		return -1;
	/* the virtual statement's rows are the payments themselves: a
	 * reference payment file of its account may come, or not */
	if (rc->own_payments != NULL &&
	    strcmp(s->account, rc->own_payments) == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_bind_text(st, 1, s->account, -1, SQLITE_STATIC);
	bind_day(st, 2, s->from);
	bind_day(st, 3, s->to);
	while ((r = db_step(st, d, "reconcile unmatched entries")) == 1) {
		char *source = xstrdup((const char *)sqlite3_column_text(st,
		    2));

		if (date_parse_iso((const char *)sqlite3_column_text(st, 0),
		    10, &day) == 0) {
			if (day_open(rc, s->account, day, 1, d) < 0) {
				free(source);
				r = -1;
				break;
			}
			differ(rp, s->account, day, "705 entries", 0,
			    sqlite3_column_int64(st, 1), source);
		}
		free(source);
	}
	sqlite3_finalize(st);
	return r < 0 ? -1 : 0;
}

/* Every day the input's payments, entries and statements touched. */
static int
compare_days(struct reconcile *rc, struct report *rp, struct diag *d)
{
	size_t i;
	day_t day;

	for (i = 0; i < rc->ndays; i++)
		if (compare_day(rc, rp, rc->days[i].account, rc->days[i].day,
		    d) < 0)
			return -1;
	for (i = 0; i < rc->nstmt; i++) {
		const struct rstmt *s = &rc->stmt[i];

		for (day = s->from; day <= s->to &&
		    day < s->from + RECON_MAX_DAYS; day++)
			if (compare_day(rc, rp, s->account, day, d) < 0)
				return -1;
	}
	return 0;
}

int
reconcile_finish(struct reconcile *rc,
    void (*fn)(void *arg, const struct reconcile_diff *x), void *arg,
    struct diag *d)
{
	struct report rp = { fn, arg, 0 };
	size_t i;
	int r = -1, fresh;

	if (rc->failed) {
		*d = rc->err;
		goto out;
	}
	for (i = 0; i < rc->nstmt; i++) {
		if ((fresh = store_stmt(rc, &rc->stmt[i], d)) < 0 ||
		    (fresh && compare_unmatched(rc, &rp, &rc->stmt[i],
		    d) < 0))
			goto out;
		rc->stmt[i].fresh = fresh;
	}
	for (i = 0; i < rc->nstmt; i++)
		if (rc->stmt[i].fresh && compare_balances(rc, &rp,
		    &rc->stmt[i], d) < 0)
			goto out;
	if (compare_days(rc, &rp, d) < 0)
		goto out;
	r = rp.n;
out:
	forget(rc);
	return r;
}

/* ---- words ------------------------------------------------------------ */

void
reconcile_fields(const struct reconcile_diff *x, char bufs[3][MONEY_BUFSZ],
    const char *f[RECONCILE_NFIELDS])
{
	f[0] = x->account;
	f[1] = x->day;
	f[2] = x->what;
	f[3] = money_format(x->expected, bufs[0]);
	f[4] = money_format(x->found, bufs[1]);
	f[5] = money_format(x->found - x->expected, bufs[2]);
	f[6] = x->source;
}

/* What the expected amount of each check is. */
static const char *
expected_what(const char *what)
{
	if (strcmp(what, "705 entries") == 0)
		return "the net of the day's reference payments";
	if (strcmp(what, "opening balance") == 0)
		return "the previous statement's closing balance";
	return "the next statement's opening balance";
}

void
reconcile_message(const char *const *f, struct sbuf *b)
{
	if (strcmp(f[2], "705 entries now") == 0) {
		sbuf_addf(b, "account %s on %s: 705 entries total %s, the net "
		    "of the day's reference payments: reconciled now (said "
		    "not reconciled before)", f[0], f[1], f[4]);
		return;
	}
	sbuf_addf(b, "account %s on %s: %s %s %s, expected %s (%s); "
	    "difference %s; not reconciled", f[0], f[1], f[2],
	    strcmp(f[2], "705 entries") == 0 ? "total" : "is", f[4], f[3],
	    expected_what(f[2]), f[5]);
}
