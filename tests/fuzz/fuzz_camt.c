/*
 * fuzz_camt: camt.053 and camt.054 files through read_file().  The first
 * byte picks --format camt053 or camt054 (odd: 054) and is otherwise
 * part of the file, so every input reaches the camt reader whatever its
 * root element says.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_bytes(data, size,
	    size > 0 && (data[0] & 1) ? FMT_CAMT054 : FMT_CAMT053);
}
