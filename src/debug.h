/* SPDX-License-Identifier: ISC */
/*
 * debug - the IKE debug session of one FortiGate: its own SSH session,
 * a log filter on the watched peer, the lines parsed and kept in the
 * model, and the box left as it was found on every path that can run
 * code.
 *
 * Start (DIAGNOSIS.md section 3): `diagnose debug reset` and `disable`
 * (a colleague's leftovers), the IKE log filter cleared and set on the
 * peer in the syntax the version needs (`diagnose vpn ike log-filter
 * dst-addr4` up to 7.2 and 7.4.0's early builds, `diagnose vpn ike log
 * filter rem-addr4` from 7.4.1; on 7.4.0 or an unknown version the new
 * syntax is tried and the old one used when the box rejects it),
 * console timestamps on, `diagnose debug duration N` (minutes, never 0:
 * if fgtop dies by SIGKILL or the power goes, the device's own timer
 * turns the debug off), `diagnose debug application ike -1`,
 * `diagnose debug enable`.  The filter commands run inside `config
 * vdom` / `edit V` on a multi-VDOM box.
 *
 * Undo, on debug_stop (close, quit, signals): `diagnose debug disable`,
 * `diagnose debug reset`, the filter cleared (each its own group, so
 * one refused does not skip the others), then the session ends.  When
 * the device drops the session, the next session runs the same undo
 * before anything else, then the start again; a stop that comes between
 * sessions opens one only to undo.  After DEBUG_RECONNECTS failed
 * sessions in a row the debug gives up (the duration timer is then what
 * is left).
 *
 * One debug session serves every viewer of the device.  A second peer
 * *replaces* the filter rather than widening it: FortiOS's IKE log
 * filter holds one remote address or one contiguous range, and a range
 * spanning two peers lets through every peer between them - on a hub
 * with hundreds of dial-up peers that is the console flood the CPU
 * warning of DIAGNOSIS.md section 3 is about.  The filter follows the
 * most recent debug_watch; when that viewer leaves (debug_unwatch) it
 * goes back to the previous one still watching.  Lines are attributed
 * to tunnels by their phase-1 name or peer address, whatever the
 * filter, so nothing is misfiled while the filter moves.
 *
 * The model gets a "tool" event (item "debug") when the debug is on
 * ("opened", detail = the peer) and when it is over ("closed", detail =
 * why, or that the box was left clean).
 *
 * Ownership: the debug owns its shell; debug_stop ends it and the done
 * callback comes once, after which the caller calls debug_free.  The
 * model and the device outlive the debug.
 */
#ifndef DEBUG_H
#define DEBUG_H

#include <uv.h>

#include "util.h"

struct conn_opts;
struct ike_line;
struct mdev;
struct mtun;
struct model;
struct debug;

#define DEBUG_RECONNECTS	3
#define DEBUG_MAX_PEERS		8

/* Which log-filter syntax: from the version, or found by trying. */
enum debug_syntax {
	DEBUG_SYNTAX_UNSURE = 0,	/* 7.4.0 or unknown: try new, then old */
	DEBUG_SYNTAX_OLD,		/* log-filter dst-addr4 (<= 7.4.0) */
	DEBUG_SYNTAX_NEW,		/* log filter rem-addr4 (>= 7.4.1) */
};

struct debug_cb {
	/* A parsed IKE line (valid during the call); t may be NULL. */
	void	(*line)(void *, const struct ike_line *, const char *,
		    size_t, struct mtun *);
	/* Debug is on for the peer (filter set in syntax). */
	void	(*started)(void *, enum debug_syntax);
	/* Over: why NULL after a clean undo, else the reason. */
	void	(*done)(void *, const char *why);
};

struct debug_opts {
	const char	*vdom;		/* multi-VDOM: the VDOM; else NULL */
	const char	*model_vdom;	/* where tunnels live in the model */
	unsigned	 duration_min;	/* diagnose debug duration; >= 1 */
	unsigned	 cmd_timeout_ms;
	int		 disclaimer_accept;
};

enum debug_syntax debug_syntax_for(pnum major, pnum minor, pnum patch);

struct debug	*debug_new(uv_loop_t *, struct model *, struct mdev *,
		    const struct conn_opts *, const struct debug_opts *,
		    enum debug_syntax, const struct debug_cb *, void *);
/* Watch a peer (IPv4): the filter moves to it.  -1 when full. */
int		 debug_watch(struct debug *, const char *peer);
void		 debug_unwatch(struct debug *, const char *peer);
/* Undo and end; done follows (at once if nothing was set). */
void		 debug_stop(struct debug *);
void		 debug_free(struct debug *);
/* Sessions opened so far (1 + reconnects). */
unsigned	 debug_sessions(const struct debug *);

#endif
