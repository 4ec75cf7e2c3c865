/*
 * SIGHUP: the users file and the access rules read again while sessions
 * go on.  The daemon has dropped root by then, so both files must be
 * readable by its user (opensstpd.conf(5)); server_reload_probe says at
 * start-up when they are not, rather than at the first SIGHUP.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "server/server.h"

/*
 * What a reload changes: the users, the ACL, the limits, the log level;
 * under srv->lock, which every reader of these holds.
 */
static void
apply(struct server *srv, const struct server_config *n)
{
	struct server_config *c = &srv->cfg;

	memcpy(c->users, n->users, sizeof(c->users));
	memcpy(c->deny, n->deny, n->ndeny * sizeof(n->deny[0]));
	c->ndeny = n->ndeny;
	memcpy(c->allow, n->allow, n->nallow * sizeof(n->allow[0]));
	c->nallow = n->nallow;
	c->max_sessions = n->max_sessions;
	c->max_per_source = n->max_per_source;
	c->max_per_user = n->max_per_user;
	c->ban_failures = n->ban_failures;
	c->ban_window_ms = n->ban_window_ms;
	c->ban_ms = n->ban_ms;
	c->log_level = n->log_level;

	/* The ACL keeps its counts and bans; only its rules change. */
	server_acl_from_config(srv);
	log_set_level(c->log_level);
}

void
server_reload(struct server *srv)
{
	/* Static: a whole config is large for the loop's stack. */
	static struct server_config next;
	struct users users = { 0 }, old;
	char err[CONFIG_PATH_MAX + 256], q[2 * sizeof(err)];
	size_t before = srv->users.n;

	log_info("reload signal=SIGHUP config=%s",
	    srv->source->path != NULL
		? log_value(srv->source->path, q, sizeof(q))
		: "-");
	if (server_config_build(&next, srv->source, err, sizeof(err)) != 0) {
		log_error("reload failed what=config error=%s kept=old",
		    log_quoted(err, q, sizeof(q)));
		return;
	}
	if (!users_load(&users, next.users, err, sizeof(err))) {
		log_error("reload failed what=users error=%s kept=old",
		    log_quoted(err, q, sizeof(q)));
		return;
	}
	pthread_rwlock_wrlock(&srv->users_lock);
	old = srv->users;
	srv->users = users;
	pthread_rwlock_unlock(&srv->users_lock);
	users_free(&old);
	pthread_mutex_lock(&srv->lock);
	apply(srv, &next);
	pthread_mutex_unlock(&srv->lock);
	/* Live sessions go on; other settings change at restart. */
	log_info("reloaded users=%zu users_before=%zu deny=%zu allow=%zu "
		 "max_sessions=%u max_per_source=%u max_per_user=%u "
		 "ban_failures=%u",
	    srv->users.n, before, srv->cfg.ndeny, srv->cfg.nallow,
	    (unsigned)srv->cfg.max_sessions, (unsigned)srv->cfg.max_per_source,
	    (unsigned)srv->cfg.max_per_user, (unsigned)srv->cfg.ban_failures);
}

static void
probe(const char *what, const char *path, const char *user)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char p[2 * CONFIG_PATH_MAX + 3], e[128];

	if (fd >= 0) {
		close(fd);
		return;
	}
	/* Fix: make it readable by that user's group, mode 0640. */
	log_warn("unreadable what=%s path=%s user=%s error=%s "
		 "sighup_reload=impossible",
	    what, log_value(path, p, sizeof(p)), user,
	    log_quoted(strerror(errno), e, sizeof(e)));
}

void
server_reload_probe(const struct server *srv)
{
	const char *user = srv->cfg.user[0] != '\0' ? srv->cfg.user : "root";

	if (srv->source->path != NULL)
		probe("config", srv->source->path, user);
	probe("users", srv->cfg.users, user);
}
