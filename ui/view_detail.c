/* SPDX-License-Identifier: ISC */
/*
 * view_detail - one tunnel, drilled down: phase 1 with its IKE SAs,
 * phase 2 selector by selector (sa=0/1/2 said in words), the findings,
 * the last tool results and the tunnel's own event timeline.  Under the
 * header, its history (model.h): uptime, flaps, downtime and a state
 * sparkline of the last hour, a cell a minute.
 *
 * The view keeps the tunnel's names, not a pointer: each frame looks it
 * up again, so a tunnel removed by a poll shows "gone" rather than freed
 * memory.  Opening it asks the engine to focus the tunnel (its `name X`
 * lists are then polled every round); closing it drops the focus.
 * The text is laid out into lines first, then the visible ones drawn,
 * so scrolling is plain arithmetic.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ui_int.h"
#include "xmalloc.h"

struct vd_line {
	chtype	 attr;
	char	*text;
};

struct vd {
	struct ui	*ui;
	char		*dev;
	char		*vdom;
	char		*tun;
	size_t		 top;
	struct vd_line	*lines;
	size_t		 n;
	size_t		 cap;
};

static void
vd_clear(struct vd *vd)
{
	size_t	 i;

	for (i = 0; i < vd->n; i++)
		free(vd->lines[i].text);
	vd->n = 0;
}

static void __attribute__((format(printf, 3, 4)))
vd_add(struct vd *vd, chtype attr, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("");
	va_end(ap);
	if (vd->n == vd->cap) {
		vd->cap = vd->cap == 0 ? 64 : vd->cap * 2;
		vd->lines = xreallocarray(vd->lines, vd->cap,
		    sizeof *vd->lines);
	}
	vd->lines[vd->n].attr = attr;
	vd->lines[vd->n].text = s;
	vd->n++;
}

static const char *
vd_s(const char *s)
{
	return (s != NULL ? s : "-");
}

/* A number or "-", into one of four rotating buffers. */
static const char *
vd_n(int64_t v)
{
	static char	 buf[4][32];
	static int	 i;

	i = (i + 1) % 4;
	if (v == PNUM_UNKNOWN)
		return ("-");
	snprintf(buf[i], sizeof buf[i], "%lld", (long long)v);
	return (buf[i]);
}

static const char *
vd_ago(int64_t s)
{
	static char	 buf[4][32];
	static int	 i;

	i = (i + 1) % 4;
	if (s == PNUM_UNKNOWN)
		return ("-");
	if (s < 120)
		snprintf(buf[i], sizeof buf[i], "%llds", (long long)s);
	else if (s < 7200)
		snprintf(buf[i], sizeof buf[i], "%lldm%02llds",
		    (long long)s / 60, (long long)s % 60);
	else
		snprintf(buf[i], sizeof buf[i], "%lldh%02lldm",
		    (long long)s / 3600, (long long)s / 60 % 60);
	return (buf[i]);
}

static const char *
vd_nat(int v)
{
	return (v < 0 ? "-" : v ? "yes" : "no");
}

static void
vd_phase1(struct ui *ui, struct vd *vd, const struct mtun *t)
{
	const struct mphase1	*p = &t->p1;
	const struct mike_sa	*sa;
	size_t			 i;

	vd_add(vd, ui->attr[UR_TITLE], "Phase 1");
	if (!t->has_phase1) {
		vd_add(vd, ui->attr[UR_DIM], "  not in the gateway list yet "
		    "(it is polled every full round)");
		return;
	}
	vd_add(vd, p->status != NULL && strcmp(p->status, "established") == 0
	    ? ui->attr[UR_UP] : ui->attr[UR_DOWN],
	    "  status %s   direction %s   IKEv%s   interface %s",
	    vd_s(p->status), vd_s(p->direction), vd_n(p->version),
	    vd_s(p->interface));
	vd_add(vd, A_NORMAL, "  local %s:%s   remote %s:%s   NAT me %s, "
	    "peer %s", vd_s(p->local_addr), vd_n(p->local_port),
	    vd_s(p->remote_addr), vd_n(p->remote_port), vd_nat(p->nat_me),
	    vd_nat(p->nat_peer));
	vd_add(vd, A_NORMAL, "  IKE SA created %s/%s established %s/%s   "
	    "IPsec SA created %s/%s established %s/%s",
	    vd_n(p->ike_created[0]), vd_n(p->ike_created[1]),
	    vd_n(p->ike_established[0]), vd_n(p->ike_established[1]),
	    vd_n(p->ipsec_created[0]), vd_n(p->ipsec_created[1]),
	    vd_n(p->ipsec_established[0]), vd_n(p->ipsec_established[1]));
	vd_add(vd, A_NORMAL, "  created %s ago   established %s ago   "
	    "DPD sent %s recv %s   peer-id %s", vd_ago(p->created_ago_s),
	    vd_ago(p->established_ago_s), vd_n(p->dpd_sent),
	    vd_n(p->dpd_recv), vd_s(p->peer_id));
	for (i = 0; i < p->nsas; i++) {
		sa = &p->sas[i];
		vd_add(vd, A_NORMAL, "  IKE SA %zu: %s %s  spi %s/%s  created "
		    "%s ago  established %s ago  lifetime %s  rekey %s  "
		    "DPD %s/%s", i + 1, vd_s(sa->direction), vd_s(sa->status),
		    vd_s(sa->spi_i), vd_s(sa->spi_r),
		    vd_ago(sa->created_ago_s), vd_ago(sa->established_ago_s),
		    vd_n(sa->lifetime), vd_n(sa->rekey), vd_n(sa->dpd_sent),
		    vd_n(sa->dpd_recv));
	}
}

static void
vd_phase2(struct ui *ui, struct vd *vd, const struct mtun *t,
    const struct mdev *d)
{
	const struct mphase2	*s;
	char			 enc[32], dec[32];
	double			 left;
	size_t			 i;

	vd_add(vd, ui->attr[UR_TITLE], "Phase 2 (%zu selector%s)", t->np2,
	    t->np2 == 1 ? "" : "s");
	if (t->np2 == 0)
		vd_add(vd, ui->attr[UR_DIM], "  not in the tunnel list yet");
	for (i = 0; i < t->np2; i++) {
		s = &t->p2[i];
		vd_add(vd, s->sa == 1 ? ui->attr[UR_UP] : s->sa == 2 ?
		    ui->attr[UR_DEGRADED] : ui->attr[UR_DOWN],
		    "  %s  sa=%s  %s", vd_s(s->name), vd_n(s->sa),
		    ui_sa_meaning(s->sa));
		vd_add(vd, A_NORMAL, "    src %s  dst %s  esp %s", vd_s(s->src),
		    vd_s(s->dst), vd_s(s->esp));
		/* The lifetime counts down from what the last poll said. */
		left = s->expire_s == PNUM_UNKNOWN ? NAN :
		    (double)s->expire_s - (d->last_ok > 0 ? ui_model_now(ui) -
		    d->last_ok : 0);
		snprintf(enc, sizeof enc, "%llx", (unsigned long long)
		    (s->enc_spi == PNUM_UNKNOWN ? 0 : s->enc_spi));
		snprintf(dec, sizeof dec, "%llx", (unsigned long long)
		    (s->dec_spi == PNUM_UNKNOWN ? 0 : s->dec_spi));
		vd_add(vd, A_NORMAL, "    spi enc %s dec %s  expires in %s",
		    s->enc_spi == PNUM_UNKNOWN ? "-" : enc,
		    s->dec_spi == PNUM_UNKNOWN ? "-" : dec,
		    isnan(left) ? "-" : vd_ago(left > 0 ? (int64_t)left : 0));
		vd_add(vd, A_NORMAL, "    enc %s pkts %s bytes (+%s)   dec %s "
		    "pkts %s bytes (+%s)", vd_n(s->enc_pkts),
		    vd_n(s->enc_bytes), vd_n(s->enc_delta), vd_n(s->dec_pkts),
		    vd_n(s->dec_bytes), vd_n(s->dec_delta));
	}
}

static void
vd_findings(struct ui *ui, struct vd *vd, const struct mtun *t)
{
	struct ui_finding	 f;
	size_t			 i, n;

	vd_add(vd, ui->attr[UR_TITLE], "Findings");
	n = ui->have_find && t->findings != NULL ? ui->find.count(t) : 0;
	if (n == 0) {
		vd_add(vd, ui->attr[UR_DIM], "  -");
		return;
	}
	for (i = 0; i < n; i++) {
		if (ui->find.get(t, i, &f) != 0)
			continue;
		vd_add(vd, f.severity >= 2 ? ui->attr[UR_DOWN] :
		    f.severity == 1 ? ui->attr[UR_DEGRADED] : A_NORMAL,
		    "  [%s] %s", vd_s(f.rule), vd_s(f.title));
		if (f.evidence != NULL)
			vd_add(vd, A_NORMAL, "    evidence: %s", f.evidence);
		if (f.next != NULL)
			vd_add(vd, A_NORMAL, "    next: %s  (d debug, s "
			    "sniffer, t traceroute, r route)", f.next);
		if (f.fix != NULL)
			vd_add(vd, A_NORMAL, "    fix: %s", f.fix);
	}
}

static void
vd_events(struct ui *ui, struct vd *vd)
{
	const struct mevent	*e;
	char			 when[16];
	time_t			 tt;
	struct tm		 tm;
	size_t			 i, shown = 0;

	vd_add(vd, ui->attr[UR_TITLE], "Events of this tunnel");
	for (i = ui->nev; i-- > 0;) {
		e = &ui->ev[(ui->ev_head + i) % UI_EVENTS];
		if (e->tunnel == NULL || e->device == NULL ||
		    strcmp(e->tunnel, vd->tun) != 0 ||
		    strcmp(e->device, vd->dev) != 0 || (e->vdom != NULL &&
		    strcmp(e->vdom, vd->vdom) != 0))
			continue;
		tt = (time_t)e->time;
		localtime_r(&tt, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		vd_add(vd, A_NORMAL, "  %s  %-14s %s%s%s%s%s%s%s", when,
		    e->type, e->item != NULL ? e->item : "",
		    e->item != NULL ? " " : "", e->from != NULL ? e->from : "",
		    e->from != NULL || e->to != NULL ? " -> " : "",
		    e->to != NULL ? e->to : "", e->detail != NULL ? "  " : "",
		    e->detail != NULL ? e->detail : "");
		shown++;
	}
	if (shown == 0)
		vd_add(vd, ui->attr[UR_DIM], "  none since fgtop started");
}

/* Sparkline cells by state (model.h order: unknown, down, degraded, up). */
static const char *const vd_spark_utf8[] = {
	" ", "\u2581", "\u2584", "\u2588"
};
static const char *const vd_spark_ascii[] = { " ", "_", "-", "#" };

#define VD_SPARK_CELLS	60

static void
vd_history(struct ui *ui, struct vd *vd, const struct mtun *t)
{
	const char *const	*map = ui->utf8 ? vd_spark_utf8 :
	    vd_spark_ascii;
	unsigned char		 cells[VD_SPARK_CELLS];
	char			 spark[VD_SPARK_CELLS * 4 + 1];
	double			 now = ui_now(), held, down;
	size_t			 i, n = 0, k;
	int			 state;

	if (t->hist.first == 0) {
		vd_add(vd, ui->attr[UR_DIM], "history  -");
		return;
	}
	/* The state it is in and for how long: "up 9m00s", "down 7s". */
	held = model_tunnel_held(t, now, &state);
	/* Rounded: the buckets' float seconds can sum 60 s to 59.99998. */
	down = model_tunnel_downtime(t, now, MODEL_HIST_SPAN) + 0.5;
	vd_add(vd, A_NORMAL, "history  %s %s   flaps %u in the last hour   "
	    "down %s in 24 h", mtun_state_name((enum mtun_state)state),
	    state == MTUN_UNKNOWN ? "-" : vd_ago((int64_t)held),
	    model_tunnel_flaps(t, now, MODEL_FLAP_WINDOW),
	    vd_ago((int64_t)down));
	model_tunnel_spark(t, now, 3600, cells, VD_SPARK_CELLS);
	for (i = 0; i < VD_SPARK_CELLS; i++) {
		k = cells[i] <= MTUN_UP ? cells[i] : MTUN_UNKNOWN;
		memcpy(spark + n, map[k], strlen(map[k]));
		n += strlen(map[k]);
	}
	spark[n] = '\0';
	vd_add(vd, A_NORMAL, "  -1h [%s] now", spark);
}

static void
vd_build(struct ui *ui, struct vd *vd)
{
	const struct mtun	*t;
	const struct mdev	*d;
	const char		*res[64];
	char			 age[32];
	size_t			 i, n;

	vd_clear(vd);
	t = ui_tunnel(ui, vd->dev, vd->vdom, vd->tun);
	d = ui_device(ui, vd->dev);
	if (t == NULL || d == NULL) {
		vd_add(vd, ui->attr[UR_DOWN], "Tunnel %s (device %s, VDOM %s) "
		    "is gone: the last poll no longer lists it.", vd->tun,
		    vd->dev, vd->vdom);
		vd_events(ui, vd);
		return;
	}
	ui_fmt_age(age, sizeof age, t->changed_at > 0 ? ui_model_now(ui) -
	    t->changed_at : NAN);
	vd_add(vd, ui_state_attr(ui, (int)t->state) | A_BOLD,
	    "%s %s   device %s   VDOM %s   %s since %s   selectors %s/%s",
	    ui_state_mark(ui, (int)t->state), t->name, d->name,
	    t->vdom->name, mtun_state_name(t->state), age,
	    vd_n(t->selectors_up), vd_n(t->selectors_total));
	vd_add(vd, A_NORMAL, "remote gateway %s   local %s   rx %s pkts "
	    "(%s err)   tx %s pkts (%s err)%s%s", vd_s(t->remote_addr),
	    vd_s(t->local_addr), vd_n(t->rx_pkt), vd_n(t->rx_err),
	    vd_n(t->tx_pkt), vd_n(t->tx_err), t->parent != NULL ?
	    "   child of " : "", t->parent != NULL ? t->parent : "");
	vd_history(ui, vd, t);
	vd_add(vd, A_NORMAL, "%s", "");
	vd_phase1(ui, vd, t);
	vd_add(vd, A_NORMAL, "%s", "");
	vd_phase2(ui, vd, t, d);
	vd_add(vd, A_NORMAL, "%s", "");
	vd_findings(ui, vd, t);
	vd_add(vd, A_NORMAL, "%s", "");
	vd_add(vd, ui->attr[UR_TITLE], "Tools");
	n = view_tool_results(ui, vd->dev, vd->vdom, vd->tun, res, 64);
	for (i = 0; i < n; i++)
		vd_add(vd, A_NORMAL, "  %s", res[i]);
	if (n == 0)
		vd_add(vd, ui->attr[UR_DIM], "  none yet: d IKE debug, "
		    "s sniffer, t traceroute, r route lookup");
	vd_add(vd, A_NORMAL, "%s", "");
	vd_events(ui, vd);
}

static void
vd_draw(struct ui *ui, void *p, int y, int x, int h, int w)
{
	struct vd	*vd = p;
	size_t		 i;
	int		 row;

	vd_build(ui, vd);
	if (vd->top + (size_t)h > vd->n)
		vd->top = vd->n > (size_t)h ? vd->n - (size_t)h : 0;
	for (row = 0, i = vd->top; row < h && i < vd->n; row++, i++)
		ui_put(y + row, x, w, vd->lines[i].attr, vd->lines[i].text);
}

static int
vd_key(struct ui *ui, void *p, enum ui_act a, int h)
{
	struct vd	*vd = p;
	size_t		 page = h > 1 ? (size_t)h - 1 : 1;

	/* The last page's top at most, the lines built at the last draw. */
	if (ui_scroll(&vd->top, a, page, vd->n > (size_t)h ? vd->n -
	    (size_t)h : 0))
		return (1);
	switch (a) {
	case UA_ENTER:
		return (1);
	case UA_SNIFF_EDIT:
		ui_sniff_edit(ui, vd->dev, vd->vdom, vd->tun);
		return (1);
	case UA_EXPORT:
		ui_export(ui, vd->dev, vd->vdom, vd->tun);
		return (1);
	case UA_DEBUG:
	case UA_SNIFF:
	case UA_TRACE:
	case UA_ROUTE:
		view_tool_open(ui, a == UA_DEBUG ? UI_TOOL_DEBUG :
		    a == UA_TRACE ? UI_TOOL_TRACEROUTE : a == UA_ROUTE ?
		    UI_TOOL_ROUTE : UI_TOOL_SNIFFER, vd->dev, vd->vdom,
		    vd->tun, NULL);
		return (1);
	default:
		return (0);
	}
}

void *
view_detail_new(struct ui *ui, const char *dev, const char *vdom,
    const char *tun)
{
	struct vd	*vd = xcalloc(1, sizeof *vd);

	vd->ui = ui;
	vd->dev = xstrdup(dev);
	vd->vdom = xstrdup(vdom);
	vd->tun = xstrdup(tun);
	if (ui->act.focus != NULL)
		ui->act.focus(ui->act.arg, dev, vdom, tun);
	return (vd);
}

int
view_detail_selected(void *p, const char **dev, const char **vdom,
    const char **tun)
{
	struct vd	*vd = p;

	*dev = vd->dev;
	*vdom = vd->vdom;
	*tun = vd->tun;
	return (0);
}

static void
vd_free(void *p)
{
	struct vd	*vd = p;

	/* After the loop the engine's devices are gone: no call then. */
	if (vd->ui->open && vd->ui->act.focus != NULL)
		vd->ui->act.focus(vd->ui->act.arg, vd->dev, NULL, NULL);
	vd_clear(vd);
	free(vd->lines);
	free(vd->dev);
	free(vd->vdom);
	free(vd->tun);
	free(vd);
}

const struct ui_view view_detail = {
	.name = "detail",
	.draw = vd_draw,
	.key = vd_key,
	.filter = NULL,
	.click = NULL,
	.free = vd_free,
};
