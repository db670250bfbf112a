/*
 * runnotes: what a cron run tells its operator on standard error and in
 * its summary line (reskontra-run(1) "OUTPUT").
 *
 * The pipeline reports counts and notes per input (pipeline.h, struct
 * pipeline_report); the spool journals them for the run report.  This
 * module keeps the same counts and notes of the input being processed
 * as pending, and makes them the run's once the spool says the input was
 * committed (runnotes_accept()), so that a rejected input, whose effects
 * are rolled back, leaves no line behind.  Each note becomes one line
 * for the operator, in the shape of every diagnostic:
 *
 *   reskontra: FILE:LINE: message
 *
 * The run's counts give the summary's invoices and payments.
 *
 * Ownership: runnotes_new() allocates, runnotes_free() releases
 * everything; the strings passed in are copied.
 */
#ifndef RESKONTRA_RUNNOTES_H
#define RESKONTRA_RUNNOTES_H

#include <stdint.h>
#include <stdio.h>

#include "base/util.h"

struct runnotes;

struct runnotes *runnotes_new(void);
void runnotes_free(struct runnotes *rn);

/* A count or a note of the input being processed (pending). */
void runnotes_count(struct runnotes *rn, const char *what, long n,
    int has_cents, int64_t cents);
void runnotes_note(struct runnotes *rn, const char *kind,
    const char *const *f, size_t n);

/* The pending input was committed: its counts and lines are the run's.
 * runnotes_drop(): it was not; they are forgotten. */
void runnotes_accept(struct runnotes *rn);
void runnotes_drop(struct runnotes *rn);

/* How many lines the run's accepted inputs need an operator to read. */
size_t runnotes_nlines(const struct runnotes *rn);

/* Those lines, one each, on fp. */
void runnotes_print(const struct runnotes *rn, FILE *fp);

/* The summary's part about invoices and payments, appended to b:
 * "invoices: N read, R rejected; payments: N (X.XX), S to suspense
 * (Y.YY)" -- nothing when the run read neither. */
void runnotes_summary(const struct runnotes *rn, struct sbuf *b);

#endif
