/*
 * oprows: the rows of table `op_rows` (oprows.h).
 */
#include <sqlite3.h>
#include <string.h>

#include "base/util.h"
#include "ledger/db.h"
#include "ledger/oprows.h"

static const char *const kind_names[] = {
	[OPROW_WITHDRAWAL] = "withdrawal",
	[OPROW_PAYMENT] = "payment",
	[OPROW_TAKEN] = "taken",
	[OPROW_KTL_PAYMENT] = "ktl-payment",
};

/* Bind day to parameter i of st as YYYY-MM-DD (buf holds the text). */
static void
bind_day(sqlite3_stmt *st, int i, day_t day, char *buf)
{
	db_bind_copy(st, i, date_format(day, buf));
}

/* sql prepared on the ledger with day as its parameter 1; NULL with d. */
static sqlite3_stmt *
prepare_on_day(struct ledger *l, const char *sql, day_t day,
    struct diag *d)
{
	char buf[DATE_BUFSZ];
	sqlite3_stmt *st = db_prepare(ledger_db(l), sql, d);

	if (st != NULL)
		bind_day(st, 1, day, buf);
	return st;
}

int
oprows_add(struct ledger *l, int64_t payment_id, enum oprow_kind kind,
    const char *key, day_t day, int64_t amount, struct diag *d)
{
	char buf[DATE_BUFSZ];
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO op_rows "
	    "(payment_id, kind, match_key, day, amount) VALUES "
	    "(?1, ?2, ?3, ?4, ?5)", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, payment_id);
	sqlite3_bind_text(st, 2, kind_names[kind], -1, SQLITE_STATIC);
	db_bind_copy(st, 3, key);
	bind_day(st, 4, day, buf);
	sqlite3_bind_int64(st, 5, amount);
	return db_finish(st, d, "op_rows");
}

int
oprows_find_request(struct ledger *l, int64_t amount, day_t from, day_t to,
    int64_t *id, char *source, size_t size, struct diag *d)
{
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT o.id, "
	    "coalesce(p.source, '') FROM op_rows o JOIN payments p ON "
	    "p.id = o.payment_id WHERE o.kind = 'withdrawal' AND "
	    "o.cleared_by IS NULL AND o.amount = ?1 AND o.day BETWEEN ?2 "
	    "AND ?3 ORDER BY o.day, o.id LIMIT 1", d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, amount);
	bind_day(st, 2, from, b1);
	bind_day(st, 3, to, b2);
	rc = db_step(st, d, "op_rows");
	if (rc == 1) {
		*id = sqlite3_column_int64(st, 0);
		str_copy_fit(source, size, (const char *)
		    sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc;
}

int
oprows_clear(struct ledger *l, int64_t id, int64_t cleared_by,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "UPDATE op_rows SET "
	    "cleared_by = ?2 WHERE id = ?1 AND cleared_by IS NULL", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, cleared_by);
	return db_finish(st, d, "op_rows");
}

int
oprows_claim_notified(struct ledger *l, int64_t payment_id,
    int64_t claimed_by, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "UPDATE op_rows SET "
	    "cleared_by = ?2 WHERE kind = 'ktl-payment' AND payment_id = ?1 "
	    "AND cleared_by IS NULL", d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, payment_id);
	sqlite3_bind_int64(st, 2, claimed_by);
	if (db_finish(st, d, "op_rows") < 0)
		return -1;
	return sqlite3_changes(ledger_db(l)) > 0;
}

int
oprows_untaken(struct ledger *l, const char *key, int64_t *amount,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT coalesce(sum("
	    "CASE kind WHEN 'taken' THEN -amount ELSE amount END), 0) FROM "
	    "op_rows WHERE match_key = ?1 AND (kind IN ('payment', 'taken') "
	    "OR (kind = 'ktl-payment' AND cleared_by IS NOT NULL))", d);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, key);
	if ((rc = db_step(st, d, "op_rows")) == 1)
		*amount = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
oprows_unclaimed_ktl(struct ledger *l, day_t day, int64_t *sum, int64_t *n,
    struct diag *d)
{
	sqlite3_stmt *st = prepare_on_day(l, "SELECT coalesce(sum(amount), "
	    "0), count(*) FROM op_rows WHERE kind = 'ktl-payment' AND "
	    "cleared_by IS NULL AND day = ?1", day, d);
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = db_step(st, d, "op_rows")) == 1) {
		*sum = sqlite3_column_int64(st, 0);
		*n = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
oprows_claim_ktl(struct ledger *l, day_t day, int64_t summary_id,
    struct diag *d)
{
	sqlite3_stmt *st = prepare_on_day(l, "UPDATE op_rows SET cleared_by "
	    "= ?2 WHERE kind = 'ktl-payment' AND cleared_by IS NULL AND "
	    "day = ?1", day, d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 2, summary_id);
	return db_finish(st, d, "op_rows");
}

int
oprows_open_requests(struct ledger *l, day_t before,
    void (*fn)(void *, day_t, int64_t, const char *), void *arg,
    struct diag *d)
{
	sqlite3_stmt *st = prepare_on_day(l, "SELECT o.day, o.amount, "
	    "coalesce(p.source, '') FROM op_rows o JOIN payments p ON "
	    "p.id = o.payment_id WHERE o.kind = 'withdrawal' AND "
	    "o.cleared_by IS NULL AND o.day < ?1 ORDER BY o.day, o.id",
	    before, d);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st, d, "op_rows")) == 1) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		day_t day = DAY_NONE;

		if (s != NULL)
			date_parse_iso(s, strlen(s), &day);
		fn(arg, day, sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
oprows_find_waiting_arrival(struct ledger *l, int64_t amount, day_t from,
    day_t to, int64_t *payment_id, struct diag *d)
{
	char b2[DATE_BUFSZ];
	sqlite3_stmt *st = prepare_on_day(l, "SELECT p.id FROM allocations a "
	    "JOIN payments p ON p.id = a.payment_id WHERE a.outcome = "
	    "'unknown' AND a.reason = 'no-withdrawal-request' AND a.amount = "
	    "?3 AND p.booking_date BETWEEN ?1 AND ?2 AND NOT EXISTS (SELECT 1 "
	    "FROM allocations r WHERE r.reverses_id = a.id) ORDER BY "
	    "p.booking_date, a.id LIMIT 1", from, d);
	int rc;

	if (st == NULL)
		return -1;
	bind_day(st, 2, to, b2);
	sqlite3_bind_int64(st, 3, amount);
	if ((rc = db_step(st, d, "op_rows")) == 1)
		*payment_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}
