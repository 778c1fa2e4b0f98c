/* SPDX-License-Identifier: ISC */
/*
 * tool - a bounded, streaming tool run with an unconditional cleanup.
 * See tool.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"
#include "tool.h"
#include "sniffer.h"
#include "traceroute.h"
#include "routing_table.h"
#include "reading.h"
#include "xmalloc.h"

#define TOOL_RUN_ID	1

struct tool {
	uv_loop_t	*loop;
	struct shell	*sh;
	struct tool_cb	 cb;
	void		*arg;
	uv_timer_t	*timer;		/* freed by its close callback */
	enum tool_status status;
	char		*why;
	int		 groups;	/* groups not yet ended */
	int		 stopped;
	int		 done;
	int		 freed;		/* tool_free came first: free at done */
	size_t		 run_index;	/* steps of the run group before it */
	size_t		 nres;		/* results seen so far */
	int		 run_started;
};

static const char *const tool_status_names[] = {
	"ok", "stopped", "failed", "lost",
};

const char *
tool_status_name(enum tool_status s)
{
	return (tool_status_names[s]);
}

static void
tool_timer_close_cb(uv_handle_t *h)
{
	free(h);
}

static void
tool_timer_cb(uv_timer_t *h)
{
	struct tool	*t = h->data;

	if (t->stopped)
		shell_interrupt(t->sh);	/* a stop that came before the run */
	else
		tool_stop(t);
}

static void
tool_set(struct tool *t, enum tool_status s, const char *why)
{
	if (t->status != TOOL_OK && t->status != TOOL_STOPPED)
		return;		/* the first failure is the one to tell */
	t->status = s;
	free(t->why);
	t->why = why != NULL ? xstrdup(why) : NULL;
}

static void
tool_line_cb(void *arg, const char *l, size_t n)
{
	struct tool	*t = arg;

	if (!t->done && !t->freed && t->cb.line != NULL)
		t->cb.line(t->arg, l, n);
}

static void
tool_step_cb(void *arg, const struct shell_result *r)
{
	struct tool	*t = arg;

	switch (r->status) {
	case SHELL_OK:
	case SHELL_SKIPPED:
		break;
	case SHELL_TIMEOUT:
		if (r->id == TOOL_RUN_ID && t->stopped) {
			tool_set(t, TOOL_STOPPED, NULL);
			break;
		}
		tool_set(t, TOOL_FAILED, "a command did not end in time");
		break;
	case SHELL_CLOSED:
		tool_set(t, TOOL_LOST, "the session ended");
		break;
	default:
		tool_set(t, TOOL_FAILED, r->len > 0 ? r->output :
		    "the device refused a command");
		break;
	}
	if (r->id == TOOL_RUN_ID && t->timer != NULL)
		uv_timer_stop(t->timer);
	if (t->nres++ + 1 == t->run_index && r->status == SHELL_OK) {
		/* The run is sent as this returns. */
		t->run_started = 1;
		if (t->stopped && t->timer != NULL)
			uv_timer_start(t->timer, tool_timer_cb, 0, 0);
	}
}

static void
tool_end_cb(void *arg, int ok)
{
	struct tool	*t = arg;

	if (!ok && t->status == TOOL_OK)
		tool_set(t, shell_is_ready(t->sh) ? TOOL_FAILED : TOOL_LOST,
		    shell_is_ready(t->sh) ? "the device refused a command" :
		    "the session ended");
	if (--t->groups > 0 || t->done)
		return;
	t->done = 1;
	shell_set_stream(t->sh, NULL, NULL);
	if (t->freed) {
		free(t->why);
		free(t);
		return;
	}
	if (t->cb.done != NULL)
		t->cb.done(t->arg, t->status, t->why);
}

static struct shell_group *
tool_group(struct tool *t, const char *vdom, const char *const *cmds,
    const char *run)
{
	struct shell_group	*g;
	size_t			 i;
	char			 line[64];

	g = shell_group_new(tool_step_cb, tool_end_cb, t);
	if (vdom != NULL) {
		shell_group_add(g, "config vdom", 0, 0);
		snprintf(line, sizeof line, "edit %s", vdom);
		shell_group_add(g, line, 0, 0);
	}
	for (i = 0; cmds[i] != NULL; i++)
		shell_group_add(g, cmds[i], 0, run == NULL ? SHELL_ALWAYS : 0);
	if (run != NULL)
		shell_group_add(g, run, TOOL_RUN_ID, SHELL_STREAM);
	if (vdom != NULL)
		shell_group_add(g, "end", 0, SHELL_ALWAYS);
	return (g);
}

struct tool *
tool_start(uv_loop_t *loop, struct shell *sh, const struct tool_spec *spec,
    const struct tool_cb *cb, void *arg, const char **why)
{
	struct tool		*t;
	size_t			 i;

	t = xcalloc(1, sizeof *t);
	t->loop = loop;
	t->sh = sh;
	t->cb = *cb;
	t->arg = arg;
	t->groups = 1;
	for (i = 0; i < 3 && spec->setup[i] != NULL; i++)
		continue;
	t->run_index = (spec->vdom != NULL ? 2 : 0) + i;
	t->run_started = t->run_index == 0 && shell_pending(sh) == 0 &&
	    shell_is_ready(sh);
	shell_set_stream(sh, tool_line_cb, t);
	if (shell_submit(sh, tool_group(t, spec->vdom, spec->setup,
	    spec->run), why) != 0) {
		shell_set_stream(sh, NULL, NULL);
		free(t);
		return (NULL);
	}
	if (spec->cleanup[0] != NULL) {
		t->groups++;
		if (shell_submit(sh, tool_group(t, spec->vdom, spec->cleanup,
		    NULL), why) != 0) {
			/* Nothing to undo then: stop before the run starts. */
			t->groups--;
			tool_set(t, TOOL_FAILED, *why);
			tool_stop(t);
		}
	}
	t->timer = xmalloc(sizeof *t->timer);
	uv_timer_init(loop, t->timer);
	t->timer->data = t;
	if (spec->run_ms > 0 && !t->done)
		uv_timer_start(t->timer, tool_timer_cb, spec->run_ms, 0);
	return (t);
}

void
tool_stop(struct tool *t)
{
	if (t->done || t->stopped)
		return;
	t->stopped = 1;
	if (t->timer != NULL)
		uv_timer_stop(t->timer);
	if (t->run_started)
		shell_interrupt(t->sh);
	/* Else the step before the run starts the timer at 0 ms. */
}

void
tool_free(struct tool *t)
{
	if (t == NULL)
		return;
	if (t->timer != NULL)
		uv_close((uv_handle_t *)t->timer, tool_timer_close_cb);
	t->timer = NULL;
	if (!t->done) {
		/* The shell still holds our groups: their end frees us. */
		t->freed = 1;
		t->cb.line = NULL;
		t->cb.done = NULL;
		return;
	}
	free(t->why);
	free(t);
}

void
tool_spec_for(const struct tool_req *r, struct tool_spec *spec, char *run,
    char *setup)
{
	const char	*ports;

	memset(spec, 0, sizeof *spec);
	spec->run = run;
	switch (r->which) {
	case TOOL_ROUTE:
		spec->name = "route";
		spec->vdom = r->vdom;
		snprintf(run, TOOL_CMD_MAX,
		    "get router info routing-table details %s", r->peer);
		break;
	case TOOL_TRACE:
		spec->name = "trace";
		spec->vdom = r->vdom;
		if (r->source != NULL && *r->source != '\0') {
			snprintf(setup, TOOL_CMD_MAX,
			    "execute traceroute-options source %s", r->source);
			spec->setup[0] = setup;
			spec->cleanup[0] =
			    "execute traceroute-options source auto";
		}
		snprintf(run, TOOL_CMD_MAX, "execute traceroute %s", r->peer);
		spec->run_ms = r->run_ms != 0 ? r->run_ms : 60000;
		break;
	case TOOL_SNIFF:
		spec->name = "sniff";
		/* Sniffer commands are global on a multi-VDOM box. */
		if (r->port == NULL || strcmp(r->port, "both") == 0)
			ports = "(udp port 500 or udp port 4500)";
		else if (strcmp(r->port, "500") == 0)
			ports = "udp port 500";
		else
			ports = "udp port 4500";
		if (r->filter != NULL)
			snprintf(run, TOOL_CMD_MAX, "diagnose sniffer packet "
			    "any '%s' 4 %u l", r->filter,
			    r->count != 0 ? r->count : 20);
		else
			snprintf(run, TOOL_CMD_MAX, "diagnose sniffer packet "
			    "any 'host %s and %s' 4 %u l", r->peer, ports,
			    r->count != 0 ? r->count : 20);
		spec->run_ms = r->run_ms != 0 ? r->run_ms : 30000;
		break;
	}
}

const char *
tool_reading(enum tool_which k, const char *text, size_t len,
    const char *peer, const char *iface, char *buf, size_t n)
{
	struct routing_table	*rt;
	struct traceroute	*tr;
	struct sniffer		*sn;

	switch (k) {
	case TOOL_ROUTE:
		rt = routing_table_parse(text, len);
		reading_route(buf, n, rt, peer, iface);
		routing_table_free(rt);
		break;
	case TOOL_TRACE:
		tr = traceroute_parse(text, len);
		reading_trace(buf, n, tr);
		traceroute_free(tr);
		break;
	case TOOL_SNIFF:
		sn = sniffer_parse(text, len);
		reading_sniff(buf, n, sn, peer);
		sniffer_free(sn);
		break;
	}
	return (buf);
}
