/*
 * suspense: payments that went to suspense (or to the wrong invoice) and
 * the moves that put them right (formats/ledger.md "Suspense moves",
 * reskontra-explain(1), reskontra-allocate(1)).
 *
 * A payment is found by its archive id (what every report, alloc record
 * and voucher shows) or by its ledger number "#N".  Its money is where
 * its allocations put it: in suspense (unknown, less the reversals of
 * unknown), on invoices (paid, partial, settlement, bypass) or as
 * overpayments.  Candidates are the open invoices it may have meant:
 * the same amount, a reference one digit (or two swapped digits) away,
 * a buyer whose name starts like the payer's; ranked by how many of
 * these hold.
 *
 * A move never edits an allocation: it adds allocations that undo and
 * redo (a reversed of the source outcome, then paid/partial/over, or
 * the other way round), with posting_date the day of the move, so that
 * `post` turns them into a correcting voucher, and one suspense_moves
 * row that says who moved what.  The moves:
 *
 *   allocate    suspense -> an invoice (AMOUNT at most what is in
 *               suspense and what the invoice has open)
 *   unallocate  an invoice -> suspense (at most what the payment put on
 *               that invoice)
 *   rematch     all of the suspense of a payment whose invoice had not
 *               arrived -> that invoice, when it arrives (match)
 *
 * Everything works inside the caller's ledger transaction.  Ownership:
 * structs are the caller's; strings in them are copies.  Functions
 * return 0 (or a count, or 1 found) and -1 with d filled on a ledger
 * error.
 */
#ifndef RESKONTRA_SUSPENSE_H
#define RESKONTRA_SUSPENSE_H

#include <stdint.h>

#include "base/config.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/record.h"
#include "base/recschema.h"
#include "ledger/ledger.h"

#define SUSPENSE_TEXT 256

/* A payment and where its money is. */
struct suspense_payment {
	int64_t id;
	char archive_id[SUSPENSE_TEXT];
	char account_iban[64];
	char reference[SUSPENSE_TEXT];
	char match_key[SUSPENSE_TEXT];
	char payer_name[SUSPENSE_TEXT];
	char source[LEDGER_SOURCE_MAX];
	day_t booking_date, payment_date;
	int64_t amount;
	int correction;
	int reversed;		/* undone by a bank's correction */
	int64_t in_suspense;	/* net of unknown and its reversals */
	int64_t unknown_id;	/* the allocation that put it there, or 0 */
	char reason[64];	/* that allocation's reason */
	/* set by the caller, who has the configuration: the payment came
	 * to a factoring account (its IBAN is a [factoring] section's),
	 * so moving it to a factoring invoice is no bypass payment */
	int to_factoring;
};

/* Find the payment id names ("#N" or an archive id): 1 found, 0 none,
 * 2 the archive id names several (d says which, by "#N"), -1 error. */
int suspense_find(struct ledger *l, const char *id, struct suspense_payment *p,
    struct diag *d);

/* The payment with ledger number id: 1, 0 none, -1. */
int suspense_load(struct ledger *l, int64_t id, struct suspense_payment *p,
    struct diag *d);

/* Every allocation of payment p, in order (as ledger_invoice_history()
 * gives them: fn returns non-zero to stop, that value returned). */
int suspense_each_alloc(struct ledger *l, const struct suspense_payment *p,
    int (*fn)(void *, const struct ledger_alloc *), void *arg,
    struct diag *d);

/* What payment pid has on invoice iid now (paid, partial, settlement,
 * bypass less their reversals) into *applied, and its overpayment on it
 * into *over.  0 or -1. */
int suspense_on_invoice(struct ledger *l, int64_t pid, int64_t iid,
    int64_t *applied, int64_t *over, struct diag *d);

enum {
	SUSPENSE_SAME_AMOUNT = 1,
	SUSPENSE_NEAR_REFERENCE = 2,
	SUSPENSE_SAME_PAYER = 4,
	SUSPENSE_SAME_REFERENCE = 8	/* the payment's very reference (an
					 * invoice of several that carry it) */
};

struct suspense_candidate {
	struct ledger_invoice inv;
	char buyer_name[SUSPENSE_TEXT];
	unsigned why;		/* SUSPENSE_* */
	int score;
};

/* The open invoices payment p (amount: the money to place) may have
 * meant, best first: at most max into out.  Returns the count. */
int suspense_candidates(struct ledger *l, const struct suspense_payment *p,
    int64_t amount, struct suspense_candidate *out, int max, struct diag *d);

/* The service invoice inv (number and date) was routed to, into buf: 1,
 * 0 not routed, -1 with d.  A move out of suspense to a routed invoice
 * is refused (a payment of it to the company's account is a bypass
 * payment, which the service must be told of), except the financier's
 * money to its own factoring invoice. */
int suspense_routed_to(struct ledger *l, const struct ledger_invoice *inv,
    char *buf, size_t size, struct diag *d);

/* The invoice a payment in suspense most likely meant: an open invoice
 * of exactly amount, the only one or the one clearly ahead of the others
 * (reference or payer near too).  1 with its number in no (size bytes),
 * 0 none, -1. */
int suspense_suggest(struct ledger *l, const char *reference,
    const char *payer_name, int64_t amount, char *no, size_t size,
    struct diag *d);

enum suspense_action {
	SUSPENSE_ALLOCATE,
	SUSPENSE_UNALLOCATE,
	SUSPENSE_REMATCH
};

/*
 * Move amount of payment p (loaded just before) with action to or from
 * invoice inv (loaded; updated here), posted on day: the allocations are
 * stored and written to out as alloc records, the move journalled.
 * 0 done; 1 refused (d says why: more than is there, nothing to move, a
 * correction); -1 ledger error.
 */
int suspense_move(struct ledger *l, struct recout *out,
    struct suspense_payment *p, enum suspense_action action,
    struct ledger_invoice *inv, int64_t amount, day_t day, struct diag *d);

/* What waits in suspense for a routed invoice (suspense_rematch()). */
struct suspense_waiting {
	char service[64];		/* where the invoice was routed */
	long n;				/* payments waiting */
	int64_t amount;			/* their money in suspense */
	char first[SUSPENSE_TEXT];	/* the first one's archive id */
};

/* After invoice inv was stored: every payment in suspense for want of
 * an invoice with its reference (reason no-invoice) is moved to it
 * (rematch), oldest first.  Returns the number moved, or -1.  An
 * invoice routed to a service takes none: the customer paid the company
 * before the invoice went to the service, which must be told (a bypass
 * payment); what waits is counted into *w (w->n 0 when nothing).  But
 * a factoring invoice takes the payments that came to the account of
 * its [factoring NAME] section of c (the financier's money on it, as if
 * the invoice had come first); c may be NULL (none is taken). */
int suspense_rematch(struct ledger *l, struct recout *out,
    const struct config *c, struct ledger_invoice *inv, day_t day,
    struct suspense_waiting *w, struct diag *d);

/* A payment read again (row: its account, archive id, booking date,
 * amount and correction flag) that is still in suspense for want of an
 * invoice, when one invoice now carries its reference (an invoice
 * stored without the match of suspense, by an older version): moved to
 * it (rematch).  1 moved, 0 nothing to do, -1. */
int suspense_rematch_repeat(struct ledger *l, struct recout *out,
    const struct ledger_payment *row, day_t day, struct diag *d);

/* "same amount, reference one digit away, same payer" for why. */
const char *suspense_why_text(unsigned why, char *buf, size_t size);

/* A later allocation of payment p with outcome o on inv (NULL: none),
 * stored with posting date day and written to out (NULL: not written),
 * as a move out of suspense is; *first is set to its id when 0.  For a
 * reversal, reverses and reverses_id name what it undoes.  0 or -1. */
int suspense_post_later(struct ledger *l, struct recout *out,
    const struct suspense_payment *p, const struct ledger_invoice *inv,
    enum alloc_outcome o, const char *reverses, int64_t reverses_id,
    int64_t amount, const char *reason, day_t day, int64_t *first,
    struct diag *d);

#endif
