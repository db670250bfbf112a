/*
 * reskontra rewrite: write the Finvoice files to send, after routing
 * (DESIGN.md step 3, man reskontra-rewrite, formats/finvoice-rewrite.md).
 *
 * Each input file is split into frames and messages (write/
 * finvoice_rewrite.h).  A message's invoice number and date find the
 * decision `reskontra route` stored in the ledger: routed messages are
 * rewritten for the service, passed ones copied byte for byte, rejected
 * ones (with the frame before them) go to the rejected directory with a
 * .error file.  The output file has the input's name and appears only
 * complete (base/outfile.h).  A file with a message that has no decision
 * is refused whole: nothing is written for it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/outfile.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "read/xmlsafe.h"
#include "route/route.h"
#include "write/finvoice_rewrite.h"

static const char usage[] =
    "usage: reskontra rewrite -c CONF -l LEDGER -o DIR [-r DIR] FILE...\n"
    "\n"
    "Write each Finvoice FILE to DIR with the invoices that 'reskontra\n"
    "route' routed rewritten for the service (account, reference, payee,\n"
    "transfer clause), the others unchanged; rejected invoices go to the\n"
    "rejected directory with a .error file.\n"
    "\n"
    "  -c, --config CONF     reskontra.conf(5)\n"
    "  -l, --ledger FILE     the ledger database with the route decisions\n"
    "  -o, --output DIR      where the files to send are written\n"
    "  -r, --rejected DIR    rejected invoices (default: DIR/rejected)\n"
    "\n"
    "Exit status: 0 ok, 1 a file refused or an invoice rejected,\n"
    "2 usage or configuration, 3 I/O or ledger error.\n";

#define MAX_FILE (256L * 1024 * 1024)

struct rewriter {
	const struct config *conf;
	struct assign *a;
	const char *outdir, *rejdir;
	char bic[BIC_BUFSZ];
	int rejected;
};

/* Whole file (gunzipped) into buf.  0, 1 refused (d), -1 I/O (d). */
static int
load(const char *path, struct sbuf *buf, struct diag *d)
{
	struct input *in;
	char chunk[65536];
	long n;

	if ((in = input_open(path, d)) == NULL)
		return 1;
	while ((n = input_read(in, chunk, sizeof(chunk), d)) > 0) {
		if ((long)buf->len + n > MAX_FILE) {
			diag_set(d, path, 0, 0, "file larger than %ld bytes",
			    MAX_FILE);
			input_close(in);
			return 1;
		}
		sbuf_add(buf, chunk, (size_t)n);
	}
	input_close(in);
	return n < 0 ? -1 : 0;
}

static int
write_file(const char *dir, const char *name, const char *p, size_t n,
    struct diag *d)
{
	struct outfile o;

	/* the directory is made on first use (the rejected one is often
	 * never needed) */
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		diag_set(d, dir, 0, 0, "cannot make directory: %s",
		    strerror(errno));
		return -1;
	}
	if (outfile_open(&o, dir, name, d) < 0)
		return -1;
	if (fwrite(p, 1, n, o.fp) != n) {
		diag_set(d, dir, 0, 0, "%s: write error", name);
		outfile_abort(&o);
		return -1;
	}
	return outfile_commit(&o, d);
}

/* The values a routed invoice is rewritten with. */
static void
values_for(struct rewriter *rw, const struct assignment *x,
    struct rewrite_values *v, struct sbuf *clause, struct sbuf *portal,
    char *agreement, size_t asize)
{
	const struct config *c = rw->conf;
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
		v->bic = rw->bic[0] != '\0' ? rw->bic : NULL;
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

/* InvoiceNumber and InvoiceDate of a Finvoice document. */
static int
invoice_key(xmlDocPtr doc, char *no, size_t size, day_t *date)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	char *n = xml_text(xml_path(root, "InvoiceDetails/InvoiceNumber"));
	char *t = xml_text(xml_path(root, "InvoiceDetails/InvoiceDate"));
	int rc = -1;

	*date = DAY_NONE;
	if (n != NULL && *n != '\0') {
		snprintf(no, size, "%s", n);
		if (t == NULL || date_parse_ccyymmdd(t, strlen(t), date) == 0)
			rc = 0;
	}
	free(n);
	free(t);
	return rc;
}

/* One input file: EXIT_* */
static int
rewrite_file(struct rewriter *rw, const char *path)
{
	struct sbuf in = SBUF_INIT, out = SBUF_INIT, rej = SBUF_INIT;
	struct sbuf clause = SBUF_INIT, portal = SBUF_INIT, err = SBUF_INIT;
	struct rewrite_values v;
	struct fv_part *pt = NULL;
	struct assignment x;
	struct diag d;
	xmlDocPtr doc = NULL;
	size_t np = 0, i, lead_off = 0, lead_len = 0;
	char *pathcopy = xstrdup(path), *base = basename(pathcopy);
	char no[ASSIGN_NO_BUFSZ], name[600], agreement[32];
	int rc = EXIT_REJECTED, r, kept = 0, messages = 0;
	day_t date;

	if ((r = load(path, &in, &d)) != 0) {
		diag_print(stderr, &d);
		rc = r < 0 ? EXIT_SYSTEM : EXIT_REJECTED;
		goto out;
	}
	if (finvoice_split(in.data, in.len, path, &pt, &np, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	for (i = 0; i < np; i++) {
		const char *p = in.data + pt[i].off;

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
			sbuf_add(&out, in.data + lead_off, lead_len);
			sbuf_add(&out, p, pt[i].len);
			lead_len = 0;
			continue;
		}
		if ((doc = xml_parse_safe(p, pt[i].len, path, pt[i].line,
		    &d)) == NULL) {
			diag_print(stderr, &d);
			goto out;
		}
		if (invoice_key(doc, no, sizeof(no), &date) != 0) {
			diag_set(&d, path, pt[i].line, 0, "message without a "
			    "valid InvoiceNumber and InvoiceDate");
			diag_print(stderr, &d);
			goto out;
		}
		if ((r = assign_latest(rw->a, no, date, &x, &d)) < 0) {
			diag_print(stderr, &d);
			rc = EXIT_SYSTEM;
			goto out;
		}
		if (r == 0) {
			diag_set(&d, path, pt[i].line, 0, "invoice %s has no "
			    "route decision in the ledger; run 'reskontra "
			    "route' first", no);
			diag_print(stderr, &d);
			goto out;
		}
		if (strcmp(x.action, "reject") == 0) {
			sbuf_reset(&rej);
			sbuf_add(&rej, in.data + lead_off, lead_len);
			sbuf_add(&rej, p, pt[i].len);
			snprintf(name, sizeof(name), "%s-%s.xml", base, no);
			sbuf_reset(&err);
			sbuf_addf(&err, "%s:%ld: invoice %s: code %d: %s\n", path,
			    pt[i].line, no, x.code, x.reason);
			if (write_file(rw->rejdir, name, rej.data, rej.len,
			    &d) < 0)
				goto syserr;
			snprintf(name, sizeof(name), "%s-%s.xml.error", base,
			    no);
			if (write_file(rw->rejdir, name, err.data, err.len,
			    &d) < 0)
				goto syserr;
			rw->rejected = 1;
		} else if (strcmp(x.action, "route") == 0) {
			values_for(rw, &x, &v, &clause, &portal, agreement,
			    sizeof(agreement));
			sbuf_add(&out, in.data + lead_off, lead_len);
			if (finvoice_rewrite_doc(doc, &v, &d) != 0 ||
			    finvoice_serialize(doc, p, pt[i].len, &out,
			    &d) != 0) {
				char m[sizeof(d.msg)];

				memcpy(m, d.msg, sizeof(m));
				diag_set(&d, path, pt[i].line, 0,
				    "invoice %s: %s", no, m);
				diag_print(stderr, &d);
				goto out;
			}
			kept++;
		} else {
			sbuf_add(&out, in.data + lead_off, lead_len);
			sbuf_add(&out, p, pt[i].len);
			kept++;
		}
		lead_len = 0;
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (messages == 0) {
		diag_set(&d, path, 0, 0, "no Finvoice message in the file");
		diag_print(stderr, &d);
		goto out;
	}
	if (kept > 0 && write_file(rw->outdir, base, out.data, out.len,
	    &d) < 0)
		goto syserr;
	rc = EXIT_OK;
	goto out;
syserr:
	diag_print(stderr, &d);
	rc = EXIT_SYSTEM;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(pt);
	free(pathcopy);
	sbuf_free(&in);
	sbuf_free(&out);
	sbuf_free(&rej);
	sbuf_free(&err);
	sbuf_free(&clause);
	sbuf_free(&portal);
	return rc;
}

int
cmd_rewrite(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "rejected", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = NULL, *ledger_path = NULL;
	struct config *conf = NULL;
	struct rewriter rw;
	struct ledger *l = NULL;
	struct sbuf rejdir = SBUF_INIT;
	struct diag d;
	int ch, i, rc = EXIT_OK, one;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&rw, 0, sizeof(rw));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:o:r:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'l':
			ledger_path = optarg;
			break;
		case 'o':
			rw.outdir = optarg;
			break;
		case 'r':
			rw.rejdir = optarg;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (rw.outdir == NULL)
		return usage_error(argv[0], "-o DIR is required");
	if (optind == argc)
		return usage_error(argv[0], "no files to rewrite");
	if (rw.rejdir == NULL) {
		sbuf_addf(&rejdir, "%s/rejected", rw.outdir);
		rw.rejdir = rejdir.data;
	}
	if ((conf = config_load(conf_path, &d)) == NULL) {
		diag_print(stderr, &d);
		rc = EXIT_USAGE;
		goto out;
	}
	rw.conf = conf;
	if (conf->service == SERVICE_AMILI || conf->service ==
	    SERVICE_KASSAVIRTA || conf->service == SERVICE_OP_LASKULAINA) {
		if ((conf->service_iban == NULL || *conf->service_iban ==
		    '\0') && !(conf->service == SERVICE_AMILI &&
		    conf->own_account)) {
			fprintf(stderr, "%s: %s: [service] iban is required for "
			    "type = %s\n", progname, conf_path,
			    config_service_name(conf->service));
			rc = EXIT_USAGE;
			goto out;
		}
		if (conf->service_bic != NULL && *conf->service_bic != '\0')
			snprintf(rw.bic, sizeof(rw.bic), "%s",
			    conf->service_bic);
		else if (conf->service_iban != NULL)
			if (bic_from_account(conf->service_iban,
			    strlen(conf->service_iban), rw.bic) != 0)
				rw.bic[0] = '\0';
	}
	if (ledger_open(ledger_path, &l, &d) < 0 ||
	    assign_open(l, &rw.a, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	for (i = optind; i < argc; i++) {
		one = rewrite_file(&rw, argv[i]);
		if (one > rc)
			rc = one;
		if (one == EXIT_SYSTEM)
			break;
	}
	if (rc == EXIT_OK && rw.rejected)
		rc = EXIT_REJECTED;
out:
	assign_close(rw.a);
	ledger_close(l);
	config_free(conf);
	sbuf_free(&rejdir);
	return finish_stdout(rc);
}
