/*
 * router: one inv record routed and its decision kept in the ledger
 * (router.h).  Moved out of `reskontra route` so that `reskontra run`
 * routes the invoices of a spool input the same way, in the spool's
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/record.h"
#include "base/recschema.h"
#include "base/sha256.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"
#include "ledger/match.h"
#include "route/factoring.h"
#include "route/route.h"
#include "route/router.h"

#define MAX_SAME_NUMBER 64

struct router {
	const struct config *conf;
	struct ledger *l;
	struct assign *a;
	struct route_policy pol;
	void (*warn)(void *arg, const struct diag *d);
	void (*look)(void *arg, const struct diag *d);
	void *warn_arg;
};

static enum route_service
service_of(enum service_type t)
{
	switch (t) {
	case SERVICE_FACTORING:
		return ROUTE_SVC_FACTORING;
	case SERVICE_AMILI:
		return ROUTE_SVC_AMILI;
	case SERVICE_KASSAVIRTA:
		return ROUTE_SVC_KASSAVIRTA;
	case SERVICE_OP_LASKULAINA:
		return ROUTE_SVC_OP_LASKULAINA;
	case SERVICE_NONE:
		break;
	}
	return ROUTE_SVC_NONE;
}

/* Whether the ledger has payments or credit notes on the invoice of
 * invoice_no and date. */
static int
has_payments(struct router *rt, const char *invoice_no, day_t date,
    struct diag *d)
{
	struct ledger_invoice li;
	int r = ledger_find_dated_invoice(rt->l, invoice_no, 0, date, &li, d);

	if (r <= 0)
		return r;
	return li.paid != 0 || li.credited != 0 || li.over != 0;
}

/* A credit note's invoice: inv->credit_linked when the ledger has it or
 * it was routed, inv->credit_routed when it was routed.  0, or -1 with
 * d. */
static int
credit_linked(struct router *rt, struct route_invoice *inv, struct diag *d)
{
	const char *credited = inv->credited_invoice_no;
	struct ledger_invoice li;
	struct assignment x;
	int in_ledger, routed;

	if (credited == NULL || *credited == '\0')
		return 0;
	if ((in_ledger = ledger_find_invoice(rt->l, credited, 0, &li,
	    d)) < 0 || (routed = assign_by_number(rt->a, credited, &x, 1,
	    d)) < 0)
		return -1;
	inv->credit_linked = in_ledger > 0 || routed > 0;
	inv->credit_routed = routed > 0;
	return 0;
}

/* The digest of an inv record's contents (every column but source): the
 * same invoice delivered again has the same digest. */
static void
record_digest(const struct recin *r, char out[ASSIGN_DIGEST_BUFSZ])
{
	unsigned char dig[SHA256_LEN];
	struct sha256_ctx c;
	size_t i;

	sha256_init(&c);
	for (i = 0; i + 1 < r->nfields; i++)
		sha256_update(&c, strlen(r->fields[i]) + 1, (const uint8_t *)r->fields[i]);
	sha256_digest(&c, SHA256_LEN, dig);
	sha256_hex(dig, out);
}

/* An invoice no stage may act on (the ledger would refuse it): rejected
 * with ROUTE_E_UNFIT and never routed.  The decision is kept when the
 * invoice number and date can key it, so that rewrite finds it. */
static int
reject_unfit(struct router *rt, const struct recin *r, const char *digest,
    const char *why, struct assignment *x, struct diag *d)
{
	day_t date = DAY_NONE;
	const char *ds = rec_field(r, COL_INV_INVOICE_DATE);
	int bad_date = *ds != '\0' && date_parse_iso(ds, strlen(ds),
	    &date) != 0;

	memset(x, 0, sizeof(*x));
	x->invoice_date = bad_date ? DAY_NONE : date;
	snprintf(x->service, sizeof(x->service), "%s",
	    config_service_name(rt->conf->service));
	snprintf(x->action, sizeof(x->action), "reject");
	x->code = ROUTE_E_UNFIT;
	snprintf(x->reason, sizeof(x->reason), "not fit for the ledger: %s",
	    why);
	snprintf(x->digest, sizeof(x->digest), "%s", digest);
	if (*rec_field(r, COL_INV_INVOICE_NO) == '\0' ||
	    str_copy_fit(x->invoice_no, sizeof(x->invoice_no),
	    rec_field(r, COL_INV_INVOICE_NO)) < 0 ||
	    str_copy_fit(x->source, sizeof(x->source), rec_source_field(r)) < 0 ||
	    bad_date)
		return 0;	/* nothing to key it by: not kept */
	/* buyer and reference are informative: kept only when they fit */
	if (str_copy_fit(x->buyer_id, sizeof(x->buyer_id),
	    rec_field(r, COL_INV_BUYER_ID)) < 0)
		x->buyer_id[0] = '\0';
	if (str_copy_fit(x->reference, sizeof(x->reference),
	    rec_field(r, COL_INV_REFERENCE)) < 0)
		x->reference[0] = '\0';
	return assign_add(rt->a, x, d);
}

/* The invoice as the routing rules see it; inv's strings point into r. */
static void
route_invoice_of(struct router *rt, const struct recin *r,
    const struct ledger_invoice *li, struct route_invoice *inv)
{
	const char *warnings = rec_field(r, COL_INV_WARNINGS);
	const struct conf_customer *cust;

	memset(inv, 0, sizeof(*inv));
	inv->invoice_no = rec_field(r, COL_INV_INVOICE_NO);
	inv->is_credit = li->is_credit;
	inv->invoice_date = li->invoice_date;
	inv->due_date = li->due_date;
	inv->buyer_id = rec_field(r, COL_INV_BUYER_ID);
	inv->country = rec_field(r, COL_INV_COUNTRY);
	inv->currency = rec_field(r, COL_INV_CURRENCY);
	inv->reference = rec_field(r, COL_INV_REFERENCE);
	inv->credited_invoice_no = rec_field(r, COL_INV_CREDITED_INVOICE_NO);
	inv->language = rec_field(r, COL_INV_LANGUAGE);
	inv->street = rec_field(r, COL_INV_STREET);
	inv->post_code = rec_field(r, COL_INV_POST_CODE);
	inv->town = rec_field(r, COL_INV_TOWN);
	inv->total_mismatch = rec_list_has(warnings, "total-mismatch");
	inv->payable_mismatch = rec_list_has(warnings, "payable-mismatch");
	inv->bad_reference = rec_list_has(warnings, "bad-reference") ||
	    rec_list_has(warnings, "short-reference");
	cust = config_customer(rt->conf, inv->buyer_id);
	if (cust != NULL) {
		inv->group = cust->group;
		inv->customer_flags = cust->flags;
		/* config_load() made sure a linked customer has a code and
		 * its account exists */
		if (rt->conf->service == SERVICE_FACTORING &&
		    cust->factoring != NULL && cust->code != NULL) {
			inv->factoring = config_factoring(rt->conf,
			    cust->factoring);
			inv->customer_code = cust->code;
		}
	}
}

/* The duplicate-number rules (route_duplicate()) for an invoice of a
 * receivables service: sets inv->duplicate; *close the assignment to
 * close.  0, or -1 with d. */
static int
check_duplicate(struct router *rt, struct route_invoice *inv,
    struct assignment *old, enum route_dup *dup, size_t *close,
    struct diag *d)
{
	struct route_assignment ra[MAX_SAME_NUMBER];
	int i, n, hp;

	if ((n = assign_by_number(rt->a, inv->invoice_no, old,
	    MAX_SAME_NUMBER, d)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		/* factoring: the reference is made of the contract and the
		 * invoice number alone (route/factoring.c), so another date
		 * would send the financier a second invoice under the first's
		 * reference: any date counts as the same date */
		ra[i].invoice_date = rt->pol.service == ROUTE_SVC_FACTORING ?
		    inv->invoice_date : old[i].invoice_date;
		/* only one of the same date decides (route_duplicate()) */
		if (ra[i].invoice_date != inv->invoice_date)
			hp = 0;
		else if ((hp = has_payments(rt, inv->invoice_no,
		    old[i].invoice_date, d)) < 0)
			return -1;
		ra[i].open = strcmp(old[i].status, "open") == 0;
		ra[i].has_payments = hp;
		ra[i].in_error = old[i].in_error;
	}
	*dup = route_duplicate(ra, (size_t)n, inv->invoice_date, close);
	inv->duplicate = *dup == DUP_REJECT;
	return 0;
}

/* Say warning wd to router_set_warn()'s function (standard error
 * without one); look: to its function for the warnings that need
 * someone to act. */
static void
say(const struct router *rt, const struct diag *wd, int look)
{
	if (look && rt->look != NULL)
		rt->look(rt->warn_arg, wd);
	else if (rt->warn != NULL)
		rt->warn(rt->warn_arg, wd);
	else
		diag_warn(stderr, wd);
}

/* A routed invoice without a supported language is written in Finnish:
 * say so. */
static void
warn_language(struct router *rt, const struct route_invoice *inv,
    const char *source)
{
	struct diag wd;

	if (*inv->language == '\0')
		diag_set(&wd, source, 0, 0, "invoice %s: no recipient "
		    "language; the service writes in Finnish",
		    inv->invoice_no);
	else
		diag_set(&wd, source, 0, 0, "invoice %s: language '%s' is not "
		    "fi, sv or en; the service writes in Finnish",
		    inv->invoice_no, inv->language);
	say(rt, &wd, 0);
}

/* A routed decision's assignment number becomes its service reference
 * and login code.  0, or -1 with d. */
static int
set_service_refs(struct router *rt, struct assignment *x, struct diag *d)
{
	if (rt->pol.service != ROUTE_SVC_OP_LASKULAINA) {
		if (route_service_reference(rt->conf->reference_prefix,
		    x->number, x->service_reference) != 0) {
			diag_set(d, rt->conf->path, 0, 0, "reference_prefix "
			    "%s and assignment %lld make no reference of at "
			    "most 20 digits", rt->conf->reference_prefix ?
			    rt->conf->reference_prefix : "",
			    (long long)x->number);
			return -1;
		}
		route_login_code(rt->conf->company_business_id,
		    x->invoice_no, x->number, x->login_code);
	}
	return assign_set_refs(rt->a, x->id, x->service_reference,
	    x->login_code, d);
}

/* Factoring: a credit note goes where the invoice it credits went: to
 * the factoring account that holds it (with the customer code it went
 * with, also when the customer is no longer linked), or, for an invoice
 * the company kept, nowhere (inv->credit_ordinary).  A linked
 * customer's one for an invoice reskontra never saw goes to the
 * customer's account, with a warning.  0, or -1 with d. */
static int
factoring_credit(struct router *rt, struct route_invoice *inv,
    const char *source, struct diag *d)
{
	const char *no = inv->credited_invoice_no;
	const struct conf_factoring *held;
	struct ledger_invoice li;
	struct assignment x;
	struct fbatch_ref ref;
	struct diag wd;
	int n;

	if (no == NULL || *no == '\0')
		return 0;
	if ((n = assign_by_number(rt->a, no, &x, 1, d)) < 0)
		return -1;
	if (n == 1 && (n = fbatch_of_assignment(rt->l, x.id, &ref, d)) < 0)
		return -1;
	if (n == 1) {
		if ((held = config_factoring(rt->conf, ref.account)) != NULL) {
			inv->factoring = held;
			snprintf(inv->held_code, sizeof(inv->held_code),
			    "%s", ref.customer_code);
			inv->customer_code = inv->held_code;
		}
		return 0;
	}
	if (inv->factoring == NULL)
		return 0;	/* not linked, and not of a factoring invoice */
	if ((n = ledger_find_invoice(rt->l, no, 0, &li, d)) < 0)
		return -1;
	if (n == 1) {
		inv->credit_ordinary = 1;
		return 0;
	}
	diag_set(&wd, source, 0, 0, "credit note %s credits invoice %s, "
	    "which reskontra has not seen before it: sent to factoring "
	    "account %s as the customer's credit notes are; check that the "
	    "financier holds the invoice", inv->invoice_no, no,
	    inv->factoring->name);
	say(rt, &wd, 1);
	return 0;
}

/* A routed factoring invoice: its reference (the service reference the
 * ledger matches payments by; a credit note has none) and its row for
 * the batch (ledger/fbatch.h).  0, or -1 with d. */
static int
add_factoring(struct router *rt, struct assignment *x,
    const struct route_invoice *inv, const struct ledger_invoice *li,
    const struct recin *r, struct diag *d)
{
	const struct conf_factoring *f = inv->factoring;
	struct fbatch_invoice fi;
	char printed[REF_BUFSZ] = "", why[160];

	if (!inv->is_credit) {
		/* route_decide() made the same reference to check it */
		if (factoring_reference(f->financier, f->contract,
		    inv->invoice_no, printed, x->service_reference, why,
		    sizeof(why)) != 0) {
			diag_set(d, rec_source_field(r), 0, 0, "%s", why);
			return -1;
		}
		if (assign_set_refs(rt->a, x->id, x->service_reference, NULL,
		    d) < 0)
			return -1;
	}
	memset(&fi, 0, sizeof(fi));
	fi.assignment = x->id;
	fi.account = f->name;
	fi.unbatched = !factoring_financier_supported(f->financier);
	fi.invoice_no = li->invoice_no;
	fi.is_credit = inv->is_credit;
	fi.customer_code = inv->customer_code;
	fi.recipient = rec_field(r, COL_INV_BUYER_NAME);
	fi.invoice_date = li->invoice_date;
	fi.due_date = li->due_date;
	fi.amount = li->total;
	fi.reference = printed;
	return fbatch_add(rt->l, &fi, d);
}

int
router_inv(struct router *rt, const struct recin *r, struct assignment *out,
    struct diag *d)
{
	struct ledger_invoice li;
	struct route_invoice inv;
	struct route_decision dec;
	struct assignment x, old[MAX_SAME_NUMBER];
	enum route_dup dup = DUP_NEW;
	size_t close = 0;
	char why[300], digest[ASSIGN_DIGEST_BUFSZ], lang[3];
	int n;

	record_digest(r, digest);
	if (match_inv_parse(r, &li, why, sizeof(why)) != 0)
		return reject_unfit(rt, r, digest, why, out, d);
	if ((n = assign_find_source(rt->a, li.invoice_no, li.invoice_date,
	    rec_source_field(r), digest, &x, d)) < 0)
		return -1;
	if (n == 1) {
		*out = x;
		return 0;
	}
	route_invoice_of(rt, r, &li, &inv);
	if (inv.is_credit) {
		if (credit_linked(rt, &inv, d) < 0)
			return -1;
		if (rt->pol.service == ROUTE_SVC_FACTORING &&
		    factoring_credit(rt, &inv, rec_source_field(r), d) < 0)
			return -1;
	} else if ((rt->pol.service == ROUTE_SVC_AMILI ||
	    rt->pol.service == ROUTE_SVC_KASSAVIRTA ||
	    rt->pol.service == ROUTE_SVC_OP_LASKULAINA ||
	    (rt->pol.service == ROUTE_SVC_FACTORING &&
	    inv.factoring != NULL)) &&
	    check_duplicate(rt, &inv, old, &dup, &close, d) < 0)
		return -1;
	route_decide(&rt->pol, &inv, &dec);

	/* every field below fits: match_inv_parse() checked the lengths
	 * against the ledger's, which are the assignments' too */
	memset(&x, 0, sizeof(x));
	memcpy(x.invoice_no, li.invoice_no, sizeof(x.invoice_no));
	x.invoice_date = inv.invoice_date;
	memcpy(x.buyer_id, li.buyer_id, sizeof(x.buyer_id));
	snprintf(x.service, sizeof(x.service), "%s",
	    config_service_name(rt->conf->service));
	snprintf(x.action, sizeof(x.action), "%s",
	    route_action_name(dec.action));
	x.code = dec.code;
	snprintf(x.reason, sizeof(x.reason), "%s", dec.reason);
	snprintf(x.group, sizeof(x.group), "%s", inv.group ? inv.group : "");
	snprintf(x.reference, sizeof(x.reference), "%s", inv.reference);
	snprintf(x.source, sizeof(x.source), "%s", rec_source_field(r));
	memcpy(x.digest, digest, sizeof(x.digest));
	if (route_language(inv.language, lang) != 0 &&
	    dec.action == ROUTE_ROUTE)
		warn_language(rt, &inv, rec_source_field(r));
	memcpy(x.language, lang, sizeof(x.language));
	if (assign_add(rt->a, &x, d) < 0)
		return -1;
	if (dec.action == ROUTE_ROUTE) {
		if (dup == DUP_NEW_CLOSE_OLD &&
		    assign_close_old(rt->a, old[close].id, x.id, d) < 0)
			return -1;
		if (inv.factoring != NULL ? add_factoring(rt, &x, &inv, &li, r,
		    d) < 0 : set_service_refs(rt, &x, d) < 0)
			return -1;
	}
	*out = x;
	return 0;
}

struct router *
router_new(const struct config *conf, struct ledger *l, struct assign *a,
    day_t today)
{
	struct router *rt = xcalloc(1, sizeof(*rt));

	rt->conf = conf;
	rt->l = l;
	rt->a = a;
	rt->pol.service = service_of(conf->service);
	rt->pol.today = today;
	rt->pol.start_date = conf->start_date;
	rt->pol.min_banking_days = conf->min_banking_days;
	rt->pol.b2c = conf->b2c;
	return rt;
}

void
router_set_warn(struct router *rt, void (*warn)(void *arg,
    const struct diag *d), void (*look)(void *arg, const struct diag *d),
    void *arg)
{
	rt->warn = warn;
	rt->look = look;
	rt->warn_arg = arg;
}

void
router_free(struct router *rt)
{
	free(rt);
}

int
router_service_routes(enum service_type t)
{
	return t == SERVICE_AMILI || t == SERVICE_KASSAVIRTA ||
	    t == SERVICE_OP_LASKULAINA || t == SERVICE_FACTORING;
}
