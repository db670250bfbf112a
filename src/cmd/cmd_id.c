/*
 * cmd_id: `reskontra id VALUE...` checks and converts references, RF
 * references, IBANs, BBANs, old-format account numbers and business ids,
 * one `id` record per value (formats/records.md).  An operator's tool:
 * nothing else in the data flow reads its output.
 *
 * The kind of a value is guessed from its shape alone (man page
 * reskontra-id(1) has the order); the checks are base/ident.c's.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/exitcode.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/record.h"
#include "cmd/cmd.h"

static const char usage[] =
    "usage: reskontra id [VALUE | -]...\n"
    "\n"
    "Check and convert Finnish references (national and RF), IBANs,\n"
    "14-digit BBANs, old-format account numbers (123456-785) and business\n"
    "ids.  Writes one `id` record per value: value, kind, valid, normal\n"
    "form, RF form, national reference, IBAN, BIC.  Without VALUEs, or\n"
    "for `-`, values are read from standard input, one per line.\n"
    "\n"
    "Exit status: 0 all valid, 1 some value invalid, 2 usage, 3 I/O error.\n";

struct idrun {
	struct recout out;
	long nvalues;
	int ninvalid;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* n digits at s. */
static int
digits_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* Hyphen position of "DDDDDDD-D" style text: digits, one hyphen, digits.
 * Returns the hyphen's index, or -1. */
static long
hyphen_split(const char *s, size_t n)
{
	const char *h;

	h = memchr(s, '-', n);
	if (h == NULL)
		return -1;
	if (!digits_at(s, (size_t)(h - s)) ||
	    !digits_at(h + 1, n - (size_t)(h - s) - 1))
		return -1;
	return (long)(h - s);
}

enum kind { K_REF, K_RF, K_IBAN, K_BBAN, K_ACCOUNT, K_BUSINESS_ID, K_UNKNOWN };

static const char *const kind_names[] = {
	"ref", "rf", "iban", "bban", "account", "business-id", "unknown"
};

/*
 * The kind by shape, first match wins.  A 14-digit number is taken for a
 * BBAN only if it starts with a bank group (1-9) and its Luhn digit is
 * right; otherwise digits are a reference.
 */
static enum kind
guess_kind(const char *s, size_t n)
{
	long h;
	size_t i;
	int seen_digit = 0;

	if (n >= 2 && (s[0] == 'R' || s[0] == 'r') &&
	    (s[1] == 'F' || s[1] == 'f'))
		return K_RF;
	if (n >= 4 && is_letter(s[0]) && is_letter(s[1]) && is_digit(s[2]) &&
	    is_digit(s[3]))
		return K_IBAN;
	h = hyphen_split(s, n);
	if ((h == 7 || h == 6) && n == (size_t)h + 2)
		return K_BUSINESS_ID;
	if (h == 6 && n >= 9 && n <= 15)
		return K_ACCOUNT;
	if (n == 14 && s[0] != '0' && bban_validate(s, n) == 0)
		return K_BBAN;
	for (i = 0; i < n; i++) {
		if (is_digit(s[i]))
			seen_digit = 1;
		else if (s[i] != ' ' && s[i] != '\t')
			return K_UNKNOWN;
	}
	return seen_digit ? K_REF : K_UNKNOWN;
}

/* Upper-case alphanumerics (after iban_normalise) of a plausible length:
 * then the normal form is worth showing even for an invalid IBAN. */
static int
iban_showable(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 5 || n > 34)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'A' && s[i] <= 'Z'))
			return 0;
	return 1;
}

/* Write one `id` record for value v[0..n) (surrounding blanks are part
 * of the value as given, not of what is checked). */
static void
check_value(struct idrun *run, const char *v, size_t n)
{
	char normal[REF_BUFSZ + IBAN_BUFSZ] = "", rf[REF_BUFSZ] = "";
	char national[REF_BUFSZ] = "", iban[IBAN_BUFSZ] = "";
	char bic[BIC_BUFSZ] = "", bban[15];
	const char *s = v;
	size_t len = n;
	enum kind kind;
	int valid = 0;

	while (len > 0 && is_blank(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	kind = guess_kind(s, len);
	switch (kind) {
	case K_REF:
		valid = ref_validate(s, len) == 0;
		(void)ref_normalise(s, len, normal);
		if (valid)
			(void)rf_from_ref(s, len, rf);
		break;
	case K_RF:
		valid = rf_validate(s, len) == 0;
		if (ref_normalise(s, len, normal) < 0)
			normal[0] = '\0';
		if (valid)
			(void)ref_from_rf(s, len, national);
		break;
	case K_IBAN:
		valid = iban_validate(s, len) == 0;
		iban_normalise(s, len, normal);
		if (!iban_showable(normal))
			normal[0] = '\0';
		if (valid)
			(void)bic_from_account(s, len, bic);
		break;
	case K_BBAN:
		valid = 1;
		memcpy(normal, s, 14);
		normal[14] = '\0';
		(void)iban_from_bban(s, len, iban);
		(void)bic_from_account(s, len, bic);
		/* Also a valid national reference?  Say so through the
		 * reference columns rather than guess which was meant. */
		if (rf_from_ref(s, len, rf) == 0)
			(void)ref_normalise(s, len, national);
		break;
	case K_ACCOUNT:
		valid = bban_from_account(s, len, bban) == 0;
		if (valid) {
			memcpy(normal, bban, 15);
			(void)iban_from_bban(bban, 14, iban);
			(void)bic_from_account(bban, 14, bic);
		}
		break;
	case K_BUSINESS_ID:
		valid = ytunnus_validate(s, len) == 0;
		(void)ytunnus_normalise(s, len, normal);
		break;
	case K_UNKNOWN:
		break;
	}
	if (run->nvalues++ == 0)
		rec_header(&run->out);
	rec_begin(&run->out, "id");
	rec_strn(&run->out, v, n);
	rec_str(&run->out, kind_names[kind]);
	rec_str(&run->out, valid ? "1" : "0");
	rec_str(&run->out, normal);
	rec_str(&run->out, rf);
	rec_str(&run->out, national);
	rec_str(&run->out, iban);
	rec_str(&run->out, bic);
	rec_end(&run->out);
	if (!valid)
		run->ninvalid++;
}

/* Values from standard input, one per line; empty lines are skipped.
 * A value with a NUL byte cannot be written into a record as it is, so
 * its NULs are shown as '?' (it is never valid anyway). */
static int
read_stdin(struct idrun *run)
{
	struct input *in;
	struct diag d;
	char *line;
	size_t len, i;
	int rc, ret = 0;

	in = input_open("-", &d);
	if (in == NULL) {
		diag_print(stderr, &d);
		return -1;
	}
	while ((rc = input_getline(in, &line, &len, &d)) == 1) {
		for (i = 0; i < len && is_blank(line[i]); i++)
			;
		if (i == len)
			continue;
		for (i = 0; i < len; i++)
			if (line[i] == '\0')
				line[i] = '?';
		check_value(run, line, len);
	}
	if (rc < 0) {
		diag_print(stderr, &d);
		ret = -1;
	}
	input_close(in);
	return ret;
}

int
cmd_id(int argc, char **argv)
{
	struct idrun run;
	int i, nargs = 0, options = 1;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if (options && argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_error(argv[0], "unknown option '%s'",
			    argv[i]);
		nargs++;
	}
	if (nargs == 0 && isatty(STDIN_FILENO))
		return usage_error(argv[0], "no values given");

	memset(&run, 0, sizeof run);
	rec_out_init(&run.out, stdout);
	if (nargs == 0) {
		if (read_stdin(&run) < 0)
			return finish_stdout(EXIT_SYSTEM);
	}
	options = 1;
	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if (options && strcmp(argv[i], "-") == 0) {
			if (read_stdin(&run) < 0)
				return finish_stdout(EXIT_SYSTEM);
			continue;
		}
		check_value(&run, argv[i], strlen(argv[i]));
	}
	if (run.nvalues == 0)
		return usage_error(argv[0], "no values given");
	return finish_stdout(run.ninvalid > 0 ? EXIT_REJECTED : EXIT_OK);
}
