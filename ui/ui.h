/* SPDX-License-Identifier: ISC */
/*
 * ui - the ncurses dashboard: what the NOC operator sees and touches.
 *
 * The dashboard reads the model (src/model.h) and turns keys into
 * actions; it does no I/O but the terminal and never blocks.  The
 * engine creates it once its loop runs (ui_new), tells it once per loop
 * turn that the model may have changed (ui_events, with the events the
 * turn produced), and closes it on the way out (ui_close, then ui_free
 * after the loop has ended).  Everything the operator asks of the
 * devices - focus a tunnel, IKE debug, sniffer, traceroute, route
 * lookup, incident bundle, reconnect, quit - goes back through one struct of callbacks
 * the engine provides (struct ui_actions).  Tool output streams back in
 * through ui_tool_line / ui_tool_end; an open IKE debug session is shown
 * with ui_debug_badge.
 *
 * Inside: ui.c owns curses (newterm on the given streams), colours, the
 * layout (status bar, view, prompt line), the stdin poll, SIGWINCH and a
 * redraw timer that coalesces changes to at most 20 frames a second and
 * draws nothing when nothing changed; keys.c owns the one keymap; one
 * view_*.c a view.  This header uses no curses type, so the engine
 * includes it without linking curses.
 *
 * Ownership: ui_new copies the actions and the mark; the model is
 * borrowed and must outlive the ui.  ui_free releases everything.
 */
#ifndef UI_H
#define UI_H

#include <stddef.h>
#include <stdio.h>
#include <uv.h>

struct model;
struct mevent;
struct mtun;
struct ui;

/* The live tools a pane can run (struct ui_actions.tool). */
enum ui_tool {
	UI_TOOL_DEBUG = 0,	/* IKE debug filtered on the peer */
	UI_TOOL_SNIFFER,	/* IKE packets toward the peer */
	UI_TOOL_TRACEROUTE,	/* from the tunnel's local gateway address */
	UI_TOOL_ROUTE,		/* route lookup toward the peer */
	UI_TOOL_COUNT
};

/*
 * What the dashboard asks of the engine.  Every callback may be NULL
 * (the key then says "not available in this build").  The strings are
 * the model's names and are only valid during the call.
 *
 * tool starts a tool for one tunnel (param: the sniffer filter, or
 * NULL for the default) and stores an id the engine then passes to
 * ui_tool_line / ui_tool_end; it returns -1 with a sentence in *err
 * (the caller frees it) when it cannot.  tool_stop ends it (keep: leave
 * IKE debug running on the device when the operator said so).
 */
struct ui_actions {
	void	*arg;
	void	 (*quit)(void *arg);
	void	 (*focus)(void *arg, const char *device, const char *vdom,
		    const char *tunnel);
	int	 (*tool)(void *arg, enum ui_tool, const char *device,
		    const char *vdom, const char *tunnel, const char *param,
		    unsigned *id, char **err);
	void	 (*tool_stop)(void *arg, unsigned id, int keep);
	int	 (*reconnect)(void *arg, const char *device, char **err);
	/*
	 * The incident bundle of a tunnel (tunnel NULL: of the device),
	 * made on the loop; the engine says where it went, or why not,
	 * with ui_notice.  -1 with a sentence when it cannot start.
	 */
	int	 (*export)(void *arg, const char *device, const char *vdom,
		    const char *tunnel, char **err);
	/*
	 * Replay (src/replay).  readonly names a mode in which the tools
	 * and reconnect are off ("replay": "... not available in replay").
	 * step moves to the previous (-1) or next (+1) journal event, at to
	 * the time typed after :at; both return 0, or -1 when they cannot,
	 * and leave a sentence for the prompt line in *msg (the caller
	 * frees it).
	 */
	const char *readonly;
	int	 (*step)(void *arg, int dir, char **msg);
	int	 (*at)(void *arg, const char *when, char **msg);
};

/*
 * The diagnosis as the dashboard reads it (src/diagnose fills
 * mtun.findings; the engine sets these accessors).  Until then every
 * finding cell shows "-".  severity: 0 info, 1 warning, 2 error.
 */
struct ui_finding {
	const char	*rule;
	int		 severity;
	const char	*title;
	const char	*evidence;
	const char	*next;
	const char	*fix;
};
struct ui_findings {
	size_t	 (*count)(const struct mtun *);
	/* The i-th, worst first; 0 on success. */
	int	 (*get)(const struct mtun *, size_t, struct ui_finding *);
};

/* Where the dashboard draws; NULL fields mean the process's own. */
struct ui_term {
	FILE		*out;
	FILE		*in;
	const char	*type;		/* TERM */
	int		 no_input;	/* do not poll the input (benches) */
};

/*
 * Start the dashboard on the loop: curses on the terminal, input, resize
 * and redraw handles.  mark is shown in the status bar ("DEMO"), or
 * NULL.  NULL with a sentence in *err when the terminal cannot be used.
 */
struct ui	*ui_new(uv_loop_t *, struct model *, const struct ui_actions *,
		    const char *mark, const struct ui_term *, char **err);
/* This loop turn's events (may be NULL); the ui copies what it keeps. */
void		 ui_events(struct ui *, const struct mevent *);
/* Close the handles (the loop can then end); idempotent. */
void		 ui_close(struct ui *);
/* After the loop: end curses, restore the terminal, free. */
void		 ui_free(struct ui *);

void		 ui_set_findings(struct ui *, const struct ui_findings *);
/* A sentence on the prompt line (err: as an error), e.g. a bundle's. */
void		 ui_notice(struct ui *, int err, const char *);
/*
 * Replay: the dashboard shows the moment t (ages count from it) and the
 * status bar shows mark in place of the clock.  ui_history replaces the
 * events the events view lists with ev (oldest first; the newest
 * UI_EVENTS are kept) and highlights the tunnel of hl (may be NULL).
 */
void		 ui_replay_at(struct ui *, double t, const char *mark);
void		 ui_history(struct ui *, const struct mevent *ev,
		    const struct mevent *hl);
/*
 * The config file's `key ACTION KEY` (before ui_new: the keymap is
 * shared) and `theme NAME` (default, mono); -1 with a sentence.
 */
int		 ui_bind(const char *action, const char *key, char **err);
int		 ui_theme(struct ui *, const char *name, char **err);
/*
 * A tool's output line (device text: sanitised before drawing) and its
 * class as the engine read it (parsers/ike_debug for IKE debug), which
 * colours it.
 */
enum ui_line_class {
	UI_LINE_PLAIN = 0,
	UI_LINE_NOTE,		/* progress worth seeing: SA up, reply */
	UI_LINE_WARN,		/* retransmit, no reply yet */
	UI_LINE_FAIL,		/* negotiation failure, mismatch, no route */
};
void		 ui_tool_line(struct ui *, unsigned id, const char *line,
		    enum ui_line_class);
/* The tool ended; reading is its one-line conclusion (or NULL). */
void		 ui_tool_end(struct ui *, unsigned id, const char *reading);
/* An IKE debug session is open (device != NULL) or none is. */
void		 ui_debug_badge(struct ui *, const char *device,
		    const char *peer, double since);

#endif
