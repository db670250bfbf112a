/*
 * Unit tests: the decisions of one input (ledger/assign.c,
 * assign_input_*): a record's decision is found by the line its source
 * names, the last one made for a line wins, a decision that was not kept
 * in the ledger is held whole, the table is empty and unused outside an
 * input.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/assign.h"
#include "ledger/ledger.h"

static char dir[] = "/tmp/reskontra-assign.XXXXXX";
static char path[256];
static struct ledger *l;
static struct assign *a;

static void
setup(void)
{
	struct diag d;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	cr_assert_eq(ledger_open(path, &l, &d), 0, "%s", d.msg);
	cr_assert_eq(assign_open(l, &a, &d), 0, "%s", d.msg);
	assign_input_begin(a);
}

static void
teardown(void)
{
	char cmd[300];

	assign_close(a);
	ledger_close(l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(assign, .init = setup, .fini = teardown);

/* A decision for invoice no from source, kept in the ledger when keep. */
static struct assignment
decide(const char *no, const char *action, const char *source, int keep)
{
	struct assignment x;
	struct diag d;

	memset(&x, 0, sizeof x);
	snprintf(x.invoice_no, sizeof x.invoice_no, "%s", no);
	x.invoice_date = DAY_NONE;
	snprintf(x.service, sizeof x.service, "amili");
	snprintf(x.action, sizeof x.action, "%s", action);
	snprintf(x.reason, sizeof x.reason, "%s at %s", action, source);
	snprintf(x.source, sizeof x.source, "%s", source);
	if (keep)
		cr_assert_eq(assign_add(a, &x, &d), 0, "%s", d.msg);
	assign_input_add(a, source, &x);
	return x;
}

static void
want(long line, const char *no, const char *action, const char *source)
{
	struct assignment x;
	struct diag d;
	char reason[300];

	cr_assert_eq(assign_input_find(a, line, &x, &d), 1, "line %ld", line);
	cr_assert_str_eq(x.invoice_no, no, "line %ld", line);
	cr_assert_str_eq(x.action, action, "line %ld", line);
	snprintf(reason, sizeof reason, "%s at %s", action, source);
	cr_assert_str_eq(x.reason, reason, "line %ld", line);
}

static void
none(long line)
{
	struct assignment x;
	struct diag d;

	cr_assert_eq(assign_input_find(a, line, &x, &d), 0, "line %ld", line);
}

Test(assign, source_line)
{
	cr_assert_eq(assign_source_line("in.xml:18"), 18);
	cr_assert_eq(assign_source_line("a:b.xml:7"), 7);
	cr_assert_eq(assign_source_line("in.xml"), 0);
	cr_assert_eq(assign_source_line("in.xml:"), 0);
	cr_assert_eq(assign_source_line("in.xml:1x"), 0);
	cr_assert_eq(assign_source_line("in.xml:99999999999999999999"), 0);
}

Test(assign, by_line)
{
	decide("B-1", "route", "in.xml:18", 1);
	/* the same number and date again: its own decision */
	decide("B-1", "reject", "in.xml:96", 1);
	decide("B-3", "pass", "in.xml:174", 1);
	want(18, "B-1", "route", "in.xml:18");
	want(96, "B-1", "reject", "in.xml:96");
	want(174, "B-3", "pass", "in.xml:174");
	/* a message the reader set aside has none */
	none(1);
	none(50);
	none(175);
}

Test(assign, out_of_order_last_wins)
{
	decide("C-9", "route", "x.xml:90", 1);
	decide("C-2", "route", "x.xml:20", 1);
	decide("C-5", "pass", "x.xml:50", 1);
	decide("C-2", "reject", "x.xml:20", 1);
	want(20, "C-2", "reject", "x.xml:20");
	want(50, "C-5", "pass", "x.xml:50");
	want(90, "C-9", "route", "x.xml:90");
	none(30);
}

Test(assign, unkept_held_whole)
{
	struct assignment x;
	struct diag d;

	decide("K-1", "route", "k.xml:2", 1);
	x = decide("K-2", "reject", "k.xml:40", 0);
	cr_assert_eq(x.id, 0);
	want(40, "K-2", "reject", "k.xml:40");
	want(2, "K-1", "route", "k.xml:2");
	/* not in the ledger: the latest for its number finds nothing */
	cr_assert_eq(assign_latest(a, "K-2", DAY_NONE, &x, &d), 0);
}

Test(assign, only_within_an_input)
{
	struct assignment x;
	struct diag d;

	assign_input_end(a);
	cr_assert_eq(assign_input_on(a), 0);
	decide("D-1", "route", "d.xml:3", 1);
	none(3);
	assign_input_begin(a);
	cr_assert_eq(assign_input_on(a), 1);
	none(3);
	decide("D-1", "reject", "d.xml:3", 1);
	want(3, "D-1", "reject", "d.xml:3");
	assign_input_end(a);
	cr_assert_eq(assign_input_find(a, 3, &x, &d), 0);
	assign_input_begin(a);
	none(3);
}

Test(assign, many)
{
	char no[32], src[32];
	long i;

	for (i = 1; i <= 5000; i++) {
		snprintf(no, sizeof no, "N-%ld", i);
		snprintf(src, sizeof src, "m.xml:%ld", i * 7);
		decide(no, i % 3 ? "route" : "pass", src, 1);
	}
	for (i = 1; i <= 5000; i += 97) {
		snprintf(no, sizeof no, "N-%ld", i);
		snprintf(src, sizeof src, "m.xml:%ld", i * 7);
		want(i * 7, no, i % 3 ? "route" : "pass", src);
		none(i * 7 + 1);
	}
}
