/*
 * oprows: the OP Laskulaina rows kept in the ledger (formats/ledger.md
 * table `op_rows`, formats/financing.md).
 *
 * match records here what the virtual statement and the virtual
 * account's reference payments carried, so that later rows can be
 * checked against them: a loan withdrawal requested (cleared once, by
 * the arrival on the company's account), a customer's payment (what a
 * repayment or interest row may take out of), a repayment or interest
 * taken, and a reference payment of the virtual account (KTL) that a
 * 705 summary entry of the statement claims.
 *
 * The module works on the ledger's connection and transaction
 * (ledger_db()).  Functions return 0 (or 1 for found) and -1 with d
 * filled on a database error.  Strings given are copied by SQLite.
 */
#ifndef RESKONTRA_OPROWS_H
#define RESKONTRA_OPROWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "ledger/ledger.h"

enum oprow_kind {
	OPROW_WITHDRAWAL,	/* a loan withdrawal requested */
	OPROW_PAYMENT,		/* a customer's payment on the statement */
	OPROW_TAKEN,		/* a repayment or interest taken */
	OPROW_KTL_PAYMENT	/* a reference payment of the account (KTL) */
};

/* Record row kind of payment payment_id (key: the reference's match
 * key, "" for none). */
int oprows_add(struct ledger *l, int64_t payment_id, enum oprow_kind kind,
    const char *key, day_t day, int64_t amount, struct diag *d);

/* The oldest withdrawal request of amount not cleared yet, booked on a
 * day in [from, to]: 1 with its row id in *id and its source (the
 * payment's, truncated to size) in source, 0 when there is none. */
int oprows_find_request(struct ledger *l, int64_t amount, day_t from,
    day_t to, int64_t *id, char *source, size_t size, struct diag *d);

/* Row id cleared by payment cleared_by (an arrival, a summary entry). */
int oprows_clear(struct ledger *l, int64_t id, int64_t cleared_by,
    struct diag *d);

/* What of reference key's customer payments is not taken yet: the
 * customer payments (and the reference payments a summary entry
 * claimed) less the repayments and interest taken. */
int oprows_untaken(struct ledger *l, const char *key, int64_t *amount,
    struct diag *d);

/* The sum and count of reference payments of the virtual account booked
 * on day that no summary entry claimed yet. */
int oprows_unclaimed_ktl(struct ledger *l, day_t day, int64_t *sum,
    int64_t *n, struct diag *d);

/* Claim them for summary entry payment summary_id. */
int oprows_claim_ktl(struct ledger *l, day_t day, int64_t summary_id,
    struct diag *d);

/* Claim the reference payment of the virtual account stored as payment
 * payment_id (a KTL or camt.054 notification) for claimed_by, when no
 * summary entry or statement row claimed it yet: 1 claimed, 0 not. */
int oprows_claim_notified(struct ledger *l, int64_t payment_id,
    int64_t claimed_by, struct diag *d);

/* The oldest payment set aside as an arrival without a request (an
 * unknown allocation, reason no-withdrawal-request, not undone) of
 * amount, booked on a day in [from, to]: 1 with its payment id, 0 none. */
int oprows_find_waiting_arrival(struct ledger *l, int64_t amount, day_t from,
    day_t to, int64_t *payment_id, struct diag *d);

/* Call fn for each withdrawal request not cleared and booked before
 * day, oldest first. */
int oprows_open_requests(struct ledger *l, day_t before,
    void (*fn)(void *arg, day_t day, int64_t amount, const char *source),
    void *arg, struct diag *d);

#endif
