/* SPDX-License-Identifier: ISC */
/*
 * diagnose - evaluate the rules of diagnose_rules.c for one tunnel; see
 * the header.
 *
 * The IKE debug lines of the peer are read first, oldest to newest: a
 * failure line opens (or adds to) a candidate for its rule, a success
 * marker clears the candidates of its phase that came before it, and the
 * several-line signatures (mode mismatch, DH group, fragmentation,
 * dial-up wrong gateway, network-id, unanswered DPD) are decided over
 * what is left.  The first surviving failure is the cause; every later
 * one is marked as its consequence.  The state rules come next: a state
 * finding that a cause already explains (connecting because of a PSK
 * mismatch, selectors down because phase 1 is down) is kept as a
 * consequence, so the cause always sorts first.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diagnose.h"
#include "ike_debug.h"
#include "json.h"
#include "xmalloc.h"

/* Debug lines quoted as evidence per finding. */
#define DG_MAXEV	4
/* Connecting longer than this is phase 1 down, not a negotiation. */
#define DG_CONNECTING_S	30
/* sa=2 longer than this is a stuck rekey. */
#define DG_SA2_S	30
/* A packet delta this small is noise (a probe, a keepalive). */
#define DG_MINPKTS	3
/* An IKE message over this many bytes is fragmented on most paths. */
#define DG_FRAGLEN	1400

void
dg_tunnel_init(struct dg_tunnel *t)
{
	memset(t, 0, sizeof(*t));
	t->fos_major = t->fos_minor = t->fos_patch = -1;
	t->sel_total = t->sel_up = PNUM_UNKNOWN;
	t->rx_pkt = t->rx_err = t->tx_pkt = t->tx_err = PNUM_UNKNOWN;
	t->rx_delta = t->tx_delta = t->tx_err_delta = PNUM_UNKNOWN;
	t->p1_for_s = PNUM_UNKNOWN;
	t->ike_created = t->ike_established = PNUM_UNKNOWN;
	t->dpd_sent = t->dpd_recv = PNUM_UNKNOWN;
	t->dpd_sent_prev = t->dpd_recv_prev = PNUM_UNKNOWN;
	t->dpd_count = t->p1_restarts_1h = PNUM_UNKNOWN;
	t->flaps_1h = t->flap_threshold = PNUM_UNKNOWN;
	t->nat_me = t->nat_peer = -1;
	t->network_id = PNUM_UNKNOWN;
	t->route_peer = t->route_remote = t->trace_reached = -1;
	t->sniff_out = t->sniff_in = PNUM_UNKNOWN;
}

void
dg_findings_init(struct dg_findings *fs)
{
	memset(fs, 0, sizeof(*fs));
}

static void
dg_finding_free(struct dg_finding *f)
{
	size_t	i, k;

	free(f->device);
	free(f->vdom);
	free(f->tunnel);
	free(f->peer);
	free(f->fix);
	for (i = 0; i < f->nevidence; i++)
		free(f->evidence[i]);
	free(f->evidence);
	for (i = 0; i < f->nnext; i++) {
		for (k = 0; k < f->next[i].ncommands; k++)
			free(f->next[i].commands[k]);
		free(f->next[i].commands);
	}
}

void
dg_findings_free(struct dg_findings *fs)
{
	size_t	i;

	for (i = 0; i < fs->n; i++)
		dg_finding_free(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* ---- placeholders -------------------------------------------------- */

static const char *
dg_or(const char *s, const char *unknown)
{
	return (s != NULL && *s != '\0' ? s : unknown);
}

/* The first selector without an SA, for `tunnel up`. */
static const char *
dg_p2_name(const struct dg_tunnel *t)
{
	size_t	i;

	for (i = 0; i < t->np2; i++) {
		if (t->p2[i].sa == 0 && t->p2[i].name != NULL)
			return (t->p2[i].name);
	}
	return (t->np2 > 0 && t->p2[0].name != NULL ? t->p2[0].name :
	    "<phase2>");
}

static const char *
dg_placeholder(const struct dg_tunnel *t, const char *name, size_t n)
{
	static const struct {
		const char	*name;
		int		 which;
	} ph[] = { { "peer", 0 }, { "local", 1 }, { "p1", 2 }, { "p2", 3 },
	    { "remote", 4 }, { "iface", 5 } };
	size_t	i;

	for (i = 0; i < sizeof(ph) / sizeof(ph[0]); i++) {
		if (strlen(ph[i].name) != n || memcmp(ph[i].name, name, n) != 0)
			continue;
		switch (ph[i].which) {
		case 0:
			return (dg_or(t->peer, "<peer-ip>"));
		case 1:
			return (dg_or(t->local, "<local-wan-ip>"));
		case 2:
			return (dg_or(t->parent != NULL ? t->parent : t->name,
			    "<phase1>"));
		case 3:
			return (dg_p2_name(t));
		case 4:
			return (dg_or(t->remote_host, "<remote-host>"));
		default:
			return (dg_or(t->interface, "<phase1-interface>"));
		}
	}
	return (NULL);
}

/* tpl with its {placeholders} filled; the caller frees. */
static char *
dg_expand(const struct dg_tunnel *t, const char *tpl, size_t n)
{
	const char	*p, *e, *v;
	char		*out;
	size_t		 len = 0, cap = n + 64, vn;

	out = xmalloc(cap);
	for (p = tpl; p < tpl + n; p++) {
		v = NULL;
		if (*p == '{' && (e = memchr(p, '}', tpl + n - p)) != NULL)
			v = dg_placeholder(t, p + 1, e - p - 1);
		if (v == NULL) {
			v = p;
			vn = 1;
			e = p;
		} else
			vn = strlen(v);
		if (len + vn + 1 > cap) {
			cap = (len + vn + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, v, vn);
		len += vn;
		p = e;
	}
	out[len] = '\0';
	return (out);
}

static void
dg_next_add(struct dg_next *nx, char *cmd)
{
	nx->commands = xreallocarray(nx->commands, nx->ncommands + 1,
	    sizeof(*nx->commands));
	nx->commands[nx->ncommands++] = cmd;
}

static void
dg_next_addc(const struct dg_tunnel *t, struct dg_next *nx, const char *c)
{
	dg_next_add(nx, dg_expand(t, c, strlen(c)));
}

/*
 * The IKE debug start for this peer: the log filter changed its syntax
 * in 7.4.1 (7.4.0 varies), so an unknown version gets both forms.
 */
static void
dg_next_debug(const struct dg_tunnel *t, struct dg_next *nx)
{
	int	newer = -1;	/* 1: 7.4.1+, 0: 7.2 and older, -1: both */
	int	ma = t->fos_major, mi = t->fos_minor, pa = t->fos_patch;

	if (ma >= 0 && mi >= 0) {
		if (ma < 7 || (ma == 7 && mi <= 2))
			newer = 0;
		else if (ma > 7 || (ma == 7 && mi > 4) ||
		    (ma == 7 && mi == 4 && pa >= 1))
			newer = 1;
	}
	dg_next_addc(t, nx, "diagnose debug reset");
	if (newer != 0) {
		if (newer < 0)
			dg_next_addc(t, nx, "# FortiOS 7.4.1 and later:");
		dg_next_addc(t, nx, "diagnose vpn ike log filter clear");
		dg_next_addc(t, nx, t->peer != NULL ?
		    "diagnose vpn ike log filter rem-addr4 {peer}" :
		    "diagnose vpn ike log filter name {p1}");
	}
	if (newer != 1) {
		if (newer < 0)
			dg_next_addc(t, nx, "# FortiOS 7.2 and earlier:");
		dg_next_addc(t, nx, "diagnose vpn ike log-filter clear");
		dg_next_addc(t, nx, t->peer != NULL ?
		    "diagnose vpn ike log-filter dst-addr4 {peer}" :
		    "diagnose vpn ike log-filter name {p1}");
	}
	dg_next_addc(t, nx, "diagnose debug console timestamp enable");
	dg_next_addc(t, nx, "diagnose debug application ike -1");
	dg_next_addc(t, nx, "diagnose debug enable");
}

static void
dg_next_fill(const struct dg_tunnel *t, struct dg_finding *f)
{
	const struct dg_next_tpl	*tp;
	struct dg_next			*nx;
	const char			*c, *e;
	size_t				 i;

	for (i = 0; i < DG_MAXNEXT; i++) {
		tp = &f->rule->next[i];
		if (tp->commands == NULL)
			break;
		nx = &f->next[f->nnext++];
		nx->action = tp->action;
		if (strcmp(tp->commands, "{debug}") == 0) {
			dg_next_debug(t, nx);
			continue;
		}
		if (strcmp(tp->commands, "{sniff}") == 0) {
			dg_next_addc(t, nx, "diagnose sniffer packet any 'host "
			    "{peer} and (udp port 500 or udp port 4500)' 4 0 l");
			continue;
		}
		for (c = tp->commands; *c != '\0'; c = *e ? e + 1 : e) {
			if ((e = strchr(c, '\n')) == NULL)
				e = c + strlen(c);
			dg_next_add(nx, dg_expand(t, c, e - c));
		}
	}
}

/* ---- findings ------------------------------------------------------ */

static struct dg_finding *
dg_add(struct dg_findings *out, const struct dg_tunnel *t, const char *id,
    int consequence)
{
	struct dg_finding	*f;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	if ((f->rule = diagnose_rule(id)) == NULL) {
		/* A rule id missing from the table is a programming error. */
		fprintf(stderr, "fgtop: diagnose: no rule %s\n", id);
		abort();
	}
	f->severity = f->rule->severity;
	f->consequence = consequence;
	f->device = t->device ? xstrdup(t->device) : NULL;
	f->vdom = t->vdom ? xstrdup(t->vdom) : NULL;
	f->tunnel = t->name ? xstrdup(t->name) : NULL;
	f->peer = t->peer ? xstrdup(t->peer) : NULL;
	f->fix = f->rule->fix ? dg_expand(t, f->rule->fix,
	    strlen(f->rule->fix)) : NULL;
	f->time_us = PNUM_UNKNOWN;
	dg_next_fill(t, f);
	return (f);
}

static void __attribute__((format(printf, 2, 3)))
dg_ev(struct dg_finding *f, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "fgtop: out of memory\n");
		abort();
	}
	va_end(ap);
	f->evidence = xreallocarray(f->evidence, f->nevidence + 1,
	    sizeof(*f->evidence));
	f->evidence[f->nevidence++] = s;
}

/* A debug line as evidence: its number, its time, its text. */
static void
dg_ev_line(struct dg_finding *f, const struct ike_event *e)
{
	if (f->line == 0 || e->line < f->line) {
		f->line = e->line;
		f->time_us = e->time_us;
	}
	if (e->time != NULL)
		dg_ev(f, "debug line %zu, %s: %s", e->line, e->time,
		    e->text ? e->text : "");
	else
		dg_ev(f, "debug line %zu: %s", e->line, e->text ? e->text : "");
}

static int
dg_is(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
dg_has(const struct ike_event *e, const char *s)
{
	return (e->text != NULL && strstr(e->text, s) != NULL);
}

/* ---- IKE debug ----------------------------------------------------- */

/* One rule's failure lines since the last success that cleared it. */
struct dg_cand {
	const struct dg_rule *rule;
	int		 active;
	int		 consequence;
	size_t		 first;		/* index into dbg */
	int		 strong;	/* a line that is not a reaction */
	size_t		 first_strong;
	size_t		 n;
	size_t		 ev[DG_MAXEV];
	size_t		 nev;
};

struct dg_dbg {
	const struct dg_tunnel *t;
	struct dg_cand	*c;		/* one per rule of the table */
	size_t		 last;		/* latest failure candidate, or -1 */
	int		 answered;	/* the peer sent us something */
	size_t		 nsent;		/* our `sent IKE msg` lines */
	int		 timeout;	/* `negotiation timeout` seen */
	size_t		 dpd_unacked;	/* probes since the last ACK */
	size_t		 dpd_ev[DG_MAXEV];
	size_t		 ndpd_ev;
	size_t		 dh_queued;	/* DH computations queued */
	size_t		 dh_ev;
	int		 aggressive;
	int		 exch_version;	/* of the peer's exchange lines */
	size_t		 exch_ev;
	const char	*matched;	/* gateway of `matched gateway X` */
	size_t		 matched_ev;
	pnum		 netid;
	size_t		 netid_ev;
	pnum		 auth_len;	/* largest retransmitted AUTH */
	size_t		 pfs_ev;	/* `PFS is disabled` in a proposal */
	int		 pfs_seen;
	int		 nat_found;	/* `NAT detected: ...`, `detected NAT` */
	size_t		 nat_found_ev;
	size_t		 init_resp;	/* our SA_INIT_RESPONSE, or -1 */
	int		 auth_after;	/* the peer's AUTH came after it */
	size_t		 agg_r1;	/* our aggressive-mode reply, or -1 */
	size_t		 info_after_r1;	/* the peer's Informational after it */
	size_t		 eap_req;	/* our EAP identity request, or -1 */
	int		 eap_answered;	/* the peer sent anything after it */
	size_t		 nat_ev;
	int		 nat_seen;
	int		 root_phase;	/* phase of the cause, 0 none */
	size_t		 root;		/* its rule index, or -1 */
};

static size_t
dg_rule_index(const struct dg_rule *r)
{
	return ((size_t)(r - dg_rules));
}

static struct dg_cand *
dg_cand(struct dg_dbg *d, const char *id)
{
	const struct dg_rule	*r = diagnose_rule(id);

	return (r != NULL ? &d->c[dg_rule_index(r)] : NULL);
}

static void
dg_cand_line(struct dg_dbg *d, struct dg_cand *c, size_t i)
{
	if (!c->active) {
		c->active = 1;
		c->first = i;
		c->n = 0;
		c->nev = 0;
		c->strong = 0;
	}
	/* A consequence or an answer to the peer is not where it began. */
	if (!c->strong && d->t->dbg[i]->reaction == IKE_RE_NONE) {
		c->strong = 1;
		c->first_strong = i;
	}
	c->n++;
	if (c->nev < DG_MAXEV - 1)
		c->ev[c->nev++] = i;
	d->last = dg_rule_index(c->rule);
}

/* A success marker clears what came before it in its phase. */
static void
dg_success(struct dg_dbg *d, const struct ike_event *e)
{
	int	p2 = dg_is(e->rule, "INFO-P2-UP");
	int	xauth = e->topic == IKE_T_AUTH;	/* XAUTH/EAP succeeded */
	size_t	i;

	for (i = 0; i < dg_nrules; i++) {
		if (!d->c[i].active)
			continue;
		/* A new phase 1 says nothing about the user's password. */
		if (!p2 && (dg_rules[i].phase != 1 ||
		    (dg_is(dg_rules[i].id, "P1-XAUTH") && !xauth)))
			continue;
		d->c[i].active = 0;
	}
	d->last = (size_t)-1;
	d->timeout = 0;
	d->dpd_unacked = 0;
	d->ndpd_ev = 0;
	d->dh_queued = 0;
}

static pnum
dg_num_after(const char *s, const char *key)
{
	const char	*p;
	pnum		 v = 0;

	if (s == NULL || (p = strstr(s, key)) == NULL)
		return (PNUM_UNKNOWN);
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return (PNUM_UNKNOWN);
	while (*p >= '0' && *p <= '9' && v < INT64_MAX / 10)
		v = v * 10 + (*p++ - '0');
	return (v);
}

/* Who spoke when: the peer's exchanges, our replies, its silences. */
static void
dg_ctx_flow(struct dg_dbg *d, const struct ike_event *e, size_t i)
{
	if (dg_has(e, "comes ") && e->text[0] == 'c')
		d->answered = 1;
	if (dg_has(e, "sent IKE msg"))
		d->nsent++;
	if (dg_has(e, "negotiation timeout"))
		d->timeout = 1;
	if (dg_has(e, "IKEv1 exchange=") || dg_has(e, "IKEv2 exchange=")) {
		/* Our own exchanges show as `sent`; these are the peer's. */
		d->exch_version = dg_has(e, "IKEv1 ") ? 1 : 2;
		d->exch_ev = i;
		if (dg_has(e, "exchange=Aggressive"))
			d->aggressive = 1;
	}
	if (dg_has(e, "aggressive mode"))
		d->aggressive = 1;
	if (!d->nat_found && (dg_has(e, "NAT detected:") ||
	    dg_has(e, "detected NAT"))) {
		d->nat_found = 1;
		d->nat_found_ev = i;
	}
	if (dg_has(e, "sent IKE msg (SA_INIT_RESPONSE)")) {
		d->init_resp = i;
		d->auth_after = 0;
	}
	if (dg_has(e, "exchange=AUTH"))
		d->auth_after = 1;
	if (dg_has(e, "sent IKE msg (agg_r1send)")) {
		d->agg_r1 = i;
		d->info_after_r1 = (size_t)-1;
	}
	if (d->agg_r1 != (size_t)-1 && d->info_after_r1 == (size_t)-1 &&
	    dg_has(e, "IKEv1 exchange=Informational"))
		d->info_after_r1 = i;
	if (dg_has(e, "preparing EAP identity request")) {
		d->eap_req = i;
		d->eap_answered = 0;
	}
	if (d->eap_req != (size_t)-1 && e->text != NULL &&
	    strncmp(e->text, "comes ", 6) == 0)
		d->eap_answered = 1;
}

/* Details several-line signatures need: DH, gateway, network-id, DPD. */
static void
dg_ctx_marks(struct dg_dbg *d, const struct ike_event *e, size_t i)
{
	pnum	v;

	if (dg_has(e, "compute DH shared secret request queued")) {
		if (d->dh_queued++ == 0)
			d->dh_ev = i;
	}
	if (dg_has(e, "matched gateway ") && e->gateway != NULL) {
		d->matched = e->gateway;
		d->matched_ev = i;
	}
	if ((v = dg_num_after(e->text, "NETWORK ID :")) != PNUM_UNKNOWN) {
		d->netid = v;
		d->netid_ev = i;
	}
	if (dg_has(e, "PFS is disabled") && !d->pfs_seen) {
		d->pfs_seen = 1;
		d->pfs_ev = i;
	}
	if (dg_has(e, "RETRANSMIT_AUTH") || dg_has(e, "P1_RETRANSMIT")) {
		v = dg_num_after(e->text, "len=");
		if (v != PNUM_UNKNOWN && (d->auth_len == PNUM_UNKNOWN ||
		    v > d->auth_len))
			d->auth_len = v;
	}
	if (dg_is(e->rule, "INFO-NAT") && (dg_has(e, "NAT detected:") ||
	    dg_has(e, "float port"))) {
		if (!d->nat_seen)
			d->nat_ev = i;
		d->nat_seen = 1;
	}
	/*
	 * Our probes and the peer's ACKs only: a probe the peer sends us
	 * (`notify msg received: R-U-THERE`) and our ACK to it say nothing
	 * about whether the peer answers.
	 */
	if (e->topic == IKE_T_DPD && e->cls == IKE_C_INFO) {
		if (dg_has(e, "R-U-THERE-ACK") && !dg_has(e, "sent IKE msg"))
			d->dpd_unacked = d->ndpd_ev = 0;
		else if (dg_has(e, "sent IKE msg (R-U-THERE)") ||
		    dg_has(e, "DPD probe")) {
			d->dpd_unacked++;
			if (d->ndpd_ev < DG_MAXEV)
				d->dpd_ev[d->ndpd_ev++] = i;
		}
	}}

/* What a line tells beyond its rule. */
static void
dg_context(struct dg_dbg *d, const struct ike_event *e, size_t i)
{
	dg_ctx_flow(d, e, i);
	dg_ctx_marks(d, e, i);
}

static void
dg_walk(struct dg_dbg *d)
{
	const struct dg_tunnel	*t = d->t;
	const struct ike_event	*e;
	const struct dg_rule	*r;
	struct dg_cand		*c;
	size_t			 i;

	for (i = 0; i < t->ndbg; i++) {
		e = t->dbg[i];
		dg_context(d, e, i);
		if (e->cls == IKE_C_SUCCESS) {
			dg_success(d, e);
			continue;
		}
		r = diagnose_rule(e->rule);
		if (e->cls == IKE_C_FAILURE && r == NULL) {
			/* `Negotiate SA Error`: evidence for the failure. */
			if (d->last != (size_t)-1 &&
			    d->c[d->last].nev < DG_MAXEV)
				d->c[d->last].ev[d->c[d->last].nev++] = i;
			continue;
		}
		if (r == NULL)
			continue;
		c = &d->c[dg_rule_index(r)];
		if (e->cls == IKE_C_FAILURE ||
		    dg_is(r->id, "IKE-STALE-SPI") ||
		    dg_is(r->id, "P2-TS-NARROWED"))
			dg_cand_line(d, c, i);
	}
}

/* Move a candidate's place to another rule: it becomes the cause. */
static void
dg_replace(struct dg_dbg *d, const char *id, struct dg_cand *was,
    size_t ev1, size_t ev2)
{
	struct dg_cand	*c = dg_cand(d, id);

	c->active = 1;
	c->first = was->first;
	c->strong = was->strong;
	c->first_strong = was->first_strong;
	c->n = 1;
	c->nev = 0;
	if (ev1 != (size_t)-1)
		c->ev[c->nev++] = ev1;
	if (ev2 != (size_t)-1 && ev2 != ev1)
		c->ev[c->nev++] = ev2;
	if (c->nev < DG_MAXEV)
		c->ev[c->nev++] = was->strong ? was->first_strong : was->first;
	was->consequence = 1;
}

/* The first active phase-1 failure among ids, or NULL. */
static struct dg_cand *
dg_first_of(struct dg_dbg *d, const char *const *ids)
{
	struct dg_cand	*c, *best = NULL;
	size_t		 i;

	for (i = 0; ids[i] != NULL; i++) {
		c = dg_cand(d, ids[i]);
		if (c != NULL && c->active && !c->consequence &&
		    (best == NULL || c->first < best->first))
			best = c;
	}
	return (best);
}

/* A dial-up instance NAME_N belongs to NAME. */
static int
dg_same_gateway(const struct dg_tunnel *t, const char *gw)
{
	size_t	n;

	if (dg_is(gw, t->name) || dg_is(gw, t->parent))
		return (1);
	n = strlen(gw);
	return (t->name != NULL && strncmp(t->name, gw, n) == 0 &&
	    t->name[n] == '_');
}

/* Phase-1 failures a several-line signature can explain. */
static const char *const dg_p1fail[] = { "P1-NO-PROPOSAL", "P1-PEERID",
    "P1-PSK-V1", "P1-PSK-V2", "P1-RETRANSMIT-TIMEOUT", NULL };

/* A candidate made of several lines of context, not of failure lines. */
static void
dg_cand_set(struct dg_dbg *d, const char *id, size_t first, size_t n,
    const size_t *ev, size_t nev)
{
	struct dg_cand	*c = dg_cand(d, id);
	size_t		 i;

	c->active = 1;
	c->strong = 1;
	c->first = c->first_strong = first;
	c->n = n;
	c->nev = 0;
	for (i = 0; i < nev && c->nev < DG_MAXEV; i++)
		c->ev[c->nev++] = ev[i];
}

/* Lost packets are not failures; unanswered DPD probes and DH loops are. */
static void
dg_sig_counts(struct dg_dbg *d)
{
	static const char *const retrans[] = { "P1-RETRANSMIT-TIMEOUT",
	    "P1-NATT-4500-BLOCKED", "P2-REKEY-FAIL", NULL };
	struct dg_cand	*c;
	size_t		 i;

	/* One retransmit is a lost packet; a failure needs two or a timeout. */
	for (i = 0; retrans[i] != NULL; i++) {
		c = dg_cand(d, retrans[i]);
		if (c->active && c->n < 2 && !d->timeout)
			c->active = 0;
	}
	if (d->dpd_unacked >= 2)
		dg_cand_set(d, "DPD-V1-FAIL", d->dpd_ev[0], d->dpd_unacked,
		    d->dpd_ev, d->ndpd_ev);
	if (d->aggressive && d->dh_queued >= 3)
		dg_cand_set(d, "P1-DH-GROUP", d->dh_ev, d->dh_queued,
		    &d->dh_ev, 1);
}

/* Who the peer is or speaks: wrong dial-up gateway, network-id, mode. */
static void
dg_sig_identity(struct dg_dbg *d)
{
	static const char *const auth[] = { "P1-PSK-V1", "P1-PSK-V2",
	    "P1-PEERID", NULL };
	const struct dg_tunnel	*t = d->t;
	struct dg_cand		*c;

	if (d->matched != NULL && t->name != NULL &&
	    !dg_same_gateway(t, d->matched) &&
	    (c = dg_first_of(d, auth)) != NULL && c->first > d->matched_ev)
		dg_replace(d, "P1-DIALUP-WRONG-GW", c, d->matched_ev,
		    (size_t)-1);
	if (t->network_id != PNUM_UNKNOWN && d->netid != PNUM_UNKNOWN &&
	    d->netid != t->network_id &&
	    (c = dg_first_of(d, dg_p1fail)) != NULL)
		dg_replace(d, "P1-NETWORK-ID", c, d->netid_ev, (size_t)-1);
	if (d->exch_version != 0 && ((t->ike_version != 0 &&
	    d->exch_version != t->ike_version) || (d->exch_version == 1 &&
	    t->p1_mode != NULL && (d->aggressive !=
	    (strcmp(t->p1_mode, "aggressive") == 0)))) &&
	    (c = dg_first_of(d, dg_p1fail)) != NULL)
		dg_replace(d, "P1-MODE-MISMATCH", c, d->exch_ev, (size_t)-1);
}

/*
 * What a negotiation that timed out was waiting for, from the side that
 * only saw silence: the AUTH on 4500, the client's verdict on our PSK.
 */
static void
dg_sig_silence(struct dg_dbg *d)
{
	static const char *const unanswered[] = { "P1-RETRANSMIT-TIMEOUT",
	    "P1-NATT-4500-BLOCKED", NULL };
	struct dg_cand	*c = dg_cand(d, "P1-RETRANSMIT-TIMEOUT");
	int		 only = c->active && !c->consequence &&
			    dg_first_of(d, dg_p1fail) == c;

	/* Responder: NAT found, SA_INIT answered, the AUTH never comes. */
	if (only && d->timeout && d->nat_found &&
	    d->init_resp != (size_t)-1 && !d->auth_after)
		dg_replace(d, "P1-NATT-4500-BLOCKED", c, d->nat_found_ev,
		    d->init_resp);
	/*
	 * IKEv1 aggressive responder: the peer answers our reply (which
	 * carries our PSK-based hash) with an Informational notice instead
	 * of its third message, and keeps re-sending its first: it could
	 * not verify our hash, a pre-shared key mismatch.
	 */
	else if (only && d->agg_r1 != (size_t)-1 &&
	    d->info_after_r1 != (size_t)-1)
		dg_replace(d, "P1-PSK-V1", c, d->agg_r1, d->info_after_r1);
	/*
	 * IKEv2 with EAP: our AUTH reply (PSK-signed) carries the EAP
	 * identity request; a client that says nothing more until the
	 * timeout rejected it, in practice a pre-shared key mismatch.
	 */
	else if (only && d->timeout && d->eap_req != (size_t)-1 &&
	    !d->eap_answered)
		dg_replace(d, "P1-PSK-V2", c, d->eap_req, (size_t)-1);
	/* The first exchange was answered, the big AUTH never is. */
	if (d->answered && d->auth_len != PNUM_UNKNOWN &&
	    d->auth_len > DG_FRAGLEN && (c = dg_first_of(d, unanswered)) != NULL)
		dg_replace(d, "P1-IKE-FRAG", c, (size_t)-1, (size_t)-1);
}

/* Several-line signatures over what the walk left. */
static void
dg_signatures(struct dg_dbg *d)
{
	dg_sig_counts(d);
	dg_sig_identity(d);
	dg_sig_silence(d);
}

/* Never the cause: they follow from another failure or only inform. */
static int
dg_never_root(const struct dg_rule *r)
{
	return (r->severity <= DG_WARNING);
}

/* Where a candidate began: its first line that is not a reaction. */
static size_t
dg_began(const struct dg_cand *c)
{
	return (c->strong ? c->first_strong : c->first);
}

/*
 * The cause: the first failure that is not a reaction; only when every
 * failure is one (a capture that starts late), the first of them.
 */
static void
dg_pick_root(struct dg_dbg *d)
{
	const struct dg_cand	*c, *r;
	size_t			 i;

	d->root = (size_t)-1;
	for (i = 0; i < dg_nrules; i++) {
		c = &d->c[i];
		if (!c->active || c->consequence ||
		    dg_never_root(&dg_rules[i]))
			continue;
		r = d->root == (size_t)-1 ? NULL : &d->c[d->root];
		if (r == NULL || (c->strong && !r->strong) ||
		    (c->strong == r->strong && dg_began(c) < dg_began(r)))
			d->root = i;
	}
	if (d->root != (size_t)-1)
		d->root_phase = dg_rules[d->root].phase ? dg_rules[d->root].phase
		    : 1;
}

static void
dg_emit(struct dg_dbg *d, struct dg_findings *out, size_t i)
{
	const struct dg_tunnel	*t = d->t;
	struct dg_cand		*c = &d->c[i];
	struct dg_finding	*f;
	size_t			 k;

	f = dg_add(out, t, dg_rules[i].id, i != d->root);
	f->line = t->dbg[c->first]->line;
	f->time_us = t->dbg[c->first]->time_us;
	for (k = 0; k < c->nev; k++)
		dg_ev_line(f, t->dbg[c->ev[k]]);
	if (c->n > c->nev)
		dg_ev(f, "%zu such lines in all", c->n);
	/* One side offers no PFS group: the usual phase-2 mismatch. */
	if (d->pfs_seen && dg_is(dg_rules[i].id, "P2-PROPOSAL-PFS"))
		dg_ev_line(f, t->dbg[d->pfs_ev]);
}

/* Returns the phase of the cause found in the debug, 0 for none. */
static int
dg_debug(const struct dg_tunnel *t, struct dg_findings *out, int *answered,
    size_t *nsent, size_t *root_rule)
{
	struct dg_dbg		 d;
	struct dg_finding	*f;
	size_t			 i;

	/* No line, no candidate: the usual case, and the cheap one. */
	*answered = 0;
	*nsent = 0;
	*root_rule = (size_t)-1;
	if (t->ndbg == 0)
		return (0);
	memset(&d, 0, sizeof(d));
	d.t = t;
	d.c = xcalloc(dg_nrules, sizeof(*d.c));
	for (i = 0; i < dg_nrules; i++)
		d.c[i].rule = &dg_rules[i];
	d.last = (size_t)-1;
	d.netid = PNUM_UNKNOWN;
	d.auth_len = PNUM_UNKNOWN;
	d.init_resp = (size_t)-1;
	d.eap_req = (size_t)-1;
	d.agg_r1 = (size_t)-1;
	d.info_after_r1 = (size_t)-1;
	dg_walk(&d);
	dg_signatures(&d);
	dg_pick_root(&d);
	/* The silent peer is a state rule: the caller decides. */
	if (d.root != (size_t)-1)
		dg_emit(&d, out, d.root);
	for (i = 0; i < dg_nrules; i++) {
		/* After a certificate failure `authentication failed` is it. */
		if (d.c[i].active && i != d.root && !(d.root != (size_t)-1 &&
		    dg_is(dg_rules[d.root].id, "P1-CERT") &&
		    dg_is(dg_rules[i].id, "P1-PSK-V2")))
			dg_emit(&d, out, i);
	}
	if (d.root != (size_t)-1 && d.nat_seen &&
	    (dg_is(dg_rules[d.root].id, "P1-NATT-4500-BLOCKED") ||
	    dg_is(dg_rules[d.root].id, "P1-IKE-FRAG"))) {
		f = dg_add(out, t, "INFO-NAT", 1);
		dg_ev_line(f, t->dbg[d.nat_ev]);
	}
	*answered = d.answered;
	*nsent = d.nsent;
	*root_rule = d.root;
	free(d.c);
	return (d.root_phase);
}

/* ---- state --------------------------------------------------------- */

static int
dg_known(pnum v)
{
	return (v != PNUM_UNKNOWN);
}

static void
dg_ev_summary(struct dg_finding *f, const struct dg_tunnel *t)
{
	if (dg_known(t->sel_total) && dg_known(t->sel_up))
		dg_ev(f, "summary: selectors(total,up): %lld/%lld",
		    (long long)t->sel_total, (long long)t->sel_up);
}

static void
dg_ev_p1(struct dg_finding *f, const struct dg_tunnel *t)
{
	if (t->p1_status != NULL && dg_known(t->p1_for_s) &&
	    strcmp(t->p1_status, "connecting") == 0)
		dg_ev(f, "gateway list: status: connecting, started %llds ago",
		    (long long)t->p1_for_s);
	else if (t->p1_status != NULL && dg_known(t->p1_for_s))
		dg_ev(f, "gateway list: status: %s %llds ago", t->p1_status,
		    (long long)t->p1_for_s);
	else if (t->p1_status != NULL)
		dg_ev(f, "gateway list: status: %s", t->p1_status);
	if (dg_known(t->ike_created))
		dg_ev(f, "gateway list: IKE SA: created %lld, established %lld",
		    (long long)t->ike_created, (long long)(dg_known(
		    t->ike_established) ? t->ike_established : 0));
}

static int
dg_connecting(const struct dg_tunnel *t)
{
	if (t->p1_status != NULL)
		return (strcmp(t->p1_status, "connecting") == 0);
	return (dg_known(t->ike_created) && t->ike_created > 0 &&
	    (!dg_known(t->ike_established) || t->ike_established == 0));
}

static int
dg_established(const struct dg_tunnel *t)
{
	return (dg_is(t->p1_status, "established"));
}

int
diagnose_settled(const struct dg_tunnel *t)
{
	size_t	 i;

	/* Connecting under DG_CONNECTING_S is a warning, then an error. */
	if (dg_connecting(t) && (!dg_known(t->p1_for_s) ||
	    t->p1_for_s < DG_CONNECTING_S))
		return (0);
	/* sa=2 becomes a finding after DG_SA2_S. */
	for (i = 0; i < t->np2; i++)
		if (t->p2[i].sa == 2 && (!dg_known(t->p2[i].sa_for_s) ||
		    t->p2[i].sa_for_s <= DG_SA2_S))
			return (0);
	return (1);
}

/* Packets since the last poll: per selector when known, else the summary. */
static void
dg_traffic(const struct dg_tunnel *t, pnum *enc, pnum *dec)
{
	size_t	i;

	*enc = *dec = PNUM_UNKNOWN;
	for (i = 0; i < t->np2; i++) {
		if (t->p2[i].enc_delta != PNUM_UNKNOWN)
			*enc = (*enc == PNUM_UNKNOWN ? 0 : *enc) +
			    t->p2[i].enc_delta;
		if (t->p2[i].dec_delta != PNUM_UNKNOWN)
			*dec = (*dec == PNUM_UNKNOWN ? 0 : *dec) +
			    t->p2[i].dec_delta;
	}
	if (*enc == PNUM_UNKNOWN || *dec == PNUM_UNKNOWN) {
		*enc = t->tx_delta;
		*dec = t->rx_delta;
	}
}

/* DPD probes sent since the last poll and none answered. */
static int
dg_dpd_unanswered(const struct dg_tunnel *t)
{
	return (t->dpd_sent != PNUM_UNKNOWN &&
	    t->dpd_sent_prev != PNUM_UNKNOWN &&
	    t->dpd_recv != PNUM_UNKNOWN && t->dpd_recv_prev != PNUM_UNKNOWN &&
	    t->dpd_sent - t->dpd_sent_prev >= 2 &&
	    t->dpd_recv == t->dpd_recv_prev);
}

/* A word into the hash: one multiply, then fold the high bits down. */
static uint64_t
dg_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15u;
	return (h ^ (h >> 29));
}

/* A string eight bytes at a time; NULL differs from "". */
static uint64_t
dg_mix_str(uint64_t h, const char *s)
{
	uint64_t	 w;
	size_t		 n, k;

	if (s == NULL)
		return (dg_mix(h, 0xff));
	n = strlen(s);
	for (; n > 0; s += k, n -= k) {
		k = n < 8 ? n : 8;
		w = 0;
		memcpy(&w, s, k);
		h = dg_mix(h, w);
	}
	return (dg_mix(h, 1));
}

/* Packets as the rules class them: unknown, none, a few, enough. */
static uint64_t
dg_class(pnum d)
{
	if (d == PNUM_UNKNOWN)
		return (0);
	return (d == 0 ? 1 : d < DG_MINPKTS ? 2 : 3);
}

uint64_t
diagnose_fingerprint(const struct dg_tunnel *t)
{
	uint64_t	 h = 0;
	pnum		 enc, dec;
	size_t		 i;

	dg_traffic(t, &enc, &dec);
	h = dg_mix_str(h, t->device);
	h = dg_mix_str(h, t->vdom);
	h = dg_mix_str(h, t->name);
	h = dg_mix_str(h, t->parent);
	h = dg_mix_str(h, t->peer);
	h = dg_mix_str(h, t->local);
	h = dg_mix_str(h, t->interface);
	h = dg_mix_str(h, t->p1_mode);
	h = dg_mix_str(h, t->p1_status);
	h = dg_mix(h, (uint64_t)t->ike_version);
	h = dg_mix(h, (uint64_t)t->fos_major << 32 ^ (uint64_t)t->fos_minor <<
	    16 ^ (uint64_t)t->fos_patch);
	h = dg_mix(h, (uint64_t)t->sel_total);
	h = dg_mix(h, (uint64_t)t->sel_up);
	h = dg_mix(h, dg_class(enc) << 8 | dg_class(dec));
	h = dg_mix(h, dg_class(t->tx_err_delta));
	/* SA counts (a peer retried each poll) as dg_connecting reads them. */
	h = dg_mix(h, (uint64_t)dg_known(t->ike_created) << 1 |
	    (uint64_t)dg_connecting(t));
	h = dg_mix(h, (uint64_t)dg_dpd_unanswered(t));
	h = dg_mix(h, (uint64_t)t->dpd_count);
	h = dg_mix(h, (uint64_t)t->p1_restarts_1h);
	h = dg_mix(h, (uint64_t)t->flaps_1h);
	h = dg_mix(h, (uint64_t)t->flap_threshold);
	h = dg_mix(h, (uint64_t)(t->nat_me + 2) << 8 | (uint64_t)(t->nat_peer +
	    2));
	h = dg_mix(h, (uint64_t)t->network_id);
	h = dg_mix(h, t->np2);
	for (i = 0; i < t->np2; i++) {
		h = dg_mix_str(h, t->p2[i].name);
		h = dg_mix_str(h, t->p2[i].src);
		h = dg_mix_str(h, t->p2[i].dst);
		h = dg_mix(h, (uint64_t)(t->p2[i].sa + 1));
	}
	h = dg_mix(h, (uint64_t)(t->route_peer + 1) << 16 |
	    (uint64_t)(t->route_remote + 1) << 8 |
	    (uint64_t)(t->trace_reached + 1));
	h = dg_mix_str(h, t->route_peer_if);
	h = dg_mix_str(h, t->route_remote_if);
	h = dg_mix_str(h, t->remote_host);
	h = dg_mix(h, (uint64_t)t->sniff_out);
	h = dg_mix(h, (uint64_t)t->sniff_in);
	return (dg_mix(h, t->ndbg));
}

/* Phase 1: silent peer, connecting, routing.  Returns 1 if down. */
static int
dg_state_p1(const struct dg_tunnel *t, struct dg_findings *out,
    int dbg_phase, int answered, size_t nsent, const struct dg_rule *root)
{
	struct dg_finding	*f;
	int			 silent = 0, conn = dg_connecting(t);
	int			 route_bad = 0;

	if (t->route_peer == 0 || (t->route_peer == 1 &&
	    t->route_peer_if != NULL && t->interface != NULL &&
	    strcmp(t->route_peer_if, t->interface) != 0)) {
		route_bad = 1;
		f = dg_add(out, t, "RT-NO-ROUTE-PEER",
		    dg_is(root ? root->id : NULL, "P1-NO-ROUTE"));
		if (t->route_peer == 0)
			dg_ev(f, "routing table: no route to %s",
			    dg_or(t->peer, "the peer"));
		else
			dg_ev(f, "routing table: %s leaves on %s, phase 1 "
			    "is on %s", dg_or(t->peer, "the peer"),
			    t->route_peer_if, t->interface);
	}
	if (t->trace_reached == 0 && !route_bad && dbg_phase == 0) {
		/* The peer is not reachable: reported under connecting. */
	}
	/* Only our messages and nothing back, or the sniffer says so. */
	if (conn && !route_bad && (root == NULL ||
	    dg_is(root->id, "P1-RETRANSMIT-TIMEOUT")) &&
	    ((t->ndbg > 0 && !answered && nsent >= 2) ||
	    (dg_known(t->sniff_out) && t->sniff_out > 0 &&
	    dg_known(t->sniff_in) && t->sniff_in == 0))) {
		silent = 1;
		f = dg_add(out, t, "ST-P1-SILENT-PEER", 0);
		dg_ev_p1(f, t);
		if (t->ndbg > 0 && !answered)
			dg_ev(f, "IKE debug: %zu messages sent to %s, no "
			    "`comes %s` line", nsent, dg_or(t->peer,
			    "the peer"), dg_or(t->peer, "<peer>"));
		if (dg_known(t->sniff_out) && dg_known(t->sniff_in))
			dg_ev(f, "sniffer: %lld packets to the peer, %lld "
			    "from it", (long long)t->sniff_out,
			    (long long)t->sniff_in);
		if (t->trace_reached == 0)
			dg_ev(f, "traceroute: did not reach %s",
			    dg_or(t->peer, "the peer"));
	}
	if (conn) {
		f = dg_add(out, t, "ST-P1-CONNECTING",
		    dbg_phase == 1 || silent || route_bad);
		if (dg_known(t->p1_for_s) && t->p1_for_s < DG_CONNECTING_S)
			f->severity = DG_WARNING;
		else if (!dg_known(t->p1_for_s))
			f->severity = DG_ERROR;
		dg_ev_p1(f, t);
		if (dg_known(t->p1_for_s) && t->p1_for_s < DG_CONNECTING_S)
			dg_ev(f, "under %d s: it may still be negotiating",
			    DG_CONNECTING_S);
		dg_ev_summary(f, t);
		if (t->trace_reached == 0)
			dg_ev(f, "traceroute: did not reach %s",
			    dg_or(t->peer, "the peer"));
	}
	return (conn || route_bad);
}

/* Phase 2 selectors, traffic both ways, DPD, flapping. */
static void
dg_state_p2(const struct dg_tunnel *t, struct dg_findings *out,
    int dbg_phase, int p1down)
{
	struct dg_finding	*f = NULL, *g = NULL;
	const struct dg_p2	*p;
	pnum			 enc, dec;
	size_t			 i;
	int			 dpd = 0;

	for (i = 0; i < t->np2 && dg_established(t); i++) {
		p = &t->p2[i];
		if (p->sa == 0) {
			if (f == NULL) {
				f = dg_add(out, t, "ST-P2-SA0", dbg_phase != 0);
				dg_ev_p1(f, t);
			}
			dg_ev(f, "tunnel list: proxyid=%s sa=0 src: %s dst: "
			    "%s", dg_or(p->name, "?"), dg_or(p->src, "?"),
			    dg_or(p->dst, "?"));
		} else if (p->sa == 2 && dg_known(p->sa_for_s) &&
		    p->sa_for_s > DG_SA2_S) {
			if (g == NULL)
				g = dg_add(out, t, "ST-P2-SA2", dbg_phase != 0);
			dg_ev(g, "tunnel list: proxyid=%s sa=2 for %llds",
			    dg_or(p->name, "?"), (long long)p->sa_for_s);
		}
	}
	if (dg_known(t->sel_total) && dg_known(t->sel_up) &&
	    t->sel_up < t->sel_total) {
		f = dg_add(out, t, "ST-SEL-DOWN", p1down || f != NULL ||
		    dbg_phase != 0);
		if (t->sel_up == 0)
			f->severity = DG_CRITICAL;
		dg_ev_summary(f, t);
	}
	/* A dead peer explains traffic that does not come back. */
	if (dg_dpd_unanswered(t)) {
		dpd = 1;
		f = dg_add(out, t, "ST-DPD-NOANSWER", dbg_phase != 0);
		dg_ev(f, "gateway list: DPD sent/recv: %08llx/%08llx, "
		    "was %08llx/%08llx one poll before", (unsigned long long)t->dpd_sent,
		    (unsigned long long)t->dpd_recv,
		    (unsigned long long)t->dpd_sent_prev,
		    (unsigned long long)t->dpd_recv_prev);
	}
	/* Traffic one way only: per selector when known, else the summary. */
	dg_traffic(t, &enc, &dec);
	if (!p1down && dg_known(enc) && dg_known(dec)) {
		if (dec >= DG_MINPKTS && enc == 0) {
			f = dg_add(out, t, "ST-DEC-NO-ENC", dbg_phase != 0);
			dg_ev(f, "since the last poll: %lld packets decrypted, "
			    "0 encrypted", (long long)dec);
		} else if (enc >= DG_MINPKTS && dec == 0) {
			f = dg_add(out, t, "ST-ENC-NO-DEC", dbg_phase != 0 ||
			    dpd);
			dg_ev(f, "since the last poll: %lld packets encrypted, "
			    "0 decrypted", (long long)enc);
			if (t->nat_me == 0 && t->nat_peer == 0)
				dg_ev(f, "gateway list: no nat: line (ESP "
				    "not encapsulated)");
		}
	}
	if (dg_known(t->tx_err_delta) && t->tx_err_delta > 0) {
		f = dg_add(out, t, "ST-TXERR", 0);
		dg_ev(f, "summary: tx(pkt,err): %lld/%lld, errors +%lld since "
		    "the last poll", (long long)t->tx_pkt, (long long)t->tx_err,
		    (long long)t->tx_err_delta);
	}
	if ((dg_known(t->p1_restarts_1h) && t->p1_restarts_1h >= 3) ||
	    (dg_known(t->flaps_1h) && dg_known(t->flap_threshold) &&
	    t->flap_threshold > 0 && t->flaps_1h >= t->flap_threshold)) {
		f = dg_add(out, t, "ST-FLAP", 0);
		if (dg_known(t->p1_restarts_1h) && t->p1_restarts_1h >= 3)
			dg_ev(f, "phase 1 re-created %lld times in the last "
			    "hour", (long long)t->p1_restarts_1h);
		if (dg_known(t->flaps_1h) && t->flaps_1h > 0)
			dg_ev(f, "went down %lld times in the last hour "
			    "(fgtop's history)", (long long)t->flaps_1h);
		if (dg_known(t->p1_for_s) && t->p1_status != NULL)
			dg_ev(f, "gateway list: status: %s, for %llds",
			    t->p1_status, (long long)t->p1_for_s);
	}
	if (t->route_remote == 0) {
		f = dg_add(out, t, "RT-NO-ROUTE-REMOTE", 0);
		dg_ev(f, "routing table: %s %s", dg_or(t->remote_host,
		    "the remote subnet"), t->route_remote_if != NULL ?
		    "leaves on another interface" : "has no route");
		if (t->route_remote_if != NULL)
			dg_ev(f, "routing table: egress %s, not %s",
			    t->route_remote_if, dg_or(t->name, "the tunnel"));
	}
}

size_t
diagnose_tunnel(const struct dg_tunnel *t, struct dg_findings *out)
{
	const struct dg_rule	*root = NULL;
	size_t			 before = out->n, nsent = 0, ri, i;
	int			 phase, answered = 0, p1down;

	phase = dg_debug(t, out, &answered, &nsent, &ri);
	if (ri != (size_t)-1)
		root = &dg_rules[ri];
	p1down = dg_state_p1(t, out, phase, answered, nsent, root);
	/* A silent peer explains the retransmits. */
	for (i = before; i < out->n; i++) {
		if (dg_is(out->v[i].rule->id, "ST-P1-SILENT-PEER")) {
			for (ri = before; ri < out->n; ri++)
				if (out->v[ri].rule == root)
					out->v[ri].consequence = 1;
		}
	}
	dg_state_p2(t, out, phase, p1down);
	return (out->n - before);
}

/* ---- order, JSON, text --------------------------------------------- */

static int
dg_cmp(const void *a, const void *b)
{
	const struct dg_finding	*x = a, *y = b;
	int			 c;

	if (x->consequence != y->consequence)
		return (x->consequence - y->consequence);
	if (x->severity != y->severity)
		return ((int)y->severity - (int)x->severity);
	if (x->rule != y->rule)
		return (x->rule < y->rule ? -1 : 1);
	if ((c = strcmp(dg_or(x->device, ""), dg_or(y->device, ""))) != 0)
		return (c);
	if ((c = strcmp(dg_or(x->tunnel, ""), dg_or(y->tunnel, ""))) != 0)
		return (c);
	return (x->line < y->line ? -1 : x->line > y->line);
}

void
diagnose_sort(struct dg_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof(*fs->v), dg_cmp);
}

static const char *
dg_confidence(const struct dg_finding *f)
{
	return (f->rule->unverified ? "unverified" : NULL);
}

void
diagnose_json(struct json *j, const struct dg_findings *fs)
{
	const struct dg_finding	*f;
	size_t			 i, k, c;

	json_arr_begin(j);
	for (i = 0; i < fs->n; i++) {
		f = &fs->v[i];
		json_obj_begin(j);
		json_kstr(j, "rule", f->rule->id);
		json_kstr(j, "severity", diagnose_severity_name(f->severity));
		json_kstr(j, "title", f->rule->title);
		json_kstr(j, "device", f->device);
		json_kstr(j, "vdom", f->vdom);
		json_kstr(j, "tunnel", f->tunnel);
		json_kstr(j, "peer", f->peer);
		json_kbool(j, "consequence", f->consequence);
		json_key(j, "evidence");
		json_arr_begin(j);
		for (k = 0; k < f->nevidence; k++)
			json_str(j, f->evidence[k]);
		json_arr_end(j);
		json_key(j, "next");
		json_arr_begin(j);
		for (k = 0; k < f->nnext; k++) {
			json_obj_begin(j);
			json_kstr(j, "action", f->next[k].action);
			json_key(j, "commands");
			json_arr_begin(j);
			for (c = 0; c < f->next[k].ncommands; c++)
				json_str(j, f->next[k].commands[c]);
			json_arr_end(j);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_kstr(j, "fix", f->fix);
		if (dg_confidence(f) != NULL)
			json_kstr(j, "confidence", dg_confidence(f));
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* A growable string for the text report. */
struct dg_buf {
	char	*p;
	size_t	 len, cap;
};

/*
 * Device text is untrusted: escape sequences, controls and invalid UTF-8
 * never reach a terminal (parsers/cli's rules, as for every pane).
 */
static void
dg_put(struct dg_buf *b, const char *s)
{
	size_t	n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	b->len += cli_sanitize(s, n, b->p + b->len);
	b->p[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
dg_putf(struct dg_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "fgtop: out of memory\n");
		abort();
	}
	va_end(ap);
	dg_put(b, s);
	free(s);
}

char *
diagnose_text(const struct dg_findings *fs)
{
	const struct dg_finding	*f;
	struct dg_buf		 b = { NULL, 0, 0 };
	size_t			 i, k, c;

	dg_put(&b, "");
	if (fs->n == 0)
		dg_put(&b, "No findings.\n");
	for (i = 0; i < fs->n; i++) {
		f = &fs->v[i];
		dg_putf(&b, "%s%zu. [%s] %s: %s%s\n", i ? "\n" : "", i + 1,
		    diagnose_severity_name(f->severity), f->rule->id,
		    f->rule->title, f->consequence ? " (follows from the "
		    "above)" : "");
		dg_putf(&b, "   tunnel %s, peer %s%s%s%s%s\n",
		    dg_or(f->tunnel, "?"), dg_or(f->peer, "?"),
		    f->device ? ", device " : "", f->device ? f->device : "",
		    f->vdom ? ", vdom " : "", f->vdom ? f->vdom : "");
		if (dg_confidence(f) != NULL)
			dg_put(&b, "   confidence: unverified trigger\n");
		for (k = 0; k < f->nevidence; k++)
			dg_putf(&b, "   seen: %s\n", f->evidence[k]);
		for (k = 0; k < f->nnext && !f->consequence; k++) {
			dg_putf(&b, "   next%s%s%s:\n", f->next[k].action ?
			    " (fgtop " : "", f->next[k].action ?
			    f->next[k].action : "", f->next[k].action ? ")" :
			    "");
			for (c = 0; c < f->next[k].ncommands; c++)
				dg_putf(&b, "     %s\n", f->next[k].commands[c]);
		}
		if (f->fix != NULL && !f->consequence)
			dg_putf(&b, "   fix: %s\n", f->fix);
	}
	return (b.p);
}
