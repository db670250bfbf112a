/*
 * spool: claim, process, file; the journal that makes it exactly once.
 * See spool.h for the contract and formats/spool.md for the protocol.
 *
 * Paths are built from the spool root given by the operator; everything
 * this file creates, renames or removes is inside that root.  Entries
 * dropped into in/ are untrusted: they are looked at with lstat(2),
 * moved with rename(2) (which never follows a symbolic link), and opened
 * only as regular files with O_NOFOLLOW, re-checked with fstat(2).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/record.h"
#include "base/sha256.h"
#include "base/util.h"
#include "ledger/db.h"
#include "spool/runreport.h"
#include "spool/spool.h"

const char *const spool_out_dirs[] = {
	"invoices", "rejected", "si", "factoring", "vouchers", "notices",
	"reports", NULL
};

struct count {
	char *what;
	long n;
	int has_cents;
	int64_t cents;
};

struct note {
	char *kind;
	char *line;		/* fields, escaped and TAB-separated */
};

#define STAGED_BUFSZ (64 * 1024)

struct staged {
	FILE *fp;
	char *buf;		/* fp's buffer, STAGED_BUFSZ, or NULL */
	char *path;		/* state/staging/ID.SEQ, full path */
	char *dir;		/* out/ subdirectory */
	char *name;		/* wanted name */
	char *hold;		/* held back until this is released, or NULL */
};

struct spool_job {
	struct run *run;
	long long id;		/* spool_input row */
	char *name;		/* as dropped */
	char *path;		/* full path in work/ */
	int fd;
	long long size;
	char sha[SHA256_HEX];
	char *format;
	struct count *counts;
	size_t ncounts;
	struct note *notes;
	size_t nnotes;
	struct staged *out;
	size_t nout;
	char *filed;		/* done/DAY/NAME[.N] if processed, or NULL */
	int dry;		/* spool_dry_run(): outputs to temporary files */
	int release;		/* a release (id is its spool_release row), not
				 * an input */
};

struct run {
	const struct spool_opts *o;
	struct spool_result *res;
	char day[DATE_BUFSZ];
	int lockfd;
	int dirlockfd;		/* state/ itself, the lock's second guard */
	sqlite3 *db;
	int own_db;		/* opened here, not by o->open_db */
	long long run_id;	/* 0 until this run files its first input */
	long steps;
	long crash_after;	/* test hook: abort() after this step */
	long step_delay_ms;	/* test hook: sleep at every step */
	/* Runs whose reports are written and whose lines are to be said
	 * (o->say) before they are marked reported: killed ones recovered
	 * here, then this one. */
	long long *unsaid;
	size_t nunsaid;
};

/* ---- small helpers ---------------------------------------------------- */

static char *
path_of(const struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *
path_of(const struct run *r, const char *fmt, ...)
{
	struct sbuf b = SBUF_INIT;
	va_list ap;
	char *rel;

	va_start(ap, fmt);
	rel = xvasprintf(fmt, ap);
	va_end(ap);
	sbuf_addf(&b, "%s/%s", r->o->root, rel);
	free(rel);
	return b.data;
}

/*
 * A durable step has been taken.  The test hooks make a run die right
 * after step N (RESKONTRA_CRASH_AFTER=N) or slow down at every step
 * (RESKONTRA_STEP_DELAY_MS), so that tests can kill it anywhere.
 */
static void
step(struct run *r)
{
	r->steps++;
	if (r->step_delay_ms > 0) {
		struct timespec ts;

		ts.tv_sec = r->step_delay_ms / 1000;
		ts.tv_nsec = (r->step_delay_ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	if (r->crash_after > 0 && r->steps == r->crash_after)
		abort();
}

static void
logf_(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (r->o->log == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	r->o->log(r->o->arg, msg);
	free(msg);
}

static long
env_long(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 ? v : 0;
}

/* 1 if something is at path (a link is not followed), 0 if nothing is
 * (ENOENT), -1 with d filled if it cannot be told (ENAMETOOLONG, EACCES,
 * EIO, ...): that is an error, never "taken" nor "free". */
static int
path_state(const char *path, struct diag *d)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	diag_set(d, path, 0, 0, "cannot look it up: %s", strerror(errno));
	return -1;
}

/* mkdir if missing; it must then be a directory of its own, not a link. */
static int
ensure_dir(const char *path, struct diag *d)
{
	struct stat st;

	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		diag_set(d, path, 0, 0, "cannot create directory: %s",
		    strerror(errno));
		return -1;
	}
	if (lstat(path, &st) != 0) {
		diag_set(d, path, 0, 0, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_set(d, path, 0, 0, "%s", S_ISLNK(st.st_mode) ?
		    "is a symbolic link; the spool's directories must be "
		    "real directories on one file system" :
		    "is not a directory");
		return -1;
	}
	return 0;
}

/* Can we create files in dir, and move them between it and staging
 * (NULL: not asked)?  Checked before anything is claimed, so that an
 * unwritable out/, or one on another file system, leaves the inputs in
 * in/. */
static int
probe_dir(const char *dir, const char *staging, struct diag *d)
{
	struct sbuf b = SBUF_INIT, s = SBUF_INIT;
	int fd, rc = 0;

	sbuf_addf(&b, "%s/.reskontra-probe.%ld", dir, (long)getpid());
	fd = open(b.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		diag_set(d, dir, 0, 0, "cannot write: %s", strerror(errno));
		rc = -1;
	} else {
		close(fd);
		/* outputs and inputs move by rename(2): one file system */
		if (staging != NULL) {
			sbuf_addf(&s, "%s/.reskontra-probe.%ld", staging,
			    (long)getpid());
			if (rename(b.data, s.data) == 0) {
				if (rename(s.data, b.data) != 0)
					unlink(s.data);
			} else if (errno == EXDEV) {
				diag_set(d, dir, 0, 0, "not on the file "
				    "system of state/staging: the spool's "
				    "directories must be on one file system, "
				    "files move by rename(2)");
				unlink(b.data);
				sbuf_free(&b);
				sbuf_free(&s);
				return -1;
			}
			sbuf_free(&s);
		}
		/* A probe that stays behind in work/ would be reported as
		 * a stray by this very run: a directory we cannot remove
		 * from is not one to work in either. */
		if (unlink(b.data) != 0) {
			diag_set(d, b.data, 0, 0, "cannot remove: %s",
			    strerror(errno));
			rc = -1;
		}
	}
	sbuf_free(&b);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir, sorted bytewise; dot files left out when skip_hidden.
 * Returns count or -1 (d filled). */
static long
list_dir(const char *dir, int skip_hidden, char ***names, struct diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*names = NULL;
	if (dp == NULL) {
		diag_set(d, dir, 0, 0, "cannot read directory: %s",
		    strerror(errno));
		return -1;
	}
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (skip_hidden && de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = xstrdup(de->d_name);
		errno = 0;
	}
	if (errno != 0) {
		diag_set(d, dir, 0, 0, "cannot read directory: %s",
		    strerror(errno));
		closedir(dp);
		while (n > 0)
			free(v[--n]);
		free(v);
		return -1;
	}
	closedir(dp);
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_names);
	*names = v;
	return (long)n;
}

static void
free_names(char **v, long n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Files in in/ that are not ours to touch yet: being uploaded. */
static int
ignored_name(const char *name)
{
	return name[0] == '.' || has_suffix(name, ".part") ||
	    has_suffix(name, ".tmp") || has_suffix(name, ".filepart");
}

/* outfile.c's temporaries: ".NAME.XXXXXX" (mkostemp). */
static int
outfile_temp_name(const char *name)
{
	const char *p = strrchr(name, '.');
	size_t i;

	if (name[0] != '.' || p == NULL || p == name || strlen(p + 1) != 6)
		return 0;
	for (i = 1; i <= 6; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9')))
			return 0;
	return 1;
}

/*
 * Names the spool makes from a dropped name (failed/NAME and its
 * NAME.error, done/DATE/NAME, out/DIR/NAME) get a suffix ".1" up to
 * ".99999" when taken, and ".error" in failed/; all of that must fit in
 * NAME_MAX (255 bytes).  A longer name is shortened: its first bytes (not
 * cutting a UTF-8 sequence), '-', and the first 16 hex digits of the
 * SHA-256 of the whole name, so that two long names with the same start
 * stay apart.  outfile.c keeps its temporaries within NAME_MAX itself.
 */
#define FREE_NAME_TRIES	100000L		/* base, base.1 ... base.99999 */
#define NAME_KEEP	(NAME_MAX - 6 - 6)	/* ".99999", ".error" */
#define NAME_HASH	16

/* base, or its shortened form if longer than NAME_KEEP; malloc'ed. */
static char *
fit_name(const char *base)
{
	size_t n = strlen(base), cut;
	struct sha256_ctx c;
	unsigned char dig[SHA256_LEN];
	char hex[SHA256_HEX];
	struct sbuf b = SBUF_INIT;

	if (n <= NAME_KEEP)
		return xstrdup(base);
	cut = NAME_KEEP - 1 - NAME_HASH;
	while (cut > 0 && ((unsigned char)base[cut] & 0xC0) == 0x80)
		cut--;
	sha256_init(&c);
	sha256_update(&c, n, (const uint8_t *)base);
	sha256_digest(&c, SHA256_LEN, dig);
	sha256_hex(dig, hex);
	sbuf_addf(&b, "%.*s-%.*s", (int)cut, base, NAME_HASH, hex);
	return b.data;
}

/* 1 if rel (relative to the root) is the name of an output held for a
 * release not filed yet: it is not there yet, but taken.  0, or -1 with
 * d. */
static int
held_name(struct run *r, const char *rel, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "SELECT 1 FROM spool_output o"
	    " WHERE o.dest = ?1 AND o.hold IS NOT NULL AND NOT EXISTS (SELECT"
	    " 1 FROM spool_release x WHERE x.hold = o.hold AND x.filed = 1)",
	    d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	rc = db_step(st, d, "read held outputs");
	sqlite3_finalize(st);
	return rc;
}

/* dir/base with the number i: base.i, but in out/ before the name's
 * ending (NAME.i.xml), so that what picks the files to send by their
 * ending (*.xml) picks a second file of one name too. */
static void
numbered(struct sbuf *rel, const char *dir, const char *base, long i)
{
	const char *dot = strrchr(base, '.');
	int out = strcmp(dir, "out") == 0 || strncmp(dir, "out/", 4) == 0;

	if (out && dot != NULL && dot != base && dot[1] != '\0' &&
	    strlen(dot) <= 9)
		sbuf_addf(rel, "%s/%.*s.%ld%s", dir, (int)(dot - base), base,
		    i, dot);
	else
		sbuf_addf(rel, "%s/%s.%ld", dir, base, i);
}

/*
 * A free name for base in dir (relative to the root): base (shortened
 * by fit_name()), else base.1, base.2 ... base.99999 (in out/,
 * NAME.1.EXT ... by numbered()).  When with_error,
 * base.error must be free too.  A name an output held back will take
 * (held_name()) is not free either.  Returns the relative path, malloc'ed, or
 * NULL with d filled when a name cannot be looked up or all are taken.
 */
static char *
free_name(struct run *r, const char *dir, const char *base, int with_error,
    struct diag *d)
{
	struct sbuf rel = SBUF_INIT;
	char *fit = fit_name(base);
	long i;

	for (i = 0; i < FREE_NAME_TRIES; i++) {
		char *p, *pe;
		int taken;

		sbuf_reset(&rel);
		if (i == 0)
			sbuf_addf(&rel, "%s/%s", dir, fit);
		else
			numbered(&rel, dir, fit, i);
		p = path_of(r, "%s", rel.data);
		taken = path_state(p, d);
		if (taken == 0 && with_error) {
			pe = path_of(r, "%s.error", rel.data);
			taken = path_state(pe, d);
			free(pe);
		}
		if (taken == 0 && r->db != NULL)
			taken = held_name(r, rel.data, d);
		free(p);
		if (taken < 0)
			break;
		if (taken == 0) {
			free(fit);
			return rel.data;
		}
	}
	if (i == FREE_NAME_TRIES)
		diag_set(d, dir, 0, 0, "no free name for %s: it and its "
		    "suffixes .1 to .%ld are all taken", fit,
		    FREE_NAME_TRIES - 1);
	free(fit);
	sbuf_free(&rel);
	return NULL;
}

/* ---- the journal (SQLite) --------------------------------------------- */

/* The journal's tables are part of the ledger file's schema
 * (ledger/db.c, migration 5); the connection is the ledger's (o->open_db)
 * or, without one, opened here with the ledger's settings. */
static int
journal_open(struct run *r, struct diag *d)
{
	char *path = path_of(r, "state/ledger.db");
	int rc = -1;

	if (r->o->open_db != NULL) {
		if (r->o->open_db(r->o->arg, path, &r->db, d) < 0)
			r->db = NULL;
		else
			rc = db_migrate(r->db, d);
	} else {
		r->own_db = 1;
		rc = db_open(path, &r->db, d);
	}
	free(path);
	return rc;
}

/* This run's row in spool_run, created when it first files an input. */
static int
run_row(struct run *r, struct diag *d)
{
	sqlite3_stmt *st;

	if (r->run_id > 0)
		return 0;
	st = db_prepare(r->db, "INSERT INTO spool_run (day, seq) SELECT ?1,"
	    " coalesce(max(seq), 0) + 1 FROM spool_run WHERE day = ?1", d);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, r->day, -1, SQLITE_STATIC);
	if (db_finish(st, d, "journal run") < 0)
		return -1;
	r->run_id = sqlite3_last_insert_rowid(r->db);
	step(r);
	return 0;
}

int
spool_finish_run(struct spool_finish *f, struct diag *d)
{
	return run_row((struct run *)f, d);
}

int
spool_finish_output(struct spool_finish *f, const char *dest, struct diag *d)
{
	struct run *r = (struct run *)f;
	sqlite3_stmt *st;

	if (r->run_id <= 0) {
		diag_set(d, db_path(r->db), 0, 0, "journal finish output %s: "
		    "no run row (spool_finish_run())", dest);
		return -1;
	}
	st = db_prepare(r->db, "INSERT INTO spool_finish_output (run, seq,"
	    " dest) SELECT ?1, coalesce(max(seq), 0) + 1, ?2 FROM"
	    " spool_finish_output WHERE run = ?1", d);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->run_id);
	sqlite3_bind_text(st, 2, dest, -1, SQLITE_STATIC);
	if (db_finish(st, d, "journal finish output") < 0)
		return -1;
	step(r);
	return 0;
}

/*
 * Claims.  A spool_claim row names an entry of in/ that this or a killed
 * run moves (or moved) into work/.  It is committed before the rename, so
 * work/ holds only entries the journal knows, and it is deleted in the
 * transaction that journals the input.  A row whose work/ entry does not
 * exist is a claim whose rename never happened (the entry is still in in/,
 * or was taken away): it is dropped.
 */
static int
claim_sql(struct run *r, const char *sql, const char *name, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, sql, d);

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, name, (int)strlen(name), SQLITE_STATIC);
	return db_finish(st, d, "journal claim");
}

static int
claim_add(struct run *r, const char *name, struct diag *d)
{
	return claim_sql(r, "INSERT OR IGNORE INTO spool_claim (name)"
	    " VALUES (?)", name, d);
}

static int
claim_drop(struct run *r, const char *name, struct diag *d)
{
	return claim_sql(r, "DELETE FROM spool_claim WHERE name = ?", name, d);
}

/* 1 if the journal holds a claim for name, 0 if not, -1 with d. */
static int
claim_known(struct run *r, const char *name, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "SELECT 1 FROM spool_claim"
	    " WHERE name = ?", d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, name, (int)strlen(name), SQLITE_STATIC);
	rc = db_step(st, d, "read claims");
	sqlite3_finalize(st);
	return rc;
}

/* A message for the operator that is not about an input. */
static void
add_warning(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_warning(struct run *r, const char *fmt, ...)
{
	struct spool_result *res = r->res;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	res->warn = xrealloc(res->warn, (res->nwarn + 1) * sizeof *res->warn);
	res->warn[res->nwarn++] = msg;
}

/* work/NAME is not a claim the journal knows: it is left where it is,
 * and said on standard error every run; in a report only the first time
 * (a cron line every five minutes would otherwise write 288 reports a
 * day that say nothing new). */
static int
stray(struct run *r, const char *name, struct diag *d)
{
	sqlite3_stmt *st;
	int seen;

	if ((st = db_prepare(r->db, "SELECT 1 FROM spool_stray WHERE name = ?1"
	    " LIMIT 1", d)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, name, (int)strlen(name), SQLITE_STATIC);
	seen = db_step(st, d, "journal stray");
	sqlite3_finalize(st);
	if (seen < 0)
		return -1;
	if (seen == 0) {
		if (run_row(r, d) < 0)
			return -1;
		st = db_prepare(r->db, "INSERT INTO spool_stray (run, seq, "
		    "name) SELECT ?1, coalesce(max(seq), 0) + 1, ?2 FROM "
		    "spool_stray WHERE run = ?1", d);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, r->run_id);
		sqlite3_bind_blob(st, 2, name, (int)strlen(name),
		    SQLITE_STATIC);
		if (db_finish(st, d, "journal stray") < 0)
			return -1;
		step(r);
	}
	add_warning(r, "work/%s: not claimed by any run (the journal does "
	    "not know it); left alone", name);
	return 0;
}

/* ---- filing: everything after the commit, idempotent ------------------- */

static int
rename_synced(const char *from, const char *to, const char *fromdir,
    const char *todir, struct diag *d)
{
	if (rename(from, to) != 0) {
		diag_set(d, to, 0, 0, "cannot move %s here: %s", from,
		    strerror(errno));
		return -1;
	}
	if (fsync_dir(todir, d) < 0)
		return -1;
	if (fromdir != NULL && strcmp(fromdir, todir) != 0 &&
	    fsync_dir(fromdir, d) < 0)
		return -1;
	return 0;
}

/* The directory part of a relative path, as a full path. */
static char *
parent_of(struct run *r, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	char *dir = xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	char *p = path_of(r, "%s", dir);

	free(dir);
	return p;
}

/* One staged output of an input to its place in out/: moved, or already
 * there (a crash after the move). */
static int
file_output(struct run *r, const char *staged, const char *odest,
    struct diag *d)
{
	char *sp = path_of(r, "%s", staged);
	char *dp = path_of(r, "%s", odest);
	char *sdir = parent_of(r, staged), *ddir = parent_of(r, odest);
	int bad = 0, there = path_state(sp, d);

	if (there < 0)
		bad = 1;
	else if (there) {
		bad = rename_synced(sp, dp, sdir, ddir, d) < 0;
		if (!bad)
			step(r);
	} else if ((there = path_state(dp, d)) != 1) {
		if (there == 0)
			diag_set(d, dp, 0, 0, "output lost: neither it nor its "
			    "staged copy %s exists", sp);
		bad = 1;
	}
	free(sp);
	free(dp);
	free(sdir);
	free(ddir);
	return bad ? -1 : 0;
}

/* Every journalled output that sql (staged, dest; ?1 bound to id)
 * gives, in its order, to out/: how many, or -1 with d.  A journal that
 * cannot be read stops the filing: the input must not look filed with
 * outputs left behind. */
static long
file_outputs(struct run *r, const char *sql, long long id, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, sql, d);
	long n = 0;
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = db_step(st, d, "read journalled outputs")) == 1) {
		if (file_output(r, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1), d) < 0) {
			rc = -1;
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : n;
}

/* What the journal says of input id (malloc'ed; error NULL if none). */
struct filing {
	char *name, *dest, *error, *outcome;
};

static int
filing_read(struct run *r, long long id, struct filing *f, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "SELECT name, dest, error,"
	    " outcome FROM spool_input WHERE id = ?", d);
	int rc;

	memset(f, 0, sizeof *f);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = db_step(st, d, "read journalled input");
	if (rc == 0)
		diag_set(d, db_path(r->db), 0, 0, "journal row %lld missing",
		    id);
	if (rc == 1) {
		f->name = xstrndup(sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		f->dest = xstrdup((const char *)sqlite3_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			f->error = xstrdup((const char *)
			    sqlite3_column_text(st, 2));
		f->outcome = xstrdup((const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}

static void
filing_free(struct filing *f)
{
	free(f->name);
	free(f->dest);
	free(f->error);
	free(f->outcome);
}

/* failed/NAME.error next to the failed input at destp. */
static int
write_error_file(struct run *r, const char *destp, const char *destdir,
    const char *error, struct diag *d)
{
	struct outfile of;
	struct sbuf en = SBUF_INIT;
	int rc;

	sbuf_addf(&en, "%s.error", strrchr(destp, '/') + 1);
	rc = outfile_open(&of, destdir, en.data, d);
	sbuf_free(&en);
	if (rc < 0)
		return -1;
	fprintf(of.fp, "%s\n", error);
	if (outfile_commit(&of, d) < 0)
		return -1;
	step(r);
	return 0;
}

/*
 * Finish filing input id: outputs from staging into out/, the .error file
 * for a failed input, the input from work/ to its place, then mark it
 * filed.  Every step can be repeated after a crash.
 */
static int
file_input(struct run *r, long long id, struct diag *d)
{
	sqlite3_stmt *st;
	struct filing f = { NULL, NULL, NULL, NULL };
	char *work = NULL, *workdir = NULL, *destp = NULL, *destdir = NULL;
	int rc = -1;

	/* held outputs wait for their release (file_release()) */
	if (file_outputs(r, "SELECT staged, dest FROM spool_output WHERE"
	    " input = ?1 AND hold IS NULL ORDER BY seq", id, d) < 0 ||
	    filing_read(r, id, &f, d) < 0) {
		filing_free(&f);
		return -1;
	}
	work = path_of(r, "work/%s", f.name);
	workdir = path_of(r, "work");
	destp = path_of(r, "%s", f.dest);
	destdir = parent_of(r, f.dest);
	if (f.error != NULL &&
	    write_error_file(r, destp, destdir, f.error, d) < 0)
		goto out;
	switch (path_state(work, d)) {
	case -1:
		goto out;
	case 1:
		if (rename_synced(work, destp, workdir, destdir, d) < 0)
			goto out;
		step(r);
		break;
	}
	st = db_prepare(r->db, "UPDATE spool_input SET filed = 1 WHERE id = ?",
	    d);
	if (st != NULL)
		sqlite3_bind_int64(st, 1, id);
	if (db_finish(st, d, "journal filed") < 0)
		goto out;
	step(r);
	logf_(r, "%s: %s, now %s", f.name, f.outcome, f.dest);
	rc = 0;
out:
	filing_free(&f);
	free(work);
	free(workdir);
	free(destp);
	free(destdir);
	return rc;
}

/*
 * Finish release id: its own outputs (what must come first: a factoring
 * batch's notice) from staging into out/, then the outputs held for it
 * in the order their inputs were journalled, then mark it filed.  Every
 * step can be repeated after a crash.
 */
static int
file_release(struct run *r, long long id, struct diag *d)
{
	sqlite3_stmt *st;
	long first, held;

	if ((first = file_outputs(r, "SELECT staged, dest FROM"
	    " spool_release_output WHERE release = ?1 ORDER BY seq", id,
	    d)) < 0 || (held = file_outputs(r, "SELECT o.staged, o.dest FROM"
	    " spool_output o JOIN spool_release x ON x.hold = o.hold WHERE"
	    " x.id = ?1 ORDER BY o.input, o.seq", id, d)) < 0)
		return -1;
	st = db_prepare(r->db, "UPDATE spool_release SET filed = 1"
	    " WHERE id = ?", d);
	if (st != NULL)
		sqlite3_bind_int64(st, 1, id);
	if (db_finish(st, d, "journal release") < 0)
		return -1;
	step(r);
	logf_(r, "release %lld: %ld files filed, then the %ld outputs held "
	    "back for them", id, first, held);
	return 0;
}

/* ---- recovery ---------------------------------------------------------- */

static int
write_report(struct run *r, long long run_id, struct diag *d)
{
	char *dir = path_of(r, "out/reports");
	char *name = NULL;
	int64_t ninputs = 0;
	int rc = -1;

	if (db_int(r->db, "SELECT (SELECT count(*) FROM spool_input"
	    " WHERE run = ?1) + (SELECT count(*) FROM spool_stray"
	    " WHERE run = ?1) + (SELECT count(*) FROM spool_release"
	    " WHERE run = ?1) + (SELECT count(*) FROM spool_finish_output"
	    " WHERE run = ?1)", run_id, 0, &ninputs, d) < 0)
		goto out;
	/* A run killed before it filed anything (or found a stray entry in
	 * work/, or released held outputs, or wrote notices) has nothing to
	 * say, and no report: its row goes, so that the next run takes its
	 * number and the reports of a day stay numbered without a gap. */
	if (ninputs == 0) {
		sqlite3_stmt *st = db_prepare(r->db, "DELETE FROM spool_run"
		    " WHERE id = ?", d);

		if (st == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, run_id);
		if (db_finish(st, d, "journal run") < 0)
			goto out;
		if (run_id == r->run_id)
			r->run_id = 0;
		step(r);
		rc = 0;
		goto out;
	}
	if (ninputs > 0) {
		if (runreport_write(r->db, run_id, dir, &name, d) < 0)
			goto out;
		step(r);
		if (r->o->report_csv) {
			if (runreport_write_csv(r->db, run_id, dir,
			    r->o->report_bom, d) < 0)
				goto out;
			step(r);
		}
		if (run_id == r->run_id) {
			free(r->res->report);
			r->res->report = xstrdup(name);
		}
		logf_(r, "report out/reports/%s", name);
	}
	r->unsaid = xrealloc(r->unsaid, (r->nunsaid + 1) *
	    sizeof *r->unsaid);
	r->unsaid[r->nunsaid++] = run_id;
	rc = 0;
out:
	free(dir);
	free(name);
	return rc;
}

/*
 * The runs whose reports write_report() wrote: said to the operator
 * (o->say), then marked reported, so that a run killed before its lines
 * were printed has them printed by the next (say_run()).  A kill between
 * the two says them twice: at least once, never none.
 */
static int
say_and_mark(struct run *r, struct diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (r->o->say != NULL)
		r->o->say(r->o->arg, r->res);
	step(r);
	if ((st = db_prepare(r->db, "UPDATE spool_run SET reported = 1"
	    " WHERE id = ?", d)) == NULL)
		return -1;
	for (i = 0; i < r->nunsaid && rc == 0; i++) {
		sqlite3_bind_int64(st, 1, r->unsaid[i]);
		rc = db_done(st, d, "journal report");
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	step(r);
	return 0;
}

/* Remove outfile temporaries and probe files a killed run left in dir;
 * only probe files when probes_only (work/, where outfile writes
 * nothing). */
static int
clean_temps(struct run *r, const char *rel, int probes_only, struct diag *d)
{
	char *dir = path_of(r, "%s", rel);
	char **names;
	long n, i;

	n = list_dir(dir, 0, &names, d);
	if (n < 0) {
		free(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((!probes_only && outfile_temp_name(names[i])) ||
		    strncmp(names[i], ".reskontra-probe.", 17) == 0) {
			char *p = path_of(r, "%s/%s", rel, names[i]);

			unlink(p);
			free(p);
		}
	}
	free_names(names, n);
	free(dir);
	return 0;
}

/* Staged outputs not referenced by an unfiled input, a held output not
 * released yet or an unfiled release belong to a transaction that never
 * committed. */
static int
clean_staging(struct run *r, struct diag *d)
{
	sqlite3_stmt *st;
	char *dir = path_of(r, "state/staging");
	char **names;
	long n, i;
	int rc = -1;

	n = list_dir(dir, 0, &names, d);
	if (n < 0)
		goto out;
	st = db_prepare(r->db, "SELECT 1 FROM spool_output o JOIN spool_input i"
	    " ON i.id = o.input WHERE o.staged = ?1 AND (i.filed = 0 OR"
	    " (o.hold IS NOT NULL AND NOT EXISTS (SELECT 1 FROM spool_release"
	    " x WHERE x.hold = o.hold AND x.filed = 1)))"
	    " UNION ALL SELECT 1 FROM spool_release_output o JOIN"
	    " spool_release x ON x.id = o.release WHERE o.staged = ?1"
	    " AND x.filed = 0", d);
	if (st == NULL) {
		free_names(names, n);
		goto out;
	}
	/* Removed only when the journal says no: an error keeps it. */
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		struct sbuf rel = SBUF_INIT;

		sbuf_addf(&rel, "state/staging/%s", names[i]);
		sqlite3_reset(st);
		db_bind_copy(st, 1, rel.data);
		rc = db_step(st, d, "read journalled outputs");
		if (rc == 0) {
			char *p = path_of(r, "%s", rel.data);

			unlink(p);
			free(p);
		}
		sbuf_free(&rel);
		rc = rc < 0 ? -1 : 0;
	}
	sqlite3_finalize(st);
	free_names(names, n);
out:
	free(dir);
	return rc;
}

/* The ids a query gives (malloc'ed into *ids); count or -1. */
static long
journal_ids(struct run *r, const char *sql, long long **ids, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, sql, d);
	size_t n = 0, cap = 0;
	int rc;

	*ids = NULL;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st, d, "read journal")) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : (long)n;
}

static void add_rejected(struct run *r, const char *name,
    const char *outcome, const char *where, const char *error);

/* The journalled counts and notes of processed input id, to o. */
static int
replay_notes(struct run *r, long long id, struct diag *d)
{
	const struct spool_opts *o = r->o;
	struct recin in;
	sqlite3_stmt *st;
	int rc;

	if (o->recovered_count != NULL) {
		if ((st = db_prepare(r->db, "SELECT what, n, cents FROM"
		    " spool_count WHERE input = ? ORDER BY what", d)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		while ((rc = db_step(st, d, "read journalled counts")) == 1)
			o->recovered_count(o->arg, (const char *)
			    sqlite3_column_text(st, 0), (long)
			    sqlite3_column_int64(st, 1), sqlite3_column_type(st,
			    2) != SQLITE_NULL, sqlite3_column_int64(st, 2));
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
	}
	if (o->recovered_note == NULL)
		return 0;
	if ((st = db_prepare(r->db, "SELECT kind, line FROM spool_note"
	    " WHERE input = ? ORDER BY seq", d)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rec_in_init(&in, NULL, "journalled note");
	while ((rc = db_step(st, d, "read journalled notes")) == 1) {
		if (rec_split_line(&in, (const char *)sqlite3_column_text(st,
		    1), d) < 0) {
			rc = -1;
			break;
		}
		o->recovered_note(o->arg, (const char *)sqlite3_column_text(st,
		    0), (const char *const *)in.fields, in.nfields);
	}
	sqlite3_finalize(st);
	rec_in_free(&in);
	return rc < 0 ? -1 : 0;
}

/* What a killed run could not say of input id, filed by this run. */
static int
say_recovered(struct run *r, long long id, struct diag *d)
{
	struct filing f;
	int rc = 0;

	if (filing_read(r, id, &f, d) < 0) {
		filing_free(&f);
		return -1;
	}
	if (f.error != NULL)
		add_rejected(r, f.name, f.outcome, f.dest, f.error);
	else if (strcmp(f.outcome, "processed") == 0) {
		rc = replay_notes(r, id, d);
		if (rc == 0 && r->o->accepted != NULL)
			r->o->accepted(r->o->arg);
	}
	filing_free(&f);
	return rc;
}

/*
 * The inputs of run_id, a run killed before its end (not marked
 * reported: it may not have said its lines, say_and_mark()): each is
 * said by this run, as this run says its own, and counted as finished
 * from an earlier run.
 */
static int
say_run(struct run *r, long long run_id, struct diag *d)
{
	struct sbuf sql = SBUF_INIT;
	long long *ids;
	long n, i;
	int rc = 0;

	sbuf_addf(&sql, "SELECT id FROM spool_input WHERE run = %lld"
	    " ORDER BY id", run_id);
	n = journal_ids(r, sql.data, &ids, d);
	sbuf_free(&sql);
	if (n < 0)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		rc = say_recovered(r, ids[i], d);
		r->res->recovered++;
	}
	free(ids);
	return rc;
}

static int
recover(struct run *r, struct diag *d)
{
	long long *ids = NULL;
	long n, i;
	const char *const *od;
	int rc = -1;

	/* Inputs whose transaction committed but which were not filed. */
	n = journal_ids(r, "SELECT id FROM spool_input WHERE filed = 0"
	    " ORDER BY id", &ids, d);
	if (n < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (file_input(r, ids[i], d) < 0)
			goto out;
	}
	/* Releases that committed but were not filed. */
	free(ids);
	n = journal_ids(r, "SELECT id FROM spool_release WHERE filed = 0"
	    " ORDER BY id", &ids, d);
	if (n < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (file_release(r, ids[i], d) < 0)
			goto out;
	/* work/ never holds a dot-name input (in/ skips them), so the
	 * probe names found there are a killed run's; anything else in
	 * work/ is an input or a stray (drain_work()). */
	if (clean_staging(r, d) < 0 || clean_temps(r, "failed", 0, d) < 0 ||
	    clean_temps(r, "work", 1, d) < 0)
		goto out;
	{
		struct sbuf rel = SBUF_INIT;
		int bad;

		sbuf_addf(&rel, "done/%s", r->day);
		bad = clean_temps(r, rel.data, 0, d) < 0;
		sbuf_free(&rel);
		if (bad)
			goto out;
	}
	for (od = spool_out_dirs; *od; od++) {
		struct sbuf rel = SBUF_INIT;
		int bad;

		sbuf_addf(&rel, "out/%s", *od);
		bad = clean_temps(r, rel.data, 0, d) < 0;
		sbuf_free(&rel);
		if (bad)
			goto out;
	}
	/* Killed runs: what they could not say, and their reports. */
	free(ids);
	n = journal_ids(r, "SELECT id FROM spool_run WHERE reported = 0"
	    " ORDER BY id", &ids, d);
	if (n < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (say_run(r, ids[i], d) < 0 ||
		    write_report(r, ids[i], d) < 0)
			goto out;
	rc = 0;
out:
	free(ids);
	return rc;
}

/* ---- one input ------------------------------------------------------- */

int
spool_job_fd(struct spool_job *job, struct diag *d)
{
	int fd = open(job->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);
	struct stat a, b;

	if (fd < 0) {
		diag_set(d, job->name, 0, 0, "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &a) != 0 || fstat(job->fd, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		diag_set(d, job->name, 0, 0, "changed while being read");
		close(fd);
		return -1;
	}
	return fd;
}

const char *
spool_job_name(const struct spool_job *job)
{
	return job->name;
}

const char *
spool_job_filed(const struct spool_job *job)
{
	return job->filed;
}

const char *
spool_job_sha256(const struct spool_job *job)
{
	return job->sha;
}

sqlite3 *
spool_job_db(struct spool_job *job)
{
	return job->run->db;
}

void
spool_job_set_format(struct spool_job *job, const char *format)
{
	free(job->format);
	job->format = xstrdup(format);
}

void
spool_job_count(struct spool_job *job, const char *what, long n,
    int has_cents, int64_t cents)
{
	size_t i;

	for (i = 0; i < job->ncounts; i++)
		if (strcmp(job->counts[i].what, what) == 0)
			break;
	if (i == job->ncounts) {
		job->counts = xrealloc(job->counts,
		    (job->ncounts + 1) * sizeof *job->counts);
		job->counts[i].what = xstrdup(what);
		job->counts[i].n = 0;
		job->counts[i].has_cents = 0;
		job->counts[i].cents = 0;
		job->ncounts++;
	}
	job->counts[i].n += n;
	if (has_cents) {
		job->counts[i].has_cents = 1;
		job->counts[i].cents += cents;
	}
}

void
spool_job_note(struct spool_job *job, const char *kind,
    const char *const *fields, size_t nfields)
{
	struct recout w;
	struct note *n;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = xmemstream(&buf, &len);

	rec_out_init(&w, fp);
	for (i = 0; i < nfields; i++)
		rec_str(&w, fields[i]);
	rec_flush(&w);
	xmemstream_close(fp, &buf, &len, 0);
	job->notes = xrealloc(job->notes, (job->nnotes + 1) *
	    sizeof *job->notes);
	n = &job->notes[job->nnotes++];
	n->kind = xstrdup(kind);
	n->line = buf;
}

FILE *
spool_job_output(struct spool_job *job, const char *dir, const char *name,
    struct diag *d)
{
	return spool_job_output_held(job, dir, name, NULL, d);
}

FILE *
spool_job_output_held(struct spool_job *job, const char *dir,
    const char *name, const char *hold, struct diag *d)
{
	struct staged *s;
	const char *const *od;
	char *path;
	int fd;

	for (od = spool_out_dirs; *od; od++)
		if (strcmp(*od, dir) == 0)
			break;
	if (*od == NULL || strcmp(dir, "reports") == 0 ||
	    name[0] == '\0' || name[0] == '.' || strchr(name, '/')) {
		diag_set(d, name, 0, 0, "not an output name: out/%s/%s", dir,
		    name);
		return NULL;
	}
	if (job->dry) {
		/* nothing is staged: the output is shown, then thrown away */
		job->out = xrealloc(job->out, (job->nout + 1) *
		    sizeof *job->out);
		s = &job->out[job->nout++];
		s->path = NULL;
		s->dir = xstrdup(dir);
		s->name = xstrdup(name);
		s->hold = NULL;
		s->buf = NULL;
		if ((s->fp = tmpfile()) == NULL) {
			diag_set(d, "temporary file", 0, 0, "cannot create: "
			    "%s", strerror(errno));
			return NULL;
		}
		return s->fp;
	}
	if (hold != NULL && job->release) {
		diag_set(d, name, 0, 0, "a release's output cannot be held");
		return NULL;
	}
	path = path_of(job->run, "state/staging/%s%lld.%zu",
	    job->release ? "r" : "", job->id, job->nout + 1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		diag_set(d, path, 0, 0, "cannot create: %s", strerror(errno));
		free(path);
		return NULL;
	}
	job->out = xrealloc(job->out, (job->nout + 1) * sizeof *job->out);
	s = &job->out[job->nout++];
	s->path = path;
	s->dir = xstrdup(dir);
	s->name = xstrdup(name);
	s->hold = hold != NULL ? xstrdup(hold) : NULL;
	s->fp = fdopen(fd, "w");
	if (s->fp == NULL)
		oom(BUFSIZ);	/* fdopen fails only for want of memory */
	/* written in 64 KiB pieces, not stdio's 4 KiB */
	s->buf = xmalloc(STAGED_BUFSZ);
	setvbuf(s->fp, s->buf, _IOFBF, STAGED_BUFSZ);
	return s->fp;
}

/* Close s's file (if open) and free its buffer: fclose's result. */
static int
staged_close(struct staged *s)
{
	int r = 0;

	if (s->fp != NULL)
		r = fclose(s->fp);
	s->fp = NULL;
	free(s->buf);
	s->buf = NULL;
	return r;
}

static void
job_free(struct spool_job *job)
{
	size_t i;

	for (i = 0; i < job->ncounts; i++)
		free(job->counts[i].what);
	free(job->counts);
	for (i = 0; i < job->nnotes; i++) {
		free(job->notes[i].kind);
		free(job->notes[i].line);
	}
	free(job->notes);
	for (i = 0; i < job->nout; i++) {
		staged_close(&job->out[i]);
		free(job->out[i].path);
		free(job->out[i].dir);
		free(job->out[i].name);
		free(job->out[i].hold);
	}
	free(job->out);
	free(job->format);
	free(job->name);
	free(job->path);
	free(job->filed);
	if (job->fd >= 0)
		close(job->fd);
}

/* Throw the staged outputs away (the transaction did not happen). */
static void
job_discard_outputs(struct spool_job *job)
{
	size_t i;

	for (i = 0; i < job->nout; i++) {
		staged_close(&job->out[i]);
		unlink(job->out[i].path);
		free(job->out[i].path);
		free(job->out[i].dir);
		free(job->out[i].name);
		free(job->out[i].hold);
	}
	job->nout = 0;
}

/* Outputs complete on disk before the commit that makes them due. */
static int
job_close_outputs(struct spool_job *job, struct diag *d)
{
	size_t i;
	char *dir;
	int rc = 0;

	for (i = 0; i < job->nout; i++) {
		FILE *fp = job->out[i].fp;

		if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0) {
			diag_set(d, job->out[i].path, 0, 0, "write error: %s",
			    strerror(errno ? errno : EIO));
			staged_close(&job->out[i]);
			return -1;
		}
		if (staged_close(&job->out[i]) != 0) {
			diag_set(d, job->out[i].path, 0, 0, "write error: %s",
			    strerror(errno));
			return -1;
		}
	}
	if (job->nout > 0) {
		dir = path_of(job->run, "state/staging");
		rc = fsync_dir(dir, d);
		free(dir);
	}
	return rc;
}

/* The name in out/DIR/ for output i of job: free in the directory and
 * not taken by an earlier output of the same input (two outputs with one
 * wanted name).  Relative to the root, malloc'ed; NULL with d. */
static char *
output_dest(struct run *r, struct spool_job *job, size_t i, struct diag *d)
{
	struct sbuf dir = SBUF_INIT;
	char *dest;
	size_t j;
	int clash;

	sbuf_addf(&dir, "out/%s", job->out[i].dir);
	dest = free_name(r, dir.data, job->out[i].name, 0, d);
	do {
		clash = 0;
		for (j = 0; dest != NULL && j < i; j++)
			clash |= strcmp(job->out[j].name, dest) == 0;
		if (clash) {
			char *base = xstrdup(dest + dir.len + 1);
			struct sbuf alt = SBUF_INIT;

			sbuf_addf(&alt, "%s.%zu", base, i);
			free(dest);
			dest = free_name(r, dir.data, alt.data, 0, d);
			sbuf_free(&alt);
			free(base);
		}
	} while (clash);
	sbuf_free(&dir);
	return dest;
}

static int
journal_outputs(struct run *r, struct spool_job *job, struct diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = db_prepare(r->db, job->release ? "INSERT INTO"
	    " spool_release_output (release, seq, staged, dest) VALUES"
	    " (?1, ?2, ?3, ?4)" : "INSERT INTO spool_output (input, seq,"
	    " staged, dest, hold) VALUES (?1, ?2, ?3, ?4, ?5)", d);
	if (st == NULL)
		return -1;
	for (i = 0; i < job->nout && rc == 0; i++) {
		char *dest = output_dest(r, job, i, d);

		if (dest == NULL) {
			rc = -1;
			break;
		}
		/* Keep the chosen relative name for output_dest(). */
		free(job->out[i].name);
		job->out[i].name = dest;
		sqlite3_bind_int64(st, 1, job->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		db_bind_copy(st, 3, job->out[i].path + strlen(r->o->root) + 1);
		db_bind_copy(st, 4, dest);
		if (!job->release && job->out[i].hold != NULL)
			sqlite3_bind_text(st, 5, job->out[i].hold, -1,
			    SQLITE_STATIC);
		rc = db_done(st, d, "journal output");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
journal_counts(struct run *r, struct spool_job *job, struct diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = db_prepare(r->db, "INSERT INTO spool_count (input, what, n,"
	    " cents) VALUES (?, ?, ?, ?)", d);
	if (st == NULL)
		return -1;
	for (i = 0; i < job->ncounts && rc == 0; i++) {
		sqlite3_bind_int64(st, 1, job->id);
		sqlite3_bind_text(st, 2, job->counts[i].what, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, job->counts[i].n);
		if (job->counts[i].has_cents)
			sqlite3_bind_int64(st, 4, job->counts[i].cents);
		rc = db_done(st, d, "journal counts");
	}
	sqlite3_finalize(st);
	return rc;
}

static int
journal_notes(struct run *r, struct spool_job *job, struct diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = db_prepare(r->db, "INSERT INTO spool_note (input, seq, kind,"
	    " line) VALUES (?, ?, ?, ?)", d);
	if (st == NULL)
		return -1;
	for (i = 0; i < job->nnotes && rc == 0; i++) {
		sqlite3_bind_int64(st, 1, job->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, job->notes[i].kind, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 4, job->notes[i].line, -1,
		    SQLITE_STATIC);
		rc = db_done(st, d, "journal notes");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Journal the outputs, counts and notes of an accepted input. */
static int
job_journal(struct run *r, struct spool_job *job, struct diag *d)
{
	if (journal_outputs(r, job, d) < 0 || journal_counts(r, job, d) < 0 ||
	    journal_notes(r, job, d) < 0)
		return -1;
	return 0;
}

/*
 * Why an entry in work/ cannot be read as an input, or NULL.  st is its
 * lstat.
 */
static const char *
refusal(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return "a symbolic link, not a file; not followed";
	if (S_ISDIR(st->st_mode))
		return "a directory, not a file";
	if (S_ISFIFO(st->st_mode))
		return "a named pipe, not a file";
	if (S_ISSOCK(st->st_mode))
		return "a socket, not a file";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "a device, not a file";
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (st->st_nlink != 1)
		return "a file with other hard links; it may be a file from "
		    "outside the spool";
	return NULL;
}

/* Open and hash a regular file in work/.  NULL on success, else why it
 * is refused; -1 in *syserr on a system error (d filled). */
static const char *
open_and_hash(struct spool_job *job, int *syserr, struct diag *d)
{
	struct stat ls, fs;
	const char *why;
	off_t off = 0;

	*syserr = 0;
	if (lstat(job->path, &ls) != 0) {
		diag_set(d, job->path, 0, 0, "%s", strerror(errno));
		*syserr = -1;
		return NULL;
	}
	if ((why = refusal(&ls)) != NULL)
		return why;
	job->fd = open(job->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC);
	if (job->fd < 0) {
		if (errno == ELOOP)
			return "a symbolic link, not a file; not followed";
		diag_set(d, job->path, 0, 0, "cannot open: %s",
		    strerror(errno));
		*syserr = -1;
		return NULL;
	}
	if (fstat(job->fd, &fs) != 0) {
		diag_set(d, job->path, 0, 0, "%s", strerror(errno));
		*syserr = -1;
		return NULL;
	}
	if ((why = refusal(&fs)) != NULL)
		return why;
	if (fs.st_dev != ls.st_dev || fs.st_ino != ls.st_ino)
		return "replaced while being opened";
	if (sha256_fd(job->fd, job->sha, &off) < 0) {
		diag_set(d, job->name, 0, 0, "read error: %s",
		    strerror(errno));
		*syserr = -1;
		return NULL;
	}
	job->size = (long long)off;
	return NULL;
}

static long long
first_processed(struct run *r, const char *sha, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "SELECT coalesce(min(id), 0)"
	    " FROM spool_input WHERE sha256 = ? AND outcome = 'processed'", d);
	long long id = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	/* An error is never "not seen before". */
	switch (db_step(st, d, "look up earlier inputs")) {
	case 1:
		id = sqlite3_column_int64(st, 0);
		break;
	case 0:
		diag_set(d, db_path(r->db), 0, 0, "look up earlier inputs: "
		    "no row");
		break;
	}
	sqlite3_finalize(st);
	return id;
}

static void
add_rejected(struct run *r, const char *name, const char *outcome,
    const char *where, const char *error)
{
	struct spool_result *res = r->res;
	struct spool_rejected *x;

	res->rej = xrealloc(res->rej, (res->nrej + 1) * sizeof *res->rej);
	x = &res->rej[res->nrej++];
	x->name = xstrdup(name);
	x->outcome = strcmp(outcome, "refused") == 0 ? "refused" : "rejected";
	x->where = xstrdup(where);
	x->error = xstrdup(error);
}

/* Journal a new input (inside the run's transaction), as "processing";
 * its claim ends here.  why: the refusal, or NULL. */
static int
journal_input(struct run *r, struct spool_job *job, const char *why,
    struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "INSERT INTO spool_input (run,"
	    " name, sha256, size, outcome, dest)"
	    " VALUES (?, ?, ?, ?, 'processing', '')", d);

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, r->run_id);
		sqlite3_bind_blob(st, 2, job->name, (int)strlen(job->name),
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, why ? "" : job->sha, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, why ? 0 : job->size);
	}
	if (db_finish(st, d, "journal input") < 0)
		return -1;
	job->id = sqlite3_last_insert_rowid(r->db);
	return claim_drop(r, job->name, d);
}

/* Run the process callback on a new input inside a savepoint: "processed"
 * (its outputs closed and journalled) or "rejected" (its changes and
 * outputs thrown away, *error set).  NULL on a system error. */
static const char *
job_process(struct run *r, struct spool_job *job, char **error,
    struct diag *d)
{
	struct diag pd;
	int prc;

	if (db_exec(r->db, "SAVEPOINT job", d) < 0)
		return NULL;
	memset(&pd, 0, sizeof pd);
	prc = r->o->process(r->o->arg, job, &pd);
	if (prc == SPOOL_SYSERR) {
		*d = pd;
		return NULL;
	}
	if (prc == SPOOL_OK) {
		if (job_close_outputs(job, d) < 0 ||
		    db_exec(r->db, "RELEASE job", d) < 0 ||
		    job_journal(r, job, d) < 0)
			return NULL;
		return "processed";
	}
	if (db_exec(r->db, "ROLLBACK TO job", d) < 0 ||
	    db_exec(r->db, "RELEASE job", d) < 0)
		return NULL;
	job_discard_outputs(job);
	*error = diag_text(&pd, 0);
	return "rejected";
}

/* The outcome of the journalled input: refused, duplicate (*first set),
 * or what job_process() says.  NULL on a system error. */
static const char *
job_decide(struct run *r, struct spool_job *job, const char *why,
    long long *first, char **error, struct diag *d)
{
	struct diag pd;

	if (why != NULL) {
		diag_set(&pd, job->name, 0, 0, "refused: %s", why);
		*error = diag_text(&pd, 0);
		return "refused";
	}
	if ((*first = first_processed(r, job->sha, d)) < 0)
		return NULL;
	if (*first > 0)
		return "duplicate";
	return job_process(r, job, error, d);
}

/* Its place: failed/NAME (with NAME.error) or done/DAY/NAME. */
static char *
job_dest(struct run *r, const char *name, int failed, struct diag *d)
{
	struct sbuf dir = SBUF_INIT;
	char *dest;

	if (failed)
		return free_name(r, "failed", name, 1, d);
	sbuf_addf(&dir, "done/%s", r->day);
	dest = free_name(r, dir.data, name, 0, d);
	sbuf_free(&dir);
	return dest;
}

static int
journal_outcome(struct run *r, struct spool_job *job, const char *outcome,
    const char *dest, const char *error, long long first, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(r->db, "UPDATE spool_input SET"
	    " outcome = ?, dest = ?, error = ?, format = ?, first = ?"
	    " WHERE id = ?", d);

	if (st != NULL) {
		sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, dest, -1, SQLITE_STATIC);
		if (error)
			sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, job->format, -1, SQLITE_STATIC);
		if (first > 0)
			sqlite3_bind_int64(st, 5, first);
		sqlite3_bind_int64(st, 6, job->id);
	}
	return db_finish(st, d, "journal outcome");
}

static void
count_outcome(struct spool_result *res, const char *outcome)
{
	if (strcmp(outcome, "processed") == 0)
		res->processed++;
	else if (strcmp(outcome, "duplicate") == 0)
		res->duplicates++;
	else if (strcmp(outcome, "refused") == 0)
		res->refused++;
	else
		res->rejected++;
}

/*
 * Process work/NAME: one transaction decides its outcome and journals its
 * outputs; filing follows.
 */
static int
process_one(struct run *r, const char *name, struct diag *d)
{
	struct spool_job job;
	const char *why, *outcome;
	char *error = NULL, *dest = NULL;
	long long first = 0;
	int sys, in_tx = 0, rc = -1;

	memset(&job, 0, sizeof job);
	job.run = r;
	job.fd = -1;
	job.name = xstrdup(name);
	job.path = path_of(r, "work/%s", name);
	job.format = xstrdup("");
	why = open_and_hash(&job, &sys, d);
	if (sys < 0 || run_row(r, d) < 0 ||
	    db_exec(r->db, "BEGIN IMMEDIATE", d) < 0)
		goto out;
	in_tx = 1;
	/* Where a processed input goes is chosen before it is processed,
	 * so that its outputs can name it; nothing else writes into done/
	 * while the lock is held. */
	if (why == NULL && (job.filed = job_dest(r, name, 0, d)) == NULL)
		goto out;
	if (journal_input(r, &job, why, d) < 0 ||
	    (outcome = job_decide(r, &job, why, &first, &error, d)) == NULL ||
	    (dest = error == NULL && job.filed != NULL ? xstrdup(job.filed) :
	    job_dest(r, name, error != NULL, d)) == NULL ||
	    journal_outcome(r, &job, outcome, dest, error, first, d) < 0 ||
	    db_exec(r->db, "COMMIT", d) < 0)
		goto out;
	in_tx = 0;
	step(r);
	count_outcome(r->res, outcome);
	if (r->o->accepted != NULL && strcmp(outcome, "processed") == 0)
		r->o->accepted(r->o->arg);
	if (file_input(r, job.id, d) < 0)
		goto out;
	/* Listed only once it is where the list says. */
	if (error)
		add_rejected(r, name, outcome, dest, error);
	rc = 0;
out:
	if (in_tx) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		job_discard_outputs(&job);
	}
	free(error);
	free(dest);
	job_free(&job);
	return rc;
}

/* ---- releasing held outputs -------------------------------------------- */

/*
 * After the inputs: what o->release_key says is due is released.  One
 * transaction journals the release, runs o->release (which writes what
 * must come before the held outputs, as the release's own staged
 * outputs, and makes its changes to the ledger) and commits; filing
 * follows (file_release()).  A killed run leaves either nothing (the
 * next run releases the same hold again) or a committed release that
 * recovery files.
 */
static int
release_held(struct run *r, struct diag *d)
{
	struct spool_job job;
	struct sbuf hold = SBUF_INIT;
	sqlite3_stmt *st;
	int in_tx = 0, rc = -1, due;

	memset(&job, 0, sizeof job);
	job.run = r;
	job.fd = -1;
	job.release = 1;
	job.format = xstrdup("");
	if (r->o->release_key == NULL || r->o->release == NULL) {
		rc = 0;
		goto out;
	}
	if ((due = r->o->release_key(r->o->arg, &hold, d)) <= 0) {
		rc = due;
		goto out;
	}
	job.name = xstrdup(hold.data);
	if (run_row(r, d) < 0 || db_exec(r->db, "BEGIN IMMEDIATE", d) < 0)
		goto out;
	in_tx = 1;
	st = db_prepare(r->db, "INSERT INTO spool_release (run, hold)"
	    " VALUES (?, ?)", d);
	if (st != NULL) {
		sqlite3_bind_int64(st, 1, r->run_id);
		sqlite3_bind_text(st, 2, hold.data, -1, SQLITE_STATIC);
	}
	if (db_finish(st, d, "journal release") < 0)
		goto out;
	job.id = sqlite3_last_insert_rowid(r->db);
	if (r->o->release(r->o->arg, &job, d) != SPOOL_OK ||
	    job_close_outputs(&job, d) < 0 || journal_outputs(r, &job, d) < 0 ||
	    db_exec(r->db, "COMMIT", d) < 0)
		goto out;
	in_tx = 0;
	step(r);
	rc = file_release(r, job.id, d);
out:
	if (in_tx) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		job_discard_outputs(&job);
	}
	sbuf_free(&hold);
	job_free(&job);
	return rc;
}

/* ---- the run ----------------------------------------------------------- */

static int
make_layout(struct run *r, struct diag *d)
{
	static const char *const dirs[] = {
		"in", "work", "done", "failed", "out", "state",
		"state/staging", NULL
	};
	const char *const *p;
	char *path;
	int rc;

	for (p = dirs; *p; p++) {
		path = path_of(r, "%s", *p);
		rc = ensure_dir(path, d);
		free(path);
		if (rc < 0)
			return -1;
	}
	for (p = spool_out_dirs; *p; p++) {
		path = path_of(r, "out/%s", *p);
		rc = ensure_dir(path, d);
		free(path);
		if (rc < 0)
			return -1;
	}
	path = path_of(r, "done/%s", r->day);
	rc = ensure_dir(path, d);
	free(path);
	return rc;
}

/* Every directory this run writes to must take a new file now, before
 * anything is claimed. */
static int
probe_layout(struct run *r, struct diag *d)
{
	const char *const *p;
	char *path;
	int rc = 0;

	char *staging = path_of(r, "state/staging");

	path = path_of(r, "done/%s", r->day);
	rc = probe_dir(path, staging, d);
	free(path);
	for (p = spool_out_dirs; rc == 0 && *p; p++) {
		path = path_of(r, "out/%s", *p);
		rc = probe_dir(path, staging, d);
		free(path);
	}
	if (rc == 0) {
		static const char *const more[] = {
			"work", "failed", "state/staging", NULL
		};

		for (p = more; rc == 0 && *p; p++) {
			path = path_of(r, "%s", *p);
			rc = probe_dir(path, strcmp(*p, "state/staging") == 0 ?
			    NULL : staging, d);
			free(path);
		}
	}
	free(staging);
	return rc;
}

static int
take_lock(struct run *r, struct diag *d)
{
	char *path = path_of(r, "state/lock");
	int rc = SPOOL_SYSERR;

	r->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (r->lockfd < 0) {
		diag_set(d, path, 0, 0, "cannot open the lock: %s",
		    strerror(errno));
		goto out;
	}
	if (flock(r->lockfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			diag_set(d, r->o->root, 0, 0, "another run holds the "
			    "lock (state/lock); nothing done");
			rc = SPOOL_LOCKED;
		} else
			diag_set(d, path, 0, 0, "cannot lock: %s",
			    strerror(errno));
		goto out;
	}
	/* state/lock can be deleted under a run that holds it, and the
	 * next run would lock a new file: state/ itself is locked too,
	 * which cannot go while it holds the ledger.  A file system
	 * without locks on directories (some network ones) keeps the
	 * file's lock alone. */
	free(path);
	path = path_of(r, "state");
	r->dirlockfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (r->dirlockfd >= 0 && flock(r->dirlockfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			diag_set(d, r->o->root, 0, 0, "another run holds the "
			    "lock (state/, its state/lock deleted); nothing "
			    "done");
			rc = SPOOL_LOCKED;
			goto out;
		}
		close(r->dirlockfd);
		r->dirlockfd = -1;
	}
	rc = SPOOL_OK;
out:
	free(path);
	return rc;
}

/* Is a regular file in in/ settled: unchanged (content and status) for
 * settle seconds? */
static int
settled(struct run *r, const struct stat *st)
{
	struct timespec now;
	time_t last;

	if (r->o->settle <= 0)
		return 1;
	clock_gettime(CLOCK_REALTIME, &now);
	last = st->st_mtim.tv_sec > st->st_ctim.tv_sec ? st->st_mtim.tv_sec :
	    st->st_ctim.tv_sec;
	return now.tv_sec - last >= r->o->settle;
}

/* How long an upload may take before every run says it is stuck. */
#define SPOOL_STALLED_SECONDS 3600

/* An upload in progress (in/NAME.part, ...) that has not changed for an
 * hour, or a file still changing an hour after it appeared (statx(2)
 * birth time, where the file system keeps one): said as a warning, as
 * something to look at; the file is left alone as before. */
static void
check_stalled(struct run *r, const char *name)
{
	struct statx sx;
	struct timespec now;
	char *path = path_of(r, "in/%s", name);
	int upload = ignored_name(name);

	clock_gettime(CLOCK_REALTIME, &now);
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS |
	    STATX_BTIME, &sx) == 0 && S_ISREG(sx.stx_mode)) {
		if (upload && now.tv_sec - sx.stx_mtime.tv_sec >=
		    SPOOL_STALLED_SECONDS)
			add_warning(r, "in/%s: an upload not finished and not "
			    "changed for more than an hour; stalled?", name);
		else if (!upload && (sx.stx_mask & STATX_BTIME) &&
		    now.tv_sec - sx.stx_btime.tv_sec >= SPOOL_STALLED_SECONDS)
			add_warning(r, "in/%s: still being written more than "
			    "an hour after it appeared; left for later", name);
	}
	free(path);
}

/* Claims whose rename into work/ never happened. */
static int
drop_stale_claims(struct run *r, struct diag *d)
{
	sqlite3_stmt *st;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc, there;

	st = db_prepare(r->db, "SELECT name FROM spool_claim", d);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st, d, "read claims")) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrndup(sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
	}
	sqlite3_finalize(st);
	for (i = 0; i < n && rc == 0; i++) {
		char *p = path_of(r, "work/%s", names[i]);

		there = path_state(p, d);
		free(p);
		if (there < 0)
			rc = -1;
		else if (there == 0)
			rc = claim_drop(r, names[i], d);
	}
	free_names(names, (long)n);
	return rc;
}

/* The entries of work/ that a killed run claimed are processed first;
 * any other entry there is a stray and is left alone. */
static int
drain_work(struct run *r, struct diag *d)
{
	char *dir = path_of(r, "work");
	char **names;
	long n, i;
	int rc = 0, known;

	if (drop_stale_claims(r, d) < 0) {
		free(dir);
		return -1;
	}
	n = list_dir(dir, 0, &names, d);
	free(dir);
	if (n < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if ((known = claim_known(r, names[i], d)) < 0)
			rc = -1;
		else if (known == 0)
			rc = stray(r, names[i], d);
		else {
			logf_(r, "%s: left in work/ by an earlier run",
			    names[i]);
			rc = process_one(r, names[i], d);
		}
	}
	free_names(names, n);
	return rc;
}

/* The n names of in/ in the order a run takes them: byte order (as
 * list_dir() gave it), except that the bank files before the last input
 * the bank files wait for (o->input_kind) come right after it
 * (formats/spool.md "Order").  Only regular files with one link are
 * asked about: anything else is never opened. */
static void
order_inputs(struct run *r, char **names, long n)
{
	char **v;
	unsigned char *kind;
	long i, k = 0, last = -1;

	if (r->o->input_kind == NULL || n < 2)
		return;
	kind = xcalloc((size_t)n, 1);
	for (i = 0; i < n; i++) {
		char *p = path_of(r, "in/%s", names[i]);
		struct stat st;

		if (!ignored_name(names[i]) && lstat(p, &st) == 0 &&
		    S_ISREG(st.st_mode) && st.st_nlink == 1)
			kind[i] = (unsigned char)r->o->input_kind(r->o->arg, p);
		if (kind[i] == SPOOL_WAITED_FOR)
			last = i;
		free(p);
	}
	v = xcalloc((size_t)n, sizeof *v);
	for (i = 0; i <= last; i++)
		if (kind[i] != SPOOL_BANK_FILE)
			v[k++] = names[i];
	for (i = 0; i < last; i++)
		if (kind[i] == SPOOL_BANK_FILE)
			v[k++] = names[i];
	for (i = last + 1; i < n; i++)
		v[k++] = names[i];
	memcpy(names, v, (size_t)n * sizeof *v);
	free(v);
	free(kind);
}

/* Tell o->next_input of the entry of in/ that is to come after
 * names[i]: the next one that is not ignored and is a settled regular
 * file with one link, or none. */
static void
announce_next(struct run *r, char **names, long n, long i)
{
	long j;

	if (r->o->next_input == NULL)
		return;
	for (j = i + 1; j < n; j++) {
		char *p;
		struct stat st;
		int ok;

		if (ignored_name(names[j]))
			continue;
		p = path_of(r, "in/%s", names[j]);
		ok = lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink == 1 && settled(r, &st);
		if (ok)
			r->o->next_input(r->o->arg, names[j], p, &st);
		free(p);
		if (ok)
			return;
	}
	r->o->next_input(r->o->arg, NULL, NULL, NULL);
}

static int
claim_all(struct run *r, struct diag *d)
{
	char *indir = path_of(r, "in");
	char **names;
	long n, i;
	int rc = 0;

	n = list_dir(indir, 1, &names, d);
	if (n < 0) {
		free(indir);
		return -1;
	}
	order_inputs(r, names, n);
	for (i = 0; i < n && rc == 0; i++) {
		char *from, *to;
		struct stat st;
		int there;

		if (ignored_name(names[i])) {
			check_stalled(r, names[i]);
			continue;
		}
		from = path_of(r, "in/%s", names[i]);
		to = path_of(r, "work/%s", names[i]);
		if (lstat(from, &st) != 0) {
			/* Taken away by its sender meanwhile. */
		} else if (S_ISREG(st.st_mode) && !settled(r, &st)) {
			r->res->waiting++;
			check_stalled(r, names[i]);
			logf_(r, "%s: still being written; left for later",
			    names[i]);
		} else if ((there = path_state(to, d)) != 0) {
			/* A stray of that name (reported by drain_work()):
			 * a claim now would make it look claimed. */
			if (there < 0)
				rc = -1;
			else
				add_warning(r, "in/%s: not claimed: work/%s "
				    "is in the way", names[i], names[i]);
		} else if ((rc = claim_add(r, names[i], d)) == 0) {
			step(r);
			if (renameat2(AT_FDCWD, from, AT_FDCWD, to,
			    RENAME_NOREPLACE) != 0) {
				int err = errno;

				/* The claim is void: nothing was moved. */
				rc = claim_drop(r, names[i], d);
				if (rc == 0 && err != ENOENT) {
					diag_set(d, to, 0, 0, "cannot claim: "
					    "%s", strerror(err));
					rc = -1;
				}
			} else {
				step(r);
				logf_(r, "%s: claimed", names[i]);
				rc = fsync_dir(indir, d);
				if (rc == 0) {
					announce_next(r, names, n, i);
					rc = process_one(r, names[i], d);
				}
			}
		}
		free(from);
		free(to);
	}
	free_names(names, n);
	free(indir);
	return rc;
}

/*
 * Is the root one to build a spool in?  Not an empty name, not / (also
 * not a name that resolves to it); and, unless o->init, it must look like
 * a spool already: an in/ directory (operators create SPOOL/in and drop
 * files; the rest is made by the run) or a state/ledger.db.  Nothing is
 * created here but, with o->init, the root itself when it does not
 * exist (its parent must).  SPOOL_OK, SPOOL_NOTSPOOL or SPOOL_SYSERR,
 * with d.
 */
static int
check_root(struct run *r, struct diag *d)
{
	const char *root = r->o->root;
	struct stat st;
	char *real, *in, *db;
	int rc = SPOOL_NOTSPOOL, a, b;

	if (root == NULL || *root == '\0') {
		diag_set(d, "SPOOL", 0, 0, "empty; the spool directory must "
		    "be named");
		return SPOOL_NOTSPOOL;
	}
	/* --init makes the spool's own directory, not its parents: a
	 * mistyped path is said, not built */
	if (r->o->init && lstat(root, &st) != 0 && errno == ENOENT &&
	    mkdir(root, 0777) != 0) {
		if (errno == ENOENT) {
			diag_set(d, root, 0, 0, "cannot create the spool "
			    "directory: its parent does not exist");
			return SPOOL_NOTSPOOL;
		}
		diag_set(d, root, 0, 0, "cannot create the spool directory: "
		    "%s", strerror(errno));
		return SPOOL_SYSERR;
	}
	if ((real = realpath(root, NULL)) == NULL) {
		if (errno == ENOENT) {
			diag_set(d, root, 0, 0, "no such directory; use "
			    "--init to create a spool there");
			return SPOOL_SYSERR;
		}
		diag_set(d, root, 0, 0, "%s", strerror(errno));
		return SPOOL_SYSERR;
	}
	a = strcmp(real, "/") == 0;
	free(real);
	if (a) {
		diag_set(d, root, 0, 0, "resolves to the root directory /; "
		    "not a spool");
		return SPOOL_NOTSPOOL;
	}
	if (stat(root, &st) != 0) {
		diag_set(d, root, 0, 0, "%s", strerror(errno));
		return SPOOL_SYSERR;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_set(d, root, 0, 0, "not a directory");
		return SPOOL_SYSERR;
	}
	if (r->o->init)
		return SPOOL_OK;
	in = path_of(r, "in");
	db = path_of(r, "state/ledger.db");
	/* A link named in/ counts; make_layout() then refuses it. */
	if (lstat(in, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
		rc = SPOOL_OK;
	else if ((a = path_state(in, d)) < 0 || (b = path_state(db, d)) < 0)
		rc = SPOOL_SYSERR;
	else if (b == 1)
		rc = SPOOL_OK;
	else
		diag_set(d, root, 0, 0, "not a spool (no in/ or "
		    "state/ledger.db); use --init to create one");
	free(in);
	free(db);
	return rc;
}

/* A run of o, its results into res (both cleared). */
static void
run_init(struct run *r, const struct spool_opts *o, struct spool_result *res)
{
	memset(res, 0, sizeof *res);
	memset(r, 0, sizeof *r);
	r->o = o;
	r->res = res;
	r->lockfd = -1;
	r->dirlockfd = -1;
	date_format(o->today, r->day);
}

int
spool_run(const struct spool_opts *o, struct spool_result *res,
    struct diag *d)
{
	struct run r;
	int rc = SPOOL_SYSERR;

	run_init(&r, o, res);
	r.crash_after = env_long("RESKONTRA_CRASH_AFTER");
	r.step_delay_ms = env_long("RESKONTRA_STEP_DELAY_MS");

	if ((rc = check_root(&r, d)) != SPOOL_OK)
		goto out;
	rc = SPOOL_SYSERR;
	if (make_layout(&r, d) < 0)
		goto out;
	if ((rc = take_lock(&r, d)) != SPOOL_OK)
		goto out;
	res->opened = 1;
	rc = SPOOL_SYSERR;
	step(&r);
	if (journal_open(&r, d) < 0 || recover(&r, d) < 0 ||
	    probe_layout(&r, d) < 0)
		goto out;
	if (drain_work(&r, d) < 0 || claim_all(&r, d) < 0 ||
	    release_held(&r, d) < 0)
		goto out;
	if (o->finish != NULL) {
		if (o->finish(o->arg, (struct spool_finish *)&r, d) < 0)
			goto out;
		step(&r);
	}
	if ((r.run_id > 0 && write_report(&r, r.run_id, d) < 0) ||
	    say_and_mark(&r, d) < 0)
		goto out;
	rc = SPOOL_OK;
out:
	free(r.unsaid);
	if (r.db && r.own_db)
		db_close(r.db);
	else if (r.db && o->close_db)
		o->close_db(o->arg);
	if (r.lockfd >= 0)
		close(r.lockfd);
	if (r.dirlockfd >= 0)
		close(r.dirlockfd);
	return rc;
}

/* ---- a dry run ---------------------------------------------------------- */

/* What a run would do with in/NAME: its outcome, where it would be
 * filed, the outputs it would write (shown through o->dry_show), inside
 * a transaction that is rolled back. */
static int
dry_one(struct run *r, const char *name, struct diag *d)
{
	struct spool_job job;
	struct spool_dry_output *outs = NULL;
	struct diag pd;
	const char *why, *outcome = "processed";
	char *error = NULL, *where = NULL;
	long long first;
	size_t i;
	int sys, prc, rc = -1, in_tx = 0;

	memset(&job, 0, sizeof job);
	job.run = r;
	job.fd = -1;
	job.dry = 1;
	job.name = xstrdup(name);
	job.path = path_of(r, "in/%s", name);
	job.format = xstrdup("");
	why = open_and_hash(&job, &sys, d);
	if (sys < 0)
		goto out;
	if (why != NULL) {
		outcome = "refused";
		error = xstrdup(why);
	} else if ((first = first_processed(r, job.sha, d)) < 0)
		goto out;
	else if (first > 0)
		outcome = "duplicate";
	else {
		if ((job.filed = job_dest(r, name, 0, d)) == NULL ||
		    db_exec(r->db, "BEGIN IMMEDIATE", d) < 0)
			goto out;
		in_tx = 1;
		memset(&pd, 0, sizeof pd);
		prc = r->o->process(r->o->arg, &job, &pd);
		if (prc == SPOOL_SYSERR) {
			*d = pd;
			goto out;
		}
		if (prc != SPOOL_OK) {
			outcome = "rejected";
			error = diag_text(&pd, 0);
		}
	}
	if ((where = job_dest(r, name, error != NULL, d)) == NULL)
		goto out;
	if (error == NULL) {
		outs = xcalloc(job.nout + 1, sizeof *outs);
		for (i = 0; i < job.nout; i++) {
			outs[i].dest = output_dest(r, &job, i, d);
			if (outs[i].dest == NULL)
				goto out;
			/* output_dest() reads the names chosen so far */
			free(job.out[i].name);
			job.out[i].name = xstrdup(outs[i].dest);
			outs[i].fp = job.out[i].fp;
			if (fflush(outs[i].fp) != 0 || ferror(outs[i].fp)) {
				diag_set(d, "temporary file", 0, 0, "write "
				    "error");
				goto out;
			}
			rewind(outs[i].fp);
		}
	}
	r->o->dry_show(r->o->arg, name, outcome, where, error, outs,
	    error == NULL ? job.nout : 0);
	rc = 0;
out:
	if (in_tx)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	if (outs != NULL)
		for (i = 0; i < job.nout; i++)
			free(outs[i].dest);
	free(outs);
	free(error);
	free(where);
	job_free(&job);
	return rc;
}

int
spool_dry_run(const struct spool_opts *o, struct spool_result *res,
    struct diag *d)
{
	struct run r;
	char *indir = NULL, *dbpath = NULL, *tmpdir = NULL;
	char **names = NULL;
	long n = 0, i;
	int rc = SPOOL_SYSERR;

	run_init(&r, o, res);
	if ((rc = check_root(&r, d)) != SPOOL_OK)
		return rc;
	rc = SPOOL_SYSERR;
	/* a spool that never ran has no ledger: a scratch one, removed
	 * after, so that nothing is created in the spool */
	dbpath = path_of(&r, "state/ledger.db");
	if (path_state(dbpath, d) == 0) {
		const char *t = getenv("TMPDIR");
		struct sbuf b = SBUF_INIT;

		sbuf_addf(&b, "%s/reskontra-dry-XXXXXX", t && *t ? t : "/tmp");
		if (mkdtemp(b.data) != NULL)
			tmpdir = b.data;
		else
			sbuf_free(&b);
		if (tmpdir == NULL) {
			diag_set(d, "temporary directory", 0, 0, "cannot "
			    "create: %s", strerror(errno));
			goto out;
		}
		free(dbpath);
		b = (struct sbuf)SBUF_INIT;
		sbuf_addf(&b, "%s/ledger.db", tmpdir);
		dbpath = b.data;
	}
	if (o->open_db(o->arg, dbpath, &r.db, d) < 0) {
		r.db = NULL;
		goto out;
	}
	if (db_migrate(r.db, d) < 0)
		goto out;
	indir = path_of(&r, "in");
	if ((n = list_dir(indir, 1, &names, d)) < 0)
		goto out;
	order_inputs(&r, names, n);
	for (i = 0; i < n; i++) {
		char *from;
		struct stat st;
		int gone;

		if (ignored_name(names[i]))
			continue;
		from = path_of(&r, "in/%s", names[i]);
		gone = lstat(from, &st) != 0;
		free(from);
		if (gone)
			continue;
		if (S_ISREG(st.st_mode) && !settled(&r, &st)) {
			res->waiting++;
			continue;
		}
		if (dry_one(&r, names[i], d) < 0)
			goto out;
	}
	rc = SPOOL_OK;
out:
	free_names(names, n);
	if (r.db && o->close_db)
		o->close_db(o->arg);
	if (tmpdir != NULL) {
		static const char *const tails[] = { "ledger.db",
		    "ledger.db-wal", "ledger.db-shm", "ledger.db-journal" };
		struct sbuf p = SBUF_INIT;
		size_t k;

		for (k = 0; k < sizeof tails / sizeof tails[0]; k++) {
			sbuf_reset(&p);
			sbuf_addf(&p, "%s/%s", tmpdir, tails[k]);
			unlink(p.data);
		}
		rmdir(tmpdir);
		sbuf_free(&p);
		free(tmpdir);
	}
	free(indir);
	free(dbpath);
	return rc;
}

void
spool_result_free(struct spool_result *res)
{
	size_t i;

	for (i = 0; i < res->nrej; i++) {
		free(res->rej[i].name);
		free(res->rej[i].where);
		free(res->rej[i].error);
	}
	free(res->rej);
	for (i = 0; i < res->nwarn; i++)
		free(res->warn[i]);
	free(res->warn);
	free(res->report);
	memset(res, 0, sizeof *res);
}
