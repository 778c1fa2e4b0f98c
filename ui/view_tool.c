/* SPDX-License-Identifier: ISC */
/*
 * view_tool - the panes of the live tools: IKE debug, sniffer,
 * traceroute, route lookup.
 *
 * A tool pane is a bounded ring of the lines the tool streamed (through
 * ui_tool_line) and, once it ended, its one-line reading (ui_tool_end).
 * Panes outlive their view: the operator may go back to the table while
 * a tool runs, and the detail view shows each tunnel's last readings.
 * The view follows the stream (f pauses), filters it with '/', and
 * saves it with w.  Leaving the IKE debug view while debug runs asks
 * whether to turn it off; quitting always does (view_tool_stop_all).
 *
 * The tools themselves belong to the engine (struct ui_actions.tool);
 * where it has none, the pane says so instead of failing.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model.h"
#include "ui_int.h"
#include "xmalloc.h"

#define TOOL_LINES	5000

struct ui_tool_pane {
	struct ui_tool_pane	*next;
	unsigned		 id;
	enum ui_tool		 tool;
	char			*dev;
	char			*vdom;
	char			*tun;
	char			*lines[TOOL_LINES];
	unsigned char		 cls[TOOL_LINES];
	size_t			 head;		/* oldest */
	size_t			 n;
	char			*reading;
	int			 running;
	double			 started;
};

struct vtool {
	struct ui_tool_pane	*p;
	int			 follow;
	size_t			 top;		/* first shown, when paused */
	char			*filter;
};

static const char *tool_names[UI_TOOL_COUNT] = {
	"IKE debug", "sniffer", "traceroute", "route lookup"
};
/* The same tools as fgtop subcommands (src/cmdtool). */
static const char *tool_cmds[UI_TOOL_COUNT] = {
	"debug", "sniff", "trace", "route"
};

static void
pane_add(struct ui_tool_pane *p, const char *line, enum ui_line_class cls)
{
	if (p->n == TOOL_LINES) {
		free(p->lines[p->head]);
		p->lines[p->head] = NULL;
		p->head = (p->head + 1) % TOOL_LINES;
		p->n--;
	}
	p->cls[(p->head + p->n) % TOOL_LINES] = (unsigned char)cls;
	p->lines[(p->head + p->n++) % TOOL_LINES] = xstrdup(line);
}

static const char *
pane_line(const struct ui_tool_pane *p, size_t i)
{
	return (p->lines[(p->head + i) % TOOL_LINES]);
}

static struct ui_tool_pane *
pane_find(struct ui *ui, unsigned id)
{
	struct ui_tool_pane	*p;

	for (p = ui->tools; p != NULL; p = p->next)
		if (p->running && p->id == id)
			return (p);
	return (NULL);
}

static void
pane_stop(struct ui *ui, struct ui_tool_pane *p, int keep)
{
	if (!p->running)
		return;
	p->running = 0;
	if (p->reading == NULL)
		p->reading = xstrdup(keep ? "left running on the device" :
		    "stopped");
	if (ui->act.tool_stop != NULL)
		ui->act.tool_stop(ui->act.arg, p->id, keep);
	if (p->tool == UI_TOOL_DEBUG && !keep)
		ui_debug_badge(ui, NULL, NULL, 0);
}

void
view_tool_open(struct ui *ui, enum ui_tool tool, const char *dev,
    const char *vdom, const char *tun, const char *param)
{
	struct ui_tool_pane	*p;
	struct vtool		*v;
	const struct mtun	*t;
	char			*err = NULL;

	if (ui->act.readonly != NULL) {
		ui_unavailable(ui, tool_names[tool]);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->tool = tool;
	p->dev = xstrdup(dev);
	p->vdom = xstrdup(vdom);
	p->tun = xstrdup(tun);
	p->started = ui_now();
	p->next = ui->tools;
	ui->tools = p;
	if (ui->act.tool == NULL) {
		/* Until the engine runs them here, say how to run it. */
		t = ui_tunnel(ui, dev, vdom, tun);
		if (tool == UI_TOOL_ROUTE)
			xasprintf(&p->reading, "%s is not in the dashboard yet; "
			    "from a shell: fgtop route %s %s", tool_names[tool],
			    dev, t != NULL && t->remote_addr != NULL ?
			    t->remote_addr : tun);
		else
			xasprintf(&p->reading, "%s is not in the dashboard yet; "
			    "from a shell: fgtop %s %s --peer %s",
			    tool_names[tool], tool_cmds[tool], dev, tun);
	} else if (ui->act.tool(ui->act.arg, tool, dev, vdom, tun, param,
	    &p->id, &err) != 0) {
		xasprintf(&p->reading, "%s: %s", tool_names[tool],
		    err != NULL ? err : "cannot start");
		free(err);
	} else
		p->running = 1;
	v = xcalloc(1, sizeof *v);
	v->p = p;
	v->follow = 1;
	ui_push(ui, &view_tool, v);
}

void
view_tool_line(struct ui *ui, unsigned id, const char *line,
    enum ui_line_class cls)
{
	struct ui_tool_pane	*p;

	if ((p = pane_find(ui, id)) == NULL)
		return;
	pane_add(p, line, cls);
	ui_dirty(ui);
}

void
view_tool_end(struct ui *ui, unsigned id, const char *reading)
{
	struct ui_tool_pane	*p;

	if ((p = pane_find(ui, id)) == NULL)
		return;
	p->running = 0;
	free(p->reading);
	p->reading = xstrdup(reading != NULL ? reading : "ended");
	if (p->tool == UI_TOOL_DEBUG)
		ui_debug_badge(ui, NULL, NULL, 0);
	ui_dirty(ui);
}

void
view_tool_stop_all(struct ui *ui)
{
	struct ui_tool_pane	*p;

	for (p = ui->tools; p != NULL; p = p->next)
		pane_stop(ui, p, 0);
}

void
view_tool_free_all(struct ui *ui)
{
	struct ui_tool_pane	*p;
	size_t			 i;

	while ((p = ui->tools) != NULL) {
		ui->tools = p->next;
		for (i = 0; i < TOOL_LINES; i++)
			free(p->lines[i]);
		free(p->reading);
		free(p->dev);
		free(p->vdom);
		free(p->tun);
		free(p);
	}
}

size_t
view_tool_results(struct ui *ui, const char *dev, const char *vdom,
    const char *tun, const char **out, size_t max)
{
	static char		 buf[64][256];
	struct ui_tool_pane	*p;
	size_t			 n = 0;

	for (p = ui->tools; p != NULL && n < max && n < 64; p = p->next) {
		if (strcmp(p->dev, dev) != 0 || strcmp(p->vdom, vdom) != 0 ||
		    strcmp(p->tun, tun) != 0)
			continue;
		snprintf(buf[n], sizeof buf[n], "%-13s %s",
		    tool_names[p->tool], p->running ? "running" :
		    p->reading != NULL ? p->reading : "-");
		out[n] = buf[n];
		n++;
	}
	return (n);
}

static int
vtool_match(const struct vtool *v, const char *s)
{
	return (v->filter == NULL || strcasestr(s, v->filter) != NULL);
}

static void
vtool_draw(struct ui *ui, void *st, int y, int x, int h, int w)
{
	struct vtool		*v = st;
	struct ui_tool_pane	*p = v->p;
	char			 buf[512];
	size_t			 i, shown, first, *idx;
	int			 row, body = h - 3;

	snprintf(buf, sizeof buf, "%s  %s  device %s  VDOM %s  tunnel %s%s%s",
	    tool_names[p->tool], p->running ? "running" : "ended", p->dev,
	    p->vdom, p->tun, v->follow ? "" : "  (paused: f follows)",
	    v->filter != NULL ? "  filtered" : "");
	ui_put(y, x, w, ui->attr[UR_HEADER], buf);
	/* The lines the filter keeps, newest at the bottom. */
	idx = xreallocarray(NULL, p->n + 1, sizeof *idx);
	for (i = 0, shown = 0; i < p->n; i++)
		if (vtool_match(v, pane_line(p, i)))
			idx[shown++] = i;
	if (body < 1)
		body = 1;
	if (v->follow || v->top + (size_t)body > shown)
		v->top = shown > (size_t)body ? shown - (size_t)body : 0;
	first = v->top;
	for (row = 0; row < body && first + (size_t)row < shown; row++) {
		i = (p->head + idx[first + (size_t)row]) % TOOL_LINES;
		ui_put(y + 1 + row, x, w, p->cls[i] == UI_LINE_FAIL ?
		    ui->attr[UR_DOWN] : p->cls[i] == UI_LINE_WARN ?
		    ui->attr[UR_DEGRADED] : p->cls[i] == UI_LINE_NOTE ?
		    ui->attr[UR_UP] : A_NORMAL, p->lines[i]);
	}
	if (p->n == 0)
		ui_put(y + 1, x, w, ui->attr[UR_DIM], p->running ?
		    "waiting for output..." : "no output");
	free(idx);
	ui_put(y + h - 2, x, w, ui->attr[UR_DIM], "");
	snprintf(buf, sizeof buf, "reading: %s", p->reading != NULL ?
	    p->reading : "(running)");
	ui_put(y + h - 1, x, w, p->reading != NULL ? ui->attr[UR_TITLE] :
	    ui->attr[UR_DIM], buf);
}

static void
vtool_keep(struct ui *ui)
{
	ui_pop(ui);
}

static void
vtool_off(struct ui *ui)
{
	struct vtool	*v = ui->stack[ui->depth - 1].st;

	pane_stop(ui, v->p, 0);
	ui_pop(ui);
}

/* A line as text, escapes and controls made '?' (someone will cat it). */
static void
vtool_write(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	fputc('\n', f);
}

/* Write the pane's lines to ./fgtop-TOOL-YYYYmmdd-HHMMSS.txt. */
static void
vtool_save(struct ui *ui, struct vtool *v)
{
	struct ui_tool_pane	*p = v->p;
	char			 path[128], stamp[32];
	time_t			 now = time(NULL);
	struct tm		 tm;
	FILE			*f;
	size_t			 i;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof path, "fgtop-%s-%s.txt", p->tool ==
	    UI_TOOL_DEBUG ? "debug" : p->tool == UI_TOOL_SNIFFER ? "sniffer" :
	    p->tool == UI_TOOL_TRACEROUTE ? "traceroute" : "route", stamp);
	if ((f = fopen(path, "w")) == NULL) {
		ui_message(ui, 1, "%s: %s", path, strerror(errno));
		return;
	}
	for (i = 0; i < p->n; i++)
		vtool_write(f, pane_line(p, i));
	if (p->reading != NULL)
		fprintf(f, "# reading: %s\n", p->reading);
	if (fclose(f) != 0)
		ui_message(ui, 1, "%s: %s", path, strerror(errno));
	else
		ui_message(ui, 0, "saved %zu lines to %s", p->n, path);
}

static int
vtool_key(struct ui *ui, void *st, enum ui_act a, int h)
{
	struct vtool	*v = st;
	char		 q[256];

	switch (a) {
	case UA_UP:
	case UA_PGUP:
		v->follow = 0;
		v->top -= v->top >= (a == UA_UP ? 1 : (size_t)h) ? (a == UA_UP ?
		    1 : (size_t)h) : v->top;
		return (1);
	case UA_DOWN:
	case UA_PGDN:
		v->top += a == UA_DOWN ? 1 : (size_t)h;
		return (1);
	case UA_TOP:
		v->follow = 0;
		v->top = 0;
		return (1);
	case UA_BOTTOM:
	case UA_FOLLOW:
		v->follow = a == UA_BOTTOM ? 1 : !v->follow;
		return (1);
	case UA_SAVE:
		vtool_save(ui, v);
		return (1);
	case UA_NEXT:
	case UA_PREV:
		ui_message(ui, 0, "n/N: use / to keep matching lines");
		return (1);
	case UA_BACK:
		if (v->p->tool == UI_TOOL_DEBUG && v->p->running) {
			snprintf(q, sizeof q, "Turn IKE debug off on %s?",
			    v->p->dev);
			ui_ask(ui, q, vtool_off, vtool_keep);
			return (1);
		}
		return (0);
	default:
		return (0);
	}
}

static int
vtool_filter(struct ui *ui, void *st, const char *text, char **err)
{
	struct vtool	*v = st;

	free(v->filter);
	v->filter = text != NULL ? xstrdup(text) : NULL;
	return (0);
}

static void
vtool_free(void *st)
{
	struct vtool	*v = st;

	free(v->filter);
	free(v);
}

const struct ui_view view_tool = {
	.name = "tool",
	.draw = vtool_draw,
	.key = vtool_key,
	.filter = vtool_filter,
	.click = NULL,
	.free = vtool_free,
};
