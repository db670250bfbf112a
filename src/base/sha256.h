/*
 * sha256: the SHA-256 hash (FIPS 180-4), used by the spool to recognise a
 * file that arrives a second time with the same bytes under any name.
 *
 * The hash itself is nettle's (struct sha256_ctx, sha256_init,
 * sha256_update(ctx, length, data), sha256_digest), which uses the
 * processor's SHA instructions where there are some: the whole drop
 * folder is hashed on every run.  Here only the hex form.
 */
#ifndef RESKONTRA_SHA256_H
#define RESKONTRA_SHA256_H

#include <sys/types.h>

#include <nettle/sha2.h>

#define SHA256_LEN SHA256_DIGEST_SIZE	/* bytes in a digest */
#define SHA256_HEX 65			/* hex digest and its NUL */

/* Lower-case hex of a digest into out (64 digits and a NUL). */
void sha256_hex(const unsigned char dig[SHA256_LEN], char out[SHA256_HEX]);

/* The hex SHA-256 of the bytes of the open file fd, read from its first
 * byte (pread: fd's offset stays), into out, and their number into
 * *size.  0, or -1 with errno (a read error). */
int sha256_fd(int fd, char out[SHA256_HEX], off_t *size);

#endif
