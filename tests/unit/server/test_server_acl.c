#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/acl.h"
#include "test_run.h"

static struct ip_addr
A(const char *s) {
	struct ip_addr a;

	assert_true(addr_parse(s, &a));
	return a;
}

static struct ip_prefix
P(const char *s) {
	struct ip_prefix p;

	assert_true(prefix_parse(s, false, &p));
	return p;
}

static void
acl_deny_names_the_rule(void **state)
{
	struct ip_prefix deny[2];
	struct acl a;
	struct ip_addr x;
	char why[ACL_WHY_MAX];

	(void)state;
	deny[0] = P("10.0.0.0/8");
	deny[1] = P("2001:db8::/32");
	acl_init(&a);
	a.deny = deny;
	a.ndeny = 2;
	x = A("10.1.2.3");
	assert_false(acl_rules_check(&a, &x, why));
	assert_string_equal(why, "deny 10.0.0.0/8");
	x = A("2001:db8:1::5");
	assert_false(acl_rules_check(&a, &x, why));
	assert_string_equal(why, "deny 2001:db8::/32");
	x = A("11.0.0.1");
	assert_true(acl_rules_check(&a, &x, why));
	x = A("2001:db9::1");
	assert_true(acl_rules_check(&a, &x, why));
	acl_fini(&a);
}

static void
acl_allow_list_admits_only_its_own(void **state)
{
	struct ip_prefix allow[2], deny[1];
	struct acl a;
	struct ip_addr x;
	char why[ACL_WHY_MAX];

	(void)state;
	allow[0] = P("192.168.0.0/16");
	allow[1] = P("fd00::/8");
	deny[0] = P("192.168.7.7/32");
	acl_init(&a);
	a.allow = allow;
	a.nallow = 2;
	a.deny = deny;
	a.ndeny = 1;
	x = A("192.168.1.1");
	assert_true(acl_rules_check(&a, &x, why));
	x = A("fd12::1");
	assert_true(acl_rules_check(&a, &x, why));
	x = A("10.0.0.1");
	assert_false(acl_rules_check(&a, &x, why));
	assert_string_equal(why, "not in allow");
	x = A("fe80::1");
	assert_false(acl_rules_check(&a, &x, why));
	/* deny wins over allow */
	x = A("192.168.7.7");
	assert_false(acl_rules_check(&a, &x, why));
	assert_string_equal(why, "deny 192.168.7.7/32");
	acl_fini(&a);
}

static void
acl_per_source_limit(void **state)
{
	struct acl a;
	struct ip_addr x = A("10.0.0.1"), y = A("10.0.0.2");
	struct ip_addr v6a = A("fd00:1:2:3::1"), v6b = A("fd00:1:2:3::ffff");
	char why[ACL_WHY_MAX];

	(void)state;
	acl_init(&a);
	a.max_per_source = 2;
	assert_true(acl_conn_open(&a, &x, 0, why));
	assert_true(acl_conn_open(&a, &x, 0, why));
	assert_false(acl_conn_open(&a, &x, 0, why));
	assert_string_equal(why, "max_per_source 2");
	assert_true(acl_conn_open(&a, &y, 0, why));
	assert_int_equal(acl_conns(&a, &x), 2);
	acl_conn_close(&a, &x, 0);
	assert_true(acl_conn_open(&a, &x, 0, why));
	/* One IPv6 /64 is one source. */
	assert_true(acl_conn_open(&a, &v6a, 0, why));
	assert_true(acl_conn_open(&a, &v6b, 0, why));
	assert_false(acl_conn_open(&a, &v6a, 0, why));
	acl_conn_close(&a, &x, 0);
	acl_conn_close(&a, &x, 0);
	acl_conn_close(&a, &x, 0); /* one too many: no harm */
	acl_conn_close(&a, &y, 0);
	acl_conn_close(&a, &v6a, 0);
	acl_conn_close(&a, &v6b, 0);
	/* Idle sources are forgotten. */
	assert_int_equal(a.used, 0);
	assert_int_equal(acl_conns(&a, &x), 0);
	acl_fini(&a);
}

static void
acl_ban_after_failures_then_expires(void **state)
{
	struct acl a;
	struct ip_addr x = A("10.0.0.1"), y = A("10.0.0.2");
	uint64_t until = 0;

	(void)state;
	acl_init(&a);
	a.ban_failures = 3;
	a.ban_window_ms = 60000;
	a.ban_ms = 300000;
	assert_false(acl_auth_failed(&a, &x, 1000));
	assert_false(acl_auth_failed(&a, &x, 2000));
	assert_false(acl_banned(&a, &x, 2000, NULL));
	assert_true(acl_auth_failed(&a, &x, 3000));
	assert_true(acl_banned(&a, &x, 3000, &until));
	assert_int_equal(until, 303000);
	assert_false(acl_banned(&a, &y, 3000, NULL));
	assert_true(acl_banned(&a, &x, 302999, NULL));
	assert_false(acl_banned(&a, &x, 303000, NULL));
	/* Failures spread beyond the window never ban. */
	assert_false(acl_auth_failed(&a, &y, 0));
	assert_false(acl_auth_failed(&a, &y, 30000));
	assert_false(acl_auth_failed(&a, &y, 60000)); /* new window */
	assert_false(acl_auth_failed(&a, &y, 90000));
	assert_true(acl_auth_failed(&a, &y, 100000));
	/* ban_failures 0: never. */
	a.ban_failures = 0;
	assert_false(acl_auth_failed(&a, &x, 400000));
	acl_fini(&a);
}

static struct ip_addr
nth(uint32_t i)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	a.b[0] = 10;
	a.b[1] = (uint8_t)(i >> 16);
	a.b[2] = (uint8_t)(i >> 8);
	a.b[3] = (uint8_t)i;
	return a;
}

static void
acl_table_bounded_evicts_idle(void **state)
{
	struct acl a;
	struct ip_addr x;
	char why[ACL_WHY_MAX];
	uint32_t i;

	(void)state;
	acl_init(&a);
	a.max_sources = 100;
	a.ban_failures = 5;
	a.ban_window_ms = 1000;
	a.ban_ms = 1000;
	for (i = 0; i < 100; i++) {
		x = nth(i);
		assert_true(acl_conn_open(&a, &x, 0, why));
	}
	x = nth(100);
	assert_false(acl_conn_open(&a, &x, 0, why));
	assert_string_equal(why, "source table full");
	assert_false(acl_auth_failed(&a, &x, 0)); /* untracked */
	/* Half close; failures keep the other half's entries for a while. */
	for (i = 0; i < 50; i++) {
		x = nth(i);
		assert_false(acl_auth_failed(&a, &x, 0));
		acl_conn_close(&a, &x, 0);
	}
	assert_int_equal(a.used, 100);
	x = nth(100);
	assert_false(acl_conn_open(&a, &x, 500, why));
	/* Past the window the failed ones are idle and evicted. */
	assert_true(acl_conn_open(&a, &x, 1000, why));
	assert_int_equal(a.used, 51);
	assert_true(a.cap <= 256);
	acl_fini(&a);
}

/* Against a plain array, with many adds and removes: deletion keeps
 * every other entry findable. */
static void
acl_random_ops_match_reference(void **state)
{
	static uint32_t ref[512];
	struct acl a;
	struct ip_addr x;
	char why[ACL_WHY_MAX];
	uint32_t i, k, seed = 12345;

	(void)state;
	acl_init(&a);
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % 512;
		x = nth(k * 7919u);
		if ((seed >> 20) & 1) {
			assert_true(acl_conn_open(&a, &x, 0, why));
			ref[k]++;
		} else if (ref[k] > 0) {
			acl_conn_close(&a, &x, 0);
			ref[k]--;
		}
		assert_int_equal(acl_conns(&a, &x), ref[k]);
	}
	for (k = 0, i = 0; k < 512; k++) {
		x = nth(k * 7919u);
		assert_int_equal(acl_conns(&a, &x), ref[k]);
		i += ref[k] != 0;
	}
	assert_int_equal(a.used, i);
	acl_fini(&a);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acl_deny_names_the_rule),
		cmocka_unit_test(acl_allow_list_admits_only_its_own),
		cmocka_unit_test(acl_per_source_limit),
		cmocka_unit_test(acl_ban_after_failures_then_expires),
		cmocka_unit_test(acl_table_bounded_evicts_idle),
		cmocka_unit_test(acl_random_ops_match_reference),
	};

	return test_run(argc, argv, "server_acl", tests, ARRAY_LEN(tests));
}
