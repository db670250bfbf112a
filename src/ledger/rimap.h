/*
 * rimap: the identifier a consumer typed into an RI message (reception
 * notification, formats/si.md) mapped back through the ledger to the
 * invoice, its original reference and its customer.
 *
 * The identifier is tried as each of:
 *  1. a service reference printed on a routed invoice (the assignments
 *     of ledger/assign.h), also in its RF form: the invoice of that
 *     assignment, whose original reference the assignment keeps;
 *  2. the company's own reference of an invoice (its match key, so an RF
 *     form of a national reference matches too);
 *  3. an invoice number.
 * An RI may carry two identifiers (the schema allows two
 * SellerInvoiceIdentifiers): both are looked up, and every invoice
 * either finds counts.  The match is certain only when the
 * invoices found all belong to one customer (the same buyer id, not
 * empty): an identifier that matches nothing, invoices of several
 * customers, or invoices that name no customer is unmatched with the
 * reason -- never guessed, since an uncertain match must not start
 * consumer e-invoicing.  Credit notes are not looked at.
 *
 * Ownership: the result's strings are its own (rimap_free).  Functions
 * return 0, or -1 with d filled on a database error.
 */
#ifndef RESKONTRA_RIMAP_H
#define RESKONTRA_RIMAP_H

#include "base/diag.h"
#include "base/ident.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"

struct rimap_result {
	int matched;
	const char *matched_by;	/* "service-reference", "reference",
				 * "invoice-number" (the first way that
				 * found an invoice), "" */
	struct sbuf invoices;	/* invoice numbers, comma-separated */
	char reference[REF_BUFSZ];	/* the first invoice's own */
	char service_reference[REF_BUFSZ];
	char customer[LEDGER_NO_BUFSZ];	/* buyer id when matched */
	char reason[200];	/* why it is unmatched */
};

/* second: the second identifier, "" or NULL when there is none. */
int rimap_lookup(struct ledger *l, struct assign *a, const char *typed,
    const char *second, struct rimap_result *r, struct diag *d);
void rimap_free(struct rimap_result *r);

#endif
