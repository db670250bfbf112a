/*
 * finvoice_route: a transmission file written after routing
 * (finvoice_route.h).  Moved out of `reskontra rewrite` so that
 * `reskontra run` writes the same bytes into its staged outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "base/xmlsafe.h"
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
	if (!router_service_routes(conf->service))
		return 0;
	if ((conf->service_iban == NULL || *conf->service_iban == '\0') &&
	    !(conf->service == SERVICE_AMILI && conf->own_account)) {
		diag_set(d, conf->path, 0, 0, "[service] iban is required for "
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

int
fvroute_load(struct input *in, struct sbuf *buf, struct diag *d)
{
	char chunk[65536];
	long n;

	while ((n = input_read(in, chunk, sizeof(chunk), d)) > 0) {
		if ((long)buf->len + n > FVROUTE_MAX_FILE) {
			diag_set(d, input_name(in), 0, 0, "file larger than "
			    "%ld bytes", FVROUTE_MAX_FILE);
			input_close(in);
			return 1;
		}
		sbuf_add(buf, chunk, (size_t)n);
	}
	input_close(in);
	return n < 0 ? -1 : 0;
}

/* A rejected message (with the frame before it) and its .error. */
static int
emit_rejected(struct fvroute *fr, const char *path, const char *base,
    const struct fv_part *pt, const char *buf, size_t lead_off,
    size_t lead_len, const char *no, int code, const char *reason,
    struct diag *d)
{
	struct sbuf rej = SBUF_INIT, err = SBUF_INIT, name = SBUF_INIT;
	int rc = -1;

	sbuf_add(&rej, buf + lead_off, lead_len);
	sbuf_add(&rej, buf + pt->off, pt->len);
	sbuf_addf(&err, "%s:%ld: invoice %s: code %d: %s\n", path, pt->line,
	    no, code, reason);
	/* the number is data: made safe and short for a file name */
	sbuf_add_name_part(&name, base, 120);
	sbuf_addc(&name, '-');
	sbuf_add_name_part(&name, no, 64);
	sbuf_adds(&name, ".xml");
	if (fr->emit(fr->arg, FVROUTE_REJECTED, name.data, rej.data, rej.len,
	    d) < 0)
		goto out;
	sbuf_add(&name, ".error", 6);
	if (fr->emit(fr->arg, FVROUTE_ERROR, name.data, err.data, err.len,
	    d) < 0)
		goto out;
	rc = 0;
out:
	sbuf_free(&rej);
	sbuf_free(&err);
	sbuf_free(&name);
	return rc;
}

int
fvroute_file(struct fvroute *fr, const char *buf, size_t len,
    const char *path, const char *base, struct fvroute_counts *cnt,
    struct diag *d)
{
	struct sbuf out = SBUF_INIT, clause = SBUF_INIT, portal = SBUF_INIT;
	struct rewrite_values v;
	struct fv_part *pt = NULL;
	struct assignment x;
	xmlDocPtr doc = NULL;
	size_t np = 0, i, lead_off = 0, lead_len = 0;
	char *no = NULL, agreement[32];
	int rc = 1, r, kept = 0, messages = 0;
	day_t date;

	memset(cnt, 0, sizeof(*cnt));
	if (finvoice_split(buf, len, path, &pt, &np, d) < 0)
		goto out;
	for (i = 0; i < np; i++) {
		const char *p = buf + pt[i].off;

		if (!pt[i].message) {
			if (i + 1 < np) {
				lead_off = pt[i].off;
				lead_len = pt[i].len;
			} else if (kept)
				sbuf_add(&out, p, pt[i].len);
			continue;
		}
		messages++;
		if (strcmp(pt[i].root, "Finvoice") != 0) {
			/* attachment messages and the like go along */
			sbuf_add(&out, buf + lead_off, lead_len);
			sbuf_add(&out, p, pt[i].len);
			lead_len = 0;
			continue;
		}
		if ((doc = xml_parse_safe(p, pt[i].len, path, pt[i].line,
		    d)) == NULL)
			goto out;
		free(no);
		if (invoice_key(doc, &no, &date) < 0) {
			diag_set(d, path, pt[i].line, 0, "message without a "
			    "valid InvoiceNumber and InvoiceDate");
			goto out;
		}
		if (strlen(no) >= ASSIGN_NO_BUFSZ) {
			/* the router rejected it the same way (ROUTE_E_UNFIT)
			 * and could keep no decision under its number */
			if (emit_rejected(fr, path, base, &pt[i], buf, lead_off,
			    lead_len, no, ROUTE_E_UNFIT, "not fit for the "
			    "ledger: invoice_no is longer than 64 bytes",
			    d) < 0) {
				rc = -1;
				goto out;
			}
			cnt->rejected++;
			lead_len = 0;
			xmlFreeDoc(doc);
			doc = NULL;
			continue;
		}
		if ((r = assign_latest(fr->a, no, date, &x, d)) < 0) {
			rc = -1;
			goto out;
		}
		if (r == 0 && !fr->undecided_rejected) {
			diag_set(d, path, pt[i].line, 0, "invoice %s has no "
			    "route decision in the ledger; run 'reskontra "
			    "route' first", no);
			goto out;
		}
		if (r == 0 || strcmp(x.action, "reject") == 0) {
			if (emit_rejected(fr, path, base, &pt[i], buf, lead_off,
			    lead_len, no, r == 0 ? 0 : x.code, r == 0 ?
			    fr->undecided_reason : x.reason, d) < 0) {
				rc = -1;
				goto out;
			}
			cnt->rejected++;
		} else if (strcmp(x.action, "route") == 0) {
			values_for(fr, &x, &v, &clause, &portal, agreement,
			    sizeof(agreement));
			sbuf_add(&out, buf + lead_off, lead_len);
			if (finvoice_rewrite_doc(doc, &v, d) != 0 ||
			    finvoice_serialize(doc, p, pt[i].len, &out,
			    d) != 0) {
				char m[sizeof(d->msg)];

				memcpy(m, d->msg, sizeof(m));
				diag_set(d, path, pt[i].line, 0,
				    "invoice %s: %s", no, m);
				goto out;
			}
			kept++;
			cnt->routed++;
		} else {
			sbuf_add(&out, buf + lead_off, lead_len);
			sbuf_add(&out, p, pt[i].len);
			kept++;
			cnt->passed++;
		}
		lead_len = 0;
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (messages == 0) {
		diag_set(d, path, 0, 0, "no Finvoice message in the file");
		goto out;
	}
	if (kept > 0 && fr->emit(fr->arg, FVROUTE_INVOICES, base, out.data,
	    out.len, d) < 0) {
		rc = -1;
		goto out;
	}
	rc = 0;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(no);
	free(pt);
	sbuf_free(&out);
	sbuf_free(&clause);
	sbuf_free(&portal);
	return rc;
}
