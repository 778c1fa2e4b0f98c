/* SPDX-License-Identifier: ISC */
/*
 * view_help - every action, its keys and what it does, generated from
 * the keymap (keys.c) the code itself uses, plus the : commands.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui_int.h"
#include "xmalloc.h"

struct vhelp {
	size_t	 top;
	size_t	 lines;		/* at the last draw */
};

static const char *help_commands[] = {
	":device NAME    only this device's tunnels (:device alone: all)",
	":vdom NAME      only this VDOM's tunnels",
	":sort COLUMN    severity device vdom tunnel remote phase1 "
	    "selectors rx tx traffic errors since finding",
	":debug off      stop every IKE debug session",
	":devices  :events  :tunnels  :help",
	":screendump FILE  write the screen as text",
	":quit",
	NULL
};

static void
help_draw(struct ui *ui, void *st, int y, int x, int h, int w)
{
	struct vhelp	*v = st;
	const struct ui_act_info *ai;
	char		 keys[128], buf[512];
	size_t		 line = 0;
	int		 row = 0, a;

#define HELP_LINE(attr, text) do {					\
	if (line++ >= v->top && row < h)				\
		ui_put(y + row++, x, w, (attr), (text));		\
} while (0)
	HELP_LINE(ui->attr[UR_TITLE], "fgtop keys (Esc or q: back)");
	for (a = 1; a < UA_COUNT; a++) {
		ai = keys_info((enum ui_act)a);
		keys_names((enum ui_act)a, keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		snprintf(buf, sizeof buf, "  %-20s %-14s %s  (%s)", keys,
		    ai->name, ai->help, ai->where);
		HELP_LINE(A_NORMAL, buf);
	}
	HELP_LINE(A_NORMAL, "");
	HELP_LINE(ui->attr[UR_TITLE], "Commands (:)");
	for (a = 0; help_commands[a] != NULL; a++) {
		snprintf(buf, sizeof buf, "  %s", help_commands[a]);
		HELP_LINE(A_NORMAL, buf);
	}
	HELP_LINE(A_NORMAL, "");
	HELP_LINE(ui->attr[UR_TITLE], "Phase 2 sa= values");
	for (a = 0; a <= 2; a++) {
		snprintf(buf, sizeof buf, "  sa=%d  %s", a, ui_sa_meaning(a));
		HELP_LINE(A_NORMAL, buf);
	}
#undef HELP_LINE
	v->lines = line;
	if (v->top + (size_t)h > line)
		v->top = line > (size_t)h ? line - (size_t)h : 0;
}

static int
help_key(struct ui *ui, void *st, enum ui_act a, int h)
{
	struct vhelp	*v = st;

	/* The last page's top at most, the lines counted at the last draw. */
	if (ui_scroll(&v->top, a, (size_t)h, v->lines > (size_t)h ?
	    v->lines - (size_t)h : 0))
		return (1);
	switch (a) {
	case UA_QUIT:
	case UA_HELP:
		ui_pop(ui);
		return (1);
	default:
		return (0);
	}
}

void *
view_help_new(struct ui *ui)
{
	return (xcalloc(1, sizeof(struct vhelp)));
}

const struct ui_view view_help = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
	.filter = NULL,
	.click = NULL,
	.free = free,
};
