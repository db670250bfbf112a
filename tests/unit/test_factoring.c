/*
 * The factoring rules (route/factoring.h): the checks of seed 002 and
 * the reference, with the worked examples of formats/factoring.md.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "base/ident.h"
#include "route/factoring.h"

static void
ref_is(enum financier fin, const char *contract, const char *no,
    const char *printed, const char *normal)
{
	char p[REF_BUFSZ], n[REF_BUFSZ], why[160];

	cr_assert_eq(factoring_reference(fin, contract, no, p, n, why,
	    sizeof why), 0, "%s %s: %s", contract, no, why);
	cr_assert_str_eq(p, printed);
	cr_assert_str_eq(n, normal);
	cr_assert_eq(ref_validate(p, strlen(p)), 0, "%s not valid", p);
}

Test(factoring, reference_worked_examples)
{
	/* formats/factoring.md "Reference" */
	ref_is(FINANCIER_NORDEA, "12345678", "1001", "12345678000010010",
	    "12345678000010010");
	ref_is(FINANCIER_GUIDA, "4711", "7", "4711000000078", "4711000000078");
	ref_is(FINANCIER_OP, "87654321", "1002", "876543210000010021",
	    "876543210000010021");
	ref_is(FINANCIER_OP, "0087654321", "1002", "00876543210000010021",
	    "876543210000010021");
	ref_is(FINANCIER_OTHER, "555", "1004", "555000010040", "555000010040");
	/* a contract of 12 digits leaves 7 for the invoice number */
	ref_is(FINANCIER_NORDEA, "123456789012", "1234567",
	    "12345678901212345672", "12345678901212345672");
}

Test(factoring, reference_lengths)
{
	char p[REF_BUFSZ], n[REF_BUFSZ], why[160];

	/* OP: 18 digits, 20 with the 00 prefix, whatever the number */
	cr_assert_eq(factoring_reference(FINANCIER_OP, "12345678", "12345678",
	    p, n, why, sizeof why), 0);
	cr_assert_eq(strlen(p), 18);
	cr_assert_eq(factoring_reference(FINANCIER_OP, "0012345678", "1", p,
	    n, why, sizeof why), 0);
	cr_assert_eq(strlen(p), 20);
	cr_assert_eq(strncmp(p, "00", 2), 0);
	/* too long for 20 digits, not digits */
	cr_assert_eq(factoring_reference(FINANCIER_NORDEA, "123456789012",
	    "12345678", p, n, why, sizeof why), FACTORING_E_REFERENCE);
	cr_assert_not_null(strstr(why, "at most 20 digits"), "%s", why);
	cr_assert_eq(factoring_reference(FINANCIER_NORDEA, "1234", "A-1", p,
	    n, why, sizeof why), FACTORING_E_REFERENCE);
	cr_assert_not_null(strstr(why, "not digits"), "%s", why);
	cr_assert_eq(factoring_reference(FINANCIER_NORDEA, "1234", "", p, n,
	    why, sizeof why), FACTORING_E_REFERENCE);
}

static void
check_is(const char *no, const char *street, const char *pc,
    const char *town, int code, const char *field)
{
	char why[160] = "";

	cr_assert_eq(factoring_check(no, street, pc, town, why, sizeof why),
	    code, "%s/%s/%s/%s: %s", no, street, pc, town, why);
	if (field != NULL)
		cr_assert_not_null(strstr(why, field), "'%s' lacks '%s'", why,
		    field);
}

Test(factoring, invoice_checks)
{
	check_is("1", "Tie", "001", "Oy", 0, NULL);
	check_is("12345678", "Testitie 2", "02100", "Espoo", 0, NULL);
	check_is("", "Testitie 2", "02100", "Espoo",
	    FACTORING_E_INVOICE_NO, "invoice number");
	check_is("123456789", "Testitie 2", "02100", "Espoo",
	    FACTORING_E_INVOICE_NO, "invoice number");
	check_is("1", "Ab", "02100", "Espoo", FACTORING_E_STREET,
	    "billing street");
	check_is("1", NULL, "02100", "Espoo", FACTORING_E_STREET,
	    "billing street");
	check_is("1", "Tie", "12", "Espoo", FACTORING_E_POST_CODE,
	    "billing post code");
	check_is("1", "Tie", "123", "E", FACTORING_E_TOWN, "billing town");
	/* characters, not bytes: "Åä" is 2 characters in 4 bytes */
	check_is("1", "Åä", "123", "Oy", FACTORING_E_STREET, NULL);
	check_is("1", "Tie", "123", "Ä", FACTORING_E_TOWN, NULL);
	check_is("1", "Tie", "123", "Äö", 0, NULL);
	check_is("ÄÄÄÄÄÄÄÄ", "Tie", "123", "Oy", 0, NULL);
}
