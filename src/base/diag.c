/*
 * diag: the one place that formats messages for operators.  See diag.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/util.h"

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

/* Append s with control bytes shown as \n, \t, \xHH: a file name or a
 * value from a bank file must not forge lines in a log or .error file,
 * nor send escape sequences to a terminal. */
void
diag_add_visible(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			sbuf_adds(b, "\\n");
		else if (c == '\t')
			sbuf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sbuf_addf(b, "\\x%02x", c);
		else
			sbuf_addc(b, (char)c);
	}
}

void
diag_put_visible(FILE *fp, const char *s)
{
	struct sbuf b = SBUF_INIT;

	diag_add_visible(&b, s);
	if (b.len > 0)
		fwrite(b.data, 1, b.len, fp);
	sbuf_free(&b);
}

/* The whole line is made first and written at once: standard error is
 * unbuffered, and a line written in pieces costs a system call a piece
 * and can be torn by another process writing to the same log. */
static void
print(FILE *fp, const struct diag *d, const char *what)
{
	struct sbuf b = SBUF_INIT;

	sbuf_addf(&b, "%s: ", progname);
	if (d->file[0]) {
		diag_add_visible(&b, d->file);
		if (d->line > 0) {
			sbuf_addf(&b, ":%ld", d->line);
			if (d->column > 0)
				sbuf_addf(&b, ":%ld", d->column);
		}
		sbuf_adds(&b, ": ");
	}
	sbuf_adds(&b, what);
	diag_add_visible(&b, d->msg);
	sbuf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, fp);
	sbuf_free(&b);
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

char *
diag_text(const struct diag *d, int warn)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = xmemstream(&text, &len);

	print(fp, d, warn ? "warning: " : "");
	xmemstream_close(fp, &text, &len, 1);
	return text;
}
