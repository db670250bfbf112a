/*
 * runreport: one report per run, rendered from the journal.  See
 * runreport.h and formats/run-report.md.
 *
 * The report is a record stream (base/record.h escaping and layout) with
 * its own kinds: run, summary, stray, input, count, output, repeats,
 * error, release, notices, total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/money.h"
#include "base/outfile.h"
#include "base/record.h"
#include "base/util.h"
#include "ledger/db.h"
#include "spool/runreport.h"

static const char *
col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

/* Counts (and totals) of one input, or of the whole run when input is 0. */
static int
write_counts(sqlite3 *db, struct recout *w, long long run_id, long long input,
    long no, struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	st = db_prepare(db, input > 0 ? "SELECT what, n, cents"
	    " FROM spool_count WHERE input = ? ORDER BY what" :
	    "SELECT what, sum(n), sum(cents) FROM spool_count JOIN spool_input"
	    " ON spool_input.id = spool_count.input"
	    " WHERE spool_input.run = ? GROUP BY what ORDER BY what", d);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, input > 0 ? input : run_id);
	while ((rc = db_step(st, d, "report")) == 1) {
		if (input > 0) {
			rec_begin(w, "count");
			rec_int(w, no);
		} else
			rec_begin(w, "total");
		rec_str(w, col(st, 0));
		rec_int(w, sqlite3_column_int64(st, 1));
		if (sqlite3_column_type(st, 2) == SQLITE_NULL)
			rec_str(w, "");
		else
			rec_cents(w, sqlite3_column_int64(st, 2));
		rec_end(w);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int
write_outputs(sqlite3 *db, struct recout *w, long long input, long no,
    struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT dest FROM spool_output"
	    " WHERE input = ? ORDER BY seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, input);
	while ((rc = db_step(st, d, "report")) == 1) {
		rec_begin(w, "output");
		rec_int(w, no);
		rec_str(w, col(st, 0));
		rec_end(w);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int
write_notes(sqlite3 *db, struct recout *w, long long input, long no,
    struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT kind, line FROM spool_note"
	    " WHERE input = ? ORDER BY seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, input);
	while ((rc = db_step(st, d, "report")) == 1) {
		/* The line holds fields escaped already. */
		rec_begin(w, col(st, 0));
		rec_int(w, no);
		rec_raw(w, col(st, 1));
		rec_end(w);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The entries of work/ the run left alone: no claim for them. */
static int
write_strays(sqlite3 *db, struct recout *w, long long run_id, struct diag *d)
{
	sqlite3_stmt *st;
	struct sbuf b = SBUF_INIT;
	int rc;

	if ((st = db_prepare(db, "SELECT name FROM spool_stray"
	    " WHERE run = ? ORDER BY seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = db_step(st, d, "report")) == 1) {
		sbuf_reset(&b);
		sbuf_addf(&b, "work/%.*s", sqlite3_column_bytes(st, 0),
		    (const char *)sqlite3_column_blob(st, 0));
		rec_begin(w, "stray");
		rec_str(w, b.data);
		rec_str(w, "not claimed by any run; left alone");
		rec_end(w);
	}
	sqlite3_finalize(st);
	sbuf_free(&b);
	return rc < 0 ? -1 : 0;
}

/* The summary: how many inputs of each outcome. */
static int
write_summary(sqlite3 *db, struct recout *w, long long run_id,
    struct diag *d)
{
	static const char *const outcomes[] = {
		"processed", "duplicate", "rejected", "refused", NULL
	};
	int64_t n;
	int i;

	for (i = 0; outcomes[i]; i++) {
		sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM"
		    " spool_input WHERE run = ? AND outcome = ?", d);
		int rc;

		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_text(st, 2, outcomes[i], -1, SQLITE_STATIC);
		rc = db_step(st, d, "report");
		n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != 1)
			return rc == 0 ? db_error(db, d, "report: no count") :
			    -1;
		rec_begin(w, "summary");
		rec_str(w, outcomes[i]);
		rec_int(w, n);
		rec_end(w);
	}
	return 0;
}

/* One input's lines: input, repeats, error, then its counts, notes and
 * outputs.  st is at the input's row of write_inputs(). */
static int
write_input(sqlite3 *db, struct recout *w, long long run_id,
    sqlite3_stmt *st, long no, struct diag *d)
{
	long long id = sqlite3_column_int64(st, 0);

	rec_begin(w, "input");
	rec_int(w, no);
	rec_str(w, col(st, 1));
	rec_strn(w, sqlite3_column_blob(st, 2),
	    (size_t)sqlite3_column_bytes(st, 2));
	rec_str(w, col(st, 3));
	rec_int(w, sqlite3_column_int64(st, 4));
	rec_str(w, col(st, 5));
	rec_str(w, col(st, 6));
	rec_end(w);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
		rec_begin(w, "repeats");
		rec_int(w, no);
		rec_str(w, col(st, 9));
		rec_str(w, col(st, 8));
		rec_end(w);
	}
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		rec_begin(w, "error");
		rec_int(w, no);
		rec_str(w, col(st, 7));
		rec_end(w);
	}
	if (write_counts(db, w, run_id, id, no, d) < 0 ||
	    write_notes(db, w, id, no, d) < 0 ||
	    write_outputs(db, w, id, no, d) < 0)
		return -1;
	return 0;
}

static int
write_inputs(sqlite3 *db, struct recout *w, long long run_id,
    struct diag *d)
{
	sqlite3_stmt *st;
	long no = 0;
	int rc;

	if ((st = db_prepare(db, "SELECT i.id, i.outcome, i.name, i.format,"
	    " i.size, i.sha256, i.dest, i.error, f.dest,"
	    " (SELECT day || '-' || printf('%03d', seq) FROM spool_run"
	    "  WHERE spool_run.id = f.run)"
	    " FROM spool_input AS i LEFT JOIN spool_input AS f"
	    " ON f.id = i.first WHERE i.run = ? ORDER BY i.id", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = db_step(st, d, "report")) == 1)
		if (write_input(db, w, run_id, st, ++no, d) < 0) {
			rc = -1;
			break;
		}
	sqlite3_finalize(st);
	return rc;
}

/* The outputs of the run's releases (a factoring batch's notice and
 * transfer list, written before the outputs held for them). */
static int
write_releases(sqlite3 *db, struct recout *w, long long run_id,
    struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT x.hold, o.dest FROM spool_release x"
	    " JOIN spool_release_output o ON o.release = x.id WHERE x.run = ?"
	    " ORDER BY x.id, o.seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = db_step(st, d, "report")) == 1) {
		rec_begin(w, "release");
		rec_str(w, col(st, 0));
		rec_str(w, col(st, 1));
		rec_end(w);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The files the run wrote after its inputs (the notices for the
 * service). */
static int
write_finish_outputs(sqlite3 *db, struct recout *w, long long run_id,
    struct diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT dest FROM spool_finish_output"
	    " WHERE run = ? ORDER BY seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = db_step(st, d, "report")) == 1) {
		rec_begin(w, "notices");
		rec_str(w, col(st, 0));
		rec_end(w);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int
write_body(sqlite3 *db, struct recout *w, long long run_id, const char *runname,
    const char *day, struct diag *d)
{
	fputs(RUNREPORT_VERSION "\n", w->fp);
	rec_begin(w, "run");
	rec_str(w, runname);
	rec_str(w, day);
	rec_end(w);
	if (write_summary(db, w, run_id, d) < 0 ||
	    write_strays(db, w, run_id, d) < 0 ||
	    write_inputs(db, w, run_id, d) < 0 ||
	    write_releases(db, w, run_id, d) < 0 ||
	    write_finish_outputs(db, w, run_id, d) < 0)
		return -1;
	return write_counts(db, w, run_id, 0, 0, d);
}

/* The run's name (DAY-NNN) into runname and its day into day (16
 * bytes).  0, or -1 with d. */
static int
run_name(sqlite3 *db, long long run_id, struct sbuf *runname, char *day,
    struct diag *d)
{
	sqlite3_stmt *st;
	int got;

	if ((st = db_prepare(db, "SELECT day, seq FROM spool_run"
	    " WHERE id = ?", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	if ((got = db_step(st, d, "report")) != 1) {
		if (got == 0)
			diag_set(d, db_path(db), 0, 0, "report: no run %lld",
			    run_id);
		sqlite3_finalize(st);
		return -1;
	}
	snprintf(day, 16, "%s", col(st, 0));
	sbuf_addf(runname, "%s-%03lld", day, sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return 0;
}

/* Whether column i of a report line of kind k is an amount. */
static int
amount_column(const char *k, size_t i)
{
	if (strcmp(k, "count") == 0 || strcmp(k, "payment") == 0)
		return i == 4;
	if (strcmp(k, "total") == 0)
		return i == 3;
	if (strcmp(k, "reconcile") == 0)	/* expected, found, difference */
		return i >= 5 && i <= 7;
	return 0;
}

/* The report in the record stream fp (rewound) as CSV lines into out:
 * the same lines and fields, amounts with a decimal comma. */
static int
report_to_csv(FILE *fp, FILE *out, int bom, struct diag *d)
{
	struct recin in;
	char buf[32][MONEY_BUFSZ];
	const char *f[32];
	int64_t cents;
	size_t i, n;
	int got;

	rewind(fp);
	rec_in_init(&in, fp, "run report");
	csv_begin(out, bom);
	f[0] = RUNREPORT_VERSION;
	csv_line(out, f, 1);
	while ((got = rec_read(&in, d)) == 1) {
		n = in.nfields < 32 ? in.nfields : 32;
		for (i = 0; i < n; i++) {
			f[i] = in.fields[i];
			if (amount_column(in.fields[0], i) && *f[i] &&
			    money_parse(f[i], strlen(f[i]), &cents) == 0)
				f[i] = money_format_comma(cents, buf[i]);
		}
		csv_line(out, f, n);
	}
	rec_in_free(&in);
	return got < 0 ? -1 : 0;
}

int
runreport_write_csv(sqlite3 *db, long long run_id, const char *dir, int bom,
    struct diag *d)
{
	struct outfile of;
	struct recout w;
	struct sbuf runname = SBUF_INIT, file = SBUF_INIT;
	FILE *tmp = NULL;
	char day[16] = "";
	int rc = -1, open = 0;

	if (run_name(db, run_id, &runname, day, d) < 0)
		goto out;
	sbuf_addf(&file, "run-%s.csv", runname.data);
	if ((tmp = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create");
		goto out;
	}
	/* read back as a record stream: its version line is a comment */
	rec_out_init(&w, tmp);
	rec_header(&w);
	if (write_body(db, &w, run_id, runname.data, day, d) < 0)
		goto out;
	if (fflush(tmp) != 0 || ferror(tmp)) {
		diag_set(d, "temporary file", 0, 0, "write error");
		goto out;
	}
	if (outfile_open(&of, dir, file.data, d) < 0)
		goto out;
	open = 1;
	if (report_to_csv(tmp, of.fp, bom, d) < 0)
		goto out;
	open = 0;
	if (outfile_commit(&of, d) < 0)
		goto out;
	rc = 0;
out:
	if (open)
		outfile_abort(&of);
	if (tmp)
		fclose(tmp);
	sbuf_free(&runname);
	sbuf_free(&file);
	return rc;
}

int
runreport_write(sqlite3 *db, long long run_id, const char *dir, char **name,
    struct diag *d)
{
	struct outfile of;
	struct recout w;
	struct sbuf runname = SBUF_INIT, file = SBUF_INIT;
	char day[16] = "";
	int rc = -1, open = 0;

	*name = NULL;
	if (run_name(db, run_id, &runname, day, d) < 0)
		goto out;
	sbuf_addf(&file, "run-%s.tsv", runname.data);
	if (outfile_open(&of, dir, file.data, d) < 0)
		goto out;
	open = 1;
	rec_out_init(&w, of.fp);
	if (write_body(db, &w, run_id, runname.data, day, d) < 0)
		goto out;
	open = 0;
	if (outfile_commit(&of, d) < 0)
		goto out;
	*name = file.data;
	file.data = NULL;
	rc = 0;
out:
	if (open)
		outfile_abort(&of);
	sbuf_free(&runname);
	sbuf_free(&file);
	return rc;
}
