/*
 * fvsplit: the one Finvoice transmission-file splitter (fvsplit.h), used
 * by the reader (read/read_finvoice.c) and the rewriter
 * (write/finvoice_route.c).
 *
 * A scanner runs over a window of the input (CHUNK bytes, the last
 * LOOKAHEAD of which are kept for the next call so that a token is never
 * looked at cut in two) and sends the bytes it passes to the part being
 * built (cur) or to a pending one (pend): a prolog, whose part is known
 * only when its root element's name is seen, and the blanks after a
 * message, which go with the next frame unless text follows (then the
 * message is broken).  When a part is complete the scanner stops and the
 * part is handed out; the token it stopped at is looked at again on the
 * next call, in the new state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fvsplit.h"
#include "base/util.h"

#define CHUNK		(256 * 1024)
#define LOOKAHEAD	80	/* longest token looked at */

/* Lexical states: text (or top level), inside a start or end tag, and
 * the markup that is skipped whole. */
enum { L_TEXT, L_TAG, L_COMMENT, L_CDATA, L_PI, L_DECL, L_DECL_COMMENT,
	L_DECL_PI };

/* What cur is so far. */
enum { K_NONE, K_BLANK, K_FRAME, K_MESSAGE };

/* The bytes of a part: stored up to FVSPLIT_MAX_PART, counted all. */
struct acc {
	struct sbuf b;
	uint64_t n;
	long line;		/* of the first byte */
	int too_big;
};

struct fvsplit {
	struct input *in;
	char *buf;
	size_t have;		/* bytes in buf */
	size_t pos;		/* next byte to scan */
	size_t run;		/* first scanned byte not yet in a part */
	size_t lpos;		/* line is the line of buf[lpos] */
	long line;
	uint64_t base;		/* stream offset of buf[0] */
	int eof, ended, ready;

	struct acc cur, pend, out;
	int kind;		/* K_* of cur */
	char root[32];
	int broken;
	long broken_line;
	int to_pend;		/* scanned bytes go to pend */
	int prolog;		/* pend holds a prolog */
	int done;		/* cur's message root has ended */
	int recover;		/* cur is broken: on to the next cut */

	int lex, quote, bracket, endtag;
	char last;		/* in a tag: the byte before, outside quotes */
	long depth;
	struct fvsplit_part part;
};

/* XML name characters (ASCII letters, digits, _ - . : and every byte of
 * a multi-byte character). */
static unsigned char namechars[256];

static void
namechars_init(void)
{
	int c;

	if (namechars['a'])
		return;
	for (c = 0; c < 256; c++)
		namechars[c] = (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80;
}

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct fvsplit *
fvsplit_new(struct input *in)
{
	struct fvsplit *s = xcalloc(1, sizeof *s);

	namechars_init();
	s->in = in;
	s->buf = xmalloc(CHUNK + LOOKAHEAD);
	s->line = 1;
	return s;
}

void
fvsplit_free(struct fvsplit *s)
{
	if (s == NULL)
		return;
	sbuf_free(&s->cur.b);
	sbuf_free(&s->pend.b);
	sbuf_free(&s->out.b);
	free(s->buf);
	free(s);
}

static void
acc_reset(struct acc *a)
{
	sbuf_reset(&a->b);
	a->n = 0;
	a->line = 0;
	a->too_big = 0;
}

static void
acc_add(struct acc *a, const char *p, size_t n, long line)
{
	if (n == 0)
		return;
	if (a->n == 0)
		a->line = line;
	a->n += n;
	if (a->too_big)
		return;
	if (a->b.len + n > (size_t)FVSPLIT_MAX_PART) {
		a->too_big = 1;
		sbuf_reset(&a->b);
		return;
	}
	sbuf_add(&a->b, p, n);
}

/* File line of buf[i]; i never goes back. */
static long
line_at(struct fvsplit *s, size_t i)
{
	const char *p = s->buf + s->lpos, *e = s->buf + i;

	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		s->line++;
		p++;
	}
	s->lpos = i;
	return s->line;
}

/* The scanned bytes up to upto into the part they belong to. */
static void
flush(struct fvsplit *s, size_t upto)
{
	if (upto > s->run) {
		long l = line_at(s, s->run);

		acc_add(s->to_pend ? &s->pend : &s->cur, s->buf + s->run,
		    upto - s->run, l);
	}
	s->run = upto;
}

/* Line of the byte at pos, everything before it flushed. */
static long
here(struct fvsplit *s)
{
	flush(s, s->pos);
	return line_at(s, s->pos);
}

/* The pending bytes join cur. */
static void
take_pend(struct fvsplit *s)
{
	struct acc t;

	if (s->cur.n == 0) {
		t = s->cur;
		s->cur = s->pend;
		s->pend = t;
	} else if (s->pend.too_big) {
		s->cur.too_big = 1;
		sbuf_reset(&s->cur.b);
		s->cur.n += s->pend.n;
	} else
		acc_add(&s->cur, s->pend.b.data, s->pend.b.len, s->pend.line);
	if (s->kind == K_NONE && s->cur.n > 0)
		s->kind = K_BLANK;
	acc_reset(&s->pend);
	s->prolog = 0;
	s->to_pend = 0;
}

/* cur is complete: hand it out and start an empty one. */
static void
yield(struct fvsplit *s)
{
	struct fvsplit_part *p = &s->part;
	struct acc t;

	memset(p, 0, sizeof *p);
	p->kind = s->kind == K_MESSAGE ? FVSPLIT_MESSAGE : FVSPLIT_FRAME;
	p->line = s->cur.line;
	p->broken = s->broken;
	p->broken_line = s->broken_line;
	p->too_big = s->cur.too_big;
	if (p->kind == FVSPLIT_MESSAGE)
		snprintf(p->root, sizeof p->root, "%s", s->root);
	t = s->out;
	s->out = s->cur;
	s->cur = t;
	acc_reset(&s->cur);
	p->data = p->too_big ? NULL : s->out.b.data;
	p->len = p->too_big ? 0 : s->out.b.len;
	s->kind = K_NONE;
	s->root[0] = '\0';
	s->broken = 0;
	s->ready = 1;
}

/* The structure breaks at pos: cur goes on to the next cut. */
static void
set_broken(struct fvsplit *s)
{
	long l = here(s);

	if (!s->broken) {
		s->broken = 1;
		s->broken_line = l;
	}
	s->recover = 1;
	s->lex = L_TEXT;
}

/* An XML declaration or an Envelope start tag at pos ends a broken part
 * (or breaks the root element it is in); the next part starts there. */
static void
cut(struct fvsplit *s)
{
	set_broken(s);
	yield(s);
	s->recover = 0;
	s->depth = 0;
	s->lex = L_TEXT;
}

/* Text (or markup that cannot be there) outside any element at pos. */
static void
stray(struct fvsplit *s)
{
	flush(s, s->pos);
	if (s->done) {
		take_pend(s);
		s->done = 0;
	} else if (s->prolog) {
		if (s->cur.n > 0) {
			yield(s);	/* the frame before the prolog */
			return;
		}
		take_pend(s);
		s->kind = K_MESSAGE;
	}
	if (s->kind == K_NONE || s->kind == K_BLANK)
		s->kind = K_MESSAGE;
	set_broken(s);
}

/* Length of the element name at p + 1 (up to LOOKAHEAD) and whether its
 * local name is Envelope; *local is where the local name starts. */
static size_t
tag_name(const char *p, size_t left, const char **local)
{
	size_t k;

	*local = p + 1;
	for (k = 1; k < left && k < LOOKAHEAD &&
	    namechars[(unsigned char)p[k]]; k++)
		if (p[k] == ':')
			*local = p + k + 1;
	return k;
}

static int
is_envelope(const char *p, size_t k, const char *local)
{
	return p + k - local == 8 && memcmp(local, "Envelope", 8) == 0;
}

static int
is_xmldecl(const char *p, size_t left)
{
	return left >= 6 && memcmp(p, "<?xml", 5) == 0 && blank(p[5]);
}

/* Markup at pos that is skipped whole (comment, CDATA, PI, declaration):
 * its state and length, or 0. */
static size_t
skipped_markup(struct fvsplit *s, const char *p, size_t left)
{
	if (left >= 4 && memcmp(p, "<!--", 4) == 0) {
		s->lex = L_COMMENT;
		return 4;
	}
	if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
		s->lex = L_CDATA;
		return 9;
	}
	if (left >= 2 && p[1] == '?') {
		s->lex = L_PI;
		return 2;
	}
	if (left >= 2 && p[1] == '!') {
		s->lex = L_DECL;
		s->bracket = 0;
		s->quote = 0;
		return 2;
	}
	return 0;
}

/* A root element's start tag at pos, name length k. */
static void
root_start(struct fvsplit *s, const char *p, size_t k, const char *local)
{
	flush(s, s->pos);
	if (is_envelope(p, k, local)) {
		take_pend(s);
		s->kind = K_FRAME;
	} else {
		if (s->cur.n > 0) {
			yield(s);	/* the frame before the message */
			return;
		}
		take_pend(s);
		s->kind = K_MESSAGE;
		snprintf(s->root, sizeof s->root, "%.*s",
		    (int)(p + k - local), local);
	}
	s->lex = L_TAG;
	s->endtag = 0;
	s->quote = 0;
	s->last = 0;
	s->depth = 0;
	s->pos += k;
}

/* A prolog's markup starts at pos (or goes on). */
static void
prolog_start(struct fvsplit *s)
{
	if (s->prolog)
		return;
	flush(s, s->pos);
	s->prolog = 1;
	s->to_pend = 1;
}

/* Between root elements, at pos (lex L_TEXT, depth 0). */
static void
scan_top(struct fvsplit *s, size_t lim)
{
	const char *p = s->buf + s->pos, *local;
	size_t left = s->have - s->pos, k;

	if (blank((unsigned char)*p)) {
		if (!s->to_pend && s->kind == K_NONE)
			s->kind = K_BLANK;
		while (s->pos < lim && blank((unsigned char)s->buf[s->pos]))
			s->pos++;
		return;
	}
	if (s->base + s->pos == 0 && left >= 3 &&
	    memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		prolog_start(s);
		s->pos += 3;
		return;
	}
	if (*p != '<' || left < 2 || p[1] == '/' ||
	    (left >= 3 && memcmp(p, "<![", 3) == 0) ||
	    (p[1] != '?' && p[1] != '!' && !namechars[(unsigned char)p[1]])) {
		stray(s);
		return;
	}
	if (s->done) {
		/* the message is complete; its blanks begin the frame */
		flush(s, s->pos);
		yield(s);
		take_pend(s);
		s->done = 0;
		return;
	}
	if (is_xmldecl(p, left) && s->prolog) {
		/* a document starts with its declaration: what came
		 * before it is frame */
		flush(s, s->pos);
		take_pend(s);
	}
	if (p[1] == '?' || p[1] == '!') {
		prolog_start(s);
		s->pos += skipped_markup(s, p, left);
		return;
	}
	k = tag_name(p, left, &local);
	root_start(s, p, k, local);
}

/* Inside a root element, or in a broken part looking for the next cut:
 * at the next '<'. */
static void
scan_inner(struct fvsplit *s, size_t lim)
{
	const char *p = s->buf + s->pos, *local;
	const char *lt = memchr(p, '<', lim - s->pos);
	size_t left, k;

	if (lt == NULL) {
		s->pos = lim;
		return;
	}
	s->pos = (size_t)(lt - s->buf);
	p = lt;
	left = s->have - s->pos;
	if (is_xmldecl(p, left)) {
		cut(s);
		return;
	}
	if ((k = skipped_markup(s, p, left)) > 0) {
		s->pos += k;
		return;
	}
	if (left >= 2 && p[1] == '/') {
		s->pos += 2;
		if (!s->recover) {
			s->lex = L_TAG;
			s->endtag = 1;
			s->quote = 0;
		}
		return;
	}
	if (left < 2 || !namechars[(unsigned char)p[1]]) {
		s->pos++;
		return;
	}
	k = tag_name(p, left, &local);
	if (is_envelope(p, k, local)) {
		cut(s);
		return;
	}
	s->pos += k;
	if (!s->recover) {
		s->lex = L_TAG;
		s->endtag = 0;
		s->quote = 0;
		s->last = 0;
	}
}

/* In a start or end tag, after its name. */
static void
scan_tag(struct fvsplit *s, size_t lim)
{
	for (; s->pos < lim; s->pos++) {
		char c = s->buf[s->pos];

		if (c == '<') {
			set_broken(s);	/* the tag never ends */
			return;
		}
		if (s->quote) {
			if (c == s->quote)
				s->quote = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			s->quote = c;
		else if (c == '>')
			break;
		s->last = c;
	}
	if (s->pos >= lim)
		return;
	s->pos++;
	s->lex = L_TEXT;
	if (s->endtag) {
		if (s->depth > 0)
			s->depth--;
	} else if (s->last != '/')
		s->depth++;
	if (s->depth == 0 && s->kind == K_MESSAGE) {
		flush(s, s->pos);
		s->done = 1;
		s->to_pend = 1;
	}
}

/* In a DOCTYPE (or other declaration): quotes, an internal subset with
 * its comments and processing instructions. */
static void
scan_decl(struct fvsplit *s, size_t lim)
{
	for (; s->pos < lim; s->pos++) {
		const char *p = s->buf + s->pos;
		size_t left = s->have - s->pos;

		if (s->quote) {
			if (*p == s->quote)
				s->quote = 0;
		} else if (*p == '"' || *p == '\'')
			s->quote = *p;
		else if (*p == '[')
			s->bracket++;
		else if (*p == ']' && s->bracket > 0)
			s->bracket--;
		else if (*p == '>' && s->bracket == 0) {
			s->pos++;
			s->lex = L_TEXT;
			return;
		} else if (s->bracket > 0 && left >= 4 &&
		    memcmp(p, "<!--", 4) == 0) {
			s->pos += 4;
			s->lex = L_DECL_COMMENT;
			return;
		} else if (s->bracket > 0 && left >= 2 && p[0] == '<' &&
		    p[1] == '?') {
			s->pos += 2;
			s->lex = L_DECL_PI;
			return;
		}
	}
}

/* In markup that ends with a fixed string. */
static void
scan_until_end(struct fvsplit *s, size_t lim)
{
	const char *end = s->lex == L_CDATA ? "]]>" :
	    s->lex == L_PI || s->lex == L_DECL_PI ? "?>" : "-->";
	size_t el = strlen(end);
	const char *hit = memmem(s->buf + s->pos, s->have - s->pos, end, el);

	if (hit == NULL || (size_t)(hit - s->buf) >= lim) {
		s->pos = lim;
		return;
	}
	s->pos = (size_t)(hit - s->buf) + el;
	s->lex = s->lex == L_DECL_COMMENT || s->lex == L_DECL_PI ? L_DECL :
	    L_TEXT;
}

static void
scan(struct fvsplit *s, size_t lim)
{
	while (s->pos < lim && !s->ready) {
		switch (s->lex) {
		case L_TEXT:
			if (s->depth == 0 && !s->recover)
				scan_top(s, lim);
			else
				scan_inner(s, lim);
			break;
		case L_TAG:
			scan_tag(s, lim);
			break;
		case L_DECL:
			scan_decl(s, lim);
			break;
		default:
			scan_until_end(s, lim);
			break;
		}
	}
}

/* Every byte scanned: the parts still held.  1 if one was handed out. */
static int
finish(struct fvsplit *s)
{
	int unclosed = !s->recover && (s->depth > 0 || s->lex != L_TEXT);

	flush(s, s->pos);
	if (s->done) {
		yield(s);
		take_pend(s);
		s->done = 0;
		return 1;
	}
	if (s->prolog) {
		if (s->cur.n > 0) {
			yield(s);
			return 1;
		}
		take_pend(s);
		/* a prolog that no root follows: trailing frame bytes,
		 * unless it does not even end */
		s->kind = unclosed ? K_MESSAGE : K_BLANK;
	}
	if (unclosed && s->cur.n > 0 && !s->broken) {
		s->broken = 1;
		s->broken_line = line_at(s, s->pos);
	}
	s->depth = 0;
	s->lex = L_TEXT;
	s->recover = 0;
	if (s->cur.n > 0) {
		yield(s);
		return 1;
	}
	s->ended = 1;
	return 0;
}

/* Keep the unscanned bytes and read more after them.  0, -1 on error. */
static int
refill(struct fvsplit *s, struct diag *d)
{
	long r;

	flush(s, s->pos);
	line_at(s, s->pos);
	memmove(s->buf, s->buf + s->pos, s->have - s->pos);
	s->have -= s->pos;
	s->base += s->pos;
	s->pos = s->run = s->lpos = 0;
	while (!s->eof && s->have < 2 * LOOKAHEAD) {
		r = input_read(s->in, s->buf + s->have,
		    CHUNK + LOOKAHEAD - s->have, d);
		if (r < 0)
			return -1;
		if (r == 0)
			s->eof = 1;
		s->have += (size_t)r;
	}
	return 0;
}

int
fvsplit_next(struct fvsplit *s, struct fvsplit_part *p, struct diag *d)
{
	size_t lim;

	s->ready = 0;
	for (;;) {
		if (s->ended)
			return 0;
		lim = s->eof ? s->have :
		    s->have > LOOKAHEAD ? s->have - LOOKAHEAD : 0;
		scan(s, lim);
		if (!s->ready && s->eof && s->pos >= s->have)
			finish(s);
		if (s->ready) {
			*p = s->part;
			return 1;
		}
		if (s->ended)
			return 0;
		if (s->pos >= lim && refill(s, d) < 0)
			return -1;
	}
}
