/*
 * The client's routes (routes.h).  Every route is written to the state
 * file before it is added, so a client killed at any moment leaves a
 * file that names everything it may have added: the next client on the
 * same TUN removes those routes (routes_recover), ignoring the ones that
 * are gone already (routes through a TUN vanish with it; the host route
 * to the server does not).  The routes carry their own protocol number
 * (ROUTES_PROTO), so a delete never matches somebody else's route.
 */
#include "routes.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

#define STATE_MAGIC "opensstp-routes 1"

static size_t
alen_of(int family)
{
	return family == AF_INET ? 4 : 16;
}

/*
 * ROUTES_STATE_DIR/TUN.state; in a network namespace other than init's,
 * TUN@netINODE.state, since every namespace may have a TUN of that name
 * (and /run is shared by them all).
 */
static void
state_path_of(const char *tun, char *out, size_t len)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) == 0 &&
	    (stat("/proc/1/ns/net", &init) < 0 || init.st_ino != self.st_ino))
		snprintf(out, len, "%s/%s@net%llu.state", ROUTES_STATE_DIR, tun,
		    (unsigned long long)self.st_ino);
	else
		snprintf(out, len, "%s/%s.state", ROUTES_STATE_DIR, tun);
}

static const char *
entry_str(const struct route_entry *e, char *buf, size_t len)
{
	char d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN] = "-";
	char ifn[IF_NAMESIZE] = "?";

	inet_ntop(e->family, e->dst, d, sizeof(d));
	if (e->has_gw)
		inet_ntop(e->family, e->gw, g, sizeof(g));
	if (if_indextoname((unsigned)e->ifindex, ifn) == NULL)
		snprintf(ifn, sizeof(ifn), "#%d", e->ifindex);
	snprintf(buf, len, "%s/%u via %s dev %s", d, e->len, g, ifn);
	return buf;
}

/*
 * The state file holds every entry of r->added plus next (when not
 * NULL), written to a temporary file and renamed over, so a reader
 * sees the old list or the new one, never half of one.
 */
static int
state_write(const struct client_routes *r, const struct route_entry *next)
{
	char tmp[sizeof(r->state_path) + 8], d[INET6_ADDRSTRLEN];
	char g[INET6_ADDRSTRLEN];
	const struct route_entry *e;
	size_t i, n = r->nadded + (next != NULL);
	FILE *f;
	int err;

	if (mkdir(ROUTES_STATE_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(tmp, sizeof(tmp), "%s.tmp", r->state_path);
	if ((f = fopen(tmp, "we")) == NULL)
		return -errno;
	fprintf(f, "%s %s\n", STATE_MAGIC, r->tun);
	for (i = 0; i < n; i++) {
		e = i < r->nadded ? &r->added[i] : next;
		inet_ntop(e->family, e->dst, d, sizeof(d));
		if (e->has_gw)
			inet_ntop(e->family, e->gw, g, sizeof(g));
		else
			snprintf(g, sizeof(g), "-");
		fprintf(f, "route %d %s %u %s %d\n",
		    e->family == AF_INET ? 4 : 6, d, e->len, g, e->ifindex);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		err = -errno;
		fclose(f);
		unlink(tmp);
		return err;
	}
	if (fclose(f) != 0 || rename(tmp, r->state_path) < 0) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

/* One "route ..." line; false if it is not one. */
static bool
state_parse_line(const char *line, struct route_entry *e)
{
	char d[INET6_ADDRSTRLEN + 1], g[INET6_ADDRSTRLEN + 1];
	int fam, ifindex;
	unsigned len;

	if (sscanf(line, "route %d %46s %u %46s %d", &fam, d, &len, g,
		&ifindex) != 5 ||
	    (fam != 4 && fam != 6))
		return false;
	*e = (struct route_entry) { .family = fam == 4 ? AF_INET : AF_INET6 };
	if (inet_pton(e->family, d, e->dst) != 1 ||
	    len > alen_of(e->family) * 8 || ifindex <= 0)
		return false;
	e->len = len;
	e->ifindex = ifindex;
	if (strcmp(g, "-") != 0) {
		if (inet_pton(e->family, g, e->gw) != 1)
			return false;
		e->has_gw = true;
	}
	return true;
}

static int
entry_apply(struct nl *nl, bool del, const struct route_entry *e)
{
	struct nl_route nr = {
		.family = e->family,
		.dst = e->dst,
		.prefixlen = e->len,
		.gw = e->has_gw ? e->gw : NULL,
		.ifindex = e->ifindex,
		.protocol = ROUTES_PROTO,
	};

	return nl_route(nl, del, &nr);
}

/* Gone already (its device went, or it was never added): not an error. */
static bool
gone(int err)
{
	return err == 0 || err == -ESRCH || err == -ENOENT || err == -ENODEV;
}

void
routes_recover(struct nl *nl, const char *tun)
{
	struct route_entry *e = NULL, *ne;
	size_t n = 0, cap = 0, removed = 0;
	char path[128], line[256], s[128];
	FILE *f;
	int err;

	killswitch_off(tun);
	state_path_of(tun, path, sizeof(path));
	if ((f = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			log_warn("routes: %s: %s", path, strerror(errno));
		return;
	}
	if (fgets(line, sizeof(line), f) == NULL ||
	    strncmp(line, STATE_MAGIC " ", sizeof(STATE_MAGIC)) != 0) {
		log_warn("routes: %s: not a state file, left alone", path);
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (n == cap) {
			cap = cap != 0 ? cap * 2 : 8;
			if ((ne = realloc(e, cap * sizeof(*e))) == NULL)
				break;
			e = ne;
		}
		if (state_parse_line(line, &e[n]))
			n++;
		else
			log_warn("routes: %s: bad line ignored", path);
	}
	fclose(f);
	while (n > 0) {
		n--;
		err = entry_apply(nl, true, &e[n]);
		if (err == 0) {
			removed++;
			log_info(
			    "routes: removed %s, left by an earlier client",
			    entry_str(&e[n], s, sizeof(s)));
		} else if (!gone(err)) {
			log_warn("routes: cannot remove %s: %s",
			    entry_str(&e[n], s, sizeof(s)), strerror(-err));
		}
	}
	free(e);
	if (unlink(path) < 0 && errno != ENOENT)
		log_warn("routes: %s: %s", path, strerror(errno));
	log_debug("routes: recovered %s (%zu routes removed)", path, removed);
}

void
routes_init(struct client_routes *r, const char *tun, int tun_ifindex)
{
	*r = (struct client_routes) { .tun_ifindex = tun_ifindex };
	snprintf(r->tun, sizeof(r->tun), "%s", tun);
	state_path_of(r->tun, r->state_path, sizeof(r->state_path));
}

/* Record e in the state file, add it, and keep it in r->added. */
static int
route_push(struct client_routes *r, struct nl *nl, const struct route_entry *e)
{
	char s[128];
	int err;

	if (r->nadded == ROUTES_MAX)
		return -ENOSPC;
	if ((err = state_write(r, e)) < 0) {
		log_error("routes: cannot write %s: %s", r->state_path,
		    strerror(-err));
		return err;
	}
	if ((err = entry_apply(nl, false, e)) < 0) {
		log_error("routes: cannot add %s: %s",
		    entry_str(e, s, sizeof(s)), strerror(-err));
		/* Back to the list without it (best effort). */
		if (r->nadded > 0)
			state_write(r, NULL);
		else
			unlink(r->state_path);
		return err;
	}
	r->added[r->nadded++] = *e;
	log_debug("routes: added %s", entry_str(e, s, sizeof(s)));
	return 0;
}

int
routes_keep_outside(
    struct client_routes *r, struct nl *nl, const struct sockaddr *server)
{
	struct route_entry e = { 0 };
	struct ip_addr a;
	struct nl_route_info ri;
	char s[INET6_ADDRSTRLEN];
	int err, lo = nl_link_index("lo");
	size_t i;

	if (!addr_from_sockaddr(server, &a, NULL))
		return -EAFNOSUPPORT;
	e.family = a.family;
	memcpy(e.dst, a.b, sizeof(e.dst));
	e.len = (unsigned)alen_of(e.family) * 8;
	inet_ntop(e.family, e.dst, s, sizeof(s));
	for (i = 0; i < r->nadded; i++)
		if (r->added[i].family == e.family &&
		    r->added[i].len == e.len &&
		    memcmp(r->added[i].dst, e.dst, alen_of(e.family)) == 0)
			return 0; /* kept outside already */
	if ((err = nl_route_get(nl, e.family, e.dst, &ri)) < 0) {
		log_error(
		    "routes: no route to the server %s: %s", s, strerror(-err));
		return err;
	}
	if (ri.ifindex == r->tun_ifindex) {
		log_error("routes: the server %s is reached through %s itself "
			  "(routes of an earlier tunnel still up?)",
		    s, r->tun);
		return -ELOOP;
	}
	if (ri.ifindex == lo || ri.ifindex <= 0) {
		log_debug("routes: the server %s is this host", s);
		return 0;
	}
	e.ifindex = ri.ifindex;
	e.has_gw = ri.has_gw;
	memcpy(e.gw, ri.gw, sizeof(e.gw));
	return route_push(r, nl, &e);
}

static int
tun_route(struct client_routes *r, struct nl *nl, int family,
    const uint8_t *dst, unsigned len)
{
	struct route_entry e = {
		.family = family,
		.len = len,
		.ifindex = r->tun_ifindex,
	};

	memcpy(e.dst, dst, alen_of(family));
	return route_push(r, nl, &e);
}

int
routes_default(struct client_routes *r, struct nl *nl, int family)
{
	static const uint8_t zero[16], high[16] = { 0x80 };
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if ((err = tun_route(r, nl, family, zero, 1)) < 0)
		return err;
	return tun_route(r, nl, family, high, 1);
}

int
routes_add(struct client_routes *r, struct nl *nl, const struct ip_prefix *p)
{
	if (p->addr.family != AF_INET && p->addr.family != AF_INET6)
		return -EAFNOSUPPORT;
	if (p->len > alen_of(p->addr.family) * 8)
		return -EINVAL;
	return tun_route(r, nl, p->addr.family, p->addr.b, p->len);
}

void
routes_down(struct client_routes *r, struct nl *nl)
{
	char s[128];
	int err;

	while (r->nadded > 0) {
		err = entry_apply(nl, true, &r->added[r->nadded - 1]);
		if (!gone(err))
			log_warn("routes: cannot remove %s: %s",
			    entry_str(&r->added[r->nadded - 1], s, sizeof(s)),
			    strerror(-err));
		r->nadded--;
		/*
		 * The list shrinks only after the route is gone: a kill
		 * here leaves a file that still names it.
		 */
		if (r->nadded > 0)
			state_write(r, NULL);
	}
	if (unlink(r->state_path) < 0 && errno != ENOENT)
		log_warn("routes: %s: %s", r->state_path, strerror(errno));
}
