/*
 * soapframe: read and write the SOAP/ebXML frame of a Finvoice, SI or RI
 * message (soapframe.h).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "base/soapframe.h"
#include "base/xmlsafe.h"

static void
copy_text(char *dst, const xmlNode *n)
{
	char *t = xml_text(n);

	if (t == NULL) {
		dst[0] = '\0';
		return;
	}
	strncpy(dst, t, SOAPFRAME_FIELD - 1);
	dst[SOAPFRAME_FIELD - 1] = '\0';
	free(t);
}

/* A From or To party into sender (Role Sender/Receiver) or inter (Role
 * Intermediator); a party of no known role is left out. */
static void
party(const xmlNode *n, char *sender, char *inter)
{
	char role[SOAPFRAME_FIELD];

	copy_text(role, xml_child(n, "Role"));
	if (strcmp(role, "Intermediator") == 0)
		copy_text(inter, xml_child(n, "PartyId"));
	else if (strcmp(role, "Sender") == 0 || strcmp(role, "Receiver") == 0)
		copy_text(sender, xml_child(n, "PartyId"));
}

static void
header(const xmlNode *mh, struct soapframe *fr)
{
	const xmlNode *c, *md;

	for (c = mh->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "From") == 0)
			party(c, fr->from, fr->from_int);
		else if (strcmp((const char *)c->name, "To") == 0)
			party(c, fr->to, fr->to_int);
	}
	md = xml_child(mh, "MessageData");
	copy_text(fr->message_id, xml_child(md, "MessageId"));
	copy_text(fr->timestamp, xml_child(md, "Timestamp"));
	copy_text(fr->ref_to, xml_child(md, "RefToMessageId"));
}

int
soapframe_parse(const char *data, size_t len, const char *name, long line,
    struct soapframe *fr, struct diag *d)
{
	xmlDocPtr doc;
	xmlNode *root;

	memset(fr, 0, sizeof(*fr));
	if (memmem(data, len, "Envelope", 8) == NULL)
		return 0;
	if ((doc = xml_parse_safe(data, len, name, line, d)) == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root != NULL && strcmp((const char *)root->name, "Envelope") == 0) {
		fr->found = 1;
		header(xml_path(root, "Header/MessageHeader"), fr);
	}
	xmlFreeDoc(doc);
	return 0;
}

/* Append s escaped; -1 when it is not printable ASCII. */
static int
add_escaped(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c > 0x7e)
			return -1;
		if (c == '<')
			sbuf_adds(out, "&lt;");
		else if (c == '>')
			sbuf_adds(out, "&gt;");
		else if (c == '&')
			sbuf_adds(out, "&amp;");
		else if (c == '"')
			sbuf_adds(out, "&quot;");
		else
			sbuf_addc(out, c);
	}
	return 0;
}

/* The frame's lines: \1 stands for the next value of vals[] (in order),
 * \2 starts a line left out when its value is empty.  A line of several
 * literals is in parentheses (clang's -Wstring-concatenation). */
static const char *const frame_lines[] = {
	("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/"
	    "envelope/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	    "xmlns:eb=\"http://www.oasis-open.org/committees/ebxml-msg/"
	    "schema/msg-header-2_0.xsd\">"),
	"<SOAP-ENV:Header>",
	"<eb:MessageHeader SOAP-ENV:mustUnderstand=\"1\" eb:version=\"2.0\">",
	"<eb:From>", "<eb:PartyId>\1</eb:PartyId>", "<eb:Role>Sender</eb:Role>",
	"</eb:From>",
	"<eb:From>", "<eb:PartyId>\1</eb:PartyId>",
	"<eb:Role>Intermediator</eb:Role>", "</eb:From>",
	"<eb:To>", "<eb:PartyId>\1</eb:PartyId>", "<eb:Role>Receiver</eb:Role>",
	"</eb:To>",
	"<eb:To>", "<eb:PartyId>\1</eb:PartyId>",
	"<eb:Role>Intermediator</eb:Role>", "</eb:To>",
	"<eb:CPAId>yoursandmycpa</eb:CPAId>",
	"<eb:Service>Routing</eb:Service>",
	"<eb:Action>ProcessInvoice</eb:Action>",
	"<eb:MessageData>",
	"<eb:MessageId>\1</eb:MessageId>",
	"<eb:Timestamp>\1</eb:Timestamp>",
	"\2<eb:RefToMessageId>\1</eb:RefToMessageId>",
	"</eb:MessageData>",
	"</eb:MessageHeader>",
	"</SOAP-ENV:Header>",
	"<SOAP-ENV:Body>",
	"<eb:Manifest eb:id=\"Manifest\" eb:version=\"2.0\">",
	"<eb:Reference eb:id=\"Finvoice\" xlink:href=\"\1\">",
	("<eb:schema eb:location=\"http://www.finvoice.info/finvoice.xsd\" "
	    "eb:version=\"\1\"/>"),
	"</eb:Reference>",
	"</eb:Manifest>",
	"</SOAP-ENV:Body>",
	"</SOAP-ENV:Envelope>",
};

int
soapframe_write(struct sbuf *out, const struct soapframe *fr,
    const char *version, const char *eol, struct diag *d)
{
	const char *vals[] = { fr->from, fr->from_int, fr->to, fr->to_int,
	    fr->message_id, fr->timestamp, fr->ref_to, fr->message_id,
	    version };
	size_t i, v = 0, nvals = sizeof vals / sizeof vals[0];
	const char *p;

	for (i = 0; i < sizeof frame_lines / sizeof frame_lines[0]; i++) {
		p = frame_lines[i];
		if (*p == '\2') {
			/* an optional line: left out when its value is */
			if (vals[v][0] == '\0') {
				v++;
				continue;
			}
			p++;
		}
		for (; *p; p++) {
			if (*p != '\1') {
				sbuf_addc(out, *p);
				continue;
			}
			if (v >= nvals || add_escaped(out, vals[v]) < 0) {
				diag_set(d, "frame", 0, 0, "'%s' cannot be "
				    "written in a SOAP frame (printable ASCII "
				    "only)", v < nvals ? vals[v] : "?");
				return -1;
			}
			v++;
		}
		sbuf_adds(out, eol);
	}
	return 0;
}
