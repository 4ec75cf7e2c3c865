/*
 * The DNS hook (routes.h): a program run with the tunnel's DNS servers
 * and addresses in its environment and the event as its argument, in a
 * process group of its own, for at most a limit; past it, the group (the
 * hook and whatever it started) is killed by the hook's PID.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "routes.h"

#define HOOK_TIMEOUT_MS 10000
#define HOOK_VARS	8

extern char **environ;

static char *
var(const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 2;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s=%s", name, value);
	return s;
}

/* "a b c" of n addresses, each of at most INET6_ADDRSTRLEN. */
static void
join(char *out, size_t len, const char *first, size_t stride, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i > 0 ? " " : "", first + i * stride);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The environment: ours, then the caller's without any OPENSSTP_ one. */
static char **
env_build(const struct dns_info *info)
{
	char d4[3 * INET_ADDRSTRLEN + 4], d6[3 * INET6_ADDRSTRLEN + 4];
	size_t i, n = 0, nenv = 0;
	char **env;

	while (environ != NULL && environ[nenv] != NULL)
		nenv++;
	if ((env = calloc(nenv + HOOK_VARS + 1, sizeof(*env))) == NULL)
		return NULL;
	join(d4, sizeof(d4), info->dns4[0], sizeof(info->dns4[0]),
	    info->ndns4 < 3 ? info->ndns4 : 3);
	join(d6, sizeof(d6), info->dns6[0], sizeof(info->dns6[0]),
	    info->ndns6 < 3 ? info->ndns6 : 3);
	env[n++] = var("OPENSSTP_EVENT", info->event ? info->event : "");
	env[n++] = var("OPENSSTP_TUN", info->tun ? info->tun : "");
	env[n++] = var("OPENSSTP_DNS4", d4);
	env[n++] = var("OPENSSTP_DNS6", d6);
	env[n++] = var("OPENSSTP_IPV4", info->ipv4);
	env[n++] = var("OPENSSTP_PEER4", info->peer4);
	env[n++] = var("OPENSSTP_IPV6", info->ipv6);
	env[n++] = var("OPENSSTP_SERVER", info->server ? info->server : "");
	for (i = 0; i < n; i++)
		if (env[i] == NULL)
			goto fail;
	for (i = 0; i < nenv; i++)
		if (strncmp(environ[i], "OPENSSTP_", 9) != 0)
			env[n++] = environ[i];
	return env;
fail:
	for (i = 0; i < HOOK_VARS; i++)
		free(env[i]);
	free(env);
	return NULL;
}

static void
env_free(char **env)
{
	size_t i;

	for (i = 0; i < HOOK_VARS; i++)
		free(env[i]);
	free(env);
}

int
dns_hook_run_timeout(
    const char *hook, const struct dns_info *info, unsigned timeout_ms)
{
	char *argv[3] = { (char *)hook, (char *)info->event, NULL };
	struct timespec tick = { .tv_nsec = 20 * 1000000 };
	uint64_t deadline;
	sigset_t mask;
	char **env;
	pid_t pid, w;
	int status, fd;

	if ((env = env_build(info)) == NULL)
		return -1;
	if ((pid = fork()) < 0) {
		log_error("dns hook: fork: %s", strerror(errno));
		env_free(env);
		return -1;
	}
	if (pid == 0) {
		/* Its own group, so that a timeout ends what it started. */
		setpgid(0, 0);
		if ((fd = open("/dev/null", O_RDONLY)) >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		/* The client blocks signals it reads from a signalfd. */
		sigemptyset(&mask);
		sigprocmask(SIG_SETMASK, &mask, NULL);
		signal(SIGPIPE, SIG_DFL);
		close_range(3, ~0U, 0);
		execve(hook, argv, env);
		dprintf(2, "ERROR: dns hook: %s: %s\n", hook, strerror(errno));
		_exit(127);
	}
	/* Also here: the group exists before a kill may need it. */
	setpgid(pid, pid);
	env_free(env);
	deadline = now_ms() + timeout_ms;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			log_error("dns hook: waitpid: %s", strerror(errno));
			return -1;
		}
		if (now_ms() >= deadline) {
			log_error("dns hook %s %s: no exit after %u ms, killed",
			    hook, info->event, timeout_ms);
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) != 0)
			log_warn("dns hook %s %s: exit status %d", hook,
			    info->event, WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	log_error("dns hook %s %s: killed by signal %d", hook, info->event,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

int
dns_hook_run(const char *hook, const struct dns_info *info)
{
	return dns_hook_run_timeout(hook, info, HOOK_TIMEOUT_MS);
}
