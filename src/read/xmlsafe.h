/*
 * xmlsafe: the only way reskontra parses XML (camt, Finvoice, SI, RI).
 *
 * Files from a drop folder are untrusted: no network, no DTD or external
 * entity loading, no entity substitution, and a document that declares
 * entities at all (general or parameter) is refused: by a byte search
 * before libxml2 sees it, and, in encodings the search cannot see
 * (UTF-16), when the parser meets the first declaration, before anything
 * is expanded (billion laughs, external entities).  Element line numbers
 * are kept (beyond 65535 too).
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
 * Parse buf[0..len) named `name` for messages.  first_line is the line of
 * buf's first byte in the file (1 for a whole file), so that messages and
 * xml_line() give file lines.  NULL with d filled on any error (not
 * well-formed, entity declarations, too large).
 */
xmlDocPtr xml_parse_safe(const char *buf, size_t len, const char *name,
    long first_line, struct diag *d);

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
