/*
 * schemas: the XML schemas built into the program.
 *
 * The Makefile generates BUILD/gen/schemas.c from the .xsd files of
 * formats/schemas with src/read/embed/embed.c, so `check --schema` and `run`
 * validate without an installed data directory.  read_finvoice.c uses these copies when its
 * reader_ctx has no schema_dir; RESKONTRA_SCHEMAS names a directory that
 * is used instead (schema_dir() in cmd/cmd.h).  The data is static
 * and read-only: nothing to free.
 */
#ifndef RESKONTRA_SCHEMAS_H
#define RESKONTRA_SCHEMAS_H

#include <stddef.h>

struct schema_file {
	const char *name;		/* base name, "Finvoice3.0.xsd" */
	const unsigned char *data;	/* the file's bytes, not terminated */
	size_t len;
};

/* Generated: every built-in schema, then an entry with a NULL name. */
extern const struct schema_file schema_files[];

/* The built-in schema of that base name, or NULL. */
const struct schema_file *schema_builtin(const char *name);

#endif
