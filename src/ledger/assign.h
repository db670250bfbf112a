/*
 * assign: the routing decisions and service assignments kept in the
 * ledger database (formats/ledger.md, table `assignments`).
 *
 * `reskontra route` records one row per invoice it decides on: the
 * action, code and reason, and for a routed invoice the assignment
 * number, the customer group, the original reference and the service
 * reference made from the number, the recipient's language and the login
 * code.  `reskontra rewrite` reads the rows back to know what to write;
 * settlements, RI messages and the operator map a service reference back
 * to the original through them.  A row is keyed by the input record it
 * was made from (invoice number, invoice date, source, and the digest of
 * the record's contents), so routing the same input again finds the
 * earlier decision instead of making a second assignment, while another
 * invoice under the same number, date and file name is decided anew.
 *
 * The module works on the ledger's own connection (ledger_db()), so its
 * rows are part of the ledger's transaction: ledger_begin(), the changes
 * of every module, ledger_commit() or ledger_rollback().  A job that holds
 * one transaction per input never waits on a second connection of its
 * own.  Only this module writes the table.
 *
 * Ownership: assign_open() returns a handle that borrows the ledger's
 * connection; close it with assign_close() before ledger_close().  Rows
 * are plain values copied into the caller's structs.  Functions return 0
 * (or a count, or 1 for found) and -1 with d filled on a database error.
 */
#ifndef RESKONTRA_ASSIGN_H
#define RESKONTRA_ASSIGN_H

#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"
#include "ledger/ledger.h"

#define ASSIGN_NO_BUFSZ 65
#define ASSIGN_SOURCE_BUFSZ LEDGER_SOURCE_MAX
#define ASSIGN_DIGEST_BUFSZ 65		/* SHA-256, hex */

struct assign;

struct assignment {
	int64_t id;			/* row id */
	int64_t number;			/* assignment number; 0 unless routed */
	char invoice_no[ASSIGN_NO_BUFSZ];
	day_t invoice_date;
	char buyer_id[ASSIGN_NO_BUFSZ];
	char service[16];		/* amili, kassavirta, ... */
	char action[8];			/* route, pass, reject */
	int code;
	char reason[400];
	char group[16];			/* premium, vip, nomonitor or "" */
	char reference[REF_BUFSZ];	/* original */
	char service_reference[REF_BUFSZ];
	char language[3];
	char login_code[32];
	char status[8];			/* open, closed (routed only) */
	int in_error;			/* its invoice came back in error */
	int closed_by;			/* row id that closed it, or 0 */
	char source[ASSIGN_SOURCE_BUFSZ];
	char digest[ASSIGN_DIGEST_BUFSZ];	/* of the inv record, or "" */
};

/* Work on l's connection; the table is the ledger's (ledger/db.c makes
 * it when ledger_open() migrates the file). */
int assign_open(struct ledger *l, struct assign **out, struct diag *d);
void assign_close(struct assign *a);

/* The decision made earlier for this input record (a row made before
 * digests were kept matches on source alone): 1 (into out), 0 none. */
int assign_find_source(struct assign *a, const char *invoice_no,
    day_t invoice_date, const char *source, const char *digest,
    struct assignment *out, struct diag *d);

/* The latest decision for an invoice number and date: 1, 0 none. */
int assign_latest(struct assign *a, const char *invoice_no,
    day_t invoice_date, struct assignment *out, struct diag *d);

/* Routed assignments with this number, oldest first, at most max. */
int assign_by_number(struct assign *a, const char *invoice_no,
    struct assignment *out, int max, struct diag *d);

/* The routed assignment printed with this service reference: 1, 0. */
int assign_by_service_reference(struct assign *a, const char *sref,
    struct assignment *out, struct diag *d);

/* Routed assignments with a service reference whose invoice's own
 * reference has match key key (national or RF), newest first, at most
 * max: the invoice a payment of its original reference meant, when the
 * ledger keeps it under the service's (factoring). */
int assign_by_own_reference(struct assign *a, const char *key,
    struct assignment *out, int max, struct diag *d);

/* The latest routed assignment of the invoice numbered invoice_no and
 * dated invoice_date (any date when DAY_NONE): 1 (into out), 0 none. */
int assign_routed(struct assign *a, const char *invoice_no,
    day_t invoice_date, struct assignment *out, struct diag *d);

/* Insert x (x->id set).  For action route, x->number is set to the next
 * assignment number (one more than the largest so far). */
int assign_add(struct assign *a, struct assignment *x, struct diag *d);

/* Store the service reference and login code of a routed row. */
int assign_set_refs(struct assign *a, int64_t id, const char *sref,
    const char *login_code, struct diag *d);

/* Close an assignment (duplicate rule 3): status closed, closed_by. */
int assign_close_old(struct assign *a, int64_t id, int64_t by,
    struct diag *d);

/*
 * The decisions of one input (`reskontra run`): what the route stage
 * decided for each of the input's invoice records, by the line its
 * source names, so that the rewrite and the match stage act on the
 * decision made for that very message.  The latest decision for the
 * number and date is not always it: a second message of the input with
 * the same number and date is rejected as a duplicate after the first
 * was routed, and a message the reader set aside has no decision of its
 * own, while an earlier one under its number may be in the ledger.
 * Memory: 16 bytes per invoice of the input (a decision that could not
 * be kept in the table is held whole; those are rare).
 */

/* Start (empty, in use) and end (empty, not in use) an input's table. */
void assign_input_begin(struct assign *a);
void assign_input_end(struct assign *a);

/* 1 while an input's table is in use. */
int assign_input_on(const struct assign *a);

/* The decision x made for the record of source ("NAME:LINE"); nothing
 * when the table is not in use or the source names no line. */
void assign_input_add(struct assign *a, const char *source,
    const struct assignment *x);

/* The decision made for the record at line in this input: 1 (into
 * out), 0 none, -1 with d. */
int assign_input_find(struct assign *a, long line, struct assignment *out,
    struct diag *d);

/* The line a record source "NAME:LINE" names, 0 when none. */
long assign_source_line(const char *source);

#endif
