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
 * the financed shares it can be for (financing_payout_take()) and every
 * adjustment and reversal not yet settled: what it paid is the credit
 * granted, less the adjustments, less the financing cost.
 *
 * The module works on the ledger's connection and transaction
 * (ledger_db()).  Functions return 0 (or 1 for found) and -1 with d
 * filled on a database error.
 */
#ifndef RESKONTRA_FINANCING_H
#define RESKONTRA_FINANCING_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "ledger/ledger.h"

enum financing_kind { FINANCING_GRANTED, FINANCING_ADJUSTMENT,
	FINANCING_REVERSAL };

/* The financed share of total at rate_bp hundredths of a percent
 * ([service] financing_rate), rounded half up to the cent. */
int64_t financing_share(int64_t total, int rate_bp);

/* rate_bp as a percent without trailing zeros ("80", "80.5", "80.25");
 * buf holds FINANCING_RATE_BUFSZ; returns buf. */
#define FINANCING_RATE_BUFSZ 16
char *financing_rate_format(int rate_bp, char *buf);

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

/* A financed share (a granted row) no payout settled yet. */
struct financing_share {
	int64_t id;			/* its row */
	char invoice_no[LEDGER_NO_BUFSZ];
	char reference[REF_BUFSZ];
	int64_t amount;
};

/* Add the granted row of invoice invoice_id: its financed share, on the
 * day it was financed (the day the invoice was stored). */
int financing_grant(struct ledger *l, int64_t invoice_id, int64_t amount,
    day_t day, struct diag *d);

/*
 * What a payout of cutoff can settle: the financed shares no payout
 * settled yet of invoices financed on or before cutoff (a row of a
 * ledger older than the column, whose day is not known, counts as
 * earlier), oldest first, in *shares (allocated, *n of them; the caller
 * frees it, also on error); and in *adjusted the adjustments less the
 * reversals no payout settled yet (negative when more was undone than
 * taken).
 */
int financing_pending(struct ledger *l, day_t cutoff,
    struct financing_share **shares, size_t *n, int64_t *adjusted,
    struct diag *d);

/* What financing_payout_take() makes of a payout. */
enum financing_verdict {
	FINANCING_PAYOUT_OK,		/* settles *take shares */
	FINANCING_PAYOUT_NOTHING,	/* nothing pending it can be for */
	FINANCING_PAYOUT_EXCEEDS,	/* more than all it can be for */
	FINANCING_PAYOUT_COST,		/* no plausible financing costs */
};

/* The most financing costs a payout settling granted cents of credit
 * for invoices financed invoices is taken to carry: FINANCING_COST_PCT
 * percent of the credit plus FINANCING_COST_FIXED cents per invoice, and
 * at least FINANCING_COST_FIXED (formats/financing.md "Financing"). */
#define FINANCING_COST_PCT 5
#define FINANCING_COST_FIXED 1000
int64_t financing_cost_bound(int64_t granted, size_t invoices);

/*
 * Which of the n pending shares (oldest first) a payout of payout cents
 * settles, with adjusted as financing_pending() gives it: the most of the
 * oldest shares whose implied financing costs (their credit, less
 * adjusted, less the payout) are at least 0 and at most
 * financing_cost_bound().  FINANCING_PAYOUT_OK with their count in *take
 * and the costs in *cost; otherwise the verdict, *take 0, and in *cost
 * what all n shares would imply.
 */
enum financing_verdict financing_payout_take(
    const struct financing_share *shares, size_t n, int64_t adjusted,
    int64_t payout, size_t *take, int64_t *cost);

/* Mark the first take of shares, and every adjustment and reversal not
 * settled yet, settled by payment payout_id. */
int financing_settle(struct ledger *l, int64_t payout_id,
    const struct financing_share *shares, size_t take, struct diag *d);

#endif
