/*
 * finvoice_route: a Finvoice transmission file written after routing
 * (DESIGN.md step 3, formats/finvoice-rewrite.md).
 *
 * The part of `reskontra rewrite` that `reskontra run` shares.  The file
 * is read a message at a time (base/fvsplit.h), so memory does not grow
 * with it; a message's
 * invoice number and date find the decision stored in the ledger
 * (ledger/assign.h): routed messages are rewritten for the service,
 * passed ones copied byte for byte, rejected ones (with the frame before
 * them) handed out as a rejected message with a .error text.  Where the
 * bytes go is the caller's: the file to send is written as it goes to a
 * stream open_output gives, and emit receives each rejected message
 * whole, so the command writes files and the spool stages its outputs.
 *
 * Ownership: the caller owns the input, the configuration, the assign
 * handle and the stream open_output returns (fvroute_file writes and
 * flushes it, never closes it); the data passed to emit is valid only
 * during the call.
 */
#ifndef RESKONTRA_FINVOICE_ROUTE_H
#define RESKONTRA_FINVOICE_ROUTE_H

#include <stddef.h>
#include <stdio.h>

#include "base/config.h"
#include "base/diag.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"

/* Where the outputs go. */
enum fvroute_kind {
	FVROUTE_REJECTED,	/* a rejected message, NAME-INVOICENO.xml */
	FVROUTE_ERROR		/* its NAME-INVOICENO.xml.error */
};

struct fvroute {
	const struct config *conf;
	struct assign *a;
	char bic[BIC_BUFSZ];	/* service BIC (fvroute_init) */
	/* The file to send, named base (as the input), opened when the
	 * first message is kept: a stream, or NULL with d (stops the
	 * file). */
	FILE *(*open_output)(void *arg, const char *name, struct diag *d);
	/* A rejected message or its .error: 0, or -1 with d filled (stops
	 * the file) */
	int (*emit)(void *arg, enum fvroute_kind kind, const char *name,
	    const char *data, size_t len, struct diag *d);
	void *arg;
	/* A message with no decision: 0 refuses the file; 1 hands the
	 * message out as rejected with this reason (a reader set it aside
	 * and it was never routed). */
	int undecided_rejected;
	const char *undecided_reason;
	/* 1: a message's decision is the one made for its line in this
	 * input (assign_input_find(), `reskontra run`); 0: the latest for
	 * its number and date (`reskontra rewrite` on a routed ledger) */
	int by_line;
	/* factoring: the ledger the factoring invoices are in (ledger/
	 * fbatch.h), the caller's; required for type = factoring */
	struct ledger *ledger;
};

/* What one file held. */
struct fvroute_counts {
	long routed, passed, rejected;
};

/* Set up fr for conf and a (emit and its arg are the caller's to set).
 * -1 with d when the service routes invoices but has no [service] iban
 * (and is not amili with own_account). */
int fvroute_init(struct fvroute *fr, const struct config *conf,
    struct assign *a, struct diag *d);

/* Write the file read from in (path for messages, base the output
 * name): 0; 1 refused with d (nothing written or emitted for the file
 * is valid: the caller discards it); -1 with d when reading, writing, emit or the ledger failed.
 * counts is filled as far as the file got.  No output file is opened
 * when no message is kept.  The input is read to its end, not closed. */
int fvroute_file(struct fvroute *fr, struct input *in, const char *path,
    const char *base, struct fvroute_counts *counts, struct diag *d);

#endif
