/* SPDX-License-Identifier: ISC */
/*
 * export - incident bundles of live devices.  See export.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allow.h"
#include "bundle.h"
#include "conn.h"
#include "device.h"
#include "export.h"
#include "model.h"
#include "shell.h"
#include "xmalloc.h"
#include "xtime.h"

/* A raw output kept past this is cut (a hub's full tunnel list). */
#define EXPORT_RAW_MAX	((size_t)16 << 20)

struct xjob {
	struct xjob	*next;
	struct exporter	*ex;
	struct bundle	*b;
	struct shell	*sh;
	char		*dir;
	char		*file;
	char		**vdoms;	/* edit's names, NULL-terminated */
	char		*tunnel;	/* as sent: quoted when it has spaces */
	int		 multi;
	size_t		 pending;	/* groups still running */
	int		 done;		/* ready to be written */
};

struct exporter {
	uv_loop_t	*loop;
	struct model	*model;
	const char	*version;
	evlog_each_fn	*each;
	void		*src;
	export_done_fn	*cb;
	void		*arg;
	struct xjob	*jobs;
	uv_timer_t	 kick;
	int		 closing;
};

/* What a group's callbacks need: the job and the VDOM it runs in. */
struct xgrp {
	struct xjob	*job;
	char		*vdom;		/* NULL: at the top */
};

static void
export_job_free(struct xjob *j)
{
	size_t	 i;

	if (j->sh != NULL)
		shell_close(j->sh);
	for (i = 0; j->vdoms != NULL && j->vdoms[i] != NULL; i++)
		free(j->vdoms[i]);
	free(j->vdoms);
	bundle_free(j->b);
	free(j->dir);
	free(j->file);
	free(j->tunnel);
	free(j);
}

/* Write what is finished, outside the callbacks that said so. */
static void
export_kick_cb(uv_timer_t *t)
{
	struct exporter	*ex = t->data;
	struct xjob	**jp, *j;
	char		*path, *err;

	for (jp = &ex->jobs; (j = *jp) != NULL;) {
		if (!j->done) {
			jp = &j->next;
			continue;
		}
		*jp = j->next;
		if (bundle_write(j->b, ex->model, xtime_now(), ex->version,
		    j->dir, j->file, &path, &err) == 0)
			ex->cb(ex->arg, path, NULL);
		else
			ex->cb(ex->arg, NULL, err);
		free(path);
		free(err);
		export_job_free(j);
	}
}

static void
export_finish(struct xjob *j)
{
	if (j->done)
		return;
	j->done = 1;
	if (!j->ex->closing)
		uv_timer_start(&j->ex->kick, export_kick_cb, 0, 0);
}

static const char *
export_problem(enum shell_status st)
{
	switch (st) {
	case SHELL_OK:
		return (NULL);
	case SHELL_FAILED:
		return ("the device refused the command");
	case SHELL_SKIPPED:
		return ("skipped: an earlier command of its group failed");
	case SHELL_TIMEOUT:
		return ("interrupted: it printed nothing for the command "
		    "timeout");
	case SHELL_TOOBIG:
		return ("its output was over what fgtop keeps, and dropped");
	case SHELL_CLOSED:
		return ("the session ended before it ran");
	}
	return ("unknown");
}

static void
export_result(void *arg, const struct shell_result *r)
{
	struct xgrp	*g = arg;
	static const char cut[] = "\n(output cut: fgtop keeps 16 MB)\n";
	size_t		 n = r->len;
	char		*text;

	/* config vdom / edit / end print nothing worth keeping. */
	if (strcmp(r->command, "config vdom") == 0 ||
	    strncmp(r->command, "edit ", 5) == 0 ||
	    strcmp(r->command, "end") == 0)
		return;
	if (n > EXPORT_RAW_MAX) {
		text = xmalloc(EXPORT_RAW_MAX + sizeof cut);
		memcpy(text, r->output, EXPORT_RAW_MAX);
		memcpy(text + EXPORT_RAW_MAX, cut, sizeof cut);
		bundle_raw(g->job->b, r->command, g->vdom, xtime_now(), text,
		    EXPORT_RAW_MAX + sizeof cut - 1, NULL);
		free(text);
		return;
	}
	bundle_raw(g->job->b, r->command, g->vdom, xtime_now(),
	    r->status == SHELL_OK ? r->output : NULL, n,
	    export_problem(r->status));
}

static void
export_group_end(void *arg, int ok)
{
	struct xgrp	*g = arg;
	struct xjob	*j = g->job;

	free(g->vdom);
	free(g);
	if (--j->pending == 0)
		export_finish(j);
}

static void
export_submit(struct xjob *j, const char *vdom, const char *const *cmds)
{
	struct shell_group	*sg;
	struct xgrp		*g;
	const char		*why;
	char			*line;
	size_t			 i;

	g = xcalloc(1, sizeof *g);
	g->job = j;
	g->vdom = vdom != NULL ? xstrdup(vdom) : NULL;
	sg = shell_group_new(export_result, export_group_end, g);
	if (vdom != NULL && j->multi) {
		shell_group_add(sg, "config vdom", 0, 0);
		xasprintf(&line, "edit %s", vdom);
		shell_group_add(sg, line, 0, 0);
		free(line);
	}
	for (i = 0; cmds[i] != NULL; i++)
		shell_group_add(sg, cmds[i], 0, 0);
	if (vdom != NULL && j->multi)
		shell_group_add(sg, "end", 0, SHELL_ALWAYS);
	j->pending++;
	if (shell_submit(j->sh, sg, &why) != 0) {
		/* The group is freed, its callbacks never come. */
		for (i = 0; cmds[i] != NULL; i++)
			bundle_raw(j->b, cmds[i], vdom, xtime_now(), NULL, 0,
			    why);
		free(g->vdom);
		free(g);
		j->pending--;
	}
}

static void
export_ready(struct shell *sh, void *arg)
{
	static const char *const top[] = { "get system status", NULL };
	static const char *const full[] = { "get vpn ipsec tunnel summary",
	    "diagnose vpn ike gateway list", "diagnose vpn tunnel list",
	    NULL };
	struct xjob	*j = arg;
	char		*gw = NULL, *tl = NULL;
	const char	*one[4];
	size_t		 i;

	if (j->multi)
		shell_set_vdoms(sh, j->vdoms);
	export_submit(j, NULL, top);
	if (j->tunnel != NULL) {
		xasprintf(&gw, "diagnose vpn ike gateway list name %s",
		    j->tunnel);
		xasprintf(&tl, "diagnose vpn tunnel list name %s", j->tunnel);
		one[0] = full[0];
		one[1] = gw;
		one[2] = tl;
		one[3] = NULL;
		export_submit(j, j->vdoms[0], one);
	} else
		for (i = 0; j->vdoms[i] != NULL; i++)
			export_submit(j, j->vdoms[i], full);
	free(gw);
	free(tl);
	if (j->pending == 0)
		export_finish(j);
}

static void
export_closed(struct shell *sh, void *arg)
{
	struct xjob	*j = arg;

	if (j->done)
		return;
	/* Login refused, host key, the device went away mid-way. */
	bundle_no_raw(j->b, shell_error(sh) != NULL ? shell_error(sh) :
	    "the session ended");
	export_finish(j);
}

struct exporter *
export_new(uv_loop_t *loop, struct model *m, const char *version,
    evlog_each_fn *each, void *src, export_done_fn *cb, void *arg)
{
	struct exporter	*ex = xcalloc(1, sizeof *ex);

	ex->loop = loop;
	ex->model = m;
	ex->version = version;
	ex->each = each;
	ex->src = src;
	ex->cb = cb;
	ex->arg = arg;
	uv_timer_init(loop, &ex->kick);
	ex->kick.data = ex;
	return (ex);
}

/* The VDOMs the session may enter: the tunnel's, or all the polled. */
static void
export_vdoms(struct xjob *j, const struct mdev *m, const char *vdom)
{
	size_t	 i, n = 0;

	j->vdoms = xcalloc(m->nvdoms + 2, sizeof *j->vdoms);
	if (vdom != NULL)
		j->vdoms[n++] = xstrdup(vdom);
	else
		for (i = 0; i < m->nvdoms; i++)
			j->vdoms[n++] = xstrdup(m->vdoms[i]->name);
}

int
export_start(struct exporter *ex, struct device *dev,
    const struct export_req *rq, char **err)
{
	static const struct shell_cb	 cb = { export_ready, export_closed };
	const struct mdev		*m = device_mdev(dev);
	struct conn_opts		 co;
	struct shell_opts		 so;
	struct xjob			*j;
	char				 q[ALLOW_MAXNAME + 3];

	*err = NULL;
	if (ex->closing) {
		*err = xstrdup("fgtop is stopping");
		return (-1);
	}
	if (rq->tunnel != NULL && allow_quote_name(rq->tunnel, q,
	    sizeof q) != 0) {
		xasprintf(err, "the tunnel name %s cannot be sent to the "
		    "device", rq->tunnel);
		return (-1);
	}
	j = xcalloc(1, sizeof *j);
	j->ex = ex;
	j->b = bundle_new(rq->device, rq->vdom, rq->tunnel);
	bundle_timeline(j->b, ex->each, ex->src);
	j->dir = rq->dir != NULL ? xstrdup(rq->dir) : NULL;
	j->file = rq->file != NULL ? xstrdup(rq->file) : NULL;
	j->tunnel = rq->tunnel != NULL ? xstrdup(q) : NULL;
	j->multi = device_multi_vdom(dev);
	export_vdoms(j, m, rq->tunnel != NULL ? (rq->vdom != NULL ?
	    rq->vdom : "root") : NULL);
	j->next = ex->jobs;
	ex->jobs = j;
	if (m->state != MDEV_UP) {
		char	*why;

		xasprintf(&why, "the device is %s%s%s", mdev_state_name(
		    m->state), m->error != NULL ? ": " : "", m->error != NULL ?
		    m->error : "");
		bundle_no_raw(j->b, why);
		free(why);
		export_finish(j);
		return (0);
	}
	device_session_opts(dev, &co, &so);
	j->sh = shell_new(ex->loop, &co, &so, &cb, j);
	return (0);
}

void
export_shutdown(struct exporter *ex)
{
	struct xjob	*j;

	ex->closing = 1;
	while ((j = ex->jobs) != NULL) {
		ex->jobs = j->next;
		export_job_free(j);
	}
	if (!uv_is_closing((uv_handle_t *)&ex->kick))
		uv_close((uv_handle_t *)&ex->kick, NULL);
}

void
export_free(struct exporter *ex)
{
	free(ex);
}
