/*
 * xmlsafe: libxml2 with every door that reaches outside the file shut.
 * See xmlsafe.h.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "base/latin9.h"
#include "base/util.h"
#include "base/xmlsafe.h"

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
	xmlError first;		/* the parse's first error (code 0: none) */
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

/*
 * libxml2 goes on after a fatal error and raises more ("Premature end of
 * data" at the end of the document, for a tag left open on line 5); the
 * last one is what the context keeps.  The first error is the cause, so
 * it is kept here.  Warnings are not errors; a namespace error (level
 * error) only counts when no fatal one follows.
 */
static void
keep_first_error(void *ctx, const xmlError *err)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct entity_guard *g = ctxt != NULL ? ctxt->_private : NULL;

	if (g == NULL || err == NULL || err->level < XML_ERR_ERROR)
		return;
	if (g->first.code != 0 && (g->first.level == XML_ERR_FATAL ||
	    err->level != XML_ERR_FATAL))
		return;
	xmlResetError(&g->first);
	xmlCopyError((xmlError *)err, &g->first);
}

/*
 * libxml2 builds and frees a tree of many small nodes for every message.
 * glibc keeps only seven freed chunks of a size in its thread cache; the
 * rest go to its fast bins, which every larger request (the next
 * message's input buffer) consolidates again - a fifth of a Finvoice
 * read was spent there.  The small chunks libxml2 frees are kept here by
 * usable size (glibc's 24, 40, 56, ... bytes) and handed back to its next
 * requests; at most NODE_CACHE_MAX bytes are kept.  Chunks are glibc's
 * own, so either side may free what the other allocated.  Sanitizer
 * builds leave it out, so use after free stays visible to them.
 */
#if defined(__SANITIZE_ADDRESS__)
#define NODE_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define NODE_CACHE 0
#endif
#endif
#ifndef NODE_CACHE
#define NODE_CACHE 1
#endif

#define NODE_MIN 24		/* glibc's smallest usable chunk */
#define NODE_STEP 16
#define NODE_CLASSES 16		/* usable sizes 24 ... 264 */
#define NODE_MAX (NODE_MIN + NODE_STEP * (NODE_CLASSES - 1))
#define NODE_CACHE_MAX ((size_t)16 << 20)

static void *node_free[NODE_CLASSES];
static size_t node_cached;

static void *
xml_alloc(size_t n)
{
	if (NODE_CACHE && n <= NODE_MAX) {
		size_t k = n <= NODE_MIN ? 0 :
		    (n - NODE_MIN + NODE_STEP - 1) / NODE_STEP;
		void *p = node_free[k];

		if (p != NULL) {
			node_free[k] = *(void **)p;
			node_cached -= NODE_MIN + NODE_STEP * k;
			return p;
		}
	}
	return xmalloc(n);
}

static void
xml_release(void *p)
{
	size_t u, k;

	if (p == NULL)
		return;
	if (NODE_CACHE) {
		u = malloc_usable_size(p);
		if (u >= NODE_MIN && u <= NODE_MAX &&
		    node_cached + u <= NODE_CACHE_MAX) {
			/* the class below u: every chunk in it is at least
			 * as large as the class says */
			k = (u - NODE_MIN) / NODE_STEP;
			*(void **)p = node_free[k];
			node_free[k] = p;
			node_cached += NODE_MIN + NODE_STEP * k;
			return;
		}
	}
	free(p);
}

static char *
xml_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xml_alloc(n), s, n);
}

/* The name of the ISO-8859-1 handler, and the labels that lead to it:
 * the IANA name and aliases of ISO-8859-1 that XML allows as encoding
 * names, and LATIN-1 and ISO-LATIN-1, which iconv knows (libxml2
 * compares them without case). */
#define LATIN1_HANDLER "X-RESKONTRA-ISO-8859-1"
static const char *const latin1_labels[] = {
	"ISO-8859-1", "ISO_8859-1", "ISO8859-1",
	"LATIN1", "LATIN-1", "ISO-LATIN-1", "L1", "ISO-IR-100", "IBM819",
	"CP819", "CSISOLATIN1",
};

static void
init_once(void)
{
	static int done;
	size_t i;

	if (done)
		return;
	done = 1;
	/* libxml2 reports some allocation failures as errors in the
	 * document ("Extra content at the end of the document"), and a
	 * good file would be rejected for them: its allocations go
	 * through the x-wrappers, which abort with a message. */
	xmlMemSetup(xml_release, xml_alloc, xrealloc, xml_strdup);
	xmlInitParser();
	/* ISO-8859-15 without an iconv converter per document (latin9.h);
	 * libxml2 keeps the handler for the life of the program */
	(void)xmlNewCharEncodingHandler("ISO-8859-15", latin9_to_utf8,
	    latin9_from_utf8);
	/* ISO-8859-1 with its 0x80-0x9f as windows-1252 (latin9.h), as
	 * the KTO and KTL readers read it.  libxml2 finds its own
	 * ISO-8859-1 converter before any registered one of that name, but
	 * it looks a name's alias up first: every label of ISO-8859-1 is
	 * made an alias of this handler.  Writing stays libxml2's
	 * UTF8Toisolat1, strict ISO-8859-1 (a character above 0xff
	 * becomes a character reference). */
	(void)xmlNewCharEncodingHandler(LATIN1_HANDLER, latin1_to_utf8,
	    UTF8Toisolat1);
	for (i = 0; i < sizeof latin1_labels / sizeof *latin1_labels; i++)
		(void)xmlAddEncodingAlias(LATIN1_HANDLER, latin1_labels[i]);
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

/* ---- checks on the raw bytes, before libxml2 ---- */

static int
starts(const char *p, size_t n, size_t pos, const char *s)
{
	size_t k = strlen(s);

	return n - pos >= k && memcmp(p + pos, s, k) == 0;
}

/* Position just after the first s at or after pos, 0 if none. */
static size_t
past(const char *p, size_t n, size_t pos, const char *s)
{
	size_t k = strlen(s);
	const char *hit = memmem(p + pos, n - pos, s, k);

	return hit != NULL ? (size_t)(hit - p) + k : 0;
}

static int
xml_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum scan_verdict {
	SCAN_OK, SCAN_ATTRS, SCAN_DEPTH, SCAN_DTD_ATTRS, SCAN_DTD_SIZE
};

/*
 * A DOCTYPE declaration from p[pos] ("<!"): *end is just past it (0 if it
 * does not end).  Counts in *nattr the attribute definitions of its
 * internal subset's ATTLIST declarations, as the number of default
 * declarations (#REQUIRED, #IMPLIED, #FIXED) and quoted values in them:
 * each definition has one or two, so a flood cannot hide under it.
 */
static void
skip_doctype(const char *p, size_t n, size_t pos, size_t *end, long *nattr)
{
	size_t q, e;
	int quote = 0, sq = 0, attlist = 0;

	*end = 0;
	for (q = pos + 2; q < n; q++) {
		char c = p[q];

		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			*nattr += attlist;
		} else if (c == '<' && sq > 0 && (starts(p, n, q, "<!--") ||
		    starts(p, n, q, "<?"))) {
			e = p[q + 1] == '!' ? past(p, n, q + 4, "-->") :
			    past(p, n, q + 2, "?>");
			if (e == 0)
				return;
			q = e - 1;
		} else if (c == '<' && sq > 0)
			attlist = starts(p, n, q, "<!ATTLIST");
		else if (c == '#')
			*nattr += attlist;
		else if (c == '[')
			sq++;
		else if (c == ']' && sq > 0)
			sq--;
		else if (c == '>' && sq == 0) {
			*end = q + 1;
			return;
		} else if (c == '>')
			attlist = 0;
	}
}

/*
 * Walk buf[0..len) tag by tag (comments, CDATA sections, processing
 * instructions and the DOCTYPE skipped whole, quoted attribute values
 * skipped) and stop at the first start tag with more than XML_MAX_ATTRS
 * attributes (each has one '=' outside quotes) or nesting deeper than
 * XML_MAX_DEPTH, or a DOCTYPE larger than XML_MAX_DTD bytes or defining
 * more than XML_MAX_ATTRS attributes.  *at is then the offset of its '<'.  Markup that does not
 * end stops the walk with SCAN_OK: libxml2 reports it.  One pass, no
 * backtracking.
 */
static enum scan_verdict
scan_tags(const char *p, size_t n, size_t *at)
{
	const char *lt;
	size_t i = 0, e, q;
	long depth = 0, nattr, ndtd = 0;
	int quote;

	while (i < n && (lt = memchr(p + i, '<', n - i)) != NULL) {
		i = (size_t)(lt - p);
		*at = i;
		if (starts(p, n, i, "<!--"))
			e = past(p, n, i + 4, "-->");
		else if (starts(p, n, i, "<![CDATA["))
			e = past(p, n, i + 9, "]]>");
		else if (starts(p, n, i, "<?"))
			e = past(p, n, i + 2, "?>");
		else if (starts(p, n, i, "<!")) {
			skip_doctype(p, n, i, &e, &ndtd);
			if ((e != 0 ? e : n) - i > (size_t)XML_MAX_DTD)
				return SCAN_DTD_SIZE;
			if (ndtd > XML_MAX_ATTRS)
				return SCAN_DTD_ATTRS;
		} else if (starts(p, n, i, "</")) {
			e = past(p, n, i + 2, ">");
			if (depth > 0)
				depth--;
		} else {
			nattr = 0;
			quote = 0;
			e = 0;
			for (q = i + 1; q < n; q++) {
				if (quote) {
					if (p[q] == quote)
						quote = 0;
				} else if (p[q] == '"' || p[q] == '\'')
					quote = p[q];
				else if (p[q] == '=') {
					if (++nattr > XML_MAX_ATTRS)
						return SCAN_ATTRS;
				} else if (p[q] == '>') {
					e = q + 1;
					break;
				}
			}
			if (e != 0 && p[e - 2] != '/' &&
			    ++depth > XML_MAX_DEPTH)
				return SCAN_DEPTH;
		}
		if (e == 0)
			break;
		i = e;
	}
	return SCAN_OK;
}

static const char *
encoding_from_bytes(const unsigned char *b, size_t n)
{
	if (n >= 4 && ((b[0] == 0 && b[1] == 0 && b[2] == 0xfe &&
	    b[3] == 0xff) || (b[0] == 0xff && b[1] == 0xfe && b[2] == 0 &&
	    b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == 0 &&
	    b[3] == '<') || (b[0] == '<' && b[1] == 0 && b[2] == 0 &&
	    b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == '<' &&
	    b[3] == 0) || (b[0] == 0 && b[1] == '<' && b[2] == 0 &&
	    b[3] == 0)))
		return "UTF-32";
	if (n >= 2 && ((b[0] == 0xfe && b[1] == 0xff) || (b[0] == 0xff &&
	    b[1] == 0xfe) || (b[0] == 0 && (b[1] == '<' ||
	    xml_blank(b[1]))) || (b[1] == 0 && (b[0] == '<' ||
	    xml_blank(b[0])))))
		return "UTF-16";
	if (n >= 4 && b[0] == 0x4c && b[1] == 0x6f && b[2] == 0xa7 &&
	    b[3] == 0x94)
		return "EBCDIC";
	return NULL;
}

/* Single-byte ASCII-based encodings and UTF-8: libxml2 decodes them,
 * and a '<', '=' or quote byte is that character. */
static int
encoding_ascii_based(const char *e)
{
	static const char *names[] = {
		"UTF-8", "UTF8", "US-ASCII", "ASCII", "LATIN9", "LATIN-9",
		"WINDOWS-1252", "CP1252",
	};
	static const char *iso[] = { "ISO-8859-", "ISO8859-", "ISO_8859-" };
	size_t i, k;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(e, names[i]) == 0)
			return 1;
	for (i = 0; i < sizeof latin1_labels / sizeof *latin1_labels; i++)
		if (strcasecmp(e, latin1_labels[i]) == 0)
			return 1;
	for (i = 0; i < sizeof iso / sizeof iso[0]; i++) {
		k = strlen(iso[i]);
		if (strncasecmp(e, iso[i], k) == 0 && e[k] != '\0' &&
		    strspn(e + k, "0123456789") == strlen(e + k) &&
		    atoi(e + k) >= 1 && atoi(e + k) <= 16)
			return 1;
	}
	return 0;
}

const char *
xml_unsupported_encoding(const char *buf, size_t len, char *declared,
    size_t sz)
{
	const char *e;
	size_t i = 0, end, k;
	char quote;

	if ((e = encoding_from_bytes((const unsigned char *)buf, len)) != NULL)
		return e;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (!starts(buf, len, i, "<?xml") || len - i < 6 ||
	    !xml_blank((unsigned char)buf[i + 5]))
		return NULL;
	/* The XML declaration is short; only its own bytes are looked at. */
	end = past(buf, len < i + 512 ? len : i + 512, i, "?>");
	if (end == 0)
		return NULL;
	for (i += 5; i + 8 < end; i++)
		if (memcmp(buf + i, "encoding", 8) == 0 &&
		    xml_blank((unsigned char)buf[i - 1]))
			break;
	if (i + 8 >= end)
		return NULL;
	for (i += 8; i < end && (xml_blank((unsigned char)buf[i]) ||
	    buf[i] == '='); i++)
		;
	if (i >= end || (buf[i] != '"' && buf[i] != '\''))
		return NULL;
	quote = buf[i++];
	for (k = 0; i < end && buf[i] != quote; i++)
		if (k + 1 < sz)
			declared[k++] = buf[i];
	declared[k] = '\0';
	if (encoding_ascii_based(declared))
		return NULL;
	return declared;
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

/* Refuse what the byte checks find before libxml2 parses anything:
 * 0 go on, -1 d filled. */
static int
refuse_early(const char *buf, size_t len, const char *name,
    long first_line, struct diag *d)
{
	char enc[64], tag[64];
	const char *ent, *e;
	size_t at = 0, k;
	long line;

	if (len > (size_t)XML_MAX_DOC) {
		diag_set(d, name, first_line, 0,
		    "XML document larger than %ld bytes", XML_MAX_DOC);
		return -1;
	}
	if ((e = xml_unsupported_encoding(buf, len, enc, sizeof enc)) !=
	    NULL) {
		diag_set(d, name, first_line, 0, "unsupported character "
		    "encoding %s (Finvoice and camt files must be UTF-8 or "
		    "ISO-8859-1/15)", e);
		return -1;
	}
	ent = memmem(buf, len, "<!ENTITY", 8);
	if (ent != NULL) {
		diag_set(d, name, first_line - 1 + line_of(buf,
		    (size_t)(ent - buf)), 0,
		    "XML entity declarations are not allowed");
		return -1;
	}
	switch (scan_tags(buf, len, &at)) {
	case SCAN_OK:
		return 0;
	case SCAN_ATTRS:
		for (k = 0; k + 1 < sizeof tag && at + 1 + k < len &&
		    !xml_blank((unsigned char)buf[at + 1 + k]) &&
		    buf[at + 1 + k] != '/' && buf[at + 1 + k] != '>'; k++)
			tag[k] = buf[at + 1 + k];
		tag[k] = '\0';
		line = first_line - 1 + line_of(buf, at);
		diag_set(d, name, line, 0, "XML: element %s has more than %d "
		    "attributes", tag, XML_MAX_ATTRS);
		return -1;
	case SCAN_DEPTH:
		diag_set(d, name, first_line - 1 + line_of(buf, at), 0,
		    "XML: elements nested more than %d deep", XML_MAX_DEPTH);
		return -1;
	case SCAN_DTD_SIZE:
		diag_set(d, name, first_line - 1 + line_of(buf, at), 0,
		    "XML: DOCTYPE larger than %d bytes", XML_MAX_DTD);
		return -1;
	case SCAN_DTD_ATTRS:
		diag_set(d, name, first_line - 1 + line_of(buf, at), 0,
		    "XML: DOCTYPE declares more than %d attributes",
		    XML_MAX_ATTRS);
		return -1;
	}
	return 0;
}

/* libxml2 could not allocate: the file is not bad, so it must not be
 * rejected (a rejected input is filed under failed/ and never tried
 * again).  Like an x-wrapper (base/util.h), abort with a message. */
static void
xml_oom(void)
{
	fprintf(stderr, "reskontra: out of memory (XML parser)\n");
	abort();
}

/* Whether (line, column), 1-based, is at the end of buf[0..len): on its
 * last line, at or past that line's last byte. */
static int
at_end(const char *buf, size_t len, long line, long column)
{
	long n = 1;
	size_t i, start = 0;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n') {
			n++;
			start = i + 1;
		}
	return line >= n && column >= (long)(len - start);
}

/* d from the parse's first error (else the context's last one), of the
 * document buf[0..len).  libxml2's own words, on one line ("Input is not
 * proper UTF-8, indicate encoding !" and "Bytes: ..." on two), and what
 * they mean for a file: one not in the encoding it declares, one that
 * ends in the middle of its markup (an error at its very end that is
 * not libxml2's own "Premature end"). */
static void
parse_error(xmlParserCtxtPtr ctxt, const xmlError *first, const char *buf,
    size_t len, const char *name, long first_line, struct diag *d)
{
	const xmlError *err = first->code != 0 ? first :
	    xmlCtxtGetLastError(ctxt);
	const char *hint = "";
	char *msg, *p;
	size_t n;

	if (err == NULL || err->message == NULL) {
		diag_set(d, name, first_line, 0, "XML: not well-formed");
		return;
	}
	msg = xstrdup(err->message);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (p = msg; (p = strchr(p, '\n')) != NULL; p++)
		*p = ' ';
	msg = file_lines_in_msg(msg, err, first_line);
	if (err->code == XML_ERR_INVALID_ENCODING ||
	    strncmp(msg, "Input is not proper", 19) == 0)
		hint = " (the file is not in the character set it declares, "
		    "UTF-8 when it declares none: ask its sender)";
	else if (at_end(buf, len, err->line, err->int2) &&
	    strstr(msg, "Premature end") == NULL)
		hint = " (at the very end of the input: it may be cut short)";
	diag_set(d, name, first_line - 1 + (err->line > 0 ? err->line : 1),
	    err->int2 > 0 ? err->int2 : 0, "XML: %s%s", msg, hint);
	free(msg);
}

xmlDocPtr
xml_parse_safe(const char *buf, size_t len, const char *name,
    long first_line, struct diag *d)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	struct entity_guard guard;
	/* XML_PARSE_HUGE stays off: libxml2's own limits on names, text
	 * nodes and depth hold too. */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOXINCNODE | XML_PARSE_COMPACT;

	init_once();
	memset(&guard, 0, sizeof guard);
	if (refuse_early(buf, len, name, first_line, d) != 0)
		return NULL;
	ctxt = parser_ctxt();
	if (ctxt == NULL)
		xml_oom();
	ctxt->_private = &guard;
	ctxt->sax->entityDecl = refuse_entity_decl;
	ctxt->sax->serror = (xmlStructuredErrorFunc)keep_first_error;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, opts);
	ctxt->_private = NULL;
	if (guard.line > 0) {
		diag_set(d, name, first_line - 1 + guard.line, 0,
		    "XML entity declarations are not allowed");
		goto fail;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		const xmlError *last = xmlCtxtGetLastError(ctxt);

		if (guard.first.code == XML_ERR_NO_MEMORY ||
		    (last != NULL && last->code == XML_ERR_NO_MEMORY))
			xml_oom();
		parse_error(ctxt, &guard.first, buf, len, name, first_line, d);
		goto fail;
	}
	if (doc->intSubset != NULL && (doc->intSubset->entities != NULL ||
	    doc->intSubset->pentities != NULL)) {
		diag_set(d, name, first_line, 0,
		    "XML entity declarations are not allowed");
		goto fail;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		diag_set(d, name, first_line, 0, "XML: no root element");
		goto fail;
	}
	xmlResetError(&guard.first);
	return doc;
fail:
	xmlResetError(&guard.first);
	if (doc)
		xmlFreeDoc(doc);
	return NULL;
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
