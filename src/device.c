/* SPDX-License-Identifier: ISC */
/*
 * device - login, VDOM discovery and poll rounds of one FortiGate.  See
 * device.h.
 *
 * The device is a small state machine driven by its shell's callbacks
 * and one timer (next round, or reconnect).  Every callback only merges
 * what arrived and moves the state on; nothing here blocks.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "device.h"
#include "diagnose.h"
#include "diagnose_model.h"
#include "ike_debug.h"
#include "ike_gateway.h"
#include "model.h"
#include "shell.h"
#include "system_status.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"
#include "vdom_list.h"
#include "xmalloc.h"
#include "xtime.h"

enum device_cmd {
	CMD_NAV,		/* config vdom / edit / end: no output */
	CMD_STATUS,
	CMD_VDLIST,
	CMD_SUMMARY,
	CMD_GATEWAYS,
	CMD_TUNNELS,
	CMD_FOCUS_GATEWAYS,
	CMD_FOCUS_TUNNELS,
};

enum device_phase {
	PH_IDLE,		/* not started, or waiting to reconnect */
	PH_LOGIN,
	PH_SETUP,		/* system status, VDOM list */
	PH_WAIT,		/* between rounds */
	PH_ROUND,
	PH_HALTED,		/* waits for the operator (auth, host key) */
	PH_DONE,		/* --once: finished */
};

struct device {
	uv_loop_t	*loop;
	struct model	*model;
	struct mdev	*mdev;
	struct device_opts opts;
	struct cfg_target target;	/* strings owned, secrets included */
	void		(*done)(struct device *, void *);
	void		*arg;

	enum device_phase phase;
	struct shell	*sh;
	uv_timer_t	 timer;
	int		 stopping;
	unsigned	 fails;		/* connection attempts failed in a row */

	int		 multi;		/* multi-VDOM mode */
	char		**vdoms;	/* polled, NULL-terminated */
	size_t		 nvdoms;
	char		*focus_vdom;
	char		*focus_tunnel;

	struct sched	 sched;
	uint64_t	 round_ns;	/* uv_hrtime at the round's start */
	int		 full;		/* this round polls the lists */
	size_t		 pending;	/* groups of this round */
	int		 round_bad;	/* a group of it failed */
	uint64_t	 sum_hash;	/* summary signature, for changes */
	uint64_t	 round_hash;
	int		 rounds_ok;
	char		*problem;	/* a poll step's failure, for the model */
};

/* What a group's callbacks need: the device and the VDOM polled. */
struct device_grp {
	struct device	*dev;
	char		*vdom;
};

static void	device_connect(struct device *);
static void	device_round(struct device *);

static char *
device_strdup(const char *s)
{
	return (s == NULL ? NULL : xstrdup(s));
}

static void
device_target_copy(struct cfg_target *dst, const struct cfg_target *src)
{
	size_t	 n = 0;

	memset(dst, 0, sizeof *dst);
	dst->name = xstrdup(src->name);
	dst->address = device_strdup(src->address);
	dst->port = src->port;
	dst->user = device_strdup(src->user);
	dst->identity = device_strdup(src->identity);
	dst->disclaimer_accept = src->disclaimer_accept;
	dst->poll_ms = src->poll_ms;
	dst->full_poll_ms = src->full_poll_ms;
	dst->password = device_strdup(src->password);
	dst->token = device_strdup(src->token);
	if (src->vdoms != NULL) {
		while (src->vdoms[n] != NULL)
			n++;
		dst->vdoms = xcalloc(n + 1, sizeof *dst->vdoms);
		while (n-- > 0)
			dst->vdoms[n] = xstrdup(src->vdoms[n]);
	}
}

static void
device_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void
device_vdoms_free(char **v)
{
	size_t	 i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static void
device_timer_close_cb(uv_handle_t *h)
{
	struct device	*d = h->data;

	free(d->target.name);
	free(d->target.address);
	free(d->target.user);
	free(d->target.identity);
	device_secret_free(d->target.password);
	device_secret_free(d->target.token);
	device_vdoms_free(d->target.vdoms);
	device_vdoms_free(d->vdoms);
	free(d->focus_vdom);
	free(d->focus_tunnel);
	free(d->problem);
	free(d);
}

void
device_stop(struct device *d)
{
	struct shell	*sh = d->sh;

	if (d->stopping)
		return;
	d->stopping = 1;
	d->sh = NULL;
	if (sh != NULL)
		shell_close(sh);
	uv_close((uv_handle_t *)&d->timer, device_timer_close_cb);
}

/* --once: the device has said what it will say. */
static void
device_finish(struct device *d)
{
	if (d->phase == PH_DONE)
		return;
	d->phase = PH_DONE;
	uv_timer_stop(&d->timer);
	if (d->done != NULL)
		d->done(d, d->arg);
}

static void
device_timer_cb(uv_timer_t *t)
{
	struct device	*d = t->data;

	if (d->stopping)
		return;
	if (d->phase == PH_IDLE)
		device_connect(d);
	else if (d->phase == PH_WAIT)
		device_round(d);
}

static enum mdev_state
device_state_of(enum conn_errkind k)
{
	switch (k) {
	case CONN_E_RESOLVE:
	case CONN_E_UNREACHABLE:
		return (MDEV_UNREACHABLE);
	case CONN_E_HOSTKEY_UNKNOWN:
		return (MDEV_HOSTKEY_UNKNOWN);
	case CONN_E_HOSTKEY_CHANGED:
		return (MDEV_HOSTKEY_MISMATCH);
	case CONN_E_AUTH:
		return (MDEV_AUTH_FAILED);
	case CONN_E_TIMEOUT:
		return (MDEV_STALE);
	default:
		return (MDEV_ERROR);
	}
}

/* The session is gone: say why, then retry later or wait. */
static void
device_lost(struct device *d, enum conn_errkind kind, const char *why)
{
	enum mdev_state	 s = device_state_of(kind);
	struct shell	*sh = d->sh;
	uint64_t	 delay;

	/* Closing fails the queued groups: they must see no session. */
	d->sh = NULL;
	if (sh != NULL)
		shell_close(sh);
	model_device_state(d->mdev, s, why != NULL ? why :
	    "the connection ended", xtime_now());
	uv_timer_stop(&d->timer);
	if (d->opts.once) {
		device_finish(d);
		return;
	}
	if (s == MDEV_AUTH_FAILED || s == MDEV_HOSTKEY_UNKNOWN ||
	    s == MDEV_HOSTKEY_MISMATCH) {
		d->phase = PH_HALTED;
		return;
	}
	d->phase = PH_IDLE;
	d->fails++;
	delay = sched_backoff(d->fails, (double)rand() / ((double)RAND_MAX +
	    1));
	uv_timer_start(&d->timer, device_timer_cb, delay, 0);
}

static void
device_shell_closed(struct shell *sh, void *arg)
{
	struct device	*d = arg;

	device_lost(d, shell_errkind(sh), shell_error(sh));
}

static void __attribute__((format(printf, 2, 3)))
device_problem(struct device *d, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	free(d->problem);
	d->problem = s;
}

/* Parse one poll output and merge it into the VDOM. */
static void
device_merge(struct device *d, const char *vname,
    const struct shell_result *r)
{
	struct mvdom		*v = model_vdom(d->mdev, vname);
	struct tunnel_summary	*ts;
	struct ike_gateway_list	*ig;
	struct tunnel_list	*tl;
	double			 now = xtime_now();
	size_t			 i;
	uint64_t		 h;

	switch (r->id) {
	case CMD_SUMMARY:
		if ((ts = tunnel_summary_parse(r->output, r->len)) == NULL)
			return;
		model_merge_summary(v, ts, 1, now);
		/* What a change of state would change, not the counters. */
		h = d->round_hash;
		for (i = 0; i < ts->ntunnels; i++) {
			h = (h ^ (uint64_t)ts->tunnels[i].selectors_up) *
			    1099511628211u;
			h = (h ^ (uint64_t)ts->tunnels[i].selectors_total) *
			    1099511628211u;
			h = (h ^ (uint64_t)ts->tunnels[i].tx_err) *
			    1099511628211u;
			h = (h ^ (uint64_t)ts->tunnels[i].rx_err) *
			    1099511628211u;
		}
		d->round_hash = h ^ ts->ntunnels;
		tunnel_summary_free(ts);
		break;
	case CMD_GATEWAYS:
	case CMD_FOCUS_GATEWAYS:
		if ((ig = ike_gateway_list_parse(r->output, r->len)) == NULL)
			return;
		model_merge_gateways(v, ig, r->id == CMD_GATEWAYS, now);
		ike_gateway_list_free(ig);
		break;
	case CMD_TUNNELS:
	case CMD_FOCUS_TUNNELS:
		if ((tl = tunnel_list_parse(r->output, r->len)) == NULL)
			return;
		model_merge_tunnels(v, tl, r->id == CMD_TUNNELS, now);
		tunnel_list_free(tl);
		break;
	}
}

static void
device_poll_done(void *arg, const struct shell_result *r)
{
	struct device_grp	*g = arg;
	struct device		*d = g->dev;

	switch (r->status) {
	case SHELL_OK:
		if (r->id != CMD_NAV)
			device_merge(d, g->vdom, r);
		break;
	case SHELL_SKIPPED:
	case SHELL_CLOSED:
		break;
	case SHELL_TIMEOUT:
		device_problem(d, "`%s' did not finish in time and was "
		    "interrupted", r->command);
		break;
	case SHELL_TOOBIG:
		device_problem(d, "`%s' printed more than fgtop keeps; its "
		    "output was dropped", r->command);
		break;
	case SHELL_FAILED:
		device_problem(d, "the device refused `%s'", r->command);
		break;
	}
}

/* The rule id of a tunnel's top finding (static), or NULL. */
static const char *
device_top_rule(const struct mtun *t)
{
	const struct dg_findings	*fs = diagnose_model_findings(t);

	return (fs != NULL && fs->n > 0 ? fs->v[0].rule->id : NULL);
}

/*
 * What a summary-only round can change for the rules: the selectors, the
 * packet and error counters, and the time (everything else comes from
 * the lists, read in full rounds).  A tunnel whose summary says the same
 * is skipped - healthy, or down with nothing moving and no verdict that
 * time alone still changes: at a thousand devices the rules would
 * otherwise cost more than the poll.  sums: no tunnel of the device
 * changed its selectors or errors this round.
 */
static int
device_worth_diagnosing(const struct mtun *t, int sums, double now)
{
	if (diagnose_model_findings(t) == NULL ||
	    (t->tools != NULL && t->tools->nlines > 0))
		return (1);
	if ((t->tx_err_delta != PNUM_UNKNOWN && t->tx_err_delta > 0) ||
	    (t->rx_err_delta != PNUM_UNKNOWN && t->rx_err_delta > 0) ||
	    t->changed_at == t->vdom->dev->last_ok)
		return (1);
	if (t->state == MTUN_UP)
		return (0);
	return (!sums || t->rx_pps > 0 || t->tx_pps > 0 ||
	    !diagnose_model_settled(t, now));
}

/*
 * One tunnel through the rules, with the IKE debug lines a debug session
 * kept for it (src/debug stores them in the model as they come): the
 * findings then name the cause the debug shows, not only the state.
 */
static void
device_diagnose_tunnel(struct mtun *t, double now)
{
	const struct mdebug_line	 *l;
	const struct ike_event		**ev;
	struct ike_debug		 *dbg;
	char				 *text = NULL;
	size_t				  len = 0, n, i;

	if (t->tools == NULL || t->tools->nlines == 0) {
		diagnose_model_tunnel(t, now, NULL, 0);
		return;
	}
	for (i = 0; (l = mtools_line(t->tools, i)) != NULL; i++) {
		n = strlen(l->text);
		text = xrealloc(text, len + n + 2);
		memcpy(text + len, l->text, n);
		len += n;
		text[len++] = '\n';
	}
	if ((dbg = ike_debug_parse(text, len)) == NULL) {
		free(text);
		diagnose_model_tunnel(t, now, NULL, 0);
		return;
	}
	ev = xcalloc(dbg->nevents + 1, sizeof *ev);
	for (i = 0; i < dbg->nevents; i++)
		ev[i] = &dbg->events[i];
	diagnose_model_tunnel(t, now, ev, dbg->nevents);
	free(ev);
	ike_debug_free(dbg);
	free(text);
}

/*
 * The rules over every tunnel of the device after a round; a change of
 * a tunnel's top finding is an event (finding-cleared, finding-raised).
 */
static void
device_diagnose(struct device *d, double now)
{
	const struct dg_findings	*fs;
	struct mvdom			*v;
	struct mtun			*t;
	const char			*before, *after;
	size_t				 i, k;
	int				 sums;

	sums = d->sched.rounds > 0 && d->round_hash == d->sum_hash;
	for (i = 0; i < d->mdev->nvdoms; i++) {
		v = d->mdev->vdoms[i];
		for (k = 0; k < v->ntunnels; k++) {
			t = v->tunnels[k];
			if (!d->full && !device_worth_diagnosing(t, sums, now))
				continue;
			if ((t->tools == NULL || t->tools->nlines == 0) &&
			    diagnose_model_current(t, now))
				continue;
			before = device_top_rule(t);
			device_diagnose_tunnel(t, now);
			after = device_top_rule(t);
			if (before == after)
				continue;
			if (before != NULL)
				model_event(d->model, now, "finding-cleared",
				    d->mdev->name, v->name, t->name, before,
				    NULL, NULL, NULL);
			if (after != NULL) {
				fs = diagnose_model_findings(t);
				model_event(d->model, now, "finding-raised",
				    d->mdev->name, v->name, t->name, after,
				    NULL, diagnose_severity_name(fs->v[0].severity),
				    fs->v[0].rule->title);
			}
		}
	}
}

static void
device_round_end(struct device *d)
{
	double		 now = xtime_now();
	uint64_t	 delay, t = uv_now(d->loop);

	if (d->round_bad) {
		/* A partial round: merged outputs stay, nothing derived. */
		model_device_state(d->mdev, MDEV_STALE, d->problem, now);
	} else {
		model_round_end(d->mdev, now,
		    (double)(uv_hrtime() - d->round_ns) / 1e6);
		device_diagnose(d, now);
		d->rounds_ok++;
		d->fails = 0;
		model_device_state(d->mdev, MDEV_UP, NULL, now);
		if (d->sched.rounds > 0 && d->round_hash != d->sum_hash)
			sched_changed(&d->sched);
		d->sum_hash = d->round_hash;
	}
	delay = sched_end(&d->sched, t);
	d->phase = PH_WAIT;
	if (d->opts.once) {
		device_finish(d);
		return;
	}
	uv_timer_start(&d->timer, device_timer_cb, delay, 0);
}

static void
device_poll_end(void *arg, int ok)
{
	struct device_grp	*g = arg;
	struct device		*d = g->dev;

	free(g->vdom);
	free(g);
	if (!ok)
		d->round_bad = 1;
	if (--d->pending == 0 && d->sh != NULL && !d->stopping)
		device_round_end(d);
}

static void
device_round(struct device *d)
{
	struct shell_group	*sg;
	struct device_grp	*g;
	const char		*why;
	char			*line;
	size_t			 i;

	d->phase = PH_ROUND;
	d->round_ns = uv_hrtime();
	d->full = sched_start(&d->sched, uv_now(d->loop));
	d->round_bad = 0;
	d->round_hash = 14695981039346656037u;
	free(d->problem);
	d->problem = NULL;
	model_round_begin(d->mdev);
	d->pending = d->nvdoms;
	for (i = 0; i < d->nvdoms; i++) {
		g = xcalloc(1, sizeof *g);
		g->dev = d;
		g->vdom = xstrdup(d->vdoms[i]);
		sg = shell_group_new(device_poll_done, device_poll_end, g);
		if (d->multi) {
			shell_group_add(sg, "config vdom", CMD_NAV, 0);
			xasprintf(&line, "edit %s", d->vdoms[i]);
			shell_group_add(sg, line, CMD_NAV, 0);
			free(line);
		}
		shell_group_add(sg, "get vpn ipsec tunnel summary",
		    CMD_SUMMARY, 0);
		if (d->full) {
			shell_group_add(sg, "diagnose vpn ike gateway list",
			    CMD_GATEWAYS, 0);
			shell_group_add(sg, "diagnose vpn tunnel list",
			    CMD_TUNNELS, 0);
		} else if (d->focus_tunnel != NULL &&
		    strcmp(d->focus_vdom, d->vdoms[i]) == 0) {
			xasprintf(&line, "diagnose vpn ike gateway list name "
			    "%s", d->focus_tunnel);
			shell_group_add(sg, line, CMD_FOCUS_GATEWAYS, 0);
			free(line);
			xasprintf(&line, "diagnose vpn tunnel list name %s",
			    d->focus_tunnel);
			shell_group_add(sg, line, CMD_FOCUS_TUNNELS, 0);
			free(line);
		}
		if (d->multi)
			shell_group_add(sg, "end", CMD_NAV, SHELL_ALWAYS);
		if (shell_submit(d->sh, sg, &why) != 0) {
			/* A name the allowlist refuses: say so, go on. */
			device_problem(d, "a poll command was refused: %s", why);
			free(g->vdom);
			free(g);
			d->round_bad = 1;
			d->pending--;
		}
	}
	if (d->pending == 0)
		device_round_end(d);
}

/* The VDOMs are known: the device is up and the first round starts. */
static void
device_setup_done(struct device *d)
{
	sched_init(&d->sched, d->target.poll_ms != 0 ? d->target.poll_ms :
	    d->opts.poll_ms, d->target.full_poll_ms != 0 ?
	    d->target.full_poll_ms : d->opts.full_ms, uv_now(d->loop),
	    sched_phase(d->target.name));
	d->sum_hash = 0;
	model_device_state(d->mdev, MDEV_UP, d->problem, xtime_now());
	device_round(d);
}

/* Keep the configured VDOMs the device has; say which it lacks. */
static void
device_choose_vdoms(struct device *d, const struct vdom_list *vl)
{
	size_t	 i, j, n = 0;
	char	*missing = NULL, *s;

	device_vdoms_free(d->vdoms);
	d->vdoms = xcalloc(vl->n + 1, sizeof *d->vdoms);
	for (i = 0; i < vl->n; i++) {
		if (d->target.vdoms != NULL) {
			for (j = 0; d->target.vdoms[j] != NULL; j++)
				if (strcmp(d->target.vdoms[j],
				    vl->names[i]) == 0)
					break;
			if (d->target.vdoms[j] == NULL)
				continue;
		}
		d->vdoms[n++] = xstrdup(vl->names[i]);
	}
	d->nvdoms = n;
	for (j = 0; d->target.vdoms != NULL && d->target.vdoms[j] != NULL;
	    j++) {
		for (i = 0; i < vl->n; i++)
			if (strcmp(d->target.vdoms[j], vl->names[i]) == 0)
				break;
		if (i < vl->n)
			continue;
		xasprintf(&s, "%s%s%s", missing != NULL ? missing : "",
		    missing != NULL ? ", " : "", d->target.vdoms[j]);
		free(missing);
		missing = s;
	}
	if (missing != NULL) {
		device_problem(d, "the device has no VDOM %s", missing);
		free(missing);
	}
}

static void
device_setup_result(void *arg, const struct shell_result *r)
{
	struct device		*d = arg;
	struct system_status	*st;
	struct vdom_list	*vl;
	const char		*mode;

	/* A status longer than fgtop keeps still starts with its fields. */
	if (r->status != SHELL_OK && !(r->status == SHELL_TOOBIG &&
	    r->id == CMD_STATUS))
		return;
	if (r->id == CMD_STATUS) {
		if ((st = system_status_parse(r->output, r->len)) == NULL)
			return;
		/* The prompt names the host when the status did not. */
		if (st->hostname == NULL)
			st->hostname = shell_hostname(d->sh);
		if (r->status == SHELL_TOOBIG)
			device_problem(d, "`get system status' printed more "
			    "than %zu MB; only its start was read",
			    SHELL_MAX_OUTPUT >> 20);
		model_device_status(d->mdev, st, xtime_now());
		mode = st->vdom_mode;
		d->multi = mode != NULL && (strcmp(mode, "enable") == 0 ||
		    strcmp(mode, "multiple") == 0 ||
		    strcmp(mode, "split-task") == 0);
		if (!d->multi) {
			device_vdoms_free(d->vdoms);
			d->vdoms = xcalloc(2, sizeof *d->vdoms);
			d->vdoms[0] = xstrdup(st->current_vdom != NULL ?
			    st->current_vdom : "root");
			d->nvdoms = 1;
		}
		system_status_free(st);
	} else if (r->id == CMD_VDLIST) {
		if ((vl = vdom_list_parse(r->output, r->len)) == NULL)
			return;
		device_choose_vdoms(d, vl);
		vdom_list_free(vl);
	}
}

static void
device_vdlist_end(void *arg, int ok)
{
	struct device	*d = arg;

	if (d->sh == NULL || d->stopping)
		return;
	if (!ok || d->nvdoms == 0) {
		device_lost(d, CONN_E_PROTOCOL, d->problem != NULL ?
		    d->problem : "the device did not list its VDOMs "
		    "(diagnose sys vd list)");
		return;
	}
	/* From now on `edit` may only name what the device listed. */
	shell_set_vdoms(d->sh, d->vdoms);
	device_setup_done(d);
}

static void
device_status_end(void *arg, int ok)
{
	struct device		*d = arg;
	struct shell_group	*sg;
	const char		*why;

	if (d->sh == NULL || d->stopping)
		return;
	if (d->mdev->hostname == NULL) {
		device_lost(d, CONN_E_PROTOCOL, "the device did not answer "
		    "`get system status'");
		return;
	}
	if (!d->multi) {
		device_setup_done(d);
		return;
	}
	d->nvdoms = 0;
	sg = shell_group_new(device_setup_result, device_vdlist_end, d);
	shell_group_add(sg, "config global", CMD_NAV, 0);
	shell_group_add(sg, "diagnose sys vd list", CMD_VDLIST, 0);
	shell_group_add(sg, "end", CMD_NAV, SHELL_ALWAYS);
	if (shell_submit(d->sh, sg, &why) != 0)
		device_lost(d, CONN_E_PROTOCOL, why);
}

static void
device_shell_ready(struct shell *sh, void *arg)
{
	struct device		*d = arg;
	struct shell_group	*sg;
	const char		*why;

	d->phase = PH_SETUP;
	sg = shell_group_new(device_setup_result, device_status_end, d);
	shell_group_add(sg, "get system status", CMD_STATUS, 0);
	if (shell_submit(sh, sg, &why) != 0)
		device_lost(d, CONN_E_PROTOCOL, why);
}

static void
device_connect(struct device *d)
{
	static const struct shell_cb	 cb = {
		device_shell_ready, device_shell_closed
	};
	struct conn_opts		 co;
	struct shell_opts		 so;

	device_session_opts(d, &co, &so);
	d->phase = PH_LOGIN;
	model_device_state(d->mdev, MDEV_CONNECTING, NULL, xtime_now());
	d->sh = shell_new(d->loop, &co, &so, &cb, d);
}

void
device_session_opts(const struct device *d, struct conn_opts *cop,
    struct shell_opts *sop)
{
	struct conn_opts	 co;
	struct shell_opts	 so;

	memset(&co, 0, sizeof co);
	co.dest = d->target.address != NULL ? d->target.address :
	    d->target.name;
	co.user = d->target.user;
	co.port = d->target.port;
	co.ssh_config = d->opts.ssh_config;
	co.known_hosts = d->opts.known_hosts;
	co.identity = d->target.identity;
	co.password = d->target.password;
	co.token = d->target.token;
	co.accept_new = d->opts.accept_new;
	co.no_agent = d->opts.no_agent;
	co.timeout_ms = d->opts.timeout_ms;
	memset(&so, 0, sizeof so);
	so.disclaimer_accept = d->target.disclaimer_accept;
	so.cmd_timeout_ms = d->opts.cmd_timeout_ms;
	*cop = co;
	*sop = so;
}

int
device_multi_vdom(const struct device *d)
{
	return (d->multi);
}

struct device *
device_new(uv_loop_t *loop, struct model *m, const struct cfg_target *t,
    const struct device_opts *o, void (*done)(struct device *, void *),
    void *arg)
{
	struct device	*d;

	d = xcalloc(1, sizeof *d);
	d->loop = loop;
	d->model = m;
	d->opts = *o;
	device_target_copy(&d->target, t);
	d->done = done;
	d->arg = arg;
	d->mdev = model_add_device(m, t->name, t->address != NULL ?
	    t->address : t->name, t->port);
	uv_timer_init(loop, &d->timer);
	d->timer.data = d;
	return (d);
}

void
device_start(struct device *d)
{
	device_connect(d);
}

int
device_ok(const struct device *d)
{
	return (d->rounds_ok > 0);
}

int
device_starting(const struct device *d)
{
	return (d->phase == PH_LOGIN || d->phase == PH_SETUP ||
	    (d->phase == PH_ROUND && d->sched.rounds == 0));
}

struct mdev *
device_mdev(const struct device *d)
{
	return (d->mdev);
}

const struct sched *
device_sched(const struct device *d)
{
	return (&d->sched);
}

void
device_focus(struct device *d, const char *vdom, const char *tunnel)
{
	free(d->focus_vdom);
	free(d->focus_tunnel);
	d->focus_vdom = device_strdup(vdom != NULL ? vdom : "root");
	d->focus_tunnel = device_strdup(tunnel);
}
