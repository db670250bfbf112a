/*
 * Unit tests: the suspense workflow's ranking and moves (ledger/
 * suspense.c) on a real ledger file: a suggestion only when one open
 * invoice stands out, near references and payer names, and that a move
 * refuses more than is there and changes nothing then.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/db.h"
#include "ledger/ledger.h"
#include "ledger/suspense.h"

static char dir[] = "/tmp/reskontra-suspense.XXXXXX";
static char path[256];
static struct ledger *l;

static void
add_invoice(const char *no, const char *ref, const char *buyer,
    int64_t total)
{
	struct ledger_invoice inv;
	struct diag d;

	memset(&inv, 0, sizeof inv);
	snprintf(inv.invoice_no, sizeof inv.invoice_no, "%s", no);
	snprintf(inv.reference, sizeof inv.reference, "%s", ref);
	snprintf(inv.match_key, sizeof inv.match_key, "%s", ref);
	inv.invoice_date = inv.due_date = DAY_NONE;
	inv.total = total;
	cr_assert_eq(ledger_add_invoice(l, &inv, "none", buyer, "t:1", &d), 0,
	    "%s", d.msg);
}

static void
setup(void)
{
	struct diag d;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	cr_assert_eq(ledger_open(path, &l, &d), 0, "%s", d.msg);
	add_invoice("1001", "1009", "Matti Meikäläinen", 10000);
	add_invoice("1002", "1012", "Kala Oy", 25000);
	add_invoice("1003", "1025", "Kala Oy", 25000);
}

static void
teardown(void)
{
	char cmd[300];

	ledger_close(l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(suspense, .init = setup, .fini = teardown);

Test(suspense, suggests_the_one_invoice_of_the_amount)
{
	char no[65];
	struct diag d;

	cr_assert_eq(suspense_suggest(l, "1013", "X", 10000, no, sizeof no,
	    &d), 1);
	cr_assert_str_eq(no, "1001");
	cr_assert_eq(suspense_suggest(l, "1013", "X", 777, no, sizeof no,
	    &d), 0);
}

Test(suspense, two_of_one_amount_only_when_one_is_nearer)
{
	char no[65];
	struct diag d;

	/* 250.00: 1002 and 1003, nothing else to tell them apart */
	cr_assert_eq(suspense_suggest(l, "9999", "X", 25000, no, sizeof no,
	    &d), 0);
	/* 1026 is one digit from 1025 */
	cr_assert_eq(suspense_suggest(l, "1026", "X", 25000, no, sizeof no,
	    &d), 1);
	cr_assert_str_eq(no, "1003");
	/* two swapped digits: 1102 for 1012 (1025 is two edits away) */
	cr_assert_eq(suspense_suggest(l, "1102", "X", 25000, no, sizeof no,
	    &d), 1);
	cr_assert_str_eq(no, "1002");
}

Test(suspense, candidates_know_the_payer_cut_short_in_capitals)
{
	struct suspense_payment p;
	struct suspense_candidate c[5];
	struct diag d;
	int n;

	memset(&p, 0, sizeof p);
	snprintf(p.match_key, sizeof p.match_key, "5");
	snprintf(p.payer_name, sizeof p.payer_name, "MATTI MEIKÄL");
	n = suspense_candidates(l, &p, 123, c, 5, &d);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(c[0].inv.invoice_no, "1001");
	cr_assert_eq(c[0].why, SUSPENSE_SAME_PAYER);
	/* a bank that drops the marks: MEIKAL for Meikäläinen */
	snprintf(p.payer_name, sizeof p.payer_name, "MATTI MEIKAL");
	n = suspense_candidates(l, &p, 123, c, 5, &d);
	cr_assert_eq(n, 1);
	cr_assert_eq(c[0].why, SUSPENSE_SAME_PAYER);
	/* too short a name says nothing */
	snprintf(p.payer_name, sizeof p.payer_name, "KALA");
	cr_assert_eq(suspense_candidates(l, &p, 123, c, 5, &d), 0);
}
