/*
 * reconcile: KTO statements against the reference payments of the same
 * account and day, and against the account's previous statement
 * (formats/ledger.md "Reconciliation").
 *
 * The match stage hands every record of an input to reconcile_record();
 * at the end of the input reconcile_finish() stores what the input said
 * in the ledger (tables recon_stmt and recon_item: a statement,
 * an entry or a payment seen again is not counted twice) and compares,
 * for every account and day the input touched:
 *
 *   - the statement's reference-payment entries (booking code 705) with
 *     the net of the reference payments (KTL, camt.054) of that account
 *     booked that day -- once both have arrived, in either order;
 *   - the statement's opening balance with the closing balance of the
 *     account's statement before it (and its closing balance with the
 *     opening of the one after it, when that came first);
 *   - when a statement arrives, the 705 entries of the account's
 *     previous statement that no reference payment has met yet: by then
 *     their payment file should have come (expected 0.00).
 *
 * Each difference is given to the caller's function; nothing is changed
 * because of it (the payments are booked as they came).  Works inside
 * the caller's transaction, on the ledger's connection.
 *
 * Ownership: reconcile_new() allocates, reconcile_free() releases; the
 * strings of a struct reconcile_diff live until the function returns.
 */
#ifndef RESKONTRA_RECONCILE_H
#define RESKONTRA_RECONCILE_H

#include <stdint.h>

#include <sqlite3.h>

#include "base/diag.h"
#include "base/money.h"
#include "base/record.h"
#include "base/util.h"

struct reconcile;

/* One difference.  what: "705 entries" (expected: the payments' net,
 * found: the statement's entries), "705 entries now" (a day said not to
 * agree agrees now: expected = found) or "opening balance" (expected: the
 * previous closing balance) or "closing balance" (expected: the next
 * statement's opening). */
struct reconcile_diff {
	const char *account;
	const char *day;	/* YYYY-MM-DD */
	const char *what;
	int64_t expected, found;
	const char *source;	/* FILE:LINE of the statement (or payment) */
};

/* own_payments: NULL, or an account whose statement entries may be
 * themselves the payments (the op-laskulaina virtual account: a
 * reference payment file may follow them or not), so its 705 entries
 * are compared only with the payments of a day that has some, never
 * said unmatched when none came; its balances are compared. */
struct reconcile *reconcile_new(sqlite3 *db, const char *own_payments);
void reconcile_free(struct reconcile *rc);

/* Take note of r if it is a stmt, txn, bal or pay record. */
/* 0, or -1 with d on a database error: the caller stops at once, since
 * SQLite may have rolled the transaction back (out of memory, a full
 * disk) and a statement after it would commit on its own. */
int reconcile_record(struct reconcile *rc, const struct recin *r,
    struct diag *d);

/* Store the input's statements, entries and payments, compare, and call
 * fn for each difference; the input's notes are then forgotten.  The
 * number of differences, or -1 with d on a database error. */
int reconcile_finish(struct reconcile *rc,
    void (*fn)(void *arg, const struct reconcile_diff *x), void *arg,
    struct diag *d);

/* The note fields of x (account, day, what, expected, found, difference,
 * source; the amounts written into the buffers) for the run report. */
#define RECONCILE_NFIELDS 7
void reconcile_fields(const struct reconcile_diff *x,
    char bufs[3][MONEY_BUFSZ],
    const char *f[RECONCILE_NFIELDS]);

/* The operator's sentence for note fields f (no FILE:LINE in front):
 * "account A on DAY: WHAT is F, expected E (difference X); not
 * reconciled". */
void reconcile_message(const char *const *f, struct sbuf *b);

#endif
