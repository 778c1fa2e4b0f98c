/* SPDX-License-Identifier: ISC */
/*
 * shell - one interactive FortiGate CLI session over a conn: the login
 * quirks, the prompt, and a queue of command groups.
 *
 * After login the device may show a disclaimer ("(Press 'a' to
 * accept):"), answered only when the caller allows it, and banners,
 * skipped; the first prompt (`HOST # `, `HOST $ `) teaches the hostname.
 * Then commands run one at a time: the line is sent, the echo removed,
 * the --More-- pager answered with a space (never disabled: fgtop
 * changes no configuration), and the output ends at the next prompt of
 * the same host.  Output is cleaned (pager erase sequences, escape
 * sequences, control bytes) before anyone sees it.
 *
 * Commands come in groups, as tmux's cmd-queue does: a VDOM's poll is
 * `config vdom` / `edit X` / commands / `end`.  A step the device
 * rejects ("Command fail", "command parse error", "Unknown action")
 * fails, and the rest of its group is skipped but for the steps marked
 * SHELL_ALWAYS (the `end` that leaves the VDOM), which run when the
 * group's first step succeeded.  Every line is checked against the
 * allowlist (src/allow) when the group is submitted; a group with one
 * refused line is refused whole.
 *
 * A command that prints nothing for the timeout is interrupted with
 * Ctrl-C; if no prompt comes back the session is given up (closed cb).
 * One command's output is bounded (SHELL_MAX_OUTPUT): past it the rest
 * is read and dropped, and the result says SHELL_TOOBIG.
 *
 * Callbacks: the group's done callback gets each step's result in order
 * (output valid only during the call), then its end callback once.  The
 * shell's own callbacks say when it is ready and when it is gone.  It is
 * safe to call shell_close from any callback.
 *
 * Streaming (the tools: IKE debug lines arrive between prompts with no
 * command running; a sniffer or traceroute prints until it ends): with
 * shell_set_stream, every complete line received while the shell is
 * idle, or while a step flagged SHELL_STREAM runs (its echo removed), is
 * cleaned (cli_clean) and handed to the callback as it arrives, and
 * dropped from the buffer, so a long stream costs no memory; the bytes
 * after the last LF wait for the rest of their line.  Such a step's
 * result carries only what was not streamed.  shell_interrupt stops the
 * running step with Ctrl-C; its result then says SHELL_TIMEOUT.
 *
 * Ownership: the shell owns its conn and its queued groups; shell_close
 * ends the session and frees everything once libuv is done with it;
 * queued groups get their end callback with ok = 0 first.
 */
#ifndef SHELL_H
#define SHELL_H

#include <stddef.h>
#include <uv.h>

#include "conn.h"

#define SHELL_MAX_OUTPUT	((size_t)64 << 20)

/* Step flags. */
#define SHELL_ALWAYS	0x1	/* runs after a failure (leaves a context) */
#define SHELL_STREAM	0x2	/* output lines go to the stream callback */

enum shell_status {
	SHELL_OK = 0,
	SHELL_FAILED,		/* the device printed a command error */
	SHELL_SKIPPED,		/* an earlier step of the group failed */
	SHELL_TIMEOUT,		/* interrupted with Ctrl-C */
	SHELL_TOOBIG,		/* output over SHELL_MAX_OUTPUT, dropped */
	SHELL_CLOSED,		/* the session ended first */
};

struct shell;
struct shell_group;

struct shell_result {
	const char		*command;
	int			 id;		/* the caller's */
	enum shell_status	 status;
	const char		*output;	/* cleaned, NUL-terminated */
	size_t			 len;
	double			 ms;		/* from send to prompt */
	const char		*context;	/* prompt's "(vdom)", or NULL */
};

struct shell_opts {
	int		 disclaimer_accept;
	unsigned	 cmd_timeout_ms;	/* 0: 60000 */
};

struct shell_cb {
	/* Logged in, first prompt seen: shell_hostname is known. */
	void	(*ready)(struct shell *, void *);
	/* The session ended (conn error, timeout, disclaimer refused). */
	void	(*closed)(struct shell *, void *);
};

struct shell	*shell_new(uv_loop_t *, const struct conn_opts *,
		    const struct shell_opts *, const struct shell_cb *,
		    void *);
void		 shell_close(struct shell *);

struct shell_group *shell_group_new(
		    void (*done)(void *, const struct shell_result *),
		    void (*end)(void *, int ok), void *);
void		 shell_group_add(struct shell_group *, const char *, int id,
		    int flags);
/*
 * Queue a group; it runs after those before it.  -1 with *why set (and
 * the group freed, no callback) when a line is not on the allowlist.
 */
int		 shell_submit(struct shell *, struct shell_group *,
		    const char **why);
/*
 * The VDOMs `edit` may name from now on (NULL-terminated; the caller's,
 * kept until changed): see allow_set_vdoms.
 */
void		 shell_set_vdoms(struct shell *, char *const *);
/*
 * Lines (cleaned, without their LF, valid during the call) received
 * while idle or from a SHELL_STREAM step; NULL stops.  Safe to call
 * shell_close from cb.
 */
void		 shell_set_stream(struct shell *,
		    void (*cb)(void *, const char *, size_t), void *);
/* Ctrl-C to the running step: 0, or -1 when none runs. */
int		 shell_interrupt(struct shell *);
/* Groups queued or running. */
size_t		 shell_pending(const struct shell *);

const char	*shell_hostname(const struct shell *);
/* Why it closed: the conn's error, or the shell's own. */
const char	*shell_error(const struct shell *);
enum conn_errkind shell_errkind(const struct shell *);
int		 shell_is_ready(const struct shell *);
unsigned long long shell_bytes_in(const struct shell *);

#endif
