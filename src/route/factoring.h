/*
 * factoring: the rules of a factoring invoice (spec/services.md section
 * 3, formats/factoring.md), as pure functions of their arguments.
 *
 * The router (route/router.c) asks factoring_check() whether an invoice
 * of a customer linked to a factoring account can be sent as a factoring
 * invoice, and factoring_reference() for the reference printed on it;
 * the rewrite (write/finvoice_route.c) takes the transfer clause from
 * factoring_clause().  Nothing here reads the ledger, the clock or a
 * file.
 *
 * Ownership: callers own every buffer; strings are only read during the
 * call.
 */
#ifndef RESKONTRA_FACTORING_H
#define RESKONTRA_FACTORING_H

#include <stddef.h>

#include "base/config.h"
#include "base/ident.h"
#include "base/util.h"

/* Rejection codes of a factoring invoice (the product's own, 50-59). */
#define FACTORING_E_INVOICE_NO	50	/* invoice number not 1-8 characters */
#define FACTORING_E_STREET	51	/* street not longer than 2 */
#define FACTORING_E_POST_CODE	52	/* post code not longer than 2 */
#define FACTORING_E_TOWN	53	/* town shorter than 2 */
#define FACTORING_E_REFERENCE	54	/* no factoring reference possible */

/* Width the invoice number's digits are padded to in a reference. */
#define FACTORING_OP_WIDTH	9
#define FACTORING_WIDTH		8

/* The checks of seed 002 on an invoice number and a billing address
 * (characters, not bytes, of UTF-8 text; NULL is empty): 0, or the code
 * above with the message naming the field in why (size bytes). */
int factoring_check(const char *invoice_no, const char *street,
    const char *post_code, const char *town, char *why, size_t size);

/*
 * The reference of a factoring invoice: the contract number, the invoice
 * number (digits only) padded with zeros on the left to FACTORING_WIDTH
 * (OP: FACTORING_OP_WIDTH), and the 7-3-1 check digit.  printed is the
 * form written on the invoice and in the notice (an OP contract written
 * with its 00 prefix keeps the zeros: 20 digits instead of 18); normal
 * is the form the records and the ledger use (leading zeros dropped).
 * (config_load() has checked the OP contract's form.)
 * For nordea, guida and other the padding shrinks when the contract is
 * long, so that the reference stays within 20 digits.  0, or
 * FACTORING_E_REFERENCE with why when the invoice number is not digits
 * or the two do not fit 20 digits.
 */
int factoring_reference(enum financier fin, const char *contract,
    const char *invoice_no, char printed[REF_BUFSZ], char normal[REF_BUFSZ],
    char *why, size_t size);

/* The transfer clause of account f for the recipient language lang
 * ("fi", "sv", "en"): the configured one in that language, else the
 * Finnish one, else the built-in text of that language with the party
 * name filled in.  Appends to out (reset first). */
void factoring_clause(const struct conf_factoring *f, const char *lang,
    const struct config *c, struct sbuf *out);

/* The name printed for account f: its name key, or the section's NAME. */
const char *factoring_party(const struct conf_factoring *f);

/* Whether the financier gets a factoring notice and a transfer list
 * (nordea, op, guida; not other). */
int factoring_financier_supported(enum financier fin);

#endif
