/* SPDX-License-Identifier: ISC */
/*
 * view_events - the timeline of every device, newest first: device
 * states, tunnel states, phase-1 and SA changes, rekeys, findings and
 * tools, as the model reported them.  '/' keeps the lines that contain
 * the text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui_int.h"
#include "xmalloc.h"

struct vev {
	size_t	 top;
	char	*filter;
};

static void
vev_format(const struct mevent *e, char *buf, size_t len)
{
	char		 when[16];
	time_t		 tt = (time_t)e->time;
	struct tm	 tm;

	localtime_r(&tt, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	snprintf(buf, len, "%s  %-14s %-16s %-8s %-24s %s%s%s%s%s%s%s", when,
	    e->type != NULL ? e->type : "", e->device != NULL ? e->device : "",
	    e->vdom != NULL ? e->vdom : "", e->tunnel != NULL ? e->tunnel : "",
	    e->item != NULL ? e->item : "", e->item != NULL ? " " : "",
	    e->from != NULL ? e->from : "", e->from != NULL || e->to != NULL ?
	    " -> " : "", e->to != NULL ? e->to : "", e->detail != NULL ?
	    "  " : "", e->detail != NULL ? e->detail : "");
}

static void
vev_draw(struct ui *ui, void *st, int y, int x, int h, int w)
{
	struct vev	*v = st;
	char		 buf[1024];
	size_t		 i, skip = v->top;
	int		 row = 1;

	snprintf(buf, sizeof buf, "%-8s  %-14s %-16s %-8s %-24s %s", "TIME",
	    "EVENT", "DEVICE", "VDOM", "TUNNEL", "WHAT");
	ui_put(y, x, w, ui->attr[UR_HEADER], buf);
	for (i = ui->nev; i-- > 0 && row < h;) {
		vev_format(&ui->ev[(ui->ev_head + i) % UI_EVENTS], buf,
		    sizeof buf);
		if (v->filter != NULL && strcasestr(buf, v->filter) == NULL)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		ui_put(y + row++, x, w, A_NORMAL, buf);
	}
	if (ui->nev == 0)
		ui_put(y + 1, x, w, ui->attr[UR_DIM], "no event yet");
}

static int
vev_key(struct ui *ui, void *st, enum ui_act a, int h)
{
	struct vev	*v = st;

	/* Any event may be the top line: the newest first, then older. */
	return (ui_scroll(&v->top, a, (size_t)h, ui->nev > 0 ? ui->nev - 1 :
	    0));
}

static int
vev_filter(struct ui *ui, void *st, const char *text, char **err)
{
	struct vev	*v = st;

	free(v->filter);
	v->filter = text != NULL ? xstrdup(text) : NULL;
	v->top = 0;
	return (0);
}

static void
vev_free(void *st)
{
	struct vev	*v = st;

	free(v->filter);
	free(v);
}

void *
view_events_new(struct ui *ui)
{
	return (xcalloc(1, sizeof(struct vev)));
}

const struct ui_view view_events = {
	.name = "events",
	.draw = vev_draw,
	.key = vev_key,
	.filter = vev_filter,
	.click = NULL,
	.free = vev_free,
};
