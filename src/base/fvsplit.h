/*
 * fvsplit: a Finvoice file cut into frames and messages as it streams in.
 *
 * A Finvoice transmission file is a row of SOAP envelopes and Finvoice
 * messages, each message with its own XML declaration: not one XML
 * document, so it cannot be handed to libxml2 whole.  The splitter reads
 * a struct input (base/input.h) in bounded chunks and hands out parts in
 * file order, one at a time, covering the file exactly:
 *
 *  - a message: its prolog (an optional UTF-8 byte-order mark at the
 *    start of the file, the XML declaration, processing instructions,
 *    comments, a DOCTYPE) and one root element that is not a SOAP
 *    Envelope, from the prolog's first byte to the root's end tag;
 *  - a frame: everything between messages (envelopes with their own
 *    prologs, blanks, a prolog that no root follows at the end of the
 *    file), adjacent frame bytes as one part.
 *
 * Comments, CDATA sections, processing instructions, DOCTYPE internal
 * subsets and quoted attribute values are skipped, so markup-looking text
 * inside them does not count.  Element names are not matched (the parser
 * does that): only nesting depth is counted.
 *
 * Where the structure breaks -- text outside any element, a root that is
 * not closed at the end of the file, a start tag not closed before the
 * next '<', an XML declaration or an Envelope start tag inside a root
 * element -- the part is marked broken and goes on to the next XML
 * declaration or Envelope start tag, where the next part starts; text at
 * the start of a file (or after only blanks) makes a broken message.  So
 * the reader can report a broken message and read the others, and the
 * rewriter can refuse the file at broken_line.  An element named
 * Envelope inside a message therefore ends it (a known limit: Finvoice
 * has no such element).
 *
 * Memory is bounded: one part is held at a time, at most FVSPLIT_MAX_PART
 * bytes; a longer part is handed out with too_big set and no data.
 * UTF-16 and other encodings that are not ASCII-based are not split.
 *
 * Ownership: the splitter does not own the input (the caller closes it
 * after fvsplit_free); a part's data belongs to the splitter and is valid
 * until the next fvsplit_next or fvsplit_free.
 */
#ifndef RESKONTRA_FVSPLIT_H
#define RESKONTRA_FVSPLIT_H

#include <stddef.h>

#include "base/diag.h"
#include "base/input.h"
#include "base/xmlsafe.h"

/* Largest part held: a message is parsed whole, so it is the parser's
 * limit. */
#define FVSPLIT_MAX_PART XML_MAX_DOC

enum fvsplit_kind {
	FVSPLIT_FRAME,
	FVSPLIT_MESSAGE
};

struct fvsplit_part {
	enum fvsplit_kind kind;
	const char *data;	/* len bytes (not NUL-terminated) */
	size_t len;
	long line;		/* file line of the part's first byte */
	char root[32];		/* a message's root element, local name
				 * (cut short); "" if it has none */
	int broken;		/* the structure breaks in this part ... */
	long broken_line;	/* ... at this file line */
	int too_big;		/* longer than FVSPLIT_MAX_PART: no data */
};

struct fvsplit;

struct fvsplit *fvsplit_new(struct input *in);
void fvsplit_free(struct fvsplit *s);

/* The next part: 1 with *p filled, 0 at the end of the input, -1 on a
 * read error (d filled; input_error_is_io() says whether the system
 * failed or the data is bad, such as broken gzip). */
int fvsplit_next(struct fvsplit *s, struct fvsplit_part *p, struct diag *d);

#endif
