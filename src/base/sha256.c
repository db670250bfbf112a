/*
 * sha256: the hex form of a digest (the hash is nettle's, sha256.h).
 */
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
