/*
 * sha256: the SHA-256 hash (FIPS 180-4), used by the spool to recognise a
 * file that arrives a second time with the same bytes under any name.
 *
 * Incremental: sha256_init, sha256_update as often as needed, then
 * sha256_final.  The context is a plain value owned by the caller.
 */
#ifndef RESKONTRA_SHA256_H
#define RESKONTRA_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32		/* bytes in a digest */
#define SHA256_HEX 65		/* hex digest and its NUL */

struct sha256 {
	uint32_t h[8];
	uint64_t nbytes;	/* message length so far */
	unsigned char block[64];
	size_t fill;		/* bytes waiting in block */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);

/* Lower-case hex of a digest into out (64 digits and a NUL). */
void sha256_hex(const unsigned char dig[SHA256_LEN], char out[SHA256_HEX]);

#endif
