/*
 * Unit tests: reskontra.conf parsing (base/config.c).  Each error the
 * parser promises (unknown section or key, repeated key, wrong value
 * form, factoring with kassavirta) is provoked once and its FILE:LINE
 * and key are checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"

static char dir[] = "/tmp/reskontra-conf.XXXXXX";
static char conf[256], cust[256];

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(conf, sizeof conf, "%s/reskontra.conf", dir);
	snprintf(cust, sizeof cust, "%s/customers.tsv", dir);
}

static void
teardown(void)
{
	unlink(conf);
	unlink(cust);
	rmdir(dir);
}

TestSuite(config, .init = setup, .fini = teardown);

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

static struct config *
load(const char *text, struct diag *d)
{
	write_file(conf, text);
	memset(d, 0, sizeof *d);
	return config_load(conf, d);
}

/* The load of text (the configuration file, or else the customers
 * table cust) fails, and one of its errors is at line of file with a
 * message containing want. */
static void
fails_in(const char *text, const char *file, long line, const char *want)
{
	struct config_errors e;
	struct config *c;
	size_t i;

	write_file(conf, text);
	c = config_load_all(conf, &e);
	cr_assert_null(c, "should fail: %s", text);
	for (i = 0; i < e.n; i++)
		if (strcmp(e.d[i].file, file) == 0 && e.d[i].line == line &&
		    strstr(e.d[i].msg, want) != NULL)
			break;
	if (i == e.n)
		for (i = 0; i < e.n; i++)
			cr_log_error("%s:%ld: %s", e.d[i].file, e.d[i].line,
			    e.d[i].msg);
	cr_assert_lt(i, e.n, "no error at %s:%ld with '%s'", file, line,
	    want);
	config_errors_free(&e);
}

static void
fails(const char *text, long line, const char *want)
{
	fails_in(text, conf, line, want);
}

Test(config, spec_example_with_inline_comments)
{
	struct diag d;
	struct config *c;

	write_file(cust, "id\tcode\tfactoring\tgroup\tflags\n"
	    "1234567-1\t42\tnordea1\tvip\t\n"
	    "C100\t\t\tnomonitor\ttemp,consumer\n");
	c = load("# sample\n"
	    "[company]\n"
	    "name = Esimerkki Oy\n"
	    "business_id = 1234567-1\n"
	    "iban = FI2112345600000785, FI4950009420028730   # own accounts\n"
	    "bic = NDEAFIHH                                  # optional\n"
	    "contact = laskutus@esimerkki.fi, 09 123 4567\n"
	    "\n"
	    "[service]\n"
	    "type = amili                # none | factoring\n"
	    "start_date = 2026-01-01\n"
	    "portal_url = https://example.fi/#login\n"
	    "own_account = yes\n"
	    "financing_rate = 75\n"
	    "[accounts]             # ledger account numbers\n"
	    "bank = 1911\n"
	    "[factoring nordea1]\n"
	    "financier = nordea\n"
	    "iban = FI4950009420028730\n"
	    "contract = 12345678\n"
	    "[customers]\n"
	    "file = customers.tsv\n", &d);
	cr_assert_not_null(c, "%s:%ld: %s", d.file, d.line, d.msg);
	cr_assert_str_eq(c->company_name, "Esimerkki Oy");
	cr_assert_eq(c->company_niban, 2);
	cr_assert_str_eq(c->company_iban[1], "FI4950009420028730");
	cr_assert_str_eq(c->company_bic, "NDEAFIHH");
	cr_assert_eq(c->service, SERVICE_AMILI);
	cr_assert_str_eq(c->portal_url, "https://example.fi/#login");
	cr_assert_eq(c->own_account, 1);
	cr_assert_eq(c->financing_rate_bp, 7500);
	cr_assert_eq(c->min_banking_days, 4);
	cr_assert_str_eq(c->accounts.bank, "1911");
	cr_assert_str_eq(c->accounts.receivables, "1701");
	cr_assert_str_eq(c->accounts.suspense, "2879");
	cr_assert_eq(c->nfactoring, 1);
	cr_assert_str_eq(c->factoring[0].account, "1717");
	cr_assert_eq(c->factoring[0].financier, FINANCIER_NORDEA);
	cr_assert_eq(c->ncustomers, 2);
	cr_assert_str_eq(config_customer(c, "C100")->group, "nomonitor");
	cr_assert_eq(config_customer(c, "C100")->flags,
	    CUSTOMER_TEMP | CUSTOMER_CONSUMER);
	cr_assert_str_eq(config_customer(c, "1234567-1")->factoring,
	    "nordea1");
	cr_assert_null(config_customer(c, "nobody"));
	config_free(c);
}

Test(config, bic_with_trailing_text_is_wrong_form)
{
	fails("[company]\nbic = NDEAFIHH ; x\n", 2, "bic");
}

#define COMPANY "[company]\nname = X Oy\nbusiness_id = 0737546-2\n"

Test(config, defaults_with_only_the_company)
{
	struct diag d;
	struct config *c = load(COMPANY, &d);

	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_eq(c->service, SERVICE_NONE);
	cr_assert_str_eq(c->accounts.overpayments, "2871");
	cr_assert_str_eq(c->accounts.virtual_account, "1946");
	cr_assert_eq(c->start_date, DAY_NONE);
	cr_assert_eq(c->b2c, 1);
	config_free(c);
}

/* No defaults for the company: who it is must be said. */
Test(config, company_name_and_business_id_are_required)
{
	fails("", 0, "no [company] section");
	fails("# nothing but a comment\n\n", 0, "no [company] section");
	fails("[service]\ntype = none\n", 0, "no [company] section");
	fails("[company]\n", 1, "[company] name: required");
	fails("[company]\nname = X Oy\n", 1, "[company] business_id: "
	    "required");
	fails("[company]\nname =\nbusiness_id = 0737546-2\n", 1,
	    "[company] name: required");
	fails("# the company\n\n[company]\nname = X Oy\n", 3,
	    "[company] business_id: required");
}

/* A service's settings with no service named would be read and never
 * used; an empty section, or type = none with settings, is what was
 * written. */
Test(config, service_settings_need_a_type)
{
	struct diag d;
	struct config *c;

	fails(COMPANY "\n[service]\niban = FI4950009420028730\n"
	    "reference_prefix = 77\n", 5, "[service] type: required");
	fails(COMPANY "[service]\ntype =\nname = Visma Amili Oy\n", 4,
	    "[service] type: required");
	c = load(COMPANY "[service]\n", &d);
	cr_assert_not_null(c, "%s", d.msg);
	config_free(c);
	c = load(COMPANY "[service]\ntype = none\nstart_date =\n"
	    "name = X\n", &d);
	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_eq(c->service, SERVICE_NONE);
	config_free(c);
}

/* Both files are read whole: their size is bounded, a device refused. */
Test(config, size_is_bounded_and_devices_are_refused)
{
	struct diag d;
	struct config *c;
	char want[64];
	FILE *fp;

	snprintf(want, sizeof want, "configuration larger than %zu bytes",
	    CONFIG_MAX_SIZE);
	fp = fopen(conf, "w");
	cr_assert_not_null(fp);
	fputs(COMPANY, fp);
	while (ftell(fp) <= (long)CONFIG_MAX_SIZE)
		fputs("# a comment line, again and again\n", fp);
	cr_assert_eq(fclose(fp), 0);
	memset(&d, 0, sizeof d);
	cr_assert_null(config_load(conf, &d));
	cr_assert_str_eq(d.msg, want);
	cr_assert_str_eq(d.file, conf);

	memset(&d, 0, sizeof d);
	cr_assert_null(config_load("/dev/zero", &d));
	cr_assert_str_eq(d.file, "/dev/zero");
	cr_assert_not_null(strstr(d.msg, "not a regular file"), "%s", d.msg);

	memset(&d, 0, sizeof d);
	cr_assert_null(config_load(dir, &d));
	cr_assert_not_null(strstr(d.msg, "is a directory"), "%s", d.msg);

	/* a sparse customers table past its limit */
	snprintf(want, sizeof want, "customers file larger than %zu bytes",
	    CONFIG_MAX_CUSTOMERS_SIZE);
	write_file(cust, "id\tcode\tfactoring\tgroup\tflags\n");
	cr_assert_eq(truncate(cust, (off_t)CONFIG_MAX_CUSTOMERS_SIZE + 1), 0);
	c = load(COMPANY "[customers]\nfile = customers.tsv\n", &d);
	cr_assert_null(c);
	cr_assert_str_eq(d.msg, want);
	cr_assert_str_eq(d.file, cust);
}

/* A pipe is read up to the limit, like a file. */
Test(config, a_pipe_is_read)
{
	struct diag d;
	struct config *c;
	char fifo[300];
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(write(fds[1], COMPANY, sizeof COMPANY - 1),
	    (ssize_t)sizeof COMPANY - 1);
	close(fds[1]);
	snprintf(fifo, sizeof fifo, "/dev/fd/%d", fds[0]);
	memset(&d, 0, sizeof d);
	c = config_load(fifo, &d);
	close(fds[0]);
	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_str_eq(c->company_business_id, "0737546-2");
	config_free(c);
}

Test(config, unknown_section)
{
	fails("[company]\nname = x\n\n[servise]\n", 4, "unknown section "
	    "[servise]");
}

Test(config, unknown_key)
{
	fails("[service]\ntype = none\ncolour = red\n", 3,
	    "unknown key 'colour'");
}

Test(config, repeated_key)
{
	fails("[accounts]\nbank = 1910\nsales = 3000\nbank = 1911\n", 4,
	    "bank: key repeated");
}

Test(config, repeated_section)
{
	fails("[company]\n[service]\n[company]\n", 3, "repeated");
}

Test(config, key_outside_section)
{
	fails("type = none\n", 1, "outside any section");
}

Test(config, bad_service_type)
{
	fails("[service]\ntype = amilli\n", 2, "type: 'amilli' is not one of");
}

Test(config, bad_date)
{
	fails("[service]\nstart_date = 2026-02-30\n", 2, "start_date");
}

Test(config, bad_bool)
{
	fails("[service]\nown_account = true\n", 2, "own_account: 'true' is "
	    "not yes or no");
}

Test(config, bad_int)
{
	fails("[service]\nfinancing_rate = 101\n", 2, "financing_rate");
	fails("[service]\nmin_banking_days = 4x\n", 2, "min_banking_days");
}

Test(config, bad_iban)
{
	fails("[company]\niban = FI2112345600000785, FI2112345600000786\n", 2,
	    "iban: 'FI2112345600000786' is not a valid IBAN");
	fails("[service]\niban = FI21123456\n", 2, "iban");
}

Test(config, factoring_iban_must_be_finnish)
{
	fails("[factoring a]\niban = DE89370400440532013000\n", 2,
	    "not a Finnish IBAN");
}

Test(config, bad_business_id)
{
	fails("[company]\nbusiness_id = 1234567-2\n", 2, "business_id");
}

Test(config, bad_account)
{
	fails("[accounts]\nsuspense = 28-79\n", 2, "suspense");
}

Test(config, bad_identifier_type)
{
	fails("[service]\nidentifier_type = 01\n", 2, "identifier_type");
}

Test(config, bad_contract)
{
	fails("[factoring a]\ncontract = 1234567890123\n", 2, "contract");
}

Test(config, factoring_needs_name)
{
	fails("[factoring]\n", 1, "needs a name");
}

Test(config, missing_equals)
{
	fails("[company]\nname Esimerkki\n", 2, "key = value");
}

Test(config, factoring_with_kassavirta)
{
	fails("[service]\ntype = kassavirta\n\n[factoring nordea1]\n"
	    "financier = nordea\niban = FI4950009420028730\n"
	    "contract = 1\n", 4, "cannot be combined with [service] type = "
	    "kassavirta");
}

Test(config, factoring_with_op_laskulaina)
{
	fails("[factoring x]\nfinancier = op\niban = FI4950009420028730\n"
	    "contract = 1\n[service]\ntype = op-laskulaina\n", 1,
	    "cannot be combined");
}

static void
customers_fail(const char *table, long line, const char *want)
{
	write_file(cust, table);
	fails_in(COMPANY "[factoring f]\nfinancier = op\n"
	    "iban = FI4950009420028730\ncontract = 12345678\n"
	    "[customers]\nfile = customers.tsv\n", cust, line, want);
}

Test(config, customers_errors)
{
	customers_fail("id\tcode\n", 1, "header");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t12345678\t\t\t\n",
	    2, "code");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t1\tg\t\t\n", 2,
	    "no section [factoring g]");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t\tf\t\t\n", 2,
	    "needs a customer code");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t\t\tgold\t\n", 2,
	    "group");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t\t\t\tvip\n", 2,
	    "flags");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t1\tf\t\t\n"
	    "B\t\t\t\t\nA\t\t\t\t\n", 4, "repeated (first on line 2)");
}

Test(config, customers_missing_file)
{
	struct diag d;
	struct config *c = load(COMPANY "[customers]\nfile = nosuch.tsv\n",
	    &d);

	cr_assert_null(c);
	cr_assert_not_null(strstr(d.file, "/nosuch.tsv"));
}

/* Every bad line of a customers table is said, each repeat of an id,
 * and all errors come in the order of the lines they name: the
 * configuration file's (whole-file checks among them) before the
 * table's. */
/* The errors of e are want[0..n), in that order. */
static void
errors_are(const struct config_errors *e, const char *file,
    const long *line, const char *const *msg, size_t n)
{
	size_t i;

	cr_assert_eq(e->n, n, "%zu errors, want %zu", e->n, n);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(e->d[i].file, file);
		cr_assert_eq(e->d[i].line, line[i], "error %zu: line %ld (%s)",
		    i, e->d[i].line, e->d[i].msg);
		cr_assert_not_null(strstr(e->d[i].msg, msg[i]), "%s",
		    e->d[i].msg);
	}
}

/* All errors come in the order of the lines they name, whole-file
 * checks among the line's own; every bad line of a customers table is
 * said, and each repeat of an id. */
Test(config, every_error_in_line_order)
{
	static const long cline[] = { 4, 6, 8 }, tline[] = { 2, 3, 5 };
	static const char *const cmsg[] = {
		"financier and contract are required", "[factoring a]'s too",
		"key repeated" },
	    *const tmsg[] = { "code", "group", "repeated (first on line 4)" };
	struct config_errors e;

	write_file(conf, COMPANY "[factoring a]\n"
	    "iban = FI4950009420028730\n[factoring b]\nfinancier = op\n"
	    "financier = op\niban = FI4950009420028730\n"
	    "contract = 12345678\n");
	cr_assert_null(config_load_all(conf, &e));
	errors_are(&e, conf, cline, cmsg, 3);
	config_errors_free(&e);

	write_file(cust, "id\tcode\tfactoring\tgroup\tflags\n"
	    "A\t12345678\t\t\t\nB\t\t\tgold\t\nC\t\t\t\t\n"
	    "C\t\t\t\t\n");
	write_file(conf, COMPANY "[customers]\nfile = customers.tsv\n");
	cr_assert_null(config_load_all(conf, &e));
	errors_are(&e, cust, tline, tmsg, 3);
	config_errors_free(&e);
}

/* "iban = IBAN : ACCOUNT": each of the company's accounts may name its
 * own ledger account; the others post to [accounts] bank. */
Test(config, iban_with_its_own_ledger_account)
{
	struct diag d;
	struct config *c = load(COMPANY
	    "iban = FI2112345600000785 : 1911, FI4950009420028730\n"
	    "[accounts]\nbank = 1915\n"
	    "[factoring f]\nfinancier = op\niban = FI7429501800000014\n"
	    "contract = 12345678\n", &d);

	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_eq(c->company_niban, 2);
	cr_assert_str_eq(c->company_iban[0], "FI2112345600000785");
	cr_assert_str_eq(config_bank_account(c, "FI2112345600000785"), "1911");
	cr_assert_str_eq(config_bank_account(c, "FI4950009420028730"), "1915");
	cr_assert_str_eq(config_bank_account(c, "FI7429501800000014"), "1717");
	cr_assert(config_own_account(c, "FI4950009420028730"));
	cr_assert(config_own_account(c, "FI7429501800000014"));
	cr_assert(!config_own_account(c, "FI4819503000000010"));
	config_free(c);
	fails(COMPANY "iban = FI2112345600000785 : 19-11\n", 4,
	    "iban: '19-11' is not a ledger account number");
	fails(COMPANY "iban = FI2112345600000785 :\n", 4,
	    "is not a ledger account number");
	fails(COMPANY "iban = : 1911\n", 4, "empty item");
}

/* No [company] iban: nothing to check statements against. */
Test(config, no_company_iban_takes_every_account)
{
	struct diag d;
	struct config *c = load(COMPANY, &d);

	cr_assert_not_null(c, "%s", d.msg);
	cr_assert(config_own_account(c, "FI4819503000000010"));
	cr_assert_str_eq(config_bank_account(c, "FI4819503000000010"), "1910");
	config_free(c);
}

Test(config, factoring_type_with_kassavirta_or_op_setting)
{
	fails("[service]\ntype = factoring\nfinancing_rate = 80\n", 3,
	    "factoring cannot be combined with kassavirta");
	fails("[service]\nb2c = no\ntype = factoring\n", 2,
	    "factoring cannot be combined with op-laskulaina");
}

Test(config, op_contract_form)
{
	static const char *const bad[] = { "1234567", "123456789",
		"0112345678", "001234567" };
	struct diag d;
	struct config *c;
	size_t i;
	char text[300];

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "[company]\nname = E\nbusiness_id = "
		    "1234567-1\n[factoring op1]\nfinancier = op\niban = "
		    "FI4950009420028730\ncontract = %s\n", bad[i]);
		fails(text, 7, "not an OP contract number");
	}
	c = load("[company]\nname = E\nbusiness_id = 1234567-1\n"
	    "[factoring op1]\nfinancier = op\niban = FI4950009420028730\n"
	    "contract = 0012345678\nname = OP Yrityspankki Oyj\n", &d);
	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_str_eq(c->factoring[0].contract, "0012345678");
	cr_assert_str_eq(c->factoring[0].party, "OP Yrityspankki Oyj");
	cr_assert_str_eq(c->factoring[0].account, "1717");
	config_free(c);
}

Test(config, factoring_customer_code_digits)
{
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t12a\tf\t\t\n",
	    2, "not 1-7 digits");
	customers_fail("id\tcode\tfactoring\tgroup\tflags\nA\t12345678\tf\t\t\n",
	    2, "not 1-7 digits");
}

/* Every error of the file at once, in file order; a wrong value is not
 * said again as a missing one, and keys of a refused section are not
 * errors of their own. */
Test(config, every_error_at_once)
{
	struct config_errors e;
	struct config *c;

	write_file(conf, "[company]\nname = X Oy\nbusiness_id = 1234567-2\n"
	    "colour = blue\n[servce]\ntype = none\n[accounts]\n"
	    "bank = 19-10\nbank = 1910\n");
	c = config_load_all(conf, &e);
	cr_assert_null(c);
	cr_assert_eq(e.n, 5, "%zu errors", e.n);
	cr_assert_eq(e.count, 5);
	cr_assert_eq(e.d[0].line, 3);
	cr_assert_not_null(strstr(e.d[0].msg, "business_id"));
	cr_assert_eq(e.d[1].line, 4);
	cr_assert_not_null(strstr(e.d[1].msg, "unknown key 'colour'"));
	cr_assert_eq(e.d[2].line, 5);
	cr_assert_not_null(strstr(e.d[2].msg, "unknown section [servce]"));
	cr_assert_eq(e.d[3].line, 8);
	cr_assert_eq(e.d[4].line, 9);
	cr_assert_not_null(strstr(e.d[4].msg, "key repeated"));
	config_errors_free(&e);
}

/* The list is bounded; the count is not. */
Test(config, errors_are_bounded)
{
	struct config_errors e;
	FILE *fp = fopen(conf, "w");
	int i;

	cr_assert_not_null(fp);
	fputs(COMPANY, fp);
	for (i = 0; i < CONFIG_MAX_ERRORS + 10; i++)
		fprintf(fp, "unknown%d = x\n", i);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_null(config_load_all(conf, &e));
	cr_assert_eq(e.n, CONFIG_MAX_ERRORS);
	cr_assert_eq(e.count, CONFIG_MAX_ERRORS + 10);
	config_errors_free(&e);
}

/* A UTF-8 byte-order mark, as Windows editors and spreadsheets write
 * one, starts neither the first section nor the customers header; one
 * anywhere else is still a wrong byte. */
Test(config, a_byte_order_mark_at_the_start_is_skipped)
{
	struct diag d;
	struct config *c;
	char text[512];

	write_file(cust, "\xef\xbb\xbfid\tcode\tfactoring\tgroup\tflags\n"
	    "C100\t\t\tnomonitor\t\n");
	snprintf(text, sizeof text, "\xef\xbb\xbf[company]\nname = Oy\n"
	    "business_id = 1234567-1\n[customers]\nfile = %s\n", cust);
	c = load(text, &d);
	cr_assert_not_null(c, "%s", d.msg);
	cr_assert_str_eq(c->company_name, "Oy");
	cr_assert_not_null(config_customer(c, "C100"));
	config_free(c);
	fails("[company]\nname = Oy\n\xef\xbb\xbf" "business_id = 1234567-1\n",
	    3, "");
}

/* Blanks where the TABs belong: refused at the line, not one long id. */
Test(config, customers_line_with_blanks_for_tabs_is_refused)
{
	struct diag d;

	write_file(cust, "id\tcode\tfactoring\tgroup\tflags\n"
	    "C100\t\t\t\t\n"
	    "1234567-1 12 nordea\n");
	cr_assert_null(load(COMPANY "[customers]\nfile = customers.tsv\n", &d));
	cr_assert_str_eq(d.file, cust);
	cr_assert_eq(d.line, 3);
	cr_assert_not_null(strstr(d.msg, "TAB-separated"), "%s", d.msg);
}

/* The service's account cannot be one of the company's: its payments
 * would be taken for the service's (refused, or a virtual statement). */
Test(config, service_iban_is_not_the_company_s)
{
	fails(COMPANY "iban = FI2112345600000785\n[service]\n"
	    "type = op-laskulaina\niban = FI21 1234 5600 0007 85\n", 5,
	    "[service] iban FI2112345600000785 is one of [company] iban");
	fails(COMPANY "iban = FI2112345600000785\n[service]\ntype = amili\n"
	    "iban = FI2112345600000785\n", 5, "own_account = yes");
}
