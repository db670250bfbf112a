/*
 * finvoice_route: a transmission file written after routing
 * (finvoice_route.h).  Moved out of `reskontra rewrite` so that
 * `reskontra run` writes the same bytes into its staged outputs.
 *
 * The file is read a part at a time (base/fvsplit.h): the frame before a
 * message is held until the message's fate is known (it goes with the
 * message, to the file to send or to the rejected one), and the file to
 * send is written as the messages come, so memory is one message and
 * its frame, not the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/fvsplit.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/outfile.h"
#include "base/util.h"
#include "base/xmlsafe.h"
#include "ledger/assign.h"
#include "ledger/fbatch.h"
#include "route/factoring.h"
#include "route/route.h"
#include "route/router.h"
#include "write/finvoice_rewrite.h"
#include "write/finvoice_route.h"

int
fvroute_init(struct fvroute *fr, const struct config *conf,
    struct assign *a, struct diag *d)
{
	memset(fr, 0, sizeof(*fr));
	fr->conf = conf;
	fr->a = a;
	if (!router_service_routes(conf->service) ||
	    conf->service == SERVICE_FACTORING)
		return 0;	/* factoring: the accounts' IBANs */
	if ((conf->service_iban == NULL || *conf->service_iban == '\0') &&
	    !(conf->service == SERVICE_AMILI && conf->own_account)) {
		diag_set(d, conf->path, conf->service_line, 0,
		    "[service] iban is required for "
		    "type = %s", config_service_name(conf->service));
		return -1;
	}
	if (conf->service_bic != NULL && *conf->service_bic != '\0')
		snprintf(fr->bic, sizeof(fr->bic), "%s", conf->service_bic);
	else if (conf->service_iban != NULL)
		if (bic_from_account(conf->service_iban,
		    strlen(conf->service_iban), fr->bic) != 0)
			fr->bic[0] = '\0';
	return 0;
}

/* The values a routed invoice is rewritten with. */
static void
values_for(const struct fvroute *fr, const struct assignment *x,
    struct rewrite_values *v, struct sbuf *clause, struct sbuf *portal,
    char *agreement, size_t asize)
{
	const struct config *c = fr->conf;
	const char *tmpl = NULL;
	int own = c->service == SERVICE_AMILI && c->own_account;

	memset(v, 0, sizeof(*v));
	if (strcmp(x->language, "sv") == 0)
		tmpl = c->clause_sv;
	else if (strcmp(x->language, "en") == 0)
		tmpl = c->clause_en;
	else
		tmpl = c->clause_fi;
	if (tmpl == NULL || *tmpl == '\0')
		tmpl = route_default_clause(x->language);
	route_fill_clause(tmpl, c->company_name, c->company_contact, c->phone,
	    c->service_name, clause);
	snprintf(agreement, asize, "%lld", (long long)x->number);
	v->agreement = agreement;
	v->party = c->service_name;
	v->clause = clause->data;
	v->drop_image = 1;
	if (!own) {
		v->iban = c->service_iban;
		v->bic = fr->bic[0] != '\0' ? fr->bic : NULL;
	}
	if (c->service == SERVICE_OP_LASKULAINA)
		return;
	if (!own)
		v->payee = c->service_name;
	v->reference = x->service_reference;
	if (c->portal_url != NULL && *c->portal_url != '\0' &&
	    x->login_code[0] != '\0') {
		route_portal_line(x->language, c->portal_url, x->login_code,
		    portal);
		v->free_text = portal->data;
	}
}

/* Room for the values of a factoring invoice. */
struct factoring_bufs {
	char bic[BIC_BUFSZ];
	char batch[24];
	char reference[REF_BUFSZ];
};

/* The values a factoring invoice is rewritten with (formats/
 * factoring.md): the account's IBAN and BIC, the factoring reference
 * (kept on a credit note), the agreement details with the batch and the
 * clause.  0, or -1 with d. */
static int
factoring_values_for(const struct fvroute *fr, const struct assignment *x,
    struct rewrite_values *v, struct sbuf *clause, struct factoring_bufs *b,
    struct diag *d)
{
	struct fbatch_ref fb;
	const struct conf_factoring *f;
	int r;

	memset(v, 0, sizeof(*v));
	if (fr->ledger == NULL)
		r = 0;
	else if ((r = fbatch_of_assignment(fr->ledger, x->id, &fb, d)) < 0)
		return -1;
	if (r == 0 || (f = config_factoring(fr->conf, fb.account)) == NULL) {
		diag_set(d, fr->conf->path, 0, 0, "invoice %s: no factoring "
		    "account for its assignment %lld", x->invoice_no,
		    (long long)x->number);
		return -1;
	}
	factoring_clause(f, x->language, fr->conf, clause);
	v->iban = f->iban;
	if (bic_from_account(f->iban, strlen(f->iban), b->bic) == 0)
		v->bic = b->bic;
	if (fb.reference[0] != '\0') {
		memcpy(b->reference, fb.reference, sizeof(b->reference));
		v->reference = b->reference;
	}
	v->agreement = f->contract;
	v->party = factoring_party(f);
	v->clause = clause->data;
	if (fb.batch > 0) {
		snprintf(b->batch, sizeof(b->batch), "%lld",
		    (long long)fb.batch);
		v->transmission_list = b->batch;
	}
	return 0;
}

/* InvoiceNumber (malloc'ed into *no) and InvoiceDate of a Finvoice
 * document: 0, or -1 when either is missing or bad (*no may be set). */
static int
invoice_key(xmlDocPtr doc, char **no, day_t *date)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	char *t = xml_text(xml_path(root, "InvoiceDetails/InvoiceDate"));
	int rc = -1;

	*no = xml_text(xml_path(root, "InvoiceDetails/InvoiceNumber"));
	*date = DAY_NONE;
	if (*no != NULL && **no != '\0' &&
	    (t == NULL || date_parse_ccyymmdd(t, strlen(t), date) == 0))
		rc = 0;
	free(t);
	return rc;
}

/* One input file on its way out. */
struct fvfile {
	struct fvroute *fr;
	const char *path, *base;
	struct fvroute_counts *cnt;
	struct sbuf lead;	/* the frame before the next message */
	struct sbuf msg;	/* a rewritten message */
	struct sbuf clause, portal;
	FILE *out;		/* the file to send, once a message is kept */
	FILE *held;		/* what goes along before that */
	int kept;
	struct fvskel *skel;	/* skeleton_of()'s, made when first used */
};

static int
write_error(struct fvfile *ff, struct diag *d)
{
	/* the output is a temporary (spool staging, or the filter's
	 * outfile) until it is complete: say it was the staged copy */
	diag_set(d, ff->base, 0, 0, "staged output: write error: %s",
	    strerror(errno ? errno : EIO));
	return -1;
}

/* Bytes for the file to send.  0 or -1 with d. */
static int
out_write(struct fvfile *ff, const char *p, size_t n, struct diag *d)
{
	FILE *fp = ff->out;

	if (n == 0)
		return 0;
	if (fp == NULL) {
		/* attachments before the first kept message: the file may
		 * never be written, so they wait in a temporary file */
		if (ff->held == NULL && (ff->held = tmpfile()) == NULL) {
			diag_set(d, "temporary file", 0, 0, "cannot create: "
			    "%s", strerror(errno));
			return -1;
		}
		fp = ff->held;
	}
	if (fwrite(p, 1, n, fp) != n)
		return write_error(ff, d);
	return 0;
}

/* A message is kept: the file to send is opened (once).  0 or -1. */
static int
out_keep(struct fvfile *ff, struct diag *d)
{
	ff->kept++;
	if (ff->out != NULL)
		return 0;
	if ((ff->out = ff->fr->open_output(ff->fr->arg, ff->base, d)) ==
	    NULL)
		return -1;
	if (ff->held != NULL) {
		if (fcopy(ff->held, ff->out) < 0)
			return write_error(ff, d);
		fclose(ff->held);
		ff->held = NULL;
	}
	return 0;
}

/* A kept (or accompanying) message with the frame before it. */
static int
out_message(struct fvfile *ff, int keep, const char *p, size_t n,
    struct diag *d)
{
	if (keep && out_keep(ff, d) < 0)
		return -1;
	if (out_write(ff, ff->lead.data, ff->lead.len, d) < 0 ||
	    out_write(ff, p, n, d) < 0)
		return -1;
	return 0;
}

/* The line of the message's root element (the line its invoice record
 * names), from the part's first line: past the declaration, comments
 * and processing instructions. */
static long
root_line(const struct fvsplit_part *pt)
{
	long line = pt->line;
	size_t i;

	for (i = 0; i < pt->len; i++) {
		if (pt->data[i] == '\n')
			line++;
		else if (pt->data[i] == '<' && i + 1 < pt->len &&
		    pt->data[i + 1] != '?' && pt->data[i + 1] != '!')
			break;
	}
	return line;
}

/* A rejected message (with the frame before it) and its .error, which
 * reads like the line on standard error. */
static int
emit_rejected(struct fvfile *ff, const struct fvsplit_part *pt,
    const char *no, int code, const char *reason, struct diag *d)
{
	struct fvroute *fr = ff->fr;
	struct sbuf rej = SBUF_INIT, err = SBUF_INIT, name = SBUF_INIT;
	int rc = -1;

	sbuf_add(&rej, ff->lead.data, ff->lead.len);
	sbuf_add(&rej, pt->data, pt->len);
	/* the number is data: made safe and short for a file name; a
	 * message without one is named after its line */
	sbuf_add_name_part(&name, ff->base, 120);
	if (no != NULL) {
		sbuf_addf(&err, "%s: %s:%ld: invoice %s: code %d: %s\n",
		    progname, ff->path, root_line(pt), no, code, reason);
		sbuf_addc(&name, '-');
		sbuf_add_name_part(&name, no, 64);
	} else {
		sbuf_addf(&err, "%s: %s:%ld: message whose invoice number "
		    "was not read: code %d: %s\n", progname, ff->path,
		    root_line(pt), code, reason);
		sbuf_addf(&name, "-line%ld", root_line(pt));
	}
	sbuf_adds(&name, ".xml");
	if (fr->emit(fr->arg, FVROUTE_REJECTED, name.data, rej.data, rej.len,
	    d) < 0)
		goto out;
	sbuf_add(&name, ".error", 6);
	if (fr->emit(fr->arg, FVROUTE_ERROR, name.data, err.data, err.len,
	    d) < 0)
		goto out;
	ff->cnt->rejected++;
	rc = 0;
out:
	sbuf_free(&rej);
	sbuf_free(&err);
	sbuf_free(&name);
	return rc;
}

/* rewrite_skeleton(): the skeleton's tree cannot be written back */
#define SKELETON_WONT_DO 2

/* The corrected message of the skeleton's tree sdoc into ff->msg: 0,
 * -1 with d, SKELETON_WONT_DO. */
static int
rewrite_skeleton(struct fvfile *ff, const struct fvsplit_part *pt,
    xmlDocPtr sdoc, const struct rewrite_values *v, struct diag *d)
{
	int r;

	sbuf_reset(&ff->msg);
	if ((r = finvoice_rewrite_doc(sdoc, v, d)) == 0)
		r = fvskel_serialize(ff->skel, sdoc, pt->data, pt->len,
		    &ff->msg, d);
	return r > 0 ? SKELETON_WONT_DO : r;
}

/* The skeleton's tree of a message, or NULL (finvoice_rewrite.h). */
static xmlDocPtr
skeleton_of(struct fvfile *ff, const struct fvsplit_part *pt)
{
	if (ff->skel == NULL)
		ff->skel = fvskel_new();
	return fvskel_parse(ff->skel, pt->data, pt->len, ff->path, pt->line);
}

/*
 * Rewrite a routed message for the service into the file to send, doc
 * the tree of the whole message or (is_skel) of its skeleton: from the
 * skeleton's tree when there is one, else from the whole message's.
 * Either way the elements the rewrite does not look at keep their
 * bytes.  0, 1 refused, -1 error.
 */
static int
rewrite_routed(struct fvfile *ff, const struct fvsplit_part *pt,
    xmlDocPtr doc, int is_skel, const char *no, const struct assignment *x,
    struct diag *d)
{
	struct rewrite_values v;
	struct factoring_bufs fb;
	char agreement[32], m[sizeof(d->msg)];
	xmlDocPtr t;
	int r = SKELETON_WONT_DO;

	if (ff->fr->conf->service == SERVICE_FACTORING) {
		if (factoring_values_for(ff->fr, x, &v, &ff->clause, &fb,
		    d) < 0)
			return -1;
	} else
		values_for(ff->fr, x, &v, &ff->clause, &ff->portal, agreement,
		    sizeof(agreement));
	if ((t = is_skel ? doc : skeleton_of(ff, pt)) != NULL) {
		r = rewrite_skeleton(ff, pt, t, &v, d);
		if (t != doc)
			xmlFreeDoc(t);
	}
	/* the whole message's tree, parsed now when doc is the skeleton's */
	if (r == SKELETON_WONT_DO && (t = is_skel ? xml_parse_safe(pt->data,
	    pt->len, ff->path, pt->line, d) : doc) != NULL) {
		sbuf_reset(&ff->msg);
		if ((r = finvoice_rewrite_doc(t, &v, d)) == 0)
			r = finvoice_serialize(t, pt->data, pt->len, &ff->msg,
			    d);
		if (t != doc)
			xmlFreeDoc(t);
	}
	if (r != 0) {
		memcpy(m, d->msg, sizeof(m));
		diag_set(d, ff->path, pt->line, 0, "invoice %s: %s", no, m);
		return 1;
	}
	ff->cnt->routed++;
	return out_message(ff, 1, ff->msg.data, ff->msg.len, d);
}

/*
 * A message that does not parse, or has no invoice number and date (d
 * says which): with fr->undecided_rejected, a message the reader set
 * aside (no decision for its line) goes out as rejected, numbered no if
 * it has one; otherwise, or when the route stage did decide for its
 * line, the file is refused.  0, 1 with d, -1 error.
 */
static int
set_aside(struct fvfile *ff, const struct fvsplit_part *pt, const char *no,
    struct diag *d)
{
	struct assignment x;
	struct sbuf why = SBUF_INIT;
	struct diag e;
	char *cause;
	const char *c;
	size_t k = strlen(progname);
	int r;

	if (!ff->fr->by_line || !ff->fr->undecided_rejected)
		return 1;
	if ((r = assign_input_find(ff->fr->a, root_line(pt), &x, &e)) != 0) {
		if (r < 0)
			*d = e;
		return r < 0 ? -1 : 1;
	}
	/* d holds why the message cannot be read: said in its .error, as
	 * on the run report's quarantined line */
	c = cause = diag_text(d, 0);
	if (strncmp(c, progname, k) == 0 && c[k] == ':' && c[k + 1] == ' ')
		c += k + 2;
	sbuf_addf(&why, "set aside by the reader: %s", c);
	r = emit_rejected(ff, pt, no != NULL && *no != '\0' ? no : NULL, 0,
	    why.data, d);
	free(cause);
	sbuf_free(&why);
	return r;
}

/* What the ledger decided for invoice no: 0, 1 refused, -1 error. */
static int
apply_decision(struct fvfile *ff, const struct fvsplit_part *pt,
    xmlDocPtr doc, int is_skel, const char *no, day_t date, struct diag *d)
{
	struct fvroute *fr = ff->fr;
	struct assignment x;
	int r;

	if (strlen(no) >= ASSIGN_NO_BUFSZ)
		/* the router rejected it the same way (ROUTE_E_UNFIT)
		 * and could keep no decision under its number */
		return emit_rejected(ff, pt, no, ROUTE_E_UNFIT, "not fit for "
		    "the ledger: invoice_no is longer than 64 bytes", d);
	if (fr->by_line) {
		/* the decision the route stage made for this message */
		if ((r = assign_input_find(fr->a, root_line(pt), &x, d)) < 0)
			return -1;
		if (r == 1 && (strcmp(x.invoice_no, no) != 0 ||
		    x.invoice_date != date)) {
			diag_set(d, ff->path, root_line(pt), 0, "invoice %s: "
			    "the route stage's decision for this line is of "
			    "invoice %s", no, x.invoice_no);
			return 1;
		}
	} else if ((r = assign_latest(fr->a, no, date, &x, d)) < 0)
		return -1;
	if (r == 0 && !fr->undecided_rejected) {
		diag_set(d, ff->path, pt->line, 0, "invoice %s has no route "
		    "decision in the ledger; run 'reskontra route' first", no);
		return 1;
	}
	if (r == 0 && is_skel) {
		/* set aside by the reader: if not well-formed, named by its
		 * line, as when the whole message is parsed first */
		xmlDocPtr whole = xml_parse_safe(pt->data, pt->len, ff->path,
		    pt->line, d);

		if (whole == NULL)
			return set_aside(ff, pt, NULL, d);
		xmlFreeDoc(whole);
	}
	if (r == 0 || strcmp(x.action, "reject") == 0)
		return emit_rejected(ff, pt, no, r == 0 ? 0 : x.code, r == 0 ?
		    fr->undecided_reason : x.reason, d);
	if (strcmp(x.action, "route") == 0)
		return rewrite_routed(ff, pt, doc, is_skel, no, &x, d);
	ff->cnt->passed++;
	return out_message(ff, 1, pt->data, pt->len, d);
}

/* One message: 0, 1 refused, -1 error. */
static int
route_message(struct fvfile *ff, const struct fvsplit_part *pt,
    struct diag *d)
{
	xmlDocPtr doc;
	char *no = NULL;
	day_t date;
	int rc = 1, is_skel = 0;

	if (strcmp(pt->root, "Finvoice") != 0)
		/* attachment messages and the like go along */
		return out_message(ff, 0, pt->data, pt->len, d);
	/* in a run, the reader has parsed the whole message when it made
	 * the record its decision is of: its skeleton is enough */
	if ((doc = ff->fr->by_line ? skeleton_of(ff, pt) : NULL) != NULL)
		is_skel = 1;
	else if ((doc = xml_parse_safe(pt->data, pt->len, ff->path, pt->line,
	    d)) == NULL)
		return set_aside(ff, pt, NULL, d);
	if (invoice_key(doc, &no, &date) < 0) {
		diag_set(d, ff->path, pt->line, 0, "message without a valid "
		    "InvoiceNumber and InvoiceDate");
		rc = set_aside(ff, pt, no, d);
	} else
		rc = apply_decision(ff, pt, doc, is_skel, no, date, d);
	xmlFreeDoc(doc);
	free(no);
	return rc;
}

/*
 * A message larger than FVSPLIT_MAX_PART in a run (fr->by_line), which
 * the reader set aside as well: its bytes were not kept, so only its
 * .error goes out, NAME-lineLINE.xml.error (LINE of the part's first
 * byte, as the reader's message says), and the file's other messages
 * are written.  0, -1 error.
 */
static int
emit_too_big(struct fvfile *ff, const struct fvsplit_part *pt,
    struct diag *d)
{
	struct sbuf err = SBUF_INIT, name = SBUF_INIT;
	int rc;

	sbuf_add_name_part(&name, ff->base, 120);
	sbuf_addf(&name, "-line%ld.xml.error", pt->line);
	sbuf_addf(&err, "%s: %s:%ld: message larger than %ld bytes: code 0: "
	    "%s; too large to be copied here\n", progname, ff->path, pt->line,
	    FVSPLIT_MAX_PART, ff->fr->undecided_reason);
	rc = ff->fr->emit(ff->fr->arg, FVROUTE_ERROR, name.data, err.data,
	    err.len, d);
	if (rc == 0)
		ff->cnt->rejected++;
	sbuf_free(&err);
	sbuf_free(&name);
	return rc < 0 ? -1 : 0;
}

/* A part the file cannot be written from: 1 with d. */
static int
refuse_part(struct fvfile *ff, const struct fvsplit_part *pt,
    struct diag *d)
{
	if (pt->too_big)
		diag_set(d, ff->path, pt->line, 0, "%s larger than %ld bytes",
		    pt->kind == FVSPLIT_MESSAGE ? "message" : "frame",
		    FVSPLIT_MAX_PART);
	else
		diag_set(d, ff->path, pt->broken_line, 0, "not a Finvoice "
		    "transmission file: no complete XML element here");
	return 1;
}

int
fvroute_file(struct fvroute *fr, struct input *in, const char *path,
    const char *base, struct fvroute_counts *cnt, struct diag *d)
{
	struct fvfile ff;
	struct fvsplit *sp = fvsplit_new(in);
	struct fvsplit_part pt;
	long messages = 0;
	int r, rc;

	memset(cnt, 0, sizeof(*cnt));
	memset(&ff, 0, sizeof(ff));
	ff.fr = fr;
	ff.path = path;
	ff.base = base;
	ff.cnt = cnt;
	while ((r = fvsplit_next(sp, &pt, d)) > 0) {
		if (pt.too_big && !pt.broken && pt.kind == FVSPLIT_MESSAGE &&
		    fr->by_line && fr->undecided_rejected) {
			messages++;
			if ((rc = emit_too_big(&ff, &pt, d)) != 0)
				goto out;
			sbuf_reset(&ff.lead);
			continue;
		}
		if (pt.broken || pt.too_big) {
			rc = refuse_part(&ff, &pt, d);
			goto out;
		}
		if (pt.kind == FVSPLIT_FRAME) {
			sbuf_reset(&ff.lead);
			sbuf_add(&ff.lead, pt.data, pt.len);
			continue;
		}
		messages++;
		if ((rc = route_message(&ff, &pt, d)) != 0)
			goto out;
		sbuf_reset(&ff.lead);
	}
	rc = 1;
	if (r < 0)
		rc = input_error_is_io(in) ? -1 : 1;
	else if (messages == 0)
		diag_set(d, path, 0, 0, "no Finvoice message in the file");
	else if (ff.kept > 0 && (out_write(&ff, ff.lead.data, ff.lead.len,
	    d) < 0 || fflush(ff.out) != 0 || ferror(ff.out)))
		rc = write_error(&ff, d);
	else {
		/* the file is whole: its pages go to disk while the input's
		 * payments and postings are worked on, before its fsync */
		if (ff.kept > 0)
			fstart_writeback(ff.out);
		rc = 0;
	}
out:
	fvsplit_free(sp);
	fvskel_free(ff.skel);
	if (ff.held != NULL)
		fclose(ff.held);
	sbuf_free(&ff.lead);
	sbuf_free(&ff.msg);
	sbuf_free(&ff.clause);
	sbuf_free(&ff.portal);
	return rc;
}
