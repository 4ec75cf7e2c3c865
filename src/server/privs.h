/*
 * opensstpd's privilege drop (DESIGN.md Security): once everything that
 * needs root is done (TUN, addresses, routes, listeners, OpenSSL's legacy
 * provider, the users file), become an unprivileged user with no
 * capabilities, no way to gain any, and a seccomp filter that allows only
 * the system calls the running daemon makes.
 */
#ifndef OPENSSTP_SERVER_PRIVS_H
#define OPENSSTP_SERVER_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

enum privs_seccomp {
	PRIVS_SECCOMP_OFF, /* no filter */
	PRIVS_SECCOMP_LOG, /* a call outside the list is logged (audit) */
	PRIVS_SECCOMP_ENFORCE, /* ... and kills the process */
};

/*
 * Drop to USER (its uid, gid and that one group; NULL, "" or "root": stay
 * as we are), clear every capability (effective, permitted, inheritable,
 * ambient, bounding), set no_new_privs and make the process undumpable,
 * then install the filter in MODE.  Checked after each step: on any
 * failure false with the reason in err, and the caller must exit.
 */
bool privs_drop(
    const char *user, enum privs_seccomp mode, char *err, size_t errlen);

/* Built with ASan or UBSan: their runtimes make calls at exit that the
 * filter does not allow, so the daemon only logs there. */
bool privs_sanitized(void);

#endif
