/*
 * fnotice: the factoring notice of a batch and its transfer list
 * (formats/factoring.md), the files `reskontra run` writes to
 * out/factoring/ before the batch's invoices, and the transfer list that
 * `reskontra translist` prints.
 *
 * Everything is read from the ledger (ledger/fbatch.h), so a notice
 * written again after a crash has the same bytes.
 *
 *   fnotice_write_tsv    the notice as TSV: a header line (financier,
 *                        contract, batch, date, count, total), then one
 *                        line per invoice (number, customer code,
 *                        recipient, invoice date, due date, amount,
 *                        reference)
 *   fnotice_write_text   the same for a person to read
 *   fnotice_translist    the transfer list: invoices by batch, newest
 *                        batch first, a total per batch and a grand
 *                        total; as text or as CSV for spreadsheets
 *                        (semicolons, decimal comma)
 *
 * Ownership: nothing is kept; the ledger and the stream are the
 * caller's.  Functions return the number of invoices written, or -1
 * with d filled on a database error (the stream's errors are the
 * caller's to check on close).
 */
#ifndef RESKONTRA_FNOTICE_H
#define RESKONTRA_FNOTICE_H

#include <stdio.h>

#include "base/config.h"
#include "base/diag.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"

long fnotice_write_tsv(struct ledger *l, const struct fbatch *b, FILE *fp,
    struct diag *d);

/* c gives the company's name and business id for the heading. */
long fnotice_write_text(struct ledger *l, const struct fbatch *b,
    const struct config *c, FILE *fp, struct diag *d);

long fnotice_translist(struct ledger *l, const struct fbatch_filter *f,
    int csv, FILE *fp, struct diag *d);

/* The names the run gives a batch's files in out/factoring/:
 * notice-ACCOUNT-BATCH.tsv, notice-ACCOUNT-BATCH.txt and
 * translist-ACCOUNT-BATCH.txt (the account name made safe for a file
 * name, the batch zero-padded to 6 digits).  kind is "notice" or
 * "translist", ext "tsv" or "txt".  Appends to out. */
void fnotice_file_name(const struct fbatch *b, const char *kind,
    const char *ext, struct sbuf *out);

#endif
