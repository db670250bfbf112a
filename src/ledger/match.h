/*
 * match: what an invoice or a payment means for the receivables ledger.
 *
 * This is the one place where outcomes are decided (DESIGN.md "match").
 * An `inv` record adds an invoice or credit note (a credit note is linked
 * to the invoice it credits as soon as both are known); a `pay` record is
 * applied to the open invoice with its reference, and every decision is
 * written as an `alloc` record (formats/records.md) and stored in the
 * ledger.  The outcomes of the plain service (`[service] type = none`):
 *
 *   paid      the payment closes the invoice
 *   partial   the payment leaves part of the invoice open
 *   over      the part beyond the open amount (the customer's overpayment,
 *             never applied to another invoice)
 *   unknown   nothing to apply to; reason: no-reference, bad-reference,
 *             no-invoice, ambiguous (two or more invoices could be meant),
 *             currency, nothing-to-reverse (a correction without its
 *             payment)
 *   duplicate the same payment was booked before; nothing changes
 *   (an unknown payment's alloc names in suggestion the open invoice it
 *   most likely meant, ledger/suspense.h; and when an invoice arrives,
 *   the payments that waited in suspense for its reference are moved to
 *   it: reversed of unknown, then paid/partial/over, posted today)
 *   reversed  a correction undid an earlier allocation (amount negative)
 *   credit    a credit note reduced the invoice's open amount
 *
 * With a receivables service (amili, kassavirta: match_set_assign()):
 *
 *   settlement the service settled money it collected for the invoice
 *   bypass     a customer paid a routed invoice to the company's account
 *   interest   the service's interest settlement: income of no invoice
 *
 * With factoring (match_set_decisions()): bypass, a customer paid a
 * factored invoice to the company's own account (a warning says so).
 *
 * Records of other kinds are copied to the output unchanged; `inv`
 * records are copied too after they are stored.
 *
 * Ownership: match_new() borrows the ledger, the configuration and the
 * output; match_free() frees only the matcher.
 */
#ifndef RESKONTRA_MATCH_H
#define RESKONTRA_MATCH_H

#include "base/config.h"
#include "base/diag.h"
#include "base/record.h"
#include "ledger/ledger.h"

struct match;

struct match *match_new(struct ledger *l, const struct config *c,
    struct recout *out);
void match_free(struct match *m);

/* [service] type amili or kassavirta: look routed invoices up in a
 * (borrowed; on the same ledger connection).  Without it every payment
 * is decided by the plain rules. */
struct assign;
void match_set_assign(struct match *m, struct assign *a);

/* Decide one record read from r (the stream named r->name).  Returns 0
 * when done, 1 when the record was quarantined (malformed, or an invoice
 * number already used for different contents: nothing stored, d says
 * why), -1 on a ledger error (d filled; the caller rolls back). */
int match_record(struct match *m, const struct recin *r, struct diag *d);

/* A routing service: an invoice whose latest decision in a (ledger/
 * assign.h) is reject is not stored; the output has a comment instead. */
void match_set_decisions(struct match *m, struct assign *a);

/* Where the matcher's warnings go (a factoring invoice paid to the
 * wrong account, d's file the payment's source; match_finish()'s):
 * warn(arg, d).  Without it, standard error. */
void match_set_warn(struct match *m, void (*warn)(void *,
    const struct diag *), void *arg);

/* The inv record r as the ledger stores it: 0 with inv filled (every
 * string fits its field, the dates and the total parse, the sign fits the
 * type), or 1 with why, a reason of at most size bytes.  Every stage that
 * acts on an invoice checks this first, so that none acts on an invoice
 * the ledger would refuse, and none cuts a field. */
int match_inv_parse(const struct recin *r, struct ledger_invoice *inv,
    char *why, size_t size);

/* The day a payment in suspense is posted on when its invoice arrives
 * and it is matched then (ledger/suspense.h, rematch); without it, the
 * system date. */
void match_set_today(struct match *m, day_t today);

/* Write a as an alloc record. */
void match_write_alloc(struct recout *w, const struct ledger_alloc *a);

/* After an input: op-laskulaina loan withdrawal requests that no
 * arrival cleared although the company's statements of the input reach
 * ARRIVAL_DAYS banking days past them, each a warning (match_set_warn();
 * a diag naming the request's FILE:LINE).  0, or -1 with d on a ledger
 * error. */
int match_finish(struct match *m, struct diag *d);

/* 1 when the record match_record() took last was a pay record of a
 * payment the ledger has under its pair's archive id (a collective
 * camt.054 entry's payments named by their place, and the KTL of them):
 * not a payment of its own, so not counted again by the
 * reconciliation. */
int match_last_paired(const struct match *m);

#endif
