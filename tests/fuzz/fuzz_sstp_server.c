/* The server state machine after a valid HTTP request and Call Connect
 * Request: see fuzz_conn.h. */
#include "fuzz_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_conn_run(SSTP_ROLE_SERVER, data, size);
	return 0;
}
