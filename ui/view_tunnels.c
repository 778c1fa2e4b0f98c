/* SPDX-License-Identifier: ISC */
/*
 * view_tunnels - the home view: every tunnel of every device and VDOM in
 * one table, worst first.
 *
 * The rows are built in three steps, each redone only when its input
 * changed, so a keystroke on 100,000 tunnels stays within a frame:
 *   all   every tunnel (and a row for each device that is not up), in
 *         sort order; rebuilt when the model changed or the sort did.
 *         The sort is an LSD radix sort on a 64-bit key per row (a
 *         string column keys on its first 8 bytes, ties then compared
 *         in full), stable, so equal keys keep the model's order.
 *   rows  what is shown: without a filter the top-level tunnels with
 *         their dial-up / ADVPN children folded under them (unfolded
 *         with +); with a filter every tunnel that matches, children
 *         included.  A filter that grows by a character only narrows
 *         the rows already shown.
 *   draw  the visible slice, with the columns that fit the width.
 * Row pointers into the model live only until the model changes
 * (model_gen); the selection is kept by names across rebuilds.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "ui_int.h"
#include "xmalloc.h"

enum vt_col {
	C_SEV, C_DEV, C_VDOM, C_TUN, C_REMOTE, C_P1, C_SEL, C_RX, C_TX,
	C_SPARK, C_ERR, C_SINCE, C_FIND, C_COUNT
};

static const struct vt_coldef {
	const char	*name;		/* for :sort */
	const char	*head;
	int		 width;
	int		 prio;		/* lower stays longer on narrow screens */
	int		 right;
	int		 numeric;	/* sorts high first */
} vt_cols[C_COUNT] = {
	[C_SEV] = { "severity", "", 1, 0, 0, 0 },
	[C_DEV] = { "device", "DEVICE", 13, 1, 0, 0 },
	[C_VDOM] = { "vdom", "VDOM", 8, 3, 0, 0 },
	[C_TUN] = { "tunnel", "TUNNEL", 20, 0, 0, 0 },
	[C_REMOTE] = { "remote", "REMOTE GW", 15, 3, 0, 0 },
	[C_P1] = { "phase1", "PHASE 1", 11, 1, 0, 0 },
	[C_SEL] = { "selectors", "SEL", 5, 1, 1, 0 },
	[C_RX] = { "rx", "RX/s", 6, 4, 1, 1 },
	[C_TX] = { "tx", "TX/s", 6, 4, 1, 1 },
	[C_SPARK] = { "traffic", "TRAFFIC", 8, 6, 0, 1 },
	[C_ERR] = { "errors", "ERR", 5, 2, 1, 1 },
	[C_SINCE] = { "since", "SINCE", 5, 3, 1, 0 },
	[C_FIND] = { "finding", "FINDING", 16, 2, 0, 0 },
};

struct vt_row {
	struct mtun	*t;		/* NULL: a device that is not up */
	struct mdev	*d;
	uint64_t	 key;
	int		 child;		/* drawn indented */
};

struct vt {
	struct vt_row	*all;
	size_t		 nall;
	struct vt_row	*rows;
	size_t		 nrows;
	struct vt_row	*tmp;
	size_t		 cap;
	unsigned	 gen;		/* model_gen of all[] */
	int		 built;
	int		 sort;
	int		 reverse;
	/* The filter. */
	char		*filter;	/* lower case when literal */
	size_t		 flen;
	int		 inverse;
	int		 literal;
	regex_t		 re;
	int		 have_re;
	char		*limit_dev;
	char		*limit_vdom;
	/* Unfolded parents: "device\tvdom\ttunnel". */
	char		**open;
	size_t		 nopen;
	/* Selection: index, first row shown, and who it is. */
	size_t		 sel;
	size_t		 top;
	char		*sel_dev;
	char		*sel_vdom;
	char		*sel_tun;
	int		 col_x[C_COUNT];
	int		 col_w[C_COUNT];
};

static const char *
vt_vdom(const struct vt_row *r)
{
	return (r->t != NULL ? r->t->vdom->name : "");
}

static int
vt_rank(const struct vt_row *r)
{
	if (r->t == NULL)
		return (0);
	switch (r->t->state) {
	case MTUN_DOWN:
		return (1);
	case MTUN_DEGRADED:
		return (2);
	case MTUN_UNKNOWN:
		return (3);
	default:
		return (4);
	}
}

static uint64_t
vt_strkey(const char *s)
{
	uint64_t	 k = 0;
	int		 i;

	for (i = 0; i < 8; i++) {
		k <<= 8;
		if (s != NULL && *s != '\0')
			k |= (unsigned char)*s++;
	}
	return (k);
}

static uint64_t
vt_numkey(double v)
{
	if (isnan(v) || v < 0)
		return (0);
	if (v > 1e15)
		v = 1e15;
	return ((uint64_t)(v * 1000));
}

static int64_t
vt_errors(const struct mtun *t)
{
	if (t->rx_err == PNUM_UNKNOWN && t->tx_err == PNUM_UNKNOWN)
		return (PNUM_UNKNOWN);
	return ((t->rx_err != PNUM_UNKNOWN ? t->rx_err : 0) +
	    (t->tx_err != PNUM_UNKNOWN ? t->tx_err : 0));
}

static const char *
vt_colstr(const struct vt_row *r, int col)
{
	switch (col) {
	case C_DEV:
		return (r->d->name);
	case C_VDOM:
		return (vt_vdom(r));
	case C_TUN:
		return (r->t != NULL ? r->t->name : "");
	case C_REMOTE:
		return (r->t != NULL ? r->t->remote_addr : NULL);
	case C_P1:
		return (r->t != NULL ? r->t->p1.status : NULL);
	default:
		return (NULL);
	}
}

static uint64_t
vt_sortkey(const struct vt_row *r, int col)
{
	const struct mtun	*t = r->t;
	int64_t			 e;
	uint64_t		 k;

	if (col == C_SEV)
		return ((uint64_t)vt_rank(r));
	if (t == NULL)		/* devices that are not up stay on top */
		return (vt_cols[col].numeric ? UINT64_MAX : 0);
	switch (col) {
	case C_SEL:
		if (t->selectors_total == PNUM_UNKNOWN ||
		    t->selectors_total <= 0 || t->selectors_up == PNUM_UNKNOWN)
			return (0);
		return ((uint64_t)(t->selectors_up * 65536 /
		    t->selectors_total) + 1);
	case C_RX:
		k = vt_numkey(t->rx_pps);
		break;
	case C_TX:
		k = vt_numkey(t->tx_pps);
		break;
	case C_SPARK:
		k = vt_numkey((isnan(t->rx_pps) ? 0 : t->rx_pps) +
		    (isnan(t->tx_pps) ? 0 : t->tx_pps));
		break;
	case C_ERR:
		e = vt_errors(t);
		k = e == PNUM_UNKNOWN ? 0 : (uint64_t)e + 1;
		break;
	case C_SINCE:
		return (vt_numkey(t->changed_at));
	case C_FIND:
		return (vt_strkey(t->findings != NULL ? "a" : "~"));
	default:
		return (vt_strkey(vt_colstr(r, col)));
	}
	/* Numbers sort high first: the busiest, the most errors. */
	return (UINT64_MAX - k);
}

/* Stable LSD radix sort on key; passes whose byte never varies skipped. */
static void
vt_radix(struct vt_row *a, struct vt_row *tmp, size_t n)
{
	size_t		 count[256], i, pos;
	struct vt_row	*src = a, *dst = tmp, *sw;
	unsigned	 shift;
	int		 b;

	for (shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[(src[i].key >> shift) & 0xff]++;
		for (b = 0; b < 256; b++)
			if (count[b] == n)
				break;
		if (b < 256)
			continue;
		for (pos = 0, b = 0; b < 256; b++) {
			i = count[b];
			count[b] = pos;
			pos += i;
		}
		for (i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & 0xff]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

static int vt_cmp_col;
static int
vt_cmp(const void *a, const void *b)
{
	const char	*x = vt_colstr(a, vt_cmp_col);
	const char	*y = vt_colstr(b, vt_cmp_col);
	int		 c;

	c = strcmp(x != NULL ? x : "", y != NULL ? y : "");
	return (c);
}

static void
vt_sort(struct vt *vt)
{
	size_t	 i, j;
	int	 strcol = !vt_cols[vt->sort].numeric && vt->sort != C_SEV &&
	    vt->sort != C_SEL && vt->sort != C_SINCE && vt->sort != C_FIND;

	for (i = 0; i < vt->nall; i++) {
		vt->all[i].key = vt_sortkey(&vt->all[i], vt->sort);
		if (vt->reverse)
			vt->all[i].key = ~vt->all[i].key;
	}
	vt_radix(vt->all, vt->tmp, vt->nall);
	if (!strcol)
		return;
	/* Names that share their first 8 bytes: order the run in full. */
	vt_cmp_col = vt->sort;
	for (i = 0; i < vt->nall; i = j) {
		for (j = i + 1; j < vt->nall && vt->all[j].key ==
		    vt->all[i].key; j++)
			;
		if (j - i > 1 && (vt->all[i].key & 0xff) != 0)
			qsort(vt->all + i, j - i, sizeof *vt->all, vt_cmp);
	}
	if (vt->reverse)
		for (i = 0; i < vt->nall; i = j) {
			for (j = i + 1; j < vt->nall && vt->all[j].key ==
			    vt->all[i].key; j++)
				;
			/* Reverse each tied run so the whole is reversed. */
			if (j - i > 1 && (~vt->all[i].key & 0xff) != 0) {
				size_t	 a = i, b = j - 1;
				struct vt_row t;

				while (a < b) {
					t = vt->all[a];
					vt->all[a++] = vt->all[b];
					vt->all[b--] = t;
				}
			}
		}
}

static void
vt_reserve(struct vt *vt, size_t n)
{
	if (n <= vt->cap)
		return;
	vt->cap = n + n / 4 + 64;
	vt->all = xreallocarray(vt->all, vt->cap, sizeof *vt->all);
	vt->rows = xreallocarray(vt->rows, vt->cap, sizeof *vt->rows);
	vt->tmp = xreallocarray(vt->tmp, vt->cap, sizeof *vt->tmp);
}

/* Every tunnel, and the devices that are not up, from the model. */
static void
vt_collect(struct ui *ui, struct vt *vt)
{
	struct model	*m = ui->model;
	struct mdev	*d;
	struct mvdom	*v;
	size_t		 i, k, n, total = 0;

	for (i = 0; i < m->ndevs; i++) {
		total++;
		for (k = 0; k < m->devs[i]->nvdoms; k++)
			total += m->devs[i]->vdoms[k]->ntunnels;
	}
	vt_reserve(vt, total);
	vt->nall = 0;
	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		if (d->state != MDEV_UP) {
			vt->all[vt->nall].t = NULL;
			vt->all[vt->nall].d = d;
			vt->all[vt->nall].child = 0;
			vt->nall++;
			continue;
		}
		for (k = 0; k < d->nvdoms; k++) {
			v = d->vdoms[k];
			for (n = 0; n < v->ntunnels; n++) {
				vt->all[vt->nall].t = v->tunnels[n];
				vt->all[vt->nall].d = d;
				vt->all[vt->nall].child = 0;
				vt->nall++;
			}
		}
	}
	vt->gen = ui->model_gen;
	vt->built = 1;
	vt_sort(vt);
}

/*
 * Case-insensitive substring on short fields.  glibc's strcasestr sets
 * up a two-way search per call, which costs more than the search itself
 * on a tunnel name; the naive scan is 3x faster here.  needle is lower
 * case.
 */
static int
vt_icontains(const char *s, const char *needle, size_t n)
{
	const unsigned char	*h = (const unsigned char *)s;
	unsigned char		 c0 = (unsigned char)needle[0];
	size_t			 i;

	for (; *h != '\0'; h++) {
		if ((unsigned char)tolower(*h) != c0)
			continue;
		for (i = 1; i < n && h[i] != '\0' &&
		    (unsigned char)tolower(h[i]) == (unsigned char)needle[i];
		    i++)
			;
		if (i == n)
			return (1);
	}
	return (0);
}

static int
vt_field_match(struct vt *vt, const char *s)
{
	if (s == NULL)
		return (0);
	if (vt->literal)
		return (vt_icontains(s, vt->filter, vt->flen));
	return (regexec(&vt->re, s, 0, NULL, 0) == 0);
}

static int
vt_match(struct vt *vt, const struct vt_row *r)
{
	int	 m;

	if (vt->limit_dev != NULL && strcmp(r->d->name, vt->limit_dev) != 0)
		return (0);
	if (vt->limit_vdom != NULL && (r->t == NULL ||
	    strcmp(vt_vdom(r), vt->limit_vdom) != 0))
		return (0);
	if (vt->filter == NULL)
		return (1);
	if (r->t == NULL)
		m = vt_field_match(vt, r->d->name) ||
		    vt_field_match(vt, mdev_state_name(r->d->state)) ||
		    vt_field_match(vt, r->d->error);
	else
		m = vt_field_match(vt, r->t->name) ||
		    vt_field_match(vt, r->d->name) ||
		    vt_field_match(vt, r->t->vdom->name) ||
		    vt_field_match(vt, r->t->remote_addr) ||
		    vt_field_match(vt, r->t->p1.status) ||
		    vt_field_match(vt, mtun_state_name(r->t->state));
	return (vt->inverse ? !m : m);
}

static char *
vt_tkey(const struct mtun *t)
{
	char	*k;

	xasprintf(&k, "%s\t%s\t%s", t->vdom->dev->name, t->vdom->name,
	    t->name);
	return (k);
}

static int
vt_is_open(struct vt *vt, const struct mtun *t)
{
	size_t	 i, n;
	const char *p;

	for (i = 0; i < vt->nopen; i++) {
		p = vt->open[i];
		n = strlen(t->vdom->dev->name);
		if (strncmp(p, t->vdom->dev->name, n) != 0 || p[n] != '\t')
			continue;
		p += n + 1;
		n = strlen(t->vdom->name);
		if (strncmp(p, t->vdom->name, n) == 0 && p[n] == '\t' &&
		    strcmp(p + n + 1, t->name) == 0)
			return (1);
	}
	return (0);
}

static void
vt_add(struct vt *vt, const struct vt_row *r, int child)
{
	vt->rows[vt->nrows] = *r;
	vt->rows[vt->nrows].child = child;
	vt->nrows++;
}

/* all -> rows: filter, fold children under their parents. */
static void
vt_rows(struct vt *vt)
{
	const struct vt_row	*r;
	struct vt_row		 c;
	struct mvdom		*v;
	size_t			 i, n;

	vt->nrows = 0;
	for (i = 0; i < vt->nall; i++) {
		r = &vt->all[i];
		if (!vt_match(vt, r))
			continue;
		if (vt->filter != NULL || r->t == NULL) {
			vt_add(vt, r, r->t != NULL && r->t->parent != NULL);
			continue;
		}
		/* A child shows under its parent, if that is listed. */
		if (r->t->parent != NULL &&
		    model_tunnel(r->t->vdom, r->t->parent) != NULL)
			continue;
		vt_add(vt, r, 0);
		if (r->t->nchildren == 0 || !vt_is_open(vt, r->t))
			continue;
		v = r->t->vdom;
		for (n = 0; n < v->ntunnels; n++) {
			if (v->tunnels[n]->parent == NULL ||
			    strcmp(v->tunnels[n]->parent, r->t->name) != 0)
				continue;
			c.t = v->tunnels[n];
			c.d = r->d;
			vt_add(vt, &c, 1);
		}
	}
}

/* A grown literal filter: keep the rows that still match. */
static void
vt_narrow(struct vt *vt)
{
	size_t	 i, n = 0;

	for (i = 0; i < vt->nrows; i++)
		if (vt_match(vt, &vt->rows[i]))
			vt->rows[n++] = vt->rows[i];
	vt->nrows = n;
}

static void
vt_remember(struct vt *vt)
{
	const struct vt_row	*r;

	free(vt->sel_dev);
	free(vt->sel_vdom);
	free(vt->sel_tun);
	vt->sel_dev = vt->sel_vdom = vt->sel_tun = NULL;
	if (vt->sel >= vt->nrows)
		return;
	r = &vt->rows[vt->sel];
	vt->sel_dev = xstrdup(r->d->name);
	vt->sel_vdom = xstrdup(vt_vdom(r));
	vt->sel_tun = xstrdup(r->t != NULL ? r->t->name : "");
}

/* After a rebuild: the same tunnel stays selected if it is still here. */
static void
vt_reselect(struct vt *vt)
{
	const struct vt_row	*r;
	size_t			 i;

	if (vt->sel_dev != NULL)
		for (i = 0; i < vt->nrows; i++) {
			r = &vt->rows[i];
			if (strcmp(r->d->name, vt->sel_dev) == 0 &&
			    strcmp(vt_vdom(r), vt->sel_vdom) == 0 &&
			    strcmp(r->t != NULL ? r->t->name : "",
			    vt->sel_tun) == 0) {
				vt->sel = i;
				return;
			}
		}
	if (vt->sel >= vt->nrows)
		vt->sel = vt->nrows > 0 ? vt->nrows - 1 : 0;
	vt_remember(vt);
}

/* Bring all[] and rows[] up to date with the model. */
static void
vt_update(struct ui *ui, struct vt *vt)
{
	if (vt->built && vt->gen == ui->model_gen)
		return;
	vt_collect(ui, vt);
	vt_rows(vt);
	vt_reselect(vt);
}

void *
view_tunnels_new(struct ui *ui)
{
	struct vt	*vt = xcalloc(1, sizeof *vt);

	vt->sort = C_SEV;
	return (vt);
}

static void
vt_free_filter(struct vt *vt)
{
	if (vt->have_re)
		regfree(&vt->re);
	vt->have_re = 0;
	free(vt->filter);
	vt->filter = NULL;
}

static void
vt_free(void *p)
{
	struct vt	*vt = p;
	size_t		 i;

	vt_free_filter(vt);
	for (i = 0; i < vt->nopen; i++)
		free(vt->open[i]);
	free(vt->open);
	free(vt->all);
	free(vt->rows);
	free(vt->tmp);
	free(vt->limit_dev);
	free(vt->limit_vdom);
	free(vt->sel_dev);
	free(vt->sel_vdom);
	free(vt->sel_tun);
	free(vt);
}

/*
 * Which columns fit in w, by priority; FINDING takes what is left.  The
 * sparkline only comes when the finding keeps room for its words.
 */
static void
vt_layout(struct vt *vt, int w)
{
	int	 used = 0, prio, c, x = 0, extra, slack;
	int	 on[C_COUNT] = { 0 };

	for (prio = 0; prio <= 6; prio++)
		for (c = 0; c < C_COUNT; c++)
			if (vt_cols[c].prio == prio && (slack = c == C_SPARK ?
			    16 : 0, used + vt_cols[c].width + 1 + slack <= w)) {
				on[c] = 1;
				used += vt_cols[c].width + 1;
			}
	extra = w - used;
	for (c = 0; c < C_COUNT; c++) {
		vt->col_w[c] = on[c] ? vt_cols[c].width : 0;
		if (c == (on[C_FIND] ? C_FIND : C_TUN) && on[c])
			vt->col_w[c] += extra;
		vt->col_x[c] = x;
		if (on[c])
			x += vt->col_w[c] + 1;
	}
}

static void
vt_cell(struct vt *vt, int y, int c, chtype a, const char *s)
{
	if (vt->col_w[c] == 0)
		return;
	if (vt_cols[c].right)
		ui_putr(y, vt->col_x[c], vt->col_w[c], a, s != NULL ? s : "-");
	else
		ui_put(y, vt->col_x[c], vt->col_w[c], a, s != NULL ? s : "-");
}

static void
vt_draw_row(struct ui *ui, struct vt *vt, const struct vt_row *r, int y,
    int w, int selected)
{
	const struct mtun	*t = r->t;
	chtype			 base, a;
	char			 buf[512];
	int			 sev;

	base = selected ? ui->attr[UR_SELECTED] : A_NORMAL;
	ui_fill(y, 0, w, base);
	if (t == NULL) {
		vt_cell(vt, y, C_SEV, selected ? base : ui->attr[UR_DOWN],
		    ui_state_mark(ui, MTUN_DOWN));
		vt_cell(vt, y, C_DEV, base, r->d->name);
		snprintf(buf, sizeof buf, "device %s%s%s",
		    mdev_state_name(r->d->state), r->d->error != NULL ?
		    ": " : "", r->d->error != NULL ? r->d->error : "");
		ui_put(y, vt->col_x[C_VDOM] != vt->col_x[C_TUN] ?
		    vt->col_x[C_VDOM] : vt->col_x[C_TUN], w -
		    vt->col_x[C_DEV] - vt->col_w[C_DEV] - 1,
		    selected ? base : ui->attr[UR_DOWN], buf);
		return;
	}
	a = selected ? base : ui_state_attr(ui, (int)t->state);
	vt_cell(vt, y, C_SEV, a, ui_state_mark(ui, (int)t->state));
	vt_cell(vt, y, C_DEV, base, r->d->name);
	vt_cell(vt, y, C_VDOM, base, t->vdom->name);
	if (r->child)
		snprintf(buf, sizeof buf, "  %s %s", ui->utf8 ? "\u2514" :
		    "`", t->name);
	else if (t->nchildren > 0)
		snprintf(buf, sizeof buf, "%s %s (+%zu)",
		    vt_is_open(vt, t) ? "-" : "+", t->name, t->nchildren);
	else
		snprintf(buf, sizeof buf, "%s", t->name);
	vt_cell(vt, y, C_TUN, !selected && ui_highlighted(ui, r->d->name,
	    t->vdom->name, t->name) ? ui->attr[UR_CHANGED] : base, buf);
	vt_cell(vt, y, C_REMOTE, base, t->remote_addr);
	vt_cell(vt, y, C_P1, selected ? base : t->p1.status != NULL &&
	    strcmp(t->p1.status, "established") == 0 ? ui->attr[UR_UP] :
	    t->p1.status != NULL ? ui->attr[UR_DOWN] : base, t->p1.status);
	if (t->selectors_total != PNUM_UNKNOWN)
		snprintf(buf, sizeof buf, "%lld/%lld",
		    t->selectors_up == PNUM_UNKNOWN ? 0LL :
		    (long long)t->selectors_up,
		    (long long)t->selectors_total);
	else
		snprintf(buf, sizeof buf, "-");
	vt_cell(vt, y, C_SEL, a, buf);
	ui_fmt_rate(buf, sizeof buf, t->rx_pps);
	vt_cell(vt, y, C_RX, base, buf);
	ui_fmt_rate(buf, sizeof buf, t->tx_pps);
	vt_cell(vt, y, C_TX, base, buf);
	ui_spark(ui, buf, sizeof buf, t->rx_hist, MODEL_RATE_SAMPLES,
	    vt->col_w[C_SPARK]);
	vt_cell(vt, y, C_SPARK, selected ? base : ui->attr[UR_TITLE], buf);
	ui_fmt_num(buf, sizeof buf, vt_errors(t));
	vt_cell(vt, y, C_ERR, !selected && vt_errors(t) > 0 &&
	    vt_errors(t) != PNUM_UNKNOWN ? ui->attr[UR_DEGRADED] : base, buf);
	ui_fmt_age(buf, sizeof buf, t->changed_at > 0 ? ui_model_now(ui) -
	    t->changed_at : NAN);
	vt_cell(vt, y, C_SINCE, base, buf);
	vt_cell(vt, y, C_FIND, base, ui_top_finding(ui, t, &sev));
}

static void
vt_scroll(struct vt *vt, int h)
{
	size_t	 page = h > 1 ? (size_t)(h - 1) : 1;

	if (vt->sel < vt->top)
		vt->top = vt->sel;
	if (vt->sel >= vt->top + page)
		vt->top = vt->sel - page + 1;
	if (vt->top + page > vt->nrows)
		vt->top = vt->nrows > page ? vt->nrows - page : 0;
}

static void
vt_draw(struct ui *ui, void *p, int y, int x, int h, int w)
{
	struct vt	*vt = p;
	char		 buf[128];
	size_t		 i;
	int		 c, row;

	vt_update(ui, vt);
	vt_layout(vt, w);
	vt_scroll(vt, h);
	ui_fill(y, x, w, ui->attr[UR_HEADER]);
	for (c = 0; c < C_COUNT; c++) {
		if (vt->col_w[c] == 0)
			continue;
		snprintf(buf, sizeof buf, "%s%s", vt_cols[c].head,
		    c == vt->sort && c != C_SEV ? (vt->reverse ? "^" : "v") :
		    "");
		vt_cell(vt, y, c, ui->attr[UR_HEADER] | (c == vt->sort ?
		    A_BOLD : 0), buf);
	}
	for (row = 1, i = vt->top; row < h && i < vt->nrows; row++, i++)
		vt_draw_row(ui, vt, &vt->rows[i], y + row, w, i == vt->sel);
	if (vt->nrows == 0)
		ui_put(y + 2, x + 2, w - 4, ui->attr[UR_DIM],
		    vt->filter != NULL ? "no tunnel matches the filter" :
		    ui->model->ndevs == 0 ? "no device" :
		    "no tunnel yet (waiting for the first poll)");
}

static int
vt_selected_row(struct vt *vt, const struct vt_row **r)
{
	if (vt->sel >= vt->nrows)
		return (-1);
	*r = &vt->rows[vt->sel];
	return (0);
}

int
view_tunnels_selected(void *p, const char **dev, const char **vdom,
    const char **tun)
{
	struct vt	*vt = p;

	if (vt->sel_dev == NULL || vt->sel_tun[0] == '\0')
		return (-1);
	*dev = vt->sel_dev;
	*vdom = vt->sel_vdom;
	*tun = vt->sel_tun;
	return (0);
}

static void
vt_toggle(struct vt *vt, const struct vt_row *r)
{
	const struct mtun	*t = r->t;
	char			*k;
	size_t			 i;

	if (t == NULL)
		return;
	if (t->parent != NULL && (t = model_tunnel(t->vdom, t->parent)) ==
	    NULL)
		return;
	if (t->nchildren == 0)
		return;
	k = vt_tkey(t);
	for (i = 0; i < vt->nopen; i++)
		if (strcmp(vt->open[i], k) == 0) {
			free(vt->open[i]);
			vt->open[i] = vt->open[--vt->nopen];
			free(k);
			k = NULL;
			break;
		}
	if (k != NULL) {
		vt->open = xreallocarray(vt->open, vt->nopen + 1,
		    sizeof *vt->open);
		vt->open[vt->nopen++] = k;
	}
	/* Keep the parent selected when its children fold away. */
	free(vt->sel_tun);
	vt->sel_tun = xstrdup(t->name);
	vt_rows(vt);
	vt_reselect(vt);
}

static void
vt_tool(struct ui *ui, struct vt *vt, enum ui_act a)
{
	const char	*d, *v, *t;

	if (view_tunnels_selected(vt, &d, &v, &t) != 0) {
		ui_message(ui, 1, "select a tunnel first");
		return;
	}
	if (a == UA_SNIFF_EDIT) {
		ui_sniff_edit(ui, d, v, t);
		return;
	}
	view_tool_open(ui, a == UA_DEBUG ? UI_TOOL_DEBUG : a == UA_SNIFF ?
	    UI_TOOL_SNIFFER : a == UA_TRACE ? UI_TOOL_TRACEROUTE :
	    UI_TOOL_ROUTE, d, v, t, NULL);
}

static int
vt_key(struct ui *ui, void *p, enum ui_act a, int h)
{
	struct vt		*vt = p;
	const struct vt_row	*r;
	size_t			 page = h > 2 ? (size_t)(h - 2) : 1;
	char			*err = NULL;

	vt_update(ui, vt);
	if (ui_scroll(&vt->sel, a, page, vt->nrows > 0 ? vt->nrows - 1 : 0)) {
		vt_remember(vt);
		return (1);
	}
	switch (a) {
	case UA_ENTER:
		if (vt_selected_row(vt, &r) != 0)
			return (1);
		if (r->t == NULL) {
			ui_push(ui, &view_devices, view_devices_new(ui));
			return (1);
		}
		ui_push(ui, &view_detail, view_detail_new(ui, r->d->name,
		    r->t->vdom->name, r->t->name));
		return (1);
	case UA_EXPAND:
		if (vt_selected_row(vt, &r) == 0)
			vt_toggle(vt, r);
		return (1);
	case UA_SORT_NEXT:
	case UA_SORT_PREV:
		vt->sort = (vt->sort + (a == UA_SORT_NEXT ? 1 : C_COUNT - 1)) %
		    C_COUNT;
		ui_message(ui, 0, "sorted by %s", vt_cols[vt->sort].name);
		vt->built = 0;
		vt_update(ui, vt);
		return (1);
	case UA_SORT_REVERSE:
		vt->reverse = !vt->reverse;
		vt->built = 0;
		vt_update(ui, vt);
		return (1);
	case UA_DEBUG:
	case UA_SNIFF:
	case UA_SNIFF_EDIT:
	case UA_TRACE:
	case UA_ROUTE:
		vt_tool(ui, vt, a);
		return (1);
	case UA_EXPORT:
		/* A device's row: the device's bundle. */
		if (vt_selected_row(vt, &r) != 0)
			ui_message(ui, 1, "select a tunnel first");
		else
			ui_export(ui, r->d->name, r->t != NULL ?
			    r->t->vdom->name : NULL, r->t != NULL ? r->t->name :
			    NULL);
		return (1);
	case UA_RECONNECT:
		if (vt_selected_row(vt, &r) != 0)
			return (1);
		if (ui->act.reconnect == NULL)
			ui_unavailable(ui, "reconnect");
		else if (ui->act.reconnect(ui->act.arg, r->d->name, &err) !=
		    0) {
			ui_message(ui, 1, "%s", err);
			free(err);
		}
		return (1);
	default:
		return (0);
	}
}

static int
vt_filter(struct ui *ui, void *p, const char *text, char **err)
{
	struct vt	*vt = p;
	regex_t		 re;
	char		 msg[256];
	size_t		 k;
	int		 inverse = 0, literal, rc, narrow;

	vt_update(ui, vt);
	if (text != NULL && text[0] == '!') {
		inverse = 1;
		text++;
	}
	if (text == NULL || *text == '\0') {
		if (vt->filter == NULL && !inverse)
			return (0);
		vt_free_filter(vt);
		vt->inverse = 0;
		vt_rows(vt);
		vt_reselect(vt);
		return (0);
	}
	literal = strpbrk(text, "^$.[]()|*+?{}\\") == NULL;
	if (!literal) {
		if ((rc = regcomp(&re, text, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB)) != 0) {
			regerror(rc, &re, msg, sizeof msg);
			xasprintf(err, "filter: %s", msg);
			return (-1);
		}
	}
	/* Typing one more literal character can only narrow the rows. */
	narrow = literal && vt->literal && vt->filter != NULL &&
	    !inverse && !vt->inverse &&
	    strncasecmp(text, vt->filter, strlen(vt->filter)) == 0;
	vt_free_filter(vt);
	vt->filter = xstrdup(text);
	vt->flen = strlen(text);
	if (literal)
		for (k = 0; k < vt->flen; k++)
			vt->filter[k] = (char)tolower((unsigned char)text[k]);
	vt->inverse = inverse;
	vt->literal = literal;
	if (!literal) {
		vt->re = re;
		vt->have_re = 1;
	}
	if (narrow)
		vt_narrow(vt);
	else
		vt_rows(vt);
	vt_reselect(vt);
	return (0);
}

static void
vt_click(struct ui *ui, void *p, int y)
{
	struct vt	*vt = p;

	if (y >= 1 && vt->top + (size_t)(y - 1) < vt->nrows) {
		vt->sel = vt->top + (size_t)(y - 1);
		vt_remember(vt);
	}
}

int
view_tunnels_sort(struct ui *ui, void *p, const char *col, char **err)
{
	struct vt	*vt = p;
	int		 c;

	for (c = 0; c < C_COUNT && col != NULL; c++)
		if (strncasecmp(vt_cols[c].name, col, strlen(col)) == 0 &&
		    *col != '\0')
			break;
	if (col == NULL || c == C_COUNT) {
		xasprintf(err, "sort by one of: severity device vdom tunnel "
		    "remote phase1 selectors rx tx traffic errors since "
		    "finding");
		return (-1);
	}
	vt->sort = c;
	vt->built = 0;
	vt_update(ui, vt);
	return (0);
}

int
view_tunnels_limit(struct ui *ui, void *p, const char *dev,
    const char *vdom)
{
	struct vt	*vt = p;
	size_t		 i, k;
	int		 found = dev == NULL && vdom == NULL;

	for (i = 0; i < ui->model->ndevs && !found; i++) {
		if (dev != NULL && strcmp(ui->model->devs[i]->name, dev) == 0)
			found = 1;
		for (k = 0; vdom != NULL && k < ui->model->devs[i]->nvdoms;
		    k++)
			if (strcmp(ui->model->devs[i]->vdoms[k]->name,
			    vdom) == 0)
				found = 1;
	}
	if (!found)
		return (-1);
	free(vt->limit_dev);
	free(vt->limit_vdom);
	vt->limit_dev = dev != NULL ? xstrdup(dev) : NULL;
	vt->limit_vdom = vdom != NULL ? xstrdup(vdom) : NULL;
	vt_update(ui, vt);
	vt_rows(vt);
	vt_reselect(vt);
	return (0);
}

const struct ui_view view_tunnels = {
	.name = "tunnels",
	.draw = vt_draw,
	.key = vt_key,
	.filter = vt_filter,
	.click = vt_click,
	.free = vt_free,
};
