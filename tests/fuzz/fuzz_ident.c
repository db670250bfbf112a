/*
 * fuzz_ident: every function of base/ident.h on the same bytes, with
 * cross-checks between them:
 *  - what a generator makes, the matching validator accepts
 *    (ref_generate, rf_generate, rf_from_ref, iban_from_bban,
 *    bban_from_account);
 *  - conversions go both ways (rf_from_ref / ref_from_rf, match keys);
 *  - outputs are NUL-terminated inside their stated buffer sizes.
 * The input is also copied into an exactly sized heap buffer, so ASan
 * sees any read past the byte range a function was given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A buffer of exactly n bytes with its text NUL-terminated inside. */
static void
terminated(const char *buf, size_t n)
{
	FUZZ_ASSERT(memchr(buf, '\0', n) != NULL);
}

static int
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static void
check_refs(const char *s, size_t n)
{
	char out[REF_BUFSZ], out2[REF_BUFSZ], key1[REF_BUFSZ],
	    key2[REF_BUFSZ];
	int c;

	memset(out, 0x55, sizeof out);
	if (ref_normalise(s, n, out) == 0)
		terminated(out, sizeof out);
	c = ref_check_digit(s, n);
	FUZZ_ASSERT(c >= -1 && c <= 9);
	if (c >= 0)
		FUZZ_ASSERT(n >= 1 && n <= 19 && is_digits(s, n));

	if (ref_generate(s, n, out) == 0) {
		terminated(out, sizeof out);
		FUZZ_ASSERT(ref_validate(out, strlen(out)) == 0);
		FUZZ_ASSERT(rf_from_ref(out, strlen(out), out2) == 0);
		FUZZ_ASSERT(rf_validate(out2, strlen(out2)) == 0);
	}
	if (ref_validate(s, n) == 0) {
		FUZZ_ASSERT(ref_validate_short(s, n) < 0);
		FUZZ_ASSERT(ref_normalise(s, n, out) == 0);
		FUZZ_ASSERT(ref_validate(out, strlen(out)) == 0);
		/* its RF form carries it back, and both match alike */
		FUZZ_ASSERT(rf_from_ref(s, n, out2) == 0);
		terminated(out2, sizeof out2);
		FUZZ_ASSERT(rf_validate(out2, strlen(out2)) == 0);
		FUZZ_ASSERT(ref_from_rf(out2, strlen(out2), key1) == 0);
		FUZZ_ASSERT(strcmp(key1, out) == 0);
		ref_match_key(s, n, key1);
		ref_match_key(out2, strlen(out2), key2);
		FUZZ_ASSERT(strcmp(key1, key2) == 0);
	} else
		FUZZ_ASSERT(rf_from_ref(s, n, out2) < 0);
	if (ref_validate_short(s, n) == 0) {
		FUZZ_ASSERT(ref_normalise(s, n, out) == 0);
		FUZZ_ASSERT(strlen(out) == 2 || strlen(out) == 3);
	}
	if (rf_generate(s, n, out) == 0) {
		terminated(out, sizeof out);
		FUZZ_ASSERT(rf_validate(out, strlen(out)) == 0);
		/* the body is what was given, blanks gone, upper-cased */
		FUZZ_ASSERT(ref_normalise(out, strlen(out), out2) == 0);
		FUZZ_ASSERT(strcmp(out, out2) == 0);
	}
	if (rf_validate(s, n) == 0) {
		FUZZ_ASSERT(ref_normalise(s, n, out) == 0);
		FUZZ_ASSERT(rf_validate(out, strlen(out)) == 0);
		if (ref_from_rf(s, n, out2) == 0) {
			terminated(out2, sizeof out2);
			FUZZ_ASSERT(ref_validate(out2, strlen(out2)) == 0);
		}
	} else
		FUZZ_ASSERT(ref_from_rf(s, n, out2) < 0);
	memset(key1, 0x55, sizeof key1);
	ref_match_key(s, n, key1);
	terminated(key1, sizeof key1);
}

static void
check_accounts(const char *s, size_t n)
{
	char iban[IBAN_BUFSZ], iban2[IBAN_BUFSZ], bban[15], bic[BIC_BUFSZ],
	    bic2[BIC_BUFSZ];

	memset(iban, 0x55, sizeof iban);
	iban_normalise(s, n, iban);
	terminated(iban, sizeof iban);
	if (n >= 2) {
		int len = iban_country_length(s);

		FUZZ_ASSERT(len == 0 || (len >= 15 && len <= 34));
	}
	if (iban_validate(s, n) == 0) {
		iban_normalise(s, n, iban);
		FUZZ_ASSERT(iban_validate(iban, strlen(iban)) == 0);
		FUZZ_ASSERT(strlen(iban) <= 34);
	}
	if (bban_validate(s, n) == 0) {
		FUZZ_ASSERT(n == 14 && is_digits(s, n));
		FUZZ_ASSERT(iban_from_bban(s, n, iban) == 0);
		terminated(iban, sizeof iban);
		FUZZ_ASSERT(strlen(iban) == 18);
		FUZZ_ASSERT(iban_validate(iban, strlen(iban)) == 0);
		FUZZ_ASSERT(memcmp(iban + 4, s, 14) == 0);
		/* the bank is the same whichever form names the account */
		if (bic_from_account(s, n, bic) == 0) {
			terminated(bic, sizeof bic);
			FUZZ_ASSERT(bic_from_account(iban, 18, bic2) == 0);
			FUZZ_ASSERT(strcmp(bic, bic2) == 0);
		} else
			FUZZ_ASSERT(bic_from_account(iban, 18, bic2) < 0);
	} else
		FUZZ_ASSERT(iban_from_bban(s, n, iban2) < 0);
	if (bban_from_account(s, n, bban) == 0) {
		terminated(bban, sizeof bban);
		FUZZ_ASSERT(bban_validate(bban, strlen(bban)) == 0);
		FUZZ_ASSERT(memcmp(bban, s, 6) == 0);
		if (bic_from_account(s, n, bic) == 0) {
			FUZZ_ASSERT(bic_from_account(bban, 14, bic2) == 0);
			FUZZ_ASSERT(strcmp(bic, bic2) == 0);
		}
	}
	memset(bic, 0x55, sizeof bic);
	if (bic_from_account(s, n, bic) == 0)
		terminated(bic, sizeof bic);
}

static void
check_ytunnus(const char *s, size_t n)
{
	char out[YTUNNUS_BUFSZ];

	memset(out, 0x55, sizeof out);
	if (ytunnus_normalise(s, n, out) == 0) {
		terminated(out, sizeof out);
		FUZZ_ASSERT(strlen(out) == 9);
		/* validity does not depend on the form */
		FUZZ_ASSERT((ytunnus_validate(s, n) == 0) ==
		    (ytunnus_validate(out, 9) == 0));
	} else
		FUZZ_ASSERT(ytunnus_validate(s, n) < 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	FUZZ_ASSERT(s != NULL);
	memcpy(s, data, size);
	check_refs(s, size);
	check_accounts(s, size);
	check_ytunnus(s, size);
	free(s);
	return 0;
}
