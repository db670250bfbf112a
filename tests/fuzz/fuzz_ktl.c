/*
 * fuzz_ktl: KTL files (plain or gzip) through read_file() with
 * --format ktl, so every input reaches the fixed-width reader (and
 * fixed.c, its charset decision and text decoding).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_bytes(data, size, FMT_KTL);
}
