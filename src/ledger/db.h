/*
 * db: the one SQLite layer under state/ledger.db (formats/ledger.md).
 *
 * Every module that keeps tables in the ledger file (ledger/ledger.c,
 * ledger/assign.c, ledger/notice.c, spool/spool.c, spool/runreport.c)
 * reaches SQLite through these helpers, so that an error is always
 * reported the same way (the database file and SQLite's own message) and
 * a query loop can never take an error for "no more rows".
 *
 * The schema of the whole file is one list of migrations (db.c);
 * db_migrate() brings a file of any older version to DB_SCHEMA_VERSION
 * and refuses a newer one.  db_open() opens the file with the ledger's
 * settings and migrates it; ledger_open() is its one user besides the
 * spool's own connection.
 *
 * Ownership: db_open() returns a connection the caller closes with
 * db_close().  A statement from db_prepare() is the caller's to
 * sqlite3_finalize(); one from db_cached() is the connection's, handed
 * back with db_release().  Every function that can fail returns -1 (or
 * NULL) with d filled: "FILE: ledger: WHAT: SQLITE MESSAGE".
 */
#ifndef RESKONTRA_DB_H
#define RESKONTRA_DB_H

#include <stdint.h>

#include <sqlite3.h>

#include "base/date.h"
#include "base/diag.h"

/* The schema version this program makes and understands. */
#define DB_SCHEMA_VERSION 25

/* The database file's name for messages ("ledger" for a memory one). */
const char *db_path(sqlite3 *db);

/* Fill d with what failed and SQLite's last message on db; returns -1. */
int db_error(sqlite3 *db, struct diag *d, const char *what);

/* Run sql (one or more statements, no rows wanted). */
int db_exec(sqlite3 *db, const char *sql, struct diag *d);

/* Prepare sql; NULL with d filled on an error. */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql, struct diag *d);

/*
 * The statement of sql (a string that lives as long as the program: a
 * literal), prepared once per connection and kept: for a query made once
 * a record, where preparing it each time would cost more than running
 * it.  Give it back with db_release() (reset, bindings cleared) before
 * asking for it again; db_close() finalizes what a connection kept.
 */
sqlite3_stmt *db_cached(sqlite3 *db, const char *sql, struct diag *d);
void db_release(sqlite3_stmt *st);

/* Finalize the statements db_cached() kept for db, then close it. */
void db_close(sqlite3 *db);

/*
 * Step st: 1 a row is there, 0 the statement is done, -1 an error (d
 * filled, what names the query).  A loop reads
 *
 *	while ((rc = db_step(st, d, "what")) == 1)
 *		...;
 *	if (rc < 0)
 *		goto fail;
 *
 * so that its end is either "done" or an error, never a silent stop.
 */
int db_step(sqlite3_stmt *st, struct diag *d, const char *what);

/* Step a statement that returns no rows: 0 done, -1 error (a row is an
 * error too).  The statement is reset and its bindings cleared, so a
 * statement prepared once can be bound again. */
int db_done(sqlite3_stmt *st, struct diag *d, const char *what);

/* db_done(), then finalize st.  A NULL st (its db_prepare() failed and
 * filled d) gives -1. */
int db_finish(sqlite3_stmt *st, struct diag *d, const char *what);

/* A query that gives exactly one row of one integer (bound ?1, ?2 when
 * the query has them): 0 with *v set, -1 on an error or no row.  sql is
 * a literal: its statement is kept as db_cached() keeps one. */
int db_int(sqlite3 *db, const char *sql, int64_t a1, int64_t a2,
    int64_t *v, struct diag *d);

/* Column i of the row st is on: its text ("" for NULL), or a date
 * (YYYY-MM-DD; DAY_NONE for NULL or anything else).  The text is valid
 * until the statement steps again. */
const char *db_col_text(sqlite3_stmt *st, int i);
day_t db_col_date(sqlite3_stmt *st, int i);

/* The schema version of db: 0 for a file without one. */
int db_version(sqlite3 *db, int *version, struct diag *d);

/*
 * Bring db to DB_SCHEMA_VERSION, each missing step in order, all in one
 * transaction (BEGIN IMMEDIATE outside one, a savepoint inside one).  A
 * file that is current is only read.  A file with a newer version is
 * refused: "ledger schema version N is newer than this program's (M)".
 */
int db_migrate(sqlite3 *db, struct diag *d);

/*
 * The number of the next voucher of the ledger db: one more than all the
 * vouchers its spool's inputs and its moves out of a run (allocate,
 * unallocate; table move_vouchers) wrote, so that none shares a
 * number.  0, or -1 with d.
 */
int db_next_voucher(sqlite3 *db, long *next, struct diag *d);

/*
 * Open (creating) the ledger file at path with the ledger's settings
 * (formats/ledger.md: WAL, synchronous FULL, foreign keys, busy timeout,
 * bounded cache, 16 KiB pages on a new file) and migrate it.  A path that
 * is a symbolic link is refused.
 */
int db_open(const char *path, sqlite3 **out, struct diag *d);

/* Bind s as text (a copy), NULL when s is NULL or empty; out of memory
 * aborts, as in the x-wrappers. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Bind a copy of s as text as it is (NULL when s is NULL, "" stays "");
 * out of memory aborts like db_bind_text: a parameter left NULL would
 * store a row without its value. */
void db_bind_copy(sqlite3_stmt *st, int i, const char *s);

/* Bind a day as YYYY-MM-DD, NULL for DAY_NONE. */
void db_bind_date(sqlite3_stmt *st, int i, day_t day);

#endif
