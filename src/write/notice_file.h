/*
 * notice_file: the notices files for the receivables service
 * (formats/notices.md), out/notices/notices-DATE-N.tsv.
 *
 * `reskontra notify` and `reskontra run` take a batch of notices in the
 * ledger (ledger/notice.h) and then write it here: one TSV file per
 * batch, complete or absent (base/outfile.h), marked written in the
 * ledger only once the file is in place.  A batch taken but not marked
 * (the job died in between) is written again, whole and under the same
 * name, by the next run.
 *
 * Ownership: nothing is kept; the ledger and notices handles are the
 * caller's.  Functions return 0 (or a count) or -1 with d filled.
 */
#ifndef RESKONTRA_NOTICE_FILE_H
#define RESKONTRA_NOTICE_FILE_H

#include <stdio.h>

#include "base/diag.h"
#include "ledger/ledger.h"
#include "ledger/notice.h"

/* Write batch b as TSV (header line, one line per notice) to fp.
 * Returns the number of notices written, -1 on a database error. */
long notice_file_write(struct notices *n, const struct notice_batch *b,
    FILE *fp, struct diag *d);

/* Write every batch not yet written, oldest first, each to dir/FILE,
 * and mark it written in a transaction of its own (call outside one);
 * written(arg, FILE, d), if not NULL, is told each file in that
 * transaction, before it commits, and may fail it (-1 with d: the
 * batch stays pending, to be written again). */
int notice_file_write_pending(struct ledger *l, struct notices *n,
    const char *dir, int (*written)(void *arg, const char *file,
    struct diag *d), void *arg, struct diag *d);

#endif
