/*
 * route: which service handles an invoice (DESIGN.md step 2,
 * spec/services.md sections 1, 2 and 4).
 *
 * Everything here is a pure function of its arguments: the invoice as the
 * Finvoice reader described it (an `inv` record), what the customers
 * table says about its buyer, the policy taken from the configuration,
 * and the processing date.  Nothing reads the ledger or the clock; the
 * route command (cmd_route.c) gathers those and writes the `route`
 * record and the ledger assignment.
 *
 * A decision is one of
 *   ROUTE_ROUTE   handed to the service and rewritten (finvoice_rewrite);
 *   ROUTE_PASS    sent as it is, reason says why;
 *   ROUTE_REJECT  not sent, code is the service's error code (5, 6, 13)
 *                 or the product's own (20, 21, 30, 50-54 for factoring:
 *                 route/factoring.h), reason names the field.
 *
 * The order of the checks is fixed and documented in reskontra-route(1):
 * the first rule that applies decides.
 *
 * Ownership: callers own every struct; strings are only read during the
 * call.  route_decide fills a caller's struct route_decision.
 */
#ifndef RESKONTRA_ROUTE_H
#define RESKONTRA_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/date.h"
#include "base/ident.h"
#include "base/util.h"

/* Rejection codes. */
#define ROUTE_E_ADDRESS		5	/* recipient postal address incomplete */
#define ROUTE_E_DUPLICATE	6	/* invoice number already assigned */
#define ROUTE_E_DUE_DATE	13	/* due date too close or passed */
#define ROUTE_E_TOTAL		20	/* total does not match rows */
#define ROUTE_E_REFERENCE	21	/* missing or invalid reference */
#define ROUTE_E_CURRENCY	30	/* kassavirta: currency invoice */
#define ROUTE_E_UNFIT		40	/* the ledger cannot store it */

/* Customer flags, as in customers.tsv (same bits as base/config.h). */
#define ROUTE_CUST_TEMP		0x01
#define ROUTE_CUST_GROUP_COMPANY 0x02
#define ROUTE_CUST_CONSUMER	0x04

enum route_service {
	ROUTE_SVC_NONE,
	ROUTE_SVC_FACTORING,
	ROUTE_SVC_AMILI,
	ROUTE_SVC_KASSAVIRTA,
	ROUTE_SVC_OP_LASKULAINA
};

enum route_action {
	ROUTE_ROUTE,
	ROUTE_PASS,
	ROUTE_REJECT
};

/* An invoice as the router needs it (from an `inv` record plus the
 * customers table and the ledger).  Empty strings and NULL both mean "not
 * given". */
struct route_invoice {
	const char *invoice_no;
	int is_credit;
	day_t invoice_date;
	day_t due_date;			/* DAY_NONE if not given */
	const char *buyer_id;		/* business id or customer number */
	const char *country;		/* recipient's country, ISO alpha-2 */
	const char *currency;
	const char *reference;		/* normalised (national or RF) */
	const char *credited_invoice_no;
	const char *language;
	const char *street, *post_code, *town;
	int total_mismatch;		/* reader warning total-mismatch */
	int payable_mismatch;		/* reader warning payable-mismatch */
	int bad_reference;		/* reader warning bad/short-reference */
	/* from the customers table */
	const char *group;		/* premium, vip, nomonitor or NULL */
	unsigned customer_flags;	/* ROUTE_CUST_* */
	/* from the ledger */
	int credit_linked;		/* credit note: its invoice is known */
	int credit_routed;		/* credit note: its invoice was routed
					 * to the service */
	int duplicate;			/* route_duplicate() said DUP_REJECT */
	/* factoring: the customer's account, NULL when not linked; for
	 * a credit note, the account of the invoice it credits (also when
	 * the customer is no longer linked) */
	const struct conf_factoring *factoring;
	const char *customer_code;	/* factoring: the customer's code for
					 * the financier (a credit note's:
					 * the credited invoice's) */
	char held_code[CUSTOMER_CODE_BUFSZ]; /* a credit note's, kept here */
	int credit_ordinary;		/* factoring: the credited invoice
					 * is one the company kept */
};

struct route_policy {
	enum route_service service;
	day_t today;
	day_t start_date;		/* DAY_NONE: no start date */
	int min_banking_days;		/* default 4 */
	int b2c;			/* op-laskulaina: consumers included */
};

struct route_decision {
	enum route_action action;
	int code;			/* 0 unless rejected */
	char reason[160];		/* "" when routed without remark */
};

/* Decide what happens to inv. */
void route_decide(const struct route_policy *p,
    const struct route_invoice *inv, struct route_decision *out);

/* The address check alone (code 5): 0 complete, or -1 with why in
 * reason (size bytes). */
int route_address_complete(const struct route_invoice *inv, char *reason,
    size_t size);

/* Due date check (code 13): 0 if due is at least min banking days after
 * today, -1 if not (or no due date). */
int route_due_date_ok(day_t today, day_t due, int min);

/* Reference present and valid (national 7-3-1 or RF mod 97): 0 or -1. */
int route_reference_ok(const char *ref);

/* A well-formed business id that is not written in VAT form ("FI1234..."):
 * 0 or -1. */
int route_business_id_ok(const char *id);

/* Recipient language for clause and letters: "fi", "sv" or "en" into out
 * (3 bytes).  "se" is Swedish too (RI messages use it).  Returns 0, or 1
 * when the code was missing or unsupported and "fi" was used (the caller
 * warns). */
int route_language(const char *code, char out[3]);

/* Service reference: prefix digits + assignment number + 7-3-1 check
 * digit, in normal form.  0, or -1 if the prefix is not digits or the
 * result does not fit a reference (20 digits). */
int route_service_reference(const char *prefix, long long assignment,
    char out[REF_BUFSZ]);

/* An existing assignment with the same invoice number. */
struct route_assignment {
	day_t invoice_date;
	int open;			/* 1 open, 0 closed */
	int has_payments;		/* payments or credit notes applied */
	int in_error;			/* its invoice is in error */
};

enum route_dup {
	DUP_NEW,			/* a new assignment is created */
	DUP_NEW_CLOSE_OLD,		/* ... and the erroneous open one closed */
	DUP_REJECT			/* code 6 */
};

/* The duplicate invoice-number rules (services.md section 2, from seed
 * 004) for an invoice dated invoice_date against the n assignments that
 * already carry its number.  With DUP_NEW_CLOSE_OLD, *close (if not
 * NULL) is the index of the assignment to close. */
enum route_dup route_duplicate(const struct route_assignment *old, size_t n,
    day_t invoice_date, size_t *close);

/* The built-in transfer clause for lang ("fi", "sv", "en"), used when
 * the configuration has none; placeholders as below. */
const char *route_default_clause(const char *lang);

/* template with {company}, {contact}, {phone} and {service} replaced by
 * the given values (NULL as ""); other text, and other braces, copied.
 * Appends to out (reset first). */
void route_fill_clause(const char *template, const char *company,
    const char *contact, const char *phone, const char *service,
    struct sbuf *out);

/* The portal line in lang: "VERKKOPALVELU: URL KIRJAUTUMISTUNNUS: CODE"
 * (sv WEBBTJÄNST/INLOGGNINGSKOD, en ONLINE SERVICE/LOGIN CODE); out is
 * reset first. */
void route_portal_line(const char *lang, const char *url, const char *code,
    struct sbuf *out);

/* Login code of an assignment: "P" + 7-digit assignment number + "-" +
 * 4 hex digits of a hash of the company's business id, the invoice number
 * and the assignment number.  Unique per assignment; not a secret (the
 * service issues the real credentials).  out holds 32 bytes. */
void route_login_code(const char *business_id, const char *invoice_no,
    long long assignment, char out[32]);

/* "route", "pass", "reject". */
const char *route_action_name(enum route_action a);

#endif
