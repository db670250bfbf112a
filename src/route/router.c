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
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"
#include "route/route.h"
#include "route/router.h"

/* inv columns (formats/records.md), after the kind field. */
enum {
	INV_NO = 1, INV_TYPE, INV_DATE, INV_DUE, INV_SELLER, INV_BUYER_ID,
	INV_BUYER_NAME, INV_COUNTRY, INV_CURRENCY, INV_TOTAL, INV_IBAN,
	INV_REFERENCE, INV_CREDITED, INV_LANGUAGE, INV_PARTIAL, INV_STREET,
	INV_POST_CODE, INV_TOWN, INV_ROWS, INV_WARNINGS, INV_SOURCE,
	INV_NFIELDS
};

#define MAX_SAME_NUMBER 64

struct router {
	const struct config *conf;
	struct ledger *l;
	struct assign *a;
	struct route_policy pol;
	void (*warn)(void *arg, const struct diag *d);
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

/* 1 if the comma-separated list has code. */
static int
has_warning(const char *list, const char *code)
{
	size_t k = strlen(code);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, code, k) == 0 && (p[k] == ',' || p[k] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Whether the ledger has payments or credit notes on invoice_no. */
static int
has_payments(struct router *rt, const char *invoice_no, struct diag *d)
{
	struct ledger_invoice li;
	int r = ledger_find_invoice(rt->l, invoice_no, 0, &li, d);

	if (r <= 0)
		return r;
	return li.paid != 0 || li.credited != 0 || li.over != 0;
}

static int
credit_linked(struct router *rt, const char *credited, struct diag *d)
{
	struct ledger_invoice li;
	struct assignment x;
	int r;

	if (credited == NULL || *credited == '\0')
		return 0;
	if ((r = ledger_find_invoice(rt->l, credited, 0, &li, d)) != 0)
		return r;
	return assign_by_number(rt->a, credited, &x, 1, d);
}

static int
field_date(const char *s, day_t *out)
{
	if (*s == '\0') {
		*out = DAY_NONE;
		return 0;
	}
	return date_parse_iso(s, strlen(s), out);
}

int
router_inv(struct router *rt, const struct recin *r, struct assignment *out,
    struct diag *d)
{
	const struct conf_customer *cust;
	struct route_invoice inv;
	struct route_decision dec;
	struct assignment x, old[MAX_SAME_NUMBER];
	struct route_assignment ra[MAX_SAME_NUMBER];
	enum route_dup dup = DUP_NEW;
	size_t close = 0;
	const char *f[INV_NFIELDS];
	char lang[3];
	int i, n, hp = 0;

	if (r->nfields < INV_NFIELDS) {
		diag_set(d, r->name, r->line, 0, "inv record has %zu fields, "
		    "expected at least %d", r->nfields, INV_NFIELDS);
		return 1;
	}
	for (i = 1; i < INV_SOURCE; i++)
		f[i] = rec_field(r, (size_t)i);
	f[INV_SOURCE] = rec_field(r, r->nfields - 1);

	memset(&inv, 0, sizeof(inv));
	inv.invoice_no = f[INV_NO];
	inv.is_credit = strcmp(f[INV_TYPE], "credit") == 0;
	if (field_date(f[INV_DATE], &inv.invoice_date) != 0 ||
	    field_date(f[INV_DUE], &inv.due_date) != 0) {
		diag_set(d, r->name, r->line, 0, "inv record: bad date");
		return 1;
	}
	if (*inv.invoice_no == '\0') {
		diag_set(d, r->name, r->line, 0,
		    "inv record without an invoice number");
		return 1;
	}

	memset(&x, 0, sizeof(x));
	if ((n = assign_find_source(rt->a, inv.invoice_no, inv.invoice_date,
	    f[INV_SOURCE], &x, d)) < 0)
		return -1;
	if (n == 1) {
		*out = x;
		return 0;
	}

	inv.buyer_id = f[INV_BUYER_ID];
	inv.country = f[INV_COUNTRY];
	inv.currency = f[INV_CURRENCY];
	inv.reference = f[INV_REFERENCE];
	inv.credited_invoice_no = f[INV_CREDITED];
	inv.language = f[INV_LANGUAGE];
	inv.street = f[INV_STREET];
	inv.post_code = f[INV_POST_CODE];
	inv.town = f[INV_TOWN];
	inv.total_mismatch = has_warning(f[INV_WARNINGS], "total-mismatch");
	inv.payable_mismatch = has_warning(f[INV_WARNINGS],
	    "payable-mismatch");
	inv.bad_reference = has_warning(f[INV_WARNINGS], "bad-reference") ||
	    has_warning(f[INV_WARNINGS], "short-reference");
	cust = config_customer(rt->conf, inv.buyer_id);
	if (cust != NULL) {
		inv.group = cust->group;
		inv.customer_flags = cust->flags;
	}
	if (inv.is_credit) {
		if ((n = credit_linked(rt, inv.credited_invoice_no, d)) < 0)
			return -1;
		inv.credit_linked = n > 0;
	} else if (rt->pol.service == ROUTE_SVC_AMILI ||
	    rt->pol.service == ROUTE_SVC_KASSAVIRTA) {
		if ((n = assign_by_number(rt->a, inv.invoice_no, old,
		    MAX_SAME_NUMBER, d)) < 0)
			return -1;
		if (n > 0 && (hp = has_payments(rt, inv.invoice_no, d)) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			ra[i].invoice_date = old[i].invoice_date;
			ra[i].open = strcmp(old[i].status, "open") == 0;
			ra[i].has_payments = hp;
			ra[i].in_error = old[i].in_error;
		}
		dup = route_duplicate(ra, (size_t)n, inv.invoice_date, &close);
		inv.duplicate = dup == DUP_REJECT;
	}
	route_decide(&rt->pol, &inv, &dec);

	memset(&x, 0, sizeof(x));
	snprintf(x.invoice_no, sizeof(x.invoice_no), "%s", inv.invoice_no);
	x.invoice_date = inv.invoice_date;
	snprintf(x.buyer_id, sizeof(x.buyer_id), "%s", inv.buyer_id);
	snprintf(x.service, sizeof(x.service), "%s",
	    config_service_name(rt->conf->service));
	snprintf(x.action, sizeof(x.action), "%s",
	    route_action_name(dec.action));
	x.code = dec.code;
	snprintf(x.reason, sizeof(x.reason), "%s", dec.reason);
	snprintf(x.group, sizeof(x.group), "%s", inv.group ? inv.group : "");
	snprintf(x.reference, sizeof(x.reference), "%s", inv.reference);
	snprintf(x.source, sizeof(x.source), "%s", f[INV_SOURCE]);
	if (route_language(inv.language, lang) != 0 &&
	    dec.action == ROUTE_ROUTE) {
		struct diag wd;

		if (*inv.language == '\0')
			diag_set(&wd, f[INV_SOURCE], 0, 0, "invoice %s: no "
			    "recipient language; the service writes in "
			    "Finnish", inv.invoice_no);
		else
			diag_set(&wd, f[INV_SOURCE], 0, 0, "invoice %s: "
			    "language '%s' is not fi, sv or en; the service "
			    "writes in Finnish", inv.invoice_no, inv.language);
		if (rt->warn != NULL)
			rt->warn(rt->warn_arg, &wd);
		else
			diag_warn(stderr, &wd);
	}
	snprintf(x.language, sizeof(x.language), "%s", lang);
	if (assign_add(rt->a, &x, d) < 0)
		return -1;
	if (dec.action == ROUTE_ROUTE) {
		if (dup == DUP_NEW_CLOSE_OLD &&
		    assign_close_old(rt->a, old[close].id, x.id, d) < 0)
			return -1;
		if (rt->pol.service != ROUTE_SVC_OP_LASKULAINA) {
			if (route_service_reference(rt->conf->reference_prefix,
			    x.number, x.service_reference) != 0) {
				diag_set(d, rt->conf->path, 0, 0,
				    "reference_prefix %s and assignment %lld "
				    "make no reference of at most 20 digits",
				    rt->conf->reference_prefix ?
				    rt->conf->reference_prefix : "",
				    (long long)x.number);
				return -1;
			}
			route_login_code(rt->conf->company_business_id,
			    x.invoice_no, x.number, x.login_code);
		}
		if (assign_set_refs(rt->a, x.id, x.service_reference,
		    x.login_code, d) < 0)
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
    const struct diag *d), void *arg)
{
	rt->warn = warn;
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
	    t == SERVICE_OP_LASKULAINA;
}
