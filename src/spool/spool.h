/*
 * spool: the cron driver's file handling (DESIGN.md "The spool").
 *
 * spool_run() takes the spool's lock, finishes whatever a killed run left
 * half done, then claims the inputs waiting in in/ one at a time (rename
 * into work/), hands each to a processing function and files it under
 * done/DATE/ or failed/, and writes one run report to out/reports/.
 *
 * Exactly once: the spool keeps its journal in the ledger's SQLite
 * database (state/ledger.db).  Each input is processed inside one
 * transaction that also records the input's hash, its outcome, where it
 * will be filed and which outputs it produced (written to state/staging/
 * and fsynced before the commit).  Everything after the commit -- moving
 * outputs into out/, the .error file, moving the input out of work/ -- is
 * idempotent and replayed from the journal by the next run when a run is
 * killed.  Before the commit nothing is visible and a killed run's input
 * is still in work/, where the next run processes it first: a claim is
 * journalled before the rename into work/, so only entries the journal
 * says were claimed are taken from there.  An output may be held back
 * past its input's filing (a factoring input's invoice file waits for
 * its batch's notice): it stays in state/staging/ until a release at
 * the end of the run, a transaction of its own, has written and filed
 * what must come first.  The protocol is written down in
 * formats/spool.md.
 *
 * Ownership: spool_run() owns everything it opens and closes it before
 * returning; the result struct's strings belong to the result and are
 * released by spool_result_free().  A struct spool_job is valid only
 * during the processing call it is passed to.
 */
#ifndef RESKONTRA_SPOOL_H
#define RESKONTRA_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "base/date.h"
#include "base/diag.h"
#include "base/util.h"

/* What a processing function returns, and what spool_run() returns. */
enum {
	SPOOL_OK = 0,		/* input accepted / run completed */
	SPOOL_REJECT = 1,	/* input rejected (d says why and where) */
	SPOOL_LOCKED = 2,	/* run: another run holds the lock */
	SPOOL_NOTSPOOL = 3,	/* run: the root is not a spool (d says why) */
	SPOOL_SYSERR = -1	/* I/O or system error (d filled) */
};

struct spool_job;
struct spool_finish;	/* the run, as its finish step sees it */

/*
 * Process one input.  The function reads the file through
 * spool_job_fd(), may change the ledger through spool_job_db() (a
 * transaction is open and is committed or rolled back by the spool), may
 * create outputs with spool_job_output() and count things for the report
 * with spool_job_count().  Returns SPOOL_OK, SPOOL_REJECT with d filled
 * (the ledger changes are kept out: the spool rolls back to before the
 * call and files the input under failed/) or SPOOL_SYSERR with d filled
 * (everything is rolled back and the run stops; the input stays in work/).
 */
typedef int (*spool_process_fn)(void *arg, struct spool_job *job,
    struct diag *d);

/* An output a dry run would write. */
struct spool_dry_output {
	char *dest;		/* out/DIR/NAME, relative to the root */
	FILE *fp;		/* its contents */
};

struct spool_result;

struct spool_opts {
	const char *root;	/* SPOOL directory; must exist, must not be / */
	/* Create the layout even where the root does not look like a spool
	 * yet (no in/ and no state/ledger.db); without it such a root is
	 * refused with SPOOL_NOTSPOOL. */
	int init;
	day_t today;		/* done/ folder, report name */
	long settle;		/* seconds a file must be left untouched */
	spool_process_fn process;
	void *arg;
	/* Progress lines for operators (-v); may be NULL. */
	void (*log)(void *arg, const char *msg);
	/*
	 * The database connection, so that the ledger and the journal share
	 * transactions: open_db is called with the path of state/ledger.db
	 * once the lock is held and sets *db (0, or -1 with d filled);
	 * close_db releases it at the end.  When open_db is NULL the spool
	 * opens and closes a connection of its own.
	 */
	int (*open_db)(void *arg, const char *path, sqlite3 **db,
	    struct diag *d);
	void (*close_db)(void *arg);
	/*
	 * Outputs of the run rather than of one input (notices): called
	 * once after the inputs, with the lock held and the database open
	 * outside any transaction, before the report is written.  What it
	 * writes must be safe to write again after a crash; each file it
	 * wrote it names with spool_finish_output(f, ...), for the report.
	 * 0, or -1 with d filled (the run stops as on an I/O error).  May be
	 * NULL.
	 */
	int (*finish)(void *arg, struct spool_finish *f, struct diag *d);
	/*
	 * Outputs held back (spool_job_output_held()) until the end of the
	 * run: after the inputs and before finish, release_key appends the
	 * name of the hold that is due to key (1; 0: none is due; -1 with
	 * d), and release is called on a job of its own, in a transaction
	 * the spool commits, to write what must be in out/ before the held
	 * outputs (spool_job_output(): a factoring batch's notice) and to
	 * change the ledger (the batches closed, so that the hold is not
	 * due again).  Once committed, the release's outputs are filed,
	 * then every output held under that name, each rename synced
	 * before the next; a killed run's committed release is filed by
	 * the next run's recovery, and outputs held for a release that
	 * never committed stay in state/staging/ for the next run's.
	 * release returns SPOOL_OK, or SPOOL_SYSERR with d (the run stops
	 * as on an I/O error).  Both may be NULL.  The release's job has
	 * no input: spool_job_name() is the hold's name, spool_job_output()
	 * and spool_job_db() work, counts and notes are not kept (the
	 * report lists the release's outputs as `release` lines).
	 */
	int (*release_key)(void *arg, struct sbuf *key, struct diag *d);
	spool_process_fn release;
	/*
	 * Called once an input's transaction has committed with the
	 * outcome "processed": what process counted and noted for it is
	 * now the run's (the report has it too).  May be NULL.
	 */
	void (*accepted)(void *arg);
	/*
	 * An input a killed run committed but did not file, filed by this
	 * run's recovery: what process counted and noted for it, from the
	 * journal, as process gave them, then accepted -- so that this run
	 * says what the killed one could not (a rejected or refused one is
	 * in spool_result.rej as this run's own).  Both may be NULL.
	 */
	void (*recovered_count)(void *arg, const char *what, long n,
	    int has_cents, int64_t cents);
	void (*recovered_note)(void *arg, const char *kind,
	    const char *const *f, size_t n);
	/*
	 * What the operator must read (res->rej, res->warn and what the
	 * callbacks above were given), said once the run's report is
	 * written and before the run is marked reported: a run killed
	 * before it said them is said by the next.  Not called when the run
	 * stops before that.  May be NULL.
	 */
	void (*say)(void *arg, const struct spool_result *res);
	/* Write each report also as CSV (runreport_write_csv()), with a
	 * byte order mark when report_bom is set. */
	int report_csv;
	int report_bom;
	/* spool_dry_run(): what would be done with one input of in/: its
	 * outcome, where it would be filed, the error of a rejected or
	 * refused one, and the outputs it would write (n of them: their
	 * names under out/ and their contents, rewound). */
	void (*dry_show)(void *arg, const char *name, const char *outcome,
	    const char *where, const char *error,
	    const struct spool_dry_output *outs, size_t n);
	/* What the regular file at path (in in/) is for the order of a
	 * run's inputs: SPOOL_WAITED_FOR (op-laskulaina: a statement of
	 * OP's virtual account, so that a remainder meets what OP
	 * forwarded whatever the names), SPOOL_BANK_FILE (any other bank
	 * file), or 0.  The bank files that sort before the last input
	 * waited for are taken right after it; the rest keep the byte
	 * order of the names (formats/spool.md "Order").  It may open the
	 * file (never a symbolic link); an error is 0.  May be NULL. */
	int (*input_kind)(void *arg, const char *path);
	/* Called before each input of in/ is processed, with the entry
	 * of in/ that is to come after it (its name, path and lstat; all
	 * NULL when none is left): the caller may start reading it while
	 * this one is processed.  The entry may yet change or go; what it was
	 * read as must be checked against the job's input (its fstat and
	 * spool_job_sha256()).  May be NULL. */
	void (*next_input)(void *arg, const char *name, const char *path,
	    const struct stat *st);
};

enum { SPOOL_BANK_FILE = 1, SPOOL_WAITED_FOR = 2 };

/* One input that ended in failed/ during this run. */
struct spool_rejected {
	char *name;		/* name as dropped */
	const char *outcome;	/* "rejected" or "refused" */
	char *where;		/* where it was filed: failed/NAME[.N], the
				 * name shortened when too long */
	char *error;		/* the diagnostic, one or more lines */
};

struct spool_result {
	long processed, rejected, duplicates, refused;
	long recovered;		/* inputs of runs killed before their end,
				 * said (and filed) by this run */
	long waiting;		/* files in in/ not yet settled */
	int opened;		/* the spool was locked: inputs may be in it */
	char *report;		/* out/reports/NAME written by this run, or NULL */
	struct spool_rejected *rej;
	size_t nrej;
	/* Things an operator must look at that are not inputs (an entry in
	 * work/ the journal has no claim for), one message each. */
	char **warn;
	size_t nwarn;
};

/* SPOOL_OK (also when some inputs were rejected: see res), SPOOL_LOCKED,
 * SPOOL_NOTSPOOL (empty root, the root directory /, or no spool there
 * and no o->init; nothing was created) or SPOOL_SYSERR, with d filled.
 * res is filled in every case. */
int spool_run(const struct spool_opts *o, struct spool_result *res,
    struct diag *d);
void spool_result_free(struct spool_result *res);

/*
 * What spool_run() would do with the entries of in/ now, doing none of
 * it: nothing is claimed, moved, journalled, staged or reported; each
 * settled entry is read and processed inside a ledger transaction that
 * is rolled back, and shown through o->dry_show.  No lock is taken (the
 * ledger's transactions keep it apart from a run).  Entries left in
 * work/ by a killed run are not looked at.  A spool without a ledger
 * yet is tried on a scratch ledger that is removed afterwards.
 * SPOOL_OK, SPOOL_NOTSPOOL or SPOOL_SYSERR with d.
 */
int spool_dry_run(const struct spool_opts *o, struct spool_result *res,
    struct diag *d);

/* The job's input: an open descriptor (a new one per call, positioned at
 * the start, owned by the caller), its name as dropped, its SHA-256 in
 * hex, its size. */
int spool_job_fd(struct spool_job *job, struct diag *d);
const char *spool_job_name(const struct spool_job *job);
const char *spool_job_sha256(const struct spool_job *job);

/* Where the input is filed when it is processed: its path relative to
 * the spool, done/DAY/NAME or, when that name is taken, done/DAY/NAME.N
 * (formats/spool.md "Outcomes").  Valid while the job is. */
const char *spool_job_filed(const struct spool_job *job);

/* The database, inside the job's transaction. */
sqlite3 *spool_job_db(struct spool_job *job);

/* The finish step's journal: spool_finish_run() makes the run's row
 * (outside any transaction: a run that took no input has none yet);
 * spool_finish_output() then keeps a file the step wrote, relative to
 * SPOOL ("out/notices/X"), for the run's report (a `notices` line), in
 * the caller's transaction if it has one.  0, or -1 with d. */
int spool_finish_run(struct spool_finish *f, struct diag *d);
int spool_finish_output(struct spool_finish *f, const char *dest,
    struct diag *d);

/* Name the input's format in the journal and report ("ktl", ...). */
void spool_job_set_format(struct spool_job *job, const char *format);

/* Add n (and cents, if has_cents) to the report line "what" of this
 * input.  Kept in the journal, so a report can be rewritten after a
 * crash. */
void spool_job_count(struct spool_job *job, const char *what, long n,
    int has_cents, int64_t cents);

/* A line for the run report about something an operator must look at
 * (an unknown or duplicate payment, ...): kind is the report's record
 * kind, fields its fields after the input number.  Journalled with the
 * input, like the counts. */
void spool_job_note(struct spool_job *job, const char *kind,
    const char *const *fields, size_t nfields);

/* Create an output that appears as out/DIR/NAME (with a ".N" suffix if
 * that name is taken) only once the input's transaction has committed.
 * The spool owns the FILE: do not close it.  NULL with d filled on error. */
FILE *spool_job_output(struct spool_job *job, const char *dir,
    const char *name, struct diag *d);

/* spool_job_output(), but the output stays in state/staging/ (journalled
 * with hold) until the release of hold is filed (spool_opts.release):
 * its input is filed without it.  A release's own outputs cannot be
 * held. */
FILE *spool_job_output_held(struct spool_job *job, const char *dir,
    const char *name, const char *hold, struct diag *d);

/* The directories under out/ (DESIGN.md), NULL-terminated. */
extern const char *const spool_out_dirs[];

#endif
