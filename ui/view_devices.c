/* SPDX-License-Identifier: ISC */
/*
 * view_devices - one row a device: state, version, model, HA, VDOMs,
 * tunnels, poll latency and the last error.  Enter shows the device's
 * tunnels; R asks the engine to reconnect it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ui_int.h"
#include "xmalloc.h"

struct vdev {
	size_t	 sel;
	size_t	 top;
};

static void
vdev_draw(struct ui *ui, void *st, int y, int x, int h, int w)
{
	struct vdev		*v = st;
	const struct mdev	*d;
	size_t			 i, k, ntun;
	char			 buf[512], ms[32];
	int			 row;
	chtype			 a;

	if (ui->model->ndevs == 0)
		v->sel = 0;
	else if (v->sel >= ui->model->ndevs)
		v->sel = ui->model->ndevs - 1;
	if (h > 1 && v->sel >= v->top + (size_t)(h - 1))
		v->top = v->sel - (size_t)(h - 2);
	if (v->sel < v->top)
		v->top = v->sel;
	snprintf(buf, sizeof buf, "  %-16s %-16s %-18s %-9s %-16s %-12s %5s "
	    "%7s %7s  %s", "DEVICE", "STATE", "HOSTNAME", "VERSION", "MODEL",
	    "HA", "VDOMS", "TUNNELS", "POLL ms", "LAST ERROR");
	ui_put(y, x, w, ui->attr[UR_HEADER], buf);
	for (row = 1, i = v->top; row < h && i < ui->model->ndevs;
	    row++, i++) {
		d = ui->model->devs[i];
		for (ntun = 0, k = 0; k < d->nvdoms; k++)
			ntun += d->vdoms[k]->ntunnels;
		if (d->rounds > 0 && !isnan(d->poll_ms))
			snprintf(ms, sizeof ms, "%.0f", d->poll_ms);
		else
			snprintf(ms, sizeof ms, "-");
		snprintf(buf, sizeof buf, "%s %-16s %-16s %-18s %-9s %-16s "
		    "%-12s %5zu %7zu %7s  %s", ui_state_mark(ui,
		    d->state == MDEV_UP ? MTUN_UP : MTUN_DOWN), d->name,
		    mdev_state_name(d->state), d->hostname != NULL ?
		    d->hostname : "-", d->version != NULL ? d->version : "-",
		    d->model != NULL ? d->model : "-", d->ha_mode != NULL ?
		    d->ha_mode : "-", d->nvdoms, ntun, ms, d->error != NULL ?
		    d->error : "");
		a = i == v->sel ? ui->attr[UR_SELECTED] : d->state == MDEV_UP ?
		    A_NORMAL : ui->attr[UR_DOWN];
		ui_put(y + row, x, w, a, buf);
	}
}

static int
vdev_key(struct ui *ui, void *st, enum ui_act a, int h)
{
	struct vdev	*v = st;
	size_t		 n = ui->model->ndevs;
	char		*err = NULL;
	const char	*name;

	/* A page is the whole list: the devices fit on one screen. */
	if (ui_scroll(&v->sel, a, n, n > 0 ? n - 1 : 0))
		return (1);
	switch (a) {
	case UA_ENTER:
		if (v->sel >= n)
			return (1);
		name = ui->model->devs[v->sel]->name;
		view_tunnels_limit(ui, ui->stack[0].st, name, NULL);
		ui_message(ui, 0, "tunnels of %s (:device clears)", name);
		while (ui->depth > 1)
			ui_pop(ui);
		return (1);
	case UA_EXPORT:
		if (v->sel < n)
			ui_export(ui, ui->model->devs[v->sel]->name, NULL,
			    NULL);
		return (1);
	case UA_RECONNECT:
		if (v->sel >= n)
			return (1);
		if (ui->act.reconnect == NULL)
			ui_unavailable(ui, "reconnect");
		else if (ui->act.reconnect(ui->act.arg,
		    ui->model->devs[v->sel]->name, &err) != 0) {
			ui_message(ui, 1, "%s", err);
			free(err);
		}
		return (1);
	default:
		return (0);
	}
}

static void
vdev_click(struct ui *ui, void *st, int y)
{
	struct vdev	*v = st;

	if (y >= 1 && v->top + (size_t)(y - 1) < ui->model->ndevs)
		v->sel = v->top + (size_t)(y - 1);
}

void *
view_devices_new(struct ui *ui)
{
	return (xcalloc(1, sizeof(struct vdev)));
}

const struct ui_view view_devices = {
	.name = "devices",
	.draw = vdev_draw,
	.key = vdev_key,
	.filter = NULL,
	.click = vdev_click,
	.free = free,
};
