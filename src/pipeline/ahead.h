/*
 * ahead: the read stage of the next input, done by a child process
 * while this one takes the current input through its other stages
 * (`reskontra run`: the second processor reads while the first routes,
 * rewrites and matches).
 *
 * The read touches no ledger: what it makes is the file's records and
 * what the reader said (its warnings, in order, and its outcome), and
 * the child puts them into temporary files that this process takes
 * over when the input's turn comes.  They are used only when they are
 * of the very bytes the spool then takes: the same file (device and
 * inode), its size and modification time as the child saw them before
 * and after reading, and the SHA-256 the child computed before and
 * after reading equal to the spool's.  Anything else -- the file was
 * changed or replaced, the child failed, was killed or ran out of
 * memory -- and the input is read here, as without a read ahead: a
 * read ahead makes a run faster, never different.  The child writes
 * nothing else and says nothing (its standard error is /dev/null); it
 * is a new process of this program (posix_spawn of /proc/self/exe, not
 * a fork, whose shared pages this process would copy as it writes
 * them), holds no descriptor of the parent's but its two temporary
 * files, so neither the spool's lock nor the ledger is held by it, and
 * it dies with the parent.
 */
#ifndef RESKONTRA_AHEAD_H
#define RESKONTRA_AHEAD_H

#include <stdio.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "read/reader.h"

struct read_ahead;

/* The command line of the child: `reskontra AHEAD_COMMAND PARENT NAME
 * CHARSET SCHEMA SCHEMA_DIR` with the input open as descriptor 5, its
 * records and results to descriptors 3 and 4; not a command for users
 * (main() hands it to ahead_main(), which never returns). */
#define AHEAD_COMMAND "--read-ahead-child"

/* The program started as the child: "/proc/self/exe" (this very
 * program, even if its file has been replaced since); tests set it. */
extern const char *ahead_program;
void ahead_main(int argc, char **argv) __attribute__((noreturn));

/* Start reading path (opened here, before the child starts: the spool
 * may move the file meanwhile), named name in messages and in the
 * records' sources (as the spool names the input), with rctx's
 * settings.  NULL when no child could be started: then the input is
 * read when its turn comes, so this is never an error. */
struct read_ahead *ahead_start(const char *path, const char *name,
    const struct reader_ctx *rctx);

/*
 * The read of the input named name, the file st (its fstat as the
 * spool holds it open) with the SHA-256 sha (hex), if ra read those
 * bytes: waits for the child; its records into *recs (a held record stream, the caller's to close; no I/O has been
 * done on it in this process, so its buffer may still be set); the
 * reader's warnings passed on through rctx as they came; READ_OK,
 * READ_PARTIAL or READ_REJECT with d, as read_input_scratch() would
 * have said.  READ_SYSERR with d when the child's files cannot be read
 * back once its warnings are being passed on.  AHEAD_UNUSED when ra is
 * not of those bytes or failed: the caller reads the input itself.  ra
 * is freed in every case; NULL gives AHEAD_UNUSED.
 */
#define AHEAD_UNUSED (-100)	/* none of the READ_ values */
int ahead_take(struct read_ahead *ra, const char *name,
    const struct stat *st, const char *sha, struct reader_ctx *rctx,
    FILE **recs, struct diag *d);

/* Stop the child and free ra (NULL: nothing). */
void ahead_drop(struct read_ahead *ra);

#endif
