/*
 * xmledit: layout-keeping edits of a parsed XML tree (xmledit.h).
 */
#include <string.h>

#include "base/xmledit.h"

#define X(s) ((const xmlChar *)(s))

static int
all_blank(const xmlChar *c)
{
	for (; c != NULL && *c != '\0'; c++)
		if (*c != ' ' && *c != '\t' && *c != '\r' && *c != '\n')
			return 0;
	return 1;
}

/* The blanks before node when they are a whole text node. */
static const xmlNode *
ws_before(const xmlNode *node)
{
	const xmlNode *p = node->prev;

	return p != NULL && p->type == XML_TEXT_NODE && all_blank(p->content) ?
	    p : NULL;
}

xmlNode *
xmledit_new(xmlDocPtr doc, const char *name, const char *text)
{
	xmlNode *n = xmlNewDocNode(doc, NULL, X(name), NULL);

	if (text != NULL)
		xmlAddChild(n, xmlNewDocText(doc, X(text)));
	return n;
}

void
xmledit_set_text(xmlNode *n, const char *s)
{
	xmlNode *c, *next;

	for (c = n->children; c != NULL; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	xmlAddChild(n, xmlNewDocText(n->doc, X(s)));
}

void
xmledit_insert_after(xmlNode *node, xmlNode *new)
{
	const xmlNode *ws = ws_before(node);

	xmlAddNextSibling(node, new);
	if (ws != NULL)
		xmlAddPrevSibling(new, xmlNewDocText(new->doc, ws->content));
}

void
xmledit_remove(xmlNode *node)
{
	xmlNode *ws = (xmlNode *)ws_before(node);

	if (ws != NULL) {
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	xmlUnlinkNode(node);
	xmlFreeNode(node);
}
