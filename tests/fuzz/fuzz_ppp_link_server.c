/* A server PPP endpoint fed arbitrary frames: see fuzz_ppp_link.h. */
#include "fuzz_ppp_link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ppp_link_run(PPP_ROLE_AUTHENTICATOR, data, size);
	return 0;
}
