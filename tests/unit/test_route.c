/*
 * Unit tests: routing rules (route/route.c), one test per rule, and the
 * banking-day edges of the due-date rule around Easter, Midsummer,
 * Christmas and New Year.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "route/route.h"

static day_t
D(const char *iso)
{
	day_t d;

	cr_assert_eq(date_parse_iso(iso, strlen(iso), &d), 0, "%s", iso);
	return d;
}

/* A clean invoice that an amili service routes on 2026-09-01. */
static struct route_invoice
good(void)
{
	struct route_invoice v;

	memset(&v, 0, sizeof(v));
	v.invoice_no = "1001";
	v.invoice_date = D("2026-09-01");
	v.due_date = D("2026-09-15");
	v.buyer_id = "0737546-2";
	v.country = "FI";
	v.currency = "EUR";
	v.reference = "1357914";	/* 7-3-1 valid */
	v.language = "fi";
	v.street = "Katu 1";
	v.post_code = "00100";
	v.town = "HELSINKI";
	return v;
}

static struct route_policy
pol(enum route_service s)
{
	struct route_policy p;

	p.service = s;
	p.today = D("2026-09-01");
	p.start_date = D("2026-01-01");
	p.min_banking_days = 4;
	p.b2c = 1;
	return p;
}

static struct route_decision
run(enum route_service s, const struct route_invoice *v)
{
	struct route_policy p = pol(s);
	struct route_decision d;

	route_decide(&p, v, &d);
	return d;
}

#define ASSERT_DECISION(d, act, c) do { \
	cr_assert_eq((d).action, (act), "action %s, reason '%s'", \
	    route_action_name((d).action), (d).reason); \
	cr_assert_eq((d).code, (c), "code %d, reason '%s'", (d).code, \
	    (d).reason); \
} while (0)

Test(route, clean_invoice_is_routed)
{
	struct route_invoice v = good();
	struct route_decision d = run(ROUTE_SVC_AMILI, &v);

	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, no_service_passes)
{
	struct route_invoice v = good();
	struct route_decision d = run(ROUTE_SVC_NONE, &v);

	ASSERT_DECISION(d, ROUTE_PASS, 0);
}

Test(route, address_incomplete_is_code_5)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.street = "";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	cr_assert_str_eq(d.reason, "recipient address incomplete: street missing");
	v = good();
	v.town = NULL;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	v = good();
	v.post_code = "";
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	v = good();
	v.country = "";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	cr_assert_str_eq(d.reason, "recipient address incomplete: country missing");
	v = good();
	v.post_code = "";
	v.town = NULL;
	d = run(ROUTE_SVC_AMILI, &v);
	cr_assert_str_eq(d.reason, "recipient address incomplete: post code "
	    "and town missing");
	v.street = "";
	d = run(ROUTE_SVC_AMILI, &v);
	cr_assert_str_eq(d.reason, "recipient address incomplete: street, "
	    "post code and town missing");
	v.country = "";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	cr_assert_str_eq(d.reason, "recipient address incomplete: street, "
	    "post code, town and country missing");
	v = good();
	v.post_code = "0010";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	cr_assert_str_eq(d.reason, "Postal code for HELSINKI 0010 not found");
	v.post_code = "00I00";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
}

Test(route, duplicate_flag_is_code_6)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.duplicate = 1;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 6);
	cr_assert_str_eq(d.reason, "Invoice already exists: 1001");
}

Test(route, due_date_is_code_13)
{
	struct route_invoice v = good();
	struct route_decision d;

	/* 2026-09-01 is a Tuesday: 2, 3, 4, 7 Sep are banking days 1-4 */
	v.due_date = D("2026-09-07");
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	v.due_date = D("2026-09-06");	/* Sunday: only 3 banking days */
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 13);
	cr_assert_str_eq(d.reason, "The due date for the invoice is within 3 "
	    "banking days or has already passed (due 2026-09-06, today "
	    "2026-09-01)");
	v.due_date = D("2026-08-31");
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 13);
	v.due_date = DAY_NONE;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 13);
}

Test(route, min_banking_days_is_configurable)
{
	struct route_invoice v = good();
	struct route_policy p = pol(ROUTE_SVC_AMILI);
	struct route_decision d;

	v.due_date = D("2026-09-07");
	p.min_banking_days = 5;
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_REJECT, 13);
	p.min_banking_days = 1;
	v.due_date = D("2026-09-02");
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, due_date_easter)
{
	/* Wed 2026-04-01: Thu 2 = 1, Good Friday 3 and Easter Monday 6
	 * are holidays, Tue 7 = 2, Wed 8 = 3, Thu 9 = 4. */
	cr_assert_eq(route_due_date_ok(D("2026-04-01"), D("2026-04-09"), 4), 0);
	cr_assert_eq(route_due_date_ok(D("2026-04-01"), D("2026-04-08"), 4), -1);
	cr_assert_eq(route_due_date_ok(D("2026-04-01"), D("2026-04-06"), 2), -1);
	cr_assert_eq(route_due_date_ok(D("2026-04-01"), D("2026-04-07"), 2), 0);
	/* Easter 2025 is 20 April: Thu 17 Apr -> Tue 22 = 1 */
	cr_assert_eq(route_due_date_ok(D("2025-04-17"), D("2025-04-22"), 1), 0);
	cr_assert_eq(route_due_date_ok(D("2025-04-17"), D("2025-04-21"), 1), -1);
}

Test(route, due_date_ascension_and_may_day)
{
	/* Ascension 2026 is Thu 14 May; Fri 1 May is a holiday. */
	cr_assert_eq(route_due_date_ok(D("2026-05-12"), D("2026-05-15"), 2), 0);
	cr_assert_eq(route_due_date_ok(D("2026-05-12"), D("2026-05-14"), 2), -1);
	cr_assert_eq(route_due_date_ok(D("2026-04-30"), D("2026-05-04"), 1), 0);
	cr_assert_eq(route_due_date_ok(D("2026-04-30"), D("2026-05-01"), 1), -1);
}

Test(route, due_date_midsummer)
{
	/* Midsummer Eve 2026 is Fri 19 June.  Tue 16: 17 = 1, 18 = 2,
	 * Mon 22 = 3, Tue 23 = 4. */
	cr_assert_eq(route_due_date_ok(D("2026-06-16"), D("2026-06-23"), 4), 0);
	cr_assert_eq(route_due_date_ok(D("2026-06-16"), D("2026-06-22"), 4), -1);
	/* 2027: Midsummer Eve Fri 25 June */
	cr_assert_eq(route_due_date_ok(D("2027-06-24"), D("2027-06-28"), 1), 0);
	cr_assert_eq(route_due_date_ok(D("2027-06-24"), D("2027-06-25"), 1), -1);
}

Test(route, due_date_christmas_and_new_year)
{
	/* Mon 2026-12-21: 22 = 1, 23 = 2, 24-26 holidays/weekend,
	 * Mon 28 = 3, Tue 29 = 4. */
	cr_assert_eq(route_due_date_ok(D("2026-12-21"), D("2026-12-29"), 4), 0);
	cr_assert_eq(route_due_date_ok(D("2026-12-21"), D("2026-12-28"), 4), -1);
	/* Wed 2026-12-30: 31 = 1, New Year's Day, Fri 2 Jan = 2, Mon 5 = 3,
	 * Epiphany Tue 6, Wed 7 = 4. */
	cr_assert_eq(route_due_date_ok(D("2026-12-30"), D("2027-01-07"), 4), 0);
	cr_assert_eq(route_due_date_ok(D("2026-12-30"), D("2027-01-06"), 4), -1);
	/* Independence Day Sun 6 Dec 2026 changes nothing; 2027 it is a
	 * Monday. */
	cr_assert_eq(route_due_date_ok(D("2027-12-03"), D("2027-12-07"), 1), 0);
	cr_assert_eq(route_due_date_ok(D("2027-12-03"), D("2027-12-06"), 1), -1);
}

Test(route, total_mismatch_is_code_20)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.total_mismatch = 1;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 20);
	v = good();
	v.payable_mismatch = 1;
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 20);
}

Test(route, reference_is_code_21)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.reference = "";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 21);
	v.reference = "1357915";	/* wrong check digit */
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 21);
	v.reference = "RF18539007547034";	/* valid RF */
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	v.reference = "RF19539007547034";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 21);
	v = good();
	v.bad_reference = 1;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 21);
}

Test(route, checks_in_table_order)
{
	struct route_invoice v = good();
	struct route_decision d;

	/* address before duplicate before due date before total/reference */
	v.street = "";
	v.duplicate = 1;
	v.due_date = D("2026-09-02");
	v.reference = "";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 5);
	v.street = "Katu 1";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 6);
	v.duplicate = 0;
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 13);
	v.due_date = D("2026-09-30");
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 21);
}

Test(route, currency_amili_passes_kassavirta_rejects_30)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.currency = "SEK";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "currency SEK: not handled by the service");
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_REJECT, 30);
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	v.currency = "eur";
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, foreign_country_passes)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.country = "SE";
	v.post_code = "111 22";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "billing country SE is not FI");
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
}

Test(route, nomonitor_group_passes_other_groups_route)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.group = "nomonitor";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "customer in group nomonitor");
	v.group = "vip";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	v.group = "premium";
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, before_start_date_passes)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.invoice_date = D("2025-12-31");
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason,
	    "invoice dated before the service start date 2026-01-01");
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	v.invoice_date = D("2026-01-01");
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, credit_notes_are_not_rewritten_by_amili)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.is_credit = 1;
	v.reference = "";
	v.credited_invoice_no = "1000";
	d = run(ROUTE_SVC_AMILI, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "credit note for invoice 1000, not linked yet");
	v.credit_linked = 1;
	d = run(ROUTE_SVC_KASSAVIRTA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "credit note linked to invoice 1000");
}

Test(route, op_exclusions)
{
	struct route_invoice v;
	struct route_decision d;

	v = good();
	v.customer_flags = ROUTE_CUST_TEMP;
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "temporary customer (TEMP)");

	v = good();
	v.customer_flags = ROUTE_CUST_GROUP_COMPANY;
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "intra-group customer");

	v = good();
	v.due_date = D("2026-09-01");	/* today */
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "due date 2026-09-01 is not in the future");
	v.due_date = D("2026-09-02");	/* tomorrow is enough for OP */
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);

	v = good();
	v.buyer_id = "0737546-3";	/* wrong check digit */
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "business id 0737546-3 is malformed");
	v.buyer_id = "FI07375462";
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "business id FI07375462 is in VAT format");
	/* no business id at all: a consumer, routed with b2c = yes (see
	 * op_consumers_follow_b2c) */
	v.buyer_id = "";
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);

	v = good();
	v.country = "";
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
}

Test(route, op_consumers_follow_b2c)
{
	struct route_invoice v = good();
	struct route_policy p = pol(ROUTE_SVC_OP_LASKULAINA);
	struct route_decision d;

	v.customer_flags = ROUTE_CUST_CONSUMER;
	v.buyer_id = "C-1234";	/* a consumer has no business id */
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	p.b2c = 0;
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "consumer customer and b2c = no");
	/* a buyer with no business id is one too */
	v = good();
	v.buyer_id = "";
	p.b2c = 1;
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	p.b2c = 0;
	route_decide(&p, &v, &d);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason,
	    "consumer customer (no business id) and b2c = no");
}

Test(route, op_credit_notes)
{
	struct route_invoice v = good();
	struct route_decision d;

	v.is_credit = 1;
	v.reference = "";
	v.due_date = DAY_NONE;
	v.credited_invoice_no = "1000";
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "credit note not linked to its invoice");
	v.credit_linked = 1;
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason, "credit note for invoice 1000, which was "
	    "not routed to the service");
	v.credit_routed = 1;
	d = run(ROUTE_SVC_OP_LASKULAINA, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}

Test(route, language_fallback)
{
	char l[3];

	cr_assert_eq(route_language("fi", l), 0);
	cr_assert_str_eq(l, "fi");
	cr_assert_eq(route_language("SV", l), 0);
	cr_assert_str_eq(l, "sv");
	cr_assert_eq(route_language("se", l), 0);
	cr_assert_str_eq(l, "sv");
	cr_assert_eq(route_language("EN", l), 0);
	cr_assert_str_eq(l, "en");
	cr_assert_eq(route_language("de", l), 1);
	cr_assert_str_eq(l, "fi");
	cr_assert_eq(route_language("", l), 1);
	cr_assert_str_eq(l, "fi");
	cr_assert_eq(route_language(NULL, l), 1);
	cr_assert_str_eq(l, "fi");
}

Test(route, service_reference)
{
	char r[REF_BUFSZ];

	/* 77|1: 1*7 + 7*3 + 7*1 = 35 -> check 5 */
	cr_assert_eq(route_service_reference("77", 1, r), 0);
	cr_assert_str_eq(r, "7715");
	/* 77123: 3*7 + 2*3 + 1*1 + 7*7 + 7*3 = 98 -> 2 */
	cr_assert_eq(route_service_reference("77", 123, r), 0);
	cr_assert_str_eq(r, "771232");
	cr_assert_eq(ref_validate(r, strlen(r)), 0);
	/* no prefix: 1000 -> 1*7... base "1000": 0*7+0*3+0*1+1*7 = 7 -> 3 */
	cr_assert_eq(route_service_reference("", 1000, r), 0);
	cr_assert_str_eq(r, "10003");
	cr_assert_eq(route_service_reference("7a", 1, r), -1);
	cr_assert_eq(route_service_reference("77", 0, r), -1);
	/* 19 digits of base is the most a reference holds */
	cr_assert_eq(route_service_reference("12345678901", 12345678LL, r), 0);
	cr_assert_eq(strlen(r), 20);
	cr_assert_eq(route_service_reference("123456789012", 12345678LL, r), -1);
}

Test(route, duplicate_rules)
{
	struct route_assignment a[2];
	day_t d = D("2026-09-01");
	size_t close = 99;

	/* no earlier assignment */
	cr_assert_eq(route_duplicate(a, 0, d, NULL), DUP_NEW);

	/* (1) another invoice date, open or closed, paid or not */
	memset(a, 0, sizeof(a));
	a[0].invoice_date = D("2026-08-01");
	a[0].open = 1;
	a[0].has_payments = 1;
	cr_assert_eq(route_duplicate(a, 1, d, NULL), DUP_NEW);

	/* same date, open, nothing applied, not in error: code 6 */
	a[0].invoice_date = d;
	a[0].has_payments = 0;
	cr_assert_eq(route_duplicate(a, 1, d, NULL), DUP_REJECT);

	/* (3) ... in error: old closed, new made */
	a[0].in_error = 1;
	cr_assert_eq(route_duplicate(a, 1, d, &close), DUP_NEW_CLOSE_OLD);
	cr_assert_eq(close, 0);

	/* open, in error, but paid: code 6 */
	a[0].has_payments = 1;
	cr_assert_eq(route_duplicate(a, 1, d, NULL), DUP_REJECT);

	/* (2) closed, nothing applied */
	a[0].open = 0;
	a[0].has_payments = 0;
	a[0].in_error = 0;
	cr_assert_eq(route_duplicate(a, 1, d, NULL), DUP_NEW);

	/* closed with payments or credit notes: code 6 */
	a[0].has_payments = 1;
	cr_assert_eq(route_duplicate(a, 1, d, NULL), DUP_REJECT);

	/* two earlier: an old one of another date and a cancelled one */
	a[0].invoice_date = D("2025-09-01");
	a[1].invoice_date = d;
	a[1].open = 0;
	a[1].has_payments = 0;
	cr_assert_eq(route_duplicate(a, 2, d, NULL), DUP_NEW);
	/* ... the second open in error */
	a[1].open = 1;
	a[1].in_error = 1;
	cr_assert_eq(route_duplicate(a, 2, d, &close), DUP_NEW_CLOSE_OLD);
	cr_assert_eq(close, 1);
}

Test(route, business_id)
{
	cr_assert_eq(route_business_id_ok("0737546-2"), 0);
	cr_assert_eq(route_business_id_ok("737546-2"), 0);
	cr_assert_eq(route_business_id_ok("0737546-1"), -1);
	cr_assert_eq(route_business_id_ok("FI07375462"), -1);
	cr_assert_eq(route_business_id_ok(""), -1);
	cr_assert_eq(route_business_id_ok(NULL), -1);
}

Test(route, clause_fills_its_four_keys)
{
	struct sbuf b = SBUF_INIT;

	route_fill_clause("{company} / {contact} / {phone} / {service}: "
	    "{other} {company", "Esimerkki Oy", "laskutus@esimerkki.fi",
	    NULL, "Visma Amili", &b);
	cr_assert_str_eq(b.data, "Esimerkki Oy / laskutus@esimerkki.fi /  / "
	    "Visma Amili: {other} {company");
	route_fill_clause("", "a", "b", "c", "d", &b);
	cr_assert_str_eq(b.data, "");
	route_fill_clause("no keys {", "a", "b", "c", "d", &b);
	cr_assert_str_eq(b.data, "no keys {");
	sbuf_free(&b);
}

/* The factoring account the factoring tests link their customer to. */
static void
nordea_account(struct conf_factoring *f)
{
	memset(f, 0, sizeof(*f));
	f->name = "nordea";
	f->financier = FINANCIER_NORDEA;
	f->contract = "12345678";
}

/* Factoring: a linked customer's credit note is routed to the account
 * the router found for it, unless the invoice it credits is one the
 * company kept; an unlinked customer's is passed either way. */
Test(route, factoring_credit_follows_its_invoice)
{
	struct conf_factoring f;
	struct route_invoice v = good();
	struct route_decision d;

	nordea_account(&f);
	v.is_credit = 1;
	v.invoice_no = "9001";
	v.credited_invoice_no = "1001";
	v.factoring = &f;
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	cr_assert_str_eq(d.reason, "factoring account nordea");
	v.credit_ordinary = 1;
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason,
	    "credit note for invoice 1001, which is not a factoring invoice");
	v.factoring = NULL;
	v.credit_ordinary = 0;
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
}

/* Factoring: an invoice in another currency than euros is passed to
 * the company, not sent to the financier: the ledger, the notices and
 * the transfer lists are in euros. */
Test(route, factoring_passes_a_currency_invoice)
{
	struct conf_factoring f;
	struct route_invoice v = good();
	struct route_decision d;

	nordea_account(&f);
	v.invoice_no = "1001";
	v.factoring = &f;
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
	v.currency = "SEK";
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_PASS, 0);
	cr_assert_str_eq(d.reason,
	    "currency SEK: not handled by the factoring account");
	v.currency = "eur";
	d = run(ROUTE_SVC_FACTORING, &v);
	ASSERT_DECISION(d, ROUTE_ROUTE, 0);
}
