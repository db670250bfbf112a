/*
 * fuzz_records: the record stream reader (rec_read), which every filter
 * after `read` uses on its standard input.  Each record read is written
 * back with rec_copy() and the copy must read back to the same fields:
 * escaping and unescaping are inverse on whatever the reader accepts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/record.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write one record with rec_copy and read it back: same fields. */
static void
round_trip(const struct recin *r)
{
	struct recout w;
	struct recin back;
	struct diag d;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	FUZZ_ASSERT(fp != NULL);
	rec_out_init(&w, fp);
	rec_header(&w);
	rec_copy(&w, r->fields, r->nfields);
	FUZZ_ASSERT(fclose(fp) == 0);

	fp = fmemopen(buf, len, "r");
	FUZZ_ASSERT(fp != NULL);
	rec_in_init(&back, fp, "copy");
	FUZZ_ASSERT(rec_read(&back, &d) == 1);
	FUZZ_ASSERT(back.nfields == r->nfields);
	for (i = 0; i < r->nfields; i++)
		FUZZ_ASSERT(strcmp(back.fields[i], r->fields[i]) == 0);
	FUZZ_ASSERT(rec_read(&back, &d) == 0);
	rec_in_free(&back);
	fclose(fp);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recin r;
	struct diag d;
	FILE *fp;
	long last = 0;
	int rc;

	if (size == 0)
		return 0;	/* fmemopen refuses a zero-size buffer */
	fp = fmemopen((void *)data, size, "r");
	FUZZ_ASSERT(fp != NULL);
	rec_in_init(&r, fp, "fuzz");
	while ((rc = rec_read(&r, &d)) == 1) {
		FUZZ_ASSERT(r.nfields >= 1);
		FUZZ_ASSERT(r.line > last);
		last = r.line;
		FUZZ_ASSERT(rec_field(&r, r.nfields)[0] == '\0');
		round_trip(&r);
	}
	if (rc < 0)
		FUZZ_ASSERT(d.msg[0] != '\0' && d.line >= 0 && d.column >= 0);
	rec_in_free(&r);
	fclose(fp);
	return 0;
}
