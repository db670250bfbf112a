/*
 * fuzz_si_change: SI files through the CHANGE writer (write/si_change.h)
 * as `reskontra si-change` runs it: the splitter, libxml2, the schema
 * checks before and after, the tree changes, the new frame.  Whatever
 * the input, every message is changed or rejected with a message, the
 * counts add up, and each bank's output is non-empty, starts with a
 * frame addressed to SENDERINFO and holds one CHANGE message per frame.
 */
#include "fuzz.h"

#include "base/input.h"
#include "write/si_change.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	long rejected;
	long frames;
};

static size_t
count_of(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s), c = 0;
	const char *q = p;

	while ((q = memmem(q, n - (size_t)(q - p), s, k)) != NULL) {
		c++;
		q += k;
	}
	return c;
}

static int
emit(void *arg, const char *bank, const char *data, size_t len,
    struct diag *d)
{
	struct seen *s = arg;
	size_t frames = count_of(data, len, "<SOAP-ENV:Envelope ");

	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(strlen(bank) == 8 || strlen(bank) == 11);
	FUZZ_ASSERT(memcmp(data, "<SOAP-ENV:Envelope ", 19) == 0);
	FUZZ_ASSERT(frames == count_of(data, len,
	    "<eb:PartyId>SENDERINFO</eb:PartyId>"));
	s->frames += (long)frames;
	return 0;
}

static void
reject(void *arg, const struct diag *md)
{
	struct seen *s = arg;

	FUZZ_ASSERT(md->msg[0] != '\0' &&
	    memchr(md->msg, '\0', sizeof md->msg) != NULL);
	s->rejected++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct si_change sc;
	struct si_change_counts cnt;
	struct seen s = { 0, 0 };
	struct input *in;
	struct diag d;
	char path[64];
	int fd, r;

	fd = fuzz_memfd(data, size, path);
	memset(&sc, 0, sizeof sc);
	sc.iban = "FI5810171000000122";
	sc.bic = "NDEAFIHH";
	sc.identifier_type = "08";
	sc.today = 20527;	/* 2026-03-15 */
	sc.emit = emit;
	sc.reject = reject;
	sc.arg = &s;
	memset(&d, 0, sizeof d);
	if ((in = input_open(path, &d)) != NULL) {
		r = si_change_file(&sc, in, "fuzz", &cnt, &d);
		input_close(in);
		FUZZ_ASSERT(r == 0 || r == 1 || r == -1);
		if (r != 0)
			FUZZ_ASSERT(d.msg[0] != '\0');
		else {
			FUZZ_ASSERT(cnt.changed + cnt.rejected == cnt.messages);
			FUZZ_ASSERT(cnt.rejected == s.rejected);
			FUZZ_ASSERT(cnt.changed == s.frames);
			FUZZ_ASSERT(cnt.kept_type <= cnt.changed);
		}
	}
	close(fd);
	return 0;
}
