/*
 * diag: the one place that formats messages for operators.  See diag.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

const char *progname = "reskontra";

void
diag_vset(struct diag *d, const char *file, long line, long column,
    const char *fmt, va_list ap)
{
	snprintf(d->file, sizeof d->file, "%s", file ? file : "");
	d->line = line;
	d->column = column;
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
}

void
diag_set(struct diag *d, const char *file, long line, long column,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, file, line, column, fmt, ap);
	va_end(ap);
}

/* Write s with control bytes shown as \n, \t, \xHH: a file name or a
 * value from a bank file must not forge lines in a log or .error file,
 * nor send escape sequences to a terminal. */
void
diag_put_visible(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
}

static void
print(FILE *fp, const struct diag *d, const char *what)
{
	fprintf(fp, "%s: ", progname);
	if (d->file[0]) {
		diag_put_visible(fp, d->file);
		if (d->line > 0) {
			fprintf(fp, ":%ld", d->line);
			if (d->column > 0)
				fprintf(fp, ":%ld", d->column);
		}
		fputs(": ", fp);
	}
	fputs(what, fp);
	diag_put_visible(fp, d->msg);
	fputc('\n', fp);
}

void
diag_print(FILE *fp, const struct diag *d)
{
	print(fp, d, "");
}

void
diag_warn(FILE *fp, const struct diag *d)
{
	print(fp, d, "warning: ");
}
