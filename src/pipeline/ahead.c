/*
 * pipeline/ahead.c: the next input read by a child process (ahead.h).
 *
 * The child's results file holds the reader's warnings, one struct diag
 * each in the order they came, then one struct ahead_trailer: the
 * outcome and what the child saw of the file.  Both processes are the
 * same program, so the structs are written as they are in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "base/input.h"
#include "base/record.h"
#include "base/sha256.h"
#include "base/util.h"
#include "pipeline/ahead.h"

#define AHEAD_MAGIC 0x52414844u	/* "RAHD" */

struct ahead_trailer {
	uint32_t magic;
	int rc;			/* READ_OK, READ_PARTIAL, READ_REJECT */
	struct diag d;
	long nwarn;		/* struct ahead_said before the trailer */
	long nset_aside;	/* the reader's reader_ctx.nset_aside */
	struct stat st;		/* the file, unchanged while read */
	char sha[SHA256_HEX];	/* before the read; the same after it */
};

const char *ahead_program = "/proc/self/exe";

struct read_ahead {
	pid_t pid;
	char *name;
	FILE *recs;		/* the records, written by the child */
	FILE *res;		/* its warnings and the trailer */
};

/* ---- the child ---------------------------------------------------------- */

/* The child's descriptors: its records, its results and the input
 * (opened by the parent: the spool may claim the file, renaming it,
 * before the child has started). */
enum { AHEAD_RECS_FD = 3, AHEAD_RES_FD = 4, AHEAD_IN_FD = 5 };

/* What the reader said, in its order: a warning or a message set
 * aside. */
struct ahead_said {
	int set_aside;
	struct diag d;
};

struct child_warn {
	FILE *res;
	long n;
	int failed;
};

static void
child_say(struct child_warn *w, int set_aside, const struct diag *d)
{
	struct ahead_said s;

	memset(&s, 0, sizeof s);
	s.set_aside = set_aside;
	s.d = *d;
	if (fwrite(&s, sizeof s, 1, w->res) != 1)
		w->failed = 1;
	w->n++;
}

static void
child_warn(void *arg, const struct diag *d)
{
	child_say(arg, 0, d);
}

static void
child_set_aside(void *arg, const struct diag *d)
{
	child_say(arg, 1, d);
}

static int
same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The child's buffer for the records it writes */
static char child_recsbuf[64 * 1024];

/* argv: AHEAD_COMMAND PARENT NAME CHARSET SCHEMA SCHEMA_DIR ("" for
 * none), PARENT the pid of the run; exits 0 when the trailer is
 * written, 1 otherwise. */
void
ahead_main(int argc, char **argv)
{
	struct reader_ctx c;
	struct child_warn cw;
	struct ahead_trailer t;
	struct stat a, b;
	struct input *in;
	struct recout w;
	char after[SHA256_HEX];
	FILE *recs, *res;
	off_t n;
	int fd;

	/* the parent gone (killed), the read is of no use; compared with
	 * its pid, not with 1: a run in a container may be pid 1 */
	if (argc != 6 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
	    getppid() != (pid_t)atol(argv[1]) ||
	    (recs = fdopen(AHEAD_RECS_FD, "w")) == NULL ||
	    (res = fdopen(AHEAD_RES_FD, "w")) == NULL)
		_exit(1);
	memset(&c, 0, sizeof c);
	c.charset = (enum charset)atoi(argv[3]);
	c.schema = atoi(argv[4]);
	c.schema_dir = *argv[5] != '\0' ? argv[5] : NULL;
	cw.res = res;
	cw.n = 0;
	cw.failed = 0;
	c.warn = child_warn;
	c.set_aside = child_set_aside;
	c.set_aside_arg = &cw;
	c.warn_arg = &cw;
	memset(&t, 0, sizeof t);
	fd = AHEAD_IN_FD;
	if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode) ||
	    a.st_nlink != 1 || sha256_fd(fd, t.sha, &n) < 0 ||
	    n != a.st_size)
		_exit(1);
	if ((in = input_fdopen(fd, argv[2], &t.d)) == NULL)
		_exit(1);
	setvbuf(recs, child_recsbuf, _IOFBF, sizeof child_recsbuf);
	rec_out_init(&w, recs);
	rec_header(&w);
	t.rc = read_input_scratch(in, FMT_UNKNOWN, &c, &w, &t.d);
	if (t.rc != READ_OK && t.rc != READ_PARTIAL && t.rc != READ_REJECT)
		_exit(1);
	if (cw.failed || fflush(recs) != 0 || ferror(recs) ||
	    fstat(fd, &b) != 0 || !same_stat(&a, &b) ||
	    sha256_fd(fd, after, &n) < 0 || strcmp(after, t.sha) != 0)
		_exit(1);
	t.magic = AHEAD_MAGIC;
	t.nwarn = cw.n;
	t.nset_aside = c.nset_aside;
	t.st = a;
	if (fwrite(&t, sizeof t, 1, res) != 1 || fflush(res) != 0)
		_exit(1);
	/* _exit: nothing of this process's is flushed or written at exit */
	_exit(0);
}

/* ---- the parent --------------------------------------------------------- */

static void
ahead_free(struct read_ahead *ra)
{
	if (ra->recs)
		fclose(ra->recs);
	if (ra->res)
		fclose(ra->res);
	free(ra->name);
	free(ra);
}

struct read_ahead *
ahead_start(const char *path, const char *name,
    const struct reader_ctx *rctx)
{
	struct read_ahead *ra = xcalloc(1, sizeof *ra);
	posix_spawn_file_actions_t fa;
	char pid[24], cs[16], sch[16];
	char *argv[8];
	int ok, fd, from[3], i;

	ra->name = xstrdup(name);
	ra->pid = -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd < 0 || (ra->recs = tmpfile()) == NULL ||
	    (ra->res = tmpfile()) == NULL) {
		if (fd >= 0)
			close(fd);
		ahead_free(ra);
		return NULL;
	}
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	snprintf(cs, sizeof cs, "%d", (int)rctx->charset);
	snprintf(sch, sizeof sch, "%d", rctx->schema);
	argv[0] = (char *)progname;
	argv[1] = (char *)AHEAD_COMMAND;
	argv[2] = pid;
	argv[3] = ra->name;
	argv[4] = cs;
	argv[5] = sch;
	argv[6] = (char *)(rctx->schema_dir != NULL ? rctx->schema_dir : "");
	argv[7] = NULL;
	/* the three moved above the child's numbers first, so that
	 * placing one cannot overwrite another still to be placed */
	from[0] = fcntl(fileno(ra->recs), F_DUPFD_CLOEXEC, AHEAD_IN_FD + 1);
	from[1] = fcntl(fileno(ra->res), F_DUPFD_CLOEXEC, AHEAD_IN_FD + 1);
	from[2] = fcntl(fd, F_DUPFD_CLOEXEC, AHEAD_IN_FD + 1);
	ok = from[0] >= 0 && from[1] >= 0 && from[2] >= 0;
	/* a new process of this program: a fork would share this one's
	 * pages, and every page this process then writes would be copied */
	if (ok && posix_spawn_file_actions_init(&fa) == 0) {
		for (i = 0; i < 3; i++)
			ok = ok && posix_spawn_file_actions_adddup2(&fa,
			    from[i], AHEAD_RECS_FD + i) == 0;
		ok = ok && posix_spawn_file_actions_addopen(&fa,
		    STDERR_FILENO, "/dev/null", O_WRONLY, 0) == 0 &&
		    posix_spawn_file_actions_addclosefrom_np(&fa,
		    AHEAD_IN_FD + 1) == 0;
		ok = ok && posix_spawn(&ra->pid, ahead_program, &fa, NULL,
		    argv, environ) == 0;
		posix_spawn_file_actions_destroy(&fa);
	} else
		ok = 0;
	for (i = 0; i < 3; i++)
		if (from[i] >= 0)
			close(from[i]);
	close(fd);
	if (!ok) {
		ra->pid = -1;
		ahead_free(ra);
		return NULL;
	}
	return ra;
}

/* Wait for ra's child: 1 when it ended well, else 0. */
static int
ahead_wait(struct read_ahead *ra)
{
	int st;
	pid_t r;

	while ((r = waitpid(ra->pid, &st, 0)) < 0 && errno == EINTR)
		;
	ra->pid = -1;
	return r > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The trailer of a finished read, if it is whole and of the file st
 * with the hash sha: 1, else 0. */
static int
ahead_trailer(struct read_ahead *ra, const struct stat *st, const char *sha,
    struct ahead_trailer *t)
{
	off_t warnings;

	if (fseeko(ra->res, -(off_t)sizeof *t, SEEK_END) != 0 ||
	    (warnings = ftello(ra->res)) < 0 ||
	    fread(t, sizeof *t, 1, ra->res) != 1 ||
	    t->magic != AHEAD_MAGIC || t->nwarn < 0 ||
	    warnings != (off_t)t->nwarn * (off_t)sizeof(struct ahead_said))
		return 0;
	return same_stat(st, &t->st) && strcmp(t->sha, sha) == 0;
}

int
ahead_take(struct read_ahead *ra, const char *name, const struct stat *st,
    const char *sha, struct reader_ctx *rctx, FILE **recs, struct diag *d)
{
	struct ahead_trailer t;
	struct ahead_said w;
	long i;

	if (ra == NULL)
		return AHEAD_UNUSED;
	if (strcmp(ra->name, name) != 0 || !ahead_wait(ra) ||
	    !ahead_trailer(ra, st, sha, &t)) {
		ahead_drop(ra);
		return AHEAD_UNUSED;
	}
	rewind(ra->res);
	for (i = 0; i < t.nwarn; i++) {
		if (fread(&w, sizeof w, 1, ra->res) != 1) {
			diag_set(d, "temporary file", 0, 0, "read error: %s",
			    strerror(errno ? errno : EIO));
			ahead_free(ra);
			return READ_SYSERR;
		}
		if (w.set_aside) {
			reader_set_aside(rctx, &w.d);
			continue;
		}
		rctx->nwarnings++;
		if (rctx->warn)
			rctx->warn(rctx->warn_arg, &w.d);
		else
			diag_warn(stderr, &w.d);
	}
	rctx->nset_aside += t.nset_aside;
	*recs = ra->recs;
	ra->recs = NULL;
	*d = t.d;
	ahead_free(ra);
	return t.rc;
}

void
ahead_drop(struct read_ahead *ra)
{
	if (ra == NULL)
		return;
	if (ra->pid > 0) {
		kill(ra->pid, SIGKILL);
		ahead_wait(ra);
	}
	ahead_free(ra);
}
