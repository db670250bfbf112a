/*
 * read_camt: ISO 20022 camt.053 (bank to customer statement) and camt.054
 * (bank to customer debit/credit notification) into records (DESIGN.md
 * step 1).
 *
 * camt.053 replaces the KTO statement and gives what a KTO gives: one stmt
 * record per Stmt, one txn per entry (level 0) with a level-1 itemisation
 * txn per transaction of a collective entry, and bal records.  camt.054
 * replaces the KTL reference-payment file and gives one pay record per
 * incoming payment.  formats/camt.md has the element to column mapping and
 * the reasons for each choice.
 *
 * A camt file is one XML document.  It is read whole into memory, at most
 * XML_MAX_DOC bytes (a bank sends one file per account and day, which is
 * far smaller), and parsed by xmlsafe: no network, no DTD, no entities.
 * Versions .001.02 to .001.13 of both messages are read, told apart by the
 * namespace; the few elements that moved between versions (BIC/BICFI,
 * Sts/Cd, Dbtr/Pty/Nm, TtlNetNtryAmt/TtlNetNtry) are looked for in both
 * places.  Whole-file checks (transaction sums of collective entries,
 * TxsSummry totals, opening balance + entries = closing balance) reject the
 * file with the line of the element that disagrees.  A reversal is counted
 * in TxsSummry either by its CdtDbtInd (ISO) or as a debit (Finnish banks
 * report the correction of a payment as CRDT with RvslInd); in camt.054
 * every booked reversal is the correction of a payment.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/date.h"
#include "base/ident.h"
#include "base/money.h"
#include "base/util.h"
#include "read/reader.h"
#include "base/xmlsafe.h"

#define CAMT_NS		"urn:iso:std:iso:20022:tech:xsd:camt."
#define VERSION_MIN	2
#define VERSION_MAX	13

enum { CRDT = 1, DBIT = -1 };

struct camt {
	const char *file;	/* input name for messages and sources */
	struct reader_ctx *ctx;
	struct recout *w;
	struct diag *d;
	int msg;		/* 53 or 54 */
	const char *rpt;	/* "Stmt" or "Ntfctn" */
	struct sbuf tmp;	/* scratch: text of one element */
};

/* One booked entry's effect on the balance. */
struct booked {
	day_t day;
	int64_t cents;		/* signed */
};

/* The direction-dependent TxsSummry totals under one way of counting. */
struct counts {
	long ncdt, ndbt;
	int64_t sumcdt, sumdbt, net;
};

/* One Stmt or Ntfctn. */
struct report {
	const xmlNode *node;
	char iban[IBAN_BUFSZ];
	int bad_iban;
	/* all entries, booked or not, for TxsSummry, counted by CdtDbtInd
	 * (iso) and with every reversal counted as a debit (rev) */
	long n;
	int64_t sum;
	struct counts iso, rev;
	long nrevcdt;		/* reversals marked CRDT */
	long nentry;		/* Ntry elements so far, from 1 */
	/* booked entries, for the balance check (camt.053) */
	struct booked *booked;
	size_t nbooked, capbooked;
};

/* What one TxDtls says, as far as the records need it. */
struct tx {
	struct sbuf archive;	/* Refs/AcctSvcrRef */
	struct sbuf name;	/* counterparty (payer of a credit) */
	struct sbuf account;
	struct sbuf bic;
	struct sbuf message;	/* RmtInf/Ustrd lines joined with \n */
	struct sbuf code;	/* BkTxCd/Prtry/Cd */
	struct sbuf info;	/* AddtlTxInf */
	char ref[REF_BUFSZ];
	const char *refwarn;	/* warning code of the reference or NULL */
	day_t paydate;		/* RltdDts/AccptncDtTm or DAY_NONE */
};

/* One Ntry. */
struct entry {
	const xmlNode *node;
	const xmlNode *amtnode;
	int64_t amount;		/* unsigned, as written */
	char ccy[4];
	int dir;		/* CRDT or DBIT */
	int reversal;
	day_t booked, value;
	struct sbuf archive;	/* AcctSvcrRef */
	struct sbuf code;	/* BkTxCd/Prtry/Cd */
	struct sbuf info;	/* AddtlNtryInf */
	long ntx;		/* TxDtls count */
};

static int
reject(struct camt *c, const xmlNode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reject(struct camt *c, const xmlNode *at, const char *fmt, ...)
{
	char msg[sizeof c->d->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(c->d, c->file, at ? xml_line(at, 1) : 0, 0, "%s", msg);
	return READ_REJECT;
}

static long
line_of(const xmlNode *node)
{
	return xml_line(node, 1);
}

/*
 * Trimmed text of node (with its descendants') into b; "" for NULL.
 * libxml2 hands out NUL-terminated UTF-8 without NUL bytes inside, so
 * strlen is safe on what it returns.
 */
static const char *
text(const xmlNode *node, struct sbuf *b)
{
	xmlChar *t = node ? xmlNodeGetContent(node) : NULL;

	sbuf_set_trimmed(b, t ? (const char *)t : "",
	    t ? strlen((const char *)t) : 0);
	xmlFree(t);
	return b->data;
}

/* Next element sibling after n with local name `name`. */
static xmlNode *
next_named(const xmlNode *n, const char *name)
{
	for (n = n->next; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return (xmlNode *)n;
	return NULL;
}

#define EACH(var, parent, name) \
	for ((var) = xml_child((parent), (name)); (var) != NULL; \
	    (var) = next_named((var), (name)))

/* First of two alternative paths (an element that moved between
 * versions). */
static xmlNode *
path2(const xmlNode *node, const char *a, const char *b)
{
	xmlNode *e = xml_path(node, a);

	return e ? e : xml_path(node, b);
}

/* The element at path below parent, or a rejection naming it. */
static int
need(struct camt *c, const xmlNode *parent, const char *where,
    const char *path, xmlNode **out)
{
	*out = xml_path(parent, path);
	if (*out == NULL)
		return reject(c, parent, "missing element %s/%s", where, path);
	return READ_OK;
}

/*
 * An ISO amount or decimal: digits, optionally '.' and decimals (beyond the
 * cent only zeros), no minus sign (ISO amounts are never negative); a '+'
 * in front is read, as xs:decimal allows it.  With ccy, the Ccy attribute
 * is required too.
 */
static int
amount(struct camt *c, const xmlNode *node, const char *where,
    int64_t *cents, char ccy[4])
{
	const char *s = text(node, &c->tmp);
	size_t n = c->tmp.len, i;
	int digits = 0, dot = 0;
	xmlChar *a;

	if (n > 1 && s[0] == '+') {
		s++;
		n--;
	}
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && !dot && digits > 0 && i + 1 < n)
			dot = 1;
		else
			break;
	}
	if (i == n && digits > 18)
		return reject(c, node, "%s: '%s' has more than the 18 digits "
		    "an amount may have", where, s);
	if (i == n && digits > 0 && money_parse(s, n, cents) < 0) {
		const char *p = memchr(s, '.', n);

		if (p != NULL && strspn(p + 1, "0123456789") > 2 &&
		    strspn(p + 3, "0") < (size_t)(s + n - (p + 3)))
			return reject(c, node, "%s: '%s' has more than two "
			    "decimals that are not zero (a cent is the "
			    "smallest amount)", where, s);
		return reject(c, node, "%s: '%s' is larger than the ledger "
		    "can hold (92233720368547758.07)", where, s);
	}
	if (i < n || digits == 0)
		return reject(c, node, "%s: '%s' is not an amount "
		    "(digits, '.', at most two decimals that are not zero)",
		    where, s);
	if (ccy == NULL)
		return READ_OK;
	a = xmlGetProp(node, (const xmlChar *)"Ccy");
	if (a == NULL || strlen((const char *)a) != 3 ||
	    a[0] < 'A' || a[0] > 'Z' || a[1] < 'A' || a[1] > 'Z' ||
	    a[2] < 'A' || a[2] > 'Z') {
		xmlFree(a);
		return reject(c, node, "%s: attribute Ccy missing or not a "
		    "currency code", where);
	}
	memcpy(ccy, a, 4);
	xmlFree(a);
	return READ_OK;
}

static int
date_of(struct camt *c, const xmlNode *node, const char *where, day_t *day)
{
	const char *s = text(node, &c->tmp);

	if (date_parse_iso_finnish(s, c->tmp.len, day) < 0)
		return reject(c, node, "%s: '%s' is not a date", where, s);
	return READ_OK;
}

/* A date-or-date-time choice (Dt or DtTm) below node: a DtTm with a
 * zone gives the date in Finland at that instant (a booking at 22:30
 * UTC is the next day's, as the KTL of the same payment has it), one
 * without a zone its date as written (date_parse_iso_finnish()). */
static int
date_choice(struct camt *c, const xmlNode *node, const char *where,
    day_t *day)
{
	xmlNode *e = xml_child(node, "Dt");

	if (e == NULL)
		e = xml_child(node, "DtTm");
	if (e == NULL)
		return reject(c, node, "missing element %s/Dt", where);
	return date_of(c, e, where, day);
}

/* CdtDbtInd below node. */
static int
direction(struct camt *c, const xmlNode *node, const char *where, int *dir)
{
	xmlNode *e;
	const char *s;
	int rc;

	if ((rc = need(c, node, where, "CdtDbtInd", &e)) != READ_OK)
		return rc;
	s = text(e, &c->tmp);
	if (strcmp(s, "CRDT") == 0)
		*dir = CRDT;
	else if (strcmp(s, "DBIT") == 0)
		*dir = DBIT;
	else
		return reject(c, e, "%s/CdtDbtInd: '%s' is neither CRDT nor "
		    "DBIT", where, s);
	return READ_OK;
}

static int
add(struct camt *c, const xmlNode *at, int64_t *sum, int64_t v)
{
	if (money_add(*sum, v, sum) < 0)
		return reject(c, at, "amounts add up beyond what reskontra "
		    "can count");
	return READ_OK;
}

static void
add_warning(struct sbuf *w, const char *code)
{
	if (code == NULL)
		return;
	if (w->len > 0)
		sbuf_addc(w, ',');
	sbuf_adds(w, code);
}

/*
 * The structured creditor reference (RmtInf/Strd/CdtrRefInf/Ref with type
 * SCOR, or with no type) of a transaction, normalised; a bad one is kept
 * and flagged.
 */
static void
reference(struct camt *c, const xmlNode *txn, struct tx *t)
{
	xmlNode *rmt = xml_child(txn, "RmtInf"), *strd, *ref;
	struct sbuf s = SBUF_INIT;
	const char *r;
	size_t len;

	t->ref[0] = '\0';
	t->refwarn = NULL;
	if (rmt == NULL)
		return;
	EACH(strd, rmt, "Strd") {
		xmlNode *info = xml_child(strd, "CdtrRefInf");

		/* Tp is optional: a creditor reference without one is
		 * the creditor's reference all the same */
		if (info == NULL)
			continue;
		if (xml_child(info, "Tp") != NULL && strcmp(text(xml_path(info,
		    "Tp/CdOrPrtry/Cd"), &c->tmp), "SCOR") != 0) {
			if ((ref = xml_child(info, "Ref")) != NULL &&
			    *text(ref, &s) != '\0')
				reader_warn(c->ctx, c->file, line_of(ref), 0,
				    "creditor reference '%s' is not of type "
				    "SCOR; left out", text(ref, &s));
			continue;
		}
		ref = xml_child(info, "Ref");
		if (ref == NULL)
			continue;
		r = text(ref, &s);
		if (*r == '\0')
			continue;	/* an empty Ref gives no reference */
		if (t->ref[0] != '\0' || t->refwarn != NULL) {
			reader_warn(c->ctx, c->file, line_of(ref), 0,
			    "more than one creditor reference; '%s' is "
			    "left out", r);
			continue;
		}
		if (ref_normalise(r, s.len, t->ref) < 0) {
			t->refwarn = "bad-reference";
			reader_warn(c->ctx, c->file, line_of(ref), 0,
			    "reference '%s' is neither a national nor an RF "
			    "reference", r);
			continue;
		}
		len = strlen(t->ref);
		if (len == 0)
			continue;
		if (t->ref[0] == 'R') {
			if (rf_validate(t->ref, len) < 0)
				t->refwarn = "bad-reference";
		} else if (len < 4)
			t->refwarn = ref_validate_short(t->ref, len) == 0 ?
			    "short-reference" : "bad-reference";
		else if (ref_validate(t->ref, len) < 0)
			t->refwarn = "bad-reference";
		if (t->refwarn != NULL)
			reader_warn(c->ctx, c->file, line_of(ref), 0,
			    "reference %s: %s", t->ref,
			    t->refwarn[0] == 's' ? "shorter than 4 digits" :
			    "check digit is wrong");
	}
	sbuf_free(&s);
}

/*
 * The amount of a transaction in an entry: AmtDtls/TxAmt/Amt (.001.02 on),
 * else Amt (.001.03 on).  *has is 0 when neither is given.
 */
static int
tx_amount(struct camt *c, const xmlNode *txn, const char *where,
    const struct entry *e, int64_t *cents, int *has)
{
	xmlNode *a = path2(txn, "AmtDtls/TxAmt/Amt", "Amt");
	char ccy[4];
	int rc;

	*has = a != NULL;
	if (a == NULL)
		return READ_OK;
	if ((rc = amount(c, a, where, cents, ccy)) != READ_OK)
		return rc;
	if (strcmp(ccy, e->ccy) != 0)
		return reject(c, a, "%s: amount in %s, the entry's is in %s",
		    where, ccy, e->ccy);
	return READ_OK;
}

/*
 * What the records need of one TxDtls.  credit: the transaction moved
 * money to us at first (a credit, or the reversal of a debit is not;
 * see formats/camt.md), so the counterparty is the debtor, else the
 * creditor.
 */
static int
read_tx(struct camt *c, const xmlNode *txn, const char *where, int credit,
    struct tx *t)
{
	const char *party = credit ? "Dbtr" : "Cdtr";
	char p1[64], p2[64];
	xmlNode *e, *u;
	int rc;

	text(xml_path(txn, "Refs/AcctSvcrRef"), &t->archive);
	snprintf(p1, sizeof p1, "RltdPties/%s/Nm", party);
	snprintf(p2, sizeof p2, "RltdPties/%s/Pty/Nm", party);
	text(path2(txn, p1, p2), &t->name);
	snprintf(p1, sizeof p1, "RltdPties/%sAcct/Id/IBAN", party);
	e = xml_path(txn, p1);
	if (e != NULL) {
		char iban[IBAN_BUFSZ];

		text(e, &c->tmp);
		iban_normalise(c->tmp.data, c->tmp.len, iban);
		sbuf_reset(&t->account);
		sbuf_adds(&t->account, iban);
	} else {
		snprintf(p1, sizeof p1, "RltdPties/%sAcct/Id/Othr/Id", party);
		text(xml_path(txn, p1), &t->account);
	}
	snprintf(p1, sizeof p1, "RltdAgts/%sAgt/FinInstnId/BIC", party);
	snprintf(p2, sizeof p2, "RltdAgts/%sAgt/FinInstnId/BICFI", party);
	text(path2(txn, p1, p2), &t->bic);
	sbuf_reset(&t->message);
	sbuf_add(&t->message, "", 0);
	if ((e = xml_child(txn, "RmtInf")) != NULL)
		EACH(u, e, "Ustrd") {
			if (t->message.len > 0)
				sbuf_addc(&t->message, '\n');
			text(u, &c->tmp);
			sbuf_add(&t->message, c->tmp.data, c->tmp.len);
		}
	text(xml_path(txn, "BkTxCd/Prtry/Cd"), &t->code);
	text(xml_child(txn, "AddtlTxInf"), &t->info);
	reference(c, txn, t);
	t->paydate = DAY_NONE;
	e = xml_path(txn, "RltdDts/AccptncDtTm");
	if (e != NULL && (rc = date_of(c, e, where, &t->paydate)) != READ_OK)
		return rc;
	return READ_OK;
}

static void
tx_clear(struct tx *t)
{
	sbuf_reset(&t->archive);
	sbuf_add(&t->archive, "", 0);
	sbuf_reset(&t->name);
	sbuf_add(&t->name, "", 0);
	sbuf_reset(&t->account);
	sbuf_add(&t->account, "", 0);
	sbuf_reset(&t->bic);
	sbuf_add(&t->bic, "", 0);
	sbuf_reset(&t->message);
	sbuf_add(&t->message, "", 0);
	sbuf_reset(&t->code);
	sbuf_add(&t->code, "", 0);
	sbuf_reset(&t->info);
	sbuf_add(&t->info, "", 0);
	t->ref[0] = '\0';
	t->refwarn = NULL;
	t->paydate = DAY_NONE;
}

static void
tx_free(struct tx *t)
{
	sbuf_free(&t->archive);
	sbuf_free(&t->name);
	sbuf_free(&t->account);
	sbuf_free(&t->bic);
	sbuf_free(&t->message);
	sbuf_free(&t->code);
	sbuf_free(&t->info);
}

/* First TxDtls of an entry (in its first NtryDtls that has one). */
static xmlNode *
first_tx(const xmlNode *ntry)
{
	xmlNode *dtls, *t;

	EACH(dtls, ntry, "NtryDtls")
		if ((t = xml_child(dtls, "TxDtls")) != NULL)
			return t;
	return NULL;
}

/* Next TxDtls after t, across NtryDtls. */
static xmlNode *
next_tx(const xmlNode *t)
{
	xmlNode *n = next_named(t, "TxDtls"), *dtls;

	if (n != NULL)
		return n;
	for (dtls = next_named(t->parent, "NtryDtls"); dtls != NULL;
	    dtls = next_named(dtls, "NtryDtls"))
		if ((n = xml_child(dtls, "TxDtls")) != NULL)
			return n;
	return NULL;
}

static const char *
or_else(const struct sbuf *a, const struct sbuf *b)
{
	return a->len > 0 ? a->data : b->data;
}

/* camt.054: one pay record. */
static void
write_pay(struct camt *c, const struct report *r, const struct entry *e,
    const struct tx *t, const char *archive, int64_t cents, long line)
{
	struct sbuf warn = SBUF_INIT;

	sbuf_add(&warn, "", 0);
	if (r->bad_iban)
		add_warning(&warn, "bad-iban");
	add_warning(&warn, t->refwarn);
	rec_begin(c->w, "pay");
	rec_str(c->w, r->iban);
	rec_str(c->w, archive);
	rec_date(c->w, e->booked);
	rec_date(c->w, t->paydate != DAY_NONE ? t->paydate : e->booked);
	rec_str(c->w, t->ref);
	rec_str(c->w, t->name.data);
	rec_cents(c->w, cents);
	rec_str(c->w, e->ccy);
	rec_int(c->w, e->reversal);
	rec_str(c->w, "");		/* channel */
	rec_str(c->w, "ref");		/* record_type */
	rec_str(c->w, "");		/* feedback */
	rec_str(c->w, warn.data);
	rec_source(c->w, c->file, line);
	rec_end(c->w);
	sbuf_free(&warn);
}

/*
 * A payment with no archive id (no AcctSvcrRef of its transaction or
 * entry) is named by its place: the notification's Id, the entry's
 * number in it and, in a collective entry, the transaction's
 * ("N1/3/2"), so that the same file sent again is recognised payment by
 * payment.  Nothing is made without an Id.
 */
static void
place_archive(const struct report *r, long k, struct sbuf *out)
{
	char *id = xml_text(xml_child(r->node, "Id"));

	if (id != NULL && *id != '\0') {
		sbuf_reset(out);
		sbuf_addf(out, "%s/%ld", id, r->nentry);
		if (k > 0)
			sbuf_addf(out, "/%ld", k);
	}
	free(id);
}

/* The number of payments NtryDtls/Btch/NbOfTxs gives entry ntry, 0 when
 * it gives none (or no number). */
static long
batch_size(const xmlNode *ntry)
{
	xmlNode *n = xml_path(ntry, "NtryDtls/Btch/NbOfTxs");
	char *s = n != NULL ? xml_text(n) : NULL;
	uint64_t v;
	long r = 0;

	if (s != NULL && parse_uint(s, strlen(s), &v) == 0 && v <= LONG_MAX)
		r = (long)v;
	free(s);
	return r;
}

static int
entry_pays(struct camt *c, const struct report *r, const struct entry *e,
    struct tx *t)
{
	char where[64];
	xmlNode *txn;
	int64_t cents;
	long k, nbatch;
	int has, rc;

	if (e->dir == DBIT && !e->reversal) {
		reader_warn(c->ctx, c->file, line_of(e->node), 0,
		    "debit entry is not an incoming payment; skipped");
		return READ_OK;
	}
	snprintf(where, sizeof where, "%s/Ntry/NtryDtls/TxDtls", c->rpt);
	txn = first_tx(e->node);
	if (e->ntx <= 1 && (nbatch = batch_size(e->node)) > 1 &&
	    (e->ntx == 0 || path2(txn, "AmtDtls/TxAmt/Amt", "Amt") == NULL)) {
		char a[MONEY_BUFSZ];

		/* A notification's entry that is the sum of a batch and
		 * names none of its payments (or one transaction with no
		 * amount, which is not the batch's payments either): they
		 * come itemised in another notification (or a KTL), and
		 * booking the sum as well would count the money twice, or
		 * put the whole batch on one reference. */
		reader_warn(c->ctx, c->file, line_of(e->node), 0,
		    "entry of %s is a batch of %ld payments (NtryDtls/Btch) "
		    "%s: not booked; its payments are booked from the file "
		    "that itemises them", money_format(e->amount, a), nbatch,
		    e->ntx == 0 ? "without their transactions" :
		    "with one transaction and no amount of its own");
		return READ_OK;
	}
	if (e->ntx <= 1) {
		tx_clear(t);
		if (txn != NULL &&
		    (rc = read_tx(c, txn, where, 1, t)) != READ_OK)
			return rc;
		if (e->archive.len == 0 && t->archive.len == 0)
			place_archive(r, 0, &t->archive);
		write_pay(c, r, e, t, or_else(&e->archive, &t->archive),
		    e->amount, line_of(e->node));
		return READ_OK;
	}
	for (k = 1; txn != NULL; txn = next_tx(txn), k++) {
		tx_clear(t);
		if ((rc = read_tx(c, txn, where, 1, t)) != READ_OK ||
		    (rc = tx_amount(c, txn, where, e, &cents, &has)) != READ_OK)
			return rc;
		/* a transaction without an archive id of its own takes the
		 * entry's with its number in the entry: the payments of
		 * one entry are never repeats of each other, and the same
		 * entry sent again has the same ids */
		if (t->archive.len == 0 && e->archive.len > 0) {
			sbuf_reset(&t->archive);
			sbuf_addf(&t->archive, "%s/%ld", e->archive.data, k);
		} else if (t->archive.len == 0)
			place_archive(r, k, &t->archive);
		write_pay(c, r, e, t, or_else(&t->archive, &e->archive), cents,
		    line_of(txn));
	}
	return READ_OK;
}

/* camt.053: one txn record. */
static void
write_txn(struct camt *c, const struct report *r, const struct entry *e,
    const struct tx *t, const char *archive, const char *code,
    const char *btext, int64_t cents, int level, long line)
{
	struct sbuf warn = SBUF_INIT;
	int type;

	if (!e->reversal)
		type = e->dir == CRDT ? 1 : 2;
	else
		type = e->dir == DBIT ? 3 : 4;
	sbuf_add(&warn, "", 0);
	if (r->bad_iban)
		add_warning(&warn, "bad-iban");
	add_warning(&warn, t->refwarn);
	rec_begin(c->w, "txn");
	rec_str(c->w, r->iban);
	rec_str(c->w, archive);
	rec_date(c->w, e->booked);
	rec_date(c->w, e->value);
	rec_int(c->w, type);
	rec_str(c->w, code);
	rec_str(c->w, btext);
	rec_cents(c->w, e->dir == CRDT ? cents : -cents);
	rec_str(c->w, t->name.data);
	rec_str(c->w, t->account.data);
	rec_str(c->w, t->ref);
	rec_str(c->w, t->message.data);
	rec_date(c->w, t->paydate);
	rec_int(c->w, level);
	rec_str(c->w, t->bic.data);
	rec_str(c->w, warn.data);
	rec_source(c->w, c->file, line);
	rec_end(c->w);
	sbuf_free(&warn);
}

static int
entry_txns(struct camt *c, const struct report *r, const struct entry *e,
    struct tx *t)
{
	char where[64];
	xmlNode *txn;
	int64_t cents;
	int credit = (e->dir == CRDT) != e->reversal;
	int has, rc;

	snprintf(where, sizeof where, "%s/Ntry/NtryDtls/TxDtls", c->rpt);
	txn = first_tx(e->node);
	tx_clear(t);
	if (e->ntx == 1 && (rc = read_tx(c, txn, where, credit, t)) != READ_OK)
		return rc;
	write_txn(c, r, e, t, or_else(&e->archive, &t->archive),
	    or_else(&e->code, &t->code), e->info.data, e->amount, 0,
	    line_of(e->node));
	if (e->ntx <= 1)
		return READ_OK;
	for (; txn != NULL; txn = next_tx(txn)) {
		tx_clear(t);
		if ((rc = read_tx(c, txn, where, credit, t)) != READ_OK ||
		    (rc = tx_amount(c, txn, where, e, &cents, &has)) != READ_OK)
			return rc;
		write_txn(c, r, e, t, or_else(&t->archive, &e->archive),
		    or_else(&t->code, &e->code), t->info.data, cents, 1,
		    line_of(txn));
	}
	return READ_OK;
}

/* Count and sum an entry with direction dir into k. */
static int
count_in(struct camt *c, const struct entry *e, int dir, struct counts *k)
{
	int rc;

	if ((rc = add(c, e->node, &k->net, dir == CRDT ? e->amount :
	    -e->amount)) != READ_OK)
		return rc;
	if (dir == CRDT) {
		k->ncdt++;
		return add(c, e->node, &k->sumcdt, e->amount);
	}
	k->ndbt++;
	return add(c, e->node, &k->sumdbt, e->amount);
}

/*
 * Count and sum an entry for TxsSummry, both as ISO counts it (by
 * CdtDbtInd) and as Finnish banks count a reversal (always a debit: the
 * correction of a payment takes money back, whichever CdtDbtInd the
 * bank gave it).
 */
static int
summarise(struct camt *c, struct report *r, const struct entry *e)
{
	int rc;

	r->n++;
	if (e->reversal && e->dir == CRDT)
		r->nrevcdt++;
	if ((rc = add(c, e->node, &r->sum, e->amount)) != READ_OK ||
	    (rc = count_in(c, e, e->dir, &r->iso)) != READ_OK)
		return rc;
	return count_in(c, e, e->reversal ? DBIT : e->dir, &r->rev);
}

/* RvslInd of entry ntry (at where) into e->reversal: 0 when absent. */
static int
entry_reversal(struct camt *c, const xmlNode *ntry, const char *where,
    struct entry *e)
{
	const xmlNode *x;
	const char *s;

	e->reversal = 0;
	if ((x = xml_child(ntry, "RvslInd")) == NULL)
		return READ_OK;
	s = text(x, &c->tmp);
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		e->reversal = 1;
	else if (strcmp(s, "false") != 0 && strcmp(s, "0") != 0)
		return reject(c, x, "%s/RvslInd: '%s' is not true or false",
		    where, s);
	return READ_OK;
}

/* BookgDt (required) and ValDt (DAY_NONE when absent) of a booked entry
 * into e. */
static int
entry_dates(struct camt *c, const xmlNode *ntry, const char *where,
    struct entry *e)
{
	char dwhere[64];
	xmlNode *x;
	int rc;

	snprintf(dwhere, sizeof dwhere, "%s/BookgDt", where);
	if ((rc = need(c, ntry, where, "BookgDt", &x)) != READ_OK ||
	    (rc = date_choice(c, x, dwhere, &e->booked)) != READ_OK)
		return rc;
	e->value = DAY_NONE;
	snprintf(dwhere, sizeof dwhere, "%s/ValDt", where);
	if ((x = xml_child(ntry, "ValDt")) != NULL &&
	    (rc = date_choice(c, x, dwhere, &e->value)) != READ_OK)
		return rc;
	return READ_OK;
}

/* Count the transactions of entry ntry into e->ntx and check that those of
 * a collective entry each have an amount and add up to the entry's. */
static int
entry_tx_sum(struct camt *c, const xmlNode *ntry, const char *where,
    struct entry *e)
{
	char twhere[64];
	xmlNode *txn, *missing = NULL;
	int64_t sum = 0, cents;
	int has, rc;

	snprintf(twhere, sizeof twhere, "%s/NtryDtls/TxDtls", where);
	for (txn = first_tx(ntry); txn != NULL; txn = next_tx(txn)) {
		e->ntx++;
		if ((rc = tx_amount(c, txn, twhere, e, &cents,
		    &has)) != READ_OK)
			return rc;
		if (!has) {
			if (missing == NULL)
				missing = txn;
			continue;
		}
		if ((rc = add(c, txn, &sum, cents)) != READ_OK)
			return rc;
	}
	if (e->ntx > 1 && missing != NULL)
		return reject(c, missing, "missing element %s/NtryDtls/TxDtls/"
		    "AmtDtls/TxAmt/Amt (each transaction of a collective entry "
		    "needs its amount)", where);
	if (e->ntx > 0 && missing == NULL && sum != e->amount) {
		char a[MONEY_BUFSZ], b[MONEY_BUFSZ];

		return reject(c, e->amtnode, "%s/Amt is %s but its %ld "
		    "transactions (TxDtls) add up to %s", where,
		    money_format(e->amount, a), e->ntx, money_format(sum, b));
	}
	return READ_OK;
}

/* Keep the booking date and signed amount of e for the balance check. */
static void
note_booked(struct report *r, const struct entry *e)
{
	if (r->nbooked == r->capbooked) {
		r->capbooked = r->capbooked ? 2 * r->capbooked : 64;
		r->booked = xrealloc(r->booked,
		    r->capbooked * sizeof *r->booked);
	}
	r->booked[r->nbooked].day = e->booked;
	r->booked[r->nbooked].cents = e->dir == CRDT ? e->amount : -e->amount;
	r->nbooked++;
}

/* Read entry ntry of report r into e and write its records (t is
 * scratch); an entry not booked is only counted. */
static int
read_entry(struct camt *c, struct report *r, const xmlNode *ntry,
    struct entry *e, struct tx *t)
{
	char where[32];
	xmlNode *x;
	const char *sts;
	int rc;

	snprintf(where, sizeof where, "%s/Ntry", c->rpt);
	e->node = ntry;
	e->ntx = 0;
	r->nentry++;
	if ((rc = need(c, ntry, where, "Amt", &x)) != READ_OK ||
	    (rc = amount(c, x, where, &e->amount, e->ccy)) != READ_OK ||
	    (rc = direction(c, ntry, where, &e->dir)) != READ_OK)
		return rc;
	e->amtnode = x;
	if ((rc = entry_reversal(c, ntry, where, e)) != READ_OK)
		return rc;
	if ((rc = need(c, ntry, where, "Sts", &x)) != READ_OK)
		return rc;
	sts = text(x, &c->tmp);		/* .001.08 puts it in Sts/Cd */
	if (strcmp(sts, "BOOK") != 0) {
		reader_warn(c->ctx, c->file, line_of(ntry), 0,
		    "entry status is %s, not BOOK (booked); skipped", sts);
		return summarise(c, r, e);
	}
	/* A plain debit without a booking date is no payment and moves no
	 * receivable: it is left out, not made a reason to hold back the
	 * file.  Money coming in (or a correction of it) must be dated. */
	if (xml_child(ntry, "BookgDt") == NULL && e->dir == DBIT &&
	    !e->reversal) {
		reader_warn(c->ctx, c->file, line_of(ntry), 0,
		    "debit entry has no booking date (BookgDt); skipped");
		return summarise(c, r, e);
	}
	if ((rc = entry_dates(c, ntry, where, e)) != READ_OK)
		return rc;
	text(xml_child(ntry, "AcctSvcrRef"), &e->archive);
	text(xml_path(ntry, "BkTxCd/Prtry/Cd"), &e->code);
	text(xml_child(ntry, "AddtlNtryInf"), &e->info);

	/* The transactions of a collective entry must add up to it. */
	if ((rc = entry_tx_sum(c, ntry, where, e)) != READ_OK ||
	    (rc = summarise(c, r, e)) != READ_OK)
		return rc;
	note_booked(r, e);
	if (c->msg == 53)
		return entry_txns(c, r, e, t);
	return entry_pays(c, r, e, t);
}

/*
 * The TxsSummry checks reject on a total that disagrees with the entries
 * and set *mismatch then, so that a total can be tried under another way
 * of counting; a malformed total rejects without it.
 */

/* A TxsSummry count element against what the entries gave. */
static int
check_count(struct camt *c, const xmlNode *parent, const char *where,
    long have, int *mismatch)
{
	xmlNode *e = xml_child(parent, "NbOfNtries");
	uint64_t v;
	const char *s;

	if (e == NULL)
		return READ_OK;
	s = text(e, &c->tmp);
	if (parse_uint(s, c->tmp.len, &v) < 0)
		return reject(c, e, "%s/NbOfNtries: '%s' is not a number",
		    where, s);
	if (v != (uint64_t)have) {
		*mismatch = 1;
		return reject(c, e, "%s/NbOfNtries is %s but there are %ld "
		    "entries", where, s, have);
	}
	return READ_OK;
}

static int
check_sum(struct camt *c, const xmlNode *parent, const char *where,
    int64_t have, int *mismatch)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], path[96];
	xmlNode *e = xml_child(parent, "Sum");
	int64_t v;
	int rc;

	if (e == NULL)
		return READ_OK;
	snprintf(path, sizeof path, "%s/Sum", where);
	if ((rc = amount(c, e, path, &v, NULL)) != READ_OK)
		return rc;
	if (v != have) {
		*mismatch = 1;
		return reject(c, e, "%s is %s but the entries add up to %s",
		    path, money_format(v, a), money_format(have, b));
	}
	return READ_OK;
}

/* The net total: TtlNetNtryAmt + CdtDbtInd (.001.02) or TtlNetNtry/Amt +
 * CdtDbtInd (later versions). */
static int
check_net(struct camt *c, const xmlNode *ttl, const char *where,
    int64_t have, int *mismatch)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	const xmlNode *holder = ttl;
	xmlNode *e = xml_child(ttl, "TtlNetNtryAmt");
	int64_t v;
	int dir, rc;

	if (e == NULL) {
		holder = xml_child(ttl, "TtlNetNtry");
		if (holder == NULL)
			return READ_OK;
		if ((rc = need(c, holder, where, "Amt", &e)) != READ_OK)
			return rc;
	}
	if ((rc = amount(c, e, where, &v, NULL)) != READ_OK ||
	    (rc = direction(c, holder, where, &dir)) != READ_OK)
		return rc;
	if (dir == DBIT)
		v = -v;
	if (v != have) {
		*mismatch = 1;
		return reject(c, e, "%s: net total is %s but the entries net "
		    "to %s", where, money_format(v, a), money_format(have, b));
	}
	return READ_OK;
}

/* Every total TxsSummry s gives against the entries counted as k. */
static int
check_totals(struct camt *c, const struct report *r, const xmlNode *s,
    const struct counts *k, int *mismatch)
{
	xmlNode *t;
	char where[64];
	int rc;

	*mismatch = 0;
	if ((t = xml_child(s, "TtlNtries")) != NULL) {
		snprintf(where, sizeof where, "%s/TxsSummry/TtlNtries", c->rpt);
		if ((rc = check_count(c, t, where, r->n, mismatch)) !=
		    READ_OK ||
		    (rc = check_sum(c, t, where, r->sum, mismatch)) !=
		    READ_OK ||
		    (rc = check_net(c, t, where, k->net, mismatch)) != READ_OK)
			return rc;
	}
	if ((t = xml_child(s, "TtlCdtNtries")) != NULL) {
		snprintf(where, sizeof where, "%s/TxsSummry/TtlCdtNtries",
		    c->rpt);
		if ((rc = check_count(c, t, where, k->ncdt, mismatch)) !=
		    READ_OK ||
		    (rc = check_sum(c, t, where, k->sumcdt, mismatch)) !=
		    READ_OK)
			return rc;
	}
	if ((t = xml_child(s, "TtlDbtNtries")) != NULL) {
		snprintf(where, sizeof where, "%s/TxsSummry/TtlDbtNtries",
		    c->rpt);
		if ((rc = check_count(c, t, where, k->ndbt, mismatch)) !=
		    READ_OK ||
		    (rc = check_sum(c, t, where, k->sumdbt, mismatch)) !=
		    READ_OK)
			return rc;
	}
	return READ_OK;
}

/*
 * TxsSummry against the entries.  The totals must agree with the entries
 * counted by CdtDbtInd, or with every reversal counted as a debit (as
 * Finnish banks count a CRDT entry with RvslInd: the correction of a
 * payment); the second is accepted with a warning.  Counted so or so, the
 * reversals marked CRDT are the only difference, so a total that neither
 * explains rejects the file, with the message of the ISO counting.
 */
static int
check_summary(struct camt *c, const struct report *r)
{
	xmlNode *s = xml_child(r->node, "TxsSummry");
	struct diag before = *c->d, iso;
	int rc, mismatch, revmismatch;

	if (s == NULL)
		return READ_OK;
	rc = check_totals(c, r, s, &r->iso, &mismatch);
	if (r->nrevcdt == 0 || (rc != READ_OK && !mismatch))
		return rc;
	iso = *c->d;
	if (check_totals(c, r, s, &r->rev, &revmismatch) != READ_OK) {
		*c->d = rc == READ_OK ? before : iso;
		if (rc == READ_OK && c->msg == 54)
			reader_warn(c->ctx, c->file, line_of(s), 0,
			    "TxsSummry counts the reversals marked CRDT (%ld) "
			    "as credits, as ISO 20022 does; they are read as "
			    "corrections of payments all the same",
			    r->nrevcdt);
		return rc;
	}
	*c->d = before;
	if (rc != READ_OK)
		reader_warn(c->ctx, c->file, line_of(s), 0,
		    "TxsSummry counts the reversals marked CRDT (%ld) as "
		    "debits, as Finnish banks count a correction, not as "
		    "ISO 20022 credits", r->nrevcdt);
	return READ_OK;
}

/* One Bal of a statement. */
struct balance {
	const xmlNode *node;
	char code[8];		/* OPBD, PRCD, CLBD, CLAV, ... ("" if Prtry) */
	int64_t cents;		/* signed */
	char ccy[4];
	day_t day;
};

static int
read_balances(struct camt *c, const xmlNode *stmt, struct balance **out,
    size_t *nout)
{
	struct balance *b = NULL;
	size_t n = 0, cap = 0;
	xmlNode *bal, *x;
	int dir, rc = READ_OK;

	EACH(bal, stmt, "Bal") {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			b = xrealloc(b, cap * sizeof *b);
		}
		b[n].node = bal;
		snprintf(b[n].code, sizeof b[n].code, "%s",
		    text(xml_path(bal, "Tp/CdOrPrtry/Cd"), &c->tmp));
		if ((rc = need(c, bal, "Stmt/Bal", "Amt", &x)) != READ_OK ||
		    (rc = amount(c, x, "Stmt/Bal/Amt", &b[n].cents,
		    b[n].ccy)) != READ_OK ||
		    (rc = direction(c, bal, "Stmt/Bal", &dir)) != READ_OK ||
		    (rc = need(c, bal, "Stmt/Bal", "Dt", &x)) != READ_OK ||
		    (rc = date_choice(c, x, "Stmt/Bal/Dt", &b[n].day)) != READ_OK)
			break;
		if (dir == DBIT)
			b[n].cents = -b[n].cents;
		n++;
	}
	*out = b;
	*nout = n;
	return rc;
}

static const struct balance *
find_balance(const struct balance *b, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(b[i].code, code) == 0)
			return &b[i];
	return NULL;
}

/*
 * Opening balance + booked entries up to a closing balance's date must
 * give that closing balance.
 */
static int
check_balances(struct camt *c, const struct report *r,
    const struct balance *open, const struct balance *b, size_t n)
{
	char x[MONEY_BUFSZ], y[MONEY_BUFSZ], z[MONEY_BUFSZ], s[MONEY_BUFSZ];
	int64_t sum, moved;
	size_t i, k;
	int rc;

	if (open == NULL)
		return READ_OK;
	for (i = 0; i < n; i++) {
		if (strcmp(b[i].code, "CLBD") != 0)
			continue;
		moved = 0;
		for (k = 0; k < r->nbooked; k++)
			if (r->booked[k].day <= b[i].day &&
			    (rc = add(c, b[i].node, &moved,
			    r->booked[k].cents)) != READ_OK)
				return rc;
		sum = open->cents;
		if ((rc = add(c, b[i].node, &sum, moved)) != READ_OK)
			return rc;
		if (sum != b[i].cents)
			return reject(c, b[i].node, "Stmt/Bal: closing balance "
			    "(CLBD) is %s but the opening balance %s and the "
			    "booked entries %s give %s",
			    money_format(b[i].cents, x),
			    money_format(open->cents, y),
			    money_format(moved, z), money_format(sum, s));
	}
	return READ_OK;
}

static void
write_bals(struct camt *c, const struct report *r, const struct balance *b,
    size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct balance *av = NULL;

		if (strcmp(b[i].code, "CLBD") != 0)
			continue;
		for (k = 0; k < n && av == NULL; k++)
			if (strcmp(b[k].code, "CLAV") == 0 &&
			    b[k].day == b[i].day)
				av = &b[k];
		rec_begin(c->w, "bal");
		rec_str(c->w, r->iban);
		rec_date(c->w, b[i].day);
		rec_cents(c->w, b[i].cents);
		if (av != NULL)
			rec_cents(c->w, av->cents);
		else
			rec_str(c->w, "");
		rec_source(c->w, c->file, line_of(b[i].node));
		rec_end(c->w);
	}
}

/* A statement without FrToDt (it is optional) covers the days it
 * speaks of: its booked entries' booking dates and its closing
 * balance's date, from the first to the last.  Dates that do not parse
 * are left out (read_entry() rejects the file for them). */
static void
stmt_days(struct camt *c, const xmlNode *stmt, const struct balance *b,
    size_t nb, day_t *from, day_t *to)
{
	const struct balance *close = find_balance(b, nb, "CLBD");
	xmlNode *ntry, *e;
	day_t day;

	*from = *to = DAY_NONE;
	EACH(ntry, stmt, "Ntry") {
		if ((e = xml_child(ntry, "BookgDt")) == NULL ||
		    ((e = xml_child(e, "Dt")) == NULL &&
		    (e = xml_child(xml_child(ntry, "BookgDt"), "DtTm")) ==
		    NULL) || date_parse_iso_finnish(text(e, &c->tmp),
		    c->tmp.len, &day) < 0)
			continue;
		if (*from == DAY_NONE || day < *from)
			*from = day;
		if (*to == DAY_NONE || day > *to)
			*to = day;
	}
	if (close != NULL && close->day != DAY_NONE) {
		if (*from == DAY_NONE || close->day < *from)
			*from = close->day;
		if (*to == DAY_NONE || close->day > *to)
			*to = close->day;
	}
}

static void
write_stmt(struct camt *c, const struct report *r, const xmlNode *stmt,
    const struct balance *open, const struct balance *b, size_t nb)
{
	const xmlNode *acct = xml_child(stmt, "Acct");
	xmlNode *x;
	day_t from = DAY_NONE, to = DAY_NONE;

	/* Period dates are checked, a bad one is only left out: nothing
	 * downstream depends on them but the reconciliation, which takes
	 * the days the statement speaks of when it has no period. */
	if ((x = xml_path(stmt, "FrToDt/FrDtTm")) != NULL &&
	    date_parse_iso_finnish(text(x, &c->tmp), c->tmp.len, &from) < 0)
		from = DAY_NONE;
	if ((x = xml_path(stmt, "FrToDt/ToDtTm")) != NULL &&
	    date_parse_iso_finnish(text(x, &c->tmp), c->tmp.len, &to) < 0)
		to = DAY_NONE;
	if (xml_child(stmt, "FrToDt") == NULL)
		stmt_days(c, stmt, b, nb, &from, &to);
	rec_begin(c->w, "stmt");
	rec_str(c->w, r->iban);
	rec_str(c->w, text(path2(acct, "Svcr/FinInstnId/BIC",
	    "Svcr/FinInstnId/BICFI"), &c->tmp));
	x = xml_child(stmt, "LglSeqNb");
	if (x == NULL)
		x = xml_child(stmt, "ElctrncSeqNb");
	if (x == NULL)
		x = xml_child(stmt, "Id");
	rec_str(c->w, text(x, &c->tmp));
	rec_date(c->w, from);
	rec_date(c->w, to);
	if (open != NULL)
		rec_cents(c->w, open->cents);
	else
		rec_str(c->w, "");
	x = xml_child(acct, "Ccy");
	rec_str(c->w, x != NULL ? text(x, &c->tmp) : open != NULL ?
	    open->ccy : "");
	rec_str(c->w, text(xml_path(acct, "Ownr/Nm"), &c->tmp));
	rec_source(c->w, c->file, line_of(stmt));
	rec_end(c->w);
}

/*
 * The report's own account into r->iban: Acct/Id/IBAN, normalised and
 * checked (a bad one is kept and flagged), else Acct/Id/Othr/Id: a
 * Finnish account number (the old form 123456-785, or 14 digits with
 * SchmeNm/Cd BBAN, its check digit right) as its IBAN, the account
 * KTL and KTO files give; any other as given (a bank's own account
 * number; no check, since no rule for it is known).
 */
static int
report_account(struct camt *c, const xmlNode *acct, const char *where,
    struct report *r)
{
	xmlNode *x;

	if ((x = xml_path(acct, "Id/IBAN")) != NULL) {
		text(x, &c->tmp);
		iban_normalise(c->tmp.data, c->tmp.len, r->iban);
		if (iban_validate(r->iban, strlen(r->iban)) < 0) {
			r->bad_iban = 1;
			reader_warn(c->ctx, c->file, line_of(x), 0,
			    "account IBAN %s fails its length or check digits "
			    "(bad-iban)", r->iban);
		}
		return READ_OK;
	}
	if ((x = xml_path(acct, "Id/Othr/Id")) == NULL)
		return reject(c, acct, "missing element %s/Id/IBAN (or "
		    "Id/Othr/Id)", where);
	text(x, &c->tmp);
	if (c->tmp.len == 0)
		return reject(c, x, "%s/Id/Othr/Id is empty", where);
	if (str_copy_fit(r->iban, sizeof r->iban, c->tmp.data) < 0)
		return reject(c, x, "%s/Id/Othr/Id is longer than %zu "
		    "characters", where, sizeof r->iban - 1);
	/* OP's virtual statement names its account as KTO does */
	account_as_iban(r->iban);
	return READ_OK;
}

static int
read_report(struct camt *c, const xmlNode *node)
{
	struct report r;
	struct entry e;
	struct tx t;
	struct balance *bals = NULL;
	const struct balance *open = NULL;
	size_t nbals = 0;
	xmlNode *acct, *ntry;
	char where[32];
	int rc;

	memset(&r, 0, sizeof r);
	memset(&e, 0, sizeof e);
	memset(&t, 0, sizeof t);
	r.node = node;
	snprintf(where, sizeof where, "%s/Acct", c->rpt);
	if ((rc = need(c, node, c->rpt, "Acct", &acct)) != READ_OK)
		goto out;
	if ((rc = report_account(c, acct, where, &r)) != READ_OK)
		goto out;
	if (c->msg == 53) {
		if ((rc = read_balances(c, node, &bals, &nbals)) != READ_OK)
			goto out;
		open = find_balance(bals, nbals, "OPBD");
		if (open == NULL)
			open = find_balance(bals, nbals, "PRCD");
		write_stmt(c, &r, node, open, bals, nbals);
	}
	EACH(ntry, node, "Ntry")
		if ((rc = read_entry(c, &r, ntry, &e, &t)) != READ_OK)
			goto out;
	if ((rc = check_summary(c, &r)) != READ_OK)
		goto out;
	if (c->msg == 53) {
		if ((rc = check_balances(c, &r, open, bals, nbals)) != READ_OK)
			goto out;
		write_bals(c, &r, bals, nbals);
	}
out:
	free(bals);
	free(r.booked);
	sbuf_free(&e.archive);
	sbuf_free(&e.code);
	sbuf_free(&e.info);
	tx_free(&t);
	return rc;
}

static xmlNode *
first_element(const xmlNode *node)
{
	xmlNode *c;

	for (c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

/*
 * Which message the document is: the namespace
 * urn:iso:std:iso:20022:tech:xsd:camt.05N.001.VV and the message element
 * must agree.
 */
static int
message_kind(struct camt *c, const xmlNode *root, xmlNode **msg)
{
	const char *ns, *v;
	int kind = 0, version;

	if (strcmp((const char *)root->name, "Document") != 0)
		return reject(c, root, "root element is %s, not the camt "
		    "Document", (const char *)root->name);
	ns = root->ns != NULL ? (const char *)root->ns->href : "";
	/* past the prefix only when ns has it (and so is that long) */
	v = strncmp(ns, CAMT_NS, strlen(CAMT_NS)) == 0 ?
	    ns + strlen(CAMT_NS) : "";
	if ((strncmp(v, "053.001.", 8) != 0 && strncmp(v, "054.001.", 8) != 0) ||
	    v[8] < '0' || v[8] > '9' || v[9] < '0' || v[9] > '9' ||
	    v[10] != '\0')
		return reject(c, root, "namespace '%s' is not camt.053 or "
		    "camt.054", ns);
	kind = v[2] == '3' ? 53 : 54;
	version = (v[8] - '0') * 10 + (v[9] - '0');
	if (version < VERSION_MIN || version > VERSION_MAX)
		return reject(c, root, "camt.%03d.001.%02d is not read "
		    "(versions .001.%02d to .001.%02d are)", kind, version,
		    VERSION_MIN, VERSION_MAX);
	*msg = first_element(root);
	if (*msg == NULL || strcmp((const char *)(*msg)->name, kind == 53 ?
	    "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn") != 0)
		return reject(c, *msg ? *msg : root, "a camt.%03d document "
		    "must hold %s", kind, kind == 53 ? "BkToCstmrStmt" :
		    "BkToCstmrDbtCdtNtfctn");
	c->msg = kind;
	c->rpt = kind == 53 ? "Stmt" : "Ntfctn";
	return READ_OK;
}

/* The whole input into b, refusing more than XML_MAX_DOC bytes. */
static int
slurp(struct input *in, struct sbuf *b, struct diag *d)
{
	char chunk[65536];
	long n;

	while ((n = input_read(in, chunk, sizeof chunk, d)) > 0) {
		if (b->len + (size_t)n > (size_t)XML_MAX_DOC) {
			diag_set(d, input_name(in), 0, 0, "larger than %ld "
			    "bytes: a camt file is read whole, and one this "
			    "large is not a day's statement or notification",
			    XML_MAX_DOC);
			return READ_REJECT;
		}
		sbuf_add(b, chunk, (size_t)n);
	}
	if (n < 0)
		return input_error_is_io(in) ? READ_SYSERR : READ_REJECT;
	return READ_OK;
}

int
read_camt(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d)
{
	struct camt c;
	struct sbuf buf = SBUF_INIT;
	xmlDocPtr doc = NULL;
	xmlNode *msg = NULL, *rpt;
	long nrpt = 0;
	int rc;

	memset(&c, 0, sizeof c);
	c.file = input_name(in);
	c.ctx = ctx;
	c.w = w;
	c.d = d;
	if ((rc = slurp(in, &buf, d)) != READ_OK)
		goto out;
	doc = xml_parse_safe(buf.data ? buf.data : "", buf.len, c.file, 1, d);
	if (doc == NULL) {
		rc = READ_REJECT;
		goto out;
	}
	sbuf_free(&buf);	/* the tree holds what is needed now */
	if ((rc = message_kind(&c, xmlDocGetRootElement(doc), &msg)) !=
	    READ_OK)
		goto out;
	if (ctx->schema)
		reader_warn(ctx, c.file, 0, 0, "no XML schema for camt is "
		    "installed; checked without one");
	EACH(rpt, msg, c.rpt) {
		nrpt++;
		if ((rc = read_report(&c, rpt)) != READ_OK)
			goto out;
	}
	if (nrpt == 0)
		rc = reject(&c, msg, "missing element %s", c.rpt);
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	sbuf_free(&buf);
	sbuf_free(&c.tmp);
	return rc;
}
