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

/* What a reload changes: the users, the ACL, the limits, the log level. */
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
	srv->acl.deny = c->deny;
	srv->acl.ndeny = c->ndeny;
	srv->acl.allow = c->allow;
	srv->acl.nallow = c->nallow;
	srv->acl.max_per_source = c->max_per_source;
	srv->acl.ban_failures = c->ban_failures;
	srv->acl.ban_window_ms = c->ban_window_ms;
	srv->acl.ban_ms = c->ban_ms;
	log_set_level(c->log_level);
}

void
server_reload(struct server *srv)
{
	/* Static: a whole config is large for the loop's stack. */
	static struct server_config next;
	struct users users = { 0 };
	char err[CONFIG_PATH_MAX + 256];
	size_t before = srv->users.n;

	log_info("SIGHUP: reading %s and the users file again",
	    srv->source->path != NULL ? srv->source->path
				      : "(no configuration file)");
	if (server_config_build(&next, srv->source, err, sizeof(err)) != 0) {
		log_error(
		    "reload: %s; the old configuration stays in force", err);
		return;
	}
	if (!users_load(&users, next.users, err, sizeof(err))) {
		log_error("reload: users: %s; the old users and configuration "
			  "stay in force",
		    err);
		return;
	}
	users_free(&srv->users);
	srv->users = users;
	apply(srv, &next);
	log_info("reloaded: users=%zu (was %zu) deny=%zu allow=%zu "
		 "max_sessions=%u max_per_source=%u max_per_user=%u "
		 "ban_failures=%u; live sessions untouched, other settings "
		 "change at restart",
	    srv->users.n, before, srv->cfg.ndeny, srv->cfg.nallow,
	    (unsigned)srv->cfg.max_sessions, (unsigned)srv->cfg.max_per_source,
	    (unsigned)srv->cfg.max_per_user, (unsigned)srv->cfg.ban_failures);
}

static void
probe(const char *what, const char *path, const char *user)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return;
	}
	log_warn("%s %s is not readable as %s (%s): SIGHUP cannot reload it "
		 "(make it readable by that user's group, mode 0640)",
	    what, path, user, strerror(errno));
}

void
server_reload_probe(const struct server *srv)
{
	const char *user = srv->cfg.user[0] != '\0' ? srv->cfg.user : "root";

	if (srv->source->path != NULL)
		probe("configuration", srv->source->path, user);
	probe("users file", srv->cfg.users, user);
}
