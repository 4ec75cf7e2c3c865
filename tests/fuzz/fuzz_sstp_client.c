/* The client state machine after a valid HTTP response and Call Connect
 * Ack: see fuzz_conn.h. */
#include "fuzz_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_conn_run(SSTP_ROLE_CLIENT, data, size);
	return 0;
}
