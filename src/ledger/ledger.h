/*
 * ledger: the receivables ledger, an SQLite database (formats/ledger.md).
 *
 * It remembers every invoice and credit note, every payment and every
 * allocation decision, and the runs that made them, so any output can be
 * explained afterwards.  It is storage only: what a payment means is
 * decided in ledger/match.c; this module reads and writes rows.
 *
 * The database runs in WAL mode with a busy timeout, foreign keys on, a
 * bounded page cache (memory does not grow with the ledger), and a schema
 * version table; ledger_open() migrates an older file (version 0, an
 * empty file, or any older version) to the current one with ledger/db.c,
 * every table of the file at once, and refuses a newer one.  Lookups by
 * reference match key, invoice number and payment key use indexes.
 *
 * Work is done in one transaction per input: ledger_begin(), then the
 * changes, then ledger_commit() or ledger_rollback().
 *
 * Ownership: ledger_open() returns a handle the caller closes with
 * ledger_close().  Structs passed in are only read.  Strings handed to a
 * callback (const char * members) are valid during that call only.
 * Every function returns 0 (or a count, or 1 for "found") on success and
 * -1 with d filled on a database error.
 */
#ifndef RESKONTRA_LEDGER_H
#define RESKONTRA_LEDGER_H

#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"

#define LEDGER_NO_BUFSZ 65	/* invoice numbers and buyer ids: 64 bytes */
#define LEDGER_SOURCE_MAX 4352	/* a source: a path and a line number */

struct ledger;

/* An invoice or credit note as the matcher works with it.  The amounts
 * are cents: total (negative for a credit note), credited (sum of linked
 * credit notes, <= 0), paid (payments applied), over (payments beyond
 * the open amount).  open_amount and status are derived from them by
 * ledger_invoice_settle(). */
struct ledger_invoice {
	int64_t id;
	int is_credit;
	char invoice_no[LEDGER_NO_BUFSZ];
	char reference[REF_BUFSZ];
	char match_key[REF_BUFSZ];
	char buyer_id[LEDGER_NO_BUFSZ];
	char credited_invoice_no[LEDGER_NO_BUFSZ];
	int64_t credited_id;	/* credit note: the invoice it credits, or 0 */
	day_t invoice_date, due_date;
	int64_t total, credited, paid, over, open_amount;
	char status[16];
};

/* A payment row (pointer members are read during the call only). */
struct ledger_payment {
	int64_t id;		/* set by ledger_add_payment */
	int64_t twin_id;	/* its twin, when ledger_add_payment says 1 */
	int twin_cut;		/* 1 its archive id is p's cut, 2 the
				 * other way round, 3 one of the two is
				 * named by its place in a camt.054 and
				 * the other is its pair, 0 the same */
	const char *account_iban;
	const char *archive_id;	/* NULL or "": no duplicate detection */
	day_t booking_date, payment_date;
	int64_t amount;		/* positive cents */
	const char *reference;
	const char *match_key;
	const char *payer_name;
	int correction;
	const char *source;
};

/* One allocation: a decision about a payment or a credit note.  Ids that
 * do not apply are 0.  The const char * members after `reverses` are
 * filled by ledger_invoice_history() for printing and ignored by
 * ledger_add_alloc(). */
struct ledger_alloc {
	int64_t id;
	int64_t payment_id;
	int64_t invoice_id;
	int64_t credit_id;	/* outcome credit: the credit note */
	int64_t reverses_id;	/* outcome reversed: the allocation undone */
	int64_t amount;
	int has_open_after;
	int64_t open_after;
	const char *outcome;
	const char *reason;	/* NULL or "" when none */
	const char *reverses;	/* outcome of the allocation undone */

	const char *archive_id;
	const char *invoice_no;
	const char *reference;
	const char *account_iban;
	day_t booking_date;
	const char *payer_name;
	const char *buyer_id;
	const char *credit_note_no;
	const char *source;
	day_t posting_date;	/* DAY_NONE: the booking date */
	const char *suggestion;	/* unknown: the invoice meant, or NULL */
};

/* An invoice as dumped by `reskontra ledger`. */
struct ledger_item {
	const char *invoice_no, *type, *reference, *service, *status;
	const char *buyer_id, *buyer_name, *credited_invoice_no, *source;
	day_t invoice_date, due_date;
	int64_t total, credited, paid, over, open_amount;
};

/* A payment as dumped by `reskontra ledger payments`. */
struct ledger_payment_row {
	const char *account_iban, *archive_id, *reference, *payer_name;
	const char *state, *source;
	day_t booking_date, payment_date;
	int64_t amount;
	int correction;
};

int ledger_open(const char *path, struct ledger **out, struct diag *d);
void ledger_close(struct ledger *l);

/* The ledger's SQLite connection, for modules that keep their own tables
 * in the same file (ledger/assign.c, ledger/notice.c).  They share its
 * transactions: one input is one ledger_begin() ... ledger_commit(),
 * whatever tables it touches, and no second connection waits on the
 * first.  Valid until ledger_close(); the caller must not close it. */
struct sqlite3;
struct sqlite3 *ledger_db(struct ledger *l);

/* Record a run (command, inputs) and make it the run the following rows
 * belong to.  Done in its own transaction. */
int ledger_run_start(struct ledger *l, const char *command,
    const char *inputs, struct diag *d);
int ledger_run_finish(struct ledger *l, const char *result,
    struct diag *d);
/* The run rows are written for now (0 before ledger_run_start()). */
int64_t ledger_run_id(const struct ledger *l);

/* Another payment (not a correction, not row id but) of account with
 * archive_id, amount and reference (its booking day another, then: the
 * same would be a duplicate): 1 with its day, amount and source in
 * *out, 0 none, -1.  (Archive ids alone are not unique in real files:
 * a bank's demo KTL gives two payments of a batch one.) */
struct ledger_payment_seen {
	char booking_date[16];
	int64_t amount;
	char source[512];
};
int ledger_archive_id_seen(struct ledger *l, const char *account,
    const char *archive_id, int64_t amount, const char *reference,
    int64_t but, struct ledger_payment_seen *out, struct diag *d);

int ledger_begin(struct ledger *l, struct diag *d);
int ledger_commit(struct ledger *l, struct diag *d);
int ledger_rollback(struct ledger *l);

/* Recompute open_amount and status from the amounts. */
void ledger_invoice_settle(struct ledger_invoice *inv);

/* By (invoice_no, kind), the latest stored when the number has more
 * than one invoice date: 1 found, 0 not found, -1 error. */
int ledger_find_invoice(struct ledger *l, const char *invoice_no,
    int is_credit, struct ledger_invoice *out, struct diag *d);
/* By (invoice_no, kind, invoice_date), the ledger's key (DAY_NONE for
 * none): 1 found, 0 not found, -1 error. */
int ledger_find_dated_invoice(struct ledger *l, const char *invoice_no,
    int is_credit, day_t invoice_date, struct ledger_invoice *out,
    struct diag *d);
/* How many invoices (or credit notes) of the number there are, their
 * invoice dates ("none" for none) appended to dates, oldest first,
 * separated by ", "; -1 with d. */
struct sbuf;
int ledger_invoice_dates(struct ledger *l, const char *invoice_no,
    int is_credit, struct sbuf *dates, struct diag *d);
int ledger_get_invoice(struct ledger *l, int64_t id,
    struct ledger_invoice *out, struct diag *d);

/* Invoices (not credit notes) whose match key is key, open ones first,
 * then oldest first; at most max rows into out.  Returns the count. */
int ledger_find_by_key(struct ledger *l, const char *key,
    struct ledger_invoice *out, int max, struct diag *d);

/* A credit note naming invoice_no that is not linked yet: 1 (into out),
 * 0 none, -1 error. */
int ledger_find_unlinked_credit(struct ledger *l, const char *invoice_no,
    struct ledger_invoice *out, struct diag *d);

/* Insert inv (settled first).  service, buyer_name and source are stored
 * alongside.  0 inserted (inv->id set); 1 an invoice or credit note of
 * that number, kind and invoice date is already there, or, unless
 * other_dates, one of that number and kind of any date: nothing
 * written, that one (the latest) copied into old; -1 error.  other_dates
 * is for an invoice the router gave an assignment of its own under the
 * duplicate-number rule (another invoice date).  (With other_dates,
 * inserting first and looking up only on a conflict spares a lookup per
 * new invoice.) */
int ledger_add_or_get_invoice(struct ledger *l, struct ledger_invoice *inv,
    int other_dates, const char *service, const char *buyer_name,
    const char *source, struct ledger_invoice *old, struct diag *d);
/* The same, but one already there is an error. */
int ledger_add_invoice(struct ledger *l, struct ledger_invoice *inv,
    const char *service, const char *buyer_name, const char *source,
    struct diag *d);

/* Write back credited_id, amounts, open_amount and status (settled
 * first). */
int ledger_update_invoice(struct ledger *l, struct ledger_invoice *inv,
    struct diag *d);
/* Write back only paid, over, open_amount and status (settled first):
 * what applying or reversing a payment changes. */
int ledger_update_paid(struct ledger *l, struct ledger_invoice *inv,
    struct diag *d);

/* Insert a payment.  0 inserted (p->id set); 1 a payment with the same
 * account, archive id, booking date, amount and correction flag is
 * already there (its id in p->twin_id, its source copied into
 * dup_source); -1 error.  The archive id is the same also when one is
 * longer than 16 characters and the other is its last 16 (blanks at
 * both ends dropped, as the KTL reader drops them): a KTL file gives the bank's archive id so cut, a
 * camt.054 file whole. */
int ledger_add_payment(struct ledger *l, struct ledger_payment *p,
    char *dup_source, size_t dup_size, struct diag *d);

/* The latest payment (not a correction, not reversed) on account with
 * this match key and amount: 1 and *id, 0 none, -1 error. */
int ledger_find_reversible(struct ledger *l, const char *account_iban,
    const char *match_key, int64_t amount, int64_t *id, struct diag *d);
int ledger_mark_reversed(struct ledger *l, int64_t payment_id,
    int64_t correction_id, struct diag *d);

/* The overpayments left on invoice invoice_id, one per payment that made
 * them and no bank's correction undid (its over allocations net of their
 * reversals, when positive), the oldest payment first: at most max into
 * out; the count, or -1. */
struct ledger_over {
	int64_t payment_id;
	int64_t amount;
	int64_t over_id;	/* the payment's first over allocation */
};
int ledger_invoice_overs(struct ledger *l, int64_t invoice_id,
    struct ledger_over *out, int max, struct diag *d);

/* Allocations of a payment, in order: at most max into out (only id,
 * invoice_id, amount, and outcome and reverses copied into outcome_buf[i]
 * and reverses_buf[i]).  Returns the count. */
int ledger_payment_allocs(struct ledger *l, int64_t payment_id,
    struct ledger_alloc *out, char (*outcome_buf)[16],
    char (*reverses_buf)[16], int max, struct diag *d);

int ledger_add_alloc(struct ledger *l, struct ledger_alloc *a,
    struct diag *d);

/* Something worth keeping that is not a row elsewhere: a re-delivered
 * invoice, a conflicting one, a duplicate payment. */
int ledger_log_event(struct ledger *l, const char *source, const char *kind,
    const char *key, const char *event, const char *detail,
    struct diag *d);

/* Dumps: the callback returns 0 to go on, non-zero to stop (that value
 * is returned). */
enum ledger_filter { LEDGER_ALL, LEDGER_OPEN };
int ledger_each_item(struct ledger *l, enum ledger_filter f,
    int (*fn)(void *, const struct ledger_item *), void *arg,
    struct diag *d);
/* The invoice (and credit notes) numbered invoice_no, then every
 * allocation that touched it in order.  Returns 0 when nothing has that
 * number. */
int ledger_invoice_history(struct ledger *l, const char *invoice_no,
    int (*item)(void *, const struct ledger_item *),
    int (*alloc)(void *, const struct ledger_alloc *), void *arg,
    struct diag *d);
int ledger_each_payment(struct ledger *l,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d);
/* Lookup by reference: the invoices and the payments whose match key
 * (base/ident.h ref_match_key()) is key. */
int ledger_each_item_by_key(struct ledger *l, const char *key,
    int (*fn)(void *, const struct ledger_item *), void *arg,
    struct diag *d);
int ledger_each_payment_by_key(struct ledger *l, const char *key,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d);
/* The payment with ledger number id (fn not called when there is none). */
int ledger_payment_row(struct ledger *l, int64_t id,
    int (*fn)(void *, const struct ledger_payment_row *), void *arg,
    struct diag *d);

#endif
