/* SPDX-License-Identifier: ISC */
/*
 * device.c - the device model over time and the CLI that reads it.
 *
 * sim_world_advance moves every device of a world (loaded by scenario.c)
 * to a given simulated time: timeline events and the flapping / DPD
 * cycles are applied at their exact times, in order, so the model at time
 * t does not depend on how often or how late the clock was advanced.
 * sim_cli_* are one SSH session's view of a device: the VDOM context
 * (`config vdom`, `edit`, `config global`, `end`), the session's debug
 * settings, and the command dispatcher.  Commands are matched word by
 * word with FortiOS's unique-prefix abbreviations; what they print is
 * render.c's job, debug lines are ikedebug.c's.  Only reading commands
 * exist: anything that would change the configuration or the tunnels is
 * refused with the FortiOS error text.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "render.h"

#define CTX_TOP		0
#define CTX_VDOMCFG	1	/* `config vdom`, before `edit` */
#define CTX_VDOM	2
#define CTX_GLOBAL	3

#define MAXWORDS	16

struct sim_cli {
	struct sim_device	*dev;
	int			 ctx;
	struct sim_vdom		*vdom;
	char			 prompt[320];

	int			 dbg_enabled;
	int			 ike_level;
	int			 timestamp;
	long			 duration_min;
	double			 enabled_at;
	double			 dbg_last;
	struct ike_filter	 filt;

	uint32_t		 trace_src;
	struct simsniff		*sniff;
	struct simtrace		*trace;
};

/* ---- the model over time ---------------------------------------------- */

/*
 * Does traffic move in this direction (rx: decrypted, else encrypted)?
 * A DPD-failing peer sends nothing; source NAT lets nothing out.
 */
int
device_flows(const struct sim_tunnel *t, int rx)
{
	return (t->state == ST_UP && t->fault != (rx ? F_DPD : F_SNAT));
}

static unsigned long long
dv_flow(const struct sim_tunnel *t, double at)
{
	double	 d = at - t->t_state;

	if (d <= 0 || t->pps <= 0)
		return (0);
	return ((unsigned long long)floor(t->pps * d));
}

unsigned long long
device_rxp(const struct sim_tunnel *t, double at)
{
	return (t->rxp_base + (device_flows(t, 1) ? dv_flow(t, at) : 0));
}

unsigned long long
device_txp(const struct sim_tunnel *t, double at)
{
	return (t->txp_base + (device_flows(t, 0) ? dv_flow(t, at) : 0));
}

int
device_p1_up(const struct sim_tunnel *t)
{
	return (t->state == ST_UP || t->state == ST_P2DOWN);
}

long
device_sa_gen(const struct sim_tunnel *t, double now)
{
	double	 e;

	if (t->state != ST_UP)
		return (-1);
	e = now - t->t_state;
	if (e < 0)
		e = 0;
	return ((long)floor(e / (double)t->soft));
}

double
device_sa_start(const struct sim_tunnel *t, double now)
{
	long	 g = device_sa_gen(t, now);

	return (t->t_state + (double)(g < 0 ? 0 : g) * (double)t->soft);
}

/* sa=2 for two seconds after each rekey: old and new SA side by side. */
int
device_sa_count(const struct sim_tunnel *t, double now)
{
	long	 g = device_sa_gen(t, now);

	if (g < 0)
		return (0);
	if (g >= 1 && now - device_sa_start(t, now) < 2.0)
		return (2);
	return (1);
}

uint32_t
device_spi(const struct sim_tunnel *t, long gen, int which)
{
	return (scenario_hash(t->seed ^ (uint32_t)which * 0x51ed27U,
	    (uint32_t)gen + 11) | 0x01000000U);
}

static void
device_set_state(struct sim_tunnel *t, int state, int fault, double at)
{
	int	 was_up = device_p1_up(t);

	t->rxp_base = device_rxp(t, at);
	t->txp_base = device_txp(t, at);
	if (state != t->state) {
		if (state == ST_CONNECTING ||
		    (!was_up && (state == ST_UP || state == ST_P2DOWN)))
			t->t_p1 = at;
		if (!was_up && state != ST_CONNECTING)
			t->nest++;
	}
	t->state = state;
	t->fault = fault;
	t->t_state = at;
}

/* An interface is down when a tunnel on it has the no-route fault. */
int
device_iface_down(const struct sim_device *d, const char *ifname)
{
	size_t	 i, j;

	for (i = 0; i < d->nvdoms; i++)
		for (j = 0; j < d->vdoms[i]->ntunnels; j++) {
			const struct sim_tunnel *t = d->vdoms[i]->tunnels[j];

			if (t->fault == F_NOROUTE &&
			    strcmp(t->iface, ifname) == 0)
				return (1);
		}
	return (0);
}

static struct sim_tunnel *
device_tunnel(struct sim_device *d, const char *name)
{
	size_t	 i, j;

	for (i = 0; i < d->nvdoms; i++)
		for (j = 0; j < d->vdoms[i]->ntunnels; j++)
			if (strcmp(d->vdoms[i]->tunnels[j]->name, name) == 0)
				return (d->vdoms[i]->tunnels[j]);
	return (NULL);
}

static int
dv_toggles(const struct sim_tunnel *t)
{
	return (t->fault == F_FLAP || t->fault == F_DPD);
}

/* How long a flapping or DPD-failing tunnel stays in its current state. */
static double
dv_toggle_span(struct sim_tunnel *t)
{
	if (t->fault == F_DPD)
		return (t->state == ST_UP ? 60 : 30);
	if (t->state == ST_UP)
		return (40 + scenario_rand(&t->rng) % 40);
	return (10 + scenario_rand(&t->rng) % 15);
}

static void
dv_add_toggling(struct sim_device *d, struct sim_tunnel *t)
{
	size_t	 i;

	for (i = 0; i < d->ntoggling; i++)
		if (d->toggling[i] == t)
			return;
	d->toggling = realloc(d->toggling,
	    (d->ntoggling + 1) * sizeof(*d->toggling));
	if (d->toggling == NULL)
		abort();
	d->toggling[d->ntoggling++] = t;
}

static void
dv_apply_event(struct sim_device *d, const struct sim_event *e)
{
	struct sim_tunnel	*t;
	int			 st, f;

	if ((t = device_tunnel(d, e->tunnel)) == NULL)
		return;
	st = e->state >= 0 ? e->state : t->state;
	f = e->fault >= 0 ? e->fault : t->fault;
	device_set_state(t, st, f, e->t);
	if (dv_toggles(t)) {
		t->toggle_next = e->t + dv_toggle_span(t);
		dv_add_toggling(d, t);
	}
}

static void
device_advance(struct sim_device *d, double now)
{
	struct sim_tunnel	*t, *best;
	double			 te, tt;
	size_t			 i;

	if (now < d->now)
		return;
	for (;;) {
		te = d->nextevent < d->nevents ?
		    d->events[d->nextevent].t : HUGE_VAL;
		best = NULL;
		tt = HUGE_VAL;
		for (i = 0; i < d->ntoggling; i++) {
			t = d->toggling[i];
			if (!dv_toggles(t))
				continue;
			if (t->toggle_next < 0)
				t->toggle_next = t->t_state + dv_toggle_span(t);
			if (t->toggle_next < tt) {
				tt = t->toggle_next;
				best = t;
			}
		}
		if (te > now && tt > now)
			break;
		if (te <= tt) {
			dv_apply_event(d, &d->events[d->nextevent++]);
			continue;
		}
		t = best;
		device_set_state(t, t->state == ST_UP ? ST_CONNECTING : ST_UP,
		    t->fault, tt);
		t->toggle_next = tt + dv_toggle_span(t);
	}
	d->now = now;
}

/* ---- the world --------------------------------------------------------- */

size_t
sim_world_ndevices(const struct sim_world *w)
{
	return (w->ndevices);
}

struct sim_device *
sim_world_device(struct sim_world *w, size_t i)
{
	return (i < w->ndevices ? w->devices[i] : NULL);
}

void
sim_world_advance(struct sim_world *w, double now)
{
	size_t	 i;

	if (now < w->now)
		return;
	for (i = 0; i < w->ndevices; i++)
		device_advance(w->devices[i], now);
	w->now = now;
}

const struct sim_devinfo *
sim_device_info(const struct sim_device *d)
{
	return (&d->info);
}

/* ---- the CLI session --------------------------------------------------- */

struct sim_cli *
sim_cli_new(struct sim_device *d)
{
	struct sim_cli	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->dev = d;
	c->ctx = CTX_TOP;
	if (!d->multi_vdom)
		c->vdom = d->vdoms[0];
	c->duration_min = d->flavour == FL_7 ? 30 : 0;
	c->dbg_last = d->now;
	return (c);
}

void
sim_cli_free(struct sim_cli *c)
{
	if (c == NULL)
		return;
	simsniff_free(c->sniff);
	simtrace_free(c->trace);
	free(c->filt.name);
	free(c);
}

const char *
sim_cli_prompt(struct sim_cli *c)
{
	const char	*h = c->dev->hostname;

	switch (c->ctx) {
	case CTX_VDOMCFG:
		snprintf(c->prompt, sizeof(c->prompt), "%s (vdom) # ", h);
		break;
	case CTX_VDOM:
		snprintf(c->prompt, sizeof(c->prompt), "%s (%s) # ", h,
		    c->vdom->name);
		break;
	case CTX_GLOBAL:
		snprintf(c->prompt, sizeof(c->prompt), "%s (global) # ", h);
		break;
	default:
		snprintf(c->prompt, sizeof(c->prompt), "%s # ", h);
		break;
	}
	return (c->prompt);
}

const char *
sim_cli_vdom(const struct sim_cli *c)
{
	if (!c->dev->multi_vdom)
		return (c->dev->vdoms[0]->name);
	if (c->ctx == CTX_VDOM)
		return (c->vdom->name);
	return ("global");
}

static int
dv_debug_active(const struct sim_cli *c)
{
	return (c->dbg_enabled && c->ike_level != 0);
}

void
sim_cli_debug_state(const struct sim_cli *c, struct sim_debug_state *s)
{
	s->enabled = c->dbg_enabled;
	s->ike_level = c->ike_level;
	s->filter_set = c->filt.set;
}

/* Split a command line; quotes group and are removed. */
static int
dv_split(char *s, char **w, int max)
{
	int	 n = 0;
	char	 q, *o;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == max)
			return (-1);
		w[n++] = o = s;
		while (*s != '\0' && *s != ' ' && *s != '\t') {
			if (*s == '\'' || *s == '"') {
				q = *s++;
				while (*s != '\0' && *s != q)
					*o++ = *s++;
				if (*s == q)
					s++;
				continue;
			}
			*o++ = *s++;
		}
		if (*s != '\0')
			s++;
		*o = '\0';
	}
	return (n);
}

/*
 * FortiOS abbreviations: an exact word wins, else a unique prefix.
 * Returns the index in the NULL-terminated list, or -1.
 */
static int
dv_pick(const char *w, const char *const *list)
{
	size_t	 len = strlen(w);
	int	 i, found = -1;

	if (len == 0)
		return (-1);
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(w, list[i]) == 0)
			return (i);
	for (i = 0; list[i] != NULL; i++)
		if (strncmp(w, list[i], len) == 0) {
			if (found >= 0)
				return (-1);
			found = i;
		}
	return (found);
}

static void
dv_parse_error(struct sbuf *out, const char *w)
{
	sbuf_printf(out, "command parse error before '%s'\n"
	    "Command fail. Return code -61\n", w);
}

/* Is the session somewhere VPN commands exist? */
static int
dv_in_vdom(struct sim_cli *c, struct sbuf *out, const char *w)
{
	if (c->ctx == CTX_VDOM || (!c->dev->multi_vdom && c->vdom != NULL))
		return (1);
	dv_parse_error(out, w);
	return (0);
}

static void
dv_ctx_of(struct sim_cli *c, struct render_ctx *rc, double now)
{
	rc->dev = c->dev;
	rc->vdom = c->vdom != NULL && (c->ctx == CTX_VDOM ||
	    !c->dev->multi_vdom) ? c->vdom : NULL;
	rc->now = now;
}

static int
dv_version_ge(const struct sim_device *d, int a, int b, int p)
{
	if (d->vmaj != a)
		return (d->vmaj > a);
	if (d->vmin != b)
		return (d->vmin > b);
	return (d->vpatch >= p);
}

/*
 * w[i], w[i + 1]... must abbreviate each of words in turn (and be the
 * last words when exact); else the parse error names the first wrong one
 * (the last expected one when there are too many).
 */
static int
dv_words(struct sbuf *out, char **w, int n, int i,
    const char *const *words, int exact)
{
	const char	*one[2] = { NULL, NULL };

	for (; *words != NULL; words++, i++) {
		one[0] = *words;
		if (n <= i || dv_pick(w[i], one) != 0 ||
		    (exact && words[1] == NULL && n != i + 1)) {
			dv_parse_error(out, n > i ? w[i] : "");
			return (0);
		}
	}
	return (1);
}

static void
cmd_get(struct sim_cli *c, char **w, int n, struct sbuf *out, double now)
{
	static const char *const l1[] = { "system", "vpn", "router", NULL };
	static const char *const sys[] = { "status", NULL };
	static const char *const vpn[] = { "ipsec", "tunnel", "summary", NULL };
	static const char *const rtr[] = { "info", "routing-table", NULL };
	static const char *const rt[] = { "all", "details", "database", NULL };
	struct render_ctx	 rc;
	int			 k;

	dv_ctx_of(c, &rc, now);
	if (n < 2) {
		dv_parse_error(out, "");
		return;
	}
	switch (dv_pick(w[1], l1)) {
	case 0:
		if (dv_words(out, w, n, 2, sys, 1))
			render_status(out, &rc);
		return;
	case 1:
		if (dv_in_vdom(c, out, w[1]) && dv_words(out, w, n, 2, vpn, 1))
			render_summary(out, &rc);
		return;
	case 2:
		if (!dv_in_vdom(c, out, w[1]) ||
		    !dv_words(out, w, n, 2, rtr, 0))
			return;
		if (n == 4)
			render_routes(out, &rc);
		else if (n > 6 || (k = dv_pick(w[4], rt)) < 0 ||
		    (k != 1 && n == 6))
			dv_parse_error(out, w[n > 5 ? 5 : 4]);
		else if (k == 1)
			render_route_details(out, &rc, n == 6 ? w[5] : NULL);
		else
			render_routes(out, &rc);
		return;
	default:
		dv_parse_error(out, w[1]);
	}
}

static void
dv_filter_list(struct sim_cli *c, struct sbuf *out)
{
	char	 a[16], b[16];

	sbuf_printf(out, "vd: any\nname: %s\ninterface: any\n",
	    c->filt.name != NULL ? c->filt.name : "any");
	if (c->filt.loc_hi != 0)
		sbuf_printf(out, "IPv4 source: %s-%s\n",
		    render_ip4(c->filt.loc_lo, a),
		    render_ip4(c->filt.loc_hi, b));
	else
		sbuf_addstr(out, "IPv4 source: any\n");
	if (c->filt.rem_hi != 0)
		sbuf_printf(out, "IPv4 dest: %s-%s\n",
		    render_ip4(c->filt.rem_lo, a),
		    render_ip4(c->filt.rem_hi, b));
	else
		sbuf_addstr(out, "IPv4 dest: any\n");
	sbuf_addstr(out, "IPv6 source: any\nIPv6 dest: any\n"
	    "source port: any\ndest port: any\n");
}

static void
dv_filter_clear(struct sim_cli *c)
{
	free(c->filt.name);
	memset(&c->filt, 0, sizeof(c->filt));
}

/* log-filter (<= 7.4.0) and log filter (>= 7.4.1) share their arguments. */
static void
cmd_log_filter(struct sim_cli *c, char **w, int n, struct sbuf *out, int new)
{
	static const char *const oldsub[] = { "clear", "dst-addr4",
	    "src-addr4", "name", "list", "dst-port", "src-port", "vd",
	    "interface", NULL };
	static const char *const newsub[] = { "clear", "rem-addr4",
	    "loc-addr4", "name", "list", "rem-port", "loc-port", "vd",
	    "interface", NULL };
	uint32_t	 lo, hi;
	int		 k;

	if (n == 0) {
		dv_filter_list(c, out);
		return;
	}
	switch ((k = dv_pick(w[0], new ? newsub : oldsub))) {
	case 0:
		dv_filter_clear(c);
		return;
	case 1:
	case 2:
		if (n < 2 || n > 3 || scenario_ip4(w[1], &lo) != 0 ||
		    (n == 3 && scenario_ip4(w[2], &hi) != 0)) {
			dv_parse_error(out, n > 1 ? w[1] : w[0]);
			return;
		}
		if (n == 2)
			hi = lo;
		if (k == 1) {
			c->filt.rem_lo = lo;
			c->filt.rem_hi = hi;
		} else {
			c->filt.loc_lo = lo;
			c->filt.loc_hi = hi;
		}
		c->filt.set = 1;
		return;
	case 3:
		if (n != 2) {
			dv_parse_error(out, w[0]);
			return;
		}
		free(c->filt.name);
		if ((c->filt.name = strdup(w[1])) == NULL)
			abort();
		c->filt.set = 1;
		return;
	case 4:
		dv_filter_list(c, out);
		return;
	case -1:
		dv_parse_error(out, w[0]);
		return;
	default:
		/* Accepted, not modelled: ports, VDOM, interface. */
		c->filt.set = 1;
		return;
	}
}

/* `list [name NAME]` after the words of a gateway or tunnel command. */
static void
dv_list(struct sbuf *out, const struct render_ctx *rc, char **w, int n,
    const char *prev, void (*fn)(struct sbuf *, const struct render_ctx *,
    const char *))
{
	static const char *const lw[] = { "list", NULL };
	static const char *const nm[] = { "name", NULL };

	if (n < 1 || dv_pick(w[0], lw) != 0)
		dv_parse_error(out, n > 0 ? w[0] : prev);
	else if (n == 1)
		fn(out, rc, NULL);
	else if (n == 3 && dv_pick(w[1], nm) == 0)
		fn(out, rc, w[2]);
	else
		dv_parse_error(out, w[1]);
}

static void
cmd_diag_vpn(struct sim_cli *c, char **w, int n, struct sbuf *out,
    double now)
{
	static const char *const l2[] = { "ike", "tunnel", NULL };
	static const char *const ikeold[] = { "gateway", "log-filter",
	    "stats", "status", "config", "counts", "errors", NULL };
	static const char *const ikenew[] = { "gateway", "log", "stats",
	    "status", "config", "counts", "errors", NULL };
	static const char *const logw[] = { "filter", NULL };
	struct render_ctx	 rc;
	int			 newsyn = dv_version_ge(c->dev, 7, 4, 1);

	dv_ctx_of(c, &rc, now);
	if (n < 1) {
		dv_parse_error(out, "");
		return;
	}
	switch (dv_pick(w[0], l2)) {
	case 0:
		if (n < 2) {
			dv_parse_error(out, w[0]);
			return;
		}
		switch (dv_pick(w[1], newsyn ? ikenew : ikeold)) {
		case 0:
			dv_list(out, &rc, w + 2, n - 2, w[1], render_gateway);
			return;
		case 1:
			if (!newsyn) {
				cmd_log_filter(c, w + 2, n - 2, out, 0);
				return;
			}
			if (n < 3 || dv_pick(w[2], logw) != 0) {
				dv_parse_error(out, n > 2 ? w[2] : w[1]);
				return;
			}
			cmd_log_filter(c, w + 3, n - 3, out, 1);
			return;
		case -1:
			dv_parse_error(out, w[1]);
			return;
		default:
			/* Statistics exist but are not modelled. */
			return;
		}
	case 1:
		dv_list(out, &rc, w + 1, n - 1, w[0], render_tunnel_list);
		return;
	default:
		dv_parse_error(out, w[0]);
	}
}

static void
dv_debug_info(struct sim_cli *c, struct sbuf *out, double now)
{
	sbuf_printf(out, "debug output:           %s\n",
	    c->dbg_enabled ? "enable" : "disable");
	sbuf_printf(out, "console timestamp:      %s\n",
	    c->timestamp ? "enable" : "disable");
	sbuf_addstr(out, "console no user log message:    disable\n");
	if (c->ike_level != 0)
		sbuf_printf(out, "ike debug level:        %d\n", c->ike_level);
	sbuf_addstr(out, "CLI debug level:        3\n");
	if (c->dbg_enabled && c->duration_min > 0) {
		long	 left = c->duration_min -
		    (long)((now - c->enabled_at) / 60);

		sbuf_printf(out, "Debug messages will be on for %ld "
		    "minutes.\n", left < 1 ? 1 : left);
	}
}

static void
cmd_diag_debug(struct sim_cli *c, char **w, int n, struct sbuf *out,
    double now)
{
	static const char *const l2[] = { "enable", "disable", "reset",
	    "info", "console", "duration", "application", NULL };
	static const char *const con[] = { "timestamp", NULL };
	static const char *const ed[] = { "enable", "disable", NULL };
	static const char *const apps[] = { "ike", "fnbamd", "eap_proxy",
	    "ipsecmgr", NULL };
	long		 v;
	char		*end;
	int		 was = dv_debug_active(c);

	if (n < 1) {
		dv_parse_error(out, "");
		return;
	}
	switch (dv_pick(w[0], l2)) {
	case 0:
		if (!c->dbg_enabled)
			c->enabled_at = now;
		c->dbg_enabled = 1;
		break;
	case 1:
		c->dbg_enabled = 0;
		break;
	case 2:
		c->ike_level = 0;
		break;
	case 3:
		dv_debug_info(c, out, now);
		break;
	case 4:
		if (n != 3 || dv_pick(w[1], con) != 0 || dv_pick(w[2], ed) < 0)
			dv_parse_error(out, n > 1 ? w[n - 1] : w[0]);
		else
			c->timestamp = dv_pick(w[2], ed) == 0;
		break;
	case 5:
		if (n != 2 || (v = strtol(w[1], &end, 10), *end != '\0') ||
		    v < 0) {
			dv_parse_error(out, n > 1 ? w[1] : w[0]);
			break;
		}
		c->duration_min = v;
		c->enabled_at = now;
		break;
	case 6:
		if (n < 2 || dv_pick(w[1], apps) < 0) {
			dv_parse_error(out, n > 1 ? w[1] : w[0]);
			break;
		}
		if (n == 2) {
			if (dv_pick(w[1], apps) == 0)
				sbuf_printf(out, "ike debug level is %d\n",
				    c->ike_level);
			break;
		}
		v = strtol(w[2], &end, 10);
		if (*end != '\0' || n != 3) {
			dv_parse_error(out, w[2]);
			break;
		}
		if (dv_pick(w[1], apps) == 0)
			c->ike_level = (int)v;
		break;
	default:
		dv_parse_error(out, w[0]);
	}
	if (!was && dv_debug_active(c))
		c->dbg_last = now;
}

static int
cmd_sniffer(struct sim_cli *c, char **w, int n, struct sbuf *out,
    double now)
{
	static const char *const l2[] = { "packet", NULL };
	const char	*ifname = "any", *filter = "none";
	int		 verbose = 1, abs = 0;
	long		 count = 0;
	char		*end;

	if (n < 1 || dv_pick(w[0], l2) != 0) {
		dv_parse_error(out, n > 0 ? w[0] : "");
		return (SIM_DONE);
	}
	if (n > 1)
		ifname = w[1];
	if (n > 2)
		filter = w[2];
	if (n > 3) {
		verbose = (int)strtol(w[3], &end, 10);
		if (*end != '\0' || verbose < 1 || verbose > 6) {
			dv_parse_error(out, w[3]);
			return (SIM_DONE);
		}
	}
	if (n > 4) {
		count = strtol(w[4], &end, 10);
		if (*end != '\0' || count < 0) {
			dv_parse_error(out, w[4]);
			return (SIM_DONE);
		}
	}
	if (n > 5) {
		if (strcmp(w[5], "a") == 0)
			abs = 1;
		else if (strcmp(w[5], "l") == 0)
			abs = 2;
		else {
			dv_parse_error(out, w[5]);
			return (SIM_DONE);
		}
	}
	if (n > 6) {
		dv_parse_error(out, w[6]);
		return (SIM_DONE);
	}
	c->sniff = simsniff_new(c->dev, c->ctx == CTX_VDOM ||
	    !c->dev->multi_vdom ? c->vdom : NULL, ifname, filter, verbose,
	    count, abs, now);
	simsniff_header(c->sniff, out);
	return (SIM_STREAMING);
}

/*
 * `diagnose sys vd list`: global in multi-VDOM mode.  The layout of a
 * 7.x capture (name=X/X); the internal vsys_ VDOMs follow the real ones.
 */
static void
cmd_diag_sys(struct sim_cli *c, char **w, int n, struct sbuf *out)
{
	static const char *const vd[] = { "vd", "list", NULL };
	static const char *const internal[] = { "vsys_ha", "vsys_fgfm" };
	size_t	 i, nv = c->dev->nvdoms;

	if (c->dev->multi_vdom && c->ctx != CTX_GLOBAL) {
		dv_parse_error(out, w[1]);
		return;
	}
	if (!dv_words(out, w, n, 2, vd, 1))
		return;
	sbuf_addstr(out, "system fib version=63\nlist virtual firewall "
	    "info:\n");
	for (i = 0; i < nv + 2; i++) {
		const char *name = i < nv ? c->dev->vdoms[i]->name :
		    internal[i - nv];
		sbuf_printf(out, "name=%s/%s index=%zu enabled fib_ver=%zu "
		    "use=%zu rt_num=%zu asym_rt=0 sip_helper=0, "
		    "sip_nat_trace=1, mc_fwd=0, mc_ttl_nc=0, tpmc_sk_pl=0\n"
		    "ecmp=source-ip-based, ecmp6=source-ip-based asym_rt6=0 "
		    "rt6_num=4 strict_src_check=0 dns_log=0 ses_num=0 "
		    "ses6_num=0 pkt_num=0\n"
		    "\ttree_flag=1 tree6_flag=0 nataf=0 traffic_log=0 "
		    "extended_traffic_log=0 svc_depth=0\n"
		    "\tmode=standalone ha_state=work prio=0 vid=0\n",
		    name, name, i, 10 + i, 40 + i, 4 + i);
	}
	sbuf_printf(out, "vf_count=%zu vfe_count=0\n", nv + 2);
}

static int
cmd_diagnose(struct sim_cli *c, char **w, int n, struct sbuf *out,
    double now)
{
	static const char *const l1[] = { "vpn", "debug", "sniffer", "sys",
	    NULL };

	if (n < 2) {
		dv_parse_error(out, "");
		return (SIM_DONE);
	}
	switch (dv_pick(w[1], l1)) {
	case 0:
		if (dv_in_vdom(c, out, w[1]))
			cmd_diag_vpn(c, w + 2, n - 2, out, now);
		return (SIM_DONE);
	case 1:
		cmd_diag_debug(c, w + 2, n - 2, out, now);
		return (SIM_DONE);
	case 2:
		return (cmd_sniffer(c, w + 2, n - 2, out, now));
	case 3:
		cmd_diag_sys(c, w, n, out);
		return (SIM_DONE);
	default:
		dv_parse_error(out, w[1]);
		return (SIM_DONE);
	}
}

static int
cmd_execute(struct sim_cli *c, char **w, int n, struct sbuf *out,
    double now)
{
	static const char *const l1[] = { "traceroute", "traceroute-options",
	    NULL };
	static const char *const opt[] = { "source", "reset", "view-settings",
	    NULL };
	struct render_ctx	 rc;
	uint32_t		 a;
	char			 b[16];

	if (n < 2) {
		dv_parse_error(out, "");
		return (SIM_DONE);
	}
	switch (dv_pick(w[1], l1)) {
	case 0:
		if (!dv_in_vdom(c, out, w[1]))
			return (SIM_DONE);
		if (n != 3 || scenario_ip4(w[2], &a) != 0) {
			if (n == 3)
				sbuf_printf(out, "traceroute: unknown host "
				    "%s\n", w[2]);
			else
				dv_parse_error(out, n > 3 ? w[3] : w[1]);
			return (SIM_DONE);
		}
		dv_ctx_of(c, &rc, now);
		c->trace = simtrace_new(&rc, a, c->trace_src, now);
		return (simtrace_run(c->trace, out, now));
	case 1:
		if (n < 3) {
			dv_parse_error(out, w[1]);
			return (SIM_DONE);
		}
		switch (dv_pick(w[2], opt)) {
		case 0:
			if (n != 4)
				dv_parse_error(out, w[2]);
			else if (strcmp(w[3], "auto") == 0)
				c->trace_src = 0;
			else if (scenario_ip4(w[3], &a) != 0)
				dv_parse_error(out, w[3]);
			else
				c->trace_src = a;
			return (SIM_DONE);
		case 1:
			c->trace_src = 0;
			return (SIM_DONE);
		case 2:
			sbuf_printf(out, "source: %s\n", c->trace_src == 0 ?
			    "auto" : render_ip4(c->trace_src, b));
			return (SIM_DONE);
		default:
			dv_parse_error(out, w[2]);
			return (SIM_DONE);
		}
	default:
		/* ping, reboot, factoryreset...: never on a read-only bed. */
		dv_parse_error(out, w[1]);
		return (SIM_DONE);
	}
}

static void
cmd_config(struct sim_cli *c, char **w, int n, struct sbuf *out)
{
	static const char *const l1[] = { "vdom", "global", NULL };
	int	 k;

	if (n != 2 || c->ctx != CTX_TOP || !c->dev->multi_vdom ||
	    (k = dv_pick(w[1], l1)) < 0) {
		/* Read-only: only VDOM navigation is configuration here. */
		dv_parse_error(out, n > 1 ? w[1] : w[0]);
		return;
	}
	c->ctx = k == 0 ? CTX_VDOMCFG : CTX_GLOBAL;
}

static void
cmd_edit(struct sim_cli *c, char **w, int n, struct sbuf *out)
{
	size_t	 i;

	if (c->ctx != CTX_VDOMCFG || n != 2) {
		dv_parse_error(out, w[0]);
		return;
	}
	for (i = 0; i < c->dev->nvdoms; i++)
		if (strcmp(c->dev->vdoms[i]->name, w[1]) == 0) {
			c->vdom = c->dev->vdoms[i];
			c->ctx = CTX_VDOM;
			return;
		}
	/* Editing an unknown VDOM would create it: refused. */
	sbuf_addstr(out, "Command fail. Return code -61\n");
}

static int
dv_dispatch(struct sim_cli *c, char **w, int n, struct sbuf *out, double now)
{
	static const char *const top[] = { "get", "diagnose", "execute",
	    "config", "edit", "next", "end", "abort", "exit", "show", NULL };
	int			 k;

	k = dv_pick(w[0], top);
	if (k >= 0 && k <= 2 && c->ctx == CTX_VDOMCFG) {
		/* `config vdom` wants `edit VDOM` (or `end`) first. */
		dv_parse_error(out, w[0]);
		return (SIM_DONE);
	}
	switch (k) {
	case 0:
		cmd_get(c, w, n, out, now);
		return (SIM_DONE);
	case 1:
		return (cmd_diagnose(c, w, n, out, now));
	case 2:
		return (cmd_execute(c, w, n, out, now));
	case 3:
		cmd_config(c, w, n, out);
		return (SIM_DONE);
	case 4:
		cmd_edit(c, w, n, out);
		return (SIM_DONE);
	case 5:
		if (c->ctx == CTX_VDOM)
			c->ctx = CTX_VDOMCFG;
		return (SIM_DONE);
	case 6:
	case 7:
		c->ctx = CTX_TOP;
		if (c->dev->multi_vdom)
			c->vdom = NULL;
		return (SIM_DONE);
	case 8:
		return (SIM_DONE);
	case 9:
		/* show prints configuration; fgtsim has none to show. */
		dv_parse_error(out, n > 1 ? w[1] : w[0]);
		return (SIM_DONE);
	default:
		sbuf_addstr(out, "Unknown action 0\n");
		return (SIM_DONE);
	}
}

int
sim_cli_exec(struct sim_cli *c, const char *line, struct sbuf *out,
    double now)
{
	char	*copy, *w[MAXWORDS];
	int	 n, r = SIM_DONE;
	size_t	 start = out->len;

	device_advance(c->dev, now);
	if (c->sniff != NULL || c->trace != NULL)
		sim_cli_interrupt(c, out);
	if ((copy = strdup(line)) == NULL)
		abort();
	if ((n = dv_split(copy, w, MAXWORDS)) < 0)
		sbuf_addstr(out, "Unknown action 0\n");
	else if (n > 0)
		r = dv_dispatch(c, w, n, out, now);
	free(copy);
	c->dev->ncommands++;
	if (c->dev->info.faults.garbage && out->len > start)
		render_garbage(out, start, c->dev->ncommands);
	return (r);
}

int
sim_cli_stream(struct sim_cli *c, struct sbuf *out, double now)
{
	int	 fg = 0;

	device_advance(c->dev, now);
	if (c->dbg_enabled && c->duration_min > 0 &&
	    now - c->enabled_at >= (double)c->duration_min * 60) {
		/* The 7.x safety net: debug turns itself off. */
		c->dbg_enabled = 0;
	}
	if (dv_debug_active(c) && now > c->dbg_last)
		ikedebug_emit(out, c->dev, &c->filt, c->timestamp,
		    c->dbg_last, now);
	c->dbg_last = now;
	if (c->sniff != NULL) {
		if (simsniff_run(c->sniff, out, now) == SIM_DONE) {
			simsniff_free(c->sniff);
			c->sniff = NULL;
		} else
			fg = 1;
	}
	if (c->trace != NULL) {
		if (simtrace_run(c->trace, out, now) == SIM_DONE) {
			simtrace_free(c->trace);
			c->trace = NULL;
		} else
			fg = 1;
	}
	return (fg ? SIM_STREAMING : SIM_DONE);
}

void
sim_cli_interrupt(struct sim_cli *c, struct sbuf *out)
{
	if (c->sniff != NULL) {
		simsniff_stop(c->sniff, out);
		simsniff_free(c->sniff);
		c->sniff = NULL;
	}
	if (c->trace != NULL) {
		simtrace_free(c->trace);
		c->trace = NULL;
	}
}
