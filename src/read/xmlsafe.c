/*
 * xmlsafe: libxml2 with every door that reaches outside the file shut.
 * See xmlsafe.h.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "base/util.h"
#include "read/xmlsafe.h"

/* External entities, DTDs and XIncludes are never loaded from anywhere. */
static xmlParserInputPtr
refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	return NULL;
}

static void
ignore_errors(void *ctx, const xmlError *err)
{
}

/*
 * Entity declarations are refused as the parser meets them, in whatever
 * encoding the document is written (the byte search in xml_parse_safe
 * only sees ASCII-compatible ones): the parse stops at the first one, so
 * nothing declared is ever expanded.  Parameter entities come here too.
 */
struct entity_guard {
	long line;		/* line of the first declaration, 0 if none */
};

static void
refuse_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct entity_guard *g = ctxt->_private;

	if (g != NULL && g->line == 0)
		g->line = ctxt->input && ctxt->input->line > 0 ?
		    ctxt->input->line : 1;
	xmlStopParser(ctxt);
}

static void
init_once(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_loader);
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)ignore_errors);
}

/* Line (1-based, within buf) of byte offset off. */
static long
line_of(const char *buf, size_t off)
{
	long line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/*
 * Some libxml2 messages name a second line ("Opening and ending tag
 * mismatch: A line 28 and B"), counted from the start of buf and passed
 * in int1.  Rewrite it as a file line, like the error's own line.
 */
static char *
file_lines_in_msg(char *msg, const xmlError *err, long first_line)
{
	char num[32], *p, *out;
	size_t nl;

	if ((err->code != XML_ERR_TAG_NAME_MISMATCH &&
	    err->code != XML_ERR_TAG_NOT_FINISHED) || err->int1 <= 0 ||
	    first_line <= 1)
		return msg;
	nl = (size_t)snprintf(num, sizeof num, " line %d", err->int1);
	p = strstr(msg, num);
	if (p == NULL || (p[nl] >= '0' && p[nl] <= '9'))
		return msg;
	out = xmalloc(strlen(msg) + 32);
	snprintf(out, strlen(msg) + 32, "%.*s line %ld%s", (int)(p - msg), msg,
	    first_line - 1 + err->int1, p + nl);
	free(msg);
	return out;
}

/*
 * One parser context serves every document: creating one per message
 * costs about a tenth of the parse in a file of many small messages
 * (Finvoice transmission files).  Its dictionary of names is shared by the
 * documents and grows with the distinct names seen, so the context is
 * replaced once that passes DICT_LIMIT names.
 */
#define DICT_LIMIT 20000

static xmlParserCtxtPtr shared_ctxt;

static xmlParserCtxtPtr
parser_ctxt(void)
{
	if (shared_ctxt != NULL && shared_ctxt->dict != NULL &&
	    xmlDictSize(shared_ctxt->dict) > DICT_LIMIT) {
		xmlFreeParserCtxt(shared_ctxt);
		shared_ctxt = NULL;
	}
	if (shared_ctxt == NULL)
		shared_ctxt = xmlNewParserCtxt();
	return shared_ctxt;
}

xmlDocPtr
xml_parse_safe(const char *buf, size_t len, const char *name,
    long first_line, struct diag *d)
{
	const char *ent;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	const xmlError *err;
	struct entity_guard guard = { 0 };
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOXINCNODE;

	init_once();
	if (len > (size_t)XML_MAX_DOC) {
		diag_set(d, name, first_line, 0,
		    "XML document larger than %ld bytes", XML_MAX_DOC);
		return NULL;
	}
	ent = memmem(buf, len, "<!ENTITY", 8);
	if (ent != NULL) {
		diag_set(d, name, first_line - 1 + line_of(buf,
		    (size_t)(ent - buf)), 0,
		    "XML entity declarations are not allowed");
		return NULL;
	}
	ctxt = parser_ctxt();
	if (ctxt == NULL) {
		diag_set(d, name, 0, 0, "out of memory");
		return NULL;
	}
	ctxt->_private = &guard;
	ctxt->sax->entityDecl = refuse_entity_decl;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
	ctxt->_private = NULL;
	if (guard.line > 0) {
		diag_set(d, name, first_line - 1 + guard.line, 0,
		    "XML entity declarations are not allowed");
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		err = xmlCtxtGetLastError(ctxt);
		if (err != NULL && err->message != NULL) {
			char *msg = xstrdup(err->message);
			size_t n = strlen(msg);

			while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
				msg[--n] = '\0';
			msg = file_lines_in_msg(msg, err, first_line);
			diag_set(d, name, first_line - 1 + (err->line > 0 ?
			    err->line : 1), err->int2 > 0 ? err->int2 : 0,
			    "XML: %s", msg);
			free(msg);
		} else
			diag_set(d, name, first_line, 0, "XML: not well-formed");
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	if (doc->intSubset != NULL && (doc->intSubset->entities != NULL ||
	    doc->intSubset->pentities != NULL)) {
		diag_set(d, name, first_line, 0,
		    "XML entity declarations are not allowed");
		xmlFreeDoc(doc);
		return NULL;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		diag_set(d, name, first_line, 0, "XML: no root element");
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

long
xml_line(const xmlNode *node, long first_line)
{
	long l = xmlGetLineNo(node);

	return l > 0 ? first_line - 1 + l : first_line;
}

xmlNode *
xml_child(const xmlNode *node, const char *name)
{
	xmlNode *c;

	if (node == NULL)
		return NULL;
	for (c = node->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

xmlNode *
xml_path(const xmlNode *node, const char *path)
{
	char part[128];
	const char *p = path, *slash;
	size_t n;

	while (node != NULL && *p) {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		node = xml_child(node, part);
		p += n + (slash ? 1 : 0);
	}
	return (xmlNode *)node;
}

char *
xml_text(const xmlNode *node)
{
	xmlChar *t;
	struct sbuf b = SBUF_INIT;

	if (node == NULL)
		return NULL;
	t = xmlNodeGetContent(node);
	sbuf_set_trimmed(&b, t ? (const char *)t : "",
	    t ? strlen((const char *)t) : 0);
	xmlFree(t);
	if (b.data == NULL)
		return xstrdup("");
	return b.data;
}
