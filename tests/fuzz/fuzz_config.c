/*
 * fuzz_config: reskontra.conf and its customers table (config_load).
 *
 * The input is a configuration, optionally followed by a line "@@" and
 * the customers table.  Both are written into a private directory as
 * reskontra.conf and customers.tsv, so "[customers] file = customers.tsv"
 * finds the table.  An input with a line that has both "file" and a '/'
 * is skipped: the configuration is the operator's and may name any file,
 * and the fuzzer must not wander into the host's (a FIFO would hang it).
 * A loaded configuration must be consistent: customers sorted by id
 * without duplicates and each found by config_customer(); every factoring
 * section found by config_factoring().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	FUZZ_ASSERT(fp != NULL);
	FUZZ_ASSERT(fwrite(p, 1, n, fp) == n || n == 0);
	FUZZ_ASSERT(fclose(fp) == 0);
}

/* A line with "file" and a '/' in it (a path outside our directory). */
static int
names_a_path(const uint8_t *p, size_t n)
{
	const uint8_t *e = p + n, *nl;

	for (; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		if (memchr(p, '/', (size_t)(nl - p)) != NULL &&
		    memmem(p, (size_t)(nl - p), "file", 4) != NULL)
			return 1;
		if (nl == e)
			break;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep;
	struct config *c;
	struct diag d;
	char path[128];
	size_t i, conflen;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/tmp/reskontra-fuzz-config.XXXXXX");
		FUZZ_ASSERT(mkdtemp(dir) != NULL);
	}
	if (names_a_path(data, size))
		return 0;
	sep = memmem(data, size, "\n@@\n", 4);
	conflen = sep ? (size_t)(sep - data) + 1 : size;
	put("reskontra.conf", data, conflen);
	put("customers.tsv", sep ? sep + 4 : data, sep ? size - conflen - 3 :
	    0);
	snprintf(path, sizeof path, "%s/reskontra.conf", dir);
	memset(&d, 0, sizeof d);
	c = config_load(path, &d);
	if (c == NULL) {
		FUZZ_ASSERT(d.msg[0] != '\0');
		return 0;
	}
	for (i = 0; i < c->ncustomers; i++) {
		FUZZ_ASSERT(c->customers[i].id != NULL);
		if (i > 0)
			FUZZ_ASSERT(strcmp(c->customers[i - 1].id,
			    c->customers[i].id) < 0);
		FUZZ_ASSERT(config_customer(c, c->customers[i].id) ==
		    &c->customers[i]);
	}
	for (i = 0; i < c->nfactoring; i++)
		FUZZ_ASSERT(config_factoring(c, c->factoring[i].name) ==
		    &c->factoring[i]);
	config_free(c);
	return 0;
}
