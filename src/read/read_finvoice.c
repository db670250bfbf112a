/*
 * read_finvoice: Finvoice 1.x, 2.01 and 3.0 invoices to `inv` records
 * (DESIGN.md step 1; formats/finvoice.md says which elements are read),
 * and the SI and RI notification messages of the same transmission
 * format to `si` and `ri` records (read_si.c, formats/si.md).
 *
 * A Finvoice file is a plain XML document, or a transmission file in
 * which every message is a SOAP envelope followed by its own XML
 * declaration and Finvoice document (reference finvoice.md section b):
 * not one XML document, so it cannot be handed to libxml2 whole.  The
 * splitter (base/fvsplit.h) streams the input and hands out one message
 * at a time, at most FVSPLIT_MAX_PART bytes, so memory does not grow
 * with the file.  A frame is kept until the message after it (an SI's
 * receiving bank is in it) and otherwise skipped; each message is parsed
 * with xml_parse_safe, turned into one record, optionally validated
 * against its version's XSD, and freed.
 *
 * A message that cannot be read (not well-formed, entity declarations,
 * too large, not a Finvoice, required data missing, schema-invalid) is
 * reported with its index and file line and the other messages are still
 * read: the file's result is then READ_PARTIAL (their records are kept,
 * the file counts as rejected).  A file whose only message is bad is
 * READ_REJECT with that message's error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "base/charset.h"
#include "base/date.h"
#include "base/fvsplit.h"
#include "base/ident.h"
#include "base/money.h"
#include "base/util.h"
#include "read/reader.h"
#include "read/schemas.h"
#include "base/xmlsafe.h"

#define MAX_SCHEMA_ERRORS 10

/* ------------------------------------------------------------------ */
/* Per-file state. */

struct fv {
	struct input *in;
	struct reader_ctx *ctx;
	struct recout *w;
	const char *name;

	long part_line;		/* file line of the message's first byte */
	struct sbuf frame;	/* the frame part before the message */
	long frame_line;

	/* messages */
	long nmsg;		/* Finvoice messages seen */
	long nbad;
	struct diag first_bad;	/* held until we know there is a second */
	int holding;
	int syserr;
	struct diag sys;
};

/* Message number n of the file, set aside for md. */
static void
say_set_aside(struct fv *f, const struct diag *md, long n)
{
	struct diag d;

	diag_set(&d, md->file, md->line, md->column, "message %ld: %s", n,
	    md->msg);
	reader_set_aside(f->ctx, &d);
}

/* Report a bad message: the first one is held back, so that a file of one
 * bad document gives one plain error instead of a warning and an error. */
static void
bad_message(struct fv *f, const struct diag *md)
{
	f->nbad++;
	if (f->nmsg == 1 && !f->holding) {
		f->first_bad = *md;
		f->holding = 1;
		return;
	}
	say_set_aside(f, md, f->nmsg);
}

static void
release_held(struct fv *f)
{
	if (!f->holding)
		return;
	f->holding = 0;
	say_set_aside(f, &f->first_bad, 1);
}

/* ------------------------------------------------------------------ */
/* Field helpers. */

static char *
text_at(const xmlNode *n, const char *path)
{
	return xml_text(xml_path(n, path));
}

static const char *
attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	if (n == NULL)
		return NULL;
	for (a = n->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 &&
		    a->children != NULL && a->children->content != NULL)
			return (const char *)a->children->content;
	return NULL;
}

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

/* Amount of an element: 1 absent, 0 parsed, -1 malformed. */
static int
amount_of(const xmlNode *n, int64_t *cents)
{
	char *t;
	int r;

	if (n == NULL)
		return 1;
	t = xml_text(n);
	r = money_parse(t, strlen(t), cents) == 0 ? 0 : -1;
	free(t);
	return r;
}

/* Percentage "25,5" in units of 1/10000 percent; -1 if malformed. */
static int
percent_of(const xmlNode *n, int64_t *out)
{
	char *t = xml_text(n);
	const char *p = t;
	int64_t v = 0;
	int idig = 0, fdig = 0, ok = 1;

	if (*p == '\0')
		ok = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++idig > 3)
			ok = 0;
		else
			v = v * 10 + (*p - '0');
	}
	if (*p == ',' || *p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fdig <= 4)
				v = v * 10 + (*p - '0');
			else if (*p != '0')
				ok = 0;
		}
	}
	if (*p != '\0' || idig == 0)
		ok = 0;
	for (; fdig < 4; fdig++)
		v *= 10;
	free(t);
	if (!ok)
		return -1;
	*out = v;
	return 0;
}

/* VAT of cents at rate (1/10000 percent), rounded half away from zero.
 * -1 when the amount is too large to multiply safely. */
static int
vat_of(int64_t cents, int64_t rate, int64_t *vat)
{
	int64_t m = cents < 0 ? -cents : cents;

	if (m > 100000000000LL || rate > 10000000)
		return -1;
	m = (m * rate + 500000) / 1000000;
	*vat = cents < 0 ? -m : m;
	return 0;
}

/* Date of an element: 1 absent, 0 parsed, -1 malformed. */
static int
date_of(const xmlNode *n, day_t *day)
{
	char *t;
	int r;

	if (n == NULL)
		return 1;
	t = xml_text(n);
	r = date_parse_ccyymmdd(t, strlen(t), day) == 0 ? 0 : -1;
	free(t);
	return r;
}

/* Texts of all children of n named name, joined with sep. */
static char *
join_children(const xmlNode *n, const char *name, const char *sep)
{
	struct sbuf b = SBUF_INIT;
	const xmlNode *c;

	if (n == NULL)
		return NULL;
	for (c = n->children; c != NULL; c = c->next) {
		char *t;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, name) != 0)
			continue;
		t = xml_text(c);
		if (*t != '\0') {
			if (b.len > 0)
				sbuf_adds(&b, sep);
			sbuf_adds(&b, t);
		}
		free(t);
	}
	return b.data;
}

/* "1234567-8" or "123456-7": a Finnish business id's shape. */
static int
looks_like_ytunnus(const char *s)
{
	size_t n = strlen(s);

	if (n != 9 && n != 8)
		return 0;
	return all_digits(s, n - 2) && s[n - 2] == '-' &&
	    all_digits(s + n - 1, 1);
}

struct warnings {
	char codes[256];
};

static void
add_code(struct warnings *w, const char *code)
{
	size_t n = strlen(w->codes);

	if (strstr(w->codes, code) != NULL)
		return;
	snprintf(w->codes + n, sizeof w->codes - n, "%s%s", n ? "," : "",
	    code);
}

/* ------------------------------------------------------------------ */
/* Totals: rows with VAT + document charges - discounts (3.0) + roundoff. */

/* Sum of the rows with VAT.  0 known, -1 cannot be computed from what the
 * document gives (then nothing is compared). */
static int
rows_total(const xmlNode *root, int64_t *sum, long *nrows)
{
	const xmlNode *r;
	int64_t s = 0, a, ex, vat;
	int known = 1;

	*nrows = 0;
	for (r = root->children; r != NULL; r = r->next) {
		int ra, re, rv;

		if (r->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)r->name, "InvoiceRow") != 0)
			continue;
		(*nrows)++;
		/* A row of sub-rows only is a display grouping. */
		if (xml_child(r, "SubInvoiceRow") != NULL &&
		    xml_child(r, "RowAmount") == NULL &&
		    xml_child(r, "RowVatExcludedAmount") == NULL)
			continue;
		ra = amount_of(xml_child(r, "RowAmount"), &a);
		re = amount_of(xml_child(r, "RowVatExcludedAmount"), &ex);
		rv = amount_of(xml_child(r, "RowVatAmount"), &vat);
		if (ra == 0) {
			/* fine */
		} else if (ra == 1 && re == 0 && rv == 0) {
			if (money_add(ex, vat, &a) < 0) {
				known = 0;
				continue;
			}
		} else if (ra == 1 && re == 1 && rv == 1)
			a = 0;		/* a text row */
		else {
			known = 0;
			continue;
		}
		if (money_add(s, a, &s) < 0)
			known = 0;
	}
	*sum = s;
	return known ? 0 : -1;
}

/* Document-level charges (sign +1) or discounts (-1) with their VAT. */
static int
allowances_total(const xmlNode *details, const char *name, int64_t *sum)
{
	const xmlNode *c;
	int64_t s = 0, a, rate, vat;

	for (c = details->children; c != NULL; c = c->next) {
		const xmlNode *rn;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, name) != 0)
			continue;
		if (amount_of(xml_child(c, "Amount"), &a) != 0)
			return -1;
		vat = 0;
		rn = xml_child(c, "VatRatePercent");
		if (rn != NULL && (percent_of(rn, &rate) < 0 ||
		    vat_of(a, rate, &vat) < 0))
			return -1;
		if (money_add(s, a, &s) < 0 || money_add(s, vat, &s) < 0)
			return -1;
	}
	*sum = s;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Schema validation of one message. */

struct schema_errs {
	struct fv *f;
	long first_line;
};

static void
schema_error(void *arg, long line, const char *msg)
{
	struct schema_errs *se = arg;

	reader_warn(se->f->ctx, se->f->name, se->first_line - 1 +
	    (line > 0 ? line : 1), 0, "schema: %s", msg);
}

/* 0 valid (or no schema for its version: warned), -1 invalid (md filled),
 * -2 the schema cannot be used (f->sys filled: the whole file stops). */
static int
validate_message(struct fv *f, xmlDocPtr doc, const char *version,
    long root_line, struct diag *md)
{
	struct schema_errs se = { f, f->part_line };
	xmlSchemaPtr schema;
	const char *file, *root = (const char *)xmlDocGetRootElement(doc)->name;
	int n;

	/* the notification schemas serve both of their versions */
	if (strcmp(root, "FinvoiceSenderInfo") == 0 ||
	    strcmp(root, "FinvoiceReceiverInfo") == 0)
		file = root[8] == 'S' ? "FinvoiceSenderInfo.xsd" :
		    "FinvoiceReceiverInfo.xsd";
	else if (version != NULL && (strcmp(version, "2.0") == 0 ||
	    strcmp(version, "2.01") == 0))
		file = "Finvoice2.01.xsd";
	else if (version != NULL && strcmp(version, "3.0") == 0)
		file = "Finvoice3.0.xsd";
	else {
		reader_warn(f->ctx, f->name, root_line, 0,
		    "no schema for Finvoice version %s: not validated",
		    version ? version : "(none)");
		return 0;
	}
	schema = schema_get(file, f->ctx->schema_dir, &f->sys);
	if (schema == NULL) {
		f->syserr = 1;
		return -2;
	}
	n = schema_validate(schema, doc, MAX_SCHEMA_ERRORS, schema_error, &se);
	if (n == 0)
		return 0;
	if (n < 0) {
		diag_set(md, f->name, root_line, 0, "out of memory");
		return -1;
	}
	if (n > MAX_SCHEMA_ERRORS)
		reader_warn(f->ctx, f->name, root_line, 0,
		    "schema: %d more errors not shown",
		    n - MAX_SCHEMA_ERRORS);
	diag_set(md, f->name, root_line, 0,
	    "not valid against %s (%d error%s)", file, n, n == 1 ? "" : "s");
	return -1;
}

/* ------------------------------------------------------------------ */
/* One Finvoice document to one record. */

struct inv {
	char *number, *type_code, *buyer_id, *buyer_name, *country;
	char *currency, *iban, *ref_raw, *credited, *language;
	char *street, *post_code, *town, *seller_id;
	char reference[REF_BUFSZ];
	day_t invoice_date, due_date;
	int64_t total;
	int credit, partial_ok;
	long rows;
};

static void
inv_free(struct inv *v)
{
	free(v->number);
	free(v->type_code);
	free(v->buyer_id);
	free(v->buyer_name);
	free(v->country);
	free(v->currency);
	free(v->iban);
	free(v->ref_raw);
	free(v->credited);
	free(v->language);
	free(v->street);
	free(v->post_code);
	free(v->town);
	free(v->seller_id);
}

/* First PaymentTermsDetails/InvoiceDueDate, else EpiDateOptionDate. */
static const xmlNode *
due_date_node(const xmlNode *root, const xmlNode *details)
{
	const xmlNode *c, *d;

	for (c = details->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "PaymentTermsDetails") == 0 &&
		    (d = xml_child(c, "InvoiceDueDate")) != NULL)
			return d;
	return xml_path(root, "EpiDetails/EpiPaymentInstructionDetails/"
	    "EpiDateOptionDate");
}

/* OriginalInvoiceNumber, else the first OriginalInvoiceReference that
 * names an InvoiceNumber. */
static char *
credited_number(const xmlNode *details)
{
	const xmlNode *c;
	char *t = text_at(details, "OriginalInvoiceNumber");

	if (nonempty(t))
		return t;
	free(t);
	for (c = details->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name,
		    "OriginalInvoiceReference") == 0) {
			t = text_at(c, "InvoiceNumber");
			if (nonempty(t))
				return t;
			free(t);
		}
	return NULL;
}

static int
rows_name_originals(const xmlNode *root)
{
	const xmlNode *r;

	for (r = root->children; r != NULL; r = r->next)
		if (r->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)r->name, "InvoiceRow") == 0 &&
		    (xml_child(r, "OriginalInvoiceNumber") != NULL ||
		    xml_path(r, "OriginalInvoiceReference/InvoiceNumber")))
			return 1;
	return 0;
}

#define LINE(n) xml_line((n), f->part_line)

/* EpiAccountID: an IBAN is checked and written normalised; a BBAN (14
 * digits or the old "123456-785") is checked and written as its IBAN.
 * One that fails is written as given, with bad-iban. */
static void
check_account(struct fv *f, const xmlNode *epi, struct inv *v,
    struct warnings *wc)
{
	const xmlNode *n = xml_path(epi, "EpiPartyDetails/"
	    "EpiBeneficiaryPartyDetails/EpiAccountID");
	const char *scheme = attr(n, "IdentificationSchemeName");
	size_t len = strlen(v->iban);
	char iban[IBAN_BUFSZ], bban[15];
	int ok;

	if (scheme != NULL && strcmp(scheme, "BBAN") == 0) {
		ok = len == 14 ? iban_from_bban(v->iban, len, iban) :
		    bban_from_account(v->iban, len, bban) == 0 ?
		    iban_from_bban(bban, 14, iban) : -1;
	} else {
		ok = iban_validate(v->iban, len);
		if (ok == 0)
			iban_normalise(v->iban, len, iban);
	}
	if (ok == 0) {
		free(v->iban);
		v->iban = xstrdup(iban);
		return;
	}
	add_code(wc, "bad-iban");
	reader_warn(f->ctx, f->name, LINE(n), 0,
	    "invoice %s: account '%s' is not a valid %s", v->number, v->iban,
	    scheme != NULL && strcmp(scheme, "BBAN") == 0 ? "BBAN" : "IBAN");
}

/* Number, dates, total, currency and type: 0, or -1 with md filled.
 * *total is the total's element. */
static int
extract_head(struct fv *f, const xmlNode *root, const xmlNode *details,
    struct inv *v, const xmlNode **totalp, struct diag *md)
{
	const xmlNode *n, *total;
	int r;

	n = xml_child(details, "InvoiceNumber");
	v->number = xml_text(n);
	if (!nonempty(v->number)) {
		diag_set(md, f->name, n ? LINE(n) : LINE(details), 0,
		    "no InvoiceNumber");
		return -1;
	}
	n = xml_child(details, "InvoiceDate");
	if ((r = date_of(n, &v->invoice_date)) != 0) {
		char *t = r > 0 ? NULL : xml_text(n);

		diag_set(md, f->name, n ? LINE(n) : LINE(details), 0, r > 0 ?
		    "no InvoiceDate%s" : "InvoiceDate '%s' is not a date "
		    "CCYYMMDD", t != NULL ? t : "");
		free(t);
		return -1;
	}
	n = due_date_node(root, details);
	if ((r = date_of(n, &v->due_date)) < 0) {
		char *t = xml_text(n);

		diag_set(md, f->name, LINE(n), 0, "%s '%s' is not a date "
		    "CCYYMMDD", (const char *)n->name, t != NULL ? t : "");
		free(t);
		return -1;
	}
	if (r > 0)
		v->due_date = DAY_NONE;
	total = xml_child(details, "InvoiceTotalVatIncludedAmount");
	*totalp = total;
	if ((r = amount_of(total, &v->total)) != 0) {
		char *t = r > 0 ? NULL : xml_text(total);

		diag_set(md, f->name, total ? LINE(total) : LINE(details), 0,
		    r > 0 ? "no InvoiceTotalVatIncludedAmount%s" :
		    "InvoiceTotalVatIncludedAmount '%s' is not an amount "
		    "(digits, one decimal comma or point, at most two "
		    "decimals, no thousands separators)",
		    t != NULL ? t : "");
		free(t);
		return -1;
	}
	v->currency = xstrdup(attr(total, "AmountCurrencyIdentifier") ?
	    attr(total, "AmountCurrencyIdentifier") : "");
	v->type_code = text_at(details, "InvoiceTypeCode");
	v->credit = (v->type_code && strcmp(v->type_code, "INV02") == 0) ||
	    v->total < 0;
	return 0;
}

/* Seller, buyer (or invoice recipient), address and country. */
static void
extract_parties(const xmlNode *root, struct inv *v)
{
	const xmlNode *rcp, *buyer, *addr;

	v->seller_id = text_at(root, "SellerPartyDetails/SellerPartyIdentifier");
	rcp = xml_child(root, "InvoiceRecipientPartyDetails");
	buyer = xml_child(root, "BuyerPartyDetails");
	/* The name goes with the id: the recipient's when its id is used
	 * (or nobody has one and it names itself), else the buyer's. */
	v->buyer_id = text_at(rcp, "InvoiceRecipientPartyIdentifier");
	if (nonempty(v->buyer_id))
		v->buyer_name = join_children(rcp,
		    "InvoiceRecipientOrganisationName", " ");
	else {
		free(v->buyer_id);
		v->buyer_id = text_at(buyer, "BuyerPartyIdentifier");
	}
	if (!nonempty(v->buyer_name)) {
		free(v->buyer_name);
		v->buyer_name = join_children(buyer, "BuyerOrganisationName",
		    " ");
	}
	addr = xml_child(rcp, "InvoiceRecipientPostalAddressDetails");
	if (addr != NULL) {
		v->street = join_children(addr, "InvoiceRecipientStreetName",
		    ", ");
		v->post_code = text_at(addr,
		    "InvoiceRecipientPostCodeIdentifier");
		v->town = text_at(addr, "InvoiceRecipientTownName");
		v->country = text_at(addr, "CountryCode");
	}
	addr = xml_child(buyer, "BuyerPostalAddressDetails");
	if (addr != NULL && v->street == NULL && v->post_code == NULL &&
	    v->town == NULL) {
		v->street = join_children(addr, "BuyerStreetName", ", ");
		v->post_code = text_at(addr, "BuyerPostCodeIdentifier");
		v->town = text_at(addr, "BuyerTownName");
	}
	if (!nonempty(v->country)) {
		free(v->country);
		v->country = text_at(addr, "CountryCode");
	}
	if (!nonempty(v->country)) {
		free(v->country);
		v->country = xstrdup("FI");
	}
}

/* Account, reference (checked), credited invoice, language, partial
 * payments. */
static void
extract_payment(struct fv *f, const xmlNode *root, const xmlNode *details,
    struct inv *v, struct warnings *wc)
{
	const xmlNode *n, *epi;

	epi = xml_child(root, "EpiDetails");
	v->iban = text_at(epi, "EpiPartyDetails/EpiBeneficiaryPartyDetails/"
	    "EpiAccountID");
	n = xml_path(epi, "EpiPaymentInstructionDetails/"
	    "EpiRemittanceInfoIdentifier");
	v->ref_raw = xml_text(n);
	if (nonempty(v->ref_raw)) {
		size_t rl = strlen(v->ref_raw);
		int rf = rl >= 2 && toupper((unsigned char)v->ref_raw[0]) ==
		    'R' && toupper((unsigned char)v->ref_raw[1]) == 'F';

		ref_normalise(v->ref_raw, rl, v->reference);
		if (!rf && strlen(v->reference) < 4 &&
		    all_digits(v->reference, strlen(v->reference))) {
			add_code(wc, "short-reference");
			reader_warn(f->ctx, f->name, LINE(n), 0,
			    "invoice %s: reference '%s' is shorter than 4 "
			    "digits", v->number, v->ref_raw);
		} else if (rf ? rf_validate(v->ref_raw, rl) < 0 :
		    ref_validate(v->ref_raw, rl) < 0) {
			add_code(wc, "bad-reference");
			reader_warn(f->ctx, f->name, LINE(n), 0,
			    "invoice %s: reference '%s' has a wrong check "
			    "digit", v->number, v->ref_raw);
		}
	}
	v->credited = credited_number(details);
	v->language = text_at(root, "InvoiceRecipientLanguageCode");
	if (v->language != NULL) {
		char *p;

		for (p = v->language; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	v->partial_ok = xml_child(root, "PartialPaymentDetails") != NULL;
	if (nonempty(v->iban))
		check_account(f, epi, v, wc);
}

static void
check_business_ids(struct fv *f, const xmlNode *root, const struct inv *v,
    struct warnings *wc)
{
	long rline = LINE(root);

	if (nonempty(v->seller_id) && looks_like_ytunnus(v->seller_id) &&
	    ytunnus_validate(v->seller_id, strlen(v->seller_id)) < 0) {
		add_code(wc, "bad-business-id");
		reader_warn(f->ctx, f->name, LINE(xml_path(root,
		    "SellerPartyDetails/SellerPartyIdentifier")), 0,
		    "invoice %s: seller business id '%s' has a wrong check "
		    "digit", v->number, v->seller_id);
	}
	if (nonempty(v->buyer_id) && looks_like_ytunnus(v->buyer_id) &&
	    ytunnus_validate(v->buyer_id, strlen(v->buyer_id)) < 0) {
		add_code(wc, "bad-business-id");
		reader_warn(f->ctx, f->name, rline, 0,
		    "invoice %s: buyer business id '%s' has a wrong check "
		    "digit", v->number, v->buyer_id);
	}
}

/* The rows counted; the total against rows + charges - discounts +
 * roundoff. */
static void
check_total(struct fv *f, const xmlNode *root, const xmlNode *details,
    const xmlNode *total, struct inv *v, struct warnings *wc)
{
	const char *version = attr(root, "Version");
	int64_t rows, charges = 0, discounts = 0, roundoff = 0, x;
	char ms1[MONEY_BUFSZ], ms2[MONEY_BUFSZ];
	int r;

	r = rows_total(root, &rows, &v->rows);
	if (r == 0 && version != NULL && strcmp(version, "3.0") == 0 &&
	    (allowances_total(details, "ChargeDetails", &charges) < 0 ||
	    allowances_total(details, "DiscountDetails", &discounts) < 0))
		r = -1;
	if (r == 0 && amount_of(xml_child(details,
	    "InvoiceTotalRoundoffAmount"), &roundoff) < 0)
		r = -1;
	/* discounts may sum to INT64_MIN, which has no negation */
	if (r == 0 && (money_add(rows, charges, &x) < 0 ||
	    discounts == INT64_MIN || money_add(x, -discounts, &x) < 0 ||
	    money_add(x, roundoff, &x) < 0))
		r = -1;
	if (r == 0 && x != v->total) {
		add_code(wc, "total-mismatch");
		reader_warn(f->ctx, f->name, LINE(total), 0,
		    "invoice %s: total %s differs from rows + charges - "
		    "discounts + roundoff %s", v->number,
		    money_format(v->total, ms1), money_format(x, ms2));
	}
}

/* EpiInstructedAmount against the total (less a paid amount). */
static void
check_payable(struct fv *f, const xmlNode *root, const xmlNode *details,
    const struct inv *v, struct warnings *wc)
{
	const xmlNode *n, *epi = xml_child(root, "EpiDetails");
	int64_t x, paid;
	char ms1[MONEY_BUFSZ], ms2[MONEY_BUFSZ];

	n = xml_path(epi, "EpiPaymentInstructionDetails/EpiInstructedAmount");
	if (n != NULL && amount_of(n, &x) == 0 && x != v->total) {
		const char *status = NULL;
		char *st = text_at(root, "PaymentStatusDetails/"
		    "PaymentStatusCode");
		int64_t left;

		/* a parsed amount is never INT64_MIN, so -paid is safe */
		if (amount_of(xml_child(details, "InvoicePaidAmount"),
		    &paid) != 0)
			paid = 0;
		if (st != NULL && strcmp(st, "PAID") == 0)
			status = "PAID";
		if (!(paid != 0 && money_add(v->total, -paid, &left) == 0 &&
		    x == left) &&
		    !(status != NULL && x == 0)) {
			add_code(wc, "payable-mismatch");
			reader_warn(f->ctx, f->name, LINE(n), 0,
			    "invoice %s: EpiInstructedAmount %s differs from "
			    "the total %s", v->number, money_format(x, ms1),
			    money_format(v->total, ms2));
		}
		free(st);
	}
}

/* Build v from doc; checks add warning codes.  0, or -1 with md filled
 * when the message lacks what a record needs. */
static int
extract(struct fv *f, const xmlNode *root, struct inv *v,
    struct warnings *wc, struct diag *md)
{
	const xmlNode *details, *total;
	long rline = LINE(root);

	details = xml_child(root, "InvoiceDetails");
	if (details == NULL) {
		diag_set(md, f->name, rline, 0, "no InvoiceDetails");
		return -1;
	}
	if (extract_head(f, root, details, v, &total, md) < 0)
		return -1;
	extract_parties(root, v);
	extract_payment(f, root, details, v, wc);
	check_business_ids(f, root, v, wc);
	check_total(f, root, details, total, v, wc);
	check_payable(f, root, details, v, wc);
	if (v->credit && !nonempty(v->credited) && !rows_name_originals(root)) {
		add_code(wc, "credit-without-invoice");
		reader_warn(f->ctx, f->name, rline, 0,
		    "credit note %s names no credited invoice", v->number);
	}
	return 0;
}

static void
write_inv(struct fv *f, const struct inv *v, const struct warnings *wc,
    long line)
{
	struct recout *w = f->w;

	rec_begin(w, "inv");
	rec_str(w, v->number);
	rec_str(w, v->credit ? "credit" : "invoice");
	rec_date(w, v->invoice_date);
	rec_date(w, v->due_date);
	rec_str(w, v->seller_id);
	rec_str(w, v->buyer_id);
	rec_str(w, v->buyer_name);
	rec_str(w, v->country);
	rec_str(w, v->currency);
	rec_cents(w, v->total);
	rec_str(w, v->iban);
	rec_str(w, v->reference);
	rec_str(w, v->credited);
	rec_str(w, v->language);
	rec_int(w, v->partial_ok);
	rec_str(w, v->street);
	rec_str(w, v->post_code);
	rec_str(w, v->town);
	rec_int(w, v->rows);
	rec_str(w, wc->codes);
	rec_source(w, f->name, line);
	rec_end(w);
}

/* An SI or RI message with the frame before it. */
static int
read_notification(struct fv *f, const xmlNode *root, struct diag *md)
{
	struct soapframe fr;

	if (soapframe_parse(f->frame.len ? f->frame.data : "", f->frame.len,
	    f->name, f->frame_line, &fr, md) < 0)
		return -1;
	return read_si_message(root, &fr, f->name, f->part_line, f->w, md);
}

/* Keep a frame part for the message after it. */
static void
keep_frame(struct fv *f, const struct fvsplit_part *pt)
{
	sbuf_reset(&f->frame);
	if (!pt->too_big)
		sbuf_add(&f->frame, pt->data, pt->len);
	f->frame_line = pt->line;
}

/* A message that declares a single-byte character set (ISO-8859-15,
 * -1, windows-1252) but whose bytes are UTF-8, a common slip of the
 * software that writes it: read as declared, as the rewritten file is
 * written, and said, for the names come out wrong ("Ã¤" for "ä"). */
static void
utf8_in_disguise(struct fv *f, const xmlDoc *doc, const struct fvsplit_part *pt,
    long line)
{
	const char *enc = (const char *)doc->encoding;

	if (enc == NULL || (strncasecmp(enc, "ISO-8859-", 9) != 0 &&
	    strncasecmp(enc, "windows-125", 11) != 0 &&
	    strncasecmp(enc, "latin", 5) != 0) ||
	    !charset_looks_utf8(pt->data, pt->len))
		return;
	reader_warn(f->ctx, f->name, line, 0, "the message declares %s, but "
	    "its text is UTF-8 (\"\xc3\xa4\" arrives as \"\xc3\x83\xc2"
	    "\xa4\"): read as declared; names and texts will be wrong until "
	    "the sender declares UTF-8", enc);
}

static void
read_message(struct fv *f, const struct fvsplit_part *pt)
{
	struct diag md;
	struct inv v;
	struct warnings wc;
	xmlDocPtr doc;
	xmlNode *root;
	long rline;
	int notification;

	memset(&v, 0, sizeof v);
	memset(&wc, 0, sizeof wc);
	f->part_line = pt->line;
	if (pt->too_big) {
		diag_set(&md, f->name, f->part_line, 0,
		    "message larger than %ld bytes", FVSPLIT_MAX_PART);
		goto bad;
	}
	doc = xml_parse_safe(pt->len ? pt->data : "", pt->len, f->name,
	    f->part_line, &md);
	if (doc == NULL)
		goto bad;
	root = xmlDocGetRootElement(doc);
	rline = xml_line(root, f->part_line);
	utf8_in_disguise(f, doc, pt, rline);
	notification = strcmp((const char *)root->name,
	    "FinvoiceSenderInfo") == 0 || strcmp((const char *)root->name,
	    "FinvoiceReceiverInfo") == 0;
	if (strcmp((const char *)root->name, "Finvoice") != 0 &&
	    !notification) {
		diag_set(&md, f->name, rline, 0, "root element %s is not "
		    "Finvoice, FinvoiceSenderInfo or FinvoiceReceiverInfo",
		    (const char *)root->name);
		goto bad_doc;
	}
	if (f->ctx->schema) {
		int vr = validate_message(f, doc, attr(root, "Version"), rline,
		    &md);

		if (vr == -2) {
			xmlFreeDoc(doc);
			return;
		}
		if (vr < 0)
			goto bad_doc;
	}
	if (notification) {
		if (read_notification(f, root, &md) < 0)
			goto bad_doc;
		xmlFreeDoc(doc);
		return;
	}
	if (extract(f, root, &v, &wc, &md) < 0)
		goto bad_doc;
	write_inv(f, &v, &wc, rline);
	inv_free(&v);
	xmlFreeDoc(doc);
	return;
bad_doc:
	inv_free(&v);
	xmlFreeDoc(doc);
bad:
	bad_message(f, &md);
}

int
read_finvoice(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d)
{
	struct fv f;
	struct fvsplit *sp;
	struct fvsplit_part pt;
	int r = 0, rc = READ_OK;

	memset(&f, 0, sizeof f);
	f.in = in;
	f.ctx = ctx;
	f.w = w;
	f.name = input_name(in);
	sp = fvsplit_new(in);
	while (!f.syserr && (r = fvsplit_next(sp, &pt, d)) > 0) {
		if (pt.kind != FVSPLIT_MESSAGE) {
			keep_frame(&f, &pt);
			continue;
		}
		if (++f.nmsg == 2)
			release_held(&f);
		read_message(&f, &pt);
		sbuf_reset(&f.frame);
	}
	fvsplit_free(sp);
	sbuf_free(&f.frame);
	if (!f.syserr && r < 0)
		return input_error_is_io(in) ? READ_SYSERR : READ_REJECT;
	if (f.syserr) {
		release_held(&f);
		*d = f.sys;
		rc = READ_SYSERR;
	} else if (f.nmsg == 0) {
		diag_set(d, f.name, 1, 0, "no Finvoice message in the file");
		rc = READ_REJECT;
	} else if (f.holding) {
		*d = f.first_bad;
		rc = READ_REJECT;
	} else if (f.nbad == f.nmsg) {
		diag_set(d, f.name, 0, 0, "all %ld Finvoice messages rejected",
		    f.nmsg);
		rc = READ_REJECT;
	} else if (f.nbad > 0) {
		diag_set(d, f.name, 0, 0, "%ld of %ld Finvoice messages "
		    "rejected; the other %ld were read", f.nbad, f.nmsg,
		    f.nmsg - f.nbad);
		f.ctx->nset_aside += f.nbad;
		rc = READ_PARTIAL;
	}
	return rc;
}
