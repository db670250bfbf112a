/*
 * route: the routing rules of spec/services.md as pure functions.  See
 * route.h for the contract; reskontra-route(1) lists the rules in the
 * order they are applied here.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/money.h"
#include "base/util.h"
#include "route/factoring.h"
#include "route/route.h"

static int
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

static int
is_fi(const char *cc)
{
	return strcasecmp(cc, "FI") == 0;
}

const char *
route_action_name(enum route_action a)
{
	switch (a) {
	case ROUTE_ROUTE:
		return "route";
	case ROUTE_PASS:
		return "pass";
	case ROUTE_REJECT:
		return "reject";
	}
	return "?";
}

int
route_address_complete(const struct route_invoice *inv, char *reason,
    size_t size)
{
	const char *part[4];
	size_t i, n, k = 0;

	/* every missing part named: the sender fixes them at once */
	if (empty(inv->street))
		part[k++] = "street";
	if (empty(inv->post_code))
		part[k++] = "post code";
	if (empty(inv->town))
		part[k++] = "town";
	if (empty(inv->country))
		part[k++] = "country";
	if (k > 0) {
		struct sbuf list = SBUF_INIT;

		sbuf_add_list(&list, part, k);
		snprintf(reason, size, "recipient address incomplete: %s "
		    "missing", list.data);
		sbuf_free(&list);
		return -1;
	}
	/* A Finnish post code is five digits; anything else cannot be
	 * found, which is how the service words it. */
	if (is_fi(inv->country)) {
		n = strlen(inv->post_code);
		for (i = 0; i < n; i++)
			if (inv->post_code[i] < '0' || inv->post_code[i] > '9')
				break;
		if (n != 5 || i != n) {
			snprintf(reason, size,
			    "Postal code for %s %s not found", inv->town,
			    inv->post_code);
			return -1;
		}
	}
	return 0;
}

int
route_due_date_ok(day_t today, day_t due, int min)
{
	if (due == DAY_NONE || today == DAY_NONE)
		return -1;
	return date_banking_days_between(today, due) >= min ? 0 : -1;
}

int
route_reference_ok(const char *ref)
{
	size_t n;

	if (empty(ref))
		return -1;
	n = strlen(ref);
	if (n >= 2 && (ref[0] == 'R' || ref[0] == 'r') &&
	    (ref[1] == 'F' || ref[1] == 'f'))
		return rf_validate(ref, n);
	return ref_validate(ref, n);
}

int
route_business_id_ok(const char *id)
{
	if (empty(id))
		return -1;
	return ytunnus_validate(id, strlen(id));
}

/* Written in VAT form: two letters and then digits ("FI12345678"). */
static int
vat_form(const char *id)
{
	size_t i;

	if (empty(id) || strlen(id) < 4)
		return 0;
	if (!((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
		return 0;
	if (!((id[1] >= 'A' && id[1] <= 'Z') || (id[1] >= 'a' && id[1] <= 'z')))
		return 0;
	for (i = 2; id[i] != '\0'; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	return 1;
}

int
route_language(const char *code, char out[3])
{
	static const struct {
		const char *code, *lang;
	} map[] = {
		{ "fi", "fi" }, { "sv", "sv" }, { "se", "sv" }, { "en", "en" },
	};
	size_t i;

	if (!empty(code))
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcasecmp(code, map[i].code) == 0) {
				memcpy(out, map[i].lang, 3);
				return 0;
			}
	memcpy(out, "fi", 3);
	return 1;
}

int
route_service_reference(const char *prefix, long long assignment,
    char out[REF_BUFSZ])
{
	char base[64];
	size_t i;
	int n;

	if (prefix == NULL)
		prefix = "";
	for (i = 0; prefix[i] != '\0'; i++)
		if (prefix[i] < '0' || prefix[i] > '9')
			return -1;
	if (assignment < 1)
		return -1;
	n = snprintf(base, sizeof(base), "%s%lld", prefix, assignment);
	if (n < 0 || (size_t)n >= sizeof(base) || n > 19)
		return -1;
	return ref_generate(base, (size_t)n, out);
}

enum route_dup
route_duplicate(const struct route_assignment *old, size_t n,
    day_t invoice_date, size_t *close)
{
	size_t i, found = (size_t)-1;

	for (i = 0; i < n; i++) {
		/* (1) another invoice date: a new assignment, the old stays */
		if (old[i].invoice_date != invoice_date)
			continue;
		/* (2) closed with nothing applied (cancelled by the sender) */
		if (!old[i].open && !old[i].has_payments)
			continue;
		/* (3) open, nothing applied, its invoice in error: the old
		 * one is closed and a new one made */
		if (old[i].open && !old[i].has_payments && old[i].in_error) {
			if (found == (size_t)-1)
				found = i;
			continue;
		}
		return DUP_REJECT;
	}
	if (found != (size_t)-1) {
		if (close != NULL)
			*close = found;
		return DUP_NEW_CLOSE_OLD;
	}
	return DUP_NEW;
}

static void
decide(struct route_decision *out, enum route_action a, int code,
    const char *fmt, const char *arg)
{
	out->action = a;
	out->code = code;
	snprintf(out->reason, sizeof(out->reason), fmt, arg != NULL ? arg : "");
}

/* The totals of section 1 (code 20). */
static int
total_checks(const struct route_invoice *inv, struct route_decision *out)
{
	if (inv->total_mismatch) {
		decide(out, ROUTE_REJECT, ROUTE_E_TOTAL,
		    "total does not match rows%s", "");
		return -1;
	}
	if (inv->payable_mismatch) {
		decide(out, ROUTE_REJECT, ROUTE_E_TOTAL,
		    "total does not match rows: payable amount differs from "
		    "the total%s", "");
		return -1;
	}
	return 0;
}

/* Checks of section 1 that make an invoice unfit for any service: the
 * product's own codes 20 and 21. */
static int
invoice_checks(const struct route_invoice *inv, struct route_decision *out)
{
	if (total_checks(inv, out) != 0)
		return -1;
	if (!inv->is_credit &&
	    (empty(inv->reference) || inv->bad_reference ||
	    route_reference_ok(inv->reference) != 0)) {
		decide(out, ROUTE_REJECT, ROUTE_E_REFERENCE,
		    empty(inv->reference) ? "missing or invalid reference: "
		    "no reference%s" : "missing or invalid reference: %s",
		    inv->reference);
		return -1;
	}
	return 0;
}

static void
decide_amili(const struct route_policy *p, const struct route_invoice *inv,
    struct route_decision *out)
{
	char why[160], buf[2 * DATE_BUFSZ + 8];
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];

	if (inv->is_credit) {
		if (empty(inv->credited_invoice_no))
			decide(out, ROUTE_PASS, 0,
			    "credit note names no invoice%s", "");
		else if (inv->credit_linked)
			decide(out, ROUTE_PASS, 0,
			    "credit note linked to invoice %s",
			    inv->credited_invoice_no);
		else
			decide(out, ROUTE_PASS, 0,
			    "credit note for invoice %s, not linked yet",
			    inv->credited_invoice_no);
		return;
	}
	if (p->start_date != DAY_NONE && inv->invoice_date != DAY_NONE &&
	    inv->invoice_date < p->start_date) {
		decide(out, ROUTE_PASS, 0,
		    "invoice dated before the service start date %s",
		    date_format(p->start_date, d1));
		return;
	}
	if (!money_in_eur(inv->currency)) {
		if (p->service == ROUTE_SVC_KASSAVIRTA)
			decide(out, ROUTE_REJECT, ROUTE_E_CURRENCY,
			    "currency invoice (%s) cannot be sent to the "
			    "service", inv->currency);
		else
			decide(out, ROUTE_PASS, 0,
			    "currency %s: not handled by the service",
			    inv->currency);
		return;
	}
	if (!empty(inv->country) && !is_fi(inv->country)) {
		decide(out, ROUTE_PASS, 0, "billing country %s is not FI",
		    inv->country);
		return;
	}
	if (!empty(inv->group) && strcmp(inv->group, "nomonitor") == 0) {
		decide(out, ROUTE_PASS, 0,
		    "customer in group nomonitor%s", "");
		return;
	}
	if (route_address_complete(inv, why, sizeof(why)) != 0) {
		decide(out, ROUTE_REJECT, ROUTE_E_ADDRESS, "%s", why);
		return;
	}
	if (inv->duplicate) {
		decide(out, ROUTE_REJECT, ROUTE_E_DUPLICATE,
		    "Invoice already exists: %s", inv->invoice_no);
		return;
	}
	if (route_due_date_ok(p->today, inv->due_date,
	    p->min_banking_days) != 0) {
		if (inv->due_date == DAY_NONE)
			decide(out, ROUTE_REJECT, ROUTE_E_DUE_DATE,
			    "The due date for the invoice is missing%s", "");
		else {
			snprintf(buf, sizeof(buf), "%s, today %s",
			    date_format(inv->due_date, d1),
			    date_format(p->today, d2));
			snprintf(why, sizeof(why), "The due date for the "
			    "invoice is within %d banking days or has already "
			    "passed (due %%s)", p->min_banking_days - 1);
			decide(out, ROUTE_REJECT, ROUTE_E_DUE_DATE, why, buf);
		}
		return;
	}
	if (invoice_checks(inv, out) != 0)
		return;
	decide(out, ROUTE_ROUTE, 0, "%s", "");
}

static void
decide_op(const struct route_policy *p, const struct route_invoice *inv,
    struct route_decision *out)
{
	char d1[DATE_BUFSZ];

	if (inv->customer_flags & ROUTE_CUST_TEMP) {
		decide(out, ROUTE_PASS, 0, "temporary customer (TEMP)%s", "");
		return;
	}
	if (!money_in_eur(inv->currency)) {
		decide(out, ROUTE_PASS, 0, "currency %s is not EUR",
		    inv->currency);
		return;
	}
	if (empty(inv->country) || !is_fi(inv->country)) {
		decide(out, ROUTE_PASS, 0, "customer country %s is not FI",
		    empty(inv->country) ? "(none)" : inv->country);
		return;
	}
	if (inv->customer_flags & ROUTE_CUST_GROUP_COMPANY) {
		decide(out, ROUTE_PASS, 0, "intra-group customer%s", "");
		return;
	}
	if (!inv->is_credit && (inv->due_date == DAY_NONE ||
	    inv->due_date <= p->today)) {
		decide(out, ROUTE_PASS, 0, "due date %s is not in the future",
		    inv->due_date == DAY_NONE ? "(none)" :
		    date_format(inv->due_date, d1));
		return;
	}
	/* a buyer with no business id at all is a consumer (B2C); one
	 * whose id is there but wrong is not guessed to be one */
	if ((inv->customer_flags & ROUTE_CUST_CONSUMER) ||
	    empty(inv->buyer_id)) {
		if (!p->b2c) {
			decide(out, ROUTE_PASS, 0,
			    "consumer customer%s and b2c = no",
			    empty(inv->buyer_id) ? " (no business id)" : "");
			return;
		}
	} else if (route_business_id_ok(inv->buyer_id) != 0) {
		decide(out, ROUTE_PASS, 0, vat_form(inv->buyer_id) ?
		    "business id %s is in VAT format" :
		    "business id %s is malformed",
		    empty(inv->buyer_id) ? "(none)" : inv->buyer_id);
		return;
	}
	if (p->start_date != DAY_NONE && inv->invoice_date != DAY_NONE &&
	    inv->invoice_date < p->start_date) {
		decide(out, ROUTE_PASS, 0,
		    "invoice dated before the service start date %s",
		    date_format(p->start_date, d1));
		return;
	}
	if (inv->is_credit && !inv->credit_linked) {
		decide(out, ROUTE_PASS, 0,
		    "credit note not linked to its invoice%s", "");
		return;
	}
	/* a credit note follows its invoice: one OP never had is not
	 * OP's to know of */
	if (inv->is_credit && !inv->credit_routed) {
		decide(out, ROUTE_PASS, 0, "credit note for invoice %s, which "
		    "was not routed to the service", inv->credited_invoice_no);
		return;
	}
	if (inv->duplicate) {
		decide(out, ROUTE_REJECT, ROUTE_E_DUPLICATE,
		    "Invoice already exists: %s", inv->invoice_no);
		return;
	}
	if (invoice_checks(inv, out) != 0)
		return;
	decide(out, ROUTE_ROUTE, 0, "%s", "");
}

/* Section 3: an invoice (or credit note) of a customer linked to a
 * factoring account is a factoring invoice, if seed 002's checks pass. */
static void
decide_factoring(const struct route_invoice *inv, struct route_decision *out)
{
	const struct conf_factoring *f = inv->factoring;
	char why[160], printed[REF_BUFSZ], normal[REF_BUFSZ];
	int code;

	if (f == NULL) {
		decide(out, ROUTE_PASS, 0, "customer not linked to a factoring "
		    "account%s", "");
		return;
	}
	if (inv->is_credit && inv->credit_ordinary) {
		decide(out, ROUTE_PASS, 0, "credit note for invoice %s, which "
		    "is not a factoring invoice", inv->credited_invoice_no);
		return;
	}
	/* the ledger, the notices and the transfer lists are in euros */
	if (!money_in_eur(inv->currency)) {
		decide(out, ROUTE_PASS, 0, "currency %s: not handled by the "
		    "factoring account", inv->currency);
		return;
	}
	if ((code = factoring_check(inv->invoice_no, inv->street,
	    inv->post_code, inv->town, why, sizeof(why))) != 0 ||
	    (!inv->is_credit && (code = factoring_reference(f->financier,
	    f->contract, inv->invoice_no, printed, normal, why,
	    sizeof(why))) != 0)) {
		decide(out, ROUTE_REJECT, code, "%s", why);
		return;
	}
	if (inv->duplicate) {
		decide(out, ROUTE_REJECT, ROUTE_E_DUPLICATE,
		    "Invoice already exists: %s", inv->invoice_no);
		return;
	}
	if (total_checks(inv, out) != 0)
		return;
	decide(out, ROUTE_ROUTE, 0, "factoring account %s", f->name);
}

void
route_decide(const struct route_policy *p, const struct route_invoice *inv,
    struct route_decision *out)
{
	memset(out, 0, sizeof(*out));
	switch (p->service) {
	case ROUTE_SVC_AMILI:
	case ROUTE_SVC_KASSAVIRTA:
		decide_amili(p, inv, out);
		break;
	case ROUTE_SVC_OP_LASKULAINA:
		decide_op(p, inv, out);
		break;
	case ROUTE_SVC_FACTORING:
		decide_factoring(inv, out);
		break;
	case ROUTE_SVC_NONE:
		decide(out, ROUTE_PASS, 0, "no service configured%s", "");
		break;
	}
}

const char *
route_default_clause(const char *lang)
{
	if (lang != NULL && strcmp(lang, "sv") == 0)
		return "Fordran enligt denna faktura har överlåtits till "
		    "{service}. I frågor om varan eller tjänsten, kontakta "
		    "{company}, {contact}. I frågor om betalningen, kontakta "
		    "{service}, tfn {phone}.";
	if (lang != NULL && strcmp(lang, "en") == 0)
		return "The receivable on this invoice has been assigned to "
		    "{service}. For questions about the goods or services, "
		    "please contact {company}, {contact}. For questions about "
		    "payment, please contact {service}, tel. {phone}.";
	return "Tämän laskun saatava on siirretty {service}:lle. Tuotteita "
	    "tai palvelua koskevissa asioissa ottakaa yhteyttä: {company}, "
	    "{contact}. Maksamiseen liittyvissä asioissa ottakaa yhteyttä "
	    "{service}, puh. {phone}.";
}

void
route_fill_clause(const char *template, const char *company,
    const char *contact, const char *phone, const char *service,
    struct sbuf *out)
{
	static const char *const keys[] = { "{company}", "{contact}",
	    "{phone}", "{service}" };
	const char *vals[4] = { company, contact, phone, service };
	const char *p;
	size_t i, k;

	sbuf_reset(out);
	sbuf_adds(out, "");
	for (p = template; p != NULL && *p != '\0';) {
		const char *brace = strchr(p, '{');

		if (brace == NULL) {
			sbuf_adds(out, p);
			break;
		}
		sbuf_add(out, p, (size_t)(brace - p));
		p = brace;
		for (i = 0; i < 4; i++) {
			k = strlen(keys[i]);
			if (strncmp(p, keys[i], k) == 0)
				break;
		}
		if (i < 4) {
			sbuf_adds(out, vals[i] != NULL ? vals[i] : "");
			p += k;
		} else
			sbuf_addc(out, *p++);
	}
}

void
route_portal_line(const char *lang, const char *url, const char *code,
    struct sbuf *out)
{
	const char *site = "VERKKOPALVELU", *login = "KIRJAUTUMISTUNNUS";

	if (lang != NULL && strcmp(lang, "sv") == 0) {
		site = "WEBBTJÄNST";
		login = "INLOGGNINGSKOD";
	} else if (lang != NULL && strcmp(lang, "en") == 0) {
		site = "ONLINE SERVICE";
		login = "LOGIN CODE";
	}
	sbuf_reset(out);
	sbuf_addf(out, "%s: %s %s: %s", site, url, login, code);
}

void
route_login_code(const char *business_id, const char *invoice_no,
    long long assignment, char out[32])
{
	char num[24];
	const char *parts[3];
	uint32_t h = 2166136261u;
	size_t i;
	const char *s;

	snprintf(num, sizeof(num), "%lld", assignment);
	parts[0] = business_id != NULL ? business_id : "";
	parts[1] = invoice_no != NULL ? invoice_no : "";
	parts[2] = num;
	for (i = 0; i < 3; i++) {
		for (s = parts[i]; *s != '\0'; s++) {
			h ^= (unsigned char)*s;
			h *= 16777619u;
		}
		h ^= '|';
		h *= 16777619u;
	}
	snprintf(out, 32, "P%07lld-%04X", assignment,
	    (unsigned)((h >> 16) ^ (h & 0xFFFF)));
}
