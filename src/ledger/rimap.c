/*
 * rimap: an RI identifier to the invoice and customer it names
 * (rimap.h).
 */
#include <stdio.h>
#include <string.h>

#include "ledger/rimap.h"

#define RIMAP_MAX 16		/* invoices looked at per way */

struct found {
	struct ledger_invoice inv[RIMAP_MAX * 3];
	int n;
	int truncated;
};

static void
add(struct found *f, const struct ledger_invoice *inv)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->inv[i].id == inv->id)
			return;
	if (f->n == (int)(sizeof f->inv / sizeof f->inv[0])) {
		f->truncated = 1;
		return;
	}
	f->inv[f->n++] = *inv;
}

/* 1 found by the service reference (into f, r->service_reference), 0
 * not, -1 error. */
static int
by_service_reference(struct ledger *l, struct assign *a, const char *ref,
    struct found *f, struct rimap_result *r, struct diag *d)
{
	struct assignment x;
	struct ledger_invoice inv;
	char key[REF_BUFSZ];
	int got;

	if (a == NULL || *ref == '\0')
		return 0;
	got = assign_by_service_reference(a, ref, &x, d);
	if (got == 0 && ref[0] == 'R') {
		/* the RF form of a national service reference */
		ref_match_key(ref, strlen(ref), key);
		if (strcmp(key, ref) == 0)
			return 0;
		ref = key;
		got = assign_by_service_reference(a, ref, &x, d);
	}
	if (got <= 0)
		return got;
	if ((got = ledger_find_dated_invoice(l, x.invoice_no, 0,
	    x.invoice_date, &inv, d)) <= 0)
		return got;
	if (r->service_reference[0] == '\0')	/* the first found */
		snprintf(r->service_reference, sizeof r->service_reference,
		    "%s", ref);
	add(f, &inv);
	return 1;
}

static int
by_reference(struct ledger *l, const char *typed, struct found *f,
    struct diag *d)
{
	struct ledger_invoice inv[RIMAP_MAX];
	char key[REF_BUFSZ];
	int n, i;

	ref_match_key(typed, strlen(typed), key);
	if (*key == '\0')
		return 0;
	if ((n = ledger_find_by_key(l, key, inv, RIMAP_MAX, d)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		add(f, &inv[i]);
	if (n == RIMAP_MAX)
		f->truncated = 1;
	return n > 0;
}

static int
by_number(struct ledger *l, const char *typed, struct found *f,
    struct diag *d)
{
	struct ledger_invoice inv;
	int got;

	if (*typed == '\0' || strlen(typed) >= LEDGER_NO_BUFSZ)
		return 0;
	if ((got = ledger_find_invoice(l, typed, 0, &inv, d)) <= 0)
		return got;
	add(f, &inv);
	return 1;
}

/* The customers of f: one certain customer, or r->reason. */
static void
decide(const struct found *f, struct rimap_result *r)
{
	int i;

	for (i = 0; i < f->n; i++) {
		sbuf_addf(&r->invoices, "%s%s", i ? "," : "",
		    f->inv[i].invoice_no);
		/* one invoice is one consumer's, customer id or not (a
		 * consumer's invoice seldom has one); of several, one
		 * without says nothing of whose the others are */
		if (f->inv[i].buyer_id[0] == '\0' && f->n > 1) {
			snprintf(r->reason, sizeof r->reason, "invoice %s "
			    "names no customer", f->inv[i].invoice_no);
			return;
		}
		if (strcmp(f->inv[i].buyer_id, f->inv[0].buyer_id) != 0) {
			snprintf(r->reason, sizeof r->reason, "ambiguous: "
			    "invoices of customers %s and %s",
			    f->inv[0].buyer_id, f->inv[i].buyer_id);
			return;
		}
	}
	if (f->truncated) {
		snprintf(r->reason, sizeof r->reason, "ambiguous: more than "
		    "%d invoices", RIMAP_MAX);
		return;
	}
	snprintf(r->reference, sizeof r->reference, "%s", f->inv[0].reference);
	snprintf(r->customer, sizeof r->customer, "%s", f->inv[0].buyer_id);
	r->matched = 1;
}

/* Look typed up every way into f; r->matched_by names the first way
 * that found an invoice.  0, or -1 on a database error. */
static int
lookup_one(struct ledger *l, struct assign *a, const char *typed,
    struct found *f, struct rimap_result *r, struct diag *d)
{
	char ref[REF_BUFSZ];
	int got;

	if (ref_normalise(typed, strlen(typed), ref) < 0)
		ref[0] = '\0';
	if ((got = by_service_reference(l, a, ref, f, r, d)) < 0)
		return -1;
	if (got && !*r->matched_by)
		r->matched_by = "service-reference";
	if ((got = by_reference(l, typed, f, d)) < 0)
		return -1;
	if (got && !*r->matched_by)
		r->matched_by = "reference";
	if ((got = by_number(l, typed, f, d)) < 0)
		return -1;
	if (got && !*r->matched_by)
		r->matched_by = "invoice-number";
	return 0;
}

int
rimap_lookup(struct ledger *l, struct assign *a, const char *typed,
    const char *second, struct rimap_result *r, struct diag *d)
{
	static struct found f;	/* large; one lookup at a time */

	memset(r, 0, sizeof *r);
	r->matched_by = "";
	f.n = 0;
	f.truncated = 0;
	if (second == NULL)
		second = "";
	if (*typed == '\0' && *second == '\0') {
		snprintf(r->reason, sizeof r->reason, "no identifier given");
		return 0;
	}
	if (*typed != '\0' && lookup_one(l, a, typed, &f, r, d) < 0)
		return -1;
	if (*second != '\0' && lookup_one(l, a, second, &f, r, d) < 0)
		return -1;
	if (f.n == 0) {
		snprintf(r->reason, sizeof r->reason, "no invoice has %s "
		    "service reference, reference or invoice number",
		    *typed != '\0' && *second != '\0' ? "either" : "this");
		return 0;
	}
	decide(&f, r);
	return 0;
}

void
rimap_free(struct rimap_result *r)
{
	sbuf_free(&r->invoices);
}
