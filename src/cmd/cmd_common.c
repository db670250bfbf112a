/*
 * cmd_common: small helpers every command uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/outfile.h"
#include "cmd/cmd.h"
#include "ledger/ledger.h"

int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", progname, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", progname, cmd);
	return EXIT_USAGE;
}

int
parse_today(const char *cmd, const char *arg, day_t *out)
{
	if (date_parse_iso(arg, strlen(arg), out) < 0 ||
	    strlen(arg) != 10) {
		usage_error(cmd, "--today wants a date YYYY-MM-DD, not '%s'",
		    arg);
		return -1;
	}
	return 0;
}

int
wants_help(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
	}
	return 0;
}

const char *
schema_dir(void)
{
	const char *dir = getenv("RESKONTRA_SCHEMAS");

	return dir != NULL && dir[0] != '\0' ? dir : NULL;
}

int
finish_stdout(int rc)
{
	struct diag d;

	if (fshut(stdout, "standard output", &d) < 0) {
		if (!fshut_said(stdout))
			diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	return rc;
}

struct config *
load_config(const char *path)
{
	struct config_errors e;
	struct config *c = config_load_all(path, &e);
	size_t i;

	for (i = 0; c == NULL && i < e.n; i++)
		diag_print(stderr, &e.d[i]);
	if (c == NULL && e.count > e.n)
		fprintf(stderr, "%s: %s: %zu more errors not shown\n",
		    progname, path, e.count - e.n);
	config_errors_free(&e);
	return c;
}

int
open_existing_ledger(const char *path, struct ledger **l)
{
	struct diag d;

	/* looking, or moving what is there, must not create a ledger */
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "%s: %s: no such ledger\n", progname, path);
		return EXIT_USAGE;
	}
	if (ledger_open(path, l, &d) < 0) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}
