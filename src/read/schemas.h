/*
 * schemas: the XML schemas built into the program, and the one place
 * where a schema is loaded and a document validated against it.
 *
 * The Makefile generates BUILD/gen/schemas.c from the .xsd files of
 * formats/schemas with src/read/embed/embed.c, so `check --schema` and `run`
 * validate without an installed data directory.  schema_get() uses these
 * copies when it is given no directory; RESKONTRA_SCHEMAS names a
 * directory that is used instead (schema_dir() in cmd/cmd.h).  The
 * built-in data is static and read-only: nothing to free.
 *
 * A schema is read without libxml2's I/O (the entity loader that xmlsafe
 * installs refuses every URL, local files included), parsed once per
 * process and kept for its lifetime (readers of Finvoice, SI and RI and
 * the SI CHANGE writer share it); the caller never frees it.
 */
#ifndef RESKONTRA_SCHEMAS_H
#define RESKONTRA_SCHEMAS_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "base/diag.h"

struct schema_file {
	const char *name;		/* base name, "Finvoice3.0.xsd" */
	const unsigned char *data;	/* the file's bytes, not terminated */
	size_t len;
};

/* Generated: every built-in schema, then an entry with a NULL name. */
extern const struct schema_file schema_files[];

/* The built-in schema of that base name, or NULL. */
const struct schema_file *schema_builtin(const char *name);

/*
 * The schema `file` (a base name such as "FinvoiceSenderInfo.xsd") from
 * dir, or the built-in copy when dir is NULL; parsed on first use and
 * kept.  NULL with d filled (the same reason on every later call) when it
 * cannot be read or is not a usable schema.
 */
xmlSchemaPtr schema_get(const char *file, const char *dir, struct diag *d);

/*
 * Validate doc against schema.  Each error (at most max of them) goes to
 * err with the document line libxml2 gives (0 if none) and the message
 * without its line end.  Returns the number of errors (0: valid), or -1
 * when a validation context cannot be made.
 */
int schema_validate(xmlSchemaPtr schema, xmlDocPtr doc, int max,
    void (*err)(void *arg, long line, const char *msg), void *arg);

#endif
