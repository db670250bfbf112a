/*
 * Unit tests: Finvoice rewriting (write/finvoice_rewrite.c).  Every
 * rewrite is compared with its input by treediff and the list of
 * differences must be exactly the expected changes; every output is
 * validated against formats/schemas/Finvoice3.0.xsd.  Transmission files
 * are cut by the splitter the rewriter uses (base/fvsplit.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlschemas.h>

#include "base/fvsplit.h"
#include "base/xmlsafe.h"
#include "route/route.h"
#include "write/finvoice_rewrite.h"
#include "treediff.h"

#define CLAUSE_FI "Olemme siirtäneet laskujen lähettämisen sekä saataviemme " \
	"eräpäivän jälkeisen seurannan ja sitä koskevat toimenpiteet Visma " \
	"Amili Oy:n laskutuspalveluun. Palvelua tai tilausta koskevissa " \
	"asioissa pyydämme ottamaan yhteyttä suoraan: Myyjä Oy puh: 09 123 " \
	"4567, e-mail: laskutus@myyja.example. Maksamiseen liittyvissä " \
	"asioissa pyydämme ottamaan yhteyttä Visma Amili Oy:n verkkopalveluun " \
	"tai asiakaspalvelun numeroon 024 808 8020."
#define PORTAL "VERKKOPALVELU: https://www.laskuhelposti.fi/ " \
	"KIRJAUTUMISTUNNUS: P0000001-7715"

/* One part of a transmission file: buf[off .. off+len). */
struct fv_part {
	size_t off, len;
	long line;
	int message;
	char root[32];
};

/* buf[0..len) through the splitter (from a temporary file, as the
 * rewriter reads it): 0 with *parts (malloc'd) and *n covering buf, or
 * -1 with d when a part is broken, as the rewriter refuses the file. */
static int
finvoice_split(const char *buf, size_t len, const char *name,
    struct fv_part **parts, size_t *n, struct diag *d)
{
	FILE *fp = tmpfile();
	struct input *in;
	struct fvsplit *sp;
	struct fvsplit_part pt;
	size_t off = 0;
	int r, rc = 0;

	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(buf, 1, len, fp), len);
	fflush(fp);
	rewind(fp);
	in = input_fdopen(dup(fileno(fp)), name, d);
	cr_assert_not_null(in);
	fclose(fp);
	sp = fvsplit_new(in);
	*parts = NULL;
	*n = 0;
	while ((r = fvsplit_next(sp, &pt, d)) > 0) {
		struct fv_part *p;

		if (pt.broken) {
			diag_set(d, name, pt.broken_line, 0, "broken");
			rc = -1;
			break;
		}
		*parts = realloc(*parts, (*n + 1) * sizeof(**parts));
		p = &(*parts)[(*n)++];
		memset(p, 0, sizeof(*p));
		p->off = off;
		p->len = pt.len;
		p->line = pt.line;
		p->message = pt.kind == FVSPLIT_MESSAGE;
		snprintf(p->root, sizeof(p->root), "%s", pt.root);
		cr_assert_eq(memcmp(buf + off, pt.data, pt.len), 0);
		off += pt.len;
	}
	cr_assert_geq(r, 0);
	if (rc == 0)
		cr_assert_eq(off, len);
	fvsplit_free(sp);
	input_close(in);
	return rc;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(fp, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static xmlDocPtr
parse(const char *p, size_t n)
{
	struct diag d;
	xmlDocPtr doc = xml_parse_safe(p, n, "test", 1, &d);

	cr_assert_not_null(doc, "parse: %s", d.msg);
	return doc;
}

static void
assert_valid(xmlDocPtr doc)
{
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;
	xmlSchemaValidCtxtPtr vc;
	int r;

	size_t n;
	char *xsd = slurp("formats/schemas/Finvoice3.0.xsd", &n);

	/* read by hand: libxml2's own file loader is switched off */
	pc = xmlSchemaNewMemParserCtxt(xsd, (int)n);
	cr_assert_not_null(pc);
	schema = xmlSchemaParse(pc);
	cr_assert_not_null(schema, "cannot load Finvoice3.0.xsd");
	vc = xmlSchemaNewValidCtxt(schema);
	r = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	free(xsd);
	cr_assert_eq(r, 0, "output is not valid against Finvoice3.0.xsd");
}

static struct rewrite_values
client_values(void)
{
	struct rewrite_values v;

	memset(&v, 0, sizeof(v));
	v.iban = "FI4950009420028730";
	v.bic = "OKOYFIHH";
	v.payee = "Visma Amili Oy";
	v.reference = "7715";
	v.agreement = "1";
	v.party = "Visma Amili Oy";
	v.clause = CLAUSE_FI;
	v.free_text = PORTAL;
	v.drop_image = 1;
	return v;
}

/* Rewrite the message msg[0..n) and return the output (caller frees),
 * its diff against the input in diff. */
static char *
rewrite(const char *msg, size_t n, const struct rewrite_values *v,
    size_t *outlen, struct sbuf *diff)
{
	struct sbuf out = SBUF_INIT;
	struct diag d;
	xmlDocPtr a, b;

	cr_assert_eq(finvoice_rewrite_message(msg, n, "test", 1, v, &out, &d),
	    0, "rewrite: %s", d.msg);
	a = parse(msg, n);
	b = parse(out.data, out.len);
	treediff(xmlDocGetRootElement(a), xmlDocGetRootElement(b), diff);
	assert_valid(b);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	*outlen = out.len;
	return out.data;
}

static void
collect(void *arg, const char *s, size_t n)
{
	struct sbuf *b = arg;

	sbuf_add(b, s, n);
	sbuf_addc(b, '|');
}

Test(rewrite, treediff_sees_every_kind_of_change)
{
	const char *a = "<R><A x=\"1\">t</A><B/><C>u</C><C>v</C></R>";
	const char *b = "<R><A x=\"2\" y=\"3\">t2</A><C>u</C><D/><C>v</C></R>";
	struct sbuf diff = SBUF_INIT;
	xmlDocPtr da = parse(a, strlen(a)), db = parse(b, strlen(b));

	cr_assert_eq(treediff(xmlDocGetRootElement(da),
	    xmlDocGetRootElement(da), &diff), 0);
	cr_assert_eq(treediff(xmlDocGetRootElement(da),
	    xmlDocGetRootElement(db), &diff), 5);
	cr_assert_str_eq(diff.data,
	    "attr /R/A@x: '1' -> '2'\n"
	    "attr /R/A@y: (none) -> '3'\n"
	    "changed /R/A: 't' -> 't2'\n"
	    "removed /R/B\n"
	    "added /R/D\n");
	sbuf_free(&diff);
	xmlFreeDoc(da);
	xmlFreeDoc(db);
}

Test(rewrite, wrap_lines_at_70_characters)
{
	struct sbuf b = SBUF_INIT;
	char word[200];

	finvoice_wrap("a  b\nc", 70, collect, &b);
	cr_assert_str_eq(b.data, "a b c|");
	sbuf_reset(&b);
	/* ä is two bytes but one character: 70 of them fit one line */
	word[0] = '\0';
	for (int i = 0; i < 71; i++)
		strcat(word, "ä");
	finvoice_wrap(word, 70, collect, &b);
	cr_assert_eq(strlen(b.data), 71 * 2 + 2);
	cr_assert_eq(memcmp(b.data + 140, "|ä|", 4), 0);
	sbuf_reset(&b);
	finvoice_wrap("aaaa bbbb cc", 9, collect, &b);
	cr_assert_str_eq(b.data, "aaaa bbbb|cc|");
	sbuf_reset(&b);
	finvoice_wrap("", 70, collect, &b);
	cr_assert_eq(b.len, 0);
	sbuf_free(&b);
}

Test(rewrite, unchanged_documents_are_written_back_byte_for_byte)
{
	static const char *files[] = {
		"tests/data/finvoice/gobl-invoice-3.0.xml",
		"tests/data/finvoice/gobl-operator-converted-1.3.xml",
		"tests/data/finvoice/gobl-sender-system-1.3.xml",
	};
	struct sbuf out = SBUF_INIT;
	struct diag d;
	size_t n, i;
	char *p;
	xmlDocPtr doc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = slurp(files[i], &n);
		doc = parse(p, n);
		sbuf_reset(&out);
		cr_assert_eq(finvoice_serialize(doc, p, n, &out, &d), 0);
		cr_assert_eq(out.len, n, "%s", files[i]);
		cr_assert_eq(memcmp(out.data, p, n), 0, "%s", files[i]);
		xmlFreeDoc(doc);
		free(p);
	}
	sbuf_free(&out);
}

Test(rewrite, client_account_changes_exactly_the_payment_details)
{
	struct rewrite_values v = client_values();
	struct sbuf diff = SBUF_INIT, lines = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *out = rewrite(in, n, &v, &on, &diff);
	xmlDocPtr doc;
	xmlNode *root, *fad, *c;
	char *t;
	int k;

	cr_assert_str_eq(diff.data,
	    "changed /Finvoice/SellerInformationDetails/SellerAccountDetails/"
	    "SellerAccountID: 'FI2112345600000785' -> 'FI4950009420028730'\n"
	    "changed /Finvoice/SellerInformationDetails/SellerAccountDetails/"
	    "SellerBic: 'NDEAFIHH' -> 'OKOYFIHH'\n"
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[2]\n"
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[3]\n"
	    "added /Finvoice/FactoringAgreementDetails\n"
	    "changed /Finvoice/EpiDetails/EpiPartyDetails/EpiBfiPartyDetails/"
	    "EpiBfiIdentifier: 'NDEAFIHH' -> 'OKOYFIHH'\n"
	    "changed /Finvoice/EpiDetails/EpiPartyDetails/"
	    "EpiBeneficiaryPartyDetails/EpiNameAddressDetails: 'Myyjä Oy' -> "
	    "'Visma Amili Oy'\n"
	    "changed /Finvoice/EpiDetails/EpiPartyDetails/"
	    "EpiBeneficiaryPartyDetails/EpiAccountID: 'FI2112345600000785' -> "
	    "'FI4950009420028730'\n"
	    "attr /Finvoice/EpiDetails/EpiPaymentInstructionDetails/"
	    "EpiRemittanceInfoIdentifier@IdentificationSchemeName: 'ISO' -> "
	    "'SPY'\n"
	    "changed /Finvoice/EpiDetails/EpiPaymentInstructionDetails/"
	    "EpiRemittanceInfoIdentifier: 'RF18539007547034' -> '7715'\n"
	    "removed /Finvoice/InvoiceUrlNameText\n"
	    "removed /Finvoice/InvoiceUrlText\n");

	/* the added elements hold the clause, the portal line and the
	 * assignment, and the clause lines are at most 70 characters */
	doc = parse(out, on);
	root = xmlDocGetRootElement(doc);
	fad = xml_child(root, "FactoringAgreementDetails");
	cr_assert_not_null(fad);
	cr_assert_str_eq((const char *)fad->prev->prev->name,
	    "InvoiceDetails");
	k = 0;
	for (c = fad->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		t = xml_text(c);
		if (k == 0) {
			cr_assert_str_eq((const char *)c->name,
			    "FactoringAgreementIdentifier");
			cr_assert_str_eq(t, "1");
		} else if (xmlStrcmp(c->name,
		    (const xmlChar *)"FactoringFreeText") == 0) {
			cr_assert_leq(xmlUTF8Strlen((const xmlChar *)t), 70);
			if (lines.len > 0)
				sbuf_addc(&lines, ' ');
			sbuf_adds(&lines, t);
		} else {
			cr_assert_str_eq((const char *)c->name,
			    "FactoringPartyName");
			cr_assert_str_eq(t, "Visma Amili Oy");
		}
		free(t);
		k++;
	}
	cr_assert_eq(k, 1 + 7 + 1, "%d children", k);
	cr_assert_str_eq(lines.data, CLAUSE_FI);
	c = xml_child(root, "InvoiceDetails");
	t = xml_text(xml_child(c, "InvoiceFreeText"));
	cr_assert_str_eq(t, "Kiitos tilauksestanne.");
	free(t);
	c = xml_child(c, "InvoiceFreeText")->next->next;
	t = xml_text(c);
	cr_assert_str_eq(t, CLAUSE_FI);
	free(t);
	t = xml_text(c->next->next);
	cr_assert_str_eq(t, PORTAL);
	free(t);
	/* new elements are indented like their neighbours */
	cr_assert(strstr(out, "\n  <FactoringAgreementDetails>\n    "
	    "<FactoringAgreementIdentifier>1</FactoringAgreementIdentifier>\n"
	    "    <FactoringFreeText>") != NULL);
	cr_assert(strstr(out, "</FactoringPartyName>\n  "
	    "</FactoringAgreementDetails>\n  <InvoiceRow>") != NULL);
	xmlFreeDoc(doc);
	free(in);
	free(out);
	sbuf_free(&diff);
	sbuf_free(&lines);
}

Test(rewrite, doctype_is_left_out_of_the_corrected_invoice)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	static const char *dtds[] = {
		/* as in Finvoice 1.2 samples */
		"<!DOCTYPE Finvoice SYSTEM \"Finvoice.dtd\">\n",
		/* an internal subset with '>' and ']' where they do not end it */
		"<!DOCTYPE Finvoice SYSTEM \"Finvoice.dtd\" [\n"
		"  <!-- a ']>' in a comment -->\n"
		"  <!ATTLIST Finvoice Note CDATA \"a ]> b\">\n"
		"]>\r\n",
	};
	struct rewrite_values v = client_values();
	struct sbuf in = SBUF_INIT, diff = SBUF_INIT;
	size_t n, on, i;
	char *file = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *out;

	cr_assert_eq(strncmp(file, decl, strlen(decl)), 0);
	for (i = 0; i < sizeof(dtds) / sizeof(dtds[0]); i++) {
		sbuf_reset(&in);
		sbuf_reset(&diff);
		sbuf_add(&in, file, strlen(decl));
		sbuf_adds(&in, dtds[i]);
		sbuf_add(&in, file + strlen(decl), n - strlen(decl));
		out = rewrite(in.data, in.len, &v, &on, &diff);
		cr_assert_null(memmem(out, on, "DOCTYPE", 7), "%.*s", 200,
		    out);
		cr_assert_null(memmem(out, on, "ATTLIST", 7));
		/* the rest of the prolog stays as it was */
		cr_assert_eq(strncmp(out, decl, strlen(decl)), 0);
		cr_assert_eq(strncmp(out + strlen(decl),
		    "<Finvoice Version=\"3.0\">\n", 25), 0, "%.*s", 80, out);
		free(out);
	}
	free(file);
	sbuf_free(&in);
	sbuf_free(&diff);
}

Test(rewrite, own_account_keeps_account_and_payee)
{
	struct rewrite_values v = client_values();
	struct sbuf diff = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *out;

	v.iban = v.bic = v.payee = NULL;
	v.reference = "RF557715";
	v.free_text = NULL;
	v.drop_image = 0;
	out = rewrite(in, n, &v, &on, &diff);
	cr_assert_str_eq(diff.data,
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[2]\n"
	    "added /Finvoice/FactoringAgreementDetails\n"
	    "changed /Finvoice/EpiDetails/EpiPaymentInstructionDetails/"
	    "EpiRemittanceInfoIdentifier: 'RF18539007547034' -> 'RF557715'\n");
	free(in);
	free(out);
	sbuf_free(&diff);
}

Test(rewrite, existing_factoring_block_gets_the_new_clause)
{
	struct rewrite_values v;
	struct sbuf diff = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *row = strstr(in, "  <InvoiceRow>");
	struct sbuf src = SBUF_INIT;
	char *out;

	/* a document that already carries a factoring block */
	sbuf_add(&src, in, (size_t)(row - in));
	sbuf_adds(&src, "  <FactoringAgreementDetails>\n"
	    "    <FactoringAgreementIdentifier>X1</FactoringAgreementIdentifier>\n"
	    "    <FactoringFreeText>old clause</FactoringFreeText>\n"
	    "    <FactoringPartyName>Rahoittaja Oy</FactoringPartyName>\n"
	    "  </FactoringAgreementDetails>\n");
	sbuf_adds(&src, row);
	memset(&v, 0, sizeof(v));
	v.clause = "Uusi lauseke.";
	out = rewrite(src.data, src.len, &v, &on, &diff);
	cr_assert_str_eq(diff.data,
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[2]\n"
	    "changed /Finvoice/FactoringAgreementDetails/FactoringFreeText: "
	    "'old clause' -> 'Uusi lauseke.'\n");
	cr_assert(strstr(out, "<FactoringFreeText>Uusi lauseke."
	    "</FactoringFreeText>\n    <FactoringPartyName>") != NULL);
	free(in);
	free(out);
	sbuf_free(&src);
	sbuf_free(&diff);
}

Test(rewrite, single_line_document_without_payee_or_bic)
{
	struct rewrite_values v = client_values();
	struct sbuf diff = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-operator-converted-1.3.xml",
	    &n);
	char *out, *root;

	v.bic = NULL;
	out = rewrite(in, n, &v, &on, &diff);
	cr_assert_str_eq(diff.data,
	    "changed /Finvoice/SellerInformationDetails/SellerAccountDetails/"
	    "SellerAccountID: 'FI2112345600000785' -> 'FI4950009420028730'\n"
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[2]\n"
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[3]\n"
	    "added /Finvoice/FactoringAgreementDetails\n"
	    "removed /Finvoice/EpiDetails/EpiPartyDetails/EpiBfiPartyDetails/"
	    "EpiBfiIdentifier\n"
	    "changed /Finvoice/EpiDetails/EpiPartyDetails/"
	    "EpiBeneficiaryPartyDetails/EpiNameAddressDetails: 'Lähettäjä Oy' "
	    "-> 'Visma Amili Oy'\n"
	    "changed /Finvoice/EpiDetails/EpiPartyDetails/"
	    "EpiBeneficiaryPartyDetails/EpiAccountID: 'FI2112345600000785' -> "
	    "'FI4950009420028730'\n"
	    "changed /Finvoice/EpiDetails/EpiPaymentInstructionDetails/"
	    "EpiRemittanceInfoIdentifier: '000440' -> '7715'\n"
	    "removed /Finvoice/InvoiceUrlNameText\n"
	    "removed /Finvoice/InvoiceUrlText\n");
	/* the root is still one line: no indentation was invented */
	root = strstr(out, "<Finvoice");
	cr_assert_not_null(root);
	cr_assert_null(memchr(root, '\n', on - (size_t)(root - out) - 1));
	cr_assert_eq(out[on - 1], '\n');
	free(in);
	free(out);
	sbuf_free(&diff);
}

Test(rewrite, other_links_are_kept)
{
	struct rewrite_values v;
	struct sbuf diff = SBUF_INIT, src = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *at = strstr(in, "  <InvoiceUrlNameText>PDF");
	char *out;

	/* names first, then URLs: terms (kept), image (dropped) */
	sbuf_add(&src, in, (size_t)(at - in));
	sbuf_adds(&src, "  <InvoiceUrlNameText>Ehdot</InvoiceUrlNameText>\n"
	    "  <InvoiceUrlNameText>PDF</InvoiceUrlNameText>\n"
	    "  <InvoiceUrlText>https://myyja.example/ehdot</InvoiceUrlText>\n"
	    "  <InvoiceUrlText>file://invoice.pdf</InvoiceUrlText>\n"
	    "</Finvoice>\n");
	memset(&v, 0, sizeof(v));
	v.drop_image = 1;
	out = rewrite(src.data, src.len, &v, &on, &diff);
	cr_assert_str_eq(diff.data,
	    "removed /Finvoice/InvoiceUrlNameText[2]\n"
	    "removed /Finvoice/InvoiceUrlText[2]\n");
	cr_assert(strstr(out, "<InvoiceUrlNameText>Ehdot</InvoiceUrlNameText>"
	    "\n  <InvoiceUrlText>https://myyja.example/ehdot</InvoiceUrlText>"
	    "\n</Finvoice>") != NULL);
	free(in);
	free(out);
	sbuf_free(&src);
	sbuf_free(&diff);
}

Test(rewrite, virtual_barcode_is_rebuilt)
{
	struct rewrite_values v = client_values();
	struct sbuf diff = SBUF_INIT, src = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *row = strstr(in, "  <InvoiceRow>");
	char *out;

	/* version 5 code of FI2112345600000785, 1088,36 EUR,
	 * RF18539007547034, due 2026-09-15 */
	sbuf_add(&src, in, (size_t)(row - in));
	sbuf_adds(&src, "  <VirtualBankBarcode>5"
	    "2112345600000785" "00108836" "18" "000000000539007547034"
	    "260915</VirtualBankBarcode>\n");
	sbuf_adds(&src, row);
	v.clause = NULL;
	v.free_text = NULL;
	v.drop_image = 0;
	out = rewrite(src.data, src.len, &v, &on, &diff);
	/* version 4: new account, same amount, 000, reference 7715 in 20
	 * digits, same date */
	cr_assert(strstr(diff.data, "changed /Finvoice/VirtualBankBarcode: "
	    "'521123456000007850010883618000000000539007547034260915' -> "
	    "'449500094200287300010883600000000000000000007715260915'\n")
	    != NULL, "%s", diff.data);
	free(out);
	/* a code that cannot be rebuilt is removed, not left wrong */
	sbuf_reset(&diff);
	sbuf_reset(&src);
	sbuf_add(&src, in, (size_t)(row - in));
	sbuf_adds(&src, "  <VirtualBankBarcode>12345</VirtualBankBarcode>\n");
	sbuf_adds(&src, row);
	out = rewrite(src.data, src.len, &v, &on, &diff);
	cr_assert(strstr(diff.data, "removed /Finvoice/VirtualBankBarcode\n")
	    != NULL, "%s", diff.data);
	free(out);
	free(in);
	sbuf_free(&src);
	sbuf_free(&diff);
}

Test(rewrite, framed_latin9_file_keeps_frame_encoding_and_crlf)
{
	struct rewrite_values v = client_values();
	struct sbuf out = SBUF_INIT, diff = SBUF_INIT;
	struct fv_part *pt;
	struct diag d;
	size_t n, np, i;
	char *in = slurp("tests/data/finvoice/gobl-soap-framed-3.0.xml", &n);
	xmlDocPtr a, b;
	const char *dec = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>";

	/* the service's name with a non-ASCII letter and the euro sign */
	v.payee = "Perintä € Oy";
	cr_assert_eq(finvoice_split(in, n, "framed", &pt, &np, &d), 0, "%s",
	    d.msg);
	/* envelope, message, the CRLF after it */
	cr_assert_eq(np, 3);
	cr_assert_eq(pt[0].message, 0);
	cr_assert_eq(pt[1].message, 1);
	cr_assert_eq(pt[2].message, 0);
	cr_assert_str_eq(pt[1].root, "Finvoice");
	cr_assert_eq(pt[0].off + pt[0].len, pt[1].off);
	cr_assert_eq(pt[1].off + pt[1].len, pt[2].off);
	cr_assert_eq(pt[2].len, 2);
	cr_assert_eq(pt[2].off + pt[2].len, n);
	cr_assert_eq(memcmp(in + pt[1].off, dec, strlen(dec)), 0);
	cr_assert_eq(pt[1].line, 39);
	for (i = 0; i < np; i++)
		if (!pt[i].message)
			sbuf_add(&out, in + pt[i].off, pt[i].len);
		else
			cr_assert_eq(finvoice_rewrite_message(in + pt[i].off,
			    pt[i].len, "framed", pt[i].line, &v, &out, &d), 0,
			    "%s", d.msg);
	/* frame bytes untouched, declaration kept, CRLF kept, ISO-8859-15
	 * bytes for ä (0xE4) and € (0xA4) */
	cr_assert_eq(memcmp(out.data, in, pt[1].off + strlen(dec)), 0);
	cr_assert(strstr(out.data, "<EpiNameAddressDetails>Perint\xe4 \xa4 Oy"
	    "</EpiNameAddressDetails>\r\n") != NULL);
	for (i = 0; i < out.len; i++)
		if (out.data[i] == '\n')
			cr_assert(i > 0 && out.data[i - 1] == '\r', "bare LF");
	a = parse(in + pt[1].off, pt[1].len);
	b = parse(out.data + pt[1].off, out.len - pt[1].off - 2);
	cr_assert_eq(memcmp(out.data + out.len - 2, "\r\n", 2), 0);
	cr_assert_str_eq((const char *)b->encoding, "ISO-8859-15");
	treediff(xmlDocGetRootElement(a), xmlDocGetRootElement(b), &diff);
	assert_valid(b);
	cr_assert(strstr(diff.data, "EpiNameAddressDetails: 'Lähettäjä Oy' "
	    "-> 'Perintä € Oy'\n") != NULL, "%s", diff.data);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	free(pt);
	free(in);
	sbuf_free(&out);
	sbuf_free(&diff);
}

Test(rewrite, multi_message_file_keeps_messages_in_order)
{
	struct sbuf file = SBUF_INIT, out = SBUF_INIT;
	struct rewrite_values v = client_values();
	struct fv_part *pt, *po;
	struct diag d;
	size_t n, np, no, i, m = 0;
	char *one = slurp("tests/data/finvoice/gobl-soap-framed-3.0.xml", &n);
	char *second;

	/* two transmissions back to back, the second invoice renumbered */
	sbuf_add(&file, one, n);
	sbuf_add(&file, one, n);
	second = strstr(file.data + n, "<InvoiceNumber>");
	cr_assert_not_null(second);
	second[strlen("<InvoiceNumber>")] = '9';
	cr_assert_eq(finvoice_split(file.data, file.len, "multi", &pt, &np,
	    &d), 0, "%s", d.msg);
	/* frame, message, CRLF + frame, message, CRLF */
	cr_assert_eq(np, 5);
	for (i = 0; i < np; i++) {
		cr_assert_eq(pt[i].message, (int)(i % 2));
		if (!pt[i].message) {
			sbuf_add(&out, file.data + pt[i].off, pt[i].len);
			continue;
		}
		m++;
		cr_assert_eq(finvoice_rewrite_message(file.data + pt[i].off,
		    pt[i].len, "multi", pt[i].line, &v, &out, &d), 0, "%s",
		    d.msg);
	}
	cr_assert_eq(m, 2);
	/* the output splits the same way, frames byte for byte, with the
	 * same invoices in order */
	cr_assert_eq(finvoice_split(out.data, out.len, "out", &po, &no, &d),
	    0);
	cr_assert_eq(no, 5);
	for (i = 0; i < np; i += 2) {
		cr_assert_eq(po[i].len, pt[i].len);
		cr_assert_eq(memcmp(out.data + po[i].off, file.data + pt[i].off,
		    pt[i].len), 0);
	}
	second = strstr(out.data + po[3].off, "<InvoiceNumber>");
	cr_assert_not_null(second);
	cr_assert_eq(second[strlen("<InvoiceNumber>")], '9');
	second = strstr(out.data + po[1].off, "<InvoiceNumber>");
	cr_assert_neq(second[strlen("<InvoiceNumber>")], '9');
	free(pt);
	free(po);
	free(one);
	sbuf_free(&file);
	sbuf_free(&out);
}

Test(rewrite, split_refuses_garbage)
{
	struct fv_part *pt;
	struct diag d;
	size_t np;
	const char *bad = "<a>\n<b>\n";
	const char *text = "\n\nhello";

	cr_assert_eq(finvoice_split(bad, strlen(bad), "bad", &pt, &np, &d),
	    -1);
	cr_assert_eq(finvoice_split(text, strlen(text), "t", &pt, &np, &d),
	    -1);
	cr_assert_eq(d.line, 3);
	cr_assert_eq(finvoice_split("", 0, "e", &pt, &np, &d), 0);
	cr_assert_eq(np, 0);
	free(pt);
}

Test(rewrite, missing_payment_block_is_an_error)
{
	const char *doc = "<Finvoice Version=\"3.0\"><InvoiceDetails/>"
	    "<InvoiceRow/></Finvoice>";
	struct rewrite_values v = client_values();
	struct sbuf out = SBUF_INIT;
	struct diag d;

	cr_assert_eq(finvoice_rewrite_message(doc, strlen(doc), "x.xml", 1,
	    &v, &out, &d), -1);
	cr_assert_str_eq(d.file, "x.xml");
	cr_assert(strstr(d.msg, "EpiDetails") != NULL, "%s", d.msg);
	sbuf_free(&out);
}

/* Factoring (transmission_list given): an existing block also gets the
 * contract as agreement identifier and the batch number after it, at its
 * schema position; the result stays valid. */
Test(rewrite, factoring_sets_agreement_and_batch_in_an_existing_block)
{
	struct rewrite_values v;
	struct sbuf diff = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *row = strstr(in, "  <InvoiceRow>");
	struct sbuf src = SBUF_INIT;
	char *out;

	sbuf_add(&src, in, (size_t)(row - in));
	sbuf_adds(&src, "  <FactoringAgreementDetails>\n"
	    "    <FactoringAgreementIdentifier>X1</FactoringAgreementIdentifier>\n"
	    "    <FactoringFreeText>old clause</FactoringFreeText>\n"
	    "  </FactoringAgreementDetails>\n");
	sbuf_adds(&src, row);
	memset(&v, 0, sizeof(v));
	v.clause = "Saatava on siirretty.";
	v.agreement = "12345678";
	v.transmission_list = "7";
	out = rewrite(src.data, src.len, &v, &on, &diff);
	cr_assert_str_eq(diff.data,
	    "added /Finvoice/InvoiceDetails/InvoiceFreeText[2]\n"
	    "changed /Finvoice/FactoringAgreementDetails/"
	    "FactoringAgreementIdentifier: 'X1' -> '12345678'\n"
	    "added /Finvoice/FactoringAgreementDetails/"
	    "TransmissionListIdentifier\n"
	    "changed /Finvoice/FactoringAgreementDetails/FactoringFreeText: "
	    "'old clause' -> 'Saatava on siirretty.'\n", "%s", diff.data);
	cr_assert(strstr(out, "<FactoringAgreementIdentifier>12345678"
	    "</FactoringAgreementIdentifier>\n    <TransmissionListIdentifier>7"
	    "</TransmissionListIdentifier>\n    <FactoringFreeText>") != NULL,
	    "%s", out);
	free(in);
	free(out);
	sbuf_free(&src);
	sbuf_free(&diff);
}

/* Factoring in a new block: identifier, batch, clause lines, party. */
Test(rewrite, factoring_new_block_has_the_batch)
{
	struct rewrite_values v;
	struct sbuf diff = SBUF_INIT;
	size_t n, on;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *out;

	memset(&v, 0, sizeof(v));
	v.iban = "FI5810171000000122";
	v.bic = "NDEAFIHH";
	v.reference = "12345678000010010";
	v.clause = "Saatava on siirretty.";
	v.agreement = "12345678";
	v.party = "Nordea Rahoitus Suomi Oy";
	v.transmission_list = "3";
	out = rewrite(in, n, &v, &on, &diff);
	cr_assert(strstr(out, "  <FactoringAgreementDetails>\n"
	    "    <FactoringAgreementIdentifier>12345678"
	    "</FactoringAgreementIdentifier>\n"
	    "    <TransmissionListIdentifier>3</TransmissionListIdentifier>\n"
	    "    <FactoringFreeText>Saatava on siirretty.</FactoringFreeText>\n"
	    "    <FactoringPartyName>Nordea Rahoitus Suomi Oy"
	    "</FactoringPartyName>\n  </FactoringAgreementDetails>\n") != NULL,
	    "%s", out);
	/* the image link stays: drop_image is not set */
	cr_assert(strstr(out, "<InvoiceUrlNameText>") != NULL ||
	    strstr(in, "<InvoiceUrlNameText>") == NULL);
	free(in);
	free(out);
	sbuf_free(&diff);
}

/* ---- skeletons ---- */

/* The message rewritten from its skeleton: 0 with out, 1 when no
 * skeleton is made, 2 when the skeleton's tree cannot be written back. */
static int
rewrite_skeleton(const char *msg, size_t n, const struct rewrite_values *v,
    struct sbuf *out)
{
	struct fvskel *sk = fvskel_new();
	struct diag d;
	xmlDocPtr doc = fvskel_parse(sk, msg, n, "test", 1);
	int r;

	if (doc == NULL) {
		fvskel_free(sk);
		return 1;
	}
	cr_assert_eq(finvoice_rewrite_doc(doc, v, &d), 0, "%s", d.msg);
	r = fvskel_serialize(sk, doc, msg, n, out, &d);
	cr_assert_geq(r, 0, "%s", d.msg);
	xmlFreeDoc(doc);
	fvskel_free(sk);
	return r == 1 ? 2 : 0;
}

/* The value sets of the services: a routing service with and without
 * its own account, factoring into a new block with a batch. */
static struct rewrite_values
value_set(int i)
{
	struct rewrite_values v = client_values();

	if (i == 1) {
		v.iban = v.bic = v.payee = NULL;
		v.reference = "RF557715";
		v.free_text = NULL;
		v.drop_image = 0;
	} else if (i == 2) {
		memset(&v, 0, sizeof(v));
		v.iban = "FI4950009420028730";
		v.bic = "OKOYFIHH";
		v.reference = "RF557715";
		v.agreement = "12345678";
		v.party = "Rahoittaja Oy";
		v.clause = "Saatava on siirretty.";
		v.transmission_list = "7";
	}
	return v;
}

/* msg[0..n) rewritten with each value set from its skeleton and whole:
 * the same bytes.  Counts the rewrites tried and those a skeleton made. */
static void
same_rewrite(const char *msg, size_t n, const char *what, int *tried,
    int *made)
{
	struct sbuf whole = SBUF_INIT, skel = SBUF_INIT;
	struct rewrite_values v;
	struct diag d;
	int set;

	for (set = 0; set < 3; set++) {
		v = value_set(set);
		/* a message that is not well-formed is not rewritten (nor
		 * does it have a record) */
		if (finvoice_rewrite_message(msg, n, "test", 1, &v, &whole,
		    &d) != 0)
			continue;
		(*tried)++;
		if (rewrite_skeleton(msg, n, &v, &skel) == 0) {
			(*made)++;
			cr_assert_eq(skel.len, whole.len, "%s set %d", what,
			    set);
			cr_assert_eq(memcmp(skel.data, whole.data, whole.len),
			    0, "%s set %d", what, set);
		}
		sbuf_reset(&whole);
		sbuf_reset(&skel);
	}
	sbuf_free(&whole);
	sbuf_free(&skel);
}

/* Every invoice message of the sample files, rewritten with each value
 * set from its skeleton and whole: the same bytes. */
Test(skeleton, rewrite_is_the_whole_message_rewrite)
{
	static const char *files[] = {
		"tests/data/finvoice/gobl-invoice-3.0.xml",
		"tests/data/finvoice/gobl-credit-note-3.0.xml",
		"tests/data/finvoice/gobl-credit-note-1.3.xml",
		"tests/data/finvoice/gobl-operator-converted-1.3.xml",
		"tests/data/finvoice/gobl-sender-system-1.3.xml",
		"tests/data/finvoice/gobl-soap-framed-3.0.xml",
		"tests/data/finvoice/multi-latin9-crlf.xml",
		"tests/data/finvoice/multi-utf8.xml",
		"tests/data/finvoice/pyfinvoice-finvoice-1.2-doctype.xml",
	};
	struct sbuf src = SBUF_INIT;
	struct fv_part *parts;
	struct diag d;
	size_t f, n, np, i;
	int made = 0, tried = 0;
	char *buf, *row;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		buf = slurp(files[f], &n);
		cr_assert_eq(finvoice_split(buf, n, files[f], &parts, &np, &d),
		    0, "%s: %s", files[f], d.msg);
		for (i = 0; i < np; i++) {
			if (!parts[i].message ||
			    strcmp(parts[i].root, "Finvoice") != 0)
				continue;
			same_rewrite(buf + parts[i].off, parts[i].len,
			    files[f], &tried, &made);
		}
		free(parts);
		free(buf);
	}
	/* what the samples lack: a bank barcode that can be rebuilt, a
	 * factoring block of the sender's */
	buf = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	row = strstr(buf, "  <InvoiceRow>");
	cr_assert_not_null(row);
	for (i = 0; i < 2; i++) {
		sbuf_reset(&src);
		sbuf_add(&src, buf, (size_t)(row - buf));
		sbuf_adds(&src, i == 0 ? "  <VirtualBankBarcode>5"
		    "2112345600000785" "00108836" "18" "000000000539007547034"
		    "260915</VirtualBankBarcode>\n" :
		    "  <FactoringAgreementDetails>\n"
		    "    <FactoringAgreementIdentifier>X1"
		    "</FactoringAgreementIdentifier>\n"
		    "    <FactoringFreeText>old clause</FactoringFreeText>\n"
		    "  </FactoringAgreementDetails>\n");
		sbuf_adds(&src, row);
		same_rewrite(src.data, src.len, i == 0 ? "barcode" :
		    "factoring block", &tried, &made);
	}
	free(buf);
	sbuf_free(&src);
	/* every sample invoice has rows or parties to leave out */
	cr_assert_eq(made, tried, "%d of %d made a skeleton", made, tried);
	cr_assert_geq(tried, 3 * 14);
}

/* What libxml2 would write differently (an empty element as a start and
 * an end tag, a character reference, a comment's neighbours, CDATA, a
 * namespace declared on the element) comes out as it came in when the
 * rewrite does not look at it; the tree is the whole rewrite's. */
Test(skeleton, untouched_elements_keep_their_bytes)
{
	static const char *const rows[] = {
	    "  <BuyerPartyDetails><BuyerOrganisationName>Ostaja &#228; Oy"
	    "</BuyerOrganisationName><BuyerPartyIdentifier></BuyerPartyIdentifier>"
	    "</BuyerPartyDetails>\n",
	    "  <!-- < a comment > -->\n",
	    "  <?pi x?>\n",
	    "  <InvoiceRow><ArticleName><![CDATA[a </InvoiceRow> b]]>"
	    "</ArticleName><RowFreeText>c\r\nd</RowFreeText></InvoiceRow>\n",
	    "  <x:Ext xmlns:x=\"urn:x\"><x:A>1</x:A></x:Ext>\n",
	    "  <InvoiceRow  ><ArticleName attr='&gt;'>e</ArticleName>"
	    "</InvoiceRow >\n",
	};
	/* what the whole rewrite writes otherwise */
	static const char *const rewritten[] = {
	    "<BuyerPartyIdentifier></BuyerPartyIdentifier>", "&#228;",
	    "c\r\nd", "<InvoiceRow  >" };
	size_t i;
	struct rewrite_values v = client_values();
	struct sbuf src = SBUF_INIT, skel = SBUF_INIT, whole = SBUF_INIT;
	struct sbuf diff = SBUF_INIT;
	struct diag d;
	size_t n;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	char *row = strstr(in, "  <InvoiceRow>");
	xmlDocPtr a, b;

	cr_assert_not_null(row);
	sbuf_add(&src, in, (size_t)(row - in));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		sbuf_adds(&src, rows[i]);
	sbuf_adds(&src, row);
	cr_assert_eq(rewrite_skeleton(src.data, src.len, &v, &skel), 0);
	cr_assert_eq(finvoice_rewrite_message(src.data, src.len, "test", 1,
	    &v, &whole, &d), 0, "%s", d.msg);
	/* each as it was, byte for byte (the factoring block goes in
	 * before the first row) */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_assert_not_null(memmem(skel.data, skel.len, rows[i],
		    strlen(rows[i])), "%s", rows[i]);
	for (i = 0; i < sizeof(rewritten) / sizeof(rewritten[0]); i++)
		cr_assert_null(memmem(whole.data, whole.len, rewritten[i],
		    strlen(rewritten[i])), "%s", rewritten[i]);
	a = parse(whole.data, whole.len);
	b = parse(skel.data, skel.len);
	cr_assert_eq(treediff(xmlDocGetRootElement(a),
	    xmlDocGetRootElement(b), &diff), 0, "%s", diff.data);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	free(in);
	sbuf_free(&src);
	sbuf_free(&skel);
	sbuf_free(&whole);
	sbuf_free(&diff);
}

/* A placeholder the rewrite gave content cannot be written back from
 * the original bytes: fvskel_serialize() says so, and writes nothing
 * that could be taken for the message. */
Test(skeleton, placeholder_with_new_content_is_refused)
{
	struct fvskel *sk = fvskel_new();
	struct sbuf out = SBUF_INIT;
	struct diag d;
	size_t n;
	char *in = slurp("tests/data/finvoice/gobl-invoice-3.0.xml", &n);
	xmlDocPtr doc = fvskel_parse(sk, in, n, "test", 1);
	xmlNode *rowel;

	cr_assert_not_null(doc);
	rowel = xml_child(xmlDocGetRootElement(doc), "InvoiceRow");
	cr_assert_not_null(rowel);
	/* a placeholder: empty in the skeleton's tree */
	cr_assert_null(rowel->children);
	xmlNewTextChild(rowel, NULL, BAD_CAST "ArticleName", BAD_CAST "x");
	cr_assert_eq(fvskel_serialize(sk, doc, in, n, &out, &d), 1);
	xmlFreeDoc(doc);
	/* another message's bytes with this skeleton's tree: an error */
	doc = fvskel_parse(sk, in, n, "test", 1);
	cr_assert_not_null(doc);
	{
		char *copy = malloc(n);

		memcpy(copy, in, n);
		cr_assert_eq(fvskel_serialize(sk, doc, copy, n, &out, &d), -1);
		free(copy);
	}
	xmlFreeDoc(doc);
	fvskel_free(sk);
	free(in);
	sbuf_free(&out);
}

/* No skeleton: nothing to leave out, bytes the scanner cannot follow,
 * a tree that is not the skeleton's element for element. */
Test(skeleton, not_made_when_it_would_not_do)
{
	static const char *msgs[] = {
		/* only elements the rewrite looks at */
		"<Finvoice><InvoiceDetails/><EpiDetails/></Finvoice>",
		/* a row that does not end */
		"<Finvoice><InvoiceDetails/><InvoiceRow><A></Finvoice>",
		/* an empty root */
		"<Finvoice/>",
		/* a declaration inside the root */
		"<Finvoice><!ELEMENT x ANY><InvoiceRow/></Finvoice>",
		/* the skeleton does not parse: the end tag is another's */
		"<Finvoice><InvoiceRow><A/></InvoiceRow></Finvoic>",
	};
	static const char good[] =
	    "<Finvoice><InvoiceRow><A/></InvoiceRow></Finvoice>";
	struct fvskel *sk = fvskel_new();
	xmlDocPtr doc;
	size_t i;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		cr_assert_null(fvskel_parse(sk, msgs[i], strlen(msgs[i]),
		    "test", 1), "%s", msgs[i]);
	/* and one that does */
	doc = fvskel_parse(sk, good, strlen(good), "test", 1);
	cr_assert_not_null(doc);
	xmlFreeDoc(doc);
	fvskel_free(sk);
}
