/*
 * suspense: where a payment's money is, the invoices it may have meant,
 * and the moves that put it right (suspense.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/money.h"
#include "base/recschema.h"
#include "base/util.h"
#include "ledger/db.h"
#include "ledger/match.h"
#include "ledger/suspense.h"

#define FIND_MAX 10		/* payments of one archive id named */
#define SCAN_MAX 64		/* candidates kept while ranking */


static void
copy(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s);
}

/* Where the money of p is: in_suspense and the allocation that put it
 * there. */
static int
load_balance(sqlite3 *db, struct suspense_payment *p, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, outcome,"
	    " coalesce(reverses, ''), amount, coalesce(reason, '')"
	    " FROM allocations WHERE payment_id = ? ORDER BY id", d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	p->in_suspense = 0;
	p->unknown_id = 0;
	p->reason[0] = '\0';
	while ((rc = db_step(st, d, "payment allocations")) == 1) {
		const char *o = db_col_text(st, 1), *rev = db_col_text(st, 2);
		int64_t amount = sqlite3_column_int64(st, 3);

		if (strcmp(o, "unknown") == 0) {
			p->in_suspense += amount;
			p->unknown_id = sqlite3_column_int64(st, 0);
			copy(p->reason, sizeof p->reason, db_col_text(st, 4));
		} else if (strcmp(o, "reversed") == 0 &&
		    strcmp(rev, "unknown") == 0)
			p->in_suspense += amount;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
suspense_load(struct ledger *l, int64_t id, struct suspense_payment *p,
    struct diag *d)
{
	sqlite3 *db = ledger_db(l);
	sqlite3_stmt *st = db_prepare(db, "SELECT id, account_iban,"
	    " coalesce(archive_id, ''), booking_date, payment_date, amount,"
	    " coalesce(reference, ''), coalesce(match_key, ''),"
	    " coalesce(payer_name, ''), correction, reversed_by IS NOT NULL,"
	    " coalesce(source, '') FROM payments WHERE id = ?", d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	memset(p, 0, sizeof *p);
	if ((rc = db_step(st, d, "payment")) == 1) {
		p->id = sqlite3_column_int64(st, 0);
		copy(p->account_iban, sizeof p->account_iban, db_col_text(st, 1));
		copy(p->archive_id, sizeof p->archive_id, db_col_text(st, 2));
		p->booking_date = db_col_date(st, 3);
		p->payment_date = db_col_date(st, 4);
		p->amount = sqlite3_column_int64(st, 5);
		copy(p->reference, sizeof p->reference, db_col_text(st, 6));
		copy(p->match_key, sizeof p->match_key, db_col_text(st, 7));
		copy(p->payer_name, sizeof p->payer_name, db_col_text(st, 8));
		p->correction = sqlite3_column_int(st, 9);
		p->reversed = sqlite3_column_int(st, 10);
		copy(p->source, sizeof p->source, db_col_text(st, 11));
	}
	sqlite3_finalize(st);
	if (rc == 1 && load_balance(db, p, d) < 0)
		return -1;
	return rc;
}

int
suspense_find(struct ledger *l, const char *id, struct suspense_payment *p,
    struct diag *d)
{
	sqlite3_stmt *st;
	int64_t ids[FIND_MAX];
	struct sbuf list = SBUF_INIT;
	uint64_t n;
	int rc, count = 0, i;

	if (id[0] == '#') {
		if (parse_uint(id + 1, strlen(id + 1), &n) < 0 ||
		    n > INT64_MAX)
			return 0;
		return suspense_load(l, (int64_t)n, p, d);
	}
	if ((st = db_prepare(ledger_db(l), "SELECT id FROM payments"
	    " WHERE archive_id = ? ORDER BY id", d)) == NULL)
		return -1;
	db_bind_copy(st, 1, id);
	while ((rc = db_step(st, d, "payment")) == 1)
		if (count < FIND_MAX)
			ids[count++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (count == 0)
		return 0;
	if (count == 1)
		return suspense_load(l, ids[0], p, d);
	for (i = 0; i < count; i++)
		sbuf_addf(&list, "%s#%lld", i ? ", " : "", (long long)ids[i]);
	diag_set(d, "", 0, 0, "archive id '%s' names "
	    "%d payments (%s): name one by its ledger number", id, count,
	    list.data);
	sbuf_free(&list);
	return 2;
}

static int
applies(const char *o)
{
	return strcmp(o, "paid") == 0 || strcmp(o, "partial") == 0 ||
	    strcmp(o, "settlement") == 0 || strcmp(o, "bypass") == 0;
}

int
suspense_on_invoice(struct ledger *l, int64_t pid, int64_t iid,
    int64_t *applied, int64_t *over, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT outcome,"
	    " coalesce(reverses, ''), amount FROM allocations"
	    " WHERE payment_id = ? AND invoice_id = ?", d);
	int rc;

	*applied = *over = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, pid);
	sqlite3_bind_int64(st, 2, iid);
	while ((rc = db_step(st, d, "payment on invoice")) == 1) {
		const char *o = db_col_text(st, 0), *rev = db_col_text(st, 1);
		int64_t amount = sqlite3_column_int64(st, 2);
		int is_rev = strcmp(o, "reversed") == 0;

		if (applies(o) || (is_rev && applies(rev)))
			*applied += amount;
		else if (strcmp(o, "over") == 0 || (is_rev &&
		    strcmp(rev, "over") == 0))
			*over += amount;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The payment's columns of an alloc record. */
static void
from_payment(struct ledger_alloc *a, const struct suspense_payment *p)
{
	a->payment_id = p->id;
	a->archive_id = p->archive_id;
	a->reference = p->reference;
	a->account_iban = p->account_iban;
	a->booking_date = p->booking_date;
	a->payer_name = p->payer_name;
	a->source = p->source;
}

int
suspense_each_alloc(struct ledger *l, const struct suspense_payment *p,
    int (*fn)(void *, const struct ledger_alloc *), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT a.amount,"
	    " a.outcome, a.open_after IS NOT NULL, a.open_after, a.reason,"
	    " a.reverses, i.invoice_no, i.buyer_id, c.invoice_no,"
	    " a.posting_date FROM allocations a"
	    " LEFT JOIN invoices i ON i.id = a.invoice_id"
	    " LEFT JOIN invoices c ON c.id = a.credit_id"
	    " WHERE a.payment_id = ? ORDER BY a.id", d);
	struct ledger_alloc a;
	int rc, ret = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, p->id);
	while ((rc = db_step(st, d, "payment allocations")) == 1) {
		memset(&a, 0, sizeof a);
		a.amount = sqlite3_column_int64(st, 0);
		a.outcome = db_col_text(st, 1);
		a.has_open_after = sqlite3_column_int(st, 2);
		a.open_after = sqlite3_column_int64(st, 3);
		a.reason = db_col_text(st, 4);
		a.reverses = db_col_text(st, 5);
		a.invoice_no = db_col_text(st, 6);
		a.buyer_id = db_col_text(st, 7);
		a.credit_note_no = db_col_text(st, 8);
		a.posting_date = db_col_date(st, 9);
		from_payment(&a, p);
		if ((ret = fn(arg, &a)) != 0)
			break;
	}
	if (ret == 0 && rc < 0)
		ret = -1;
	sqlite3_finalize(st);
	return ret;
}

/* ---- candidates ------------------------------------------------------- */

/* Optimal string alignment distance of a and b (digits of references:
 * a wrong digit, one left out or added, two swapped), at most 3. */
static int
distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i, j;
	int row[3][REF_BUFSZ + 1], *prev2, *prev, *cur, c;

	if (na > REF_BUFSZ || nb > REF_BUFSZ)
		return 3;
	if ((na > nb ? na - nb : nb - na) > 2)
		return 3;
	prev2 = row[0], prev = row[1], cur = row[2];
	for (j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= na; i++) {
		cur[0] = (int)i;
		for (j = 1; j <= nb; j++) {
			c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < c)
				c = prev2[j - 2] + 1;
			cur[j] = c;
		}
		{
			int *t = prev2;

			prev2 = prev;
			prev = cur;
			cur = t;
		}
	}
	return prev[nb] > 3 ? 3 : prev[nb];
}

/* s folded for comparing names: ASCII letters upper-cased, the Finnish
 * å, ä (A) and ö (O) of either case without their marks (a bank's file
 * may have KAMPPA for Kämppä), runs of blanks one blank. */
static size_t
fold_name(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p == ' ')
		p++;
	for (; *p && n + 2 < size; p++) {
		if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
			continue;
		if (*p == 0xC3 && (p[1] == 0x84 || p[1] == 0x85 ||
		    p[1] == 0xA4 || p[1] == 0xA5 || p[1] == 0x96 ||
		    p[1] == 0xB6)) {
			out[n++] = p[1] == 0x96 || p[1] == 0xB6 ? 'O' : 'A';
			p++;
			continue;
		}
		out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	}
	out[n] = '\0';
	return n;
}

/* The payer's name (cut short by the bank, in capitals) starts like the
 * buyer's, over at least 5 bytes. */
static int
same_payer(const char *payer, const char *buyer)
{
	char a[SUSPENSE_TEXT], b[SUSPENSE_TEXT];
	size_t na = fold_name(payer, a, sizeof a);
	size_t nb = fold_name(buyer, b, sizeof b);
	size_t n = na < nb ? na : nb;

	return n >= 5 && memcmp(a, b, n) == 0;
}

/* The reference is one edit away from the invoice's (not the same: that
 * one would have been found). */
static int
near_reference(const char *key, const char *inv_key)
{
	return *key && *inv_key && strcmp(key, inv_key) != 0 &&
	    distance(key, inv_key) <= 1;
}

static int
cmp_candidates(const void *a, const void *b)
{
	const struct suspense_candidate *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	if (x->inv.due_date != y->inv.due_date)
		return x->inv.due_date < y->inv.due_date ? -1 : 1;
	return x->inv.id < y->inv.id ? -1 : x->inv.id > y->inv.id;
}

/* Score the open invoice in row st for the payment (key, payer, amount). */
static void
score(struct suspense_candidate *c, sqlite3_stmt *st, const char *key,
    const char *payer, int64_t amount)
{
	memset(c, 0, sizeof *c);
	c->inv.id = sqlite3_column_int64(st, 0);
	copy(c->inv.invoice_no, sizeof c->inv.invoice_no, db_col_text(st, 1));
	copy(c->inv.reference, sizeof c->inv.reference, db_col_text(st, 2));
	copy(c->inv.match_key, sizeof c->inv.match_key, db_col_text(st, 3));
	copy(c->buyer_name, sizeof c->buyer_name, db_col_text(st, 4));
	c->inv.due_date = db_col_date(st, 5);
	c->inv.open_amount = sqlite3_column_int64(st, 6);
	copy(c->inv.buyer_id, sizeof c->inv.buyer_id, db_col_text(st, 7));
	c->inv.invoice_date = db_col_date(st, 8);
	if (amount > 0 && c->inv.open_amount == amount)
		c->why |= SUSPENSE_SAME_AMOUNT, c->score += 4;
	if (*key != '\0' && strcmp(key, c->inv.match_key) == 0)
		c->why |= SUSPENSE_SAME_REFERENCE, c->score += 8;
	else if (near_reference(key, c->inv.match_key))
		c->why |= SUSPENSE_NEAR_REFERENCE, c->score += 2;
	if (same_payer(payer, c->buyer_name))
		c->why |= SUSPENSE_SAME_PAYER, c->score += 2;
}

/* Rank the open invoices (only those of amount when only_amount) for a
 * payment with reference key and payer: at most max into out. */
static int
rank(struct ledger *l, const char *key, const char *payer, int64_t amount,
    int only_amount, struct suspense_candidate *out, int max,
    struct diag *d)
{
	struct suspense_candidate *c = xcalloc(SCAN_MAX, sizeof *c), one;
	sqlite3_stmt *st;
	int rc, n = 0, i, worst;

	st = db_prepare(ledger_db(l), only_amount ?
	    "SELECT id, invoice_no, coalesce(reference, ''),"
	    " coalesce(match_key, ''), coalesce(buyer_name, ''), due_date,"
	    " open_amount, coalesce(buyer_id, ''), invoice_date FROM invoices"
	    " WHERE type = 'invoice' AND open_amount > 0 AND open_amount = ?1"
	    " ORDER BY id" :
	    "SELECT id, invoice_no, coalesce(reference, ''),"
	    " coalesce(match_key, ''), coalesce(buyer_name, ''), due_date,"
	    " open_amount, coalesce(buyer_id, ''), invoice_date FROM invoices"
	    " WHERE type = 'invoice' AND open_amount > 0 ORDER BY id", d);
	if (st == NULL) {
		free(c);
		return -1;
	}
	if (only_amount)
		sqlite3_bind_int64(st, 1, amount);
	while ((rc = db_step(st, d, "open invoices")) == 1) {
		score(&one, st, key, payer, amount);
		if (one.score == 0)
			continue;
		if (n < SCAN_MAX) {
			c[n++] = one;
			continue;
		}
		/* keep the best SCAN_MAX */
		for (worst = 0, i = 1; i < n; i++)
			if (cmp_candidates(&c[i], &c[worst]) > 0)
				worst = i;
		if (cmp_candidates(&one, &c[worst]) < 0)
			c[worst] = one;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(c);
		return -1;
	}
	qsort(c, (size_t)n, sizeof *c, cmp_candidates);
	if (n > max)
		n = max;
	memcpy(out, c, (size_t)n * sizeof *c);
	free(c);
	return n;
}

int
suspense_candidates(struct ledger *l, const struct suspense_payment *p,
    int64_t amount, struct suspense_candidate *out, int max, struct diag *d)
{
	return rank(l, p->match_key, p->payer_name, amount, 0, out, max, d);
}

int
suspense_suggest(struct ledger *l, const char *reference,
    const char *payer_name, int64_t amount, char *no, size_t size,
    struct diag *d)
{
	struct suspense_candidate c[2];
	char key[REF_BUFSZ];
	size_t n = strlen(reference);
	int got;

	key[0] = '\0';
	if (n < REF_BUFSZ)
		ref_match_key(reference, n, key);
	if ((got = rank(l, key, payer_name, amount, 1, c, 2, d)) < 0)
		return -1;
	if (got == 0 || (got == 2 && c[0].score == c[1].score))
		return 0;
	copy(no, size, c[0].inv.invoice_no);
	return 1;
}

const char *
suspense_why_text(unsigned why, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *text; } words[] = {
		{ SUSPENSE_SAME_REFERENCE, "same reference" },
		{ SUSPENSE_SAME_AMOUNT, "same amount" },
		{ SUSPENSE_NEAR_REFERENCE, "reference one digit away" },
		{ SUSPENSE_SAME_PAYER, "same payer" },
	};
	size_t i, len = 0;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (why & words[i].bit && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    len > 0 ? ", " : "", words[i].text);
	return buf;
}

/* ---- moves ------------------------------------------------------------ */

static const char *const action_names[] = {
	[SUSPENSE_ALLOCATE] = "allocate",
	[SUSPENSE_UNALLOCATE] = "unallocate",
	[SUSPENSE_REMATCH] = "rematch",
};

/* An allocation of the move: stored (with its posting date), written. */
static int
add(struct ledger *l, struct recout *out, const struct suspense_payment *p,
    const struct ledger_invoice *inv, enum alloc_outcome o,
    const char *reverses, int64_t reverses_id, int64_t amount,
    const char *reason, day_t day, int64_t *first, struct diag *d)
{
	struct ledger_alloc a;
	sqlite3_stmt *st;
	char date[DATE_BUFSZ];

	memset(&a, 0, sizeof a);
	from_payment(&a, p);
	a.amount = amount;
	a.outcome = outcome_name(o);
	a.reason = reason;
	a.reverses = reverses;
	a.reverses_id = reverses_id;
	a.posting_date = day;
	if (inv != NULL && (o != OUTCOME_UNKNOWN)) {
		a.invoice_id = inv->id;
		a.invoice_no = inv->invoice_no;
		a.buyer_id = inv->buyer_id;
		a.has_open_after = 1;
		a.open_after = inv->open_amount;
	}
	if (ledger_add_alloc(l, &a, d) < 0)
		return -1;
	if (*first == 0)
		*first = a.id;
	if ((st = db_prepare(ledger_db(l), "UPDATE allocations SET"
	    " posting_date = ? WHERE id = ?", d)) == NULL)
		return -1;
	db_bind_copy(st, 1, date_format(day, date));
	sqlite3_bind_int64(st, 2, a.id);
	if (db_finish(st, d, "posting date") < 0)
		return -1;
	if (out != NULL)
		match_write_alloc(out, &a);
	return 0;
}

static int
journal(struct ledger *l, enum suspense_action action,
    const struct suspense_payment *p, const struct ledger_invoice *inv,
    int64_t amount, day_t day, int64_t first, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO"
	    " suspense_moves (run_id, day, action, payment_id, invoice_id,"
	    " amount, first_alloc, last_alloc) VALUES (?, ?, ?, ?, ?, ?, ?,"
	    " (SELECT max(id) FROM allocations))", d);
	char date[DATE_BUFSZ];
	int64_t run = ledger_run_id(l);

	if (st == NULL)
		return -1;
	if (run > 0)
		sqlite3_bind_int64(st, 1, run);
	db_bind_copy(st, 2, date_format(day, date));
	sqlite3_bind_text(st, 3, action_names[action], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->id);
	sqlite3_bind_int64(st, 5, inv->id);
	sqlite3_bind_int64(st, 6, amount);
	sqlite3_bind_int64(st, 7, first);
	return db_finish(st, d, "journal the move");
}

/* Suspense to inv: a reversal of the unknown allocation, then what the
 * invoice takes (paid/partial) and, for a rematch, the rest as over. */
static int
from_suspense(struct ledger *l, struct recout *out,
    struct suspense_payment *p, struct ledger_invoice *inv, int64_t amount,
    day_t day, int64_t *first, struct diag *d)
{
	int64_t open = inv->open_amount > 0 ? inv->open_amount : 0;
	int64_t applied = amount < open ? amount : open;
	int64_t excess = amount - applied;

	if (add(l, out, p, NULL, OUTCOME_REVERSED, "unknown", p->unknown_id,
	    -amount, NULL, day, first, d) < 0)
		return -1;
	if (applied > 0) {
		inv->paid += applied;
		ledger_invoice_settle(inv);
		if (add(l, out, p, inv, applied == open ? OUTCOME_PAID :
		    OUTCOME_PARTIAL, NULL, 0, applied, NULL, day, first, d) < 0)
			return -1;
	}
	if (excess > 0) {
		inv->over += excess;
		ledger_invoice_settle(inv);
		if (add(l, out, p, inv, OUTCOME_OVER, NULL, 0, excess, NULL,
		    day, first, d) < 0)
			return -1;
	}
	p->in_suspense -= amount;
	return ledger_update_paid(l, inv, d);
}

/* inv to suspense: a reversal of what was applied, then unknown. */
static int
to_suspense(struct ledger *l, struct recout *out, struct suspense_payment *p,
    struct ledger_invoice *inv, int64_t amount, day_t day, int64_t *first,
    struct diag *d)
{
	inv->paid -= amount;
	ledger_invoice_settle(inv);
	if (add(l, out, p, inv, OUTCOME_REVERSED, "paid", 0, -amount, NULL,
	    day, first, d) < 0)
		return -1;
	if (add(l, out, p, inv, OUTCOME_UNKNOWN, NULL, 0, amount,
	    "unallocated", day, first, d) < 0)
		return -1;
	p->in_suspense += amount;
	return ledger_update_paid(l, inv, d);
}

/*
 * The service inv was routed to (into buf, size bytes): 1, 0 when it
 * was not routed, -1 with d.  A payment of a routed invoice to the
 * company's own account is a bypass payment: the matcher tells the
 * service of it (a notice; with kassavirta the financing is adjusted),
 * which a move out of suspense does not, so such a move is refused.
 */
/* suspense_routed_to(), and the [factoring NAME] section the same
 * routing transferred inv by (into section, when not NULL; "" when it
 * was no factoring transfer). */
static int
routing_of(struct ledger *l, const struct ledger_invoice *inv, char *buf,
    size_t size, char *section, size_t ssize, struct diag *d)
{
	static const char sql[] = "SELECT a.service, f.account FROM"
	    " assignments a LEFT JOIN factoring_invoices f ON f.assignment ="
	    " a.id AND f.type = 'invoice' WHERE a.invoice_no = ?1 AND"
	    " a.action = 'route' AND (?2 = '' OR a.invoice_date IS ?2)"
	    " ORDER BY a.id DESC LIMIT 1";
	sqlite3_stmt *st = db_cached(ledger_db(l), sql, d);
	char date[DATE_BUFSZ];
	const char *v;
	int rc;

	if (section != NULL)
		*section = '\0';
	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, inv->invoice_no);
	db_bind_copy(st, 2, date_format(inv->invoice_date, date));
	if ((rc = db_step(st, d, "routing of the invoice")) == 1) {
		v = (const char *)sqlite3_column_text(st, 0);
		snprintf(buf, size, "%s", v ? v : "a service");
		v = (const char *)sqlite3_column_text(st, 1);
		if (section != NULL && v != NULL)
			copy(section, ssize, v);
	}
	db_release(st);
	return rc;
}

int
suspense_routed_to(struct ledger *l, const struct ledger_invoice *inv,
    char *buf, size_t size, struct diag *d)
{
	return routing_of(l, inv, buf, size, NULL, 0, d);
}

/* Why a move of amount is refused, or NULL. */
static const char *
refusal(struct ledger *l, const struct suspense_payment *p,
    enum suspense_action action, const struct ledger_invoice *inv,
    int64_t amount, char *buf, size_t size, struct diag *d)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	int64_t applied, over;

	if (p->correction)
		return "it is a bank's correction, not a payment";
	if (p->reversed)
		return "a bank's correction has undone it";
	if (inv->is_credit)
		return "that is a credit note, not an invoice";
	if (action != SUSPENSE_UNALLOCATE && strcmp(p->reason, "currency") == 0)
		return "it is in another currency than euros: its amount is "
		    "not the invoice's; book it by hand at the bank's rate";
	{
		char svc[64];
		int r = suspense_routed_to(l, inv, svc, sizeof svc, d);

		if (r < 0)
			return NULL;
		/* the financier's money on its own factoring invoice */
		if (r == 1 && p->to_factoring && strcmp(svc, "factoring") == 0)
			r = 0;
		if (r == 1) {
			snprintf(buf, size, "invoice %s was routed to %s: a "
			    "payment of it to the company's account is a "
			    "bypass payment, which the service %s; settle it "
			    "with the service", inv->invoice_no, svc,
			    action == SUSPENSE_UNALLOCATE ? "was told of" :
			    "must be told of");
			return buf;
		}
	}
	if (action == SUSPENSE_UNALLOCATE) {
		if (suspense_on_invoice(l, p->id, inv->id, &applied, &over,
		    d) < 0)
			return NULL;
		if (applied <= 0) {
			snprintf(buf, size, "none of it is on invoice %s",
			    inv->invoice_no);
			return buf;
		}
		if (amount > applied) {
			snprintf(buf, size, "it has %s on invoice %s, not %s",
			    money_format(applied, a), inv->invoice_no,
			    money_format(amount, b));
			return buf;
		}
		return NULL;
	}
	if (p->in_suspense <= 0)
		return "none of it is in suspense";
	if (amount > p->in_suspense) {
		snprintf(buf, size, "it has %s in suspense, not %s",
		    money_format(p->in_suspense, a), money_format(amount, b));
		return buf;
	}
	if (action == SUSPENSE_ALLOCATE && inv->open_amount <= 0) {
		if (inv->open_amount == 0)
			snprintf(buf, size, "invoice %s has nothing open "
			    "(paid or credited)", inv->invoice_no);
		else
			snprintf(buf, size, "invoice %s has nothing open: "
			    "credited beyond what was left, %s is due back to "
			    "the buyer", inv->invoice_no,
			    money_format(-inv->open_amount, a));
		return buf;
	}
	if (action == SUSPENSE_ALLOCATE && amount > inv->open_amount) {
		snprintf(buf, size, "invoice %s has %s open, not %s",
		    inv->invoice_no, money_format(inv->open_amount, a),
		    money_format(amount, b));
		return buf;
	}
	if (amount <= 0)
		return "the amount must be more than 0.00";
	return NULL;
}

int
suspense_move(struct ledger *l, struct recout *out,
    struct suspense_payment *p, enum suspense_action action,
    struct ledger_invoice *inv, int64_t amount, day_t day, struct diag *d)
{
	char buf[300];
	const char *why;
	int64_t first = 0;
	struct diag qd;

	memset(&qd, 0, sizeof qd);
	/* a move is posted on its day, never before the payment's own */
	if (day != DAY_NONE && p->booking_date != DAY_NONE &&
	    day < p->booking_date) {
		char a[DATE_BUFSZ], b[DATE_BUFSZ];

		if (action == SUSPENSE_REMATCH)
			day = p->booking_date;
		else {
			diag_set(d, "", 0, 0, "payment %s (#%lld): cannot %s "
			    "on %s: the payment was booked on %s",
			    p->archive_id, (long long)p->id,
			    action_names[action], date_format(day, a),
			    date_format(p->booking_date, b));
			return 1;
		}
	}
	why = refusal(l, p, action, inv, amount, buf, sizeof buf, &qd);
	if (qd.msg[0]) {
		*d = qd;
		return -1;
	}
	if (why != NULL) {
		diag_set(d, "", 0, 0, "payment %s (#%lld): "
		    "cannot %s: %s", p->archive_id, (long long)p->id,
		    action_names[action], why);
		return 1;
	}
	if ((action == SUSPENSE_UNALLOCATE ? to_suspense(l, out, p, inv,
	    amount, day, &first, d) : from_suspense(l, out, p, inv, amount,
	    day, &first, d)) < 0)
		return -1;
	return journal(l, action, p, inv, amount, day, first, d) < 0 ? -1 : 0;
}

static const char rematch_sql[] = "SELECT p.id FROM payments p"
    " WHERE p.match_key = ? AND p.correction = 0"
    " AND p.reversed_by IS NULL AND EXISTS (SELECT 1 FROM"
    " allocations a WHERE a.payment_id = p.id AND a.outcome ="
    " 'unknown' AND a.reason = 'no-invoice') ORDER BY p.id";

int
suspense_rematch(struct ledger *l, struct recout *out,
    const struct config *c, struct ledger_invoice *inv, day_t day,
    struct suspense_waiting *w, struct diag *d)
{
	sqlite3_stmt *st;
	struct suspense_payment p;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	const struct conf_factoring *f;
	const char *facc = NULL;
	char section[64] = "";
	int rc, moved = 0, routed = 0;

	memset(w, 0, sizeof *w);
	if (inv->is_credit || inv->match_key[0] == '\0')
		return 0;
	st = db_cached(ledger_db(l), rematch_sql, d);
	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, inv->match_key);
	while ((rc = db_step(st, d, "payments in suspense")) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	db_release(st);
	/* a routed invoice's payments stay where they are, counted into w
	 * (suspense_routed_to()); asked only when there are some, as a new
	 * invoice seldom has */
	if (rc == 0 && n > 0 && (routed = routing_of(l, inv, w->service,
	    sizeof w->service, section, sizeof section, d)) < 0)
		rc = -1;
	/* ... but a factoring invoice's payment that came to its factoring
	 * account is the financier's money on it, matched as it would have
	 * been had the invoice come first (no bypass to tell) */
	if (routed == 1 && c != NULL && strcmp(w->service, "factoring") == 0 &&
	    (f = config_factoring(c, section)) != NULL)
		facc = f->iban;
	/* the moves after the query: they change what it reads */
	for (i = 0; rc == 0 && i < n; i++) {
		if ((rc = suspense_load(l, ids[i], &p, d)) < 0)
			break;
		rc = 0;
		if (p.in_suspense <= 0 || strcmp(p.reason, "no-invoice") != 0)
			continue;
		p.to_factoring = facc != NULL &&
		    strcmp(p.account_iban, facc) == 0;
		if (routed && !p.to_factoring) {
			if (w->n++ == 0)
				copy(w->first, sizeof w->first, *p.archive_id ?
				    p.archive_id : "(no archive id)");
			w->amount += p.in_suspense;
		} else if (suspense_move(l, out, &p, SUSPENSE_REMATCH, inv,
		    p.in_suspense, day, d) != 0) {
			rc = -1;
			break;
		} else
			moved++;
	}
	free(ids);
	return rc < 0 ? -1 : moved;
}

int
suspense_rematch_repeat(struct ledger *l, struct recout *out,
    const struct ledger_payment *row, day_t day, struct diag *d)
{
	struct ledger_invoice cand[3], *inv = NULL;
	struct suspense_payment p;
	int rc, n, i, nopen = 0;

	if (row->twin_id == 0)
		return 0;
	if ((rc = suspense_load(l, row->twin_id, &p, d)) <= 0)
		return rc;
	if (p.correction || p.reversed || p.in_suspense <= 0 ||
	    strcmp(p.reason, "no-invoice") != 0 || p.match_key[0] == '\0')
		return 0;
	/* the one invoice the reference names now, as match would take it */
	if ((n = ledger_find_by_key(l, p.match_key, cand, 3, d)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cand[i].open_amount > 0)
			nopen++;
	if (n == 0 || nopen > 1 || (nopen == 0 && n > 1))
		return 0;
	inv = &cand[0];
	if (suspense_move(l, out, &p, SUSPENSE_REMATCH, inv, p.in_suspense,
	    day, d) != 0)
		return -1;
	return 1;
}

int
suspense_post_later(struct ledger *l, struct recout *out,
    const struct suspense_payment *p, const struct ledger_invoice *inv,
    enum alloc_outcome o, const char *reverses, int64_t reverses_id,
    int64_t amount, const char *reason, day_t day, int64_t *first,
    struct diag *d)
{
	return add(l, out, p, inv, o, reverses, reverses_id, amount, reason,
	    day, first, d);
}
