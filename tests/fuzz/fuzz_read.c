/*
 * fuzz_read: `reskontra read FILE` with no --format: the format is
 * detected from the content (format_detect) and the reader it picks runs.
 * Seeded with every sample file, so the fuzzer also crosses formats (a
 * KTL line inside a Finvoice, a camt root in a SOAP frame...).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_bytes(data, size, FMT_UNKNOWN);
}
