/*
 * Unit tests: the OP Laskulaina rows of the ledger (ledger/oprows.c):
 * a withdrawal request found in its window and cleared once, what of a
 * reference's customer payments is left to take, and the reference
 * payments a summary entry claims.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "ledger/ledger.h"
#include "ledger/oprows.h"

static char dir[] = "/tmp/reskontra-oprows.XXXXXX";
static char path[256];
static struct ledger *l;
static int narchive;

static day_t
day(const char *s)
{
	day_t d;

	cr_assert_eq(date_parse_iso(s, strlen(s), &d), 0);
	return d;
}

/* A payment row on the virtual account; its id. */
static int64_t
payment(const char *when, int64_t amount, const char *source)
{
	struct ledger_payment p;
	char archive[32], dup[64];
	struct diag d;

	memset(&p, 0, sizeof p);
	snprintf(archive, sizeof archive, "A%d", ++narchive);
	p.account_iban = "FI1350001520000081";
	p.archive_id = archive;
	p.booking_date = day(when);
	p.payment_date = DAY_NONE;
	p.amount = amount;
	p.reference = "";
	p.match_key = "";
	p.payer_name = "";
	p.source = source;
	cr_assert_eq(ledger_add_payment(l, &p, dup, sizeof dup, &d), 0, "%s",
	    d.msg);
	return p.id;
}

static void
add(int64_t pid, enum oprow_kind k, const char *key, const char *when,
    int64_t amount)
{
	struct diag d;

	cr_assert_eq(oprows_add(l, pid, k, key, day(when), amount, &d), 0,
	    "%s", d.msg);
}

static void
setup(void)
{
	struct diag d;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	cr_assert_eq(ledger_open(path, &l, &d), 0, "%s", d.msg);
	cr_assert_eq(ledger_begin(l, &d), 0, "%s", d.msg);
}

static void
teardown(void)
{
	char cmd[300];

	ledger_close(l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(oprows, .init = setup, .fini = teardown);

Test(oprows, request_is_found_in_its_window_and_cleared_once)
{
	char source[64];
	int64_t id, again, arrival = payment("2026-09-04", 50000, "c:2");
	struct diag d;

	add(payment("2026-09-02", 50000, "v:2"), OPROW_WITHDRAWAL, "",
	    "2026-09-02", 50000);
	/* another amount, a day after the window's end */
	cr_assert_eq(oprows_find_request(l, 50001, day("2026-08-28"),
	    day("2026-09-04"), &id, source, sizeof source, &d), 0);
	cr_assert_eq(oprows_find_request(l, 50000, day("2026-08-28"),
	    day("2026-09-01"), &id, source, sizeof source, &d), 0);
	cr_assert_eq(oprows_find_request(l, 50000, day("2026-08-28"),
	    day("2026-09-04"), &id, source, sizeof source, &d), 1, "%s",
	    d.msg);
	cr_assert_str_eq(source, "v:2");
	cr_assert_eq(oprows_clear(l, id, arrival, &d), 0, "%s", d.msg);
	cr_assert_eq(oprows_find_request(l, 50000, day("2026-08-28"),
	    day("2026-09-04"), &again, source, sizeof source, &d), 0,
	    "a request is cleared once");
}

static int nopen;
static int64_t open_amount;

static void
count_open(void *arg, day_t when, int64_t amount, const char *source)
{
	(void)arg;
	(void)when;
	(void)source;
	nopen++;
	open_amount = amount;
}

Test(oprows, open_requests_are_those_not_cleared_before_the_day)
{
	struct diag d;
	int64_t id;
	char source[64];

	add(payment("2026-09-02", 100, "v:2"), OPROW_WITHDRAWAL, "",
	    "2026-09-02", 100);
	add(payment("2026-09-02", 200, "v:3"), OPROW_WITHDRAWAL, "",
	    "2026-09-02", 200);
	cr_assert_eq(oprows_find_request(l, 100, day("2026-09-01"),
	    day("2026-09-03"), &id, source, sizeof source, &d), 1);
	cr_assert_eq(oprows_clear(l, id, payment("2026-09-03", 100, "c:1"),
	    &d), 0);
	cr_assert_eq(oprows_open_requests(l, day("2026-09-02"), count_open,
	    NULL, &d), 0);
	cr_assert_eq(nopen, 0, "booked on the day itself: not before it");
	cr_assert_eq(oprows_open_requests(l, day("2026-09-10"), count_open,
	    NULL, &d), 0);
	cr_assert_eq(nopen, 1);
	cr_assert_eq(open_amount, 200);
}

Test(oprows, untaken_is_payments_less_what_was_taken)
{
	struct diag d;
	int64_t left = -1;

	cr_assert_eq(oprows_untaken(l, "1000012", &left, &d), 0);
	cr_assert_eq(left, 0);
	add(payment("2026-09-14", 12400, "v:2"), OPROW_PAYMENT, "1000012",
	    "2026-09-14", 12400);
	add(payment("2026-09-14", 9920, "v:3"), OPROW_TAKEN, "1000012",
	    "2026-09-14", 9920);
	add(payment("2026-09-14", 500, "v:4"), OPROW_PAYMENT, "1000025",
	    "2026-09-14", 500);
	cr_assert_eq(oprows_untaken(l, "1000012", &left, &d), 0);
	cr_assert_eq(left, 2480);
}

Test(oprows, ktl_payments_count_once_a_summary_claims_them)
{
	struct diag d;
	int64_t sum, n, left, summary;

	add(payment("2026-09-14", 12400, "k:2"), OPROW_KTL_PAYMENT,
	    "1000012", "2026-09-14", 12400);
	add(payment("2026-09-14", 600, "k:3"), OPROW_KTL_PAYMENT, "1000025",
	    "2026-09-14", 600);
	add(payment("2026-09-15", 700, "k:4"), OPROW_KTL_PAYMENT, "1000025",
	    "2026-09-15", 700);
	cr_assert_eq(oprows_untaken(l, "1000012", &left, &d), 0);
	cr_assert_eq(left, 0, "not claimed: counts for nothing");
	cr_assert_eq(oprows_unclaimed_ktl(l, day("2026-09-14"), &sum, &n, &d),
	    0);
	cr_assert_eq(sum, 13000);
	cr_assert_eq(n, 2);
	summary = payment("2026-09-14", 13000, "v:1");
	cr_assert_eq(oprows_claim_ktl(l, day("2026-09-14"), summary, &d), 0);
	cr_assert_eq(oprows_untaken(l, "1000012", &left, &d), 0);
	cr_assert_eq(left, 12400);
	cr_assert_eq(oprows_unclaimed_ktl(l, day("2026-09-14"), &sum, &n, &d),
	    0);
	cr_assert_eq(n, 0, "claimed once");
	cr_assert_eq(oprows_unclaimed_ktl(l, day("2026-09-15"), &sum, &n, &d),
	    0);
	cr_assert_eq(sum, 700, "another day's stay");
}
