/*
 * fbatch: the factoring invoices and their batches, kept in the ledger
 * (formats/ledger.md, tables `factoring_invoices` and
 * `factoring_batches`; formats/factoring.md).
 *
 * The router (route/router.c) adds a row per factoring invoice it
 * routes, without a batch.  At the end of the route stage of an input
 * (pipeline_route()) fbatch_take() gives every such row of a supported
 * financier a batch number of its account, in the same transaction, so
 * the number is stored with the invoices it numbers and is taken again
 * only if that transaction never commits (then nothing of the batch was
 * ever written out).  `reskontra run` takes one batch per run and
 * account: the first input of the run with invoices of an account opens
 * the account's next batch, later inputs join it (its count and total
 * grow), and the run closes every open batch at its end
 * (fbatch_close_open()), in the transaction that stages their notices.
 * A batch a killed run left open is joined and closed by the next run.
 * The filters take a closed batch per input file.  Rows of an `other` financier get
 * batch 0: that financier has no transmission lists.  The rewrite reads
 * a row back for the batch number and the printed reference; the notice
 * and transfer-list writers and `reskontra translist` read the batches.
 *
 * Ownership: every function works on the ledger's connection, inside
 * the caller's transaction; structs are plain values copied out.
 * Functions return 0 (or a count, or 1 for found) and -1 with d filled
 * on a database error.
 */
#ifndef RESKONTRA_FBATCH_H
#define RESKONTRA_FBATCH_H

#include <stdint.h>

#include "base/config.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"
#include "ledger/ledger.h"

#define FBATCH_NAME_BUFSZ (FACTORING_NAME_MAX + 1)

/* A factoring invoice (or credit note) as routed. */
struct fbatch_invoice {
	int64_t assignment;		/* assignments.id */
	const char *account;		/* [factoring NAME] */
	int unbatched;			/* financier other: batch 0 */
	const char *invoice_no;
	int is_credit;
	const char *customer_code;
	const char *recipient;
	day_t invoice_date, due_date;
	int64_t amount;			/* cents, negative for a credit note */
	const char *reference;		/* printed form; "" for a credit note */
};

/* A batch: one account's factoring invoices of one run (of one input
 * file of a filter). */
struct fbatch {
	char account[FBATCH_NAME_BUFSZ];
	int64_t batch;
	char financier[8];
	char contract[16];
	day_t created;
	long count;
	int64_t total;			/* cents */
	int joined;			/* fbatch_take(): the account's open
					 * batch took the rows, count and
					 * total are theirs only */
};

/* One invoice of a batch (strings valid during the callback only). */
struct fbatch_row {
	const char *invoice_no, *type, *customer_code, *recipient;
	const char *reference;
	const char *credited_invoice_no;	/* a credit note's invoice as
						 * the ledger has it, or "" */
	day_t invoice_date, due_date;
	int64_t amount;
};

int fbatch_add(struct ledger *l, const struct fbatch_invoice *fi,
    struct diag *d);

/* Number the rows without a batch: per account (in name order), with
 * keep_open, the account's open batch when it has one (joined set);
 * else the next batch number of that account, dated today, with the
 * account's financier and contract from c, left open when keep_open
 * (closed at once without: a filter's batch).  Up to max batches into
 * out, count and total those of the rows numbered; returns how many. */
int fbatch_take(struct ledger *l, const struct config *c, day_t today,
    int keep_open, struct fbatch *out, int max, struct diag *d);

/* The open batches (one per account at most), in account order, with
 * their whole count and total, into *out (malloc'ed, the caller frees
 * it; NULL when there is none or on an error); returns how many. */
int fbatch_open_batches(struct ledger *l, struct fbatch **out,
    struct diag *d);

/* Close every open batch: no invoice joins it any more.  0 or -1. */
int fbatch_close_open(struct ledger *l, struct diag *d);

/* The name of what the open batches hold back (the invoice files that
 * wait for their notices), the same until they are closed and never
 * again after: "factoring-ID", ID the first open batch's row.  Appended
 * to key; 1, or 0 when no batch is open, or -1 with d. */
int fbatch_hold_key(struct ledger *l, struct sbuf *key, struct diag *d);

/* A factoring invoice as the rewrite needs it. */
struct fbatch_ref {
	char account[FBATCH_NAME_BUFSZ];
	int64_t batch;			/* 0: none yet, or financier other */
	char reference[REF_BUFSZ];	/* printed form; "" for a credit */
	char customer_code[CUSTOMER_CODE_BUFSZ]; /* the customer's code as
						 * routed */
};

/* The factoring invoice of assignment id: 1 (into out), 0 when the
 * assignment has no factoring row. */
int fbatch_of_assignment(struct ledger *l, int64_t id, struct fbatch_ref *out,
    struct diag *d);

/* Which invoices fbatch_each() lists; empty members select all. */
struct fbatch_filter {
	const char *account;		/* NULL: every account */
	int64_t batch;			/* 0: every batch */
	const char *invoice_no;		/* NULL: every invoice */
	day_t from, to;			/* invoice dates; DAY_NONE: open */
};

/* Call fn for each invoice that f selects, newest batch first, in the
 * order they were routed within a batch.  Returns the number of rows. */
long fbatch_each(struct ledger *l, const struct fbatch_filter *f,
    void (*fn)(void *arg, const struct fbatch *b, const struct fbatch_row *r),
    void *arg, struct diag *d);

#endif
