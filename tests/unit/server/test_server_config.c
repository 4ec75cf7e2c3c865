#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	assert_non_null(strstr(err, "timers.drain: "));

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
		cmocka_unit_test(config_validate_requirements),
		cmocka_unit_test(config_load_file),
		cmocka_unit_test(config_build_layers),
	};

	return test_run(argc, argv, "server_config", tests, ARRAY_LEN(tests));
}
