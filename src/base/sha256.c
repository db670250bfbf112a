/*
 * sha256: the hex form of a digest and the digest of a file (the hash
 * is nettle's, sha256.h).
 */
#include <errno.h>
#include <unistd.h>

#include "base/sha256.h"

void
sha256_hex(const unsigned char dig[SHA256_LEN], char out[SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SHA256_LEN; i++) {
		out[2 * i] = hex[dig[i] >> 4];
		out[2 * i + 1] = hex[dig[i] & 15];
	}
	out[64] = '\0';
}

int
sha256_fd(int fd, char out[SHA256_HEX], off_t *size)
{
	static unsigned char buf[65536];
	unsigned char dig[SHA256_LEN];
	struct sha256_ctx c;
	off_t off = 0;
	ssize_t n;

	sha256_init(&c);
	while ((n = pread(fd, buf, sizeof buf, off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		sha256_update(&c, (size_t)n, buf);
		off += n;
	}
	sha256_digest(&c, SHA256_LEN, dig);
	sha256_hex(dig, out);
	*size = off;
	return 0;
}
