/* SPDX-License-Identifier: ISC */
/*
 * debug - the IKE debug session of one device.  See debug.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "debug.h"
#include "ike_debug.h"
#include "model.h"
#include "shell.h"
#include "xmalloc.h"
#include "xtime.h"

/* Before a new session after a drop: let the device settle. */
#define DEBUG_RETRY_MS	1000

enum debug_gid {
	DEBUG_G_UNDO = 1,	/* disable / reset / clear: not the last */
	DEBUG_G_CLEAR,		/* the filter clear of the start */
	DEBUG_G_FILTER,		/* the filter on the peer */
	DEBUG_G_ENABLE,		/* timestamps, duration, ike -1, enable */
	DEBUG_G_LAST,		/* the last undo group: then close */
};

struct debug_group {
	struct debug	*d;
	enum debug_gid	 gid;
	int		 failed;
	enum shell_status status;
	char		*output;	/* the failed step's, for the reason */
};

struct debug {
	uv_loop_t	*loop;
	struct model	*model;
	struct mdev	*mdev;
	struct conn_opts co;
	struct debug_opts opts;
	char		*vdom;
	char		*model_vdom;
	enum debug_syntax syntax;
	int		 tried_new;	/* UNSURE: the new syntax was refused */
	struct debug_cb	 cb;
	void		*arg;
	struct shell	*sh;
	uv_timer_t	*retry;
	char		*peers[DEBUG_MAX_PEERS];	/* oldest first */
	size_t		 npeers;
	unsigned	 sessions;
	unsigned	 drops;		/* dropped sessions in a row */
	int		 enabled;	/* the start sequence went through */
	int		 stopping;
	int		 done;
	char		*why;
};

enum debug_syntax
debug_syntax_for(pnum major, pnum minor, pnum patch)
{
	if (major == PNUM_UNKNOWN || minor == PNUM_UNKNOWN)
		return (DEBUG_SYNTAX_UNSURE);
	if (major < 7 || (major == 7 && minor < 4))
		return (DEBUG_SYNTAX_OLD);
	if (major == 7 && minor == 4 && (patch == PNUM_UNKNOWN || patch == 0))
		return (DEBUG_SYNTAX_UNSURE);
	return (DEBUG_SYNTAX_NEW);
}

static void	debug_connect(struct debug *);

/* The model's "tool" event, for every viewer and the journal. */
static void
debug_event(struct debug *d, const char *to, const char *detail)
{
	struct mtun	*t = NULL;

	if (d->npeers > 0)
		t = model_tunnel_by_peer(d->mdev, d->model_vdom,
		    d->peers[d->npeers - 1]);
	model_event(d->model, xtime_now(), "tool", d->mdev->name,
	    d->model_vdom, t != NULL ? t->name : NULL, "debug", NULL, to,
	    detail);
}

static void
debug_finish(struct debug *d, const char *why)
{
	if (d->done)
		return;
	d->done = 1;
	if (why != NULL && d->why == NULL)
		d->why = xstrdup(why);
	debug_event(d, "closed", d->why != NULL ? d->why :
	    "debug off, reset and filter cleared");
	if (d->sh != NULL) {
		shell_close(d->sh);
		d->sh = NULL;
	}
	if (d->cb.done != NULL)
		d->cb.done(d->arg, d->why);
}

static void
debug_step_cb(void *arg, const struct shell_result *r)
{
	struct debug_group	*g = arg;

	if (r->status == SHELL_OK || r->status == SHELL_SKIPPED ||
	    g->failed)
		return;
	g->failed = 1;
	g->status = r->status;
	g->output = xstrndup(r->output, r->len > 200 ? 200 : r->len);
}

static void	debug_end_cb(void *, int);

static struct debug_group *
debug_group(struct debug *d, enum debug_gid gid, struct shell_group **sgp,
    int vdom)
{
	struct debug_group	*g;
	char			 line[64];

	g = xcalloc(1, sizeof *g);
	g->d = d;
	g->gid = gid;
	*sgp = shell_group_new(debug_step_cb, debug_end_cb, g);
	if (vdom && d->vdom != NULL) {
		shell_group_add(*sgp, "config vdom", 0, 0);
		snprintf(line, sizeof line, "edit %s", d->vdom);
		shell_group_add(*sgp, line, 0, 0);
	}
	return (g);
}

static void
debug_submit(struct debug *d, struct shell_group *sg, int vdom)
{
	const char	*why;

	if (vdom && d->vdom != NULL)
		shell_group_add(sg, "end", 0, SHELL_ALWAYS);
	if (shell_submit(d->sh, sg, &why) != 0)
		debug_finish(d, why);	/* a bug: say it, send nothing */
}

/* One command, alone in its group (so a refusal skips nothing else). */
static void
debug_one(struct debug *d, enum debug_gid gid, const char *cmd, int vdom)
{
	struct shell_group	*sg;

	debug_group(d, gid, &sg, vdom);
	shell_group_add(sg, cmd, 0, 0);
	debug_submit(d, sg, vdom);
}

static const char *
debug_filter_word(enum debug_syntax s)
{
	return (s == DEBUG_SYNTAX_OLD ? "diagnose vpn ike log-filter" :
	    "diagnose vpn ike log filter");
}

static void
debug_clear(struct debug *d, enum debug_gid gid)
{
	char	 line[128];

	snprintf(line, sizeof line, "%s clear",
	    debug_filter_word(d->syntax));
	debug_one(d, gid, line, 1);
}

/* The undo: debug off, debug reset, the filter cleared. */
static void
debug_undo(struct debug *d, int last)
{
	enum debug_syntax	 s = d->syntax;

	debug_one(d, DEBUG_G_UNDO, "diagnose debug disable", 0);
	debug_one(d, DEBUG_G_UNDO, "diagnose debug reset", 0);
	if (d->sh == NULL)
		return;
	if (s == DEBUG_SYNTAX_UNSURE && last) {
		/* Never found out: clear in both, one of them is refused. */
		d->syntax = DEBUG_SYNTAX_OLD;
		debug_clear(d, DEBUG_G_UNDO);
		d->syntax = DEBUG_SYNTAX_NEW;
		if (d->sh != NULL)
			debug_clear(d, DEBUG_G_LAST);
		d->syntax = s;
		return;
	}
	if (last)
		debug_clear(d, DEBUG_G_LAST);
	else
		debug_clear(d, DEBUG_G_CLEAR);
}

static void
debug_set_filter(struct debug *d)
{
	struct shell_group	*sg;
	char			 line[128];

	if (d->npeers == 0 || d->sh == NULL)
		return;
	debug_group(d, DEBUG_G_FILTER, &sg, 1);
	snprintf(line, sizeof line, "%s clear", debug_filter_word(d->syntax));
	shell_group_add(sg, line, 0, 0);
	snprintf(line, sizeof line, "%s %s %s", debug_filter_word(d->syntax),
	    d->syntax == DEBUG_SYNTAX_OLD ? "dst-addr4" : "rem-addr4",
	    d->peers[d->npeers - 1]);
	shell_group_add(sg, line, 0, 0);
	debug_submit(d, sg, 1);
}

static void
debug_enable(struct debug *d)
{
	struct shell_group	*sg;
	char			 line[64];

	debug_group(d, DEBUG_G_ENABLE, &sg, 0);
	shell_group_add(sg, "diagnose debug console timestamp enable", 0, 0);
	snprintf(line, sizeof line, "diagnose debug duration %u",
	    d->opts.duration_min > 0 ? d->opts.duration_min : 1);
	shell_group_add(sg, line, 0, 0);
	shell_group_add(sg, "diagnose debug application ike -1", 0, 0);
	shell_group_add(sg, "diagnose debug enable", 0, 0);
	debug_submit(d, sg, 0);
}

static void
debug_end_cb(void *arg, int ok)
{
	struct debug_group	*g = arg;
	struct debug		*d = g->d;
	char			 why[320];

	if (g->failed && g->status == SHELL_FAILED)
		snprintf(why, sizeof why, "the device refused a debug "
		    "command: %s", g->output != NULL ? g->output : "");
	else
		snprintf(why, sizeof why, "a debug command did not complete");
	if (d->sh == NULL || !shell_is_ready(d->sh) || d->done) {
		/* The session went: debug_closed_cb decides what next. */
		free(g->output);
		free(g);
		return;
	}
	switch (g->gid) {
	case DEBUG_G_UNDO:
		break;
	case DEBUG_G_CLEAR:
		if (d->done || d->sh == NULL || d->stopping)
			break;
		if (!ok && g->failed && g->status == SHELL_FAILED &&
		    d->syntax == DEBUG_SYNTAX_UNSURE && !d->tried_new) {
			/* 7.4.0 or unknown: the box wants the old syntax. */
			d->tried_new = 1;
			d->syntax = DEBUG_SYNTAX_OLD;
			debug_clear(d, DEBUG_G_CLEAR);
			break;
		}
		if (!ok) {
			d->why = xstrdup(why);
			debug_stop(d);
			break;
		}
		if (d->syntax == DEBUG_SYNTAX_UNSURE)
			d->syntax = DEBUG_SYNTAX_NEW;
		debug_set_filter(d);
		if (d->sh != NULL)
			debug_enable(d);
		break;
	case DEBUG_G_FILTER:
		if (!ok && !d->stopping && !d->done) {
			d->why = xstrdup(why);
			debug_stop(d);
		}
		break;
	case DEBUG_G_ENABLE:
		if (!ok && !d->stopping && !d->done) {
			d->why = xstrdup(why);
			debug_stop(d);
			break;
		}
		if (ok && !d->done) {
			d->enabled = 1;
			d->drops = 0;
			debug_event(d, "opened", d->npeers > 0 ?
			    d->peers[d->npeers - 1] : NULL);
			if (d->cb.started != NULL)
				d->cb.started(d->arg, d->syntax);
		}
		break;
	case DEBUG_G_LAST:
		if (d->stopping)
			debug_finish(d, NULL);
		break;
	}
	free(g->output);
	free(g);
}

static void
debug_line_cb(void *arg, const char *l, size_t n)
{
	struct debug	*d = arg;
	struct ike_line	 il;
	struct mvdom	*v;
	struct mtun	*t = NULL;
	char		 name[64], addr[64];

	if (ike_debug_line(l, n, &il) != IKE_LT_EVENT)
		return;
	v = model_vdom(d->mdev, d->model_vdom);
	if (il.gateway.p != NULL && il.gateway.n < sizeof name) {
		memcpy(name, il.gateway.p, il.gateway.n);
		name[il.gateway.n] = '\0';
		t = model_tunnel(v, name);
	}
	if (t == NULL && il.peer.p != NULL && il.peer.n < sizeof addr) {
		memcpy(addr, il.peer.p, il.peer.n);
		addr[il.peer.n] = '\0';
		t = model_tunnel_by_peer(d->mdev, v->name, addr);
	}
	model_debug_line(d->mdev, t, xtime_now(), l, n, il.secret,
	    ike_topic_name(il.topic), il.rule);
	if (d->cb.line != NULL)
		d->cb.line(d->arg, &il, l, n, t);
}

static void
debug_ready_cb(struct shell *sh, void *arg)
{
	struct debug	*d = arg;

	shell_set_stream(sh, debug_line_cb, d);
	/*
	 * Whatever an earlier session (ours or a colleague's) left: undo,
	 * before anything else; when stopping, that is all there is to do.
	 */
	debug_undo(d, d->stopping);
}

static void
debug_retry_cb(uv_timer_t *h)
{
	struct debug	*d = h->data;

	if (!d->done)
		debug_connect(d);
}

static void
debug_closed_cb(struct shell *sh, void *arg)
{
	struct debug	*d = arg;
	char		 why[300];

	snprintf(why, sizeof why, "the debug session ended: %s",
	    shell_error(sh) != NULL ? shell_error(sh) : "closed");
	shell_close(sh);
	d->sh = NULL;
	d->enabled = 0;
	if (d->done || ++d->drops >= DEBUG_RECONNECTS) {
		debug_finish(d, why);
		return;
	}
	uv_timer_start(d->retry, debug_retry_cb, DEBUG_RETRY_MS, 0);
}

static void
debug_connect(struct debug *d)
{
	static const struct shell_cb	 cb = { debug_ready_cb,
	    debug_closed_cb };
	struct shell_opts		 so;

	memset(&so, 0, sizeof so);
	so.disclaimer_accept = d->opts.disclaimer_accept;
	so.cmd_timeout_ms = d->opts.cmd_timeout_ms;
	d->sessions++;
	d->sh = shell_new(d->loop, &d->co, &so, &cb, d);
}

struct debug *
debug_new(uv_loop_t *loop, struct model *m, struct mdev *md,
    const struct conn_opts *co, const struct debug_opts *o,
    enum debug_syntax syntax, const struct debug_cb *cb, void *arg)
{
	struct debug	*d;

	d = xcalloc(1, sizeof *d);
	d->loop = loop;
	d->model = m;
	d->mdev = md;
	d->co = *co;
	d->opts = *o;
	d->vdom = o->vdom != NULL ? xstrdup(o->vdom) : NULL;
	d->model_vdom = xstrdup(o->model_vdom != NULL ? o->model_vdom :
	    "root");
	d->syntax = syntax;
	d->cb = *cb;
	d->arg = arg;
	d->retry = xmalloc(sizeof *d->retry);
	uv_timer_init(loop, d->retry);
	d->retry->data = d;
	debug_connect(d);
	return (d);
}

int
debug_watch(struct debug *d, const char *peer)
{
	if (d->npeers == DEBUG_MAX_PEERS)
		return (-1);
	d->peers[d->npeers++] = xstrdup(peer);
	/* Before the start's clear the filter is set there; else now. */
	if (d->sh != NULL && d->enabled && !d->stopping)
		debug_set_filter(d);
	return (0);
}

void
debug_unwatch(struct debug *d, const char *peer)
{
	size_t	 i;
	int	 last;

	for (i = d->npeers; i-- > 0; )
		if (strcmp(d->peers[i], peer) == 0)
			break;
	if (i == (size_t)-1 || d->npeers == 0)
		return;
	last = i == d->npeers - 1;
	free(d->peers[i]);
	memmove(&d->peers[i], &d->peers[i + 1],
	    (d->npeers - i - 1) * sizeof d->peers[0]);
	d->npeers--;
	if (d->npeers == 0)
		debug_stop(d);
	else if (last && d->sh != NULL && d->enabled && !d->stopping)
		debug_set_filter(d);	/* back to the previous viewer's */
}

void
debug_stop(struct debug *d)
{
	if (d->stopping || d->done)
		return;
	d->stopping = 1;
	uv_timer_stop(d->retry);
	if (d->sh == NULL) {
		/* Between sessions: a new one only to undo. */
		debug_connect(d);
		return;
	}
	if (shell_is_ready(d->sh))
		debug_undo(d, 1);
	/* Else the ready callback runs the undo. */
}

static void
debug_timer_close_cb(uv_handle_t *h)
{
	free(h);
}

void
debug_free(struct debug *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	if (d->sh != NULL)
		shell_close(d->sh);
	uv_close((uv_handle_t *)d->retry, debug_timer_close_cb);
	for (i = 0; i < d->npeers; i++)
		free(d->peers[i]);
	free(d->vdom);
	free(d->model_vdom);
	free(d->why);
	free(d);
}

unsigned
debug_sessions(const struct debug *d)
{
	return (d->sessions);
}
