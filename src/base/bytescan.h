/*
 * bytescan: the first byte of s[0..n) a test picks, eight bytes at a
 * time.  word(x) is nonzero when one of the eight bytes of x may be
 * picked (a false alarm costs only a look at each of them); byte(c)
 * decides.  Inline, so each caller's tests are compiled into its loop.
 */
#ifndef RESKONTRA_BYTESCAN_H
#define RESKONTRA_BYTESCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BYTESCAN_ONES 0x0101010101010101ULL
#define BYTESCAN_HIGH (BYTESCAN_ONES << 7)

static inline size_t
bytescan(const char *s, size_t n, int (*word)(uint64_t),
    int (*byte)(unsigned char))
{
	size_t i = 0;
	uint64_t x;

	for (; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		if (word(x))
			break;
	}
	for (; i < n; i++)
		if (byte((unsigned char)s[i]))
			break;
	return i;
}

#endif
