#include <string.h>

#include "sstp/sstp_packet.h"
#include "test_run.h"

static void
call_connect_request_decodes(void **state)
{
	uint8_t pkt[64];
	size_t n = test_hex(
	    "10 01 00 0E 00 01 00 01 00 01 00 06 00 01", pkt, sizeof(pkt));
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(sstp_ctrl_decode(pkt, n, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECT_REQUEST);
	assert_int_equal(c.protocol_id, SSTP_ENCAPSULATED_PROTOCOL_PPP);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(call_connect_request_decodes),
	};

	return test_run(argc, argv, "sstp_packet", tests, ARRAY_LEN(tests));
}
