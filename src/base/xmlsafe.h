/*
 * xmlsafe: the only way reskontra parses XML (camt, Finvoice, SI, RI).
 *
 * Files from a drop folder are untrusted: no network, no DTD or external
 * entity loading, no entity substitution, and a document that declares
 * entities at all (general or parameter) is refused: by a byte search
 * before libxml2 sees it, and, in encodings the search cannot see
 * (UTF-16), when the parser meets the first declaration, before anything
 * is expanded (billion laughs, external entities).  Element line numbers
 * are kept (beyond 65535 too).  Only ASCII-based encodings are parsed
 * (xml_unsupported_encoding), so that the byte checks see what libxml2
 * will see; a start tag with more than XML_MAX_ATTRS attributes or
 * nesting deeper than XML_MAX_DEPTH is refused before libxml2 parses
 * anything.  The first libxml2 error is the one reported: later ones
 * follow from it.
 * The caller owns the returned document (xmlFreeDoc).
 */
#ifndef RESKONTRA_XMLSAFE_H
#define RESKONTRA_XMLSAFE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "base/diag.h"

/* Largest XML document (one message) reskontra will parse. */
#define XML_MAX_DOC (64L * 1024 * 1024)

/*
 * Most attributes (namespace declarations included) one element may have,
 * and most attribute definitions a DOCTYPE's internal subset may hold.
 * Finvoice, camt, SI and RI elements have at most a handful; libxml2's
 * duplicate-attribute check costs the square of the count, so an element
 * of 100 000 attributes would take minutes.  Counted on the raw bytes
 * before libxml2 sees them.
 */
#define XML_MAX_ATTRS 256

/* Largest DOCTYPE declaration, internal subset included.  No Finvoice or
 * camt file needs one (a Finvoice 1.x DOCTYPE names an external DTD in a
 * line); libxml2's checks of some declarations in it (repeated values of
 * an enumerated attribute type) cost the square of their size. */
#define XML_MAX_DTD 16384

/* Deepest element nesting (camt's deepest path is 14 elements, a framed
 * Finvoice's under 10).  Counted with the attributes. */
#define XML_MAX_DEPTH 64

/*
 * Parse buf[0..len) named `name` for messages.  first_line is the line of
 * buf's first byte in the file (1 for a whole file), so that messages and
 * xml_line() give file lines.  NULL with d filled on any error (not
 * well-formed, entity declarations, too large).
 */
xmlDocPtr xml_parse_safe(const char *buf, size_t len, const char *name,
    long first_line, struct diag *d);

/*
 * The character encoding of the XML document buf[0..len) when xmlsafe
 * does not parse it: "UTF-16", "UTF-32" or "EBCDIC" from the first bytes
 * (a byte-order mark or the NUL bytes around '<'), or the name its XML
 * declaration gives when that is not UTF-8, US-ASCII, ISO-8859-1/15
 * (or another ISO-8859 part) or windows-1252, copied to declared[0..sz).
 * NULL when the encoding is one of those.
 */
const char *xml_unsupported_encoding(const char *buf, size_t len,
    char *declared, size_t sz);

/* File line of a node of a document parsed with first_line. */
long xml_line(const xmlNode *node, long first_line);

/* First element child of node named `name` (local name, any namespace);
 * NULL if none. */
xmlNode *xml_child(const xmlNode *node, const char *name);

/* Element at a '/'-separated path of local names below node, e.g.
 * "EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier". */
xmlNode *xml_path(const xmlNode *node, const char *path);

/* Text content of node, trimmed, into a malloc'd string the caller frees;
 * NULL if node is NULL. */
char *xml_text(const xmlNode *node);

#endif
