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

Test(financing, share_is_rounded_half_up)
{
	cr_assert_eq(financing_share(12400, 80), 9920);
	cr_assert_eq(financing_share(108836, 80), 87069);	/* 870.688 */
	cr_assert_eq(financing_share(1, 50), 1);		/* 0.5 up */
	cr_assert_eq(financing_share(1, 49), 0);
	cr_assert_eq(financing_share(99999, 100), 99999);
	cr_assert_eq(financing_share(12345, 0), 0);
	cr_assert_eq(financing_share(-5000, 80), 0, "a credit note is not "
	    "financed");
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

static struct config *
load(const char *text)
{
	char path[] = "/tmp/reskontra-fin-conf.XXXXXX";
	struct config *c;
	struct diag d;
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert_geq(fd, 0);
	fp = fdopen(fd, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	c = config_load(path, &d);
	unlink(path);
	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

#define COMPANY "[company]\nname = Esimerkki Oy\nbusiness_id = 1234567-1\n"

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
