/* SPDX-License-Identifier: ISC */
/*
 * live - the live tools as the dashboard runs them: IKE debug, sniffer,
 * traceroute and route lookup toward a tunnel's peer, each streaming its
 * lines to the dashboard and ending with its one-line reading.
 *
 * The same parts as `fgtop debug|sniff|trace|route' (src/cmdtool): a
 * short-lived session per sniffer, traceroute or route lookup
 * (src/tool, with tool_spec_for and tool_reading), and one IKE debug
 * session per device (src/debug) that serves every debug pane of that
 * device and always undoes itself: on stop, on quit, on signals.  The
 * tunnel's own data gives the peer (remote gateway), the traceroute's
 * source (local gateway) and the interface the route must leave by.
 * Results are kept in the model (model_tool_result).
 *
 * live_shutdown stops everything; the debug undo runs to its end on the
 * loop, so the engine's loop must keep turning until the handles are
 * closed (it does: uv_run returns when nothing is left).
 *
 * Ownership: the engine owns the live; live_free after the loop.
 */
#ifndef LIVE_H
#define LIVE_H

#include <uv.h>

struct device;
struct live;
struct model;
struct mtun;

struct live_cb {
	/* cls: 0 plain, 1 note, 2 warn, 3 fail (ui.h enum ui_line_class) */
	void	(*line)(void *, unsigned id, const char *, int cls);
	void	(*end)(void *, unsigned id, const char *reading);
	/* An IKE debug session is on (device != NULL) or none is. */
	void	(*badge)(void *, const char *device, const char *peer,
		    double since);
};

enum live_tool { LIVE_DEBUG, LIVE_SNIFF, LIVE_TRACE, LIVE_ROUTE };

struct live	*live_new(uv_loop_t *, struct model *, const struct live_cb *,
		    void *);
/*
 * Start a tool for the tunnel t of device d; param is the sniffer's
 * whole filter as the operator edited it, or NULL for IKE toward the
 * peer (UDP 500 and 4500).  0 with *id set, or -1
 * with a sentence in *err (the caller frees it).
 */
int		 live_start(struct live *, struct device *, enum live_tool,
		    struct mtun *, const char *param, unsigned *id,
		    char **err);
/* Stop one tool; keep leaves an IKE debug running (the operator said). */
void		 live_stop(struct live *, unsigned id, int keep);
/* Stop every tool and debug session, undoing debug on every device. */
void		 live_shutdown(struct live *);
void		 live_free(struct live *);

#endif
