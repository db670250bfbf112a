/*
 * reskontra: one binary, a table of commands (DESIGN.md "Commands").
 *
 * main() finds the command by name and hands it argc/argv with argv[0]
 * set to the command's name.  Commands return the exit code.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/exitcode.h"
#include "cmd/cmd.h"
#include "pipeline/ahead.h"

#ifndef VERSION
#define VERSION "0.0"
#endif

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
	int shows_only;		/* changes nothing: a closed pipe ends it
				 * quietly (main) */
};

/* Sorted by name. */
static const struct command commands[] = {
	{ "allocate", cmd_allocate, "move a payment from suspense to an invoice", 0 },
	{ "check", cmd_check, "validate input files without output", 1 },
	{ "explain", cmd_explain, "why a payment went where it went", 1 },
	{ "help", cmd_help, "show this list, or a command's usage", 1 },
	{ "id", cmd_id, "check and convert references, IBANs, business ids", 1 },
	{ "ledger", cmd_ledger, "show the receivables ledger", 1 },
	{ "match", cmd_match, "apply payments and invoices to the ledger", 0 },
	{ "notify", cmd_notify, "write notices for the receivables service", 0 },
	{ "post", cmd_post, "turn allocations into posting vouchers", 0 },
	{ "read", cmd_read, "bank and invoice files to records", 1 },
	{ "rewrite", cmd_rewrite, "write routed invoices for the service", 0 },
	{ "route", cmd_route, "decide which service handles each invoice", 0 },
	{ "run", cmd_run, "the cron job: process the spool's input files", 0 },
	{ "translist", cmd_translist, "print the factoring transfer list", 1 },
	{ "si-change", cmd_si_change, "CHANGE messages of SI notifications", 0 },
	{ "unallocate", cmd_unallocate, "move a payment back to suspense", 0 },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
print_usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: reskontra [--version] [--help] COMMAND [ARGS]\n"
	    "\n"
	    "Finnish receivables file processing: bank statements, reference\n"
	    "payments, Finvoice e-invoices, a receivables ledger.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp,
	    "\n"
	    "'reskontra COMMAND --help' shows a command's options;\n"
	    "man reskontra-COMMAND has the whole story.\n"
	    "Exit status: 0 ok, 1 input rejected, 2 usage or configuration,\n"
	    "3 I/O or system error.\n");
}

static const struct command *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
cmd_help(int argc, char **argv)
{
	const struct command *c;
	char *args[3];

	/* `help`, `help help` and `help --help` are the list */
	if (argc < 2 || strcmp(argv[1], "help") == 0 ||
	    strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	c = find(argv[1]);
	if (c == NULL || c->fn == cmd_help) {
		fprintf(stderr, "%s: '%s' is not a command\n", progname,
		    argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	args[1] = "--help";
	args[2] = NULL;
	return c->fn(2, args);
}

static char stdout_buf[64 * 1024];

int
main(int argc, char **argv)
{
	const struct command *c;

	/* A closed pipe is a write error we report, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	/* Records go out in 64 KiB writes, not the 4 KiB stdio picks for
	 * a pipe or a file; a terminal stays line-buffered. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	/* the reader `run` starts for its next input (pipeline/ahead.h) */
	if (strcmp(argv[1], AHEAD_COMMAND) == 0)
		ahead_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("reskontra %s\n", VERSION);
		return finish_stdout(EXIT_OK);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	c = find(argv[1]);
	if (c == NULL) {
		fprintf(stderr, "%s: '%s' is not a command; see '%s help'\n",
		    progname, argv[1], progname);
		return EXIT_USAGE;
	}
	/* A command that only shows what is there changes nothing when
	 * its reader stops early (`reskontra ledger ... | head`): it ends
	 * quietly, as other tools do.  The others report the closed pipe:
	 * match has booked what it could not hand on. */
	if (c->shows_only)
		signal(SIGPIPE, SIG_DFL);
	return c->fn(argc - 1, argv + 1);
}
