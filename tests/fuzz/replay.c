/*
 * replay: a main() for the fuzz targets without libFuzzer.
 *
 *   fuzz_TARGET [FILE | DIR]...
 *
 * Linked with one tests/fuzz/fuzz_*.c it runs LLVMFuzzerTestOneInput
 * once on each FILE and on each regular file directly in each DIR (in
 * name order), after LLVMFuzzerInitialize when the target has one.
 * Each input is in a buffer of exactly its size, so a sanitizer sees a
 * read past its end.  `make check` builds every target this way with
 * the normal compiler and replays the seed corpora (replay.sh): a target
 * that no longer builds, or a seed that aborts, fails the tests.  The
 * name of each input goes to stderr before it runs, so the last one
 * named is the one that crashed.  Exit status 0, or 2 when an input
 * cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long ninputs;

/* Read path whole into a buffer of its exact size; 0 ok, -1 error. */
static int
replay_file(const char *path)
{
	FILE *fp;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, r;
	int rc = -1;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *nbuf;

			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap);
			if (nbuf == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				goto out;
			}
			buf = nbuf;
		}
		r = fread(buf + n, 1, cap - n, fp);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	fclose(fp);
	fp = NULL;
	/* an exact copy: the target's data ends where the file does */
	{
		uint8_t *exact = malloc(n ? n : 1);

		if (exact == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			goto out;
		}
		if (n)
			memcpy(exact, buf, n);
		fprintf(stderr, "Running: %s\n", path);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	ninputs++;
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(buf);
	return rc;
}

static int
replay_dir(const char *dir)
{
	struct dirent **ents;
	char path[4096];
	struct stat st;
	int i, n, rc = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) < 0)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) < 0)
				rc = 2;
		} else if (replay_file(argv[i]) < 0) {
			rc = 2;
		}
	}
	printf("replay: %ld inputs\n", ninputs);
	return rc;
}
