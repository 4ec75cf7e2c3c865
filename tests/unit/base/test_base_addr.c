#include <arpa/inet.h>

#include <string.h>

#include "base/addr.h"
#include "base/log.h"
#include "test_run.h"

static void
addr_parse_v4_and_v6(void **state)
{
	struct ip_addr a;
	char buf[ADDR_STR_MAX];

	(void)state;
	assert_true(addr_parse("10.1.2.3", &a));
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.b, "\x0a\x01\x02\x03", 4);
	assert_string_equal(addr_str(&a, buf), "10.1.2.3");
	assert_true(addr_parse("fd77::1", &a));
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.b[0], 0xfd);
	assert_int_equal(a.b[15], 1);
	assert_string_equal(addr_str(&a, buf), "fd77::1");
	assert_false(addr_parse("10.1", &a));
	assert_false(addr_parse("10.1.2.256", &a));
	assert_false(addr_parse(" 10.1.2.3", &a));
	assert_false(addr_parse("fd77:::1", &a));
	assert_false(addr_parse("", &a));
	assert_false(addr_parse("host.example", &a));
}

static void
prefix_parse_checks_host_bits(void **state)
{
	struct ip_prefix p;
	struct ip_addr a;

	(void)state;
	assert_true(prefix_parse("10.77.0.0/24", false, &p));
	assert_int_equal(p.len, 24);
	assert_false(prefix_parse("10.77.0.1/24", false, &p));
	assert_true(prefix_parse("10.77.0.1/24", true, &p));
	assert_memory_equal(p.addr.b, "\x0a\x4d\x00\x00", 4);
	assert_true(prefix_parse("fd77::/56", false, &p));
	assert_int_equal(p.len, 56);
	assert_false(prefix_parse("fd77:0:0:1::/56", false, &p));
	assert_true(prefix_parse("fd77:0:0:1ff::/56", true, &p));
	assert_int_equal(p.addr.b[6], 0x01);
	assert_int_equal(p.addr.b[7], 0);
	assert_true(prefix_parse("0.0.0.0/0", false, &p));
	assert_true(prefix_parse("1.2.3.4/32", false, &p));
	assert_false(prefix_parse("1.2.3.4/33", false, &p));
	assert_true(prefix_parse("::1/128", false, &p));
	assert_false(prefix_parse("::/129", false, &p));
	assert_false(prefix_parse("10.0.0.0", false, &p));
	assert_false(prefix_parse("10.0.0.0/", false, &p));
	assert_false(prefix_parse("10.0.0.0/+8", false, &p));
	assert_false(prefix_parse("10.0.0.0/8/8", false, &p));
	assert_false(prefix_parse("/8", false, &p));

	assert_true(prefix_parse("10.77.0.0/23", false, &p));
	assert_true(addr_parse("10.77.1.255", &a));
	assert_true(prefix_contains(&p, &a));
	assert_true(addr_parse("10.77.2.0", &a));
	assert_false(prefix_contains(&p, &a));
	assert_true(addr_parse("::a4d:100", &a));
	assert_false(prefix_contains(&p, &a));
}

static void
endpoint_split_forms(void **state)
{
	char host[64];
	uint16_t port;

	(void)state;
	assert_true(
	    endpoint_split("1.2.3.4:8443", host, sizeof(host), 443, &port));
	assert_string_equal(host, "1.2.3.4");
	assert_int_equal(port, 8443);
	assert_true(endpoint_split("1.2.3.4", host, sizeof(host), 443, &port));
	assert_string_equal(host, "1.2.3.4");
	assert_int_equal(port, 443);
	assert_true(
	    endpoint_split("[::1]:65535", host, sizeof(host), 443, &port));
	assert_string_equal(host, "::1");
	assert_int_equal(port, 65535);
	assert_true(
	    endpoint_split("[fd77::1]", host, sizeof(host), 443, &port));
	assert_string_equal(host, "fd77::1");
	assert_int_equal(port, 443);
	assert_true(endpoint_split("::1", host, sizeof(host), 443, &port));
	assert_string_equal(host, "::1");
	assert_int_equal(port, 443);
	assert_true(endpoint_split(
	    "vpn.example.com:443", host, sizeof(host), 1, &port));
	assert_string_equal(host, "vpn.example.com");
	assert_true(endpoint_split(":443", host, sizeof(host), 1, &port));
	assert_string_equal(host, "");
	assert_int_equal(port, 443);

	assert_false(endpoint_split("", host, sizeof(host), 443, &port));
	assert_false(
	    endpoint_split("1.2.3.4:", host, sizeof(host), 443, &port));
	assert_false(
	    endpoint_split("1.2.3.4:0", host, sizeof(host), 443, &port));
	assert_false(
	    endpoint_split("1.2.3.4:65536", host, sizeof(host), 443, &port));
	assert_false(
	    endpoint_split("1.2.3.4:-1", host, sizeof(host), 443, &port));
	assert_false(endpoint_split(
	    "1.2.3.4:99999999999999999999", host, sizeof(host), 443, &port));
	assert_false(endpoint_split("[::1", host, sizeof(host), 443, &port));
	assert_false(endpoint_split("[]:443", host, sizeof(host), 443, &port));
	assert_false(
	    endpoint_split("[::1]443", host, sizeof(host), 443, &port));
	assert_false(endpoint_split("[::1]:", host, sizeof(host), 443, &port));
	assert_false(endpoint_split("a b:443", host, sizeof(host), 443, &port));
	/* The host must fit with its NUL. */
	assert_false(endpoint_split("12345678:1", host, 8, 443, &port));
	assert_true(endpoint_split("1234567:1", host, 8, 443, &port));
}

/* The test tools' targets: each range one address inside, one outside. */
static void
private_addresses(void **state)
{
	static const struct {
		const char *a;
		bool private;
	} v[] = {
		{ "127.0.0.1", true },
		{ "10.200.0.1", true },
		{ "172.16.0.1", true },
		{ "172.31.255.255", true },
		{ "172.32.0.1", false },
		{ "172.15.255.255", false },
		{ "192.168.1.1", true },
		{ "192.169.1.1", false },
		{ "11.0.0.1", false },
		{ "192.0.2.1", false },
		{ "::1", true },
		{ "::2", false },
		{ "fd00:200::1", true },
		{ "fc00::1", true },
		{ "fe80::1", false },
		{ "2001:db8::1", false },
	};
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_true(addr_parse(v[i].a, &a));
		if (addr_is_private(&a) != v[i].private)
			fail_msg("%s", v[i].a);
	}
	memset(&a, 0, sizeof(a));
	assert_false(addr_is_private(&a));
}

static void
sockaddr_str_both_families(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	char buf[ADDR_STR_MAX];

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(443);
	inet_pton(AF_INET, "192.0.2.7", &sin.sin_addr);
	assert_string_equal(
	    sockaddr_str((struct sockaddr *)&sin, buf), "192.0.2.7:443");
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(8443);
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	assert_string_equal(
	    sockaddr_str((struct sockaddr *)&sin6, buf), "[2001:db8::1]:8443");
}

static void
log_level_parse_names(void **state)
{
	enum log_level l;

	(void)state;
	assert_true(log_level_parse("debug", &l));
	assert_int_equal(l, LOG_LVL_DEBUG);
	assert_true(log_level_parse("WARN", &l));
	assert_int_equal(l, LOG_LVL_WARN);
	assert_true(log_level_parse("error", &l));
	assert_int_equal(l, LOG_LVL_ERROR);
	assert_false(log_level_parse("verbose", &l));
	assert_false(log_level_parse("", &l));
	log_set_level(LOG_LVL_WARN);
	assert_int_equal(log_get_level(), LOG_LVL_WARN);
	/* Below the level: nothing written, nothing to check but no crash. */
	log_debug("not shown %d", 1);
	log_set_level(LOG_LVL_INFO);
}

/* A v4-mapped peer of a dual-stack socket comes back as IPv4. */
static void
sockaddr_maps_v4_in_v6_and_round_trips(void **state)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	struct sockaddr_storage ss;
	struct ip_addr x, want;
	uint16_t port = 0;

	(void)state;
	assert_true(addr_parse("1.2.3.4", &want));
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(443);
	s6.sin6_addr.s6_addr[10] = s6.sin6_addr.s6_addr[11] = 0xff;
	memcpy(s6.sin6_addr.s6_addr + 12, want.b, 4);
	assert_true(addr_from_sockaddr((struct sockaddr *)&s6, &x, &port));
	assert_int_equal(x.family, AF_INET);
	assert_memory_equal(x.b, want.b, 4);
	assert_int_equal(port, 443);
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	memcpy(&s4.sin_addr, want.b, 4);
	assert_true(addr_from_sockaddr((struct sockaddr *)&s4, &x, NULL));
	assert_int_equal(x.family, AF_INET);
	s4.sin_family = AF_UNIX;
	assert_false(addr_from_sockaddr((struct sockaddr *)&s4, &x, NULL));
	/* And back: the length fits the family. */
	assert_int_equal(addr_to_sockaddr(&want, 8443, &ss), sizeof(s4));
	assert_true(addr_from_sockaddr((struct sockaddr *)&ss, &x, &port));
	assert_memory_equal(x.b, want.b, 4);
	assert_int_equal(port, 8443);
	assert_true(addr_parse("fd00::1", &want));
	assert_int_equal(addr_to_sockaddr(&want, 1, &ss), sizeof(s6));
	assert_true(addr_from_sockaddr((struct sockaddr *)&ss, &x, &port));
	assert_int_equal(x.family, AF_INET6);
	assert_memory_equal(x.b, want.b, 16);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_parse_v4_and_v6),
		cmocka_unit_test(prefix_parse_checks_host_bits),
		cmocka_unit_test(endpoint_split_forms),
		cmocka_unit_test(sockaddr_str_both_families),
		cmocka_unit_test(private_addresses),
		cmocka_unit_test(sockaddr_maps_v4_in_v6_and_round_trips),
		cmocka_unit_test(log_level_parse_names),
	};

	return test_run(argc, argv, "base_addr", tests, ARRAY_LEN(tests));
}
