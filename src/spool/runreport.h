/*
 * runreport: the run report in out/reports/ (formats/run-report.md).
 *
 * The report is made from the spool's journal alone (state/ledger.db), not
 * from memory, so the run after a killed one writes the killed run's report
 * with the same bytes it would have had.  Nothing in it depends on the
 * clock or the process: it diffs cleanly between runs.
 */
#ifndef RESKONTRA_RUNREPORT_H
#define RESKONTRA_RUNREPORT_H

#include <sqlite3.h>

#include "base/diag.h"

#define RUNREPORT_VERSION "#reskontra run report 1"

/* Write the report of journal run run_id into dir as
 * "run-YYYY-MM-DD-NNN.tsv" (complete or absent; an existing file of that
 * name is replaced).  *name is set to the file name (malloc'ed) on
 * success.  0, or -1 with d filled. */
int runreport_write(sqlite3 *db, long long run_id, const char *dir,
    char **name, struct diag *d);

/* The same report as a spreadsheet file ([output] report = csv), beside
 * it: "run-YYYY-MM-DD-NNN.csv", the same lines and fields separated by
 * ';' (base/csv.h), amounts with a decimal comma, a UTF-8 byte order
 * mark first when bom is set.  0, or -1 with d filled. */
int runreport_write_csv(sqlite3 *db, long long run_id, const char *dir,
    int bom, struct diag *d);

#endif
