/*
 * read_si: the Finvoice notification messages to records (DESIGN.md step
 * 1; formats/si.md says which elements are read, formats/records.md the
 * columns): an invoicer notification (SI, root FinvoiceSenderInfo) to
 * one `si` record, a reception notification (RI, root
 * FinvoiceReceiverInfo) to one `ri` record.
 *
 * The file is split and each message parsed by read_finvoice.c, which
 * hands the messages of these two roots here with the SOAP frame that
 * came before them (base/soapframe.h; empty for a bare message): the
 * receiving bank of an SI and the message ids of an RI are in the frame.
 * What a record cannot do without is checked here and names the element
 * (the schema says more with check --schema).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/date.h"
#include "base/util.h"
#include "base/xmlsafe.h"
#include "read/reader.h"

/* Text of the element at path below n, "" when absent (caller frees). */
static char *
text_or_empty(const xmlNode *n, const char *path)
{
	char *t = xml_text(xml_path(n, path));

	return t != NULL ? t : xstrdup("");
}

static const char *
attr_of(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n != NULL ? n->properties : NULL; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 &&
		    a->children != NULL && a->children->content != NULL)
			return (const char *)a->children->content;
	return NULL;
}

static int
named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The fields a message must have: the first missing one named in md. */
static int
require(const xmlNode *root, const char *const *paths, const char *name,
    long first_line, struct diag *md)
{
	char *t;
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		t = xml_text(xml_path(root, paths[i]));
		if (t == NULL || *t == '\0') {
			free(t);
			diag_set(md, name, xml_line(root, first_line), 0,
			    "%s: no %s", (const char *)root->name, paths[i]);
			return -1;
		}
		free(t);
	}
	return 0;
}

/* MessageDetails/MessageDate as a date: 0 (DAY_NONE when absent), -1
 * malformed (md). */
static int
message_date(const xmlNode *root, const char *name, long first_line,
    day_t *day, struct diag *md)
{
	const xmlNode *n = xml_path(root, "MessageDetails/MessageDate");
	char *t = xml_text(n);
	int r = 0;

	*day = DAY_NONE;
	if (t != NULL && *t != '\0' &&
	    date_parse_ccyymmdd(t, strlen(t), day) < 0) {
		diag_set(md, name, xml_line(n, first_line), 0,
		    "MessageDetails/MessageDate '%s' is not a date CCYYMMDD", t);
		r = -1;
	}
	free(t);
	return r;
}

/* Each seller account as IBAN/BIC, comma-separated. */
static char *
accounts(const xmlNode *root)
{
	struct sbuf b = SBUF_INIT;
	const xmlNode *c;

	for (c = root->children; c != NULL; c = c->next) {
		char *iban, *bic;

		if (!named(c, "SellerAccountDetails"))
			continue;
		iban = text_or_empty(c, "SellerAccountID");
		bic = text_or_empty(c, "SellerBic");
		sbuf_addf(&b, "%s%s/%s", b.len ? "," : "", iban, bic);
		free(iban);
		free(bic);
	}
	return b.data != NULL ? b.data : xstrdup("");
}

/* The identifier types (distinct, comma-separated, in order) and the
 * identifier texts as LANG=TEXT lines, of SellerInvoiceDetails. */
static void
identifier_texts(const xmlNode *root, struct sbuf *types,
    struct sbuf *texts)
{
	const xmlNode *det = xml_child(root, "SellerInvoiceDetails"), *td, *t;

	for (td = det != NULL ? det->children : NULL; td; td = td->next) {
		if (!named(td, "SellerInvoiceTypeDetails"))
			continue;
		for (t = td->children; t != NULL; t = t->next) {
			const char *type, *lang;
			char *text;

			if (!named(t, "SellerInvoiceIdentifierText"))
				continue;
			type = attr_of(t, "SellerInvoiceIdentifierType");
			lang = attr_of(t, "LanguageCode");
			text = xml_text(t);
			if (type != NULL && *type != '\0' && (types->data ==
			    NULL || !strstr(types->data, type)))
				sbuf_addf(types, "%s%s", types->len ? "," : "",
				    type);
			sbuf_addf(texts, "%s%s=%s", texts->len ? "\n" : "",
			    lang ? lang : "", text);
			free(text);
		}
	}
}

static const char *const si_required[] = {
	"MessageDetails/MessageActionCode",
	"SellerPartyDetails/SellerPartyIdentifier",
	"InvoiceSenderInformationDetails/InvoiceSenderAddress",
	"InvoiceSenderInformationDetails/InvoiceSenderIntermediatorAddress",
	"SellerInvoiceDetails/PaymentInstructionIdentifier",
	NULL
};

/* The SI fields in record order (formats/records.md `si`), from the
 * action to the service code. */
static const char *const si_paths[] = {
	"MessageDetails/SenderInfoIdentifier",
	"SellerPartyDetails/SellerPartyIdentifier",
	"SellerPartyDetails/SellerOrganisationNames/SellerOrganisationName",
	"InvoiceSenderInformationDetails/InvoiceSenderAddress",
	"InvoiceSenderInformationDetails/InvoiceSenderIntermediatorAddress",
	"SellerInvoiceDetails/PaymentInstructionIdentifier",
	NULL
};

static void
write_paths(struct recout *w, const xmlNode *root, const char *const *paths)
{
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		char *t = text_or_empty(root, paths[i]);

		rec_str(w, t);
		free(t);
	}
}

static int
si_record(const xmlNode *root, const struct soapframe *fr, const char *name,
    long first_line, struct recout *w, struct diag *md)
{
	struct sbuf types = SBUF_INIT, texts = SBUF_INIT;
	char *action, *acc, *service;
	day_t date;

	if (require(root, si_required, name, first_line, md) < 0 ||
	    message_date(root, name, first_line, &date, md) < 0)
		return -1;
	action = text_or_empty(root, "MessageDetails/MessageActionCode");
	acc = accounts(root);
	service = text_or_empty(root, "SellerInvoiceDetails/SellerServiceCode");
	identifier_texts(root, &types, &texts);
	rec_begin(w, "si");
	rec_str(w, action);
	rec_date(w, date);
	write_paths(w, root, si_paths);
	rec_str(w, types.data);
	rec_str(w, acc);
	rec_str(w, texts.data);
	rec_str(w, service);
	rec_str(w, fr->to_int);
	rec_str(w, fr->to);
	rec_str(w, fr->message_id);
	rec_source(w, name, xml_line(root, first_line));
	rec_end(w);
	free(action);
	free(acc);
	free(service);
	sbuf_free(&types);
	sbuf_free(&texts);
	return 0;
}

static const char *const ri_required[] = {
	"MessageDetails/MessageActionCode",
	"InvoiceSenderInformationDetails/InvoiceSenderAddress",
	NULL
};

/* The RI fields after the action code, in record order (formats/
 * records.md `ri`), up to the identifiers. */
static const char *const ri_paths[] = {
	"MessageDetails/SenderInfoIdentifier",
	"SellerPartyDetails/SellerPartyIdentifier",
	"InvoiceSenderInformationDetails/InvoiceSenderAddress",
	"SellerInvoiceDetails/PaymentInstructionIdentifier",
	NULL
};

static const char *const ri_paths_after[] = {
	"BuyerPartyDetails/BuyerOrganisationName",
	"InvoiceRecipientDetails/InvoiceRecipientAddress",
	"InvoiceRecipientDetails/InvoiceRecipientIntermediatorAddress",
	"InvoiceRecipientDetails/InvoiceRecipientLanguageCode",
	"ReceiverInfoTimeStamp",
	"BuyerServiceCode",
	NULL
};

/* The i-th SellerInvoiceIdentifier (0 or 1) and its type. */
static void
ri_identifier(struct recout *w, const xmlNode *root, int i)
{
	const xmlNode *c, *rd = xml_child(root, "InvoiceRecipientDetails");
	int k = 0;

	for (c = rd != NULL ? rd->children : NULL; c != NULL; c = c->next)
		if (named(c, "SellerInvoiceIdentifier") && k++ == i) {
			char *t = xml_text(c);
			const char *type = attr_of(c,
			    "SellerInvoiceIdentifierType");

			rec_str(w, t);
			rec_str(w, type);
			free(t);
			return;
		}
	rec_str(w, "");
	rec_str(w, "");
}

static int
ri_record(const xmlNode *root, const struct soapframe *fr, const char *name,
    long first_line, struct recout *w, struct diag *md)
{
	char *action;

	if (require(root, ri_required, name, first_line, md) < 0)
		return -1;
	action = text_or_empty(root, "MessageDetails/MessageActionCode");
	rec_begin(w, "ri");
	rec_str(w, strcmp(action, "DELETE") == 0 ? "stop" : "start");
	rec_str(w, action);
	write_paths(w, root, ri_paths);
	ri_identifier(w, root, 0);
	write_paths(w, root, ri_paths_after);
	rec_str(w, fr->message_id);
	rec_str(w, fr->ref_to);
	ri_identifier(w, root, 1);
	rec_source(w, name, xml_line(root, first_line));
	rec_end(w);
	free(action);
	return 0;
}

int
read_si_message(const xmlNode *root, const struct soapframe *fr,
    const char *name, long first_line, struct recout *w, struct diag *md)
{
	if (strcmp((const char *)root->name, "FinvoiceSenderInfo") == 0)
		return si_record(root, fr, name, first_line, w, md);
	return ri_record(root, fr, name, first_line, w, md);
}
