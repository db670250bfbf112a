/*
 * Unit tests: the small pure parts of invoice financing: Noja's
 * financed share (ledger/financing.c), the fin event names (base/
 * recschema.c) and which account is OP's virtual one (base/config.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/recschema.h"
#include "ledger/financing.h"

#define COMPANY "[company]\nname = Esimerkki Oy\nbusiness_id = 1234567-1\n"

Test(financing, share_is_rounded_half_up)
{
	cr_assert_eq(financing_share(12400, 8000), 9920);
	cr_assert_eq(financing_share(108836, 8000), 87069);	/* 870.688 */
	cr_assert_eq(financing_share(1, 5000), 1);		/* 0.5 up */
	cr_assert_eq(financing_share(1, 4900), 0);
	cr_assert_eq(financing_share(99999, 10000), 99999);
	cr_assert_eq(financing_share(12345, 0), 0);
	cr_assert_eq(financing_share(-5000, 8000), 0, "a credit note is not "
	    "financed");
	cr_assert_eq(financing_share(108836, 8050), 87613);	/* 876.1298 */
	cr_assert_eq(financing_share(10000, 8025), 8025);
	cr_assert_eq(financing_share(1000, 8005), 801);	/* 8.005 up */
}

Test(financing, rate_in_words)
{
	char b[FINANCING_RATE_BUFSZ];

	cr_assert_str_eq(financing_rate_format(8000, b), "80");
	cr_assert_str_eq(financing_rate_format(8050, b), "80.5");
	cr_assert_str_eq(financing_rate_format(8025, b), "80.25");
	cr_assert_str_eq(financing_rate_format(5, b), "0.05");
	cr_assert_str_eq(financing_rate_format(10000, b), "100");
}

#define KV COMPANY "[service]\ntype = kassavirta\nfinancing_rate = "

static struct config *load(const char *text);
static int refused(const char *text);

Test(financing, decimal_rate)
{
	static const struct { const char *text; int bp; } ok[] = {
		{ KV "80.5\n", 8050 }, { KV "80,25\n", 8025 },
		{ KV "100\n", 10000 }, { KV "0.5\n", 50 }, { KV "0\n", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct config *c = load(ok[i].text);

		cr_assert_eq(c->financing_rate_bp, ok[i].bp, "%s", ok[i].text);
		config_free(c);
	}
	cr_assert(refused(KV "80.555\n"), "three decimals");
	cr_assert(refused(KV "100.01\n"));
	cr_assert(refused(KV "80.\n"));
	cr_assert(refused(KV ".5\n"));
	cr_assert(refused(KV "-1\n"));
	cr_assert(refused(KV "80%\n"));
	cr_assert(refused(KV "8,0.5\n"));
}

static struct financing_share shares_of[4] = {
	{ 1, "S-001", "1000012", 87069 }, { 2, "S-002", "1000025", 87069 },
	{ 3, "S-003", "1000038", 87069 }, { 4, "S-004", "1000041", 87069 },
};

Test(financing, payout_takes_the_shares_it_can_be_for)
{
	size_t take;
	int64_t cost;

	/* the sample's payout: three shares less one adjustment */
	cr_assert_eq(financing_payout_take(shares_of, 3, 87069, 172832,
	    &take, &cost), FINANCING_PAYOUT_OK);
	cr_assert_eq(take, 3);
	cr_assert_eq(cost, 1306);
	/* a fourth share the same day: still the three, costs 13.06 */
	cr_assert_eq(financing_payout_take(shares_of, 4, 87069, 172832,
	    &take, &cost), FINANCING_PAYOUT_OK);
	cr_assert_eq(take, 3);
	cr_assert_eq(cost, 1306);
	/* every share, 1 % costs: all of them */
	cr_assert_eq(financing_payout_take(shares_of, 4, 0, 348276 - 3483,
	    &take, &cost), FINANCING_PAYOUT_OK);
	cr_assert_eq(take, 4);
	cr_assert_eq(cost, 3483);
}

Test(financing, payout_suspense_verdicts)
{
	size_t take;
	int64_t cost;

	cr_assert_eq(financing_payout_take(shares_of, 0, 0, 10000, &take,
	    &cost), FINANCING_PAYOUT_NOTHING);
	cr_assert_eq(financing_payout_take(shares_of, 1, 0, 87070, &take,
	    &cost), FINANCING_PAYOUT_EXCEEDS);
	cr_assert_eq(cost, -1);
	cr_assert_eq(financing_payout_take(shares_of, 1, 0, 30000, &take,
	    &cost), FINANCING_PAYOUT_COST);
	cr_assert_eq(take, 0);
	cr_assert_eq(cost, 57069);
	/* an undone adjustment returned, less nothing */
	cr_assert_eq(financing_payout_take(shares_of, 0, -87069, 87069,
	    &take, &cost), FINANCING_PAYOUT_OK);
	cr_assert_eq(take, 0);
	cr_assert_eq(cost, 0);
}

Test(financing, cost_bound)
{
	cr_assert_eq(financing_cost_bound(87069, 1), 4353 + 1000);
	cr_assert_eq(financing_cost_bound(348276, 4), 17413 + 4000);
	cr_assert_eq(financing_cost_bound(0, 0), 1000);
}

Test(financing, day_named_in_a_message)
{
	day_t d, want;

	cr_assert_eq(date_find_dmy("Rahoitus 16.09.2026", &d), 0);
	date_from_ymd(2026, 9, 16, &want);
	cr_assert_eq(d, want);
	cr_assert_eq(date_find_dmy("6.9.2026 rahoitus", &d), 0);
	date_from_ymd(2026, 9, 6, &want);
	cr_assert_eq(d, want);
	cr_assert_eq(date_find_dmy("Rahoitus 31.02.2026 16.9.2026", &d), 0,
	    "an impossible date is skipped");
	date_from_ymd(2026, 9, 16, &want);
	cr_assert_eq(d, want);
	cr_assert_eq(date_find_dmy("Rahoitus 116.09.2026", &d), -1);
	cr_assert_eq(date_find_dmy("Rahoitus 16.09.20261", &d), -1);
	cr_assert_eq(date_find_dmy("Rahoitus 16.09.", &d), -1);
	cr_assert_eq(date_find_dmy("", &d), -1);
}

Test(financing, event_names_round_trip)
{
	int e;

	for (e = FIN_NONE + 1; e < FIN_COUNT; e++) {
		const char *n = fin_event_name((enum fin_event)e);

		cr_assert_neq(*n, '\0', "event %d has no name", e);
		cr_assert_eq(fin_event_parse(n), (enum fin_event)e, "%s", n);
	}
	cr_assert_eq(fin_event_parse("loan"), FIN_NONE);
	cr_assert_eq(fin_event_parse(""), FIN_NONE);
	cr_assert_str_eq(fin_event_name(FIN_COUNT), "");
}

/* config_load() of text (NULL with d filled when it refuses it). */
static struct config *
try_load(const char *text, struct diag *d)
{
	char path[] = "/tmp/reskontra-fin-conf.XXXXXX";
	struct config *c;
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert_geq(fd, 0);
	fp = fdopen(fd, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	c = config_load(path, d);
	unlink(path);
	return c;
}

static struct config *
load(const char *text)
{
	struct diag d;
	struct config *c = try_load(text, &d);

	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

/* Whether config_load() refuses text. */
static int
refused(const char *text)
{
	struct diag d;
	struct config *c = try_load(text, &d);

	config_free(c);
	return c == NULL;
}


Test(financing, virtual_account)
{
	struct config *c;

	c = load(COMPANY "[service]\ntype = op-laskulaina\n"
	    "iban = FI1350001520000081\n");
	cr_assert_str_eq(config_virtual_iban(c), "FI1350001520000081");
	config_free(c);
	c = load(COMPANY "[service]\ntype = op-laskulaina\n"
	    "iban = FI1350001520000081\nvirtual_iban = FI2112345600000785\n");
	cr_assert_str_eq(config_virtual_iban(c), "FI2112345600000785");
	config_free(c);
	c = load(COMPANY "[service]\ntype = kassavirta\n"
	    "iban = FI1350001520000081\n");
	cr_assert_null(config_virtual_iban(c), "only op-laskulaina has one");
	config_free(c);
	c = load(COMPANY "[service]\ntype = op-laskulaina\n");
	cr_assert_null(config_virtual_iban(c));
	config_free(c);
}
