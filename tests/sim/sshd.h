/* SPDX-License-Identifier: ISC */
/*
 * sshd - fgtsim's SSH server: listeners, key exchange, authentication,
 * channels and transport faults, all in one single-threaded loop.
 *
 * Each simulated device has its own listening socket; connections are
 * accepted by hand and given to libssh with ssh_bind_accept_fd, so a
 * thousand devices cost a thousand sockets and a few hundred bytes each,
 * not a thousand ssh_bind objects.  libssh's ssh_event polls the
 * listeners and every session; a 50 ms tick moves the simulated clock,
 * drives streaming output and paces slow or stalled output.
 *
 * Ownership: the sshd owns its listeners, sessions, host keys and the
 * extra credentials; sshd_free closes them all (logging each disconnect).
 * The world stays the caller's and must outlive the sshd.
 */
#ifndef SIM_SSHD_H
#define SIM_SSHD_H

#include <signal.h>
#include <stddef.h>

#include "sim.h"

struct sshd;

struct sshd_config {
	const char	*hostkey;	/* file, created if missing; or NULL */
	const char	*authkeys;	/* authorized_keys for every device */
	const char	*const *passwords;	/* "USER:PASS" for every device */
	size_t		 npasswords;
	double		 speed;		/* simulated seconds per second */
};

struct sshd	*sshd_new(struct sim_world *, const struct sshd_config *,
		     char *, size_t);
/*
 * Listen for device i on addr:port (port 0: any free port).  Returns the
 * port in use, or -1 with a reason in err.
 */
int		 sshd_listen(struct sshd *, size_t, const char *, int,
		     char *, size_t);
/* Serve until *stop becomes non-zero. */
int		 sshd_run(struct sshd *, volatile sig_atomic_t *);
void		 sshd_free(struct sshd *);

#endif
