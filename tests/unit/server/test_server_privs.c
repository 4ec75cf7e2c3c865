/*
 * The privilege drop and the seccomp filter, in forked children (the drop
 * cannot be undone): the parent reads the child's /proc/PID/status while
 * it waits, then lets it make a call outside the filter and checks how it
 * ended.  The children end with the raw exit_group system call, since a
 * sanitizer's exit path would make calls the filter refuses.  Needs root.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/privs.h"
#include "test_run.h"

enum after {
	AFTER_NOTHING, /* exit 0 */
	AFTER_SOCKET, /* socket(AF_INET) */
	AFTER_EXECVE, /* execve(/bin/true) */
	AFTER_MMAP_EXEC, /* mmap(PROT_EXEC) */
	AFTER_MPROTECT_EXEC, /* mprotect(PROT_EXEC) */
	AFTER_OPEN_READ, /* open(O_RDONLY): SIGHUP's reads; exit 0 */
	AFTER_OPEN_WRITE, /* open(O_WRONLY | O_CREAT) */
	AFTER_SYSLOG, /* syslog(3)'s reconnect and send; exit 0 */
	AFTER_UNIX_STREAM, /* socket(AF_UNIX, SOCK_STREAM): EACCES, exit 0 */
	AFTER_SENDTO_ADDR, /* sendto() with an address */
};

struct child {
	pid_t pid;
	int to; /* parent -> child: go on */
	int from; /* child -> parent: dropped (1) or not (0) */
};

/*
 * Must not look noreturn to the compiler: ASan calls sigaltstack before a
 * noreturn call, and the filter refuses it.
 */
static void
child_exit(int code)
{
	syscall(SYS_exit_group, code);
}

/* In the child: drop, say so, wait for the parent, then do AFTER; the
 * exit status.  Killed by SIGSYS if the filter refuses. */
static int
child_main(const char *user, enum privs_seccomp mode, enum after after, int in,
    int out)
{
	char err[256], c = 0;
	bool ok = privs_drop(user, mode, err, sizeof(err));
	char *argv[] = { "/bin/true", NULL };
	struct sockaddr_un sun = { 0 };
	void *p;
	int fd;

	c = ok ? '1' : '0';
	if (write(out, &c, 1) != 1 || !ok)
		return 10;
	if (read(in, &c, 1) != 1)
		return 11;
	switch (after) {
	case AFTER_NOTHING:
		return 0;
	case AFTER_SOCKET:
		/* Log mode: the call is made and logged; exit 0 on success. */
		return syscall(SYS_socket, AF_INET, SOCK_STREAM, 0) >= 0 ? 0
									 : 12;
	case AFTER_EXECVE:
		syscall(SYS_execve, argv[0], argv, NULL);
		return 13;
	case AFTER_MMAP_EXEC:
		p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? 14 : 0;
	case AFTER_MPROTECT_EXEC:
		p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 15;
		syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_EXEC);
		return 0;
	case AFTER_OPEN_READ:
		fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
		return fd >= 0 && close(fd) == 0 ? 0 : 17;
	case AFTER_OPEN_WRITE:
		/* Killed before the kernel looks at the path. */
		open("/proc/self/comm", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		return 18;
	case AFTER_SYSLOG:
		/* As glibc does after a failed send: a new socket, connect()
		 * (no such path here), send() on it (not connected). */
		fd = (int)syscall(
		    SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return 19;
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path),
		    "/nonexistent/opensstp-log");
		if (syscall(SYS_connect, fd, &sun, sizeof(sun)) == 0 ||
		    errno != ENOENT)
			return 20;
		if (syscall(SYS_sendto, fd, "x", 1, MSG_NOSIGNAL, NULL, 0) >= 0)
			return 21;
		return close(fd) == 0 ? 0 : 22;
	case AFTER_UNIX_STREAM:
		return syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0) < 0 &&
			errno == EACCES
		    ? 0
		    : 23;
	case AFTER_SENDTO_ADDR:
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "/dev/log");
		syscall(SYS_sendto, 1, "x", 1, 0, &sun, sizeof(sun));
		return 24;
	}
	return 16;
}

static void
child_start(struct child *ch, const char *user, enum privs_seccomp mode,
    enum after after)
{
	int down[2], up[2];
	char c = 0;

	assert_int_equal(pipe(down), 0);
	assert_int_equal(pipe(up), 0);
	fflush(NULL);
	ch->pid = fork();
	assert_true(ch->pid >= 0);
	if (ch->pid == 0) {
		close(down[1]);
		close(up[0]);
		child_exit(child_main(user, mode, after, down[0], up[1]));
		abort(); /* not reached */
	}
	close(down[0]);
	close(up[1]);
	ch->to = down[1];
	ch->from = up[0];
	assert_int_equal(read(ch->from, &c, 1), 1);
	assert_int_equal(c, '1');
}

/* Let it go on and give its wait status. */
static int
child_finish(struct child *ch)
{
	int status = 0;

	assert_int_equal(write(ch->to, "g", 1), 1);
	assert_int_equal(waitpid(ch->pid, &status, 0), ch->pid);
	close(ch->to);
	close(ch->from);
	return status;
}

/* A field of /proc/PID/status, whitespace squeezed to single spaces. */
static void
status_field(pid_t pid, const char *name, char *out, size_t cap)
{
	char path[64], line[512], *v;
	size_t n, len = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, name, len) != 0 || line[len] != ':')
			continue;
		v = line + len + 1;
		n = 0;
		for (; *v != '\0' && *v != '\n'; v++) {
			if (*v == ' ' || *v == '\t') {
				if (n > 0 && out[n - 1] != ' ')
					out[n++] = ' ';
			} else
				out[n++] = *v;
			if (n + 1 >= cap)
				break;
		}
		while (n > 0 && out[n - 1] == ' ')
			n--;
		out[n] = '\0';
		break;
	}
	fclose(f);
}

static void
assert_field(pid_t pid, const char *name, const char *want)
{
	char got[256];

	status_field(pid, name, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s: \"%s\", wanted \"%s\"", name, got, want);
}

static const struct passwd *
need_root_and_nobody(void)
{
	static struct passwd pw;
	const struct passwd *p;

	if (geteuid() != 0)
		skip();
	p = getpwnam("nobody");
	if (p == NULL)
		skip();
	pw = *p;
	return &pw;
}

static void
assert_killed_by_sigsys(int status)
{
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
		fail_msg("wait status %#x: not killed by SIGSYS", status);
}

static void
drops_to_nobody_with_nothing_left(void **state)
{
	const struct passwd *pw = need_root_and_nobody();
	struct child ch;
	char want[128];
	int status;

	(void)state;
	child_start(&ch, "nobody", PRIVS_SECCOMP_ENFORCE, AFTER_NOTHING);
	snprintf(want, sizeof(want), "%u %u %u %u", (unsigned)pw->pw_uid,
	    (unsigned)pw->pw_uid, (unsigned)pw->pw_uid, (unsigned)pw->pw_uid);
	assert_field(ch.pid, "Uid", want);
	snprintf(want, sizeof(want), "%u %u %u %u", (unsigned)pw->pw_gid,
	    (unsigned)pw->pw_gid, (unsigned)pw->pw_gid, (unsigned)pw->pw_gid);
	assert_field(ch.pid, "Gid", want);
	snprintf(want, sizeof(want), "%u", (unsigned)pw->pw_gid);
	assert_field(ch.pid, "Groups", want);
	assert_field(ch.pid, "CapInh", "0000000000000000");
	assert_field(ch.pid, "CapPrm", "0000000000000000");
	assert_field(ch.pid, "CapEff", "0000000000000000");
	assert_field(ch.pid, "CapBnd", "0000000000000000");
	assert_field(ch.pid, "CapAmb", "0000000000000000");
	assert_field(ch.pid, "NoNewPrivs", "1");
	assert_field(ch.pid, "Seccomp", "2");
	/* The allowed calls (write, read, exit_group) still work. */
	status = child_finish(&ch);
	if (!WIFEXITED(status))
		fail_msg("wait status %#x", status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
enforce_kills(enum after after)
{
	struct child ch;

	need_root_and_nobody();
	child_start(&ch, "nobody", PRIVS_SECCOMP_ENFORCE, after);
	assert_killed_by_sigsys(child_finish(&ch));
}

static void
enforce_kills_socket(void **state)
{
	(void)state;
	enforce_kills(AFTER_SOCKET);
}

static void
enforce_kills_execve(void **state)
{
	(void)state;
	enforce_kills(AFTER_EXECVE);
}

static void
enforce_kills_exec_mapping(void **state)
{
	(void)state;
	enforce_kills(AFTER_MMAP_EXEC);
	enforce_kills(AFTER_MPROTECT_EXEC);
}

static void
enforce_kills_open_for_writing(void **state)
{
	(void)state;
	enforce_kills(AFTER_OPEN_WRITE);
}

static void
enforce_allows_open_for_reading(void **state)
{
	struct child ch;
	int status;

	(void)state;
	need_root_and_nobody();
	child_start(&ch, "nobody", PRIVS_SECCOMP_ENFORCE, AFTER_OPEN_READ);
	status = child_finish(&ch);
	if (!WIFEXITED(status))
		fail_msg("wait status %#x", status);
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* log = syslog: what syslog(3) needs after the drop, and no more. */
static void
enforce_allows_syslog(void **state)
{
	static const enum after ok[] = { AFTER_SYSLOG, AFTER_UNIX_STREAM };
	struct child ch;
	size_t i;
	int status;

	(void)state;
	need_root_and_nobody();
	for (i = 0; i < ARRAY_LEN(ok); i++) {
		child_start(&ch, "nobody", PRIVS_SECCOMP_ENFORCE, ok[i]);
		status = child_finish(&ch);
		if (!WIFEXITED(status))
			fail_msg("case %zu: wait status %#x", i, status);
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	enforce_kills(AFTER_SENDTO_ADDR);
	enforce_kills(AFTER_SOCKET); /* AF_INET still */
}

static void
log_mode_lets_the_call_through(void **state)
{
	struct child ch;
	int status;

	(void)state;
	need_root_and_nobody();
	child_start(&ch, "nobody", PRIVS_SECCOMP_LOG, AFTER_SOCKET);
	assert_field(ch.pid, "Seccomp", "2");
	status = child_finish(&ch);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
root_user_stays_root_without_filter(void **state)
{
	struct child ch;
	int status;

	(void)state;
	need_root_and_nobody();
	child_start(&ch, "root", PRIVS_SECCOMP_OFF, AFTER_SOCKET);
	assert_field(ch.pid, "Uid", "0 0 0 0");
	assert_field(ch.pid, "NoNewPrivs", "1");
	assert_field(ch.pid, "Seccomp", "0");
	status = child_finish(&ch);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
unknown_user_is_an_error(void **state)
{
	char err[256] = "";

	(void)state;
	/* getpwnam fails before anything changes: safe in this process. */
	assert_false(privs_drop(
	    "no-such-user-opensstp", PRIVS_SECCOMP_ENFORCE, err, sizeof(err)));
	assert_non_null(strstr(err, "no-such-user-opensstp"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drops_to_nobody_with_nothing_left),
		cmocka_unit_test(enforce_kills_socket),
		cmocka_unit_test(enforce_kills_execve),
		cmocka_unit_test(enforce_kills_exec_mapping),
		cmocka_unit_test(enforce_kills_open_for_writing),
		cmocka_unit_test(enforce_allows_open_for_reading),
		cmocka_unit_test(enforce_allows_syslog),
		cmocka_unit_test(log_mode_lets_the_call_through),
		cmocka_unit_test(root_user_stays_root_without_filter),
		cmocka_unit_test(unknown_user_is_an_error),
	};

	return test_run(argc, argv, "server_privs", tests, ARRAY_LEN(tests));
}
