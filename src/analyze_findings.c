/* SPDX-License-Identifier: ISC */
/*
 * analyze_findings - join a transcript's parsed records into dg_tunnel
 * inputs and diagnose them; see the header.
 *
 * Records are kept parsed, in order, and only read at the end: each
 * output updates the tunnels it names (a second summary, gateway list or
 * tunnel list of the same tunnel is the next poll), then the debug lines
 * go to the tunnel of their peer or phase-1 name.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyze_findings.h"
#include "cli.h"
#include "diagnose.h"
#include "ike_debug.h"
#include "ike_gateway.h"
#include "routing_table.h"
#include "sniffer.h"
#include "system_status.h"
#include "traceroute.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"
#include "xmalloc.h"

enum af_kind { AF_SUMMARY, AF_GATEWAY, AF_TLIST, AF_DEBUG, AF_ROUTE,
    AF_STATUS, AF_TRACE, AF_SNIFF };

struct af_rec {
	enum af_kind	 kind;
	char		*device;
	char		*vdom;
	char		*arg;		/* the address a lookup was for */
	void		*res;
};

struct af_tun {
	const char	*device;
	const char	*vdom;
	struct dg_tunnel t;
	struct dg_p2	*p2;
	size_t		 np2;
	pnum		 p1_age;	/* last phase-1 age, for restarts */
	const struct ike_event **dbg;
	size_t		 ndbg;
	size_t		 dbgcap;
	int		 pseudo;	/* made from debug lines alone */
};

struct analyze_findings {
	struct af_rec	*recs;
	size_t		 nrecs;
	struct af_tun	*tuns;
	size_t		 ntuns;
};

struct analyze_findings *
analyze_findings_new(void)
{
	return (xcalloc(1, sizeof(struct analyze_findings)));
}

static void
af_res_free(struct af_rec *r)
{
	switch (r->kind) {
	case AF_SUMMARY:
		tunnel_summary_free(r->res);
		break;
	case AF_GATEWAY:
		ike_gateway_list_free(r->res);
		break;
	case AF_TLIST:
		tunnel_list_free(r->res);
		break;
	case AF_DEBUG:
		ike_debug_free(r->res);
		break;
	case AF_ROUTE:
		routing_table_free(r->res);
		break;
	case AF_STATUS:
		system_status_free(r->res);
		break;
	case AF_TRACE:
		traceroute_free(r->res);
		break;
	case AF_SNIFF:
		sniffer_free(r->res);
		break;
	}
}

void
analyze_findings_free(struct analyze_findings *af)
{
	size_t	i;

	if (af == NULL)
		return;
	for (i = 0; i < af->nrecs; i++) {
		af_res_free(&af->recs[i]);
		free(af->recs[i].device);
		free(af->recs[i].vdom);
		free(af->recs[i].arg);
	}
	for (i = 0; i < af->ntuns; i++) {
		free(af->tuns[i].p2);
		free(af->tuns[i].dbg);
	}
	free(af->recs);
	free(af->tuns);
	free(af);
}

/*
 * A transcript can hold any number of records (a paste of a week of
 * polls, or hostile input): the rules read recent state, so only the
 * newest AF_MAXRECS to 2 * AF_MAXRECS records are kept, and memory stays
 * bounded whatever the input.  Dropped in halves, so it costs nothing
 * per record.
 */
#define AF_MAXRECS	128

static void
af_forget(struct analyze_findings *af, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		af_res_free(&af->recs[i]);
		free(af->recs[i].device);
		free(af->recs[i].vdom);
		free(af->recs[i].arg);
	}
	memmove(af->recs, af->recs + n, (af->nrecs - n) * sizeof(*af->recs));
	af->nrecs -= n;
}

static void *
af_parse(enum af_kind k, const char *s, size_t n)
{
	switch (k) {
	case AF_SUMMARY:
		return (tunnel_summary_parse(s, n));
	case AF_GATEWAY:
		return (ike_gateway_list_parse(s, n));
	case AF_TLIST:
		return (tunnel_list_parse(s, n));
	case AF_DEBUG:
		return (ike_debug_parse(s, n));
	case AF_ROUTE:
		return (routing_table_parse(s, n));
	case AF_STATUS:
		return (system_status_parse(s, n));
	case AF_SNIFF:
		return (sniffer_parse(s, n));
	default:
		return (traceroute_parse(s, n));
	}
}

void
analyze_findings_add(struct analyze_findings *af, const char *kind,
    const char *device, const char *vdom, const char *command,
    const char *output, size_t outlen)
{
	static const struct {
		const char	*name;
		enum af_kind	 kind;
	} kinds[] = {
		{ "tunnel-summary", AF_SUMMARY },
		{ "ike-gateway-list", AF_GATEWAY },
		{ "tunnel-list", AF_TLIST },
		{ "ike-debug", AF_DEBUG },
		{ "routing-table", AF_ROUTE },
		{ "system-status", AF_STATUS },
		{ "traceroute", AF_TRACE },
		{ "sniffer", AF_SNIFF },
	};
	struct af_rec	*r;
	const char	*a;
	size_t		 i, an;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, kind) == 0)
			break;
	if (kind == NULL || i == sizeof(kinds) / sizeof(kinds[0]))
		return;
	if (af->nrecs == 2 * AF_MAXRECS)
		af_forget(af, AF_MAXRECS);
	af->recs = xreallocarray(af->recs, af->nrecs + 1, sizeof(*af->recs));
	r = &af->recs[af->nrecs];
	memset(r, 0, sizeof(*r));
	r->kind = kinds[i].kind;
	if ((r->res = af_parse(r->kind, output, outlen)) == NULL)
		return;		/* out of memory in a parser: skip it */
	af->nrecs++;
	r->device = device ? xstrdup(device) : NULL;
	r->vdom = vdom ? xstrdup(vdom) : NULL;
	/* `get router info routing-table details X`, `exec traceroute X`. */
	if (command != NULL && r->kind == AF_ROUTE &&
	    cli_match(command, strlen(command),
	    "get router info routing-table details") &&
	    cli_arg(command, strlen(command), 5, &a, &an))
		r->arg = xstrndup(a, an);
	if (command != NULL && r->kind == AF_TRACE &&
	    cli_arg(command, strlen(command), 2, &a, &an))
		r->arg = xstrndup(a, an);
}

/* ---- joining ------------------------------------------------------- */

static int
af_eq(const char *a, const char *b)
{
	/* An unnamed device or VDOM (a paste without prompts) matches. */
	return (a == NULL || b == NULL || strcmp(a, b) == 0);
}

static int
af_is(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static struct af_tun *
af_tun(struct analyze_findings *af, const struct af_rec *r, const char *name)
{
	struct af_tun	*u;
	size_t		 i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < af->ntuns; i++) {
		u = &af->tuns[i];
		if (!u->pseudo && af_is(u->t.name, name) &&
		    af_eq(u->device, r->device) && af_eq(u->vdom, r->vdom))
			return (u);
	}
	af->tuns = xreallocarray(af->tuns, af->ntuns + 1, sizeof(*af->tuns));
	u = &af->tuns[af->ntuns++];
	memset(u, 0, sizeof(*u));
	dg_tunnel_init(&u->t);
	u->device = r->device;
	u->vdom = r->vdom;
	u->t.device = r->device;
	u->t.vdom = r->vdom;
	u->t.name = name;
	u->p1_age = PNUM_UNKNOWN;
	return (u);
}

static pnum
af_delta(pnum now, pnum before)
{
	if (now == PNUM_UNKNOWN || before == PNUM_UNKNOWN || now < before)
		return (PNUM_UNKNOWN);
	return (now - before);
}

static void
af_summary(struct analyze_findings *af, const struct af_rec *r)
{
	const struct tunnel_summary	*s = r->res;
	const struct ts_tunnel		*x;
	struct af_tun			*u;
	size_t				 i;

	for (i = 0; i < s->ntunnels; i++) {
		x = &s->tunnels[i];
		if ((u = af_tun(af, r, x->name)) == NULL)
			continue;
		if (u->t.peer == NULL)
			u->t.peer = x->remote_addr;
		u->t.rx_delta = af_delta(x->rx_pkt, u->t.rx_pkt);
		u->t.tx_delta = af_delta(x->tx_pkt, u->t.tx_pkt);
		u->t.tx_err_delta = af_delta(x->tx_err, u->t.tx_err);
		u->t.sel_total = x->selectors_total;
		u->t.sel_up = x->selectors_up;
		u->t.rx_pkt = x->rx_pkt;
		u->t.rx_err = x->rx_err;
		u->t.tx_pkt = x->tx_pkt;
		u->t.tx_err = x->tx_err;
	}
}

static void
af_gateway(struct analyze_findings *af, const struct af_rec *r)
{
	const struct ike_gateway_list	*g = r->res;
	const struct ike_gateway	*x;
	const struct ike_gateway_sa		*sa;
	struct af_tun			*u;
	size_t				 i;

	for (i = 0; i < g->n; i++) {
		x = &g->gws[i];
		if ((u = af_tun(af, r, x->name)) == NULL)
			continue;
		if (x->remote_addr != NULL)
			u->t.peer = x->remote_addr;
		u->t.local = x->local_addr;
		u->t.interface = x->interface;
		u->t.parent = x->parent;
		if (x->version != PNUM_UNKNOWN)
			u->t.ike_version = (int)x->version;
		u->t.nat_me = x->nat_me;
		u->t.nat_peer = x->nat_peer;
		u->t.network_id = x->network_id;
		u->t.ike_created = x->ike.created[0];
		u->t.ike_established = x->ike.established[0];
		/* A phase 1 younger than at the last poll was re-created. */
		if (x->created_ago_s != PNUM_UNKNOWN) {
			if (u->p1_age != PNUM_UNKNOWN &&
			    x->created_ago_s < u->p1_age)
				u->t.p1_restarts_1h = (u->t.p1_restarts_1h ==
				    PNUM_UNKNOWN ? 0 : u->t.p1_restarts_1h) + 1;
			else if (u->t.p1_restarts_1h == PNUM_UNKNOWN &&
			    u->p1_age != PNUM_UNKNOWN)
				u->t.p1_restarts_1h = 0;
			u->p1_age = x->created_ago_s;
		}
		if (x->nsas == 0)
			continue;
		sa = &x->sas[0];
		u->t.p1_status = sa->status;
		u->t.p1_for_s = af_is(sa->status, "connecting") ?
		    sa->started_ago_s : sa->established_ago_s;
		u->t.dpd_sent_prev = u->t.dpd_sent;
		u->t.dpd_recv_prev = u->t.dpd_recv;
		u->t.dpd_sent = sa->dpd_sent;
		u->t.dpd_recv = sa->dpd_recv;
	}
}

static struct dg_p2 *
af_p2(struct af_tun *u, const char *name)
{
	size_t	i;

	for (i = 0; i < u->np2; i++)
		if (af_is(u->p2[i].name, name))
			return (&u->p2[i]);
	u->p2 = xreallocarray(u->p2, u->np2 + 1, sizeof(*u->p2));
	memset(&u->p2[u->np2], 0, sizeof(*u->p2));
	u->p2[u->np2].name = name;
	u->p2[u->np2].sa = -1;
	u->p2[u->np2].sa_for_s = PNUM_UNKNOWN;
	u->p2[u->np2].enc_pkts = u->p2[u->np2].dec_pkts = PNUM_UNKNOWN;
	return (&u->p2[u->np2++]);
}

static void
af_tlist(struct analyze_findings *af, const struct af_rec *r)
{
	const struct tunnel_list	*l = r->res;
	const struct tl_tunnel		*x;
	const struct tl_proxyid		*px;
	struct af_tun			*u;
	struct dg_p2			*p;
	pnum				 enc, dec;
	size_t				 i;

	for (i = 0; i < l->ntunnels; i++) {
		x = l->tunnels[i];
		if ((u = af_tun(af, r, x->name)) == NULL)
			continue;
		if (u->t.peer == NULL)
			u->t.peer = x->remote_addr;
		if (u->t.ike_version == 0 && x->conf->version != TNUM_UNKNOWN)
			u->t.ike_version = x->conf->version;
		u->t.dpd_count = tnum_p(x->dpd_count);
		for (px = x->proxyids; px != NULL; px = px->next) {
			p = af_p2(u, px->name != NULL ? px->name : x->name);
			p->sa = px->sa == TNUM_UNKNOWN ? -1 : px->sa;
			p->src = px->src;
			p->dst = px->dst;
			enc = px->sas != NULL ? px->sas->enc_pkts : PNUM_UNKNOWN;
			dec = px->sas != NULL ? px->sas->dec_pkts : PNUM_UNKNOWN;
			/* No SA now: nothing moved. */
			if (px->sas == NULL && p->sa == 0)
				enc = dec = p->enc_pkts = p->dec_pkts = 0;
			p->enc_delta = af_delta(enc, p->enc_pkts);
			p->dec_delta = af_delta(dec, p->dec_pkts);
			p->enc_pkts = enc;
			p->dec_pkts = dec;
		}
		/* The pointer may move as selectors are added. */
		u->t.p2 = u->p2;
		u->t.np2 = u->np2;
	}
}

static void
af_route(struct analyze_findings *af, const struct af_rec *r)
{
	const struct routing_table	*rt = r->res;
	const struct rt_nexthop		*nh;
	size_t				 i;
	int				 found;

	if (r->arg == NULL)
		return;
	nh = rt->nroutes > 0 && rt->routes[0].nnexthops > 0 ?
	    &rt->routes[0].nexthops[0] : NULL;
	found = !rt->not_in_table && nh != NULL && !af_is(nh->interface,
	    "Null");
	for (i = 0; i < af->ntuns; i++) {
		if (!af_is(af->tuns[i].t.peer, r->arg) ||
		    !af_eq(af->tuns[i].device, r->device))
			continue;
		af->tuns[i].t.route_peer = found;
		af->tuns[i].t.route_peer_if = found ? nh->interface : NULL;
	}
}

static void
af_status(struct analyze_findings *af, const struct af_rec *r)
{
	const struct system_status	*s = r->res;
	size_t				 i;

	for (i = 0; i < af->ntuns; i++) {
		if (!af_eq(af->tuns[i].device, r->device) ||
		    s->major == PNUM_UNKNOWN)
			continue;
		af->tuns[i].t.fos_major = (int)s->major;
		af->tuns[i].t.fos_minor = s->minor == PNUM_UNKNOWN ? -1 :
		    (int)s->minor;
		af->tuns[i].t.fos_patch = s->patch == PNUM_UNKNOWN ? -1 :
		    (int)s->patch;
	}
}

static void
af_trace(struct analyze_findings *af, const struct af_rec *r)
{
	const struct traceroute	*tr = r->res;
	size_t			 i;

	for (i = 0; i < af->ntuns; i++) {
		if (af_is(af->tuns[i].t.peer, r->arg) ||
		    af_is(af->tuns[i].t.peer, tr->target_addr))
			af->tuns[i].t.trace_reached = tr->reached;
	}
}

static int
af_ike_port(pnum p)
{
	return (p == 500 || p == 4500);
}

/*
 * IKE packets to and from each tunnel's peer.  A capture filtered on the
 * peer that shows nothing of it counts as 0/0 too.
 */
static void
af_sniff(struct analyze_findings *af, const struct af_rec *r)
{
	const struct sniffer	*sn = r->res;
	const struct sn_packet	*p;
	struct af_tun		*u;
	pnum			 out, in;
	size_t			 i, k;

	for (i = 0; i < af->ntuns; i++) {
		u = &af->tuns[i];
		if (u->t.peer == NULL || !af_eq(u->device, r->device))
			continue;
		out = in = 0;
		for (k = 0; k < sn->npackets; k++) {
			p = &sn->packets[k];
			if (af_is(p->dst, u->t.peer) && af_ike_port(p->dport))
				out++;
			else if (af_is(p->src, u->t.peer) &&
			    af_ike_port(p->sport))
				in++;
		}
		if (out + in == 0 && (sn->filters == NULL ||
		    strstr(sn->filters, u->t.peer) == NULL))
			continue;
		u->t.sniff_out = (u->t.sniff_out == PNUM_UNKNOWN ? 0 :
		    u->t.sniff_out) + out;
		u->t.sniff_in = (u->t.sniff_in == PNUM_UNKNOWN ? 0 :
		    u->t.sniff_in) + in;
	}
}

/* The tunnel an event belongs to: its peer, else its phase-1 name. */
static struct af_tun *
af_owner(struct analyze_findings *af, const struct af_rec *r,
    const struct ike_event *e)
{
	struct af_tun	*u;
	size_t		 i, n;

	for (i = 0; e->peer != NULL && i < af->ntuns; i++) {
		u = &af->tuns[i];
		if (af_is(u->t.peer, e->peer) && af_eq(u->device, r->device))
			return (u);
	}
	for (i = 0; e->gateway != NULL && i < af->ntuns; i++) {
		u = &af->tuns[i];
		if (!af_eq(u->device, r->device) || u->t.name == NULL)
			continue;
		n = strlen(u->t.name);
		if (af_is(u->t.name, e->gateway) ||
		    (strncmp(e->gateway, u->t.name, n) == 0 &&
		    e->gateway[n] == '_'))
			return (u);
	}
	if (e->peer == NULL && e->gateway == NULL)
		return (NULL);
	/* Nobody's: a tunnel of its own, known from the debug alone. */
	af->tuns = xreallocarray(af->tuns, af->ntuns + 1, sizeof(*af->tuns));
	u = &af->tuns[af->ntuns++];
	memset(u, 0, sizeof(*u));
	dg_tunnel_init(&u->t);
	u->pseudo = 1;
	u->device = u->t.device = r->device;
	u->vdom = u->t.vdom = r->vdom;
	u->t.peer = e->peer;
	u->t.name = e->gateway;
	u->p1_age = PNUM_UNKNOWN;
	return (u);
}

static void
af_debug(struct analyze_findings *af, const struct af_rec *r)
{
	const struct ike_debug	*d = r->res;
	const struct ike_event	*e;
	struct af_tun		*u;
	size_t			 i;

	for (i = 0; i < d->nevents; i++) {
		e = &d->events[i];
		if ((u = af_owner(af, r, e)) == NULL)
			continue;
		if (u->pseudo && u->t.name == NULL)
			u->t.name = e->gateway;
		if (u->pseudo && u->t.peer == NULL)
			u->t.peer = e->peer;
		/* A debug-only tunnel is named for the gateway matched. */
		if (u->pseudo && e->gateway != NULL && e->text != NULL &&
		    strstr(e->text, "matched gateway ") != NULL)
			u->t.name = e->gateway;
		/* Doubling: a capture can hold hundreds of thousands. */
		if (u->ndbg == u->dbgcap) {
			u->dbgcap = u->dbgcap ? u->dbgcap * 2 : 64;
			u->dbg = xreallocarray(u->dbg, u->dbgcap,
			    sizeof(*u->dbg));
		}
		u->dbg[u->ndbg++] = e;
	}
}

void
analyze_findings_run(struct analyze_findings *af, struct dg_findings *out)
{
	const struct af_rec	*r;
	size_t			 i;

	for (i = 0; i < af->nrecs; i++) {
		r = &af->recs[i];
		switch (r->kind) {
		case AF_SUMMARY:
			af_summary(af, r);
			break;
		case AF_GATEWAY:
			af_gateway(af, r);
			break;
		case AF_TLIST:
			af_tlist(af, r);
			break;
		default:
			break;
		}
	}
	/* Debug lines, then lookups and versions, once tunnels are known. */
	for (i = 0; i < af->nrecs; i++)
		if (af->recs[i].kind == AF_DEBUG)
			af_debug(af, &af->recs[i]);
	for (i = 0; i < af->nrecs; i++) {
		r = &af->recs[i];
		if (r->kind == AF_ROUTE)
			af_route(af, r);
		else if (r->kind == AF_STATUS)
			af_status(af, r);
		else if (r->kind == AF_TRACE)
			af_trace(af, r);
		else if (r->kind == AF_SNIFF)
			af_sniff(af, r);
	}
	for (i = 0; i < af->ntuns; i++) {
		af->tuns[i].t.dbg = af->tuns[i].dbg;
		af->tuns[i].t.ndbg = af->tuns[i].ndbg;
		(void)diagnose_tunnel(&af->tuns[i].t, out);
	}
	diagnose_sort(out);
}
