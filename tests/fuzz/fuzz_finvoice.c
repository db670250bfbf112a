/*
 * fuzz_finvoice: Finvoice files (plain, SOAP-framed transmission files,
 * gzip) through read_file() with --format finvoice, so every input
 * reaches the splitter and libxml2.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_read_bytes(data, size, FMT_FINVOICE);
}
