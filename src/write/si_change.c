/*
 * si_change: CHANGE messages of a company's SI messages for its
 * receivables service (si_change.h; formats/si.md says where each
 * change goes and why).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "base/fvsplit.h"
#include "base/ident.h"
#include "base/sha256.h"
#include "base/soapframe.h"
#include "base/util.h"
#include "base/xmledit.h"
#include "base/xmlsafe.h"
#include "read/schemas.h"
#include "write/finvoice_rewrite.h"
#include "write/si_change.h"

#define X(s) ((const xmlChar *)(s))
#define SI_SCHEMA "FinvoiceSenderInfo.xsd"
#define MAX_BANKS 32

/* ---- the texts the consumer reads ---- */

static const struct {
	const char *type, *fi, *sv, *en;
} identifier_texts[] = {
	{ "08", "Laskun viitenumero tai laskunumero",
	    "Fakturans referensnummer eller fakturanummer",
	    "Reference number or invoice number" },
	{ "09", "Laskun viite tai laskunumero",
	    "Fakturans referens eller fakturanummer",
	    "Invoice reference or invoice number" },
	{ "99", "Laskulla oleva tunniste", "Identifierare på fakturan",
	    "Identifier shown on the invoice" },
};

const char *
si_identifier_text(const char *type, const char *lang)
{
	size_t i;

	for (i = 0; i < sizeof identifier_texts / sizeof identifier_texts[0];
	    i++) {
		if (strcmp(identifier_texts[i].type, type) != 0)
			continue;
		if (strcasecmp(lang, "FI") == 0)
			return identifier_texts[i].fi;
		if (strcasecmp(lang, "SV") == 0 || strcasecmp(lang, "SE") == 0)
			return identifier_texts[i].sv;
		if (strcasecmp(lang, "EN") == 0)
			return identifier_texts[i].en;
		return NULL;
	}
	return NULL;
}

int
si_change_init(struct si_change *sc, const struct config *conf,
    char bic_buf[BIC_BUFSZ], struct diag *d)
{
	if (conf->service_iban == NULL || *conf->service_iban == '\0') {
		diag_set(d, conf->path, conf->service_line, 0,
		    "[service] iban is required for "
		    "SI CHANGE messages: the account the CHANGE adds");
		return -1;
	}
	if (conf->service_bic != NULL && *conf->service_bic != '\0')
		snprintf(bic_buf, BIC_BUFSZ, "%s", conf->service_bic);
	else if (bic_from_account(conf->service_iban,
	    strlen(conf->service_iban), bic_buf) != 0) {
		diag_set(d, conf->path, conf->service_line, 0, "[service] bic "
		    "is required for "
		    "SI CHANGE messages: no BIC is known for %s",
		    conf->service_iban);
		return -1;
	}
	sc->iban = conf->service_iban;
	sc->bic = bic_buf;
	sc->identifier_type = conf->identifier_type;
	sc->business_id = conf->company_business_id;
	return 0;
}

void
si_change_output_name(const char *base, const char *bank, struct sbuf *out)
{
	size_t n = name_len_without_gz(base);
	char *stem;

	if (n > 4 && strncasecmp(base + n - 4, ".xml", 4) == 0)
		n -= 4;
	stem = xstrndup(base, n);
	sbuf_add_name_part(out, stem, 160);
	sbuf_addc(out, '.');
	sbuf_add_name_part(out, bank, 16);
	sbuf_adds(out, ".xml");
	free(stem);
}

/* ---- the state of one file ---- */

struct bank {
	char bic[12];
	struct sbuf data;
};

struct sifile {
	const struct si_change *sc;
	const char *name;
	struct sbuf frame;		/* the frame part before a message */
	long frame_line;
	struct bank banks[MAX_BANKS];
	int nbanks;
	struct si_change_counts *counts;
};

/* Why a message is not changed: md names FILE:LINE and the field. */
static int
refuse(struct diag *md, const char *name, long line, const char *fmt,
    const char *arg)
{
	char msg[sizeof(md->msg)];

	snprintf(msg, sizeof msg, fmt, arg != NULL ? arg : "");
	diag_set(md, name, line, 0, "SI not changed: %s", msg);
	return -1;
}

/* ---- schema validation ---- */

struct first_error {
	long line;
	char msg[400];
	int n;
};

static void
keep_first(void *arg, long line, const char *msg)
{
	struct first_error *fe = arg;

	if (fe->n++ == 0) {
		fe->line = line;
		snprintf(fe->msg, sizeof fe->msg, "%s", msg);
	}
}

/* 0 valid; -1 invalid (md: the first error, at its file line), -2 the
 * schema cannot be used (md). */
static int
validate(const struct si_change *sc, xmlDocPtr doc, const char *name,
    long first_line, const char *what, struct diag *md)
{
	struct first_error fe = { 0, "", 0 };
	xmlSchemaPtr schema = schema_get(SI_SCHEMA, sc->schema_dir, md);
	int n;

	if (schema == NULL)
		return -2;
	n = schema_validate(schema, doc, 1, keep_first, &fe);
	if (n == 0)
		return 0;
	if (n < 0)
		snprintf(fe.msg, sizeof fe.msg, "out of memory");
	diag_set(md, name, fe.line > 0 ? first_line - 1 + fe.line :
	    first_line, 0, "SI not changed: %s not valid against %s: %s",
	    what, SI_SCHEMA, fe.msg);
	return -1;
}

/* ---- the changes ---- */

static void
set_prop(xmlNode *n, const char *name, const char *value)
{
	xmlSetProp(n, X(name), X(value));
}

static int
is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An account number as written on paper ("fi58 1017 ...") in its
 * electronic form, in place: no blanks, upper case. */
static void
electronic_form(char *t)
{
	char *q = t;

	if (t == NULL)
		return;
	for (; *t; t++)
		if (*t != ' ')
			*q++ = (char)toupper((unsigned char)*t);
	*q = '\0';
}

/* NewSellerAccountID and NewSellerBic after SellerBic, repeating the
 * block's own account; a block that has them is left as it is. */
static void
repeat_as_new(xmlNode *blk)
{
	xmlNode *id = xml_child(blk, "SellerAccountID");
	xmlNode *bic = xml_child(blk, "SellerBic");
	xmlNode *nid, *nbic;
	char *t;

	if (xml_child(blk, "NewSellerAccountID") != NULL || id == NULL ||
	    bic == NULL)
		return;
	t = xml_text(id);
	electronic_form(t);	/* the bank matches the new list as is */
	nid = xmledit_new(blk->doc, "NewSellerAccountID", t);
	free(t);
	set_prop(nid, "IdentificationSchemeName", "IBAN");
	t = xml_text(bic);
	electronic_form(t);
	nbic = xmledit_new(blk->doc, "NewSellerBic", t);
	free(t);
	set_prop(nbic, "IdentificationSchemeName", "BIC");
	xmledit_insert_after(bic, nid);
	xmledit_insert_after(nid, nbic);
}

/* Whether blk's account (or its new account) is iban (compared without
 * blanks, any case). */
static int
element_names(const xmlNode *blk, const char *element, const char *iban)
{
	char *t = xml_text(xml_child(blk, element));
	int same;

	electronic_form(t);
	same = t != NULL && strcmp(t, iban) == 0;
	free(t);
	return same;
}

/* Whether blk keeps iban after the change: its new account when it
 * gives one (the old one of a block of a CHANGE is being replaced), else
 * its account. */
static int
block_has(const xmlNode *blk, const char *iban)
{
	if (xml_child(blk, "NewSellerAccountID") != NULL)
		return element_names(blk, "NewSellerAccountID", iban);
	return element_names(blk, "SellerAccountID", iban);
}

/* The service account as a copy of the last block (its layout kept). */
static void
add_service_block(xmlNode *last, const struct si_change *sc)
{
	xmlNode *blk = xmlDocCopyNode(last, last->doc, 1), *c, *next;

	for (c = blk->children; c != NULL; c = next) {
		next = c->next;
		if (c->type == XML_ELEMENT_NODE && !is_el(c,
		    "SellerAccountID") && !is_el(c, "SellerBic"))
			xmledit_remove(c);
	}
	xmledit_set_text(xml_child(blk, "SellerAccountID"), sc->iban);
	set_prop(xml_child(blk, "SellerAccountID"), "IdentificationSchemeName",
	    "IBAN");
	xmledit_set_text(xml_child(blk, "SellerBic"), sc->bic);
	set_prop(xml_child(blk, "SellerBic"), "IdentificationSchemeName",
	    "BIC");
	xmledit_insert_after(last, blk);
	repeat_as_new(blk);
}

static void
change_accounts(xmlNode *root, const struct si_change *sc)
{
	xmlNode *c, *last = NULL;
	int listed = 0;

	for (c = root->children; c != NULL; c = c->next) {
		if (!is_el(c, "SellerAccountDetails"))
			continue;
		repeat_as_new(c);
		listed |= block_has(c, sc->iban);
		last = c;
	}
	/* the schema wants at least one block: validation made sure */
	if (last != NULL && !listed)
		add_service_block(last, sc);
}

/* What becomes of an identifier text of type (NULL: none given). */
enum idkind { ID_CHANGE, ID_KEEP, ID_REFUSE };

static enum idkind
identifier_kind(const xmlChar *type)
{
	static const char *const keep[] = { "08", "09", "99" };
	size_t i;

	if (type == NULL)
		return ID_REFUSE;
	if (xmlStrcmp(type, X("01")) == 0 || xmlStrcmp(type, X("02")) == 0)
		return ID_CHANGE;
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (xmlStrcmp(type, X(keep[i])) == 0)
			return ID_KEEP;
	return ID_REFUSE;
}

/* A text of type 03-07 (a personal or business id, a phone number, an
 * IBAN-style id) or of no type asks the consumer for something that
 * names a customer, not an invoice; the service maps an RI by service
 * reference, reference or invoice number, so such a message is not
 * changed (the operator decides), never half-changed. */
static int
refuse_identifier(xmlNode *t, const xmlChar *type, const char *name,
    long first_line, struct diag *md)
{
	char shown[40];

	if (type != NULL)
		snprintf(shown, sizeof shown, "'%s'", (const char *)type);
	else
		snprintf(shown, sizeof shown, "(none given)");
	return refuse(md, name, xml_line(t, first_line),
	    "SellerInvoiceIdentifierText: identifier type %s asks for what "
	    "the service cannot map to an invoice (01 and 02 are changed, "
	    "08, 09 and 99 kept)", shown);
}

/* Change text t of an old type in place; -1 (md) when its language has
 * no text. */
static int
change_identifier(xmlNode *t, const char *lang, const struct si_change *sc,
    const char *name, long first_line, struct diag *md)
{
	const char *text = si_identifier_text(sc->identifier_type, lang);

	if (text == NULL)
		return refuse(md, name, xml_line(t, first_line),
		    "SellerInvoiceIdentifierText: no text for language '%s'",
		    lang);
	xmledit_set_text(t, text);
	set_prop(t, "SellerInvoiceIdentifierType", sc->identifier_type);
	xmlUnsetProp(t, X("SellerInvoiceIdentifierMinLength"));
	xmlUnsetProp(t, X("SellerInvoiceIdentifierMaxLength"));
	return 0;
}

/* The identifier texts of one SellerInvoiceTypeDetails: 1 when one was
 * changed, 0 none, -1 (md).  Two old texts of one language (a 01 and a
 * 02) become one: the same prompt twice would be shown twice. */
static int
change_type_details(xmlNode *td, const struct si_change *sc,
    const char *name, long first_line, struct diag *md)
{
	char done[8][8];
	xmlNode *t, *next;
	int changed = 0, ndone = 0, i;

	for (t = td->children; t != NULL; t = next) {
		xmlChar *type, *lang;
		enum idkind k;
		char l[8];

		next = t->next;
		if (!is_el(t, "SellerInvoiceIdentifierText"))
			continue;
		type = xmlGetProp(t, X("SellerInvoiceIdentifierType"));
		k = identifier_kind(type);
		if (k == ID_REFUSE) {
			refuse_identifier(t, type, name, first_line, md);
			xmlFree(type);
			return -1;
		}
		xmlFree(type);
		if (k == ID_KEEP)
			continue;
		lang = xmlGetProp(t, X("LanguageCode"));
		snprintf(l, sizeof l, "%s", lang != NULL ?
		    (const char *)lang : "");
		xmlFree(lang);
		for (i = 0; i < ndone && strcmp(done[i], l) != 0; i++)
			;
		if (i < ndone) {	/* this language is changed already */
			xmlNode *pv = t->prev;

			/* its line goes with it: the indentation before */
			if (pv != NULL && pv->type == XML_TEXT_NODE &&
			    xmlIsBlankNode(pv)) {
				xmlUnlinkNode(pv);
				xmlFreeNode(pv);
			}
			xmlUnlinkNode(t);
			xmlFreeNode(t);
			continue;
		}
		if (change_identifier(t, l, sc, name, first_line, md) < 0)
			return -1;
		if (ndone < (int)(sizeof done / sizeof done[0]))
			snprintf(done[ndone++], sizeof done[0], "%s", l);
		changed = 1;
	}
	return changed;
}

/* Identifier texts of type 01/02 to the service's type: 1 when one was
 * changed, 0 none, -1 (md) when a language has no text or a type is
 * one the service cannot map. */
static int
change_identifiers(xmlNode *root, const struct si_change *sc,
    const char *name, long first_line, struct diag *md)
{
	xmlNode *det = xml_child(root, "SellerInvoiceDetails"), *td;
	int changed = 0, r;

	for (td = det != NULL ? det->children : NULL; td; td = td->next) {
		if (!is_el(td, "SellerInvoiceTypeDetails"))
			continue;
		if ((r = change_type_details(td, sc, name, first_line,
		    md)) < 0)
			return -1;
		changed |= r;
	}
	return changed;
}

/* The whole change of a valid SI document: 1 identifier type changed,
 * 0 kept, -1 (md). */
static int
change_doc(xmlNode *root, const struct si_change *sc, const char *name,
    long first_line, struct diag *md)
{
	xmlNode *action = xml_path(root, "MessageDetails/MessageActionCode");
	xmlNode *date = xml_path(root, "MessageDetails/MessageDate");
	char *a = xml_text(action), ymd[16];
	int y, m, d;

	if (action == NULL || date == NULL) {
		free(a);
		return refuse(md, name, xml_line(root, first_line), "no "
		    "MessageDetails/%s", action == NULL ? "MessageActionCode" :
		    "MessageDate");
	}
	if (a != NULL && strcmp(a, "DELETE") == 0) {
		free(a);
		return refuse(md, name, xml_line(action, first_line),
		    "MessageActionCode is DELETE: a deleted notification is "
		    "not changed%s", NULL);
	}
	free(a);
	xmledit_set_text(action, "CHANGE");
	date_to_ymd(sc->today, &y, &m, &d);
	snprintf(ymd, sizeof ymd, "%04d%02d%02d", y, m, d);
	xmledit_set_text(date, ymd);
	change_accounts(root, sc);
	return change_identifiers(root, sc, name, first_line, md);
}

/* ---- one message ---- */

static int
looks_like_bic(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 8 && n != 11)
		return 0;
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static struct bank *
bank_of(struct sifile *f, const char *bic)
{
	int i;

	for (i = 0; i < f->nbanks; i++)
		if (strcmp(f->banks[i].bic, bic) == 0)
			return &f->banks[i];
	if (f->nbanks == MAX_BANKS)
		return NULL;
	snprintf(f->banks[f->nbanks].bic, sizeof f->banks[0].bic, "%s", bic);
	return &f->banks[f->nbanks++];
}

/* The file's own name, without the directories of its path: the
 * filter given dir/NAME and the run given NAME make the same ids. */
static const char *
last_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The length of name without a .gz ending: a file and its gzip copy
 * are one file. */
static size_t
base_len(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".gz") == 0 ? n - 3 : n;
}

/* The new frame of a CHANGE to bank: from the message's own sender
 * address and intermediator, to SENDERINFO at the bank. */
static int
new_frame(const struct sifile *f, xmlNode *root, const char *bank,
    const char *msg, size_t len, const char *eol, struct sbuf *out,
    struct diag *d)
{
	struct soapframe fr;
	struct sha256_ctx h;
	unsigned char dig[SHA256_LEN];
	char hex[SHA256_HEX], nth[24], *t;
	int y, m, dd;

	memset(&fr, 0, sizeof fr);
	t = xml_text(xml_path(root, "InvoiceSenderInformationDetails/"
	    "InvoiceSenderAddress"));
	snprintf(fr.from, sizeof fr.from, "%s", t);
	free(t);
	t = xml_text(xml_path(root, "InvoiceSenderInformationDetails/"
	    "InvoiceSenderIntermediatorAddress"));
	snprintf(fr.from_int, sizeof fr.from_int, "%s", t);
	free(t);
	snprintf(fr.to, sizeof fr.to, "SENDERINFO");
	snprintf(fr.to_int, sizeof fr.to_int, "%s", bank);
	/* unique, the same message twice in a file too (its place counts)
	 * or in two files (the file's name counts, a gzip copy's without
	 * .gz), and the same when the same file is changed again */
	snprintf(nth, sizeof nth, "%ld", f->counts->messages);
	sha256_init(&h);
	sha256_update(&h, base_len(last_name(f->name)),
	    (const uint8_t *)last_name(f->name));
	sha256_update(&h, strlen(bank) + 1, (const uint8_t *)bank);
	sha256_update(&h, strlen(nth) + 1, (const uint8_t *)nth);
	sha256_update(&h, len, (const uint8_t *)msg);
	sha256_digest(&h, SHA256_LEN, dig);
	sha256_hex(dig, hex);
	date_to_ymd(f->sc->today, &y, &m, &dd);
	snprintf(fr.message_id, sizeof fr.message_id, "SI-CHANGE-%04d%02d%02d-"
	    "%.16s", y, m, dd, hex);
	snprintf(fr.timestamp, sizeof fr.timestamp, "%04d-%02d-%02dT00:00:00",
	    y, m, dd);
	return soapframe_write(out, &fr, "2.0", eol, d);
}

/* The bank a message goes to: its frame's To Intermediator, or its
 * own intermediator when it came bare. */
static int
receiving_bank(const struct sifile *f, xmlNode *root, long first_line,
    char *bank, size_t sz, struct diag *md)
{
	struct soapframe fr;
	char *t;

	if (soapframe_parse(f->frame.len ? f->frame.data : "", f->frame.len,
	    f->name, f->frame_line, &fr, md) < 0)
		return -1;
	if (fr.found && fr.to_int[0] != '\0')
		snprintf(bank, sz, "%s", fr.to_int);
	else {
		t = xml_text(xml_path(root, "InvoiceSenderInformationDetails/"
		    "InvoiceSenderIntermediatorAddress"));
		snprintf(bank, sz, "%s", t != NULL ? t : "");
		free(t);
	}
	if (!looks_like_bic(bank))
		return refuse(md, f->name, fr.found ? f->frame_line :
		    xml_line(root, first_line), "the receiving bank '%s' is "
		    "not a BIC", bank);
	return 0;
}

/* -1 with md when the SI names a seller other than the company: its
 * CHANGE would give another company's consumers the service's account.
 * An id of neither business id shape is not judged (as with an RI). */
static int
other_seller(const struct sifile *f, xmlNode *root, long first_line,
    struct diag *md)
{
	xmlNode *id = xml_path(root, "SellerPartyDetails/SellerPartyIdentifier");
	char *seller = xml_text(id);
	char a[YTUNNUS_BUFSZ], b[YTUNNUS_BUFSZ];
	int r = 0;

	if (seller != NULL && f->sc->business_id != NULL &&
	    ytunnus_normalise_any(seller, a) == 0 &&
	    ytunnus_normalise_any(f->sc->business_id, b) == 0 &&
	    strcmp(a, b) != 0) {
		diag_set(md, f->name, xml_line(id, first_line), 0, "SI not "
		    "changed: the SI is for seller %s, not this company (%s)",
		    seller, f->sc->business_id);
		r = -1;
	}
	free(seller);
	return r;
}

/* The changed message, serialised, parsed and validated again. */
static int
serialise_checked(const struct sifile *f, xmlDocPtr doc,
    const struct fvsplit_part *pt, struct sbuf *out, struct diag *md)
{
	xmlDocPtr again;
	int r;

	if (finvoice_serialize(doc, pt->data, pt->len, out, md) < 0) {
		char m[sizeof(md->msg)];

		memcpy(m, md->msg, sizeof m);
		diag_set(md, f->name, pt->line, 0, "SI not changed: %s", m);
		return -1;
	}
	if ((again = xml_parse_safe(out->data, out->len, f->name, pt->line,
	    md)) == NULL)
		return -1;
	r = validate(f->sc, again, f->name, pt->line, "the CHANGE would be",
	    md);
	xmlFreeDoc(again);
	return r;
}

/* One SI message to its bank's CHANGE output: 1 changed with its type,
 * 0 changed (type kept), -1 rejected (md), -2 the schema cannot be used
 * (md). */
static int
change_message(struct sifile *f, const struct fvsplit_part *pt,
    struct diag *md)
{
	struct sbuf msg = SBUF_INIT, frame = SBUF_INIT;
	xmlDocPtr doc = NULL;
	xmlNode *root;
	struct bank *b;
	char bank[SOAPFRAME_FIELD];
	const char *p;
	const char *eol;
	int r = -1, typed = 0;

	if (pt->too_big) {
		diag_set(md, f->name, pt->line, 0, "SI not changed: message "
		    "larger than %ld bytes", FVSPLIT_MAX_PART);
		goto out;
	}
	if ((doc = xml_parse_safe(pt->data, pt->len, f->name, pt->line,
	    md)) == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (strcmp((const char *)root->name, "FinvoiceSenderInfo") != 0) {
		refuse(md, f->name, xml_line(root, pt->line), "root element "
		    "%s is not FinvoiceSenderInfo", (const char *)root->name);
		goto out;
	}
	if ((r = validate(f->sc, doc, f->name, pt->line, "the message is",
	    md)) < 0 || (r = other_seller(f, root, pt->line, md)) < 0 ||
	    (r = receiving_bank(f, root, pt->line, bank,
	    sizeof bank, md)) < 0 || (r = typed = change_doc(root, f->sc,
	    f->name, pt->line, md)) < 0 ||
	    (r = serialise_checked(f, doc, pt, &msg, md)) < 0)
		goto out;
	r = -1;
	/* the frame first, on its own: a frame that cannot be written
	 * leaves nothing in the bank's output */
	eol = line_end_of(pt->data, pt->len);
	if (new_frame(f, root, bank, pt->data, pt->len, eol, &frame,
	    md) < 0) {
		refuse(md, f->name, xml_line(root, pt->line), "%s",
		    md->msg);
		goto out;
	}
	if ((b = bank_of(f, bank)) == NULL) {
		diag_set(md, f->name, pt->line, 0, "SI not changed: more than "
		    "%d receiving banks in one file", MAX_BANKS);
		goto out;
	}
	sbuf_add(&b->data, frame.data, frame.len);
	/* a byte-order mark belongs at the start of a file only */
	p = msg.data;
	if (msg.len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	sbuf_add(&b->data, p, msg.len - (size_t)(p - msg.data));
	sbuf_adds(&b->data, eol);
	r = typed;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	sbuf_free(&msg);
	sbuf_free(&frame);
	return r;
}

/* ---- the file ---- */

static int
emit_banks(struct sifile *f, struct diag *d)
{
	int i;

	for (i = 0; i < f->nbanks; i++) {
		if (f->sc->emit(f->sc->arg, f->banks[i].bic,
		    f->banks[i].data.data, f->banks[i].data.len, d) < 0)
			return -1;
		f->counts->banks++;
	}
	return 0;
}

static void
message(struct sifile *f, const struct fvsplit_part *pt, int *syserr,
    struct diag *d)
{
	struct diag md;
	int r;

	if (f->sc->skip_ri && strcmp(pt->root, "FinvoiceReceiverInfo") == 0) {
		f->counts->skipped_ri++;
		return;
	}
	f->counts->messages++;
	r = change_message(f, pt, &md);
	if (r == -2) {
		*d = md;
		*syserr = 1;
	} else if (r < 0) {
		f->counts->rejected++;
		f->sc->reject(f->sc->arg, &md);
	} else {
		f->counts->changed++;
		if (r == 0)
			f->counts->kept_type++;
	}
}

int
si_change_file(const struct si_change *sc, struct input *in,
    const char *name, struct si_change_counts *counts, struct diag *d)
{
	struct sifile f;
	struct fvsplit *sp = fvsplit_new(in);
	struct fvsplit_part pt;
	int r, i, syserr = 0, rc = -1;

	memset(&f, 0, sizeof f);
	memset(counts, 0, sizeof *counts);
	f.sc = sc;
	f.name = name;
	f.counts = counts;
	while (!syserr && (r = fvsplit_next(sp, &pt, d)) > 0) {
		if (pt.kind == FVSPLIT_FRAME) {
			sbuf_reset(&f.frame);
			if (!pt.too_big)
				sbuf_add(&f.frame, pt.data, pt.len);
			f.frame_line = pt.line;
			continue;
		}
		message(&f, &pt, &syserr, d);
		sbuf_reset(&f.frame);
	}
	if (syserr || r < 0)
		goto out;
	if (counts->messages == 0) {
		diag_set(d, name, 1, 0, "no SI message in the file");
		rc = 1;
		goto out;
	}
	rc = emit_banks(&f, d);
out:
	fvsplit_free(sp);
	sbuf_free(&f.frame);
	for (i = 0; i < f.nbanks; i++)
		sbuf_free(&f.banks[i].data);
	return rc;
}
