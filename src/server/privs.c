/*
 * The privilege drop and the system-call filter (see privs.h).
 */
#include "server/privs.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define PRIVS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) ||                                        \
    __has_feature(undefined_behavior_sanitizer)
#define PRIVS_SANITIZED 1
#endif
#endif
#ifndef PRIVS_SANITIZED
#define PRIVS_SANITIZED 0
#endif

/*
 * What the running daemon calls after the drop, found with strace -f and
 * the filter in log mode through the integration cases and the demo (the
 * release build), each with its reason.  Names this architecture does
 * not have are skipped.
 */
static const char *const allowed[] = {
	/* the event loop (io/loop.c) */
	"epoll_wait",
	"epoll_pwait",
	"epoll_ctl",
	/* TUN, signalfd, TLS sockets (OpenSSL's socket BIO), the log */
	"read",
	"write",
	/* new clients, TCP_NODELAY on them, closing them */
	"accept4",
	"setsockopt",
	"close",
	/* TCP_INFO, to size a tunnel's send buffer (io/tcp_queue.c) */
	"getsockopt",
	/* the loop's clock: the vDSO, the system call as its fallback */
	"clock_gettime",
	/* malloc (mmap and mprotect only without PROT_EXEC, below) */
	"brk",
	"munmap",
	"mremap",
	"madvise",
	"futex",
	/* OpenSSL: DRBG reseeds, and getpid for its fork check */
	"getrandom",
	"getpid",
	/* stdio's first write to the TLS key log ($SSLKEYLOGFILE) */
	"fstat",
	"newfstatat",
	"lseek",
	/* the kernel's own returns from signals and restarted calls */
	"rt_sigreturn",
	"restart_syscall",
	/* abort() on a failed assertion: it should die of SIGABRT */
	"rt_sigprocmask",
	"gettid",
	"tgkill",
	"exit",
	"exit_group",
};

/* The kernel's SOCK_TYPE_MASK: SOCK_CLOEXEC and SOCK_NONBLOCK lie above. */
#define SOCKET_TYPE_MASK 0xf

/*
 * syslog(3) after the drop (log = syslog): it sends on the socket that
 * openlog() connected before it (send() is sendto() with no address),
 * and when a send fails -- the syslog daemon restarted with a new
 * /dev/log -- it reconnects: socket(AF_UNIX, SOCK_DGRAM) and connect().
 * Allowed, so that logging outlives such a restart; Unix datagram
 * sockets only, so no network socket and no stream to a local service.
 * A stream /dev/log (glibc's fallback on EPROTOTYPE) gets EACCES: its
 * lines are lost until a restart, but the daemon lives on.
 */
static int
syslog_rules(scmp_filter_ctx ctx)
{
	int rc;

	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendto), 1,
	    SCMP_A4(SCMP_CMP_EQ, 0, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
		    SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, SOCKET_TYPE_MASK, SOCK_DGRAM));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0),
		    SCMP_A1(SCMP_CMP_MASKED_EQ, SOCKET_TYPE_MASK, SOCK_STREAM));
	if (rc == 0)
		rc =
		    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(connect), 0);
	return rc;
}

static void __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool
privs_sanitized(void)
{
	return PRIVS_SANITIZED;
}

/* The three capability sets, all 64 bits of each. */
static bool
caps_get(uint64_t *eff, uint64_t *prm, uint64_t *inh)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	*eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	*prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	*inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return true;
}

static bool
caps_clear(char *err, size_t errlen)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t eff, prm, inh;

	memset(d, 0, sizeof(d));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL) {
		fail(err, errlen, "clearing ambient capabilities: %s",
		    strerror(errno));
		return false;
	}
	if (syscall(SYS_capset, &h, d) != 0) {
		fail(err, errlen, "capset: %s", strerror(errno));
		return false;
	}
	if (!caps_get(&eff, &prm, &inh)) {
		fail(err, errlen, "capget: %s", strerror(errno));
		return false;
	}
	if (eff != 0 || prm != 0 || inh != 0) {
		fail(err, errlen,
		    "capabilities left: effective %#llx permitted %#llx "
		    "inheritable %#llx",
		    (unsigned long long)eff, (unsigned long long)prm,
		    (unsigned long long)inh);
		return false;
	}
	return true;
}

/* The bounding set, while we still have CAP_SETPCAP to empty it. */
static bool
bounding_clear(char *err, size_t errlen)
{
	int c;

	for (c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
			fail(err, errlen, "dropping capability %d: %s", c,
			    strerror(errno));
			return false;
		}
	return true;
}

static bool
become(const struct passwd *pw, char *err, size_t errlen)
{
	uid_t uid = pw->pw_uid, ru, eu, su;
	gid_t gid = pw->pw_gid, rg, eg, sg;

	if (!bounding_clear(err, errlen))
		return false;
	if (setgroups(1, &gid) != 0) {
		fail(err, errlen, "setgroups(%u): %s", (unsigned)gid,
		    strerror(errno));
		return false;
	}
	if (setresgid(gid, gid, gid) != 0) {
		fail(err, errlen, "setgid(%u): %s", (unsigned)gid,
		    strerror(errno));
		return false;
	}
	if (setresuid(uid, uid, uid) != 0) {
		fail(err, errlen, "setuid(%u): %s", (unsigned)uid,
		    strerror(errno));
		return false;
	}
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    ru != uid || eu != uid || su != uid || rg != gid || eg != gid ||
	    sg != gid || getuid() != uid || geteuid() != uid) {
		fail(err, errlen, "uid or gid did not change");
		return false;
	}
	/* No way back: root's uid and gid must now be refused. */
	if (setuid(0) == 0 || setgid(0) == 0) {
		fail(err, errlen, "root can be regained after the drop");
		return false;
	}
	return true;
}

/*
 * The worker threads start after the drop and inherit the filter:
 * clone() only for a thread (CLONE_THREAD; never a new process), and
 * clone3(), whose flags a filter cannot see, answers ENOSYS so that
 * glibc falls back to clone().  A new thread registers its robust futex
 * list and its rseq area.  Found with the filter enforcing in the
 * release build and the kernel's audit lines (type=1326) for what it
 * killed.
 */
static int
thread_rules(scmp_filter_ctx ctx)
{
	int rc;

	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	if (rc == 0)
		rc = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc == 0)
		rc = seccomp_rule_add(
		    ctx, SCMP_ACT_ALLOW, SCMP_SYS(set_robust_list), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rseq), 0);
	/* glibc's first pthread_create installs its internal handlers for
	 * cancellation and set*id (signals 32 and 33), nothing else. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    SCMP_SYS(rt_sigaction), 1, SCMP_A0(SCMP_CMP_EQ, 32, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    SCMP_SYS(rt_sigaction), 1, SCMP_A0(SCMP_CMP_EQ, 33, 0));
	return rc;
}

static bool
filter_load(enum privs_seccomp mode, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	size_t i;
	int nr, rc;

	ctx = seccomp_init(mode == PRIVS_SECCOMP_ENFORCE ? SCMP_ACT_KILL_PROCESS
							 : SCMP_ACT_LOG);
	if (ctx == NULL) {
		fail(err, errlen, "seccomp_init failed");
		return false;
	}
	rc = 0;
	for (i = 0; rc == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr != __NR_SCMP_ERROR)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	/* Memory for malloc, never executable memory. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect),
		    1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/*
	 * SIGHUP reads the configuration and users files again: opening
	 * for reading only, never creating, truncating or writing.
	 */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
		    SCMP_A2(SCMP_CMP_MASKED_EQ,
			O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE,
			0));
	if (rc == 0)
		rc = syslog_rules(ctx);
	if (rc == 0)
		rc = thread_rules(ctx);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		fail(err, errlen, "seccomp: %s", strerror(-rc));
		return false;
	}
	return true;
}

bool
privs_drop(const char *user, enum privs_seccomp mode, char *err, size_t errlen)
{
	struct passwd *pw;

	if (user != NULL && user[0] != '\0' && strcmp(user, "root") != 0) {
		errno = 0;
		pw = getpwnam(user);
		if (pw == NULL) {
			fail(err, errlen, "user %s: %s", user,
			    errno != 0 ? strerror(errno) : "no such user");
			return false;
		}
		if (pw->pw_uid == 0) {
			fail(err, errlen, "user %s is root", user);
			return false;
		}
		if (!become(pw, err, errlen) || !caps_clear(err, errlen))
			return false;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		fail(err, errlen, "no_new_privs: %s", strerror(errno));
		return false;
	}
	/* No core dump, no ptrace, no /proc/PID/mem from the new user. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fail(err, errlen, "PR_SET_DUMPABLE: %s", strerror(errno));
		return false;
	}
	if (mode != PRIVS_SECCOMP_OFF && !filter_load(mode, err, errlen))
		return false;
	return true;
}
