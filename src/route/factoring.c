/*
 * factoring: invoice checks, reference and clause of a factoring
 * invoice (factoring.h).  The construction of the reference is written
 * out with worked examples in formats/factoring.md; the unit tests
 * (tests/unit/test_factoring.c) hold the two together.
 */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/ident.h"
#include "base/util.h"
#include "route/factoring.h"
#include "route/route.h"

static size_t
chars(const char *s)
{
	return s != NULL ? utf8_count(s) : 0;
}

int
factoring_check(const char *invoice_no, const char *street,
    const char *post_code, const char *town, char *why, size_t size)
{
	size_t n = chars(invoice_no);

	if (n < 1 || n > 8) {
		snprintf(why, size, "invoice number: '%s' is %zu characters; "
		    "a factoring invoice number has 1-8",
		    invoice_no != NULL ? invoice_no : "", n);
		return FACTORING_E_INVOICE_NO;
	}
	if (chars(street) <= 2) {
		snprintf(why, size, "billing street: '%s' must be longer than "
		    "2 characters", street != NULL ? street : "");
		return FACTORING_E_STREET;
	}
	if (chars(post_code) <= 2) {
		snprintf(why, size, "billing post code: '%s' must be longer "
		    "than 2 characters", post_code != NULL ? post_code : "");
		return FACTORING_E_POST_CODE;
	}
	if (chars(town) < 2) {
		snprintf(why, size, "billing town: '%s' must be at least 2 "
		    "characters", town != NULL ? town : "");
		return FACTORING_E_TOWN;
	}
	return 0;
}

int
factoring_reference(enum financier fin, const char *contract,
    const char *invoice_no, char printed[REF_BUFSZ], char normal[REF_BUFSZ],
    char *why, size_t size)
{
	size_t nc = strlen(contract), ni = strlen(invoice_no), width;
	char base[REF_BUFSZ];
	int check;

	printed[0] = normal[0] = '\0';
	if (ni == 0 || !all_digits(invoice_no, ni)) {
		snprintf(why, size, "reference: invoice number '%s' is not "
		    "digits; the factoring reference is made from it",
		    invoice_no);
		return FACTORING_E_REFERENCE;
	}
	width = fin == FINANCIER_OP ? FACTORING_OP_WIDTH : FACTORING_WIDTH;
	if (fin != FINANCIER_OP && nc + width > 19)
		width = nc < 19 ? 19 - nc : 0;
	if (nc == 0 || !all_digits(contract, nc) || ni > width ||
	    nc + width > 19) {
		snprintf(why, size, "reference: contract %s and invoice number "
		    "%s make no reference of at most 20 digits", contract,
		    invoice_no);
		return FACTORING_E_REFERENCE;
	}
	memcpy(base, contract, nc);
	memset(base + nc, '0', width - ni);
	memcpy(base + nc + width - ni, invoice_no, ni + 1);
	check = ref_check_digit(base, strlen(base));
	if (check < 0 || ref_generate(base, strlen(base), normal) != 0) {
		snprintf(why, size, "reference: contract %s and invoice number "
		    "%s make no valid reference", contract, invoice_no);
		return FACTORING_E_REFERENCE;
	}
	snprintf(printed, REF_BUFSZ, "%s%d", base, check);
	return 0;
}

/* The financiers as the factoring guide names them; `other` has no name
 * but the section's. */
const char *
factoring_party(const struct conf_factoring *f)
{
	if (f->party != NULL && *f->party != '\0')
		return f->party;
	switch (f->financier) {
	case FINANCIER_NORDEA:
		return "Nordea Rahoitus";
	case FINANCIER_OP:
		return "OP Yrityspankki Oyj";
	case FINANCIER_GUIDA:
		return "Guida";
	default:
		return f->name;
	}
}

/* The built-in clause of lang, {service} the party's name. */
static const char *
default_clause(const char *lang)
{
	if (strcmp(lang, "sv") == 0)
		return "Denna fordran har överlåtits till {service}. "
		    "Betalning med befriande verkan kan endast ske till "
		    "kontot på denna faktura.";
	if (strcmp(lang, "en") == 0)
		return "This receivable has been assigned to {service}. "
		    "Payment discharging the debt can only be made to the "
		    "account on this invoice.";
	/* the name as it is, never inflected: "Nordea Rahoitus:lle"
	 * is no Finnish */
	return "Tämä saatava on siirretty, ja sen omistaa {service}. Maksu "
	    "voidaan suorittaa velkaa vapauttavasti vain tällä laskulla "
	    "olevalle tilille.";
}

void
factoring_clause(const struct conf_factoring *f, const char *lang,
    const struct config *c, struct sbuf *out)
{
	const char *t = NULL;

	if (strcmp(lang, "sv") == 0)
		t = f->clause_sv;
	else if (strcmp(lang, "en") == 0)
		t = f->clause_en;
	if (t == NULL || *t == '\0')
		t = f->clause_fi;
	if (t == NULL || *t == '\0')
		t = default_clause(lang);
	route_fill_clause(t, c->company_name, c->company_contact, c->phone,
	    factoring_party(f), out);
}

int
factoring_financier_supported(enum financier fin)
{
	return fin == FINANCIER_NORDEA || fin == FINANCIER_OP ||
	    fin == FINANCIER_GUIDA;
}
