/*
 * financing: the rows of table `financing` (financing.h).
 */
#include <sqlite3.h>

#include "ledger/db.h"
#include "ledger/financing.h"

static const char *const kind_names[] = {
	[FINANCING_GRANTED] = "granted",
	[FINANCING_ADJUSTMENT] = "adjustment",
	[FINANCING_REVERSAL] = "reversal",
};

int64_t
financing_share(int64_t total, int rate)
{
	return total > 0 ? (total * rate + 50) / 100 : 0;
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
financing_pending(struct ledger *l, int64_t *granted, int64_t *adjusted,
    struct diag *d)
{
	sqlite3 *db = ledger_db(l);

	if (db_int(db, "SELECT coalesce(sum(amount), 0) FROM financing WHERE "
	    "payout IS NULL AND kind = 'granted'", 0, 0, granted, d) < 0)
		return -1;
	return db_int(db, "SELECT coalesce(sum(CASE kind WHEN 'adjustment' "
	    "THEN amount ELSE -amount END), 0) FROM financing WHERE payout IS "
	    "NULL AND kind <> 'granted'", 0, 0, adjusted, d);
}

int
financing_settle(struct ledger *l, int64_t payout_id,
    void (*fn)(void *, const char *, const char *, int64_t), void *arg,
    struct diag *d)
{
	sqlite3 *db = ledger_db(l);
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT i.invoice_no, i.reference, f.amount "
	    "FROM financing f JOIN invoices i ON i.id = f.invoice_id WHERE "
	    "f.payout IS NULL AND f.kind = 'granted' ORDER BY f.id", d)) ==
	    NULL)
		return -1;
	while ((rc = db_step(st, d, "financing")) == 1) {
		const unsigned char *no = sqlite3_column_text(st, 0);
		const unsigned char *ref = sqlite3_column_text(st, 1);

		fn(arg, no ? (const char *)no : "", ref ? (const char *)ref :
		    "", sqlite3_column_int64(st, 2));
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if ((st = db_prepare(db, "UPDATE financing SET payout = ?1 WHERE "
	    "payout IS NULL", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, payout_id);
	return db_finish(st, d, "financing");
}
