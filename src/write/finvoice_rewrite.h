/*
 * finvoice_rewrite: the corrected Finvoice of a routed invoice (DESIGN.md
 * step 3, spec/services.md section 2, formats/finvoice-rewrite.md).
 *
 * A transmission file is a row of SOAP frames and Finvoice messages that
 * is not one XML document.  base/fvsplit.h cuts it into parts; frame
 * parts are copied through byte for byte, and each message is parsed on
 * its own (xml_parse_safe), changed in the tree by finvoice_rewrite_doc(),
 * and written back by finvoice_serialize() in its own declared encoding,
 * its prolog (XML declaration, stylesheet) copied byte for byte except a
 * DOCTYPE, which is left out, and its line ends (CRLF or LF) kept.  libxml2 writes an unchanged tree back
 * byte-identical for the documents we have seen; the tests check that.
 *
 * What finvoice_rewrite_doc changes, and nothing else:
 *  - payment account: EpiAccountID, EpiBfiIdentifier, EpiNameAddressDetails
 *    (payee) and the first SellerAccountDetails (the others are removed),
 *    when values->iban is given (NULL: the company keeps its own account);
 *  - reference: EpiRemittanceInfoIdentifier and its
 *    IdentificationSchemeName (SPY national, ISO RF), when given;
 *  - VirtualBankBarcode, if present, is rebuilt for the new account and
 *    reference (removed when it cannot be rebuilt);
 *  - transfer clause: FactoringAgreementDetails/FactoringFreeText (lines
 *    of at most 70 characters; the block is created at its schema position
 *    if absent, an existing block's FactoringFreeText lines are replaced;
 *    for factoring, with transmission_list, also its agreement identifier
 *    and TransmissionListIdentifier)
 *    and InvoiceFreeText (pieces of at most 512 characters);
 *  - a free-text line (portal URL and login code) as InvoiceFreeText;
 *  - the invoice image link (an InvoiceUrlNameText/InvoiceUrlText pair
 *    naming the invoice image) is removed; other links are kept.
 *
 * Ownership: the caller owns the document and every buffer.
 */
#ifndef RESKONTRA_FINVOICE_REWRITE_H
#define RESKONTRA_FINVOICE_REWRITE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "base/diag.h"
#include "base/util.h"

struct rewrite_values {
	const char *iban;	/* service account; NULL: keep own account */
	const char *bic;	/* with iban; NULL: the BIC is removed */
	const char *payee;	/* EpiNameAddressDetails with iban (<=35) */
	const char *reference;	/* NULL: keep the reference */
	const char *agreement;	/* FactoringAgreementIdentifier (<=35) */
	const char *party;	/* FactoringPartyName or NULL (<=35) */
	const char *clause;	/* transfer clause, UTF-8, or NULL */
	const char *free_text;	/* portal/login line, UTF-8, or NULL */
	int drop_image;		/* remove the invoice image link */
	/* factoring: TransmissionListIdentifier (the batch number) or
	 * NULL; when given, an existing block's FactoringAgreementIdentifier
	 * and TransmissionListIdentifier are set too */
	const char *transmission_list;
};

/* Apply values to a parsed Finvoice document.  0, or -1 with d set when
 * the document lacks what must be changed (no EpiDetails, no
 * InvoiceDetails, no InvoiceRow); the document may then be half changed
 * and must not be written. */
int finvoice_rewrite_doc(xmlDocPtr doc, const struct rewrite_values *v,
    struct diag *d);

/* Write doc back as the message msg[0..len) it was parsed from: the
 * bytes before the root element (less a DOCTYPE declaration and its line
 * end) and after it are copied, the root is
 * serialised in the declared encoding (UTF-8 if none), LF becomes CRLF
 * when msg's lines end in CRLF.  Appends to out; 0 or -1 with d. */
int finvoice_serialize(xmlDocPtr doc, const char *msg, size_t len,
    struct sbuf *out, struct diag *d);

/* Parse one message, rewrite it, serialise it (the three steps above). */
/*
 * A skeleton of a message: the message with each top-level element of
 * the root that the rewrite neither reads nor changes (the rows, the
 * parties, ...) replaced by an empty element of its name.  Its tree is
 * rewritten as the whole message's would be, at a fraction of the cost,
 * and written back with the original bytes of those elements.  Use it
 * only for a message whose whole text has been parsed already (it is not
 * checked here).
 *
 * fvskel_parse() gives the skeleton's tree, or NULL when the message has
 * nothing to leave out or does not make one (parse the whole message
 * then).  fvskel_serialize() is finvoice_serialize() of that tree; it
 * returns 1 when a placeholder was given content (rewrite the whole
 * message then).  The tree is of the skeleton sk made and of msg: both
 * stay unchanged while it is used.
 */
struct fvskel;
struct fvskel *fvskel_new(void);
void fvskel_free(struct fvskel *sk);
xmlDocPtr fvskel_parse(struct fvskel *sk, const char *msg, size_t len,
    const char *name, long first_line);
int fvskel_serialize(const struct fvskel *sk, xmlDocPtr doc,
    const char *msg, size_t len, struct sbuf *out, struct diag *d);

int finvoice_rewrite_message(const char *msg, size_t len, const char *name,
    long first_line, const struct rewrite_values *v, struct sbuf *out,
    struct diag *d);

/* Break UTF-8 text into lines of at most max characters at blanks (a
 * longer word is cut), calling fn for each line (not NUL-terminated).
 * Runs of blanks and line breaks count as one space. */
void finvoice_wrap(const char *text, size_t max,
    void (*fn)(void *arg, const char *line, size_t n), void *arg);

#endif
