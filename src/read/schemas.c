/*
 * schemas: look up the XML schemas built into the program (the table is
 * generated at build time; see read/schemas.h).
 */
#include <string.h>

#include "read/schemas.h"

const struct schema_file *
schema_builtin(const char *name)
{
	const struct schema_file *s;

	for (s = schema_files; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}
