/*
 * config: the reskontra.conf(5) parser.  See config.h.
 *
 * Every key is a row of a table {name, type, where it is stored}; a
 * section is a table of keys.  Adding a key is one row.  The parser knows
 * nothing about what a key means beyond the form of its value; the
 * cross-key checks (factoring with kassavirta, customers naming factoring
 * sections) come after the whole file is read.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/ident.h"
#include "base/util.h"

enum vtype {
	V_STR,		/* any text */
	V_IBANLIST,	/* comma-separated IBANs (company) */
	V_IBAN,
	V_FI_IBAN,	/* a Finnish IBAN */
	V_BIC,
	V_DATE,
	V_BOOL,		/* yes or no */
	V_INT,
	V_ACCOUNT,	/* ledger account number, 1-15 digits */
	V_DIGITS,	/* 1..max digits */
	V_SERVICE,
	V_FINANCIER,
	V_YTUNNUS,
	V_IDTYPE,	/* 08, 09, 99 */
	V_PATH,
	V_VOUCHERS,	/* tsv, csv, netvisor */
	V_REPORT,	/* tsv, csv */
	V_PERCENT	/* 0-100 with up to two decimals, in hundredths */
};

struct key {
	const char *name;
	enum vtype type;
	size_t off;		/* into struct config or struct conf_factoring */
	int min, max;		/* V_INT range; V_DIGITS max length */
};

#define C(f) offsetof(struct config, f)
#define A(f) offsetof(struct config, accounts.f)
#define F(f) offsetof(struct conf_factoring, f)

static const struct key company_keys[] = {
	{ "name", V_STR, C(company_name), 0, 0 },
	{ "business_id", V_YTUNNUS, C(company_business_id), 0, 0 },
	{ "iban", V_IBANLIST, C(company_iban), 0, 0 },
	{ "bic", V_BIC, C(company_bic), 0, 0 },
	{ "contact", V_STR, C(company_contact), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct key service_keys[] = {
	{ "type", V_SERVICE, C(service), 0, 0 },
	{ "start_date", V_DATE, C(start_date), 0, 0 },
	{ "iban", V_IBAN, C(service_iban), 0, 0 },
	{ "bic", V_BIC, C(service_bic), 0, 0 },
	{ "name", V_STR, C(service_name), 0, 0 },
	{ "payer_name", V_STR, C(payer_name), 0, 0 },
	{ "reference_prefix", V_DIGITS, C(reference_prefix), 0, 10 },
	{ "own_account", V_BOOL, C(own_account), 0, 0 },
	{ "phone", V_STR, C(phone), 0, 0 },
	{ "portal_url", V_STR, C(portal_url), 0, 0 },
	{ "clause_fi", V_STR, C(clause_fi), 0, 0 },
	{ "clause_sv", V_STR, C(clause_sv), 0, 0 },
	{ "clause_en", V_STR, C(clause_en), 0, 0 },
	{ "identifier_type", V_IDTYPE, C(identifier_type), 0, 0 },
	{ "b2c", V_BOOL, C(b2c), 0, 0 },
	{ "financing_rate", V_PERCENT, C(financing_rate_bp), 0, 100 },
	{ "min_banking_days", V_INT, C(min_banking_days), 0, 60 },
	{ "virtual_iban", V_IBAN, C(virtual_iban), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct key accounts_keys[] = {
	{ "sales", V_ACCOUNT, A(sales), 0, 0 },
	{ "receivables", V_ACCOUNT, A(receivables), 0, 0 },
	{ "bank", V_ACCOUNT, A(bank), 0, 0 },
	{ "transit", V_ACCOUNT, A(transit), 0, 0 },
	{ "overpayments", V_ACCOUNT, A(overpayments), 0, 0 },
	{ "suspense", V_ACCOUNT, A(suspense), 0, 0 },
	{ "interest_income", V_ACCOUNT, A(interest_income), 0, 0 },
	{ "factoring", V_ACCOUNT, A(factoring), 0, 0 },
	{ "service_receivables", V_ACCOUNT, A(service_receivables), 0, 0 },
	{ "financing_liability", V_ACCOUNT, A(financing_liability), 0, 0 },
	{ "financing_expenses", V_ACCOUNT, A(financing_expenses), 0, 0 },
	{ "loan", V_ACCOUNT, A(loan), 0, 0 },
	{ "loan_interim", V_ACCOUNT, A(loan_interim), 0, 0 },
	{ "loan_interest", V_ACCOUNT, A(loan_interest), 0, 0 },
	{ "virtual_account", V_ACCOUNT, A(virtual_account), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct key factoring_keys[] = {
	{ "financier", V_FINANCIER, F(financier), 0, 0 },
	{ "iban", V_FI_IBAN, F(iban), 0, 0 },
	{ "contract", V_DIGITS, F(contract), 0, 12 },
	{ "clause_fi", V_STR, F(clause_fi), 0, 0 },
	{ "clause_sv", V_STR, F(clause_sv), 0, 0 },
	{ "clause_en", V_STR, F(clause_en), 0, 0 },
	{ "account", V_ACCOUNT, F(account), 0, 0 },
	{ "name", V_STR, F(party), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct key customers_keys[] = {
	{ "file", V_PATH, C(customers_file), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct key output_keys[] = {
	{ "vouchers", V_VOUCHERS, C(vouchers), 0, 0 },
	{ "bom", V_BOOL, C(bom), 0, 0 },
	{ "report", V_REPORT, C(report), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

enum section { S_NONE, S_COMPANY, S_SERVICE, S_ACCOUNTS, S_FACTORING,
	S_CUSTOMERS, S_OUTPUT };

static const struct {
	const char *name;
	const struct key *keys;
} sections[] = {
	[S_NONE] = { "", NULL },
	[S_COMPANY] = { "company", company_keys },
	[S_SERVICE] = { "service", service_keys },
	[S_ACCOUNTS] = { "accounts", accounts_keys },
	[S_FACTORING] = { "factoring", factoring_keys },
	[S_CUSTOMERS] = { "customers", customers_keys },
	[S_OUTPUT] = { "output", output_keys },
};

#define NSECTIONS (sizeof sections / sizeof sections[0])

static const char *const service_names[] = {
	[SERVICE_NONE] = "none",
	[SERVICE_FACTORING] = "factoring",
	[SERVICE_AMILI] = "amili",
	[SERVICE_KASSAVIRTA] = "kassavirta",
	[SERVICE_OP_LASKULAINA] = "op-laskulaina",
};

static const char *const financier_names[] = {
	[FINANCIER_NORDEA] = "nordea",
	[FINANCIER_OP] = "op",
	[FINANCIER_GUIDA] = "guida",
	[FINANCIER_OTHER] = "other",
};

const char *
config_service_name(enum service_type t)
{
	return service_names[t];
}

const char *
config_financier_name(enum financier f)
{
	return financier_names[f];
}

static const char *const voucher_format_names[] = {
	[VOUCHERS_TSV] = "tsv",
	[VOUCHERS_CSV] = "csv",
	[VOUCHERS_NETVISOR] = "netvisor",
};

static const char *const report_format_names[] = {
	[REPORT_TSV] = "tsv",
	[REPORT_CSV] = "csv",
};

const char *
config_voucher_format_name(enum voucher_format f)
{
	return voucher_format_names[f];
}

static void
set_defaults(struct config *c)
{
	static const struct {
		size_t off;
		const char *v;
	} defs[] = {
		{ A(sales), "3000" }, { A(receivables), "1701" },
		{ A(bank), "1910" }, { A(transit), "1995" },
		{ A(overpayments), "2871" }, { A(suspense), "2879" },
		{ A(interest_income), "9160" }, { A(factoring), "1717" },
		{ A(service_receivables), "1702" },
		{ A(financing_liability), "2842" },
		{ A(financing_expenses), "9690" }, { A(loan), "2842" },
		{ A(loan_interim), "2843" }, { A(loan_interest), "9553" },
		{ A(virtual_account), "1946" },
	};
	size_t i;

	for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
		snprintf((char *)c + defs[i].off, ACCOUNT_BUFSZ, "%s",
		    defs[i].v);
	c->service = SERVICE_NONE;
	c->start_date = DAY_NONE;
	c->own_account = 0;
	c->b2c = 1;
	c->financing_rate_bp = 8000;
	c->min_banking_days = 4;
	c->identifier_type = xstrdup("08");
	c->vouchers = VOUCHERS_TSV;
	c->bom = 1;
	c->report = REPORT_TSV;
}

/* Parser state for one file. */
struct parse {
	struct config *c;
	const char *file;
	long line;
	struct diag *d;
	enum section sec;
	void *base;		/* struct the current section's keys fill */
	uint64_t seen;		/* keys given in the current section */
	unsigned sections_seen;
	struct config_errors *errs;	/* every error, in file order */
	int skip;		/* keys of a section that was refused */
	uint64_t company_given;	/* [company] keys written, right or not */
	uint64_t service_given;	/* [service] keys written, right or not */
	char secname[FACTORING_NAME_MAX + 16];	/* "factoring NAME" or the
						 * section's name */
};

static int
is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Trim s in place; returns the first non-blank byte. */
static char *
trim(char *s)
{
	char *e;

	while (is_blank((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* Cut an inline comment: '#' at the start or after a blank. */
static void
cut_comment(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '#' && (p == s || is_blank((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

/* The bit of key name in a section's seen masks. */
static uint64_t
key_bit(const struct key *k, const char *name)
{
	size_t i;

	for (i = 0; k[i].name; i++)
		if (strcmp(k[i].name, name) == 0)
			return (uint64_t)1 << i;
	return 0;
}

/* Keep d as one more error of the file; the list is bounded, the count
 * is not. */
static void
errors_add(struct config_errors *e, const struct diag *d)
{
	e->count++;
	if (e->n == CONFIG_MAX_ERRORS)
		return;
	e->d = xrealloc(e->d, (e->n + 1) * sizeof *e->d);
	e->d[e->n++] = *d;
}

static int
bad(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
bad(struct parse *p, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(p->d, p->file, p->line, 0, "%s", msg);
	errors_add(p->errs, p->d);
	return -1;
}

static int
set_string(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
	return 0;
}

static int
digits_only(const char *s)
{
	return all_digits(s, strlen(s));
}

static int
one_of(const char *v, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	return -1;
}

static int
set_iban(struct parse *p, const char *key, const char *v, char **slot,
    int finnish)
{
	char buf[IBAN_BUFSZ];
	size_t n = strlen(v);

	if (n >= IBAN_BUFSZ + 10 || iban_validate(v, n) < 0)
		return bad(p, "[%s] %s: '%s' is not a valid IBAN",
		    p->secname, key, v);
	iban_normalise(v, n, buf);
	if (finnish && strncmp(buf, "FI", 2) != 0)
		return bad(p, "[%s] %s: '%s' is not a Finnish IBAN",
		    p->secname, key, v);
	/* A Finnish IBAN's account number has a check digit of its own,
	 * which the banks' files (KTO, KTL) are read by: an IBAN whose
	 * mod-97 check holds but whose account number's does not would
	 * make every file of that account "not one of the company's". */
	if ((strncmp(buf, "FI", 2) == 0 || strncmp(buf, "AX", 2) == 0) &&
	    bban_validate(buf + 4, strlen(buf + 4)) < 0)
		return bad(p, "[%s] %s: '%s' is not a valid IBAN: the check "
		    "digit of its account number %s is wrong", p->secname,
		    key, v, buf + 4);
	return set_string(slot, buf);
}

/*
 * One setter per value type: check the form of v and store it at `at`
 * (p->base + k->off).  0, or -1 with the message naming section and key.
 */
typedef int value_setter(struct parse *p, const struct key *k, char *v,
    char *at);

/* The message for a value of the wrong form; returns -1. */
static int
bad_form(struct parse *p, const struct key *k, const char *v)
{
	return bad(p, "[%s] %s: '%s' has the wrong form",
	    p->secname, k->name, v);
}

/* V_STR, V_PATH: any text. */
static int
set_text(struct parse *p, const struct key *k, char *v, char *at)
{
	return set_string((char **)(void *)at, v);
}

/* V_IBAN, V_FI_IBAN: one IBAN, normalised. */
static int
set_iban_value(struct parse *p, const struct key *k, char *v, char *at)
{
	return set_iban(p, k->name, v, (char **)(void *)at,
	    k->type == V_FI_IBAN);
}

static int set_account(struct parse *p, const struct key *k, char *v,
    char *at);

/*
 * V_IBANLIST: comma-separated IBANs appended to the company's list, each
 * optionally followed by ": ACCOUNT", the ledger account its money is
 * booked to (default [accounts] bank).
 */
static int
set_iban_list(struct parse *p, const struct key *k, char *v, char *at)
{
	struct config *c = p->c;
	char *save = NULL, *tok, *colon;
	char account[ACCOUNT_BUFSZ] = "";

	for (tok = strtok_r(v, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *one, *slot = NULL;

		account[0] = '\0';
		if ((colon = strchr(tok, ':')) != NULL) {
			*colon = '\0';
			if (set_account(p, k, trim(colon + 1), account) < 0)
				return -1;
		}
		one = trim(tok);
		if (*one == '\0')
			return bad(p, "[%s] %s: empty item in list",
			    p->secname, k->name);
		if (set_iban(p, k->name, one, &slot, 0) < 0)
			return -1;
		c->company_iban = xrealloc(c->company_iban,
		    (c->company_niban + 1) * sizeof *c->company_iban);
		c->company_iban_account = xrealloc(c->company_iban_account,
		    (c->company_niban + 1) * sizeof *c->company_iban_account);
		memcpy(c->company_iban_account[c->company_niban], account,
		    ACCOUNT_BUFSZ);
		c->company_iban[c->company_niban++] = slot;
	}
	return 0;
}

/* V_BIC: 8 or 11 capital letters, digits allowed from the seventh on. */
static int
set_bic(struct parse *p, const struct key *k, char *v, char *at)
{
	size_t n = strlen(v);
	int i;

	if (n != 8 && n != 11)
		return bad_form(p, k, v);
	for (i = 0; i < (int)n; i++)
		if (!isupper((unsigned char)v[i]) &&
		    !(i >= 6 && isdigit((unsigned char)v[i])))
			return bad_form(p, k, v);
	return set_string((char **)(void *)at, v);
}

/* V_DATE: YYYY-MM-DD into a day_t. */
static int
set_date(struct parse *p, const struct key *k, char *v, char *at)
{
	size_t n = strlen(v);

	if (n != 10 || date_parse_iso(v, n, (day_t *)(void *)at) < 0)
		return bad(p, "[%s] %s: '%s' is not a date YYYY-MM-DD",
		    p->secname, k->name, v);
	return 0;
}

/* V_BOOL: yes or no into an int. */
static int
set_bool(struct parse *p, const struct key *k, char *v, char *at)
{
	if (strcmp(v, "yes") == 0)
		*(int *)(void *)at = 1;
	else if (strcmp(v, "no") == 0)
		*(int *)(void *)at = 0;
	else
		return bad(p, "[%s] %s: '%s' is not yes or no",
		    p->secname, k->name, v);
	return 0;
}

/* V_INT: a whole number in [k->min, k->max] into an int. */
static int
set_int(struct parse *p, const struct key *k, char *v, char *at)
{
	uint64_t u;

	if (parse_uint(v, strlen(v), &u) < 0 || u < (uint64_t)k->min ||
	    u > (uint64_t)k->max)
		return bad(p, "[%s] %s: '%s' is not a whole number %d-%d",
		    p->secname, k->name, v, k->min, k->max);
	*(int *)(void *)at = (int)u;
	return 0;
}

/* V_PERCENT: a percent in [k->min, k->max] with at most two decimals
 * after '.' or ',' ("80", "80.5", "80,25") into an int of hundredths of
 * a percent. */
static int
set_percent(struct parse *p, const struct key *k, char *v, char *at)
{
	size_t n = strcspn(v, ".,"), f = v[n] ? strlen(v + n + 1) : 0;
	uint64_t whole, frac = 0;

	if (parse_uint(v, n, &whole) < 0 || (v[n] && (f < 1 || f > 2 ||
	    parse_uint(v + n + 1, f, &frac) < 0)) || whole > (uint64_t)k->max ||
	    whole * 100 + frac * (f == 1 ? 10 : 1) > (uint64_t)k->max * 100 ||
	    whole < (uint64_t)k->min)
		return bad(p, "[%s] %s: '%s' is not a percent %d-%d (at most "
		    "two decimals)", p->secname, k->name, v, k->min, k->max);
	*(int *)(void *)at = (int)(whole * 100 + frac * (f == 1 ? 10 : 1));
	return 0;
}

/* V_ACCOUNT: 1 to ACCOUNT_BUFSZ - 1 digits into a fixed buffer. */
static int
set_account(struct parse *p, const struct key *k, char *v, char *at)
{
	size_t n = strlen(v);

	if (n == 0 || n >= ACCOUNT_BUFSZ || !digits_only(v))
		return bad(p, "[%s] %s: '%s' is not a ledger account number "
		    "(1-%d digits)", p->secname, k->name, v,
		    ACCOUNT_BUFSZ - 1);
	memcpy(at, v, n + 1);
	return 0;
}

/* V_DIGITS: 1 to k->max digits, kept as text. */
static int
set_digits(struct parse *p, const struct key *k, char *v, char *at)
{
	size_t n = strlen(v);

	if (n == 0 || n > (size_t)k->max || !digits_only(v))
		return bad(p, "[%s] %s: '%s' is not 1-%d digits",
		    p->secname, k->name, v, k->max);
	return set_string((char **)(void *)at, v);
}

/* V_SERVICE: a service name into an enum service_type. */
static int
set_service(struct parse *p, const struct key *k, char *v, char *at)
{
	int i = one_of(v, service_names, sizeof service_names /
	    sizeof service_names[0]);

	if (i < 0)
		return bad(p, "[%s] %s: '%s' is not one of none, factoring, "
		    "amili, kassavirta, op-laskulaina", p->secname,
		    k->name, v);
	*(enum service_type *)(void *)at = (enum service_type)i;
	return 0;
}

/* V_FINANCIER: a financier name into the factoring section's enum. */
static int
set_financier(struct parse *p, const struct key *k, char *v, char *at)
{
	int i = one_of(v, financier_names, sizeof financier_names /
	    sizeof financier_names[0]);

	if (i < 0)
		return bad(p, "[%s] %s: '%s' is not one of nordea, op, guida, "
		    "other", p->secname, k->name, v);
	*(enum financier *)(void *)at = (enum financier)i;
	((struct conf_factoring *)p->base)->financier_set = 1;
	return 0;
}

/* V_YTUNNUS: a business id with a valid check digit, kept as text. */
static int
set_ytunnus(struct parse *p, const struct key *k, char *v, char *at)
{
	if (ytunnus_validate(v, strlen(v)) < 0)
		return bad(p, "[%s] %s: '%s' is not a valid business id "
		    "(1234567-8)", p->secname, k->name, v);
	return set_string((char **)(void *)at, v);
}

/* V_IDTYPE: 08, 09 or 99, kept as text. */
static int
set_idtype(struct parse *p, const struct key *k, char *v, char *at)
{
	if (strcmp(v, "08") && strcmp(v, "09") && strcmp(v, "99"))
		return bad(p, "[%s] %s: '%s' is not 08, 09 or 99",
		    p->secname, k->name, v);
	return set_string((char **)(void *)at, v);
}

int
config_voucher_format_parse(const char *s, enum voucher_format *f)
{
	int i = one_of(s, voucher_format_names, sizeof voucher_format_names /
	    sizeof voucher_format_names[0]);

	if (i < 0)
		return -1;
	*f = (enum voucher_format)i;
	return 0;
}

/* V_VOUCHERS: the layout of the voucher files. */
static int
set_vouchers(struct parse *p, const struct key *k, char *v, char *at)
{
	if (config_voucher_format_parse(v, (enum voucher_format *)(void *)at)
	    < 0)
		return bad(p, "[%s] %s: '%s' is not one of tsv, csv, netvisor",
		    sections[p->sec].name, k->name, v);
	return 0;
}

/* V_REPORT: the layout of the run report. */
static int
set_report(struct parse *p, const struct key *k, char *v, char *at)
{
	int i = one_of(v, report_format_names, sizeof report_format_names /
	    sizeof report_format_names[0]);

	if (i < 0)
		return bad(p, "[%s] %s: '%s' is not tsv or csv",
		    sections[p->sec].name, k->name, v);
	*(enum report_format *)(void *)at = (enum report_format)i;
	return 0;
}

static value_setter *const setters[] = {
	[V_STR] = set_text,
	[V_IBANLIST] = set_iban_list,
	[V_IBAN] = set_iban_value,
	[V_FI_IBAN] = set_iban_value,
	[V_BIC] = set_bic,
	[V_DATE] = set_date,
	[V_BOOL] = set_bool,
	[V_INT] = set_int,
	[V_ACCOUNT] = set_account,
	[V_DIGITS] = set_digits,
	[V_SERVICE] = set_service,
	[V_FINANCIER] = set_financier,
	[V_YTUNNUS] = set_ytunnus,
	[V_IDTYPE] = set_idtype,
	[V_PATH] = set_text,
	[V_VOUCHERS] = set_vouchers,
	[V_REPORT] = set_report,
	[V_PERCENT] = set_percent,
};

/* Store v, the value of key k, in the current section's struct. */
static int
set_value(struct parse *p, const struct key *k, char *v)
{
	if ((size_t)k->type >= sizeof setters / sizeof setters[0] ||
	    setters[k->type] == NULL)
		return bad_form(p, k, v);
	return setters[k->type](p, k, v, (char *)p->base + k->off);
}

static int
section_line(struct parse *p, char *s)
{
	char *end = strchr(s, ']'), *name, *arg;
	struct config *c = p->c;
	size_t i;

	if (end == NULL)
		return bad(p, "section header without ']'");
	*end = '\0';
	cut_comment(end + 1);
	if (*trim(end + 1) != '\0')
		return bad(p, "text after section header");
	name = trim(s + 1);
	for (arg = name; *arg && !is_blank((unsigned char)*arg); arg++)
		;
	if (*arg) {
		*arg++ = '\0';
		arg = trim(arg);
	}
	for (i = 1; i < NSECTIONS; i++)
		if (strcmp(name, sections[i].name) == 0)
			break;
	if (i == NSECTIONS)
		return bad(p, "unknown section [%s]", name);
	p->skip = 0;
	p->sec = (enum section)i;
	p->seen = 0;
	snprintf(p->secname, sizeof p->secname, "%s", name);
	if (p->sec == S_FACTORING) {
		struct conf_factoring *f;

		if (*arg == '\0')
			return bad(p, "[factoring] needs a name: "
			    "[factoring NAME]");
		if (strlen(arg) > FACTORING_NAME_MAX)
			return bad(p, "[factoring NAME]: a NAME of more than %d "
			    "bytes", FACTORING_NAME_MAX);
		if (config_factoring(c, arg) != NULL)
			return bad(p, "section [factoring %s] repeated", arg);
		c->factoring = xrealloc(c->factoring, (c->nfactoring + 1) *
		    sizeof *c->factoring);
		f = &c->factoring[c->nfactoring++];
		memset(f, 0, sizeof *f);
		f->name = xstrdup(arg);
		f->line = p->line;
		f->financier = FINANCIER_OTHER;
		p->base = f;
		snprintf(p->secname, sizeof p->secname, "factoring %s", arg);
		return 0;
	}
	if (*arg != '\0')
		return bad(p, "section [%s] takes no name", name);
	if (p->sections_seen & (1u << i))
		return bad(p, "section [%s] repeated", name);
	p->sections_seen |= 1u << i;
	if (i == S_COMPANY)
		c->company_line = p->line;
	else if (i == S_SERVICE)
		c->service_line = p->line;
	p->base = c;
	return 0;
}

/* Where the settings of kassavirta and op-laskulaina are given, for the
 * check that factoring is not combined with them. */
static void
note_service_key(struct parse *p, const char *key)
{
	if (strcmp(key, "financing_rate") == 0)
		p->c->financing_rate_line = p->line;
	else if (strcmp(key, "b2c") == 0)
		p->c->b2c_line = p->line;
}

static int
key_line(struct parse *p, char *s)
{
	char *eq = strchr(s, '='), *key, *val;
	const struct key *k;
	size_t i;

	if (eq == NULL)
		return bad(p, "expected 'key = value' or '[section]'");
	*eq = '\0';
	key = trim(s);
	val = eq + 1;
	cut_comment(val);
	val = trim(val);
	if (*key == '\0')
		return bad(p, "missing key before '='");
	if (p->skip)
		return 0;	/* its section was refused, and said so */
	if (p->sec == S_NONE)
		return bad(p, "key '%s' outside any section", key);
	for (i = 0, k = sections[p->sec].keys; k[i].name; i++)
		if (strcmp(k[i].name, key) == 0)
			break;
	if (k[i].name == NULL)
		return bad(p, "[%s] unknown key '%s'", p->secname,
		    key);
	if (p->seen & ((uint64_t)1 << i))
		return bad(p, "[%s] %s: key repeated", p->secname,
		    key);
	p->seen |= (uint64_t)1 << i;
	if (p->sec == S_COMPANY && *val != '\0')
		p->company_given |= (uint64_t)1 << i;
	if (p->sec == S_SERVICE && *val != '\0')
		p->service_given |= (uint64_t)1 << i;
	if (p->sec == S_FACTORING && *val != '\0')
		((struct conf_factoring *)p->base)->given |= (uint64_t)1 << i;
	if (p->sec == S_SERVICE)
		note_service_key(p, key);
	else if (p->sec == S_FACTORING && strcmp(key, "contract") == 0)
		((struct conf_factoring *)p->base)->contract_line = p->line;
	if (*val == '\0')
		return 0;	/* empty: the default stays */
	return set_value(p, &k[i], val);
}

/* Directory part of path joined with rel, unless rel is absolute. */
static char *
resolve(const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');
	struct sbuf b = SBUF_INIT;

	if (rel[0] == '/' || slash == NULL)
		return xstrdup(rel);
	sbuf_add(&b, path, (size_t)(slash - path) + 1);
	sbuf_adds(&b, rel);
	return b.data;
}

/* Split line on TAB into at most max fields; returns the count. */
static size_t
split_tabs(char *s, char **f, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *tab = strchr(s, '\t');

		if (n == max)
			return n + 1;	/* too many */
		f[n++] = s;
		if (tab == NULL)
			return n;
		*tab = '\0';
		s = tab + 1;
	}
}

static int
customer_flags(const char *v, unsigned *out)
{
	char *copy = xstrdup(v), *save = NULL, *tok;
	int rc = 0;

	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (strcmp(tok, "temp") == 0)
			*out |= CUSTOMER_TEMP;
		else if (strcmp(tok, "group-company") == 0)
			*out |= CUSTOMER_GROUP_COMPANY;
		else if (strcmp(tok, "consumer") == 0)
			*out |= CUSTOMER_CONSUMER;
		else {
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

/* A customer id as the table keeps it: a valid business id in any of
 * its forms (0112038-9, FI01120389) as 0112038-9, anything else (an
 * ERP's customer number) as it is.  Allocated. */
static char *
business_id_form(const char *id)
{
	char norm[YTUNNUS_BUFSZ];

	if (ytunnus_normalise_any(id, norm) == 0 &&
	    ytunnus_validate(norm, strlen(norm)) == 0)
		return xstrdup(norm);
	return xstrdup(id);
}

static int
customer_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct conf_customer *)a)->id,
	    ((const struct conf_customer *)b)->id);
}

static int
customer_cmp(const void *a, const void *b)
{
	const struct conf_customer *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	if (r)
		return r;
	return x->line < y->line ? -1 : x->line > y->line;
}

static char *
opt(const char *s)
{
	return *s ? xstrdup(s) : NULL;
}

/*
 * Read the file at path whole into *data (NUL-terminated, *len bytes; the
 * caller frees it), refusing more than max bytes: a configuration never
 * needs more, and a device such as /dev/zero would never end.  A
 * character or block device is refused outright; a pipe is read up to
 * the limit.  what names the file in messages ("configuration").
 * 0, or -1 with d filled.
 */
static int
read_bounded(const char *path, size_t max, const char *what, char **data,
    size_t *len, struct diag *d)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap;
	ssize_t r;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		diag_set(d, path, 0, 0, "cannot open %s: %s", what,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		diag_set(d, path, 0, 0, "cannot read %s: %s", what,
		    strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_set(d, path, 0, 0, "%s is a directory", what);
		goto out;
	}
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		diag_set(d, path, 0, 0, "%s is a device, not a regular file",
		    what);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		goto toolarge;
	/* The buffer grows to the limit only if the bytes do: allocating
	 * the limit (64 MiB for a customers table) for every file made each
	 * load of a small configuration touch that much memory. */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : 65536;
	if (cap > max + 2)
		cap = max + 2;
	buf = xmalloc(cap);
	while (n <= max) {
		if (n + 1 >= cap) {
			cap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_set(d, path, 0, 0, "cannot read %s: %s", what,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		goto toolarge;
	/* a UTF-8 byte-order mark (Windows editors, spreadsheets) is no
	 * part of the first line */
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		memmove(buf, buf + 3, n - 3);
		n -= 3;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rc = 0;
	goto out;
toolarge:
	diag_set(d, path, 0, 0, "%s larger than %zu bytes", what, max);
out:
	free(buf);
	close(fd);
	return rc;
}

/* The next line of [*pos, end) without its LF, NUL-terminated in place;
 * *len does not count the LF.  NULL at the end. */
static char *
next_line(char **pos, char *end, size_t *len)
{
	char *line = *pos, *nl;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*nl = '\0';
	*len = (size_t)(nl - line);
	*pos = nl < end ? nl + 1 : end;
	return line;
}

/* 1 if the n fields f are the customers file's header line. */
static int
customers_header(char **f, size_t n)
{
	static const char *const header[] = { "id", "code", "factoring",
		"group", "flags" };
	size_t i;

	if (n != 5)
		return 0;
	for (i = 0; i < 5; i++)
		if (strcmp(trim(f[i]), header[i]))
			return 0;
	return 1;
}

/* Check the columns f (trimmed, 5 of them) of customers file line lineno;
 * the flags into *flags.  0, or -1 with d filled. */
static int
customer_check(const struct config *c, char **f, long lineno,
    unsigned *flags, struct diag *d)
{
	const char *file = c->customers_file;

	if (*f[0] == '\0') {
		diag_set(d, file, lineno, 1, "id: empty");
		return -1;
	}
	if (*f[1] && (strlen(f[1]) > 7 || !digits_only(f[1]))) {
		diag_set(d, file, lineno, 0, "code: '%s' is not 1-7 digits",
		    f[1]);
		return -1;
	}
	if (*f[2] && config_factoring(c, f[2]) == NULL) {
		diag_set(d, file, lineno, 0, "factoring: no section "
		    "[factoring %s]", f[2]);
		return -1;
	}
	if (*f[2] && *f[1] == '\0') {
		diag_set(d, file, lineno, 0, "code: a factoring customer "
		    "needs a customer code");
		return -1;
	}
	if (*f[3] && strcmp(f[3], "premium") && strcmp(f[3], "vip") &&
	    strcmp(f[3], "nomonitor")) {
		diag_set(d, file, lineno, 0, "group: '%s' is not premium, vip "
		    "or nomonitor", f[3]);
		return -1;
	}
	if (customer_flags(f[4], flags) < 0) {
		diag_set(d, file, lineno, 0, "flags: '%s' is not a list of "
		    "temp, group-company, consumer", f[4]);
		return -1;
	}
	return 0;
}

/* Add the customer on line lineno (n fields f, not the header, not
 * blank) to c.  0, or -1 with d filled. */
static int
customer_add(struct config *c, char **f, size_t n, long lineno,
    struct diag *d)
{
	struct conf_customer *cu;
	unsigned flags;
	size_t i;

	if (n > 5) {
		diag_set(d, c->customers_file, lineno, 0,
		    "more than 5 columns");
		return -1;
	}
	for (i = n; i < 5; i++)
		f[i] = "";
	for (i = 0; i < n; i++)
		f[i] = trim(f[i]);
	/* "1234567-1 12 nordea": blanks where TABs belong would make the
	 * whole line one id, and the customer silently unlinked */
	if (strpbrk(f[0], " \t") != NULL) {
		diag_set(d, c->customers_file, lineno, 0, "id '%s' holds a "
		    "blank: the columns are TAB-separated", f[0]);
		return -1;
	}
	if (customer_check(c, f, lineno, &flags, d) < 0)
		return -1;
	c->customers = xrealloc(c->customers, (c->ncustomers + 1) *
	    sizeof *c->customers);
	cu = &c->customers[c->ncustomers++];
	memset(cu, 0, sizeof *cu);
	cu->flags = flags;
	cu->id = business_id_form(f[0]);
	cu->line = lineno;
	cu->code = opt(f[1]);
	cu->factoring = opt(f[2]);
	cu->group = opt(f[3]);
	return 0;
}

/* Sort c's customers by id; an id given twice is an error into e, each
 * time it is repeated. */
static void
customers_sort(struct config *c, struct config_errors *e)
{
	struct diag d;
	size_t i, first = 0;

	if (c->ncustomers < 2)
		return;
	qsort(c->customers, c->ncustomers, sizeof *c->customers,
	    customer_cmp);
	for (i = 1; i < c->ncustomers; i++) {
		if (strcmp(c->customers[first].id, c->customers[i].id) != 0) {
			first = i;
			continue;
		}
		diag_set(&d, c->customers_file, c->customers[i].line, 1,
		    "id: customer '%s' repeated (first on line %ld)",
		    c->customers[i].id, c->customers[first].line);
		errors_add(e, &d);
	}
}

/* Read c->customers_file into c->customers; every error of it into e
 * (a wrong header stops the reading: the columns are not known). */
static void
load_customers(struct config *c, struct config_errors *e)
{
	struct diag d;
	char *data, *pos, *line;
	size_t size, len;
	long lineno = 0;

	if (read_bounded(c->customers_file, CONFIG_MAX_CUSTOMERS_SIZE,
	    "customers file", &data, &size, &d) < 0) {
		errors_add(e, &d);
		return;
	}
	pos = data;
	while ((line = next_line(&pos, data + size, &len)) != NULL) {
		char *f[6];
		size_t n;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			diag_set(&d, c->customers_file, lineno, 0,
			    "NUL byte in customers file");
			errors_add(e, &d);
			if (lineno == 1)
				break;	/* the header unknown */
			continue;
		}
		n = split_tabs(line, f, 5);
		if (lineno == 1 && !customers_header(f, n)) {
			diag_set(&d, c->customers_file, 1, 0, "header must "
			    "be: id, code, factoring, group, flags "
			    "(TAB-separated)");
			errors_add(e, &d);
			break;
		}
		if (lineno == 1 || (n == 1 && *trim(f[0]) == '\0'))
			continue;	/* the header, a blank line */
		if (customer_add(c, f, n, lineno, &d) < 0)
			errors_add(e, &d);
	}
	if (lineno == 0) {
		diag_set(&d, c->customers_file, 0, 0, "empty customers file "
		    "(the header line is required)");
		errors_add(e, &d);
	}
	customers_sort(c, e);
	free(data);
}

/* type = factoring with a setting of kassavirta or op-laskulaina: each
 * into e. */
static void
check_factoring_service(const struct config *c, struct config_errors *e)
{
	struct diag d;

	if (c->service != SERVICE_FACTORING)
		return;
	if (c->financing_rate_line != 0) {
		diag_set(&d, c->path, c->financing_rate_line, 0, "[service] "
		    "financing_rate: a kassavirta setting; factoring cannot be "
		    "combined with kassavirta");
		errors_add(e, &d);
	}
	if (c->b2c_line != 0) {
		diag_set(&d, c->path, c->b2c_line, 0, "[service] b2c: an "
		    "op-laskulaina setting; factoring cannot be combined with "
		    "op-laskulaina");
		errors_add(e, &d);
	}
}

/* The OP contract number's form (seed 002: 8 characters, 00 in front
 * for 20-digit references). */
static int
check_op_contract(const struct config *c, const struct conf_factoring *f,
    struct diag *d)
{
	if (f->financier != FINANCIER_OP || f->contract == NULL)
		return 0;
	if (strlen(f->contract) == 8 || (strlen(f->contract) == 10 &&
	    strncmp(f->contract, "00", 2) == 0))
		return 0;
	diag_set(d, c->path, f->contract_line, 0, "[factoring %s] contract: "
	    "'%s' is not an OP contract number (8 digits, or 00 and 8 digits "
	    "for 20-digit references)", f->name, f->contract);
	return -1;
}

/* Checks that need the whole file. */
/* financier, iban and contract of f, each unless it was given (a value
 * given but wrong has been said already): 0, or -1 with d naming the
 * missing ones. */
static int
missing_factoring_keys(const struct config *c, const struct conf_factoring *f,
    struct diag *d)
{
	static const char *const required[] = { "financier", "iban",
	    "contract" };
	const char *miss[3];
	struct sbuf list = SBUF_INIT;
	size_t i, j, n = 0;

	for (i = 0; i < 3; i++) {
		for (j = 0; strcmp(factoring_keys[j].name, required[i]) != 0;
		    j++)
			;
		if (!(f->given & ((uint64_t)1 << j)))
			miss[n++] = required[i];
	}
	if (n == 0)
		return 0;
	sbuf_add_list(&list, miss, n);
	diag_set(d, c->path, f->line, 0, "[factoring %s]: %s %s required",
	    f->name, list.data, n == 1 ? "is" : "are");
	sbuf_free(&list);
	return -1;
}

/* A factoring account's IBAN is the financier's: money that reaches it
 * is posted to its ledger account (1717).  One that is also the account
 * printed on the company's invoices (the first [company] iban) would
 * post the company's own payments there; the service's or another
 * factoring section's would post one party's money to another's.  (A
 * later [company] iban may name it: its statements are then read as
 * the company's, its payments still the financier's.) */
static int
factoring_iban_taken(const struct config *c, size_t k, struct diag *d)
{
	const struct conf_factoring *f = &c->factoring[k];
	size_t i;

	if (f->iban == NULL)
		return 0;
	if (c->company_niban > 0 && strcmp(c->company_iban[0], f->iban) == 0) {
		diag_set(d, c->path, f->line, 0, "[factoring %s]: iban %s is "
		    "the first [company] iban, the account printed on the "
		    "company's own invoices: the financier's account cannot "
		    "be that one", f->name, f->iban);
		return -1;
	}
	if (c->service_iban != NULL && strcmp(c->service_iban, f->iban) == 0) {
		diag_set(d, c->path, f->line, 0, "[factoring %s]: iban %s is "
		    "[service] iban too", f->name, f->iban);
		return -1;
	}
	for (i = 0; i < k; i++)
		if (c->factoring[i].iban != NULL &&
		    strcmp(c->factoring[i].iban, f->iban) == 0) {
			diag_set(d, c->path, f->line, 0, "[factoring %s]: iban "
			    "%s is [factoring %s]'s too: each factoring "
			    "account has its own", f->name, f->iban,
			    c->factoring[i].name);
			return -1;
		}
	return 0;
}

/* Checks that need the whole file; each error found into e. */
static void
check_whole(struct config *c, struct config_errors *e)
{
	struct diag d;
	size_t i;

	check_factoring_service(c, e);
	/* the service's account is not the company's: payments to it are
	 * the service's (refused, or the virtual statement), so one that
	 * is both would turn the company's own payments away */
	for (i = 0; c->service != SERVICE_NONE && c->service_iban != NULL &&
	    i < c->company_niban; i++)
		if (strcmp(c->company_iban[i], c->service_iban) == 0) {
			diag_set(&d, c->path, c->service_line, 0, "[service] "
			    "iban %s is one of [company] iban: the service's "
			    "account cannot be the company's own%s",
			    c->service_iban, c->service == SERVICE_AMILI ?
			    " (own_account = yes keeps the company's account "
			    "on invoices)" : "");
			errors_add(e, &d);
			break;
		}
	for (i = 0; i < c->nfactoring; i++) {
		struct conf_factoring *f = &c->factoring[i];

		if (f->account[0] == '\0')
			memcpy(f->account, c->accounts.factoring,
			    ACCOUNT_BUFSZ);
		if (c->service == SERVICE_KASSAVIRTA ||
		    c->service == SERVICE_OP_LASKULAINA) {
			diag_set(&d, c->path, f->line, 0, "[factoring %s]: "
			    "factoring cannot be combined with [service] "
			    "type = %s", f->name,
			    config_service_name(c->service));
			errors_add(e, &d);
			continue;
		}
		if (missing_factoring_keys(c, f, &d) < 0)
			errors_add(e, &d);
		if (check_op_contract(c, f, &d) < 0)
			errors_add(e, &d);
		if (factoring_iban_taken(c, i, &d) < 0)
			errors_add(e, &d);
	}
}

/* d[lo..hi) by line, stable (insertion: the list is at most
 * CONFIG_MAX_ERRORS long); a whole-file error, line 0, first. */
static void
errors_sort_range(struct diag *d, size_t lo, size_t hi)
{
	size_t i, j;

	for (i = lo + 1; i < hi; i++) {
		struct diag t = d[i];

		for (j = i; j > lo && d[j - 1].line > t.line; j--)
			;
		if (j != i) {
			memmove(&d[j + 1], &d[j], (i - j) * sizeof t);
			d[j] = t;
		}
	}
}

/* e's errors in the order of the lines they name: the configuration
 * file's first, then the customers table's. */
static void
errors_sort(struct config_errors *e, const char *path)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++)
		if (strncmp(e->d[i].file, path, sizeof e->d[i].file - 1) == 0) {
			struct diag t = e->d[i];

			memmove(&e->d[n + 1], &e->d[n], (i - n) * sizeof t);
			e->d[n++] = t;
		}
	errors_sort_range(e->d, 0, n);
	errors_sort_range(e->d, n, e->n);
}

struct config *
config_defaults(void)
{
	struct config *c = xcalloc(1, sizeof *c);

	set_defaults(c);
	c->path = xstrdup("(defaults)");
	return c;
}

struct config *
config_load(const char *path, struct diag *d)
{
	struct config_errors e;
	struct config *c = config_load_all(path, &e);

	if (c == NULL)
		*d = e.d[0];
	config_errors_free(&e);
	return c;
}

void
config_errors_free(struct config_errors *e)
{
	free(e->d);
	memset(e, 0, sizeof *e);
}

struct config *
config_load_all(const char *path, struct config_errors *e)
{
	struct config *c = xcalloc(1, sizeof *c);
	struct parse p;
	struct diag dd, *d = &dd;
	char *data = NULL, *pos, *line;
	size_t size, len;
	int ok = 0;

	memset(e, 0, sizeof *e);
	c->path = xstrdup(path);
	set_defaults(c);
	memset(&p, 0, sizeof p);
	p.c = c;
	p.file = path;
	p.d = d;
	p.errs = e;
	if (read_bounded(path, CONFIG_MAX_SIZE, "configuration", &data, &size,
	    d) < 0)
		goto out;
	pos = data;
	while ((line = next_line(&pos, data + size, &len)) != NULL) {
		char *s;

		p.line++;
		if (len != strlen(line)) {
			bad(&p, "NUL byte in configuration");
			continue;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		/* an error is kept and the next line read: every error
		 * of the file is said at once */
		if (*s == '[') {
			if (section_line(&p, s) < 0) {
				p.skip = 1;
				p.sec = S_NONE;
			}
		} else
			key_line(&p, s);
	}
	check_whole(c, e);
	/* the customers table only when the file itself is right */
	if (e->count == 0 && c->customers_file) {
		char *full = resolve(path, c->customers_file);

		free(c->customers_file);
		c->customers_file = full;
		load_customers(c, e);
	}
	if (!(p.sections_seen & (1u << S_COMPANY))) {
		diag_set(d, path, 0, 0, "no [company] section (name and "
		    "business_id are required)");
		errors_add(e, d);
	} else if ((c->company_name == NULL && !(p.company_given &
	    key_bit(company_keys, "name"))) || (c->company_business_id ==
	    NULL && !(p.company_given & key_bit(company_keys,
	    "business_id")))) {
		/* (a value given but wrong has been said already) */
		diag_set(d, path, c->company_line, 0, "[company] %s: required",
		    c->company_name == NULL ? "name" : "business_id");
		errors_add(e, d);
	}
	/* settings of a service with no service named would be read and
	 * then never used: the invoices would go out as the company's */
	if (p.service_given != 0 && !(p.service_given & key_bit(service_keys,
	    "type"))) {
		diag_set(d, path, c->service_line, 0, "[service] type: "
		    "required when other [service] keys are given (none, "
		    "factoring, amili, kassavirta or op-laskulaina)");
		errors_add(e, d);
	}
	if (e->count > 0) {
		errors_sort(e, path);
		goto out;
	}
	ok = 1;
out:
	free(data);
	if (!ok) {
		/* the last error came through d alone */
		if (e->count == 0)
			errors_add(e, d);
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->company_name);
	free(c->company_business_id);
	for (i = 0; i < c->company_niban; i++)
		free(c->company_iban[i]);
	free(c->company_iban);
	free(c->company_iban_account);
	free(c->company_bic);
	free(c->company_contact);
	free(c->service_iban);
	free(c->virtual_iban);
	free(c->service_bic);
	free(c->service_name);
	free(c->payer_name);
	free(c->reference_prefix);
	free(c->phone);
	free(c->portal_url);
	free(c->clause_fi);
	free(c->clause_sv);
	free(c->clause_en);
	free(c->identifier_type);
	for (i = 0; i < c->nfactoring; i++) {
		struct conf_factoring *f = &c->factoring[i];

		free(f->name);
		free(f->iban);
		free(f->contract);
		free(f->clause_fi);
		free(f->clause_sv);
		free(f->clause_en);
		free(f->party);
	}
	free(c->factoring);
	free(c->customers_file);
	for (i = 0; i < c->ncustomers; i++) {
		free(c->customers[i].id);
		free(c->customers[i].code);
		free(c->customers[i].factoring);
		free(c->customers[i].group);
	}
	free(c->customers);
	free(c);
}

const struct conf_customer *
config_customer(const struct config *c, const char *id)
{
	struct conf_customer key;
	const struct conf_customer *cu;

	/* no table: customers is NULL, which bsearch must not be given */
	if (c->ncustomers == 0)
		return NULL;
	/* the table keeps a business id in one form (business_id_form):
	 * the id is looked up in that form, FI01120389 as 0112038-9 */
	key.id = business_id_form(id);
	key.line = 0;
	cu = bsearch(&key, c->customers, c->ncustomers,
	    sizeof *c->customers, customer_id_cmp);
	free(key.id);
	return cu;
}

const struct conf_factoring *
config_factoring(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfactoring; i++)
		if (strcmp(c->factoring[i].name, name) == 0)
			return &c->factoring[i];
	return NULL;
}

const struct conf_factoring *
config_factoring_of_iban(const struct config *c, const char *iban)
{
	size_t i;

	for (i = 0; i < c->nfactoring; i++)
		if (strcmp(c->factoring[i].iban, iban) == 0)
			return &c->factoring[i];
	return NULL;
}

const char *
config_bank_account(const struct config *c, const char *iban)
{
	const struct conf_factoring *f = config_factoring_of_iban(c, iban);
	size_t i;

	for (i = 0; i < c->company_niban; i++)
		if (strcmp(c->company_iban[i], iban) == 0 &&
		    c->company_iban_account[i][0] != '\0')
			return c->company_iban_account[i];
	if (f != NULL)
		return f->account;
	if (config_virtual_iban(c) != NULL &&
	    strcmp(config_virtual_iban(c), iban) == 0)
		return c->accounts.virtual_account;
	return c->accounts.bank;
}

int
config_own_account(const struct config *c, const char *iban)
{
	size_t i;

	if (c->company_niban == 0)
		return 1;
	for (i = 0; i < c->company_niban; i++)
		if (strcmp(c->company_iban[i], iban) == 0)
			return 1;
	if (config_factoring_of_iban(c, iban) != NULL)
		return 1;
	if (config_virtual_iban(c) != NULL &&
	    strcmp(config_virtual_iban(c), iban) == 0)
		return 1;
	return c->service_iban != NULL && strcmp(c->service_iban, iban) == 0;
}

const char *
config_virtual_iban(const struct config *c)
{
	if (c->service != SERVICE_OP_LASKULAINA)
		return NULL;
	return c->virtual_iban != NULL ? c->virtual_iban : c->service_iban;
}
