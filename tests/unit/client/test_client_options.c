/*
 * The client's command line and profiles (client/options.c): defaults,
 * every option, the errors, profiles and the order of overrides, pins,
 * routes, the password sources.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/tls1.h>

#include "client/options.h"
#include "test_run.h"

static char dir[64]; /* files the cases read, removed at exit */
static char errtext[4096]; /* stderr of the last parse */

static void
path_in_dir(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static void
write_file(const char *name, const char *text, mode_t mode)
{
	char path[256];
	FILE *f;

	path_in_dir(path, sizeof(path), name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

/* Once per process: a directory of files and no terminal on stdin. */
static void
fixture(void)
{
	if (dir[0] != '\0')
		return;
	snprintf(dir, sizeof(dir), "/tmp/opensstp-opts.XXXXXX");
	assert_non_null(mkdtemp(dir));
	atexit(cleanup);
	assert_int_equal(setenv("OPENSSTP_PROFILE_DIR", dir, 1), 0);
	assert_non_null(freopen("/dev/null", "r", stdin));
	write_file("pw", "s3cret\nsecond line\n", 0600);
	write_file("pw-crlf", "abc\r\n", 0600);
	write_file("pw-empty", "\nx\n", 0600);
	write_file("proxy-pw", "proxy secret\n", 0600);
	write_file("ca.crt", "not parsed here\n", 0644);
	write_file("hook", "#!/bin/sh\nexit 0\n", 0755);
	write_file("not-exec", "#!/bin/sh\n", 0644);
	write_file("work.conf",
	    "; a profile\n"
	    "[client]\n"
	    "server = vpn.example.com:8443\n"
	    "user = alice\n"
	    "password = from-profile\n"
	    "mtu = 1300\n"
	    "Log_Level = debug\n"
	    "route = 10.1.0.0/16\n"
	    "route = 10.2.0.0/16, fd00:1::/64\n"
	    "pin_sha256 = sha256//AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
	    "kill-switch = yes\n"
	    "no_reconnect = true\n"
	    "max-retries = 5\n",
	    0600);
}

/*
 * Parse a NULL-terminated argument list (argv[0] added), stderr kept in
 * errtext.  The strings are copies: the parser may wipe --password's.
 */
static int
parse(struct client_opts *o, bool *done, ...)
{
	char *argv[64], tmpl[] = "/tmp/opensstp-opts-err.XXXXXX";
	int argc = 0, rc, saved, fd;
	const char *a;
	ssize_t n;
	va_list ap;

	fixture();
	argv[argc++] = strdup("opensstp");
	va_start(ap, done);
	while ((a = va_arg(ap, const char *)) != NULL) {
		assert_true(argc < 63);
		argv[argc++] = strdup(a);
	}
	va_end(ap);
	argv[argc] = NULL;

	assert_true((fd = mkstemp(tmpl)) >= 0);
	unlink(tmpl);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	rc = client_opts_parse(o, argc, argv, done);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, errtext, sizeof(errtext) - 1, 0);
	errtext[n > 0 ? n : 0] = '\0';
	close(fd);
	while (argc > 0)
		free(argv[--argc]);
	return rc;
}

#define PARSE(o, ...) parse(o, &done, __VA_ARGS__, (const char *)NULL)
#define CREDS	      "-u", "alice", "-p", "pw"

/* A usage error whose message holds want. */
#define assert_usage(rc, want)                                                 \
	do {                                                                   \
		assert_int_equal(rc, 2);                                       \
		if (strstr(errtext, want) == NULL)                             \
			fail_msg("\"%s\" not in: %s", want, errtext);          \
	} while (0)

static const uint8_t pin0[32] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
	14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
	31 };
#define PIN0 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define PIN1 "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
#define PINF "//////////////////////////////////////////8="

static void
opts_defaults(void **state)
{
	struct client_opts o;

	(void)state;
	client_opts_default(&o);
	assert_string_equal(o.host, "");
	assert_int_equal(o.port, 443);
	assert_false(o.have_password);
	assert_string_equal(o.ca_file, "");
	assert_false(o.insecure);
	assert_int_equal(o.npins, 0);
	assert_int_equal(o.tls_min, TLS1_2_VERSION);
	assert_string_equal(o.ciphers, "");
	assert_string_equal(o.proxy, "");
	assert_true(o.proxy_from_env);
	assert_string_equal(o.tun, "opensstp0");
	assert_int_equal(o.mtu, 1400);
	assert_true(o.ipv4);
	assert_true(o.ipv6);
	assert_int_equal(o.nauth, 4);
	assert_int_equal(o.auth[0], PPP_AUTH_MSCHAPV2);
	assert_int_equal(o.auth[1], PPP_AUTH_EAP);
	assert_int_equal(o.auth[2], PPP_AUTH_CHAP_MD5);
	assert_int_equal(o.auth[3], PPP_AUTH_PAP);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_DEFAULT);
	assert_int_equal(o.nroutes, 0);
	assert_string_equal(o.dns_hook, "");
	assert_false(o.kill_switch);
	assert_true(o.reconnect);
	assert_int_equal(o.max_retries, -1);
	assert_int_equal(o.backoff_min_ms, 1000);
	assert_int_equal(o.backoff_max_ms, 60000);
	assert_int_equal(o.dead_peer_ms, 30000);
	assert_int_equal(o.hello_ms, 60000);
	assert_int_equal(o.lcp_echo_ms, 30000);
	assert_int_equal(o.handshake_ms, 60000);
	assert_int_equal(o.connect_ms, 15000);
	assert_int_equal(o.log_level, LOG_LVL_INFO);
	assert_int_equal(o.progress, -1);
	assert_string_equal(o.profile, "");
}

static void
opts_minimal(void **state)
{
	struct client_opts o;
	bool done;

	(void)state;
	assert_int_equal(PARSE(&o, "vpn.example.com", CREDS), 0);
	assert_false(done);
	assert_string_equal(o.host, "vpn.example.com");
	assert_int_equal(o.port, 443);
	assert_string_equal(o.user, "alice");
	assert_string_equal(o.password, "pw");
	assert_true(o.have_password);
	assert_int_equal(o.mtu, 1400);
	assert_int_equal(PARSE(&o, CREDS, "[2001:db8::1]:8443"), 0);
	assert_string_equal(o.host, "2001:db8::1");
	assert_int_equal(o.port, 8443);
	assert_int_equal(PARSE(&o, CREDS, "192.0.2.1:444"), 0);
	assert_string_equal(o.host, "192.0.2.1");
	assert_int_equal(o.port, 444);
}

static void
opts_every_option(void **state)
{
	char pw[256], ca[256], ppw[256], hook[256];
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	path_in_dir(pw, sizeof(pw), "pw");
	path_in_dir(ca, sizeof(ca), "ca.crt");
	path_in_dir(ppw, sizeof(ppw), "proxy-pw");
	path_in_dir(hook, sizeof(hook), "hook");
	assert_int_equal(
	    PARSE(&o, "--user", "CORP\\bob", "--password-file", pw, "--ca-file",
		ca, "--insecure", "--pin-sha256", PIN0, "--pin-sha256",
		"sha256//" PIN1, "--tls-min", "1.3", "--ciphers",
		"ECDHE+AESGCM", "--proxy", "http://u:p@proxy.test:3128",
		"--no-proxy-env", "--proxy-password-file", ppw, "--tun", "vpn7",
		"--mtu", "1350", "--no-ipv6", "--auth", "pap, chap", "--route",
		"10.0.0.0/8", "--dns-hook", hook, "--kill-switch",
		"--no-reconnect", "--max-retries", "7", "--backoff-min-ms",
		"200", "--backoff-max-ms", "3000", "--dead-peer-ms", "5000",
		"--hello-ms", "1", "--lcp-echo-ms", "0", "--handshake-ms",
		"2000", "--connect-ms", "3000", "--log-level", "warn",
		"--progress", "h.test"),
	    0);
	assert_string_equal(o.host, "h.test");
	assert_string_equal(o.user, "CORP\\bob");
	assert_string_equal(o.password, "s3cret");
	assert_true(o.have_password);
	assert_string_equal(o.ca_file, ca);
	assert_true(o.insecure);
	assert_int_equal(o.npins, 2);
	assert_memory_equal(o.pins[0], pin0, 32);
	assert_int_equal(o.pins[1][0], 1);
	assert_int_equal(o.pins[1][31], 32);
	assert_int_equal(o.tls_min, TLS1_3_VERSION);
	assert_string_equal(o.ciphers, "ECDHE+AESGCM");
	assert_string_equal(o.proxy, "http://u:p@proxy.test:3128");
	assert_false(o.proxy_from_env);
	assert_string_equal(o.proxy_password_file, ppw);
	assert_string_equal(o.tun, "vpn7");
	assert_int_equal(o.mtu, 1350);
	assert_true(o.ipv4);
	assert_false(o.ipv6);
	assert_int_equal(o.nauth, 2);
	assert_int_equal(o.auth[0], PPP_AUTH_PAP);
	assert_int_equal(o.auth[1], PPP_AUTH_CHAP_MD5);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_LISTED);
	assert_int_equal(o.nroutes, 1);
	assert_int_equal(o.routes[0].len, 8);
	assert_string_equal(o.dns_hook, hook);
	assert_true(o.kill_switch);
	assert_false(o.reconnect);
	assert_int_equal(o.max_retries, 7);
	assert_int_equal(o.backoff_min_ms, 200);
	assert_int_equal(o.backoff_max_ms, 3000);
	assert_int_equal(o.dead_peer_ms, 5000);
	assert_int_equal(o.hello_ms, 1);
	assert_int_equal(o.lcp_echo_ms, 0);
	assert_int_equal(o.handshake_ms, 2000);
	assert_int_equal(o.connect_ms, 3000);
	assert_int_equal(o.log_level, LOG_LVL_WARN);
	assert_int_equal(o.progress, 1);

	assert_int_equal(PARSE(&o, CREDS, "--no-ipv4", "--no-routes",
			     "--no-progress", "--max-retries", "forever",
			     "--auth", "EAP-MSCHAPv2,mschapv2", "x"),
	    0);
	assert_false(o.ipv4);
	assert_true(o.ipv6);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_NONE);
	assert_int_equal(o.progress, 0);
	assert_int_equal(o.max_retries, -1);
	assert_int_equal(o.nauth, 2);
	assert_int_equal(o.auth[0], PPP_AUTH_EAP);
	assert_int_equal(o.auth[1], PPP_AUTH_MSCHAPV2);
	/* --opt=value and abbreviations, as getopt_long takes them. */
	assert_int_equal(
	    PARSE(&o, CREDS, "--mtu=1280", "--tls-m", "1.2", "x"), 0);
	assert_int_equal(o.mtu, 1280);
	assert_int_equal(o.tls_min, TLS1_2_VERSION);
}

static void
opts_help_version(void **state)
{
	static const char *const names[] = { "user", "password",
		"password-file", "ca-file", "insecure", "pin-sha256", "tls-min",
		"ciphers", "proxy", "no-proxy-env", "proxy-password-file",
		"tun", "mtu", "no-ipv4", "no-ipv6", "auth", "route",
		"no-routes", "dns-hook", "kill-switch", "no-reconnect",
		"max-retries", "backoff-min-ms", "backoff-max-ms",
		"dead-peer-ms", "hello-ms", "lcp-echo-ms", "handshake-ms",
		"connect-ms", "log-level", "progress", "no-progress", "profile",
		"help", "version" };
	char tmpl[] = "/tmp/opensstp-opts-out.XXXXXX", out[8192], want[64];
	struct client_opts o;
	int fd, saved;
	ssize_t n;
	size_t i;
	bool done;

	(void)state;
	assert_true((fd = mkstemp(tmpl)) >= 0);
	unlink(tmpl);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	/* --help wins over anything else, even a broken profile. */
	assert_int_equal(
	    PARSE(&o, "@no-such-profile", "--mtu", "1", "--help"), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	assert_true(done);
	n = pread(fd, out, sizeof(out) - 1, 0);
	assert_true(n > 0);
	out[n] = '\0';
	for (i = 0; i < ARRAY_LEN(names); i++) {
		snprintf(want, sizeof(want), "--%s ", names[i]);
		if (strstr(out, want) == NULL)
			fail_msg("%s is not in --help", want);
	}
	assert_non_null(strstr(out, "Exit status:"));
	assert_non_null(strstr(out, "  7  "));
	/* Every line fits a terminal. */
	for (char *p = out, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (nl - p > 80)
			fail_msg(
			    "line over 80 columns: %.*s", (int)(nl - p), p);

	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	dup2(fd, STDOUT_FILENO);
	assert_int_equal(PARSE(&o, "-V"), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_true(done);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	assert_true(strncmp(out, "opensstp ", 9) == 0);
}

static void
opts_errors(void **state)
{
	struct client_opts o;
	bool done;

	(void)state;
	assert_usage(PARSE(&o, CREDS), "no server");
	assert_usage(PARSE(&o, "-p", "x", "h"), "user name is needed");
	assert_usage(PARSE(&o, "-u", "a", "h"), "a password is needed");
	assert_usage(PARSE(&o, CREDS, "h", "i"), "one server only");
	assert_usage(PARSE(&o, CREDS, "h:0"), "is not SERVER[:PORT]");
	assert_usage(PARSE(&o, CREDS, "h:99999"), "is not SERVER[:PORT]");
	assert_usage(PARSE(&o, CREDS, "--bogus", "h"), "unrecognized");
	assert_usage(PARSE(&o, CREDS, "h", "--mtu"), "requires an argument");
	assert_usage(PARSE(&o, CREDS, "--mtu", "575", "h"), "--mtu: \"575\"");
	assert_usage(PARSE(&o, CREDS, "--mtu", "4092", "h"), "576..4091");
	assert_usage(PARSE(&o, CREDS, "--mtu", "1400x", "h"), "--mtu");
	assert_usage(PARSE(&o, CREDS, "--tls-min", "1.1", "h"), "1.2 or 1.3");
	assert_usage(PARSE(&o, CREDS, "--auth", "mschapv2,ntlm", "h"),
	    "\"ntlm\" is not one of");
	assert_usage(PARSE(&o, CREDS, "--auth", "pap,pap", "h"), "twice");
	assert_usage(PARSE(&o, CREDS, "--auth", "pap,", "h"), "empty item");
	assert_usage(PARSE(&o, CREDS, "--tun", "a/b", "h"), "interface name");
	assert_usage(
	    PARSE(&o, CREDS, "--tun", "0123456789abcdef", "h"), "1 to 15");
	assert_usage(
	    PARSE(&o, CREDS, "--proxy", "https://p:1", "h"), "only http://");
	assert_usage(
	    PARSE(&o, CREDS, "--proxy", "p.test:3128", "h"), "is not http://");
	assert_usage(
	    PARSE(&o, CREDS, "--proxy", "http://u@", "h"), "is not http://");
	assert_usage(
	    PARSE(&o, CREDS, "--max-retries", "-1", "h"), "or \"forever\"");
	assert_usage(PARSE(&o, CREDS, "--hello-ms", "0", "h"), "1..86400000");
	assert_usage(
	    PARSE(&o, CREDS, "--connect-ms", "86400001", "h"), "--connect-ms");
	assert_usage(PARSE(&o, CREDS, "--dead-peer-ms", "999", "h"), "0 (off)");
	assert_int_equal(PARSE(&o, CREDS, "--dead-peer-ms", "0", "h"), 0);
	assert_usage(PARSE(&o, CREDS, "--backoff-min-ms", "5000",
			 "--backoff-max-ms", "4000", "h"),
	    "above --backoff-max-ms");
	assert_usage(PARSE(&o, CREDS, "--no-ipv4", "--no-ipv6", "h"),
	    "nothing to carry");
	assert_usage(
	    PARSE(&o, CREDS, "--log-level", "loud", "h"), "not error, warn");
	assert_usage(PARSE(&o, CREDS, "--ca-file", "/nonexistent/ca", "h"),
	    "--ca-file /nonexistent/ca: No such file");
	assert_usage(
	    PARSE(&o, CREDS, "--dns-hook", "/nonexistent", "h"), "--dns-hook");
	assert_usage(PARSE(&o, CREDS, "--user", "", "h"), "needs a name");
	assert_usage(PARSE(&o, "-u", "a", "-p", "", "h"), "empty password");
	assert_usage(PARSE(&o, CREDS, "@a", "@b", "h"), "one profile");
	assert_usage(
	    PARSE(&o, CREDS, "@a", "--profile", "b", "h"), "one profile");
	assert_usage(PARSE(&o, CREDS, "@no-such", "h"), "No such file");
	assert_usage(PARSE(&o, CREDS, "@bad!name", "h"), "not a profile name");
	assert_usage(PARSE(&o, CREDS, "@.hidden", "h"), "not a profile name");
}

static void
opts_hook_not_executable(void **state)
{
	char path[256];
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	/* Even root's access(X_OK) wants an execute bit. */
	path_in_dir(path, sizeof(path), "not-exec");
	assert_usage(
	    PARSE(&o, CREDS, "--dns-hook", path, "h"), "not executable");
}

static void
opts_password_sources(void **state)
{
	char pw[256], crlf[256], empty[256];
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	path_in_dir(pw, sizeof(pw), "pw");
	path_in_dir(crlf, sizeof(crlf), "pw-crlf");
	path_in_dir(empty, sizeof(empty), "pw-empty");
	assert_int_equal(PARSE(&o, "-u", "a", "--password-file", crlf, "h"), 0);
	assert_string_equal(o.password, "abc");
	/* The last one given wins. */
	assert_int_equal(
	    PARSE(&o, "-u", "a", "--password-file", pw, "-p", "x", "h"), 0);
	assert_string_equal(o.password, "x");
	assert_int_equal(
	    PARSE(&o, "-u", "a", "-p", "x", "--password-file", pw, "h"), 0);
	assert_string_equal(o.password, "s3cret");
	assert_usage(PARSE(&o, "-u", "a", "--password-file", empty, "h"),
	    "first line is empty");
	assert_usage(
	    PARSE(&o, "-u", "a", "--password-file", "/nonexistent/pw", "h"),
	    "/nonexistent/pw: No such file");
	assert_usage(PARSE(&o, "-u", "a", "--password-file", dir, "h"),
	    "not a regular file");
}

/* --password's argument is wiped from argv once copied. */
static void
opts_password_wiped(void **state)
{
	char a0[] = "opensstp", a1[] = "-p", a2[] = "hunter2", a3[] = "-u",
	     a4[] = "u", a5[] = "h";
	char *argv[] = { a0, a1, a2, a3, a4, a5, NULL };
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	assert_int_equal(client_opts_parse(&o, 6, argv, &done), 0);
	assert_string_equal(o.password, "hunter2");
	assert_int_equal(a2[0], '\0');
	assert_string_equal(a0, "opensstp");
}

/* No password given, a terminal on stdin: it is asked for. */
static void
opts_password_prompt(void **state)
{
	struct client_opts o;
	int master, slave = -1, saved, status;
	pid_t child;
	bool done;
	int rc;

	(void)state;
	fixture();
	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
	    grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0)
		skip();
	/* The answer is typed once the echo is off: the prompt flushes
	 * what came before. */
	if ((child = fork()) == 0) {
		struct termios t;
		int i;

		for (i = 0; i < 500; i++) {
			if (tcgetattr(master, &t) == 0 &&
			    (t.c_lflag & ECHO) == 0) {
				_exit(write(master, "typed\n", 6) == 6 ? 0 : 1);
			}
			usleep(10000);
		}
		_exit(1);
	}
	assert_true(child > 0);
	saved = dup(STDIN_FILENO);
	dup2(slave, STDIN_FILENO);
	clearerr(stdin);
	rc = PARSE(&o, "-u", "alice", "h.test");
	dup2(saved, STDIN_FILENO);
	clearerr(stdin);
	close(saved);
	close(slave);
	assert_int_equal(waitpid(child, &status, 0), child);
	close(master);
	assert_int_equal(rc, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(o.password, "typed");
	assert_non_null(strstr(errtext, "password for alice@h.test: "));
}

static void
opts_pins(void **state)
{
	struct client_opts o;
	bool done;

	(void)state;
	/* curl's form, several at once. */
	assert_int_equal(PARSE(&o, CREDS, "--pin-sha256",
			     "sha256//" PIN0 ";sha256//" PIN1, "h"),
	    0);
	assert_int_equal(o.npins, 2);
	assert_memory_equal(o.pins[0], pin0, 32);
	/* Without the '=' and with a comma list. */
	assert_int_equal(
	    PARSE(&o, CREDS, "--pin-sha256",
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8, " PINF, "h"),
	    0);
	assert_int_equal(o.npins, 2);
	assert_memory_equal(o.pins[0], pin0, 32);
	assert_int_equal(o.pins[1][0], 0xff);
	assert_int_equal(o.pins[1][31], 0xff);
	assert_usage(PARSE(&o, CREDS, "--pin-sha256", "abc", "h"),
	    "not the base64 of a SHA-256");
	assert_usage(
	    PARSE(&o, CREDS, "--pin-sha256", PIN0 "=", "h"), "not the base64");
	assert_usage(PARSE(&o, CREDS, "--pin-sha256",
			 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=", "h"),
	    "not canonical");
	assert_usage(PARSE(&o, CREDS, "--pin-sha256",
			 "AAECAwQFBgcICQoLDA0ODxAREh_UFRYXGBkaGxwdHh8=", "h"),
	    "'_' is not a base64 character");
	assert_usage(PARSE(&o, CREDS, "--pin-sha256", PIN0, "--pin-sha256",
			 "sha256//" PIN0, "h"),
	    "listed twice");
	assert_usage(PARSE(&o, CREDS, "--pin-sha256",
			 PIN0 "," PIN1 "," PINF
			      ",AgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICE=,"
			      "AwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISI=",
			 "h"),
	    "more than 4 pins");
	assert_usage(PARSE(&o, CREDS, "--pin-sha256", "", "h"), "empty item");
}

static void
opts_routes(void **state)
{
	char many[32 * 16 + 16], *p = many;
	struct client_opts o;
	bool done;
	int i;

	(void)state;
	assert_int_equal(
	    PARSE(&o, CREDS, "--route", "10.0.0.0/8,192.168.0.0/16", "--route",
		"2001:db8::/32", "h"),
	    0);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_LISTED);
	assert_int_equal(o.nroutes, 3);
	assert_int_equal(o.routes[1].len, 16);
	assert_int_equal(o.routes[1].addr.b[0], 192);
	assert_int_equal(o.routes[2].addr.family, AF_INET6);
	assert_usage(PARSE(&o, CREDS, "--route", "10.1.2.3/8", "h"),
	    "host bits set (10.0.0.0/8?)");
	assert_usage(
	    PARSE(&o, CREDS, "--route", "10.0.0.0", "h"), "is not a prefix");
	assert_usage(PARSE(&o, CREDS, "--route", "10.0.0.0/8", "--route",
			 "10.0.0.0/8", "h"),
	    "listed twice");
	assert_usage(
	    PARSE(&o, CREDS, "--route", "10.0.0.0/8", "--no-routes", "h"),
	    "route and no-routes together");
	assert_usage(
	    PARSE(&o, CREDS, "--no-routes", "--route", "10.0.0.0/8", "h"),
	    "route and no-routes together");
	assert_usage(
	    PARSE(&o, CREDS, "--no-ipv4", "--route", "10.0.0.0/8", "h"),
	    "--route 10.0.0.0/8: IPv4 is off");
	for (i = 0; i < 33; i++)
		p += sprintf(p, "%s10.%d.0.0/16", i > 0 ? "," : "", i);
	assert_usage(PARSE(&o, CREDS, "--route", many, "h"), "more than 32");
	many[strlen(many) - strlen(",10.32.0.0/16")] = '\0';
	assert_int_equal(PARSE(&o, CREDS, "--route", many, "h"), 0);
	assert_int_equal(o.nroutes, 32);
}

static void
opts_profile(void **state)
{
	struct client_opts o;
	bool done;

	(void)state;
	assert_int_equal(PARSE(&o, "@work"), 0);
	assert_string_equal(o.profile, "work");
	assert_string_equal(o.host, "vpn.example.com");
	assert_int_equal(o.port, 8443);
	assert_string_equal(o.user, "alice");
	assert_string_equal(o.password, "from-profile");
	assert_int_equal(o.mtu, 1300);
	assert_int_equal(o.log_level, LOG_LVL_DEBUG);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_LISTED);
	assert_int_equal(o.nroutes, 3);
	assert_int_equal(o.routes[2].addr.family, AF_INET6);
	assert_int_equal(o.npins, 1);
	assert_memory_equal(o.pins[0], pin0, 32);
	assert_true(o.kill_switch);
	assert_false(o.reconnect);
	assert_int_equal(o.max_retries, 5);
	/* It holds a password but is mode 0600: no warning. */
	assert_null(strstr(errtext, "warning"));
}

/* The command line wins over the profile wherever each stands. */
static void
opts_profile_overrides(void **state)
{
	char path[256], pw[256];
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	path_in_dir(path, sizeof(path), "work.conf");
	path_in_dir(pw, sizeof(pw), "pw");
	assert_int_equal(PARSE(&o, "--mtu", "1280", "other.test", "--route",
			     "172.16.0.0/12", "--pin-sha256", PIN1,
			     "--password-file", pw, "--profile", "work"),
	    0);
	assert_string_equal(o.profile, "work");
	assert_int_equal(o.mtu, 1280);
	assert_string_equal(o.host, "other.test");
	assert_int_equal(o.port, 443);
	assert_string_equal(o.password, "s3cret");
	/* Lists: the command line's replace the profile's. */
	assert_int_equal(o.nroutes, 1);
	assert_int_equal(o.routes[0].addr.b[0], 172);
	assert_int_equal(o.npins, 1);
	assert_int_equal(o.pins[0][0], 1);
	/* What the command line did not name stays the profile's. */
	assert_int_equal(o.log_level, LOG_LVL_DEBUG);
	assert_true(o.kill_switch);
	assert_int_equal(o.max_retries, 5);
	/* --no-routes over the profile's routes; a path for a profile. */
	assert_int_equal(PARSE(&o, "--no-routes", "--profile", path), 0);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_NONE);
	assert_int_equal(o.nroutes, 0);
	assert_string_equal(o.profile, path);
	/* A bad profile is a usage error naming the file and line. */
	write_file("broken.conf", "[client]\nmtu = 1300\nmtu = 1200\n", 0600);
	assert_usage(PARSE(&o, "@broken", CREDS, "h"),
	    "/broken.conf:3: mtu given twice");
}

static void
opts_profile_keys(void **state)
{
	struct client_opts o;
	char err[512];

	(void)state;
	client_opts_default(&o);
	assert_true(client_profile_parse(&o,
	    "[Client]\r\n"
	    "# comment\n"
	    "SERVER = [2001:db8::5]\n"
	    "no-ipv6 = yes\n"
	    "No_Proxy_Env = on\n"
	    "insecure = 1\n"
	    "progress = auto\n"
	    "tls_min = 1.3\n"
	    "auth = mschapv2\n"
	    "route = 10.0.0.0/8\n"
	    "no-routes = no\n"
	    "dead_peer_ms = 0\n",
	    "p", err, sizeof(err)));
	assert_string_equal(o.host, "2001:db8::5");
	assert_int_equal(o.port, 443);
	assert_false(o.ipv6);
	assert_false(o.proxy_from_env);
	assert_true(o.insecure);
	assert_int_equal(o.progress, -1);
	assert_int_equal(o.tls_min, TLS1_3_VERSION);
	assert_int_equal(o.nauth, 1);
	assert_int_equal(o.route_mode, CLIENT_ROUTES_LISTED);
	assert_int_equal(o.dead_peer_ms, 0);
	/* Flags off again. */
	assert_true(client_profile_parse(&o,
	    "[client]\nno-ipv6 = no\ninsecure = false\nprogress = no\n", "p",
	    err, sizeof(err)));
	assert_true(o.ipv6);
	assert_false(o.insecure);
	assert_int_equal(o.progress, 0);
}

static void
opts_profile_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[client]\nfoo = 1\n", "f:2: unknown key \"foo\"" },
		{ "[client]\nhelp = 1\n", "f:2: unknown key \"help\"" },
		{ "[client]\nprofile = x\n", "f:2: a profile cannot name" },
		{ "mtu = 1300\n", "f:1: \"mtu\" before [client]" },
		{ "[server]\n", "f:1: unknown section [server]" },
		{ "[client]\nmtu = 1300\n\nMTU = 1300\n",
		    "f:4: mtu given twice" },
		{ "[client]\npassword = a\npassword-file = /x\n",
		    "f:3: password-file: password and password-file both" },
		{ "[client]\npassword-file = /nonexistent\n",
		    "f:2: password-file: /nonexistent: No such file" },
		{ "[client]\ninsecure = maybe\n",
		    "f:2: insecure: \"maybe\" is not yes or no" },
		{ "[client]\nprogress = sometimes\n",
		    "f:2: progress: \"sometimes\" is not yes, no or auto" },
		{ "[client]\nserver = a:b:c:\n", "f:2: server: " },
		{ "[client]\nserver = \n", "f:2: server: \"\" is not" },
		{ "[client]\nroute = 10.0.0.0/8\nno-routes = yes\n",
		    "f:3: no-routes: route and no-routes together" },
		{ "[client]\npin-sha256 = x\n", "f:2: pin-sha256: \"x\"" },
		{ "[client]\n  mtu = 1\n", "f:2: indented line" },
		{ "[client]\nmtu\n", "f:2: syntax error" },
		{ "[client]\nuser = a\x01\n", "f:2: user: control character" },
	};
	struct client_opts o, before;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		client_opts_default(&o);
		before = o;
		err[0] = '\0';
		if (client_profile_parse(
			&o, cases[i].text, "f", err, sizeof(err)))
			fail_msg("case %zu parsed", i);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: \"%s\" not in \"%s\"", i,
			    cases[i].want, err);
		/* A failed profile changes nothing. */
		assert_memory_equal(&o, &before, sizeof(o));
	}
}

/* A profile holding a password that others may read is warned about. */
static void
opts_profile_mode_warning(void **state)
{
	struct client_opts o;
	bool done;

	(void)state;
	fixture();
	write_file("open.conf",
	    "[client]\nserver = h\nuser = u\npassword = p\n", 0644);
	assert_int_equal(PARSE(&o, "@open"), 0);
	assert_non_null(strstr(errtext, "warning"));
	assert_non_null(strstr(errtext, "chmod 600"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_defaults),
		cmocka_unit_test(opts_minimal),
		cmocka_unit_test(opts_every_option),
		cmocka_unit_test(opts_help_version),
		cmocka_unit_test(opts_errors),
		cmocka_unit_test(opts_hook_not_executable),
		cmocka_unit_test(opts_password_sources),
		cmocka_unit_test(opts_password_wiped),
		cmocka_unit_test(opts_password_prompt),
		cmocka_unit_test(opts_pins),
		cmocka_unit_test(opts_routes),
		cmocka_unit_test(opts_profile),
		cmocka_unit_test(opts_profile_overrides),
		cmocka_unit_test(opts_profile_keys),
		cmocka_unit_test(opts_profile_errors),
		cmocka_unit_test(opts_profile_mode_warning),
	};

	return test_run(argc, argv, "client_options", tests, ARRAY_LEN(tests));
}
