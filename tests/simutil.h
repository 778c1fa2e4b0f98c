/* SPDX-License-Identifier: ISC */
/*
 * simutil - run fgtsim (tests/sim) from a test: a scratch directory, the
 * process on 127.0.0.1 port 0, the port it printed, and its files.
 *
 * Ownership: a struct sim is the caller's (usually on the stack or in the
 * cmocka state); sim_cleanup stops the process and removes the directory
 * and everything in it.  Strings returned by sim_read_file are the
 * caller's to free; sim_path returns one of four rotating static buffers.
 */
#ifndef SIMUTIL_H
#define SIMUTIL_H

#include <sys/types.h>

#define SIM_MAXDEV	64

struct sim {
	pid_t	 pid;
	char	 dir[64];
	char	 log[128];
	char	 hostkey[128];
	char	 host[64];	/* the first device's hostname */
	int	 port;		/* and its port */
	int	 ports[SIM_MAXDEV];	/* every device's, in scenario order */
	char	 hosts[SIM_MAXDEV][64];	/* and its hostname */
	int	 nports;
};

/* A fresh scratch directory; fails the test if it cannot. */
void	 sim_init(struct sim *);
/* dir/name, in a rotating static buffer. */
char	*sim_path(struct sim *, const char *name);
/* The fgtsim binary: $FGTSIM, else $top_builddir/tests/sim/fgtsim. */
const char *sim_binary(void);
/* The built src/fgtop (static buffer), for tests that run it. */
const char *sim_fgtop(void);
/* Monotonic seconds, for waiting with a bound. */
double	 sim_now(void);
/* tests/sim/scenarios/name in the source tree (static buffer). */
const char *sim_scenario(const char *name);
void	 sim_write_file(const char *path, const char *text);
char	*sim_read_file(const char *path);
/*
 * Start fgtsim with the scenario, --log dir/events.jsonl and the extra
 * arguments (NULL-terminated), with --hostkey dir/hostkey and --listen
 * 127.0.0.1:0 unless they give their own; wait for its ready line.
 * Fails the test on error.
 */
void	 sim_start(struct sim *, const char *scenario, ...);
/* SIGTERM (after SIGCONT), then SIGKILL; the wait status or -1. */
int	 sim_stop(struct sim *);
/* Stop and remove the directory. */
void	 sim_cleanup(struct sim *);
/* The event log, waiting up to ms for a fragment; caller frees. */
char	*sim_log_wait(struct sim *, const char *frag, int ms);
/* A free TCP port on 127.0.0.1 with nothing listening on it. */
int	 sim_closed_port(void);

#endif
