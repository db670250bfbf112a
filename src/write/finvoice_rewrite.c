/*
 * finvoice_rewrite: rewriting a routed invoice's Finvoice message for the
 * service.  See finvoice_rewrite.h for what changes and
 * formats/finvoice-rewrite.md for where in the document.
 *
 * The tree is edited in place.  New elements are put at their schema
 * position (reference/finvoice.md) and indented like their neighbours
 * when the document is indented at all, so a diff of input and output
 * shows only the changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "base/ident.h"
#include "base/xmledit.h"
#include "base/xmlsafe.h"
#include "write/finvoice_rewrite.h"

#define X(s) ((const xmlChar *)(s))

/* ---- scanning a message ---- */

static int
starts(const char *p, size_t n, size_t pos, const char *s)
{
	size_t k = strlen(s);

	return pos <= n && n - pos >= k && memcmp(p + pos, s, k) == 0;
}

/* Position just after the first `s` at or after pos, or 0 if none. */
static size_t
past(const char *p, size_t n, size_t pos, const char *s)
{
	size_t k = strlen(s);

	for (; pos < n && n - pos >= k; pos++)
		if (p[pos] == s[0] && memcmp(p + pos, s, k) == 0)
			return pos + k;
	return 0;
}

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Position just after the DOCTYPE declaration at pos ("<!"), or 0 if it
 * does not end.  Its internal subset may hold '>' in quoted literals,
 * comments and processing instructions.
 */
static size_t
past_doctype(const char *p, size_t n, size_t pos)
{
	size_t q, e;
	int sq = 0, quote = 0;

	for (q = pos + 2; q < n; q++) {
		if (quote) {
			if (p[q] == quote)
				quote = 0;
		} else if (p[q] == '"' || p[q] == '\'')
			quote = p[q];
		else if (sq > 0 && (starts(p, n, q, "<!--") ||
		    starts(p, n, q, "<?"))) {
			e = p[q + 1] == '!' ? past(p, n, q + 4, "-->") :
			    past(p, n, q + 2, "?>");
			if (e == 0)
				return 0;
			q = e - 1;
		} else if (p[q] == '[')
			sq++;
		else if (p[q] == ']' && sq > 0)
			sq--;
		else if (p[q] == '>' && sq == 0)
			return q + 1;
	}
	return 0;
}

#define NO_POS ((size_t)-1)

/* From pos (after blanks): the prolog's markup (XML declaration, PIs,
 * comments, a DOCTYPE) and the blanks between.  Where the root element
 * should start, or NO_POS when a piece does not end. */
static size_t
skip_prolog(const char *p, size_t n, size_t pos)
{
	size_t e;

	for (;;) {
		while (pos < n && blank((unsigned char)p[pos]))
			pos++;
		if (starts(p, n, pos, "<?"))
			e = past(p, n, pos + 2, "?>");
		else if (starts(p, n, pos, "<!--"))
			e = past(p, n, pos + 4, "-->");
		else if (starts(p, n, pos, "<!"))
			e = past_doctype(p, n, pos);
		else
			return pos;
		if (e == 0)
			return NO_POS;
		pos = e;
	}
}

/* End of the start tag at pos (quoted '>' skipped), 0 if it does not
 * end; *empty says it was "<x/>". */
static size_t
past_start_tag(const char *p, size_t n, size_t pos, int *empty)
{
	size_t q;
	int quote = 0;

	for (q = pos + 1; q < n; q++) {
		if (quote) {
			if (p[q] == quote)
				quote = 0;
		} else if (p[q] == '"' || p[q] == '\'')
			quote = p[q];
		else if (p[q] == '>') {
			*empty = p[q - 1] == '/';
			return q + 1;
		}
	}
	return 0;
}

/* The end of the comment, CDATA section or processing instruction at
 * pos, 0 when it does not end, NO_POS when pos starts none of them. */
static size_t
past_markup(const char *p, size_t n, size_t pos)
{
	if (starts(p, n, pos, "<!--"))
		return past(p, n, pos + 4, "-->");
	if (starts(p, n, pos, "<![CDATA["))
		return past(p, n, pos + 9, "]]>");
	if (starts(p, n, pos, "<?"))
		return past(p, n, pos + 2, "?>");
	return NO_POS;
}

/* The element that starts at pos: its end, or 0 when it does not end
 * (*rend is then where it broke). */
static size_t
past_element(const char *p, size_t n, size_t pos, size_t *rend)
{
	size_t e;
	int depth = 0, empty;

	while (pos < n) {
		*rend = pos;
		if (p[pos] != '<') {
			const char *lt = memchr(p + pos, '<', n - pos);

			if (lt == NULL)
				return 0;
			pos = (size_t)(lt - p);
			continue;
		}
		if ((e = past_markup(p, n, pos)) != NO_POS)
			;
		else if (starts(p, n, pos, "</")) {
			e = past(p, n, pos + 2, ">");
			if (e != 0 && --depth == 0)
				return e;
		} else {
			if ((e = past_start_tag(p, n, pos, &empty)) == 0)
				return 0;
			if (!empty)
				depth++;
			else if (depth == 0)
				return e;
		}
		if (e == 0)
			return 0;
		pos = e;
	}
	return 0;
}

/*
 * One message's bytes (fvsplit.h cut them from the file) from pos:
 * blanks, then a prolog and one root element.  *pstart is where the
 * prolog starts (after the blanks), *rstart and *rend the root element's
 * bytes.  Returns 0, 1 when only blanks are left, -1 when the bytes are
 * not that (*rend is then where it broke).
 */
static int
scan_root(const char *p, size_t n, size_t pos, size_t *pstart,
    size_t *rstart, size_t *rend, char *name, size_t namesz)
{
	size_t q, k, e;

	while (pos < n && blank((unsigned char)p[pos]))
		pos++;
	*pstart = pos;
	*rend = pos;
	if (pos >= n)
		return 1;
	/* a bare message without an XML declaration starts at 0 */
	if ((pos = skip_prolog(p, n, pos)) == NO_POS || pos >= n ||
	    p[pos] != '<')
		return -1;
	*rstart = pos;
	for (k = 0, q = pos + 1; q < n && !blank((unsigned char)p[q]) &&
	    p[q] != '/' && p[q] != '>'; q++)
		if (k + 1 < namesz)
			name[k++] = p[q];
	name[k] = '\0';
	if ((e = past_element(p, n, pos, rend)) == 0)
		return -1;
	*rend = e;
	return 0;
}

/* ---- text helpers ---- */

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

void
finvoice_wrap(const char *text, size_t max,
    void (*fn)(void *arg, const char *line, size_t n), void *arg)
{
	struct sbuf line = SBUF_INIT;
	size_t i = 0, ws, wn, cut, linec = 0, wc;

	if (text == NULL || max == 0)
		return;
	while (text[i] != '\0') {
		while (text[i] != '\0' && blank((unsigned char)text[i]))
			i++;
		ws = i;
		while (text[i] != '\0' && !blank((unsigned char)text[i]))
			i++;
		wn = i - ws;
		if (wn == 0)
			break;
		wc = utf8_chars(text + ws, wn);
		if (linec > 0 && linec + 1 + wc <= max) {
			sbuf_addc(&line, ' ');
			sbuf_add(&line, text + ws, wn);
			linec += 1 + wc;
			continue;
		}
		if (linec > 0) {
			fn(arg, line.data, line.len);
			sbuf_reset(&line);
			linec = 0;
		}
		while (wc > max) {
			cut = utf8_prefix(text + ws, wn, max);
			fn(arg, text + ws, cut);
			ws += cut;
			wn -= cut;
			wc -= max;
		}
		sbuf_add(&line, text + ws, wn);
		linec = wc;
	}
	if (linec > 0)
		fn(arg, line.data, line.len);
	sbuf_free(&line);
}

/* s cut to at most max characters, malloc'd. */
static char *
cut_chars(const char *s, size_t max)
{
	size_t n = strlen(s);

	return xstrndup(s, utf8_prefix(s, n, max));
}

/* ---- tree helpers ---- */

static int
is_el(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    xmlStrcmp(n->name, X(name)) == 0;
}

static int
is_blank_text(const xmlNode *n)
{
	const xmlChar *c;

	if (n == NULL || n->type != XML_TEXT_NODE)
		return 0;
	for (c = n->content; c != NULL && *c != '\0'; c++)
		if (!blank(*c))
			return 0;
	return 1;
}

static xmlNode *
first_el(xmlNode *parent)
{
	xmlNode *c;

	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/* First child named one of names (NULL-terminated). */
static xmlNode *
first_of(xmlNode *parent, const char *const *names)
{
	xmlNode *c;
	size_t i;

	for (c = parent->children; c != NULL; c = c->next)
		for (i = 0; names[i] != NULL; i++)
			if (is_el(c, names[i]))
				return c;
	return NULL;
}

static xmlNode *
last_child_named(xmlNode *parent, const char *name)
{
	xmlNode *c, *last = NULL;

	for (c = parent->children; c != NULL; c = c->next)
		if (is_el(c, name))
			last = c;
	return last;
}

static void
set_text(xmlNode *n, const char *s)
{
	xmledit_set_text(n, s);
}

static xmlNode *
new_el(xmlDocPtr doc, const char *name, const char *text)
{
	return xmledit_new(doc, name, text);
}

/* The blanks before node when they are the whole text node. */
static xmlNode *
ws_before(xmlNode *node)
{
	return is_blank_text(node->prev) ? node->prev : NULL;
}

static void
insert_ws_before(xmlNode *at, const xmlNode *ws)
{
	if (ws != NULL)
		xmlAddPrevSibling(at, xmlNewDocText(at->doc, ws->content));
}

/* [ws][ref] -> [ws][new][ws'][ref] */
static void
insert_before(xmlNode *ref, xmlNode *new)
{
	xmlNode *ws = ws_before(ref);

	xmlAddPrevSibling(ref, new);
	insert_ws_before(ref, ws);
}

/* [ws][node] -> [ws][node][ws'][new] */
static void
insert_after(xmlNode *node, xmlNode *new)
{
	xmledit_insert_after(node, new);
}

static void
append_child(xmlNode *parent, xmlNode *new)
{
	xmlNode *c, *last = NULL;

	for (c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			last = c;
	if (last != NULL)
		insert_after(last, new);
	else
		xmlAddChild(parent, new);
}

static void
insert_first(xmlNode *parent, xmlNode *new)
{
	xmlNode *f = first_el(parent);

	if (f != NULL)
		insert_before(f, new);
	else
		xmlAddChild(parent, new);
}

/* Remove node and the blanks that indent it. */
static void
remove_el(xmlNode *node)
{
	xmledit_remove(node);
}

/* Indentation for children of a new block placed where ref is: the
 * last line of the blanks before ref plus two spaces; NULL when the
 * document is not indented there. */
static char *
child_indent(xmlNode *ref, char **own)
{
	xmlNode *ws = ws_before(ref);
	const char *s, *nl;
	char *in;

	*own = NULL;
	if (ws == NULL || (nl = strrchr((const char *)ws->content, '\n')) ==
	    NULL)
		return NULL;
	s = nl;
	*own = xstrdup(s);
	in = xmalloc(strlen(s) + 3);
	strcpy(in, s);
	strcat(in, "  ");
	return in;
}

static void
block_add(xmlNode *block, xmlNode *child, const char *indent)
{
	if (indent != NULL)
		xmlAddChild(block, xmlNewDocText(block->doc, X(indent)));
	xmlAddChild(block, child);
}

/* ---- the changes ---- */

static int
missing(struct diag *d, const char *what)
{
	diag_set(d, "", 0, 0, "cannot rewrite: the message has no %s", what);
	return -1;
}

static void
set_account_block(xmlNode *blk, const struct rewrite_values *v)
{
	xmlNode *id = xml_child(blk, "SellerAccountID");
	xmlNode *bic = xml_child(blk, "SellerBic");
	xmlNode *nm = xml_child(blk, "SellerAccountName");
	char *s;

	if (id != NULL) {
		set_text(id, v->iban);
		xmlSetProp(id, X("IdentificationSchemeName"), X("IBAN"));
	}
	if (bic != NULL && v->bic != NULL) {
		set_text(bic, v->bic);
		xmlSetProp(bic, X("IdentificationSchemeName"), X("BIC"));
	}
	if (nm != NULL && v->payee != NULL) {
		s = cut_chars(v->payee, 70);
		set_text(nm, s);
		free(s);
	}
}

static int
set_account(xmlNode *root, const struct rewrite_values *v, struct diag *d)
{
	xmlNode *epi, *bfi, *ben, *n, *sid, *c, *next;
	char *s;
	int first = 1;

	if ((epi = xml_path(root, "EpiDetails/EpiPartyDetails")) == NULL)
		return missing(d, "EpiDetails/EpiPartyDetails");
	bfi = xml_child(epi, "EpiBfiPartyDetails");
	ben = xml_child(epi, "EpiBeneficiaryPartyDetails");
	if (bfi == NULL || ben == NULL ||
	    xml_child(ben, "EpiAccountID") == NULL)
		return missing(d, "EpiBfiPartyDetails or EpiAccountID");

	n = xml_child(bfi, "EpiBfiIdentifier");
	if (v->bic != NULL) {
		if (n == NULL) {
			n = new_el(root->doc, "EpiBfiIdentifier", NULL);
			insert_first(bfi, n);
		}
		set_text(n, v->bic);
		xmlSetProp(n, X("IdentificationSchemeName"), X("BIC"));
	} else if (n != NULL)
		remove_el(n);

	n = xml_child(ben, "EpiAccountID");
	set_text(n, v->iban);
	xmlSetProp(n, X("IdentificationSchemeName"), X("IBAN"));

	if (v->payee != NULL) {
		s = cut_chars(v->payee, 35);
		if ((n = xml_child(ben, "EpiNameAddressDetails")) == NULL) {
			n = new_el(root->doc, "EpiNameAddressDetails", NULL);
			insert_first(ben, n);
		}
		set_text(n, s);
		free(s);
	}

	/* The seller's account list is what the invoice image prints as
	 * where to pay: only the service's account may stay on it. */
	if ((sid = xml_child(root, "SellerInformationDetails")) != NULL) {
		for (c = sid->children; c != NULL; c = next) {
			next = c->next;
			if (!is_el(c, "SellerAccountDetails"))
				continue;
			if (first) {
				set_account_block(c, v);
				first = 0;
			} else
				remove_el(c);
		}
	}
	return 0;
}

static int
is_rf(const char *ref)
{
	return (ref[0] == 'R' || ref[0] == 'r') &&
	    (ref[1] == 'F' || ref[1] == 'f');
}

static int
set_reference(xmlNode *root, const char *ref, struct diag *d)
{
	xmlNode *pid, *r, *amt;

	pid = xml_path(root, "EpiDetails/EpiPaymentInstructionDetails");
	if (pid == NULL)
		return missing(d, "EpiPaymentInstructionDetails");
	if ((r = xml_child(pid, "EpiRemittanceInfoIdentifier")) == NULL) {
		if ((amt = xml_child(pid, "EpiInstructedAmount")) == NULL)
			return missing(d, "EpiInstructedAmount");
		r = new_el(root->doc, "EpiRemittanceInfoIdentifier", NULL);
		insert_before(amt, r);
	}
	set_text(r, ref);
	xmlSetProp(r, X("IdentificationSchemeName"),
	    X(is_rf(ref) ? "ISO" : "SPY"));
	return 0;
}

/*
 * Virtual bank barcode (pankkiviivakoodi), 54 digits:
 *   version 4: 4, 16 account digits, 6+2 euros and cents, 000,
 *              20-digit reference, YYMMDD
 *   version 5: 5, 16 account digits, 6+2 amount, 2 RF check digits,
 *              21-digit RF body, YYMMDD
 * The amount and due date are kept; account and reference are replaced.
 * Returns 0 with out filled, -1 when it cannot be rebuilt.
 */
static int
rebuild_barcode(const char *old, const char *iban, const char *ref,
    char out[55])
{
	char acct[17];
	size_t i, n;

	if (strlen(old) != 54 || (old[0] != '4' && old[0] != '5'))
		return -1;
	for (i = 0; i < 54; i++)
		if (old[i] < '0' || old[i] > '9')
			return -1;
	memcpy(acct, old + 1, 16);
	acct[16] = '\0';
	if (iban != NULL) {
		if (strlen(iban) != 18 || strncmp(iban, "FI", 2) != 0)
			return -1;
		for (i = 2; i < 18; i++)
			if (iban[i] < '0' || iban[i] > '9')
				return -1;
		memcpy(acct, iban + 2, 16);
	}
	if (ref == NULL) {
		memcpy(out, old, 55);
		memcpy(out + 1, acct, 16);
		out[54] = '\0';
		return 0;
	}
	n = strlen(ref);
	if (is_rf(ref)) {
		if (n < 5 || n - 4 > 21)
			return -1;
		for (i = 2; i < n; i++)
			if (ref[i] < '0' || ref[i] > '9')
				return -1;
		out[0] = '5';
		memcpy(out + 1, acct, 16);
		memcpy(out + 17, old + 17, 8);
		memcpy(out + 25, ref + 2, 2);
		memset(out + 27, '0', 21 - (n - 4));
		memcpy(out + 27 + 21 - (n - 4), ref + 4, n - 4);
		memcpy(out + 48, old + 48, 6);
	} else {
		if (n > 20)
			return -1;
		for (i = 0; i < n; i++)
			if (ref[i] < '0' || ref[i] > '9')
				return -1;
		snprintf(out, 55, "4%s%.8s000", acct, old + 17);
		memset(out + 28, '0', 20 - n);
		memcpy(out + 28 + 20 - n, ref, n);
		memcpy(out + 48, old + 48, 6);
	}
	out[54] = '\0';
	return 0;
}

static void
set_barcode(xmlNode *root, const struct rewrite_values *v)
{
	xmlNode *bc = xml_child(root, "VirtualBankBarcode");
	char *old, fresh[55];

	if (bc == NULL || (v->iban == NULL && v->reference == NULL))
		return;
	old = xml_text(bc);
	if (rebuild_barcode(old, v->iban, v->reference, fresh) == 0)
		set_text(bc, fresh);
	else
		remove_el(bc);
	free(old);
}

struct lines {
	xmlDocPtr doc;
	const char *name;
	xmlNode **el;
	size_t n, cap;
};

static void
collect_line(void *arg, const char *s, size_t n)
{
	struct lines *l = arg;
	char *t = xstrndup(s, n);

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->el = xrealloc(l->el, l->cap * sizeof(*l->el));
	}
	l->el[l->n++] = new_el(l->doc, l->name, t);
	free(t);
}

/* Factoring: an existing block gets the agreement identifier and the
 * transmission list (the schema's first two children) of v. */
static void
set_agreement(xmlNode *fad, const struct rewrite_values *v)
{
	xmlNode *id = xml_child(fad, "FactoringAgreementIdentifier");
	xmlNode *tl = xml_child(fad, "TransmissionListIdentifier");
	char *s = cut_chars(v->agreement != NULL ? v->agreement : "", 35);

	if (id == NULL) {
		id = new_el(fad->doc, "FactoringAgreementIdentifier", s);
		insert_first(fad, id);
	} else
		set_text(id, s);
	free(s);
	if (tl != NULL)
		set_text(tl, v->transmission_list);
	else
		insert_after(id, new_el(fad->doc, "TransmissionListIdentifier",
		    v->transmission_list));
}

static int
set_factoring(xmlNode *root, const struct rewrite_values *v, struct diag *d)
{
	static const char *const after_free[] = { "FactoringPartyIdentifier",
	    "FactoringPartyName", "FactoringPartyPostalAddressDetails", NULL };
	static const char *const after_fad[] = { "VirtualBankBarcode",
	    "InvoiceRow", "SpecificationDetails", "EpiDetails", NULL };
	struct lines l = { root->doc, "FactoringFreeText", NULL, 0, 0 };
	xmlNode *fad, *c, *next, *ref;
	char *indent, *own, *s;
	size_t i;

	finvoice_wrap(v->clause, 70, collect_line, &l);
	if ((fad = xml_child(root, "FactoringAgreementDetails")) != NULL) {
		if (v->transmission_list != NULL)
			set_agreement(fad, v);
		for (c = fad->children; c != NULL; c = next) {
			next = c->next;
			if (is_el(c, "FactoringFreeText"))
				remove_el(c);
		}
		ref = first_of(fad, after_free);
		for (i = 0; i < l.n; i++)
			if (ref != NULL)
				insert_before(ref, l.el[i]);
			else
				append_child(fad, l.el[i]);
		free(l.el);
		return 0;
	}
	if ((ref = first_of(root, after_fad)) == NULL) {
		for (i = 0; i < l.n; i++)
			xmlFreeNode(l.el[i]);
		free(l.el);
		return missing(d, "InvoiceRow");
	}
	indent = child_indent(ref, &own);
	fad = new_el(root->doc, "FactoringAgreementDetails", NULL);
	s = cut_chars(v->agreement != NULL ? v->agreement : "", 35);
	block_add(fad, new_el(root->doc, "FactoringAgreementIdentifier", s),
	    indent);
	free(s);
	if (v->transmission_list != NULL)
		block_add(fad, new_el(root->doc, "TransmissionListIdentifier",
		    v->transmission_list), indent);
	for (i = 0; i < l.n; i++)
		block_add(fad, l.el[i], indent);
	if (v->party != NULL) {
		s = cut_chars(v->party, 35);
		block_add(fad, new_el(root->doc, "FactoringPartyName", s),
		    indent);
		free(s);
	}
	if (own != NULL)
		xmlAddChild(fad, xmlNewDocText(root->doc, X(own)));
	insert_before(ref, fad);
	free(indent);
	free(own);
	free(l.el);
	return 0;
}

static int
add_free_text(xmlNode *root, const char *text, struct diag *d)
{
	static const char *const after[] = { "InvoiceVatFreeText",
	    "PaymentTermsDetails", "DiscountDetails", "ChargeDetails",
	    "TenderReference", NULL };
	struct lines l;
	xmlNode *det, *last, *ref;
	size_t i;

	if ((det = xml_child(root, "InvoiceDetails")) == NULL)
		return missing(d, "InvoiceDetails");
	memset(&l, 0, sizeof(l));
	l.doc = root->doc;
	l.name = "InvoiceFreeText";
	finvoice_wrap(text, 512, collect_line, &l);
	last = last_child_named(det, "InvoiceFreeText");
	ref = first_of(det, after);
	for (i = 0; i < l.n; i++) {
		if (last != NULL)
			insert_after(last, l.el[i]);
		else if (ref != NULL)
			insert_before(ref, l.el[i]);
		else
			append_child(det, l.el[i]);
		last = l.el[i];
	}
	free(l.el);
	return 0;
}

/* Names producers give the link to the invoice image (the operators'
 * conversions write PDFFILE). */
static int
is_image_name(const char *s)
{
	static const char *const names[] = { "PDF", "PDFFILE", "IMAGE",
	    "INVOICEIMAGE", "INVOICE IMAGE", "INVOICE_IMAGE", "LASKUNKUVA",
	    "LASKUN KUVA", "LASKUKUVA", "FAKTURABILD", NULL };
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcasecmp(s, names[i]) == 0)
			return 1;
	return 0;
}

static void
drop_image(xmlNode *root)
{
	xmlNode *c, **names = NULL, **urls = NULL;
	size_t nn = 0, nu = 0, i;
	char *t;

	for (c = root->children; c != NULL; c = c->next)
		if (is_el(c, "InvoiceUrlNameText"))
			nn++;
		else if (is_el(c, "InvoiceUrlText"))
			nu++;
	if (nn == 0)
		return;
	names = xcalloc(nn, sizeof(*names));
	urls = xcalloc(nu + 1, sizeof(*urls));
	nn = nu = 0;
	for (c = root->children; c != NULL; c = c->next)
		if (is_el(c, "InvoiceUrlNameText"))
			names[nn++] = c;
		else if (is_el(c, "InvoiceUrlText"))
			urls[nu++] = c;
	/* The i-th InvoiceUrlNameText names the i-th InvoiceUrlText. */
	for (i = 0; i < nn; i++) {
		t = xml_text(names[i]);
		if (is_image_name(t)) {
			if (i < nu)
				remove_el(urls[i]);
			remove_el(names[i]);
		}
		free(t);
	}
	free(names);
	free(urls);
}

int
finvoice_rewrite_doc(xmlDocPtr doc, const struct rewrite_values *v,
    struct diag *d)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (root == NULL || !is_el(root, "Finvoice")) {
		diag_set(d, "", 0, 0, "cannot rewrite: not a Finvoice message");
		return -1;
	}
	if (xml_child(root, "InvoiceDetails") == NULL)
		return missing(d, "InvoiceDetails");
	if (v->iban != NULL && set_account(root, v, d) != 0)
		return -1;
	if (v->reference != NULL && set_reference(root, v->reference, d) != 0)
		return -1;
	set_barcode(root, v);
	if (v->clause != NULL && v->clause[0] != '\0') {
		if (set_factoring(root, v, d) != 0)
			return -1;
		if (add_free_text(root, v->clause, d) != 0)
			return -1;
	}
	if (v->free_text != NULL && v->free_text[0] != '\0' &&
	    add_free_text(root, v->free_text, d) != 0)
		return -1;
	if (v->drop_image)
		drop_image(root);
	return 0;
}

/* ---- skeletons ---- */

/*
 * The root's children whose content finvoice_rewrite_doc() reads or
 * changes, and InvoiceDetails, where the invoice's key is (fvroute).
 * Every other top-level element is a placeholder in a skeleton: the
 * rewrite may still find it by name, remove it (InvoiceUrlText) or place
 * new elements next to it, but it sees no content.  A rewrite that looks
 * into another one must name it here (tests/unit: skeleton).
 */
static const char *const rewrite_touches[] = { "InvoiceDetails",
    "EpiDetails", "SellerInformationDetails", "VirtualBankBarcode",
    "FactoringAgreementDetails", "InvoiceUrlNameText", NULL };

struct fvskel_el {
	size_t start, end;	/* the element's bytes in the message */
	size_t qlen;		/* its name's length (after the '<') */
	int hole;		/* a placeholder in the skeleton */
};

struct fvskel {
	struct sbuf text;	/* the skeleton's bytes */
	struct fvskel_el *el;	/* the root's child elements, in order */
	size_t n, cap;
	const char *msg;	/* the message the skeleton is of */
	size_t pstart, rstart, rend;	/* as scan_root() gives them */
};

struct fvskel *
fvskel_new(void)
{
	return xcalloc(1, sizeof(struct fvskel));
}

void
fvskel_free(struct fvskel *sk)
{
	if (sk == NULL)
		return;
	sbuf_free(&sk->text);
	free(sk->el);
	free(sk);
}

static int
touched(const char *q, size_t qlen)
{
	const char *colon = memchr(q, ':', qlen);
	size_t i, k;

	if (colon != NULL) {
		qlen -= (size_t)(colon + 1 - q);
		q = colon + 1;
	}
	for (i = 0; rewrite_touches[i] != NULL; i++) {
		k = strlen(rewrite_touches[i]);
		if (k == qlen && memcmp(q, rewrite_touches[i], k) == 0)
			return 1;
	}
	return 0;
}

/* The element at msg[pos..) (its end tag at end) into sk: whole when
 * the rewrite looks at it or its start tag has attributes, else as
 * "<NAME/>". */
static void
skel_element(struct fvskel *sk, const char *msg, size_t pos, size_t tagend,
    size_t end)
{
	struct fvskel_el *e;
	size_t q = pos + 1, r;

	while (q < tagend && !blank((unsigned char)msg[q]) && msg[q] != '/' &&
	    msg[q] != '>')
		q++;
	if (sk->n == sk->cap) {
		sk->cap = sk->cap ? 2 * sk->cap : 32;
		sk->el = xrealloc(sk->el, sk->cap * sizeof(*sk->el));
	}
	e = &sk->el[sk->n++];
	e->start = pos;
	e->end = end;
	e->qlen = q - pos - 1;
	for (r = q; r < tagend && blank((unsigned char)msg[r]); r++)
		;
	e->hole = (r == tagend - 1 || (r == tagend - 2 && msg[r] == '/')) &&
	    !touched(msg + pos + 1, e->qlen);
	if (!e->hole) {
		sbuf_add(&sk->text, msg + pos, end - pos);
		return;
	}
	sbuf_add(&sk->text, msg + pos, q - pos);
	sbuf_add(&sk->text, "/>", 2);
}

/* The skeleton's text of msg: 1 with at least one placeholder, 0 when
 * it would have none, -1 when the root's content is not as expected. */
static int
skel_text(struct fvskel *sk, const char *msg, size_t len)
{
	size_t pos = 0, e, te, dummy;
	int empty, holes = 0;

	sbuf_reset(&sk->text);
	sk->n = 0;
	while (pos < len && blank((unsigned char)msg[pos]))
		pos++;
	sk->pstart = pos;
	if ((pos = skip_prolog(msg, len, pos)) == NO_POS || pos >= len ||
	    msg[pos] != '<')
		return -1;
	sk->rstart = pos;
	if ((pos = past_start_tag(msg, len, pos, &empty)) == 0 || empty)
		return -1;
	sbuf_add(&sk->text, msg, pos);
	while (pos < len) {
		if (msg[pos] != '<') {
			const char *lt = memchr(msg + pos, '<', len - pos);

			if (lt == NULL)
				return -1;
			e = (size_t)(lt - msg);
		} else if ((e = past_markup(msg, len, pos)) != NO_POS)
			;
		else if (starts(msg, len, pos, "</")) {
			/* the root's end tag, and what follows it */
			if ((sk->rend = past(msg, len, pos + 2, ">")) == 0)
				return -1;
			sbuf_add(&sk->text, msg + pos, len - pos);
			return holes > 0;
		} else if (starts(msg, len, pos, "<!"))
			return -1;
		else {
			if ((te = past_start_tag(msg, len, pos, &empty)) == 0 ||
			    (e = past_element(msg, len, pos, &dummy)) == 0)
				return -1;
			skel_element(sk, msg, pos, te, e);
			holes += sk->el[sk->n - 1].hole;
			pos = e;
			continue;
		}
		if (e == 0)
			return -1;
		sbuf_add(&sk->text, msg + pos, e - pos);
		pos = e;
	}
	return -1;
}

/* Whether element node c is the qualified name q[0..qlen). */
static int
same_qname(const xmlNode *c, const char *q, size_t qlen)
{
	size_t k = 0;

	if (c->ns != NULL && c->ns->prefix != NULL) {
		k = strlen((const char *)c->ns->prefix);
		if (k >= qlen || memcmp(q, c->ns->prefix, k) != 0 ||
		    q[k] != ':')
			return 0;
		k++;
	}
	return strlen((const char *)c->name) == qlen - k &&
	    memcmp(q + k, c->name, qlen - k) == 0;
}

xmlDocPtr
fvskel_parse(struct fvskel *sk, const char *msg, size_t len,
    const char *name, long first_line)
{
	xmlDocPtr doc;
	xmlNode *root, *c;
	struct diag d;
	size_t k = 0;

	sk->msg = NULL;
	if (skel_text(sk, msg, len) != 1 ||
	    (doc = xml_parse_safe(sk->text.data, sk->text.len, name,
	    first_line, &d)) == NULL)
		return NULL;
	/* the tree's child elements of the root are the skeleton's, one
	 * for one; a placeholder's node points at its element */
	root = xmlDocGetRootElement(doc);
	for (c = root != NULL ? root->children : NULL; c != NULL;
	    c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (k == sk->n || !same_qname(c, msg + sk->el[k].start + 1,
		    sk->el[k].qlen))
			break;
		c->_private = sk->el[k].hole ? &sk->el[k] : NULL;
		k++;
	}
	if (root == NULL || c != NULL || k != sk->n) {
		xmlFreeDoc(doc);
		return NULL;
	}
	sk->msg = msg;
	return doc;
}

/* The placeholder element c stands for, or NULL when c is not one. */
static const struct fvskel_el *
skel_placeholder(const struct fvskel *sk, const xmlNode *c)
{
	const struct fvskel_el *e = c->_private;

	if (c->type != XML_ELEMENT_NODE || e == NULL || e < sk->el ||
	    e >= sk->el + sk->n)
		return NULL;
	return e;
}

/* ---- writing back ---- */

/* Length of the start tag at p (through its '>'), 0 if none. */
static size_t
start_tag_len(const char *p, size_t n)
{
	size_t q;
	int quote = 0;

	if (n == 0 || p[0] != '<')
		return 0;
	for (q = 1; q < n; q++) {
		if (quote) {
			if (p[q] == quote)
				quote = 0;
		} else if (p[q] == '"' || p[q] == '\'')
			quote = p[q];
		else if (p[q] == '>')
			return q + 1;
	}
	return 0;
}

/*
 * Copy msg[0..rstart), the bytes before the root element, leaving out a
 * DOCTYPE declaration and the line end after it: the corrected invoice
 * is the schema's document, and an internal subset could give elements
 * default attributes the tree no longer shows.  pstart is where the
 * prolog's markup starts (scan_root).
 */
static void
copy_prolog(const char *msg, size_t pstart, size_t rstart, struct sbuf *out)
{
	size_t pos = pstart, e;

	while (pos < rstart) {
		if (blank((unsigned char)msg[pos])) {
			pos++;
			continue;
		}
		if (starts(msg, rstart, pos, "<?"))
			e = past(msg, rstart, pos + 2, "?>");
		else if (starts(msg, rstart, pos, "<!--"))
			e = past(msg, rstart, pos + 4, "-->");
		else if (starts(msg, rstart, pos, "<!")) {
			e = past_doctype(msg, rstart, pos);
			if (e == 0)
				break;
			sbuf_add(out, msg, pos);
			if (e < rstart && msg[e] == '\r')
				e++;
			if (e < rstart && msg[e] == '\n')
				e++;
			sbuf_add(out, msg + e, rstart - e);
			return;
		} else
			break;
		if (e == 0)
			break;
		pos = e;
	}
	sbuf_add(out, msg, rstart);
}

/* What sc has written so far, moved from xb to out. */
static int
save_flush(xmlSaveCtxtPtr sc, xmlBufferPtr xb, const char *eol,
    struct sbuf *out)
{
	if (xmlSaveFlush(sc) < 0)
		return -1;
	sbuf_add_line_ends(out, (const char *)xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb), eol);
	xmlBufferEmpty(xb);
	return 0;
}

/*
 * The message msg with the root element of doc written back (DOCTYPE
 * left out, the root's start tag and the bytes after the root element
 * copied).  With sk (a skeleton's tree), a placeholder of the skeleton
 * is written as the original element's bytes.  0; 1 when a placeholder
 * was given content by the rewrite (sk's tree cannot be written back);
 * -1 with d.
 */
static int
serialize_root(xmlDocPtr doc, const char *msg, size_t len,
    const struct fvskel *sk, struct sbuf *out, struct diag *d)
{
	size_t pstart, rstart, rend, tag, gen;
	xmlBufferPtr xb = NULL;
	xmlSaveCtxtPtr sc = NULL;
	xmlNode *root = xmlDocGetRootElement(doc), *c;
	const struct fvskel_el *ph;
	const char *enc, *p;
	char name[64];
	const char *eol;
	int rc = -1;

	if (root != NULL && sk != NULL && sk->msg == msg) {
		pstart = sk->pstart;
		rstart = sk->rstart;
		rend = sk->rend;
	} else if (root == NULL || sk != NULL || scan_root(msg, len, 0,
	    &pstart, &rstart, &rend, name, sizeof(name)) != 0) {
		diag_set(d, "", 0, 0, "cannot find the message's root element");
		goto out;
	}
	enc = doc->encoding != NULL ? (const char *)doc->encoding : "UTF-8";
	xb = xmlBufferCreate();
	if ((sc = xmlSaveToBuffer(xb, enc, XML_SAVE_NO_DECL |
	    XML_SAVE_AS_XML)) == NULL) {
		diag_set(d, "", 0, 0, "cannot write encoding %s", enc);
		goto out;
	}
	eol = line_end_of(msg + rstart, rend - rstart);
	/* The root's start tag is never changed: copy its bytes, since
	 * libxml2 writes namespace declarations before the attributes. */
	if ((tag = start_tag_len(msg + rstart, rend - rstart)) == 0) {
		diag_set(d, "", 0, 0, "cannot find the root's start tag");
		goto out;
	}
	copy_prolog(msg, pstart, rstart, out);
	sbuf_add(out, msg + rstart, tag);
	if (sk == NULL) {
		if (xmlSaveTree(sc, root) < 0 || xmlSaveFlush(sc) < 0)
			goto unsaved;
		p = (const char *)xmlBufferContent(xb);
		if ((gen = start_tag_len(p, (size_t)xmlBufferLength(xb))) ==
		    0) {
			diag_set(d, "", 0, 0, "cannot find the root's start "
			    "tag");
			goto out;
		}
		sbuf_add_line_ends(out, p + gen,
		    (size_t)xmlBufferLength(xb) - gen, eol);
	} else {
		for (c = root->children; c != NULL; c = c->next) {
			ph = skel_placeholder(sk, c);
			if (ph == NULL) {
				if (xmlSaveTree(sc, c) < 0)
					goto unsaved;
				continue;
			}
			if (c->children != NULL || c->properties != NULL ||
			    c->nsDef != NULL) {
				rc = 1;
				goto out;
			}
			if (save_flush(sc, xb, eol, out) < 0)
				goto unsaved;
			sbuf_add(out, msg + ph->start, ph->end - ph->start);
		}
		if (save_flush(sc, xb, eol, out) < 0)
			goto unsaved;
		sbuf_adds(out, "</");
		if (root->ns != NULL && root->ns->prefix != NULL) {
			sbuf_adds(out, (const char *)root->ns->prefix);
			sbuf_addc(out, ':');
		}
		sbuf_adds(out, (const char *)root->name);
		sbuf_addc(out, '>');
	}
	sbuf_add(out, msg + rend, len - rend);
	rc = 0;
	goto out;
unsaved:
	diag_set(d, "", 0, 0, "cannot serialise the message in %s", enc);
out:
	if (sc != NULL && xmlSaveClose(sc) < 0 && rc == 0) {
		diag_set(d, "", 0, 0, "cannot serialise the message in %s",
		    enc);
		rc = -1;
	}
	if (xb != NULL)
		xmlBufferFree(xb);
	return rc;
}

int
finvoice_serialize(xmlDocPtr doc, const char *msg, size_t len,
    struct sbuf *out, struct diag *d)
{
	return serialize_root(doc, msg, len, NULL, out, d);
}

int
fvskel_serialize(const struct fvskel *sk, xmlDocPtr doc, const char *msg,
    size_t len, struct sbuf *out, struct diag *d)
{
	return serialize_root(doc, msg, len, sk, out, d);
}

int
finvoice_rewrite_message(const char *msg, size_t len, const char *name,
    long first_line, const struct rewrite_values *v, struct sbuf *out,
    struct diag *d)
{
	xmlDocPtr doc;
	int rc = -1;

	if ((doc = xml_parse_safe(msg, len, name, first_line, d)) == NULL)
		return -1;
	if (finvoice_rewrite_doc(doc, v, d) != 0 ||
	    finvoice_serialize(doc, msg, len, out, d) != 0) {
		if (d->file[0] == '\0') {
			char m[sizeof(d->msg)];

			memcpy(m, d->msg, sizeof(m));
			diag_set(d, name, first_line, 0, "%s", m);
		}
		goto out;
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	return rc;
}
