/*
 * ident: Finnish payment identifiers (facts: reference/ktl.md section 9).
 *
 *  - national reference (viitenumero): 4-20 digits, 7-3-1 check digit;
 *  - RF creditor reference (ISO 11649), mod 97;
 *  - IBAN (any country, mod 97), Finnish BBAN (14 digits, Luhn), the old
 *    account format "123456-785", BIC from the Finnish bank code;
 *  - business id (Y-tunnus) "1234567-8".
 *
 * All functions are pure: input is a byte range (never assumed
 * NUL-terminated), output goes to a caller's buffer of the stated size and
 * is always NUL-terminated on success.  Return 0 for yes/ok, -1 for no.
 */
#ifndef RESKONTRA_IDENT_H
#define RESKONTRA_IDENT_H

#include <stddef.h>

#define REF_BUFSZ 40		/* room for any normalised reference */
#define IBAN_BUFSZ 40
#define BIC_BUFSZ 12

/* Normal form of a reference as the records write it (DESIGN.md):
 * national references without spaces or leading zeros; RF references
 * upper case without spaces.  Blanks inside are dropped.  An all-zero or
 * empty reference normalises to "" (not given).  Returns 0, or -1 if the
 * text is neither digits nor an RF-looking string (then out holds the text
 * upper-cased without blanks, so it can still be reported). */
int ref_normalise(const char *s, size_t n, char out[REF_BUFSZ]);

/* 7-3-1 check digit of a base of 3-19 digits; -1 if not digits. */
int ref_check_digit(const char *base, size_t n);

/* Valid national reference: 4-20 digits after dropping blanks and leading
 * zeros, correct check digit.  0 valid, -1 not. */
int ref_validate(const char *s, size_t n);

/* base (3-19 digits) + check digit into out. 0 or -1. */
int ref_generate(const char *base, size_t n, char out[REF_BUFSZ]);

/* RF reference: "RF" + 2 check digits + 1-21 alphanumerics (blanks ignored,
 * case-insensitive), mod 97 == 1.  0 valid, -1 not. */
int rf_validate(const char *s, size_t n);

/* RF reference for a body of 1-21 alphanumerics (e.g. a national
 * reference including its own check digit, leading zeros dropped). */
int rf_generate(const char *body, size_t n, char out[REF_BUFSZ]);

/* National reference whose body an RF carries: the RF must be valid and
 * its body all digits passing the 7-3-1 check.  0 or -1. */
int ref_from_rf(const char *rf, size_t n, char out[REF_BUFSZ]);

/* The key two references match on: the national form if either is an RF
 * whose body is a valid national reference, else the normal form.
 * Makes "RF951357914" and "1357914" compare equal. */
void ref_match_key(const char *s, size_t n, char out[REF_BUFSZ]);

/* IBAN of any country: 2 letters, 2 digits, up to 30 alphanumerics, the
 * registry length for countries we know (FI/AX 18), mod 97 == 1.  Blanks
 * ignored, case-insensitive.  0 or -1. */
int iban_validate(const char *s, size_t n);

/* Upper-case, blanks removed (no validation). */
void iban_normalise(const char *s, size_t n, char out[IBAN_BUFSZ]);

/* FI IBAN of a 14-digit BBAN (checked). 0 or -1. */
int iban_from_bban(const char *bban, size_t n, char out[IBAN_BUFSZ]);

/* 14-digit BBAN: digits only, Luhn check digit right.  0 or -1. */
int bban_validate(const char *s, size_t n);

/* Old account format "123456-785" (6 digits, hyphen, 2-8 digits) to the
 * 14-digit BBAN; the check digit is verified.  0 or -1. */
int bban_from_account(const char *s, size_t n, char out[15]);

/* BIC of a Finnish (FI or AX) IBAN or a 14-digit BBAN, by the bank-code
 * table (longest prefix).  0 or -1 if unknown. */
int bic_from_account(const char *s, size_t n, char out[BIC_BUFSZ]);

/* Business id "1234567-8" (a 6-digit body may be written with a missing
 * leading zero: "737546-2").  0 valid or -1. */
int ytunnus_validate(const char *s, size_t n);

#endif
