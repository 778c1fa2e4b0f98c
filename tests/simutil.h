/* SPDX-License-Identifier: ISC */
/*
 * simutil - run fgtsim (tests/sim) from a test: a scratch directory, the
 * process on 127.0.0.1 port 0, the port it printed, and its files; and
 * run the real fgtop against it: its config, the connection options that
 * keep it off the user's files, its output in files, a time limit.  The
 * one home of "fork, redirect, exec, wait with a bound" for every test
 * that runs a program (fgtop, promtool, the Prometheus servers).
 *
 * Ownership: a struct sim is the caller's (usually on the stack or in the
 * cmocka state); sim_cleanup stops the process and removes the directory
 * and everything in it.  Strings returned by sim_read_file are the
 * caller's to free; sim_path returns one of four rotating static buffers.
 * The argv arrays given are only read; the child is the caller's to
 * sim_reap.
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
	/* The fgtop a test runs: its files, in dir (sim_init). */
	char	 cfg[128];	/* --config */
	char	 kh[128];	/* --known-hosts */
	char	 out[128];	/* its stdout */
	char	 err[128];	/* its stderr */
};

/* A fresh scratch directory and its paths; fails the test if it cannot. */
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
/*
 * cmocka fixtures of a test state that starts with a struct sim: size
 * bytes, zeroed, the sim initialised; the teardown stops and removes it
 * (sim_cleanup) and frees the state.
 */
int	 sim_setup_state(void **state, size_t size);
int	 sim_teardown_state(void **state);
/* SIGTERM (after SIGCONT), then SIGKILL; the wait status or -1. */
int	 sim_stop(struct sim *);
/* Stop and remove the directory. */
void	 sim_cleanup(struct sim *);
/* The event log, waiting up to ms for a fragment; caller frees. */
char	*sim_log_wait(struct sim *, const char *frag, int ms);
/* A free TCP port on 127.0.0.1 with nothing listening on it. */
int	 sim_closed_port(void);

/*
 * dir/pw holding the password (NULL: fgtsim's own, "fgtsim"), mode 0600
 * as fgtop wants it; its path (a sim_path buffer).
 */
const char *sim_password_file(struct sim *, const char *password);
/*
 * fgtop's config in sim->cfg: the global lines, then device d<i> on the
 * sim's i-th port, then `closed` more on ports where nothing listens;
 * each logs in as admin with sim_password_file(NULL) and has the
 * per_device lines (NULL: none).
 */
void	 sim_fgtop_config(struct sim *, const char *global,
	    const char *per_device, int closed);

/* Where a child's standard files go, and what it may write. */
struct sim_proc {
	const char	*in;		/* stdin; NULL: /dev/null */
	const char	*out;		/* stdout, truncated */
	const char	*err;		/* stderr */
	int		 err_append;	/* stderr appended to, not truncated */
	long		 fsize;		/* > 0: RLIMIT_FSIZE (a full disk) */
	char *const	*env;		/* NAME=VALUE set in the child alone,
					   NULL-terminated; NULL: none */
};

/* Fork and exec argv (NULL-terminated; PATH searched) as p says. */
pid_t	 sim_spawn(const char *const *argv, const struct sim_proc *p);
/*
 * Wait for pid up to limit seconds.  At the limit, when term is set,
 * SIGTERM and 10 s more; then SIGKILL and fail the test.  The exit
 * status, or -N when signal N ended it.
 */
int	 sim_reap(pid_t, double limit, int term);
/* sim_spawn, sim_reap; fails the test when a signal ended the child. */
int	 sim_run(const char *const *argv, const struct sim_proc *p,
	    double limit, int term);

/*
 * fgtop with args (NULL-terminated) and the connection options: --config
 * sim->cfg, --known-hosts sim->kh, -F none, --no-agent (nothing of the
 * user's).  They go after a leading subcommand word (`export d0` ends
 * export's options at d0), else first.  p NULL: stdin /dev/null, stdout
 * and stderr to sim->out and sim->err.
 */
pid_t	 sim_fgtop_spawn(struct sim *, const struct sim_proc *p,
	    const char *const *args);
/* The same run to its end, as sim_run; the exit status. */
int	 sim_fgtop_runv(struct sim *, const struct sim_proc *p, double limit,
	    int term, const char *const *args);
/* sim_fgtop_runv with p NULL and the args after term, NULL-terminated. */
int	 sim_fgtop_run(struct sim *, double limit, int term, ...);

#endif
