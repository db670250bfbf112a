/*
 * financing: the rows of table `financing` (financing.h).
 */
#include <sqlite3.h>
#include <stdio.h>

#include "base/util.h"

#include "ledger/db.h"
#include "ledger/financing.h"

static const char *const kind_names[] = {
	[FINANCING_GRANTED] = "granted",
	[FINANCING_ADJUSTMENT] = "adjustment",
	[FINANCING_REVERSAL] = "reversal",
};

int64_t
financing_share(int64_t total, int rate_bp)
{
	return total > 0 ? (total * rate_bp + 5000) / 10000 : 0;
}

char *
financing_rate_format(int rate_bp, char *buf)
{
	if (rate_bp % 100 == 0)
		snprintf(buf, FINANCING_RATE_BUFSZ, "%d", rate_bp / 100);
	else if (rate_bp % 10 == 0)
		snprintf(buf, FINANCING_RATE_BUFSZ, "%d.%d", rate_bp / 100,
		    rate_bp % 100 / 10);
	else
		snprintf(buf, FINANCING_RATE_BUFSZ, "%d.%02d", rate_bp / 100,
		    rate_bp % 100);
	return buf;
}

int
financing_add(struct ledger *l, int64_t invoice_id, enum financing_kind kind,
    int64_t amount, int64_t payment_id, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO financing "
	    "(invoice_id, kind, amount, payment) VALUES (?1, ?2, ?3, ?4)", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invoice_id);
	sqlite3_bind_text(st, 2, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, amount);
	if (payment_id != 0)
		sqlite3_bind_int64(st, 4, payment_id);
	return db_finish(st, d, "financing");
}

int
financing_adjusted_by(struct ledger *l, int64_t payment_id, int64_t *amount,
    int64_t *invoice_id, struct diag *d)
{
	sqlite3 *db = ledger_db(l);

	if (db_int(db, "SELECT coalesce(sum(amount), 0) FROM financing WHERE "
	    "payment = ?1 AND kind = 'adjustment'", payment_id, 0, amount,
	    d) < 0)
		return -1;
	return db_int(db, "SELECT coalesce(max(invoice_id), 0) FROM financing "
	    "WHERE payment = ?1 AND kind = 'adjustment'", payment_id, 0,
	    invoice_id, d);
}

int
financing_open_share(struct ledger *l, int64_t invoice_id, int64_t *share,
    struct diag *d)
{
	return db_int(ledger_db(l), "SELECT coalesce(sum(CASE kind WHEN "
	    "'adjustment' THEN -amount ELSE amount END), 0) FROM financing "
	    "WHERE invoice_id = ?1", invoice_id, 0, share, d);
}

int
financing_grant(struct ledger *l, int64_t invoice_id, int64_t amount,
    day_t day, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO financing "
	    "(invoice_id, kind, amount, day) VALUES (?1, 'granted', ?2, ?3)",
	    d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, invoice_id);
	sqlite3_bind_int64(st, 2, amount);
	db_bind_date(st, 3, day);
	return db_finish(st, d, "financing");
}

/* Row st of the pending shares' query, as a share. */
static void
share_row(sqlite3_stmt *st, struct financing_share *s)
{
	s->id = sqlite3_column_int64(st, 0);
	snprintf(s->invoice_no, sizeof s->invoice_no, "%s",
	    db_col_text(st, 1));
	snprintf(s->reference, sizeof s->reference, "%s", db_col_text(st, 2));
	s->amount = sqlite3_column_int64(st, 3);
}

int
financing_pending(struct ledger *l, day_t cutoff,
    struct financing_share **shares, size_t *n, int64_t *adjusted,
    struct diag *d)
{
	sqlite3 *db = ledger_db(l);
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*shares = NULL;
	*n = 0;
	if ((st = db_prepare(db, "SELECT f.id, i.invoice_no, i.reference, "
	    "f.amount FROM financing f JOIN invoices i ON i.id = f.invoice_id "
	    "WHERE f.payout IS NULL AND f.kind = 'granted' AND (f.day IS NULL "
	    "OR f.day <= ?1) ORDER BY f.day IS NOT NULL, f.day, f.id", d)) ==
	    NULL)
		return -1;
	db_bind_date(st, 1, cutoff);
	while ((rc = db_step(st, d, "financing")) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*shares = xrealloc(*shares, cap * sizeof **shares);
		}
		share_row(st, &(*shares)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return db_int(db, "SELECT coalesce(sum(CASE kind WHEN 'adjustment' "
	    "THEN amount ELSE -amount END), 0) FROM financing WHERE payout IS "
	    "NULL AND kind <> 'granted'", 0, 0, adjusted, d);
}

int64_t
financing_cost_bound(int64_t granted, size_t invoices)
{
	int64_t fixed = FINANCING_COST_FIXED * (int64_t)(invoices ? invoices :
	    1);

	return granted * FINANCING_COST_PCT / 100 + fixed;
}

enum financing_verdict
financing_payout_take(const struct financing_share *shares, size_t n,
    int64_t adjusted, int64_t payout, size_t *take, int64_t *cost)
{
	int64_t granted = 0, c;
	size_t k;
	int found = 0;

	*take = 0;
	for (k = 0; k <= n; k++) {
		if (k > 0)
			granted += shares[k - 1].amount;
		c = granted - adjusted - payout;
		if (c >= 0 && c <= financing_cost_bound(granted, k)) {
			*take = k;
			*cost = c;
			found = 1;
		}
	}
	if (found)
		return FINANCING_PAYOUT_OK;
	*cost = granted - adjusted - payout;
	if (n == 0 && adjusted == 0)
		return FINANCING_PAYOUT_NOTHING;
	return *cost < 0 ? FINANCING_PAYOUT_EXCEEDS : FINANCING_PAYOUT_COST;
}

int
financing_settle(struct ledger *l, int64_t payout_id,
    const struct financing_share *shares, size_t take, struct diag *d)
{
	sqlite3 *db = ledger_db(l);
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < take; i++) {
		if ((st = db_cached(db, "UPDATE financing SET payout = ?1 "
		    "WHERE id = ?2", d)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, payout_id);
		sqlite3_bind_int64(st, 2, shares[i].id);
		if (db_done(st, d, "financing") < 0)
			return -1;
	}
	if ((st = db_prepare(db, "UPDATE financing SET payout = ?1 WHERE "
	    "payout IS NULL AND kind <> 'granted'", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, payout_id);
	return db_finish(st, d, "financing");
}
