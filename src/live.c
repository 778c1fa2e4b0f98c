/* SPDX-License-Identifier: ISC */
/*
 * live - the dashboard's live tools.  See live.h.
 *
 * Callbacks from tools and debug sessions only record and forward; the
 * objects that called them are freed later, by a zero-delay reaper
 * timer, never inside their own callbacks.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "debug.h"
#include "device.h"
#include "ike_debug.h"
#include "live.h"
#include "model.h"
#include "shell.h"
#include "tool.h"
#include "xmalloc.h"
#include "xtime.h"

/* What a tool's output may hold before the rest is dropped. */
#define LIVE_OUT_MAX	(1024 * 1024)

struct ldbg {
	struct ldbg	*next;
	struct live	*lv;
	struct mdev	*mdev;
	struct debug	*d;
	struct conn_opts co;		/* owned copies: outlives the device */
	char		 peer[64];	/* the newest viewer's */
	unsigned	 viewers;
	int		 stopping;
	int		 done;
};

struct lrun {
	struct lrun	*next;
	struct live	*lv;
	unsigned	 id;
	enum live_tool	 which;
	struct mdev	*mdev;
	char		*vdom;
	char		*tunnel;
	char		 peer[64];
	char		 iface[64];
	char		 local[64];	/* the traceroute's source */
	char		 param[200];	/* the sniffer's filter, edited */
	struct tool_req	 req;
	struct shell	*sh;
	struct tool	*tool;
	struct ldbg	*dbg;
	char		*out;
	size_t		 outlen;
	int		 done;
};

struct live {
	uv_loop_t	*loop;
	struct model	*model;
	struct live_cb	 cb;
	void		*arg;
	struct lrun	*runs;
	struct ldbg	*dbgs;
	unsigned	 next_id;
	uv_timer_t	 reaper;
	int		 closing;
};

static void
live_copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s != NULL ? s : "");
}

/*
 * The debug session reconnects on its own (to undo, too) after the
 * device may be gone: it gets its own copy of the connection options.
 */
static char *
live_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
live_co_copy(struct conn_opts *dst, const struct conn_opts *src)
{
	*dst = *src;
	dst->dest = live_dup(src->dest);
	dst->user = live_dup(src->user);
	dst->ssh_config = live_dup(src->ssh_config);
	dst->known_hosts = live_dup(src->known_hosts);
	dst->identity = live_dup(src->identity);
	dst->password = live_dup(src->password);
	dst->token = live_dup(src->token);
	dst->exec = NULL;
}

static void
live_secret_free(const char *s)
{
	if (s != NULL) {
		explicit_bzero((char *)(uintptr_t)s, strlen(s));
		free((char *)(uintptr_t)s);
	}
}

static void
live_co_free(struct conn_opts *co)
{
	free((char *)(uintptr_t)co->dest);
	free((char *)(uintptr_t)co->user);
	free((char *)(uintptr_t)co->ssh_config);
	free((char *)(uintptr_t)co->known_hosts);
	free((char *)(uintptr_t)co->identity);
	live_secret_free(co->password);
	live_secret_free(co->token);
}

/* Free what has finished, outside the callbacks that said so. */
static void
live_reap_cb(uv_timer_t *t)
{
	struct live	*lv = t->data;
	struct lrun	**rp, *r;
	struct ldbg	**dp, *g;

	for (rp = &lv->runs; (r = *rp) != NULL;) {
		if (!r->done) {
			rp = &r->next;
			continue;
		}
		*rp = r->next;
		if (r->tool != NULL)
			tool_free(r->tool);
		if (r->sh != NULL)
			shell_close(r->sh);
		free(r->out);
		free(r->vdom);
		free(r->tunnel);
		free(r);
	}
	for (dp = &lv->dbgs; (g = *dp) != NULL;) {
		if (!g->done) {
			dp = &g->next;
			continue;
		}
		*dp = g->next;
		debug_free(g->d);
		live_co_free(&g->co);
		free(g);
	}
	if (lv->closing && lv->runs == NULL && lv->dbgs == NULL &&
	    !uv_is_closing((uv_handle_t *)&lv->reaper))
		uv_close((uv_handle_t *)&lv->reaper, NULL);
}

static void
live_reap(struct live *lv)
{
	if (!uv_is_closing((uv_handle_t *)&lv->reaper))
		uv_timer_start(&lv->reaper, live_reap_cb, 0, 0);
}

/* A run is over: its reading to the dashboard and the model. */
static void
live_end(struct lrun *r, const char *reading)
{
	struct live	*lv = r->lv;
	struct mtun	*t;

	if (r->done)
		return;
	r->done = 1;
	t = model_tunnel(model_vdom(r->mdev, r->vdom), r->tunnel);
	model_tool_result(r->mdev, t, xtime_now(), r->which == LIVE_DEBUG ?
	    "debug" : r->which == LIVE_SNIFF ? "sniff" : r->which ==
	    LIVE_TRACE ? "trace" : "route", r->peer, reading, r->out);
	if (lv->cb.end != NULL)
		lv->cb.end(lv->arg, r->id, reading);
	live_reap(lv);
}

/* Sniffer, traceroute, route lookup. */

static void
live_tool_line(void *arg, const char *l, size_t n)
{
	struct lrun	*r = arg;
	struct live	*lv = r->lv;
	char		*s;

	if (r->outlen + n + 2 <= LIVE_OUT_MAX) {
		r->out = xrealloc(r->out, r->outlen + n + 2);
		memcpy(r->out + r->outlen, l, n);
		r->outlen += n;
		r->out[r->outlen++] = '\n';
		r->out[r->outlen] = '\0';
	}
	if (lv->cb.line != NULL) {
		s = xstrndup(l, n);
		lv->cb.line(lv->arg, r->id, s, 0);
		free(s);
	}
}

static void
live_tool_done(void *arg, enum tool_status st, const char *why)
{
	struct lrun	*r = arg;
	char		 buf[256];

	if (st == TOOL_FAILED || st == TOOL_LOST) {
		snprintf(buf, sizeof buf, "did not complete: %s",
		    why != NULL ? why : tool_status_name(st));
		live_end(r, buf);
		return;
	}
	tool_reading(r->req.which, r->out != NULL ? r->out : "", r->outlen,
	    r->peer, r->iface[0] != '\0' ? r->iface : NULL, buf, sizeof buf);
	live_end(r, buf);
}

static void
live_shell_ready(struct shell *sh, void *arg)
{
	static const struct tool_cb	 cb = { live_tool_line, live_tool_done };
	struct lrun			*r = arg;
	struct tool_spec		 spec;
	char				 run[TOOL_CMD_MAX], setup[TOOL_CMD_MAX];
	const char			*why;

	tool_spec_for(&r->req, &spec, run, setup);
	if ((r->tool = tool_start(r->lv->loop, sh, &spec, &cb, r, &why)) ==
	    NULL)
		live_end(r, why);
}

static void
live_shell_closed(struct shell *sh, void *arg)
{
	struct lrun	*r = arg;

	live_end(r, shell_error(sh) != NULL ? shell_error(sh) :
	    "the session ended");
}

/* IKE debug: one session per device, for every pane of it. */

static struct ldbg *
live_dbg_of(struct live *lv, const struct mdev *m)
{
	struct ldbg	*g;

	for (g = lv->dbgs; g != NULL; g = g->next)
		if (g->mdev == m && !g->stopping)
			return (g);
	return (NULL);
}

static void
live_dbg_line(void *arg, const struct ike_line *il, const char *l, size_t n,
    struct mtun *t)
{
	struct ldbg	*g = arg;
	struct live	*lv = g->lv;
	struct lrun	*r;
	char		*s;
	int		 cls;

	cls = il->cls == IKE_C_FAILURE ? 3 : il->cls == IKE_C_SUCCESS ? 1 : 0;
	s = il->secret ? xstrdup("(key material hidden)") : xstrndup(l, n);
	for (r = lv->runs; r != NULL; r = r->next)
		if (r->dbg == g && !r->done && lv->cb.line != NULL)
			lv->cb.line(lv->arg, r->id, s, cls);
	free(s);
}

static void
live_dbg_started(void *arg, enum debug_syntax syn)
{
	struct ldbg	*g = arg;
	struct live	*lv = g->lv;

	if (lv->cb.badge != NULL)
		lv->cb.badge(lv->arg, g->mdev->name, g->peer, xtime_now());
}

static void
live_dbg_done(void *arg, const char *why)
{
	struct ldbg	*g = arg;
	struct live	*lv = g->lv;
	struct lrun	*r;
	struct ldbg	*o;

	g->done = 1;
	for (r = lv->runs; r != NULL; r = r->next)
		if (r->dbg == g) {
			live_end(r, why != NULL ? why :
			    "IKE debug off, reset and filter cleared");
			r->dbg = NULL;
		}
	for (o = lv->dbgs; o != NULL; o = o->next)
		if (!o->done && !o->stopping)
			break;
	if (lv->cb.badge != NULL)
		lv->cb.badge(lv->arg, o != NULL ? o->mdev->name : NULL,
		    o != NULL ? o->peer : NULL, xtime_now());
	live_reap(lv);
}

static int
live_debug(struct live *lv, struct lrun *r, struct device *dev,
    struct mtun *t, char **err)
{
	static const struct debug_cb	 cb = { live_dbg_line,
	    live_dbg_started, live_dbg_done };
	struct ldbg			*g;
	struct conn_opts		 co;
	struct shell_opts		 so;
	struct debug_opts		 o;

	if ((g = live_dbg_of(lv, r->mdev)) == NULL) {
		device_session_opts(dev, &co, &so);
		memset(&o, 0, sizeof o);
		o.vdom = device_multi_vdom(dev) ? t->vdom->name : NULL;
		o.model_vdom = t->vdom->name;
		/* The device's own safety net if fgtop cannot undo. */
		o.duration_min = 30;
		o.cmd_timeout_ms = so.cmd_timeout_ms;
		o.disclaimer_accept = so.disclaimer_accept;
		g = xcalloc(1, sizeof *g);
		g->lv = lv;
		g->mdev = r->mdev;
		live_co_copy(&g->co, &co);
		g->d = debug_new(lv->loop, lv->model, r->mdev, &g->co, &o,
		    debug_syntax_for(r->mdev->major, r->mdev->minor,
		    r->mdev->patch), &cb, g);
		g->next = lv->dbgs;
		lv->dbgs = g;
	}
	if (debug_watch(g->d, r->peer) != 0) {
		xasprintf(err, "IKE debug on %s cannot watch %s",
		    r->mdev->name, r->peer);
		return (-1);
	}
	live_copy(g->peer, sizeof g->peer, r->peer);
	g->viewers++;
	r->dbg = g;
	return (0);
}

struct live *
live_new(uv_loop_t *loop, struct model *m, const struct live_cb *cb,
    void *arg)
{
	struct live	*lv;

	lv = xcalloc(1, sizeof *lv);
	lv->loop = loop;
	lv->model = m;
	lv->cb = *cb;
	lv->arg = arg;
	uv_timer_init(loop, &lv->reaper);
	lv->reaper.data = lv;
	return (lv);
}

int
live_start(struct live *lv, struct device *dev, enum live_tool which,
    struct mtun *t, const char *param, unsigned *id, char **err)
{
	static const struct shell_cb	 scb = {
		live_shell_ready, live_shell_closed
	};
	struct lrun			*r;
	struct conn_opts		 co;
	struct shell_opts		 so;
	const char			*peer, *local;

	*err = NULL;
	peer = t->p1.remote_addr != NULL ? t->p1.remote_addr : t->remote_addr;
	local = t->p1.local_addr != NULL ? t->p1.local_addr : t->local_addr;
	if (lv->closing) {
		*err = xstrdup("fgtop is stopping");
		return (-1);
	}
	if (peer == NULL || strcmp(peer, "0.0.0.0") == 0) {
		xasprintf(err, "%s has no known peer address yet", t->name);
		return (-1);
	}
	r = xcalloc(1, sizeof *r);
	r->lv = lv;
	r->id = ++lv->next_id;
	r->which = which;
	r->mdev = device_mdev(dev);
	r->vdom = xstrdup(t->vdom->name);
	r->tunnel = xstrdup(t->name);
	live_copy(r->peer, sizeof r->peer, peer);
	live_copy(r->iface, sizeof r->iface, t->p1.interface);
	live_copy(r->local, sizeof r->local, local);
	live_copy(r->param, sizeof r->param, param);
	if (which == LIVE_DEBUG) {
		if (live_debug(lv, r, dev, t, err) != 0) {
			free(r->vdom);
			free(r->tunnel);
			free(r);
			return (-1);
		}
	} else {
		r->req.which = which == LIVE_SNIFF ? TOOL_SNIFF :
		    which == LIVE_TRACE ? TOOL_TRACE : TOOL_ROUTE;
		r->req.peer = r->peer;
		r->req.vdom = device_multi_vdom(dev) ? r->vdom : NULL;
		r->req.source = r->local;
		/* S: the operator's own filter (the allowlist checks it). */
		r->req.filter = param != NULL ? r->param : NULL;
		device_session_opts(dev, &co, &so);
		r->sh = shell_new(lv->loop, &co, &so, &scb, r);
	}
	r->next = lv->runs;
	lv->runs = r;
	*id = r->id;
	return (0);
}

void
live_stop(struct live *lv, unsigned id, int keep)
{
	struct lrun	*r;
	struct ldbg	*g;

	for (r = lv->runs; r != NULL && r->id != id; r = r->next)
		;
	if (r == NULL || r->done)
		return;
	if (r->tool != NULL) {
		tool_stop(r->tool);
		return;
	}
	if ((g = r->dbg) == NULL) {
		live_end(r, "stopped");
		return;
	}
	r->dbg = NULL;
	if (--g->viewers > 0 || keep) {
		if (!keep)
			debug_unwatch(g->d, r->peer);
		live_end(r, keep ? "IKE debug left running on the device "
		    "(its duration timer will end it)" : "stopped");
		return;
	}
	g->stopping = 1;
	live_end(r, "stopping IKE debug");
	debug_stop(g->d);
}

void
live_shutdown(struct live *lv)
{
	struct lrun	*r;
	struct ldbg	*g;

	lv->closing = 1;
	for (r = lv->runs; r != NULL; r = r->next)
		if (r->tool != NULL && !r->done)
			tool_stop(r->tool);
		else if (r->sh != NULL && !r->done)
			live_end(r, "stopped");
	/* Quitting always turns debug off, kept or not. */
	for (g = lv->dbgs; g != NULL; g = g->next)
		if (!g->done && !g->stopping) {
			g->stopping = 1;
			debug_stop(g->d);
		}
	live_reap(lv);
}

void
live_free(struct live *lv)
{
	free(lv);
}
