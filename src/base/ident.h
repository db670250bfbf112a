/*
 * ident: Finnish payment identifiers (facts: reference/ktl.md section 9).
 *
 *  - national reference (viitenumero): 4-20 digits, 7-3-1 check digit;
 *  - RF creditor reference (ISO 11649), mod 97;
 *  - IBAN (any country, mod 97), Finnish BBAN (14 digits, Luhn), the old
 *    account format "123456-785", BIC from the Finnish bank code;
 *  - business id (Y-tunnus) "1234567-8".
 *
 * Readers use these to check and normalise what the banks send; routing
 * and rewriting use them to build the references and accounts they write;
 * `reskontra id` shows them to an operator.
 *
 * All functions are pure: input is a byte range (never assumed
 * NUL-terminated, any length, any bytes), output goes to a caller's buffer
 * of the stated size and is always NUL-terminated on success.  Return 0
 * for yes/ok, -1 for no.  "Blanks" are space and TAB.  Letters are ASCII
 * only: a byte outside ASCII never makes anything valid.
 */
#ifndef RESKONTRA_IDENT_H
#define RESKONTRA_IDENT_H

#include <stddef.h>

#define REF_BUFSZ 40		/* room for any normalised reference */
#define IBAN_BUFSZ 40
#define BIC_BUFSZ 12
#define YTUNNUS_BUFSZ 10	/* "1234567-8" */

/* Normal form of a reference as the records write it (DESIGN.md):
 * national references without spaces or leading zeros; RF references
 * upper case without spaces (an RF body keeps its zeros).  Blanks inside
 * are dropped.  An all-zero or empty reference normalises to "" (not
 * given).  No check digit is verified.  Returns 0, or -1 if the text is
 * neither digits nor an RF-looking string ("RF" and alphanumerics), or
 * does not fit REF_BUFSZ (then out holds the text upper-cased without
 * blanks, cut to fit, so it can still be reported). */
int ref_normalise(const char *s, size_t n, char out[REF_BUFSZ]);

/* 7-3-1 check digit (0-9) of a base of 1-19 digits (a base shorter than
 * 3 digits only makes sense for the short references some banks accept,
 * see ref_validate_short); -1 if not digits or the length is outside. */
int ref_check_digit(const char *base, size_t n);

/* Valid national reference: 4-20 digits after dropping blanks and leading
 * zeros, correct check digit.  0 valid, -1 not. */
int ref_validate(const char *s, size_t n);

/* A reference too short for ref_validate, 2 or 3 digits after dropping
 * blanks and leading zeros, with a right check digit ("13").  Some banks
 * accept these; readers keep them with the short-reference warning.
 * 0 if so, -1 if not (also for a reference of normal length). */
int ref_validate_short(const char *s, size_t n);

/* base (3-19 digits after dropping leading zeros) + check digit into out,
 * in normal form.  0 or -1. */
int ref_generate(const char *base, size_t n, char out[REF_BUFSZ]);

/* RF reference: "RF" + 2 check digits + 1-21 alphanumerics (blanks ignored,
 * case-insensitive), mod 97 == 1.  Check digits 00, 01 and 99 are never
 * issued (ISO 7064 MOD 97-10 gives 02-98) and are refused.  0 valid, -1 not. */
int rf_validate(const char *s, size_t n);

/* RF reference for a body of 1-21 alphanumerics (blanks dropped, upper
 * cased, zeros kept: to make the RF of a national reference pass its
 * normal form, or use rf_from_ref).  0 or -1. */
int rf_generate(const char *body, size_t n, char out[REF_BUFSZ]);

/* RF form of a valid national reference: the body is the whole reference
 * including its check digit, leading zeros dropped ("1357914" ->
 * "RF951357914").  0, or -1 if s is not a valid national reference. */
int rf_from_ref(const char *s, size_t n, char out[REF_BUFSZ]);

/* National reference whose body an RF carries: the RF must be valid and
 * its body all digits that, leading zeros dropped, pass ref_validate.
 * out gets the national normal form.  0 or -1. */
int ref_from_rf(const char *rf, size_t n, char out[REF_BUFSZ]);

/* The key two references match on: the national form if either is an RF
 * whose body is a valid national reference, else the normal form (or, for
 * text that is no reference at all, what ref_normalise leaves in out).
 * Makes "RF951357914" and "1357914" compare equal. */
void ref_match_key(const char *s, size_t n, char out[REF_BUFSZ]);

/* IBAN of any country: 2 letters, 2 digits (02-98), 1-30 alphanumerics,
 * the registry length for countries we know (FI/AX 18), mod 97 == 1.
 * Blanks ignored, case-insensitive.  A country missing from the length
 * table is checked by mod 97 alone.  0 or -1. */
int iban_validate(const char *s, size_t n);

/* Upper-case, blanks removed (no validation); cut to fit IBAN_BUFSZ. */
void iban_normalise(const char *s, size_t n, char out[IBAN_BUFSZ]);

/* Registry length of IBANs of a country ("FI" -> 18), 0 if not known. */
int iban_country_length(const char cc[2]);

/* FI IBAN of a 14-digit BBAN (checked). 0 or -1.  (Åland accounts have the
 * same BBAN; nothing in it says AX, so FI is what we can give.) */
int iban_from_bban(const char *bban, size_t n, char out[IBAN_BUFSZ]);

/* 14-digit BBAN: exactly 14 digits, no blanks, Luhn check digit right.
 * 0 or -1. */
int bban_validate(const char *s, size_t n);

/* Old account format "123456-785" (6 digits, hyphen, 2-8 digits, no
 * blanks) to the 14-digit BBAN: for bank groups 4 and 5 the zeros go
 * after the first digit past the hyphen, for the others right after the
 * hyphen.  The check digit is verified.  0 or -1. */
int bban_from_account(const char *s, size_t n, char out[15]);

/* An account as a file gives it without IBAN (camt Acct/Id/Othr/Id):
 * a Finnish account number, the old form or 14 digits with their check
 * digit right, becomes its IBAN in id; anything else is left as it is. */
void account_as_iban(char id[IBAN_BUFSZ]);

/* BIC of a valid Finnish (FI or AX) IBAN, a 14-digit BBAN or an old-format
 * account number, by the bank-code table (longest prefix first).
 * 0, or -1 if the account is not valid or its bank code is not in the
 * table. */
int bic_from_account(const char *s, size_t n, char out[BIC_BUFSZ]);

/* Business id "1234567-8" (a 6-digit body may be written with a missing
 * leading zero: "737546-2").  0 valid or -1; a body whose remainder is 1
 * is never valid. */
int ytunnus_validate(const char *s, size_t n);

/* The 9-character form "0737546-2" of a business id of the right shape
 * (the check digit is not verified).  0, or -1 if the shape is wrong. */
int ytunnus_normalise(const char *s, size_t n, char out[YTUNNUS_BUFSZ]);

/* The same for a NUL-terminated id, also given in its VAT number form
 * FI12345678 ("1234567-8"): 0, or -1 for neither shape. */
int ytunnus_normalise_any(const char *s, char out[YTUNNUS_BUFSZ]);

/* 1 when archive id s is one the camt reader made from a payment's place
 * ("ENTRYREF/2", "NTFCTN/1/3": a collective entry's transactions with no
 * archive id of their own, formats/camt.md), not the bank's. */
int archive_id_placed(const char *s);

#endif
