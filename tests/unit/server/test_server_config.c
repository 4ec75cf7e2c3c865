#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "io/tls.h"
#include "server/config.h"
#include "test_run.h"

static const char good[] = "; opensstpd.conf\n"
			   "[server]\n"
			   "listen = 192.0.2.1:8443, [2001:db8::1]:443 ; two\n"
			   "cert = /etc/opensstp/server.crt\n"
			   "key = /etc/opensstp/server.key\n"
			   "tun = sstp7\n"
			   "pool4 = 10.77.0.0/24\n"
			   "prefix6 = fd77::/56\n"
			   "dns = 10.77.0.1, fd77::1,10.77.0.2\n"
			   "auth = eap-mschapv2, mschapv2, chap, pap\n"
			   "crypto_binding = optional\n"
			   "users = /etc/opensstp/users\n"
			   "log_level = debug\n"
			   "mtu = 1350\n"
			   "user = opensstp\n"
			   "seccomp = log\n"
			   "\n"
			   "# timers\n"
			   "[timers]\n"
			   "hello = 1000\n"
			   "lcp_echo = 2000\n"
			   "handshake = 3000\n"
			   "drain = 4000\n";

static void
config_defaults(void **state)
{
	struct server_config c;
	char err[256];

	(void)state;
	server_config_default(&c);
	assert_int_equal(c.nlisten, 2);
	assert_string_equal(c.listen[0].host, "0.0.0.0");
	assert_int_equal(c.listen[0].port, 443);
	assert_string_equal(c.listen[1].host, "::");
	assert_int_equal(c.listen[1].port, 443);
	assert_string_equal(c.tun, "sstp0");
	assert_int_equal(c.mtu, 1400);
	assert_int_equal(c.nauth, 2);
	assert_int_equal(c.auth[0], PPP_AUTH_MSCHAPV2);
	assert_int_equal(c.auth[1], PPP_AUTH_EAP);
	assert_true(c.binding_required);
	assert_int_equal(c.log_level, LOG_LVL_INFO);
	assert_string_equal(c.user, "nobody");
	assert_int_equal(c.seccomp, PRIVS_SECCOMP_ENFORCE);
	assert_false(c.has_pool4);
	assert_false(c.has_prefix6);
	assert_int_equal(c.ndns4 + c.ndns6, 0);
	assert_int_equal(c.hello_ms, 60000);
	assert_int_equal(c.lcp_echo_ms, 30000);
	assert_int_equal(c.handshake_ms, 60000);
	assert_int_equal(c.drain_ms, 10000);
	assert_int_equal(c.ndeny + c.nallow, 0);
	assert_int_equal(c.max_sessions, 10000);
	assert_int_equal(c.max_per_source, 16);
	assert_int_equal(c.max_per_user, 0);
	assert_int_equal(c.ban_failures, 5);
	assert_int_equal(c.ban_window_ms, 60000);
	assert_int_equal(c.ban_ms, 300000);
	/* Defaults alone are not enough to run. */
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(
	    err, "no cert: the server's certificate chain is needed");
}

static void
config_good_file(void **state)
{
	struct server_config c;
	char err[256], buf[ADDR_STR_MAX];

	(void)state;
	server_config_default(&c);
	assert_true(server_config_parse(&c, good, "t.conf", err, sizeof(err)));
	assert_int_equal(c.nlisten, 2);
	assert_string_equal(c.listen[0].host, "192.0.2.1");
	assert_int_equal(c.listen[0].port, 8443);
	assert_string_equal(c.listen[1].host, "2001:db8::1");
	assert_int_equal(c.listen[1].port, 443);
	assert_string_equal(c.cert, "/etc/opensstp/server.crt");
	assert_string_equal(c.key, "/etc/opensstp/server.key");
	assert_string_equal(c.users, "/etc/opensstp/users");
	assert_string_equal(c.tun, "sstp7");
	assert_int_equal(c.mtu, 1350);
	assert_true(c.has_pool4);
	assert_int_equal(c.pool4.len, 24);
	assert_string_equal(addr_str(&c.pool4.addr, buf), "10.77.0.0");
	assert_true(c.has_prefix6);
	assert_int_equal(c.prefix6.len, 56);
	assert_int_equal(c.ndns4, 2);
	assert_string_equal(addr_str(&c.dns4[1], buf), "10.77.0.2");
	assert_int_equal(c.ndns6, 1);
	assert_string_equal(addr_str(&c.dns6[0], buf), "fd77::1");
	assert_int_equal(c.nauth, 4);
	assert_int_equal(c.auth[0], PPP_AUTH_EAP);
	assert_int_equal(c.auth[1], PPP_AUTH_MSCHAPV2);
	assert_int_equal(c.auth[2], PPP_AUTH_CHAP_MD5);
	assert_int_equal(c.auth[3], PPP_AUTH_PAP);
	assert_false(c.binding_required);
	assert_int_equal(c.log_level, LOG_LVL_DEBUG);
	assert_string_equal(c.user, "opensstp");
	assert_int_equal(c.seccomp, PRIVS_SECCOMP_LOG);
	assert_int_equal(c.hello_ms, 1000);
	assert_int_equal(c.lcp_echo_ms, 2000);
	assert_int_equal(c.handshake_ms, 3000);
	assert_int_equal(c.drain_ms, 4000);
	assert_true(server_config_validate(&c, err, sizeof(err)));
}

static void
expect_error(const char *text, const char *want)
{
	struct server_config c, before;
	char err[512];

	server_config_default(&c);
	before = c;
	assert_false(server_config_parse(&c, text, "t.conf", err, sizeof(err)));
	assert_string_equal(err, want);
	/* A bad file changes nothing, even keys before the error. */
	assert_memory_equal(&c, &before, sizeof(c));
}

static void
config_errors_name_the_line(void **state)
{
	char longline[400];

	(void)state;
	expect_error("[server]\nmtu = 1400\nfoo = 1\n",
	    "t.conf:3: unknown key \"foo\" in [server]");
	expect_error(
	    "[server]\n[serverr]\n", "t.conf:2: unknown section [serverr]");
	expect_error("mtu = 1400\n", "t.conf:1: \"mtu\" outside any [section]");
	expect_error("[timers]\nmtu = 1400\n",
	    "t.conf:2: unknown key \"mtu\" in [timers]");
	expect_error("[server]\nmtu = 575\n",
	    "t.conf:2: mtu: \"575\" is not a number in 576..4091");
	expect_error("[server]\nmtu = 4092\n",
	    "t.conf:2: mtu: \"4092\" is not a number in 576..4091");
	expect_error("[server]\nmtu = 14x\n",
	    "t.conf:2: mtu: \"14x\" is not a number in 576..4091");
	expect_error("[server]\n\nmtu = 1400\nmtu = 1500\n",
	    "t.conf:4: mtu given twice");
	expect_error("[server]\ntun = sstp0\n  mtu = 1400\n",
	    "t.conf:3: indented line (continuation lines are not supported)");
	expect_error("[server]\nthis is not ini\n",
	    "t.conf:2: syntax error (not \"key = value\" or \"[section]\")");
	/* A syntax error before a bad key is the one reported. */
	expect_error("[server]\n[broken\nmtu = 1\n",
	    "t.conf:2: syntax error (not \"key = value\" or \"[section]\")");
	expect_error("[server]\nlisten = host.example:443\n",
	    "t.conf:2: listen: \"host.example:443\": the host must be an IP "
	    "address");
	expect_error("[server]\nlisten = [10.0.0.1]:443\n",
	    "t.conf:2: listen: \"[10.0.0.1]:443\": brackets are for IPv6 only");
	expect_error("[server]\nlisten = 1.2.3.4:0\n",
	    "t.conf:2: listen: \"1.2.3.4:0\" is not host:port");
	expect_error("[server]\nlisten = 1.2.3.4, [::], 1.2.3.4:443\n",
	    "t.conf:2: listen: \"1.2.3.4:443\" listed twice");
	expect_error("[server]\nlisten = 1.2.3.4,,[::]\n",
	    "t.conf:2: listen: empty item in the list");
	expect_error("[server]\nlisten =\n",
	    "t.conf:2: listen: needs at least one address");
	expect_error("[server]\nlisten = 1.1.1.1:1,1.1.1.1:2,1.1.1.1:3,"
		     "1.1.1.1:4,1.1.1.1:5,1.1.1.1:6,1.1.1.1:7,1.1.1.1:8,"
		     "1.1.1.1:9\n",
	    "t.conf:2: listen: more than 8 addresses");
	expect_error("[server]\ncert =\n", "t.conf:2: cert: needs a path");
	expect_error("[server]\ntun = a/b\n",
	    "t.conf:2: tun: \"a/b\" is not an interface name");
	expect_error("[server]\ntun = 0123456789abcdef\n",
	    "t.conf:2: tun: needs 1 to 15 characters");
	expect_error("[server]\npool4 = 10.77.0.1/24\n",
	    "t.conf:2: pool4: \"10.77.0.1/24\" is not an IPv4 prefix (a.b.c.d/n, "
	    "host bits zero)");
	expect_error("[server]\npool4 = fd00::/64\n",
	    "t.conf:2: pool4: \"fd00::/64\" is not an IPv4 prefix (a.b.c.d/n, "
	    "host bits zero)");
	expect_error("[server]\npool4 = 10.0.0.0/31\n",
	    "t.conf:2: pool4: prefix length 31 is not in 8..30");
	expect_error("[server]\nprefix6 = fd77::/65\n",
	    "t.conf:2: prefix6: prefix length 65 is not in 32..64");
	expect_error("[server]\nprefix6 = fd77::/24\n",
	    "t.conf:2: prefix6: prefix length 24 is not in 32..64");
	expect_error("[server]\nprefix6 = 10.0.0.0/8\n",
	    "t.conf:2: prefix6: \"10.0.0.0/8\" is not an IPv6 prefix (v6/n, "
	    "host bits zero)");
	expect_error("[server]\ndns = 1.1.1.1, one\n",
	    "t.conf:2: dns: \"one\" is not an IP address");
	expect_error(
	    "[server]\ndns = 1.1.1.1, 1.1.1.2, 1.1.1.3, ::1, 1.1.1.4\n",
	    "t.conf:2: dns: more than 3 IPv4 servers");
	expect_error("[server]\nauth = pap, eap\n",
	    "t.conf:2: auth: \"eap\" is not one of pap, chap, mschapv2, "
	    "eap-mschapv2");
	expect_error("[server]\nauth = pap, chap, PAP\n",
	    "t.conf:2: auth: pap listed twice");
	expect_error(
	    "[server]\nauth = \n", "t.conf:2: auth: needs at least one method");
	expect_error("[server]\ncrypto_binding = maybe\n",
	    "t.conf:2: crypto_binding: \"maybe\" is not required or optional");
	expect_error("[server]\nlog_level = loud\n",
	    "t.conf:2: log_level: \"loud\" is not error, warn, info or debug");
	expect_error("[server]\nuser = no body\n",
	    "t.conf:2: user: \"no body\" is not a user name");
	expect_error("[server]\nuser = -x\n",
	    "t.conf:2: user: \"-x\" is not a user name");
	expect_error("[server]\nuser = a:b\n",
	    "t.conf:2: user: \"a:b\" is not a user name");
	expect_error("[server]\nuser = abcdefghijklmnopqrstuvwxyz0123456\n",
	    "t.conf:2: user: longer than 32 characters");
	expect_error("[server]\nseccomp = strict\n",
	    "t.conf:2: seccomp: \"strict\" is not enforce, log or off");
	expect_error("[server]\nseccomp =\n",
	    "t.conf:2: seccomp: \"\" is not enforce, log or off");
	expect_error("[timers]\nhello = 0\n",
	    "t.conf:2: hello: \"0\" is not a number of milliseconds above 0");
	expect_error("[timers]\nlcp_echo = 4294967296\n",
	    "t.conf:2: lcp_echo: \"4294967296\" is not a number of milliseconds "
	    "above 0");
	expect_error("[timers]\ndrain = 0\n",
	    "t.conf:2: drain: \"0\" is not a number of milliseconds above "
	    "0");
	expect_error("[timers]\nhandshake = -5\n",
	    "t.conf:2: handshake: \"-5\" is not a number of milliseconds above "
	    "0");
	snprintf(longline, sizeof(longline), "[server]\ncert = /%0300d\n", 0);
	expect_error(longline, "t.conf:2: line longer than 197 bytes");
}

static void
config_parse_layers_over_current(void **state)
{
	struct server_config c;
	char err[256];

	(void)state;
	server_config_default(&c);
	assert_true(server_config_parse(&c,
	    "\xef\xbb\xbf[server]\r\npool4 = 10.0.0.0/16\r\n", "a", err,
	    sizeof(err)));
	assert_true(c.has_pool4);
	/* A second file over the first: only its own keys change. */
	assert_true(server_config_parse(&c,
	    "[SERVER]\nMTU = 1280\nprefix6 = \n[timers]\n", "b", err,
	    sizeof(err)));
	assert_true(c.has_pool4);
	assert_int_equal(c.mtu, 1280);
	assert_false(c.has_prefix6);
	/* Empty pool4 turns the pool off. */
	assert_true(server_config_parse(
	    &c, "[server]\npool4 =\n", "c", err, sizeof(err)));
	assert_false(c.has_pool4);
	/* Listen on any address by port alone; dns emptied. */
	assert_true(server_config_parse(&c,
	    "[server]\nlisten = :8443, ::1\ndns =\n", "d", err, sizeof(err)));
	assert_int_equal(c.nlisten, 2);
	assert_string_equal(c.listen[0].host, "");
	assert_int_equal(c.listen[0].port, 8443);
	assert_string_equal(c.listen[1].host, "::1");
	assert_int_equal(c.listen[1].port, 443);
	assert_true(server_config_parse(&c, "", "e", err, sizeof(err)));
}

static void
config_set_overrides(void **state)
{
	struct server_config c;
	char err[256];

	(void)state;
	server_config_default(&c);
	assert_true(
	    server_config_set(&c, NULL, "mtu", "1300", err, sizeof(err)));
	assert_int_equal(c.mtu, 1300);
	assert_true(
	    server_config_set(&c, "timers", "hello", "5", err, sizeof(err)));
	assert_int_equal(c.hello_ms, 5);
	assert_true(server_config_set(
	    &c, NULL, "timers.lcp_echo", "7", err, sizeof(err)));
	assert_int_equal(c.lcp_echo_ms, 7);
	assert_true(server_config_set(
	    &c, NULL, "timers.drain", "1500", err, sizeof(err)));
	assert_int_equal(c.drain_ms, 1500);
	assert_true(
	    server_config_set(&c, "server", "auth", "pap", err, sizeof(err)));
	assert_int_equal(c.nauth, 1);
	assert_int_equal(c.auth[0], PPP_AUTH_PAP);
	/* Set twice: unlike a file, the last one wins. */
	assert_true(server_config_set(&c, "", "mtu", "1301", err, sizeof(err)));
	assert_int_equal(c.mtu, 1301);

	assert_false(server_config_set(&c, NULL, "mtu", "1", err, sizeof(err)));
	assert_string_equal(err, "mtu: \"1\" is not a number in 576..4091");
	assert_int_equal(c.mtu, 1301);
	assert_false(
	    server_config_set(&c, NULL, "nope", "1", err, sizeof(err)));
	assert_string_equal(err, "server.nope: unknown key");
	assert_false(
	    server_config_set(&c, NULL, "timers.mtu", "1", err, sizeof(err)));
	assert_string_equal(err, "timers.mtu: unknown key");
	assert_false(server_config_set(
	    &c, NULL, "averyveryverylongsection.x", "1", err, sizeof(err)));
	assert_string_equal(err, "averyveryverylongsection.x: unknown key");
	/* user: "" and root stay root (the server warns); names as useradd
	 * takes them, a machine account's trailing $ too. */
	assert_true(server_config_set(&c, NULL, "user", "", err, sizeof(err)));
	assert_string_equal(c.user, "");
	assert_true(
	    server_config_set(&c, NULL, "user", "root", err, sizeof(err)));
	assert_string_equal(c.user, "root");
	assert_true(server_config_set(
	    &c, NULL, "user", "_open-sstp.d1$", err, sizeof(err)));
	assert_string_equal(c.user, "_open-sstp.d1$");
	assert_false(
	    server_config_set(&c, NULL, "user", "a$b", err, sizeof(err)));
	assert_string_equal(c.user, "_open-sstp.d1$");
	assert_true(
	    server_config_set(&c, NULL, "seccomp", "OFF", err, sizeof(err)));
	assert_int_equal(c.seccomp, PRIVS_SECCOMP_OFF);
	assert_true(server_config_set(
	    &c, NULL, "seccomp", "enforce", err, sizeof(err)));
	assert_int_equal(c.seccomp, PRIVS_SECCOMP_ENFORCE);
	assert_false(
	    server_config_set(&c, NULL, "seccomp", "on", err, sizeof(err)));
	assert_string_equal(err, "seccomp: \"on\" is not enforce, log or off");
	assert_int_equal(c.seccomp, PRIVS_SECCOMP_ENFORCE);
	/* A failed list leaves the old list whole. */
	assert_false(server_config_set(
	    &c, NULL, "auth", "chap, bogus", err, sizeof(err)));
	assert_int_equal(c.nauth, 1);
	assert_int_equal(c.auth[0], PPP_AUTH_PAP);
}

static void
config_acl_and_limits(void **state)
{
	struct server_config c;
	char err[256], buf[ADDR_STR_MAX];
	const char *text = "[server]\n"
			   "deny = 10.0.0.0/8, 192.0.2.7, 2001:db8::/32\n"
			   "allow = fd00::1\n"
			   "max_sessions = 0\n"
			   "max_per_source = 1\n"
			   "max_per_user = 2\n"
			   "ban_failures = 3\n"
			   "ban_window_ms = 1000\n"
			   "ban_ms = 2000\n";

	(void)state;
	server_config_default(&c);
	assert_true(server_config_parse(&c, text, "t", err, sizeof(err)));
	assert_int_equal(c.ndeny, 3);
	assert_string_equal(addr_str(&c.deny[0].addr, buf), "10.0.0.0");
	assert_int_equal(c.deny[0].len, 8);
	assert_string_equal(addr_str(&c.deny[1].addr, buf), "192.0.2.7");
	assert_int_equal(c.deny[1].len, 32);
	assert_int_equal(c.deny[2].addr.family, AF_INET6);
	assert_int_equal(c.deny[2].len, 32);
	assert_int_equal(c.nallow, 1);
	assert_int_equal(c.allow[0].len, 128);
	assert_int_equal(c.max_sessions, 0);
	assert_int_equal(c.max_per_source, 1);
	assert_int_equal(c.max_per_user, 2);
	assert_int_equal(c.ban_failures, 3);
	assert_int_equal(c.ban_window_ms, 1000);
	assert_int_equal(c.ban_ms, 2000);
	/* Command line: an empty list clears it. */
	assert_true(server_config_set(&c, NULL, "allow", "", err, sizeof(err)));
	assert_int_equal(c.nallow, 0);
	assert_false(server_config_set(
	    &c, NULL, "deny", "10.0.0.1/8", err, sizeof(err)));
	assert_string_equal(
	    err, "deny: \"10.0.0.1/8\" is not a prefix (CIDR, host bits zero)");
	assert_false(server_config_set(
	    &c, NULL, "deny", "10.0.0.0/8,,", err, sizeof(err)));
	assert_false(
	    server_config_set(&c, NULL, "allow", "nope", err, sizeof(err)));
	assert_string_equal(err, "allow: \"nope\" is not an address");
	assert_int_equal(c.ndeny, 3); /* failures leave it whole */
	assert_false(server_config_set(
	    &c, NULL, "max_per_source", "-1", err, sizeof(err)));
	assert_false(
	    server_config_set(&c, NULL, "ban_ms", "0", err, sizeof(err)));
	assert_false(server_config_parse(
	    &c, "[server]\nmax_per_user = x\n", "t", err, sizeof(err)));
	assert_string_equal(
	    err, "t:2: max_per_user: \"x\" is not a number in 0..1000000");
}

/* Issue 13: the whole set-up's deadline and the HTTP request's caps. */
static void
config_setup_and_http_caps(void **state)
{
	struct server_config c;
	char err[256];
	const char *text = "[server]\n"
			   "http_max_line = 128\n"
			   "http_max_header_bytes = 512\n"
			   "http_max_headers = 4\n"
			   "[timers]\n"
			   "setup = 2500\n";

	(void)state;
	server_config_default(&c);
	assert_int_equal(c.setup_ms, 60000);
	assert_int_equal(c.http_max_line, 2048);
	assert_int_equal(c.http_max_header_bytes, 8192);
	assert_int_equal(c.http_max_headers, 64);
	assert_true(server_config_parse(&c, text, "t", err, sizeof(err)));
	assert_int_equal(c.setup_ms, 2500);
	assert_int_equal(c.http_max_line, 128);
	assert_int_equal(c.http_max_header_bytes, 512);
	assert_int_equal(c.http_max_headers, 4);
	assert_true(server_config_set(
	    &c, NULL, "timers.setup", "900", err, sizeof(err)));
	assert_int_equal(c.setup_ms, 900);
	assert_true(server_config_set(
	    &c, NULL, "http_max_line", "2048", err, sizeof(err)));
	assert_int_equal(c.http_max_line, 2048);
	/* One byte out of each range, either side. */
	assert_false(server_config_set(
	    &c, NULL, "http_max_line", "2049", err, sizeof(err)));
	assert_string_equal(
	    err, "http_max_line: \"2049\" is not a number in 128..2048");
	assert_false(server_config_set(
	    &c, NULL, "http_max_line", "127", err, sizeof(err)));
	assert_false(server_config_set(
	    &c, NULL, "http_max_header_bytes", "511", err, sizeof(err)));
	assert_false(server_config_set(
	    &c, NULL, "http_max_header_bytes", "65537", err, sizeof(err)));
	assert_false(server_config_set(
	    &c, NULL, "http_max_headers", "3", err, sizeof(err)));
	assert_false(server_config_set(
	    &c, NULL, "http_max_headers", "1025", err, sizeof(err)));
	assert_false(
	    server_config_set(&c, NULL, "timers.setup", "0", err, sizeof(err)));
	assert_int_equal(c.http_max_line, 2048); /* failures change nothing */
	assert_int_equal(c.setup_ms, 900);
	assert_false(server_config_parse(
	    &c, "[timers]\nsetup = 1s\n", "t", err, sizeof(err)));
	assert_string_equal(
	    err, "t:2: setup: \"1s\" is not a number of milliseconds above 0");
}

static void
config_validate_requirements(void **state)
{
	struct server_config c;
	char err[256];

	(void)state;
	server_config_default(&c);
	assert_true(
	    server_config_set(&c, NULL, "cert", "/c", err, sizeof(err)));
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(
	    err, "no key: the certificate's private key is needed");
	assert_true(server_config_set(&c, NULL, "key", "/k", err, sizeof(err)));
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(err, "no users file");
	assert_true(
	    server_config_set(&c, NULL, "users", "/u", err, sizeof(err)));
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(
	    err, "neither pool4 nor prefix6: clients would get no address");
	assert_true(server_config_set(
	    &c, NULL, "prefix6", "fd00::/48", err, sizeof(err)));
	assert_true(server_config_validate(&c, err, sizeof(err)));
	c.nauth = 0;
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(err, "no auth method");
	c.nauth = 1;
	c.nlisten = 0;
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(err, "no listen address");
}

static void
config_load_file(void **state)
{
	char path[] = "/tmp/opensstp-conf-XXXXXX", err[256], want[300];
	struct server_config c;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("[server]\nmtu = 1300\n\nbogus = 1\n", f);
	fclose(f);
	server_config_default(&c);
	assert_false(server_config_load(&c, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s:4: unknown key \"bogus\" in [server]",
	    path);
	assert_string_equal(err, want);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(good, f);
	fclose(f);
	assert_true(server_config_load(&c, path, err, sizeof(err)));
	assert_int_equal(c.mtu, 1350);
	unlink(path);
	assert_false(server_config_load(&c, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
}

/* Defaults, the file, then the overrides; each kind of error its code. */
static void
config_build_layers(void **state)
{
	char path[] = "/tmp/opensstp-conf-XXXXXX", err[256], want[300];
	struct config_source src = { 0 };
	struct server_config c;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("[server]\nmtu = 1300\ntun = vpn9\n[timers]\nhello = 7\n", f);
	fclose(f);
	src.path = path;
	src.set[0].key = "mtu";
	src.set[0].value = "1280";
	src.set[1].key = "timers.drain";
	src.set[1].value = "5";
	src.nset = 2;
	c.mtu = 1;
	assert_int_equal(server_config_build(&c, &src, err, sizeof(err)), 0);
	assert_int_equal(c.mtu, 1280); /* the override wins */
	assert_string_equal(c.tun, "vpn9");
	assert_int_equal(c.hello_ms, 7);
	assert_int_equal(c.drain_ms, 5);
	assert_int_equal(c.nlisten, 2); /* a default the file left alone */

	src.set[1].value = "soon";
	assert_int_equal(server_config_build(&c, &src, err, sizeof(err)), 2);
	assert_non_null(strstr(err, "drain: "));
	assert_non_null(strstr(err, "soon"));

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[server]\nmtu = tall\n", f);
	fclose(f);
	assert_int_equal(server_config_build(&c, &src, err, sizeof(err)), 1);
	snprintf(want, sizeof(want), "%s:2: ", path);
	assert_memory_equal(err, want, strlen(want));
	unlink(path);

	src.path = NULL; /* no file: defaults and overrides */
	src.nset = 1;
	assert_int_equal(server_config_build(&c, &src, err, sizeof(err)), 0);
	assert_int_equal(c.mtu, 1280);
	assert_string_equal(c.tun, "sstp0");
}

/* --- TLS, listeners, route protocol, log (issue 13) ------------------- */

static void
config_tls_defaults(void **state)
{
	struct server_config c;
	struct listener_config l;
	STACK_OF(SSL_CIPHER) * list;
	SSL_CTX *ctx;
	char err[256];
	bool cbc_seen = false, cbc_rsa = false, cbc_ecdhe = false;
	int i;

	(void)state;
	server_config_default(&c);
	assert_int_equal(c.tls.min_version, TLS1_2_VERSION);
	assert_string_equal(c.tls.ciphers, CONFIG_CIPHERS_DEFAULT);
	assert_string_equal(c.tls.ciphersuites, "");
	assert_string_equal(c.tls.groups, "");
	assert_int_equal(c.route_protocol, 4); /* static */
	assert_int_equal(c.log_sink, LOG_SINK_STDERR);
	assert_int_equal(c.nlisteners, 0);
	assert_int_equal(server_config_nlisteners(&c), 1);
	server_config_listener(&c, 0, &l);
	assert_string_equal(l.name, "");
	assert_int_equal(l.nlisten, 2);
	assert_string_equal(l.tls.ciphers, CONFIG_CIPHERS_DEFAULT);
	assert_true(tls_list_check(
	    TLS_LIST_CIPHERS, CONFIG_CIPHERS_DEFAULT, err, sizeof(err)));

	/* AEAD first; the CBC-SHA suites old RouterOS needs are in it. */
	ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(ctx);
	assert_int_equal(
	    SSL_CTX_set_cipher_list(ctx, CONFIG_CIPHERS_DEFAULT), 1);
	list = SSL_CTX_get_ciphers(ctx);
	for (i = 0; i < sk_SSL_CIPHER_num(list); i++) {
		const SSL_CIPHER *ci = sk_SSL_CIPHER_value(list, i);
		const char *name = SSL_CIPHER_get_name(ci);

		if (!SSL_CIPHER_is_aead(ci))
			cbc_seen = true;
		else if (cbc_seen)
			fail_msg("AEAD suite %s after a CBC one", name);
		if (strcmp(name, "AES128-SHA") == 0)
			cbc_rsa = true;
		if (strcmp(name, "ECDHE-RSA-AES256-SHA") == 0)
			cbc_ecdhe = true;
		assert_null(strstr(name, "DES-CBC3"));
		assert_null(strstr(name, "NULL"));
	}
	assert_true(cbc_rsa);
	assert_true(cbc_ecdhe);
	SSL_CTX_free(ctx);
}

static void
config_tls_keys(void **state)
{
	struct server_config c;
	char err[256];
	const char *text = "[server]\n"
			   "tls_min_version = 1.3\n"
			   "ciphers = ECDHE+AESGCM\n"
			   "ciphersuites = TLS_AES_128_GCM_SHA256\n"
			   "groups = X25519:P-256:P-384\n"
			   "route_protocol = bird\n"
			   "log = syslog\n";

	(void)state;
	server_config_default(&c);
	assert_true(server_config_parse(&c, text, "t", err, sizeof(err)));
	assert_int_equal(c.tls.min_version, TLS1_3_VERSION);
	assert_string_equal(c.tls.ciphers, "ECDHE+AESGCM");
	assert_string_equal(c.tls.ciphersuites, "TLS_AES_128_GCM_SHA256");
	assert_string_equal(c.tls.groups, "X25519:P-256:P-384");
	assert_int_equal(c.route_protocol, 12);
	assert_int_equal(c.log_sink, LOG_SINK_SYSLOG);
	/* The command line's forms. */
	assert_true(server_config_set(
	    &c, NULL, "tls_min_version", "1.2", err, sizeof(err)));
	assert_int_equal(c.tls.min_version, TLS1_2_VERSION);
	assert_true(server_config_set(
	    &c, NULL, "route_protocol", "200", err, sizeof(err)));
	assert_int_equal(c.route_protocol, 200);
	assert_true(server_config_set(
	    &c, NULL, "route_protocol", "BOOT", err, sizeof(err)));
	assert_int_equal(c.route_protocol, 3);
	assert_true(server_config_set(
	    &c, NULL, "route_protocol", "255", err, sizeof(err)));
	assert_int_equal(c.route_protocol, 255);
	assert_true(
	    server_config_set(&c, NULL, "log", "STDERR", err, sizeof(err)));
	assert_int_equal(c.log_sink, LOG_SINK_STDERR);
	/* A refused value leaves the old one. */
	assert_false(server_config_set(
	    &c, NULL, "ciphers", "NOTACIPHER", err, sizeof(err)));
	assert_string_equal(
	    err, "ciphers: OpenSSL refuses \"NOTACIPHER\": no cipher match");
	assert_string_equal(c.tls.ciphers, "ECDHE+AESGCM");
	assert_false(server_config_set(
	    &c, NULL, "route_protocol", "256", err, sizeof(err)));
	assert_int_equal(c.route_protocol, 255);
}

static void
config_tls_errors_name_the_line(void **state)
{
	struct server_config c;
	char err[256], list[CONFIG_TLS_LIST_MAX + 1];

	(void)state;
	expect_error("[server]\n\ntls_min_version = 1.1\n",
	    "t.conf:3: tls_min_version: \"1.1\" is not 1.2 or 1.3");
	expect_error("[server]\ntls_min_version = 1.3 \nciphers = FOO:BAR\n",
	    "t.conf:3: ciphers: OpenSSL refuses \"FOO:BAR\": no cipher match");
	expect_error("[server]\nciphers =\n",
	    "t.conf:2: ciphers: needs a list (OpenSSL's syntax)");
	expect_error("[server]\nciphersuites = TLS_NOPE_SHA256\n",
	    "t.conf:2: ciphersuites: OpenSSL refuses \"TLS_NOPE_SHA256\": no "
	    "cipher match");
	expect_error("[server]\ngroups = X25519:P-999\n",
	    "t.conf:2: groups: OpenSSL refuses \"X25519:P-999\": passed "
	    "invalid argument (group 'P-999' cannot be set)");
	expect_error("[server]\nroute_protocol = 2\n",
	    "t.conf:2: route_protocol: \"2\" is not a number in 3..255 or a "
	    "name such as static, boot, bird, zebra");
	expect_error("[server]\nroute_protocol = kernel\n",
	    "t.conf:2: route_protocol: \"kernel\" is not a number in 3..255 or "
	    "a name such as static, boot, bird, zebra");
	expect_error("[server]\nroute_protocol = 256\n",
	    "t.conf:2: route_protocol: \"256\" is not a number in 3..255 or a "
	    "name such as static, boot, bird, zebra");
	expect_error("[server]\nlog = journal\n",
	    "t.conf:2: log: \"journal\" is not stderr or syslog");
	/* Longer than a line of the file may be: from the command line. */
	memset(list, 'A', sizeof(list) - 1);
	list[sizeof(list) - 1] = '\0';
	server_config_default(&c);
	assert_false(
	    server_config_set(&c, NULL, "ciphers", list, err, sizeof(err)));
	assert_string_equal(err, "ciphers: longer than 511 bytes");
}

static const char listeners_text[] = "[server]\n"
				     "cert = /s.crt\n"
				     "key = /s.key\n"
				     "ciphers = ECDHE+AESGCM\n"
				     "groups = P-256\n"
				     "[listener a]\n"
				     "listen = 127.0.0.1:8443\n"
				     "cert = /a.crt\n"
				     "key = /a.key\n"
				     "tls_min_version = 1.3\n"
				     "[Listener b-2.x]\n"
				     "listen = [::1]:9443, 127.0.0.2:443\n"
				     "ciphers = AES128-SHA\n"
				     "[listener a]\n"
				     "groups = X25519\n";

static void
config_listener_sections(void **state)
{
	struct server_config c;
	struct listener_config l;
	char err[256];

	(void)state;
	server_config_default(&c);
	assert_true(
	    server_config_parse(&c, listeners_text, "t", err, sizeof(err)));
	assert_int_equal(c.nlisteners, 2);
	/* Sections only: [server]'s own listener stays closed. */
	assert_false(c.listen_given);
	assert_int_equal(server_config_nlisteners(&c), 2);

	server_config_listener(&c, 0, &l);
	assert_string_equal(l.name, "a");
	assert_int_equal(l.nlisten, 1);
	assert_string_equal(l.listen[0].host, "127.0.0.1");
	assert_int_equal(l.listen[0].port, 8443);
	assert_string_equal(l.cert, "/a.crt");
	assert_string_equal(l.key, "/a.key");
	assert_int_equal(l.tls.min_version, TLS1_3_VERSION);
	assert_string_equal(l.tls.ciphers, "ECDHE+AESGCM"); /* [server]'s */
	assert_string_equal(l.tls.groups, "X25519"); /* its second part */

	server_config_listener(&c, 1, &l);
	assert_string_equal(l.name, "b-2.x");
	assert_int_equal(l.nlisten, 2);
	assert_string_equal(l.listen[0].host, "::1");
	assert_int_equal(l.listen[1].port, 443);
	assert_string_equal(l.cert, "/s.crt"); /* inherited */
	assert_string_equal(l.key, "/s.key");
	assert_int_equal(l.tls.min_version, TLS1_2_VERSION);
	assert_string_equal(l.tls.ciphers, "AES128-SHA");
	assert_string_equal(l.tls.groups, "P-256");

	/* [server] with a listen of its own opens first. */
	assert_true(server_config_set(
	    &c, NULL, "listen", "127.0.0.1:443", err, sizeof(err)));
	assert_int_equal(server_config_nlisteners(&c), 3);
	server_config_listener(&c, 0, &l);
	assert_string_equal(l.name, "");
	assert_string_equal(l.cert, "/s.crt");
	assert_string_equal(l.tls.groups, "P-256");
	server_config_listener(&c, 2, &l);
	assert_string_equal(l.name, "b-2.x");

	/* The same, set by name as the command line would. */
	assert_true(server_config_set(
	    &c, "listener b-2.x", "key", "/b.key", err, sizeof(err)));
	server_config_listener(&c, 2, &l);
	assert_string_equal(l.key, "/b.key");
	assert_true(server_config_set(
	    &c, "listener new", "listen", ":7443", err, sizeof(err)));
	assert_int_equal(c.nlisteners, 3);
	/* Every listener is whole: the next check is reached. */
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(err, "no users file");
}

static void
config_listener_errors(void **state)
{
	char text[2048];
	size_t len = 0;
	int i;

	(void)state;
	expect_error("[server]\n[listener]\n",
	    "t.conf:2: unknown section "
	    "[listener]");
	expect_error("[server]\n[listener a b]\n",
	    "t.conf:2: unknown section [listener a b]");
	expect_error("[listener a/b]\n",
	    "t.conf:1: unknown section "
	    "[listener a/b]");
	expect_error("[listenera]\n", "t.conf:1: unknown section [listenera]");
	expect_error("[listener 0123456789012345678901234567890x]\n",
	    "t.conf:1: unknown section "
	    "[listener 0123456789012345678901234567890x]");
	expect_error("[listener a]\nlisten = 1.2.3.4\nusers = /u\n",
	    "t.conf:3: unknown key \"users\" in [listener a] (listen, cert, "
	    "key, tls_min_version, ciphers, ciphersuites, groups)");
	expect_error("[listener a]\ncert = /a\n[listener b]\ncert = /b\n"
		     "[listener a]\ncert = /c\n",
	    "t.conf:6: cert given twice in [listener a]");
	expect_error("[listener a]\nlisten = 1.2.3.4:x\n",
	    "t.conf:2: listen: \"1.2.3.4:x\" is not host:port");
	expect_error("[listener a]\nciphers = NOPE\n",
	    "t.conf:2: ciphers: OpenSSL refuses \"NOPE\": no cipher match");
	expect_error("[listener a]\ntls_min_version = 1.0\n",
	    "t.conf:2: tls_min_version: \"1.0\" is not 1.2 or 1.3");
	for (i = 0; i <= CONFIG_MAX_LISTENERS; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "[listener l%d]\nlisten = 127.0.0.1:%d\n", i, 1000 + i);
	expect_error(text, "t.conf:18: more than 8 [listener] sections");
}

static void
validate_one(const char *text, const char *want)
{
	struct server_config c;
	char err[512];

	server_config_default(&c);
	assert_true(server_config_parse(&c,
	    "[server]\nusers = /u\npool4 = 10.0.0.0/24\n", "base", err,
	    sizeof(err)));
	if (!server_config_parse(&c, text, "t", err, sizeof(err)))
		fail_msg("parse: %s", err);
	if (want == NULL) {
		if (!server_config_validate(&c, err, sizeof(err)))
			fail_msg("validate: %s", err);
		return;
	}
	assert_false(server_config_validate(&c, err, sizeof(err)));
	assert_string_equal(err, want);
}

static void
config_listener_validate(void **state)
{
	char text[2048];
	size_t len;
	int i;

	(void)state;
	validate_one("[listener a]\ncert = /a\nkey = /a\n",
	    "[listener a]: no listen address");
	validate_one("[listener a]\nlisten = 1.2.3.4\nkey = /a\n",
	    "[listener a]: no cert (here or in [server])");
	validate_one("[listener a]\nlisten = 1.2.3.4\ncert = /a\n",
	    "[listener a]: no key (here or in [server])");
	/* [server]'s cert and key for a section that has none... */
	validate_one("[server]\ncert = /s\nkey = /s\n[listener a]\n"
		     "listen = 1.2.3.4\n",
	    NULL);
	/* ...which [server]'s own listener needs only when it opens. */
	validate_one(
	    "[listener a]\nlisten = 1.2.3.4\ncert = /a\nkey = /a\n", NULL);
	validate_one("[server]\nlisten = :443\n[listener a]\nlisten = 1.2.3.4\n"
		     "cert = /a\nkey = /a\n",
	    "no cert: the server's certificate chain is needed");
	validate_one("[server]\ncert = /s\nkey = /s\n"
		     "[listener a]\nlisten = 127.0.0.1:8443\n"
		     "[listener b]\nlisten = [::1], 127.0.0.1:8443\n",
	    "[listener b]: listen 127.0.0.1:8443 is also in [listener a]");
	validate_one("[server]\ncert = /s\nkey = /s\nlisten = [::1]:443\n"
		     "[listener a]\nlisten = [::1]\n",
	    "[listener a]: listen [::1]:443 is also in [server]");
	/* ":443" binds any IPv4 address, as 0.0.0.0:443 does. */
	validate_one("[server]\ncert = /s\nkey = /s\n"
		     "[listener a]\nlisten = 0.0.0.0:443\n"
		     "[listener b]\nlisten = :443\n",
	    "[listener b]: listen 0.0.0.0:443 is also in [listener a]");
	len = (size_t)snprintf(
	    text, sizeof(text), "[server]\ncert = /s\nkey = /s\n");
	for (i = 0; i < 3; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "[listener l%d]\nlisten = 127.0.0.1:%d,127.0.0.2:%d,"
		    "127.0.0.3:%d,127.0.0.4:%d,127.0.0.5:%d,127.0.0.6:%d\n",
		    i, 1000 + i, 1000 + i, 1000 + i, 1000 + i, 1000 + i,
		    1000 + i);
	validate_one(text, "more than 16 listening addresses in all");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults),
		cmocka_unit_test(config_good_file),
		cmocka_unit_test(config_errors_name_the_line),
		cmocka_unit_test(config_parse_layers_over_current),
		cmocka_unit_test(config_set_overrides),
		cmocka_unit_test(config_acl_and_limits),
		cmocka_unit_test(config_setup_and_http_caps),
		cmocka_unit_test(config_validate_requirements),
		cmocka_unit_test(config_load_file),
		cmocka_unit_test(config_build_layers),
		cmocka_unit_test(config_tls_defaults),
		cmocka_unit_test(config_tls_keys),
		cmocka_unit_test(config_tls_errors_name_the_line),
		cmocka_unit_test(config_listener_sections),
		cmocka_unit_test(config_listener_errors),
		cmocka_unit_test(config_listener_validate),
	};

	return test_run(argc, argv, "server_config", tests, ARRAY_LEN(tests));
}
