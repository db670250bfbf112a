/*
 * treediff: see treediff.h.
 */
#include <stdlib.h>
#include <string.h>

#include "treediff.h"

static int
is_el(const xmlNode *n)
{
	return n != NULL && n->type == XML_ELEMENT_NODE;
}

static int
has_el_child(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c))
			return 1;
	return 0;
}

/* PATH of n: parent's path, '/', name, [k] when the name repeats. */
static void
path_of(const xmlNode *n, struct sbuf *p)
{
	const xmlNode *c;
	int k = 0, total = 0;

	if (is_el(n->parent))
		path_of(n->parent, p);
	sbuf_addf(p, "/%s", (const char *)n->name);
	if (n->parent == NULL)
		return;
	for (c = n->parent->children; c != NULL; c = c->next)
		if (is_el(c) && xmlStrcmp(c->name, n->name) == 0) {
			total++;
			if (c == n)
				k = total;
		}
	if (total > 1)
		sbuf_addf(p, "[%d]", k);
}

static void
line(struct sbuf *out, int *count, const char *what, const xmlNode *n,
    const char *rest)
{
	struct sbuf p = SBUF_INIT;

	path_of(n, &p);
	sbuf_addf(out, "%s %s%s\n", what, p.data, rest);
	sbuf_free(&p);
	(*count)++;
}

static void
diff_attrs(const xmlNode *a, const xmlNode *b, struct sbuf *out, int *count)
{
	const xmlAttr *x;
	xmlChar *va, *vb;
	struct sbuf r = SBUF_INIT;

	for (x = a->properties; x != NULL; x = x->next) {
		va = xmlGetProp(a, x->name);
		vb = xmlGetProp(b, x->name);
		if (vb == NULL || xmlStrcmp(va, vb) != 0) {
			sbuf_reset(&r);
			sbuf_addf(&r, "@%s: '%s' -> %s%s%s", (const char *)x->name,
			    (const char *)va, vb ? "'" : "",
			    vb ? (const char *)vb : "(none)", vb ? "'" : "");
			line(out, count, "attr", b, r.data);
		}
		xmlFree(va);
		xmlFree(vb);
	}
	for (x = b->properties; x != NULL; x = x->next) {
		if (xmlHasProp(a, x->name) != NULL)
			continue;
		vb = xmlGetProp(b, x->name);
		sbuf_reset(&r);
		sbuf_addf(&r, "@%s: (none) -> '%s'", (const char *)x->name,
		    (const char *)vb);
		line(out, count, "attr", b, r.data);
		xmlFree(vb);
	}
	sbuf_free(&r);
}

static void diff_el(xmlNode *a, xmlNode *b, struct sbuf *out, int *count);

static size_t
children(xmlNode *n, xmlNode ***v)
{
	xmlNode *c;
	size_t k = 0;

	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c))
			k++;
	*v = calloc(k + 1, sizeof(**v));
	k = 0;
	for (c = n->children; c != NULL; c = c->next)
		if (is_el(c))
			(*v)[k++] = c;
	return k;
}

static void
diff_children(xmlNode *a, xmlNode *b, struct sbuf *out, int *count)
{
	xmlNode **ca, **cb;
	size_t na = children(a, &ca), nb = children(b, &cb), i, j;
	int *L = calloc((na + 1) * (nb + 1), sizeof(int));

#define LCS(i, j) L[(i) * (nb + 1) + (j)]
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			if (xmlStrcmp(ca[i]->name, cb[j]->name) == 0)
				LCS(i, j) = 1 + LCS(i + 1, j + 1);
			else
				LCS(i, j) = LCS(i + 1, j) > LCS(i, j + 1) ?
				    LCS(i + 1, j) : LCS(i, j + 1);
	i = j = 0;
	while (i < na || j < nb) {
		if (i < na && j < nb &&
		    xmlStrcmp(ca[i]->name, cb[j]->name) == 0 &&
		    LCS(i, j) == 1 + LCS(i + 1, j + 1)) {
			diff_el(ca[i], cb[j], out, count);
			i++;
			j++;
		} else if (j < nb && (i == na || LCS(i, j + 1) >= LCS(i + 1, j))) {
			line(out, count, "added", cb[j], "");
			j++;
		} else {
			line(out, count, "removed", ca[i], "");
			i++;
		}
	}
#undef LCS
	free(L);
	free(ca);
	free(cb);
}

static void
diff_el(xmlNode *a, xmlNode *b, struct sbuf *out, int *count)
{
	xmlChar *ta, *tb;
	struct sbuf r = SBUF_INIT;

	diff_attrs(a, b, out, count);
	if (has_el_child(a) || has_el_child(b)) {
		diff_children(a, b, out, count);
		return;
	}
	ta = xmlNodeGetContent(a);
	tb = xmlNodeGetContent(b);
	if (xmlStrcmp(ta, tb) != 0) {
		sbuf_addf(&r, ": '%s' -> '%s'", (const char *)ta,
		    (const char *)tb);
		line(out, count, "changed", b, r.data);
	}
	xmlFree(ta);
	xmlFree(tb);
	sbuf_free(&r);
}

int
treediff(xmlNode *a, xmlNode *b, struct sbuf *out)
{
	int count = 0;

	if (xmlStrcmp(a->name, b->name) != 0) {
		line(out, &count, "removed", a, "");
		line(out, &count, "added", b, "");
		return count;
	}
	diff_el(a, b, out, &count);
	return count;
}
