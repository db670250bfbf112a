/*
 * input: one input file as a byte stream, wherever it comes from.
 *
 * Opens a path or stdin ("-"), decompresses gzip transparently (detected
 * by its magic bytes, never by the name), and reads lines while tracking
 * the line number and byte offset, so every reader can say where it is.
 * Memory is bounded: a line longer than INPUT_MAX_LINE is an error, not
 * an allocation.  The struct owns its zlib handle and buffers.
 */
#ifndef RESKONTRA_INPUT_H
#define RESKONTRA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

#define INPUT_MAX_LINE (1L << 20)

/*
 * A gzip input that has given more than INPUT_BOMB_FLOOR bytes and more
 * than INPUT_MAX_RATIO times what it has read is refused (a decompression
 * bomb: a kilobyte that would be read as gigabytes).  Bank files and
 * invoices compress 5 to 30 times; 200 leaves room for the most regular
 * of them, and below 256 MiB (more than any reader takes whole: their
 * own limits speak first) nothing is refused for its ratio.
 */
#define INPUT_BOMB_FLOOR ((uint64_t)256 << 20)
#define INPUT_MAX_RATIO 200

struct input;

/* Open path ("-" or NULL for stdin).  NULL with d filled on failure. */
struct input *input_open(const char *path, struct diag *d);
void input_close(struct input *in);

/* Read an already open descriptor, named name in messages.  The input
 * owns fd from here on, also on failure (NULL, d filled). */
struct input *input_fdopen(int fd, const char *name, struct diag *d);

const char *input_name(const struct input *in);

/* Start again from the first byte of the file (a descriptor that can
 * seek: a regular file), as if just opened.  0, or -1 with d filled. */
int input_rewind(struct input *in, struct diag *d);

/* After a -1 from input_peek, input_getline or input_read: 1 if the
 * system failed (a read error: exit 3, try again later), 0 if the data is
 * bad (broken or truncated gzip, a line too long: the file is rejected). */
int input_error_is_io(const struct input *in);
int input_is_gzip(const struct input *in);

/* Look at the first bytes (after decompression), not consuming them.
 * Sets *p and returns how many bytes are available (up to want, at most
 * 64 KiB); 0 for an empty input; -1 on a read error (d filled). */
long input_peek(struct input *in, size_t want, const char **p, struct diag *d);

/* Next line without its terminator (LF, or CR LF; a lone CR is kept).
 * Returns 1 and sets *line and *len (valid until the next call, NUL-terminated
 * at len); 0 at end of input; -1 on error (d filled: read error, line too
 * long, decompression error).  A missing final newline is fine. */
int input_getline(struct input *in, char **line, size_t *len, struct diag *d);

/* Line number of the line returned last (1-based) and the byte offset of
 * its first byte in the decompressed stream. */
long input_lineno(const struct input *in);
uint64_t input_offset(const struct input *in);

/* Raw read of up to n bytes (for XML).  Returns bytes read, 0 at end,
 * -1 on error (d filled).  Do not mix with input_getline on one input. */
long input_read(struct input *in, void *buf, size_t n, struct diag *d);

#endif
