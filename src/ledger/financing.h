/*
 * financing: Kassavirta Plus invoice financing kept in the ledger
 * (formats/financing.md, formats/ledger.md table `financing`).
 *
 * When `match` stores an invoice the service took ([service] type =
 * kassavirta, a routed assignment), Noja finances `financing_rate`
 * percent of it: a `granted` row.  A bypass payment of such an invoice
 * makes an `adjustment` row (the financed share of what the customer
 * paid past the service, which Noja takes back from its next payout).
 * The bank's correction of that payment makes a `reversal` row (the
 * adjustment undone).  Noja's payout on the company's statement settles
 * every row not yet settled: what it paid is the credit granted, less the adjustments,
 * less the financing cost.
 *
 * The module works on the ledger's connection and transaction
 * (ledger_db()).  Functions return 0 (or 1 for found) and -1 with d
 * filled on a database error.
 */
#ifndef RESKONTRA_FINANCING_H
#define RESKONTRA_FINANCING_H

#include <stdint.h>

#include "base/diag.h"
#include "ledger/ledger.h"

enum financing_kind { FINANCING_GRANTED, FINANCING_ADJUSTMENT,
	FINANCING_REVERSAL };

/* The financed share of total at rate percent, rounded half up. */
int64_t financing_share(int64_t total, int rate);

/* Add a row of kind for invoice invoice_id, made by payment payment_id
 * (0: none). */
int financing_add(struct ledger *l, int64_t invoice_id,
    enum financing_kind kind, int64_t amount, int64_t payment_id,
    struct diag *d);

/* The adjustments payment payment_id made, and of which invoice (0 when
 * it made none). */
int financing_adjusted_by(struct ledger *l, int64_t payment_id,
    int64_t *amount, int64_t *invoice_id, struct diag *d);

/* What of invoice_id's financed share is not taken back yet: granted
 * minus adjustments plus reversals (0 for an invoice not financed). */
int financing_open_share(struct ledger *l, int64_t invoice_id,
    int64_t *share, struct diag *d);

/* The sums of the rows no payout settled yet: granted, and adjustments
 * less reversals (negative when more was undone than taken). */
int financing_pending(struct ledger *l, int64_t *granted,
    int64_t *adjusted, struct diag *d);

/* Call fn for each granted row not settled yet (oldest first) with its
 * invoice's number and reference and the amount; then mark every row not
 * settled as settled by payment payout_id. */
int financing_settle(struct ledger *l, int64_t payout_id,
    void (*fn)(void *arg, const char *invoice_no, const char *reference,
    int64_t amount), void *arg, struct diag *d);

#endif
