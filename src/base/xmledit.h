/*
 * xmledit: small edits of a parsed XML tree that keep the document's
 * layout, so that a diff of a message and its changed copy shows only
 * the change: a new element goes next to a sibling with the blanks that
 * sibling has before it (a new block is best made as a copy of one
 * already there, xmlDocCopyNode, which keeps its inner layout).
 *
 * Used by the writers that edit Finvoice and SI messages
 * (write/finvoice_rewrite.c, write/si_change.c).  Ownership: nodes
 * are created in the document given and belong to it.
 */
#ifndef RESKONTRA_XMLEDIT_H
#define RESKONTRA_XMLEDIT_H

#include <libxml/tree.h>

/* An element named name with the text (NULL: empty). */
xmlNode *xmledit_new(xmlDocPtr doc, const char *name, const char *text);

/* Replace the content of n with the text s. */
void xmledit_set_text(xmlNode *n, const char *s);

/* [ws][node] -> [ws][node][ws][new] */
void xmledit_insert_after(xmlNode *node, xmlNode *new);

/* Remove node and the blanks before it; node is freed. */
void xmledit_remove(xmlNode *node);

#endif
