/*
 * schemas: look up the XML schemas built into the program (the table is
 * generated at build time), load one once, validate a document against
 * it (read/schemas.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "base/util.h"
#include "base/xmlsafe.h"
#include "read/schemas.h"

#define MAX_XSD_SIZE	(8L * 1024 * 1024)
#define MAX_LOADED	8

const struct schema_file *
schema_builtin(const char *name)
{
	const struct schema_file *s;

	for (s = schema_files; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* The schemas asked for so far; the parsed XSD document must outlive
 * the schema. */
static struct loaded {
	char file[64];
	xmlDocPtr doc;
	xmlSchemaPtr schema;
	struct diag err;	/* why it could not be loaded */
} loaded[MAX_LOADED];
static int nloaded;

/* The bytes of dir/file into *buf (malloc'd), path named for messages.
 * 0, or -1 with d. */
static int
read_xsd(const char *path, char **buf, size_t *len, struct diag *d)
{
	FILE *fp = fopen(path, "rb");
	size_t n = 0, cap = 0, r;
	int rc = -1;

	*buf = NULL;
	if (fp == NULL) {
		diag_set(d, path, 0, 0, "cannot open schema: %s",
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= (size_t)MAX_XSD_SIZE) {
				diag_set(d, path, 0, 0, "schema too large");
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			*buf = xrealloc(*buf, cap);
		}
		if ((r = fread(*buf + n, 1, cap - n, fp)) == 0)
			break;
		n += r;
	}
	if (ferror(fp)) {
		diag_set(d, path, 0, 0, "cannot read schema: %s",
		    strerror(errno));
		goto out;
	}
	*len = n;
	rc = 0;
out:
	fclose(fp);
	return rc;
}

/* Load and parse one schema into s; its reason in s->err on failure. */
static void
load(struct loaded *s, const char *dir)
{
	char path[1024];
	char *buf = NULL;
	size_t n = 0;
	xmlSchemaParserCtxtPtr pctxt = NULL;
	struct diag *d = &s->err;

	if (dir == NULL) {
		const struct schema_file *sf = schema_builtin(s->file);

		snprintf(path, sizeof path, "built-in %s", s->file);
		if (sf == NULL) {
			diag_set(d, path, 0, 0, "cannot open schema: not built in");
			return;
		}
		n = sf->len;
		buf = xmalloc(n ? n : 1);
		memcpy(buf, sf->data, n);
	} else {
		snprintf(path, sizeof path, "%s/%s", dir, s->file);
		if (read_xsd(path, &buf, &n, d) < 0)
			goto out;
	}
	s->doc = xml_parse_safe(buf, n, path, 1, d);
	if (s->doc == NULL)
		goto out;
	pctxt = xmlSchemaNewDocParserCtxt(s->doc);
	if (pctxt == NULL) {
		diag_set(d, path, 0, 0, "out of memory");
		goto out;
	}
	s->schema = xmlSchemaParse(pctxt);
	if (s->schema == NULL)
		diag_set(d, path, 0, 0, "not a usable XML schema");
out:
	if (pctxt)
		xmlSchemaFreeParserCtxt(pctxt);
	free(buf);
}

xmlSchemaPtr
schema_get(const char *file, const char *dir, struct diag *d)
{
	struct loaded *s;
	int i;

	for (i = 0; i < nloaded; i++)
		if (strcmp(loaded[i].file, file) == 0)
			break;
	if (i == nloaded) {
		if (nloaded == MAX_LOADED || strlen(file) >= sizeof
		    loaded[0].file) {
			diag_set(d, file, 0, 0, "cannot load more schemas");
			return NULL;
		}
		s = &loaded[nloaded++];
		memcpy(s->file, file, strlen(file) + 1);
		load(s, dir);
	}
	s = &loaded[i];
	if (s->schema == NULL)
		*d = s->err;
	return s->schema;
}

struct validation {
	void (*err)(void *arg, long line, const char *msg);
	void *arg;
	int max, n;
};

static void
validation_error(void *arg, const xmlError *e)
{
	struct validation *v = arg;
	char msg[512];
	size_t n;

	if (++v->n > v->max)
		return;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "?");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	v->err(v->arg, e->line > 0 ? e->line : 0, msg);
}

int
schema_validate(xmlSchemaPtr schema, xmlDocPtr doc, int max,
    void (*err)(void *arg, long line, const char *msg), void *arg)
{
	struct validation v = { err, arg, max, 0 };
	xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
	int r;

	if (vctxt == NULL)
		return -1;
	xmlSchemaSetValidStructuredErrors(vctxt,
	    (xmlStructuredErrorFunc)validation_error, &v);
	r = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (r != 0 && v.n == 0)
		v.n = 1;	/* an internal error reported nothing */
	return r == 0 ? 0 : v.n;
}
