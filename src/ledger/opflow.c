/*
 * opflow: the rows of table `op_flow` (opflow.h).
 */
#include <sqlite3.h>

#include "ledger/db.h"
#include "ledger/opflow.h"

static const char *const kind_names[] = {
	[OPFLOW_IN] = "in",
	[OPFLOW_OUT] = "out",
	[OPFLOW_FORWARD] = "forward",
	[OPFLOW_REMAINDER] = "remainder",
};

int
opflow_add(struct ledger *l, int64_t payment_id, const char *key,
    enum opflow_kind kind, int64_t amount, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO op_flow "
	    "(payment_id, match_key, kind, amount) VALUES (?1, ?2, ?3, ?4)",
	    d);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, payment_id);
	db_bind_copy(st, 2, key);
	sqlite3_bind_text(st, 3, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, amount);
	return db_finish(st, d, "op flow");
}

/* A virtual-statement row booked by day ?2. */
#define BY_UPTO(k) "f.kind = '" k "' AND p.booking_date <= ?2"

int
opflow_left(struct ledger *l, const char *key, day_t upto,
    int64_t *forwarded, int64_t *left, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "SELECT "
	    "coalesce(sum(f.amount) FILTER (WHERE " BY_UPTO("in") "), 0), "
	    "coalesce(sum(f.amount) FILTER (WHERE " BY_UPTO("out") "), 0), "
	    "count(*) FILTER (WHERE " BY_UPTO("forward") "), "
	    "coalesce(sum(f.amount) FILTER (WHERE " BY_UPTO("forward") "), "
	    "0), "
	    "coalesce(sum(f.amount) FILTER (WHERE f.kind = 'remainder'), 0) "
	    "FROM op_flow f JOIN payments p ON p.id = f.payment_id "
	    "WHERE f.match_key = ?1 AND p.reversed_by IS NULL", d);
	char day[DATE_BUFSZ];
	int64_t in, out, taken;
	int rc;

	*forwarded = *left = 0;
	if (st == NULL)
		return -1;
	db_bind_copy(st, 1, key);
	db_bind_copy(st, 2, date_format(upto, day));
	rc = db_step(st, d, "op flow");
	if (rc == 1) {
		in = sqlite3_column_int64(st, 0);
		out = sqlite3_column_int64(st, 1);
		/* the TILITYS rows say it; without them, what OP kept */
		*forwarded = sqlite3_column_int64(st, 2) > 0 ?
		    sqlite3_column_int64(st, 3) : in > out ? in - out : 0;
		taken = sqlite3_column_int64(st, 4);
		*left = *forwarded > taken ? *forwarded - taken : 0;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}
