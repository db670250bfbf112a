/*
 * notice: what the receivables service must be told, kept in the ledger
 * (formats/notices.md, formats/ledger.md tables `notice_batches`).
 *
 * `reskontra match` decides; `reskontra notify` (DESIGN.md step 6) tells.
 * A notice is made from an allocation stored by match:
 *
 *   bypass           a customer paid a routed invoice to the company's
 *                    own account (alloc outcome bypass)
 *   bypass-reversal  the bank corrected such a payment (reversed bypass)
 *   credit-note      a credit note was linked to a routed invoice (alloc
 *                    outcome credit, the invoice has a routed assignment)
 *
 * Allocations are numbered in the order they were stored, so a batch is
 * a range of allocation ids: the ones after the previous batch, up to the
 * newest (and, for op-laskulaina, the credit-note notices that waited
 * for their day: notice_set_op()).  notice_new_batch() takes the next range (in the caller's
 * transaction) and names its file; notice_each() reads the batch's
 * notices (write/notice_file.c writes them to the file); notice_done()
 * marks it written.  A batch that was taken but
 * not marked (the job died between the two) is written again, whole and
 * under the same name, by the next run: every notice reaches one file,
 * once.
 *
 * Ownership: notice_open() borrows the ledger's connection (ledger_db());
 * close with notice_close() before ledger_close().  Functions return 0
 * (or a count, or 1 for found) and -1 with d filled on a database error.
 */
#ifndef RESKONTRA_NOTICE_H
#define RESKONTRA_NOTICE_H

#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "ledger/ledger.h"

struct notices;

/* One batch of notices. */
struct notice_batch {
	int64_t id;
	day_t created;		/* --today of the run that took it */
	int64_t after, upto;	/* allocation ids after..upto (inclusive) */
	long count;		/* notices in it */
	char file[64];		/* file name; "" when the batch is empty */
};

/* Work on l's connection; the tables are the ledger's (ledger/db.c
 * makes them when ledger_open() migrates the file). */
int notice_open(struct ledger *l, struct notices **out, struct diag *d);
void notice_close(struct notices *n);

/* [service] type = op-laskulaina: a bypass payment is an off-payment
 * (kinds off-payment, off-payment-reversal), and a credit-note notice
 * waits until the banking day after the run that took its allocation
 * (ledger table notice_deferred), then joins the first batch taken on
 * or after that day. */
void notice_set_op(struct notices *n, int op);

/* Take the allocations stored since the last batch as a new batch dated
 * today: 1 (into b), 0 when no allocation is new.  An empty batch is
 * stored as written (so the range is not looked at again) and has no
 * file.  Call inside ledger_begin() ... ledger_commit(). */
int notice_new_batch(struct notices *n, day_t today, struct notice_batch *b,
    struct diag *d);

/* The oldest batch with notices that is not marked written: 1 (into b),
 * 0 none. */
int notice_pending(struct notices *n, struct notice_batch *b,
    struct diag *d);

/* One notice of a batch (formats/notices.md); the strings are valid
 * during the callback only, "" when absent. */
struct notice_row {
	const char *kind;		/* bypass, bypass-reversal, credit-note;
					 * off-payment, off-payment-reversal */
	const char *invoice_no, *service_reference, *reference;
	int64_t amount;			/* cents */
	const char *payment_date, *archive_id, *payer, *credit_note_no;
	const char *source;
};

/* Call fn for each notice of batch b, in allocation order.  Returns the
 * number of notices, -1 on a database error. */
long notice_each(struct notices *n, const struct notice_batch *b,
    void (*fn)(void *arg, const struct notice_row *r), void *arg,
    struct diag *d);

/* op-laskulaina: banking days after its booking date an off-payment's
 * notice waits when OP had forwarded nothing for its reference yet
 * (formats/notices.md). */
#define NOTICE_OFFPAYMENT_WAIT 5

/* op-laskulaina: the bypass allocations of payment payment_id wait
 * until day due before a batch takes their notice (table
 * notice_deferred). */
int notice_defer_bypass(struct ledger *l, int64_t payment_id, day_t due,
    struct diag *d);

/* An off-payment whose notice waits. */
struct notice_waiting {
	int64_t alloc_id, payment_id, invoice_id;
	day_t booking_date;	/* the payment's */
	int64_t amount;		/* what of it is not re-classified */
};

/* The oldest off-payment of a payment with match key key booked on or
 * after day from (not corrected by the bank) whose notice waits, with
 * something of it left: 1 (into w), 0 none. */
int notice_waiting_bypass(struct ledger *l, const char *key, day_t from,
    struct notice_waiting *w, struct diag *d);

/* Mark batch b written. */
int notice_done(struct notices *n, int64_t batch, struct diag *d);

#endif
