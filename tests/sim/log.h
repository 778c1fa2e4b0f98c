/* SPDX-License-Identifier: ISC */
/*
 * log - fgtsim's event log (--log FILE): one JSON object a line.
 *
 * Tests read it to assert what a client did: connections, logins, every
 * command with the VDOM it ran in, debug switched on/off/reset, and the
 * debug state a session left behind when it disconnected.  Without
 * --log every call is a no-op.
 *
 * Ownership: the log owns its FILE; log_close closes it.  Strings passed
 * in are copied into the line (escaped) and not kept.
 */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdint.h>

#include "sim.h"

int	log_open(const char *, char *, size_t);
void	log_close(void);

void	log_listen(const char *, const char *, int);
void	log_connect(uint64_t, const char *, const char *);
void	log_refused(uint64_t, const char *, const char *);
void	log_auth(uint64_t, const char *, const char *, const char *, int);
void	log_command(uint64_t, const char *, const char *, const char *);
void	log_debug(uint64_t, const char *, const char *,
	    const struct sim_debug_state *, const struct sim_debug_state *);
void	log_disconnect(uint64_t, const char *, const char *,
	    const struct sim_debug_state *);

#endif
