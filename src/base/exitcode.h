/*
 * The exit codes are an API, documented in reskontra(1).  Only the command
 * layer (src/cmd) returns them; library code returns its own status.
 */
#ifndef RESKONTRA_EXITCODE_H
#define RESKONTRA_EXITCODE_H

enum {
	EXIT_OK = 0,		/* everything processed */
	EXIT_REJECTED = 1,	/* an input rejected, records quarantined, or
				 * something else to look at (said on stderr) */
	EXIT_USAGE = 2,		/* bad command line or configuration */
	EXIT_SYSTEM = 3		/* I/O or system error (also: an input that
				 * cannot be opened) */
};

#endif
