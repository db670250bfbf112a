/*
 * notice_file: notice batches from the ledger to files.  See
 * notice_file.h and formats/notices.md.
 */
#include <stdio.h>

#include "base/outfile.h"
#include "base/record.h"
#include "write/notice_file.h"

static void
write_row(void *arg, const struct notice_row *r)
{
	struct recout *w = arg;

	rec_begin(w, r->kind);
	rec_str(w, r->invoice_no);
	rec_str(w, r->service_reference);
	rec_str(w, r->reference);
	rec_cents(w, r->amount);
	rec_str(w, r->payment_date);
	rec_str(w, r->archive_id);
	rec_str(w, r->payer);
	rec_str(w, r->credit_note_no);
	rec_str(w, r->source);
	rec_end(w);
}

long
notice_file_write(struct notices *n, const struct notice_batch *b, FILE *fp,
    struct diag *d)
{
	struct recout w;

	rec_out_init(&w, fp);
	fputs("kind\tinvoice_no\tservice_reference\treference\tamount\t"
	    "payment_date\tarchive_id\tpayer\tcredit_note_no\tsource\n", fp);
	return notice_each(n, b, write_row, &w, d);
}

int
notice_file_write_pending(struct ledger *l, struct notices *n,
    const char *dir, int (*written)(void *arg, const char *file,
    struct diag *d), void *arg, struct diag *d)
{
	struct notice_batch b;
	struct outfile o;
	long got;
	int rc;

	while ((rc = notice_pending(n, &b, d)) == 1) {
		if (outfile_open(&o, dir, b.file, d) < 0)
			return -1;
		got = notice_file_write(n, &b, o.fp, d);
		if (got < 0) {
			outfile_abort(&o);
			return -1;
		}
		if (got != b.count) {
			outfile_abort(&o);
			diag_set(d, b.file, 0, 0, "notice batch %lld has %ld "
			    "notices, %ld when it was taken", (long long)b.id,
			    got, b.count);
			return -1;
		}
		if (outfile_commit(&o, d) < 0)
			return -1;
		if (ledger_begin(l, d) < 0)
			return -1;
		if (notice_done(n, b.id, d) < 0 || (written != NULL &&
		    written(arg, b.file, d) < 0) || ledger_commit(l, d) < 0) {
			ledger_rollback(l);
			return -1;
		}
	}
	return rc;
}
