/* SPDX-License-Identifier: ISC */
/*
 * tool - one live tool run on a FortiGate CLI session: a sniffer, a
 * traceroute, a route lookup.  Setup commands, one command whose output
 * streams (line by line, as the device prints it), bounded in time and
 * stopped with Ctrl-C, then cleanup commands that run whatever happened
 * before them: a failed setup, a Ctrl-C, the bound.
 *
 * The commands go to the shell as two groups: the run (setup + the
 * streaming command, SHELL_STREAM) and the cleanup, each wrapped in
 * `config vdom` / `edit V` / ... / `end` when a VDOM is named, so that
 * the cleanup does not depend on how the run ended.  Only the session
 * ending first (the device dropped it) skips the cleanup; the caller
 * then decides (src/debug cleans up on the next session before anything
 * else).
 *
 * Ownership: the tool borrows the shell (the caller's session, which
 * must outlive the tool or be closed after tool_free); it copies the
 * spec.  The done callback comes once; the caller frees the tool after
 * it; tool_free before that silences the callbacks, and the tool goes
 * when the shell is done with its groups (at the latest, shell_close).
 */
#ifndef TOOL_H
#define TOOL_H

#include <uv.h>

struct shell;
struct tool;

struct tool_spec {
	const char	*name;		/* "sniff", "trace", "route" */
	const char	*vdom;		/* NULL: at the top */
	const char	*setup[4];	/* NULL-terminated */
	const char	*run;		/* the streaming command */
	const char	*cleanup[4];	/* NULL-terminated; always */
	unsigned	 run_ms;	/* Ctrl-C after this; 0: none */
};

enum tool_status {
	TOOL_OK = 0,		/* the run ended by itself */
	TOOL_STOPPED,		/* stopped: the bound or tool_stop */
	TOOL_FAILED,		/* the device refused a command */
	TOOL_LOST,		/* the session ended first */
};

struct tool_cb {
	/* One line of the run's output (cleaned; valid during the call). */
	void	(*line)(void *, const char *, size_t);
	/* Run and cleanup are over; why is a sentence when not TOOL_OK. */
	void	(*done)(void *, enum tool_status, const char *why);
};

/* Submit the run and its cleanup; NULL with *why when refused. */
struct tool	*tool_start(uv_loop_t *, struct shell *,
		    const struct tool_spec *, const struct tool_cb *, void *,
		    const char **why);
/* Ctrl-C the streaming command (the cleanup still runs). */
void		 tool_stop(struct tool *);
void		 tool_free(struct tool *);
const char	*tool_status_name(enum tool_status);

/*
 * The three tools toward a peer, as the command line and the dashboard
 * both run them: one home for the commands sent and for how their
 * output is read.
 */
enum tool_which { TOOL_ROUTE, TOOL_TRACE, TOOL_SNIFF };

struct tool_req {
	enum tool_which	 which;
	const char	*peer;
	const char	*vdom;		/* route, trace: multi-VDOM; or NULL */
	const char	*source;	/* trace: local gateway, or NULL */
	const char	*port;		/* sniff: "500", "4500", "both"/NULL */
	const char	*filter;	/* sniff: a whole filter, or NULL */
	unsigned	 count;		/* sniff: packets; 0: 20 */
	unsigned	 run_ms;	/* 0: trace 60 s, sniff 30 s */
};

/*
 * Fill spec for req; run and setup are the caller's buffers of
 * TOOL_CMD_MAX bytes, which spec points into.
 */
#define TOOL_CMD_MAX	256
void		 tool_spec_for(const struct tool_req *, struct tool_spec *,
		    char *run, char *setup);
/*
 * The one-line reading of a finished tool's output (src/reading), in
 * buf; iface is the tunnel's interface for a route lookup, or NULL.
 */
const char	*tool_reading(enum tool_which, const char *, size_t,
		    const char *peer, const char *iface, char *buf, size_t);

#endif
