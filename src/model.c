/* SPDX-License-Identifier: ISC */
/*
 * model - devices > VDOMs > tunnels, merged from the poll outputs, with
 * counter deltas, rates and an event for every transition.  See model.h
 * for the contract.
 *
 * Merging is done per output as it arrives, so a device's round never
 * holds more than one parsed output at a time.  Strings are copied only
 * when they change: at 1,000 devices every 5 s the common case is that
 * nothing did, and then a merge is a string compare per field.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ike_gateway.h"
#include "json.h"
#include "model.h"
#include "system_status.h"
#include "tunnel_list.h"
#include "tunnel_summary.h"
#include "xmalloc.h"

enum { SRC_SUMMARY, SRC_GATEWAYS, SRC_TUNNELS };

static const char *const model_dev_states[] = {
	"connecting", "up", "auth-failed", "hostkey-unknown",
	"hostkey-mismatch", "unreachable", "stale", "error",
};

static const char *const model_tun_states[] = {
	"unknown", "down", "degraded", "up",
};

const char *
mdev_state_name(enum mdev_state s)
{
	return (model_dev_states[s]);
}

const char *
mtun_state_name(enum mtun_state s)
{
	return (model_tun_states[s]);
}

/* Replace *dst with a copy of src unless they are equal; 1 if changed. */
static int
model_set(char **dst, const char *src)
{
	if (*dst == NULL && src == NULL)
		return (0);
	if (*dst != NULL && src != NULL && strcmp(*dst, src) == 0)
		return (0);
	free(*dst);
	*dst = src == NULL ? NULL : xstrdup(src);
	return (1);
}

/*
 * Tunnel strings are shared (model.h, "Shared strings"): 50,000 tunnels
 * say "established", "responder", "aes", "wan1" and their device's
 * address over and over, and a copy each was a third of the model.  One
 * table for the process (the loop is single-threaded; models built side
 * by side share it), chained, grown by doubling, freed when empty.
 */
struct mstr {
	struct mstr	*next;
	uint32_t	 ref;
	uint32_t	 hash;
	char		 s[];
};

static struct mstr	**mstr_tab;
static size_t		  mstr_cap;	/* a power of two, or 0 */
static size_t		  mstr_n;

static uint32_t
mstr_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

static struct mstr *
mstr_of(char *s)
{
	return ((struct mstr *)(void *)(s - offsetof(struct mstr, s)));
}

static const struct mstr *
mstr_cof(const char *s)
{
	return ((const struct mstr *)(const void *)(s -
	    offsetof(struct mstr, s)));
}

static void
mstr_grow(void)
{
	struct mstr	**tab, *e, *next;
	size_t		  cap, i;

	cap = mstr_cap == 0 ? 256 : mstr_cap * 2;
	tab = xcalloc(cap, sizeof *tab);
	for (i = 0; i < mstr_cap; i++) {
		for (e = mstr_tab[i]; e != NULL; e = next) {
			next = e->next;
			e->next = tab[e->hash & (cap - 1)];
			tab[e->hash & (cap - 1)] = e;
		}
	}
	free(mstr_tab);
	mstr_tab = tab;
	mstr_cap = cap;
}

char *
model_str(const char *s)
{
	struct mstr	*e;
	uint32_t	 h;
	size_t		 len;

	if (s == NULL)
		return (NULL);
	h = mstr_hash(s);
	if (mstr_cap != 0) {
		for (e = mstr_tab[h & (mstr_cap - 1)]; e != NULL; e = e->next)
			if (e->hash == h && strcmp(e->s, s) == 0) {
				e->ref++;
				return (e->s);
			}
	}
	if (mstr_n >= mstr_cap)
		mstr_grow();
	len = strlen(s);
	e = xmalloc(sizeof *e + len + 1);
	memcpy(e->s, s, len + 1);
	e->ref = 1;
	e->hash = h;
	e->next = mstr_tab[h & (mstr_cap - 1)];
	mstr_tab[h & (mstr_cap - 1)] = e;
	mstr_n++;
	return (e->s);
}

void
model_str_free(char *s)
{
	struct mstr	*e, **pp;

	if (s == NULL)
		return;
	e = mstr_of(s);
	if (--e->ref > 0)
		return;
	for (pp = &mstr_tab[e->hash & (mstr_cap - 1)]; *pp != e;
	    pp = &(*pp)->next)
		continue;
	*pp = e->next;
	free(e);
	if (--mstr_n == 0) {
		free(mstr_tab);
		mstr_tab = NULL;
		mstr_cap = 0;
	}
}

/* model_set for a shared tunnel string. */
static int
model_tset(char **dst, const char *src)
{
	if (*dst == NULL && src == NULL)
		return (0);
	if (*dst != NULL && src != NULL && strcmp(*dst, src) == 0)
		return (0);
	model_str_free(*dst);
	*dst = model_str(src);
	return (1);
}

/* A number the device printed replaces ours; one it did not, does not. */
static void
model_setn(pnum *dst, pnum v)
{
	if (v != PNUM_UNKNOWN)
		*dst = v;
}

static void
model_dirty(struct model *m)
{
	m->dirty++;
}

struct model *
model_new(void)
{
	struct model	*m;

	m = xcalloc(1, sizeof *m);
	m->events_tail = &m->events;
	m->flap_threshold = MODEL_FLAP_THRESHOLD;
	return (m);
}

void
model_event(struct model *m, double now, const char *type,
    const char *device, const char *vdom, const char *tunnel,
    const char *item, const char *from, const char *to, const char *detail)
{
	struct mevent	*e;

	e = xcalloc(1, sizeof *e);
	e->time = now;
	e->type = type;
	e->device = device == NULL ? NULL : xstrdup(device);
	e->vdom = vdom == NULL ? NULL : xstrdup(vdom);
	e->tunnel = tunnel == NULL ? NULL : xstrdup(tunnel);
	e->item = item == NULL ? NULL : xstrdup(item);
	e->from = from == NULL ? NULL : xstrdup(from);
	e->to = to == NULL ? NULL : xstrdup(to);
	e->detail = detail == NULL ? NULL : xstrdup(detail);
	*m->events_tail = e;
	m->events_tail = &e->next;
	m->nevents++;
	model_dirty(m);
}

struct mevent *
model_events_take(struct model *m, size_t *n)
{
	struct mevent	*e = m->events;

	if (n != NULL)
		*n = m->nevents;
	m->events = NULL;
	m->events_tail = &m->events;
	m->nevents = 0;
	return (e);
}

void
mevent_clear(struct mevent *e)
{
	free(e->device);
	free(e->vdom);
	free(e->tunnel);
	free(e->item);
	free(e->from);
	free(e->to);
	free(e->detail);
	memset(e, 0, sizeof *e);
}

static char *
mevent_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

void
mevent_copy(struct mevent *dst, const struct mevent *src)
{
	dst->next = NULL;
	dst->time = src->time;
	dst->type = src->type;	/* static */
	dst->device = mevent_dup(src->device);
	dst->vdom = mevent_dup(src->vdom);
	dst->tunnel = mevent_dup(src->tunnel);
	dst->item = mevent_dup(src->item);
	dst->from = mevent_dup(src->from);
	dst->to = mevent_dup(src->to);
	dst->detail = mevent_dup(src->detail);
}

void
mevent_free(struct mevent *e)
{
	struct mevent	*next;

	for (; e != NULL; e = next) {
		next = e->next;
		mevent_clear(e);
		free(e);
	}
}

/* An event about one tunnel. */
static void
model_tevent(struct mtun *t, double now, const char *type, const char *item,
    const char *from, const char *to)
{
	struct mdev	*d = t->vdom->dev;

	model_event(d->owner, now, type, d->name, t->vdom->name, t->name,
	    item, from, to, NULL);
}

void
model_warning(struct model *m, const char *w)
{
	if (model_set(&m->warning, w))
		model_dirty(m);
}

/* Devices. */

struct mdev *
model_add_device(struct model *m, const char *name, const char *host,
    int port)
{
	struct mdev	*d;

	d = xcalloc(1, sizeof *d);
	d->name = xstrdup(name);
	d->host = host == NULL ? NULL : xstrdup(host);
	d->port = port;
	d->state = MDEV_CONNECTING;
	d->build = d->major = d->minor = d->patch = PNUM_UNKNOWN;
	d->owner = m;
	if (m->ndevs == m->cap)
		m->devs = xreallocarray(m->devs, (m->cap = m->cap * 2 + 8),
		    sizeof *m->devs);
	m->devs[m->ndevs++] = d;
	model_dirty(m);
	return (d);
}

void
model_device_state(struct mdev *d, enum mdev_state s, const char *error,
    double now)
{
	int	 changed = model_set(&d->error, error);

	if (d->state == s && !changed)
		return;
	if (d->state != s) {
		model_event(d->owner, now, "device-state", d->name, NULL,
		    NULL, NULL, mdev_state_name(d->state), mdev_state_name(s),
		    error);
		d->state = s;
		d->state_since = now;
	}
	model_dirty(d->owner);
}

void
model_device_status(struct mdev *d, const struct system_status *st,
    double now)
{
	model_set(&d->hostname, st->hostname);
	model_set(&d->version, st->version);
	model_set(&d->model, st->model);
	model_set(&d->serial, st->serial);
	model_set(&d->vdom_mode, st->vdom_mode);
	model_set(&d->ha_mode, st->ha_mode);
	d->build = st->build;
	d->major = st->major;
	d->minor = st->minor;
	d->patch = st->patch;
	model_dirty(d->owner);
}

struct mvdom *
model_vdom(struct mdev *d, const char *name)
{
	struct mvdom	*v;
	size_t		 i;

	for (i = 0; i < d->nvdoms; i++)
		if (strcmp(d->vdoms[i]->name, name) == 0)
			return (d->vdoms[i]);
	v = xcalloc(1, sizeof *v);
	v->name = xstrdup(name);
	v->dev = d;
	d->vdoms = xreallocarray(d->vdoms, d->nvdoms + 1, sizeof *d->vdoms);
	d->vdoms[d->nvdoms++] = v;
	model_dirty(d->owner);
	return (v);
}

/* The tunnel index: open addressing on the name, rebuilt on removal. */

static size_t
model_hash(const char *s)
{
	size_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

static void
model_index_put(struct mvdom *v, struct mtun *t)
{
	size_t	 i = model_hash(t->name) & (v->index_cap - 1);

	while (v->index[i] != NULL)
		i = (i + 1) & (v->index_cap - 1);
	v->index[i] = t;
}

static void
model_index_rebuild(struct mvdom *v)
{
	size_t	 i;

	free(v->index);
	v->index_cap = 16;
	while (v->index_cap < v->ntunnels * 2)
		v->index_cap *= 2;
	v->index = xcalloc(v->index_cap, sizeof *v->index);
	for (i = 0; i < v->ntunnels; i++)
		model_index_put(v, v->tunnels[i]);
}

struct mtun *
model_tunnel(const struct mvdom *v, const char *name)
{
	size_t	 i;

	if (v->index_cap == 0)
		return (NULL);
	i = model_hash(name) & (v->index_cap - 1);
	for (; v->index[i] != NULL; i = (i + 1) & (v->index_cap - 1))
		if (strcmp(v->index[i]->name, name) == 0)
			return (v->index[i]);
	return (NULL);
}

void
model_ike_sa_clear(struct mike_sa *sa)
{
	model_str_free(sa->spi_i);
	model_str_free(sa->spi_r);
	model_str_free(sa->direction);
	model_str_free(sa->status);
}

static void
model_phase1_clear(struct mphase1 *p)
{
	size_t	 i;

	for (i = 0; i < p->nsas; i++)
		model_ike_sa_clear(&p->sas[i]);
	free(p->sas);
	model_str_free(p->status);
	model_str_free(p->direction);
	model_str_free(p->interface);
	model_str_free(p->local_addr);
	model_str_free(p->remote_addr);
	model_str_free(p->peer_id);
	model_str_free(p->xauth_user);
}

void
model_phase2_clear(struct mphase2 *p)
{
	model_str_free(p->name);
	model_str_free(p->src);
	model_str_free(p->dst);
	model_str_free(p->esp);
}

static void	 mtools_free(struct mtools *);
static size_t	 mtools_bytes(const struct mtools *);

static void
model_tunnel_free(struct mtun *t)
{
	size_t	 i;

	if (t->findings != NULL && t->findings_free != NULL)
		t->findings_free(t->findings);
	model_phase1_clear(&t->p1);
	for (i = 0; i < t->np2; i++)
		model_phase2_clear(&t->p2[i]);
	free(t->p2);
	model_str_free(t->name);
	model_str_free(t->parent);
	model_str_free(t->remote_addr);
	model_str_free(t->local_addr);
	mtools_free(t->tools);
	model_history_clear(&t->hist);
	free(t);
}

static void
model_phase1_init(struct mphase1 *p)
{
	memset(p, 0, sizeof *p);
	p->version = p->local_port = p->remote_port = PNUM_UNKNOWN;
	p->ike_created[0] = p->ike_created[1] = PNUM_UNKNOWN;
	p->ike_established[0] = p->ike_established[1] = PNUM_UNKNOWN;
	p->ipsec_created[0] = p->ipsec_created[1] = PNUM_UNKNOWN;
	p->ipsec_established[0] = p->ipsec_established[1] = PNUM_UNKNOWN;
	p->created_ago_s = p->established_ago_s = PNUM_UNKNOWN;
	p->dpd_sent = p->dpd_recv = PNUM_UNKNOWN;
	p->dpd_sent_prev = p->dpd_recv_prev = PNUM_UNKNOWN;
	p->nat_me = p->nat_peer = -1;
}

/* The tunnel named, created (unknown everywhere) when new. */
static struct mtun *
model_tunnel_get(struct mvdom *v, const char *name, double now)
{
	struct mtun	*t;
	size_t		 i;

	if ((t = model_tunnel(v, name)) != NULL)
		return (t);
	t = xcalloc(1, sizeof *t);
	t->name = model_str(name);
	t->vdom = v;
	t->remote_port = t->local_port = PNUM_UNKNOWN;
	t->selectors_total = t->selectors_up = PNUM_UNKNOWN;
	t->rx_pkt = t->rx_err = t->tx_pkt = t->tx_err = PNUM_UNKNOWN;
	t->rx_err_delta = t->tx_err_delta = PNUM_UNKNOWN;
	t->prev_rx_pkt = t->prev_tx_pkt = PNUM_UNKNOWN;
	t->prev_rx_err = t->prev_tx_err = PNUM_UNKNOWN;
	t->dpd_count = PNUM_UNKNOWN;
	t->rx_pps = t->tx_pps = NAN;
	for (i = 0; i < MODEL_RATE_SAMPLES; i++)
		t->rx_hist[i] = t->tx_hist[i] = NAN;
	model_phase1_init(&t->p1);
	t->first_seen = t->changed_at = now;
	if (v->ntunnels == v->cap)
		v->tunnels = xreallocarray(v->tunnels,
		    (v->cap = v->cap * 2 + 16), sizeof *v->tunnels);
	v->tunnels[v->ntunnels++] = t;
	if (v->ntunnels * 2 > v->index_cap)
		model_index_rebuild(v);
	else
		model_index_put(v, t);
	model_history_adopt(v->dev->owner, t);
	return (t);
}

/* Building from outside the poll path (see model.h). */

struct mdev *
model_device(const struct model *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->ndevs; i++)
		if (strcmp(m->devs[i]->name, name) == 0)
			return (m->devs[i]);
	return (NULL);
}

struct mtun *
model_tunnel_add(struct mvdom *v, const char *name, double now)
{
	struct mtun	*t;
	int		 src;

	if ((t = model_tunnel(v, name)) != NULL)
		return (t);
	t = model_tunnel_get(v, name, now);
	if (v->dev->round == 0)
		v->dev->round = 1;
	for (src = 0; src < MODEL_NSOURCES; src++)
		t->seen[src] = v->dev->round;
	t->reported = 1;
	model_dirty(v->dev->owner);
	return (t);
}

void
model_tunnel_remove(struct mtun *t)
{
	struct mvdom	*v = t->vdom;
	size_t		 i, k;

	for (i = k = 0; i < v->ntunnels; i++)
		if (v->tunnels[i] != t)
			v->tunnels[k++] = v->tunnels[i];
	v->ntunnels = k;
	model_tunnel_free(t);
	model_index_rebuild(v);
	model_dirty(v->dev->owner);
}

/* Rounds. */

void
model_round_begin(struct mdev *d)
{
	d->round++;
}

static void
model_seen(struct mvdom *v, struct mtun *t, int src)
{
	t->seen[src] = v->dev->round;
}

/*
 * Ask for the VDOM's tunnels and their names before a merge reads them.
 * A thousand devices' tunnels are scattered over a 100 MB heap, and a
 * merge looks each one up and compares its strings: one cache miss
 * after another, the costliest thing in a round.  Asked together, the
 * misses overlap.  Only the first MODEL_PREFETCH: a hub's thousands
 * would push each other out of the cache before the merge got to them.
 */
#define MODEL_PREFETCH	128
static void
model_prefetch(const struct mvdom *v)
{
#if defined(__GNUC__)
	size_t	i, n = v->ntunnels < MODEL_PREFETCH ? v->ntunnels :
		    MODEL_PREFETCH;

	for (i = 0; i < n; i++)
		__builtin_prefetch(v->tunnels[i]);
	for (i = 0; i < n; i++)
		__builtin_prefetch(v->tunnels[i]->name);
#else
	(void)v;
#endif
}

void
model_merge_summary(struct mvdom *v, const struct tunnel_summary *ts,
    int full, double now)
{
	const struct ts_tunnel	*s;
	struct mtun		*t;
	size_t			 i;

	if (full)
		v->dev->full_round[SRC_SUMMARY] = v->dev->round;
	model_prefetch(v);
	for (i = 0; i < ts->ntunnels; i++) {
		s = &ts->tunnels[i];
		if (s->name == NULL)
			continue;
		t = model_tunnel_get(v, s->name, now);
		model_seen(v, t, SRC_SUMMARY);
		if (s->remote_addr != NULL)
			model_tset(&t->remote_addr, s->remote_addr);
		model_setn(&t->remote_port, s->remote_port);
		t->selectors_total = s->selectors_total;
		t->selectors_up = s->selectors_up;
		t->rx_pkt = s->rx_pkt;
		t->rx_err = s->rx_err;
		t->tx_pkt = s->tx_pkt;
		t->tx_err = s->tx_err;
	}
	model_dirty(v->dev->owner);
}

static void
model_merge_phase1(struct mtun *t, const struct ike_gateway *g, double now)
{
	struct mphase1		*p = &t->p1;
	const struct ike_gateway_sa	*sa0 = g->nsas > 0 ? &g->sas[0] : NULL;
	const char		*status = sa0 != NULL ? sa0->status : NULL;
	size_t			 i;

	if (g->nsas == 0 && g->ike.created[0] != PNUM_UNKNOWN &&
	    (g->ike.established[0] == PNUM_UNKNOWN ||
	    g->ike.established[0] == 0))
		status = "connecting";	/* created with nothing established */
	if (t->has_phase1 && p->status != NULL && status != NULL &&
	    strcmp(p->status, status) != 0)
		model_tevent(t, now, "phase1", NULL, p->status, status);
	if (!t->has_phase1)
		p->listed_at = now;
	if (model_tset(&p->status, status) || !t->has_phase1)
		p->status_since = now;
	t->has_phase1 = 1;
	p->version = g->version;
	model_tset(&p->direction, sa0 != NULL ? sa0->direction : NULL);
	model_tset(&p->interface, g->interface);
	model_tset(&p->local_addr, g->local_addr);
	p->local_port = g->local_port;
	model_tset(&p->remote_addr, g->remote_addr);
	p->remote_port = g->remote_port;
	p->nat_me = g->nat_me;
	p->nat_peer = g->nat_peer;
	memcpy(p->ike_created, g->ike.created, sizeof p->ike_created);
	memcpy(p->ike_established, g->ike.established,
	    sizeof p->ike_established);
	memcpy(p->ipsec_created, g->ipsec.created, sizeof p->ipsec_created);
	memcpy(p->ipsec_established, g->ipsec.established,
	    sizeof p->ipsec_established);
	p->created_ago_s = g->created_ago_s;
	p->established_ago_s = sa0 != NULL ? sa0->established_ago_s :
	    PNUM_UNKNOWN;
	p->dpd_sent_prev = p->dpd_sent;
	p->dpd_recv_prev = p->dpd_recv;
	p->dpd_sent = sa0 != NULL ? sa0->dpd_sent : PNUM_UNKNOWN;
	p->dpd_recv = sa0 != NULL ? sa0->dpd_recv : PNUM_UNKNOWN;
	model_tset(&p->peer_id, g->peer_id != NULL ? g->peer_id :
	    (sa0 != NULL ? sa0->peer_id : NULL));
	model_tset(&p->xauth_user, g->xauth_user);
	if (p->nsas != g->nsas) {
		for (i = 0; i < p->nsas; i++)
			model_ike_sa_clear(&p->sas[i]);
		free(p->sas);
		p->nsas = g->nsas;
		p->sas = g->nsas == 0 ? NULL :
		    xcalloc(g->nsas, sizeof *p->sas);
	}
	for (i = 0; i < g->nsas; i++) {
		model_tset(&p->sas[i].spi_i, g->sas[i].spi_i);
		model_tset(&p->sas[i].spi_r, g->sas[i].spi_r);
		model_tset(&p->sas[i].direction, g->sas[i].direction);
		model_tset(&p->sas[i].status, g->sas[i].status);
		p->sas[i].created_ago_s = g->sas[i].created_ago_s;
		p->sas[i].established_ago_s = g->sas[i].established_ago_s;
		p->sas[i].lifetime = g->sas[i].lifetime;
		p->sas[i].rekey = g->sas[i].rekey;
		p->sas[i].dpd_sent = g->sas[i].dpd_sent;
		p->sas[i].dpd_recv = g->sas[i].dpd_recv;
	}
	if (t->remote_addr == NULL)
		model_tset(&t->remote_addr, g->remote_addr);
	if (t->remote_port == PNUM_UNKNOWN)
		t->remote_port = g->remote_port;
}

void
model_merge_gateways(struct mvdom *v, const struct ike_gateway_list *ig,
    int full, double now)
{
	const struct ike_gateway	*g;
	struct mtun			*t;
	size_t				 i;

	if (full)
		v->dev->full_round[SRC_GATEWAYS] = v->dev->round;
	model_prefetch(v);
	for (i = 0; i < ig->n; i++) {
		g = &ig->gws[i];
		if (g->name == NULL)
			continue;
		t = model_tunnel_get(v, g->name, now);
		model_seen(v, t, SRC_GATEWAYS);
		if (g->parent != NULL)
			model_tset(&t->parent, g->parent);
		model_merge_phase1(t, g, now);
	}
	model_dirty(v->dev->owner);
}

/* Counter delta: unknown on the first sighting or after a reset. */
static pnum
model_delta(struct mtun *t, double now, pnum old, pnum new, const char *what)
{
	if (old == PNUM_UNKNOWN || new == PNUM_UNKNOWN)
		return (PNUM_UNKNOWN);
	if (new < old) {
		model_tevent(t, now, "counter-reset", what, NULL, NULL);
		return (PNUM_UNKNOWN);
	}
	return (new - old);
}

static struct mphase2 *
model_phase2_get(struct mtun *t, const char *name)
{
	struct mphase2	*p;
	size_t		 i;

	for (i = 0; i < t->np2; i++)
		if (strcmp(t->p2[i].name, name) == 0)
			return (&t->p2[i]);
	t->p2 = xreallocarray(t->p2, t->np2 + 1, sizeof *t->p2);
	p = &t->p2[t->np2++];
	memset(p, 0, sizeof *p);
	p->name = model_str(name);
	p->sa = p->enc_spi = p->dec_spi = p->expire_s = PNUM_UNKNOWN;
	p->enc_pkts = p->enc_bytes = p->dec_pkts = p->dec_bytes = PNUM_UNKNOWN;
	p->enc_delta = p->dec_delta = PNUM_UNKNOWN;
	p->sa_since = -1;
	return (p);
}

struct mphase2 *
model_phase2(struct mtun *t, const char *name)
{
	return (model_phase2_get(t, name));
}

static void
model_merge_phase2(struct mtun *t, const struct tl_proxyid *px, double now)
{
	const struct tl_sa	*sa = px->sas;
	struct mphase2		*p;
	pnum			 v;
	char			 from[24], to[24];

	p = model_phase2_get(t, px->name != NULL ? px->name : t->name);
	p->seen = 1;
	model_tset(&p->src, px->src);
	model_tset(&p->dst, px->dst);
	v = tnum_p(px->sa);
	if (p->sa_since < 0)
		p->sa_since = now;
	else if (v != p->sa) {
		snprintf(from, sizeof from, "%lld", (long long)p->sa);
		snprintf(to, sizeof to, "%lld", (long long)v);
		model_tevent(t, now, "sa", p->name,
		    p->sa == PNUM_UNKNOWN ? NULL : from,
		    v == PNUM_UNKNOWN ? NULL : to);
		p->sa_since = now;
	}
	p->sa = v;
	if (sa == NULL) {
		/* No SA: the next one starts its counters from zero. */
		p->enc_spi = p->dec_spi = p->expire_s = PNUM_UNKNOWN;
		p->enc_pkts = p->enc_bytes = PNUM_UNKNOWN;
		p->dec_pkts = p->dec_bytes = PNUM_UNKNOWN;
		p->enc_delta = p->dec_delta = PNUM_UNKNOWN;
		return;
	}
	if (p->enc_spi != PNUM_UNKNOWN && p->enc_spi != 0 &&
	    sa->enc_spi != PNUM_UNKNOWN && p->enc_spi != sa->enc_spi) {
		snprintf(from, sizeof from, "%08llx",
		    (unsigned long long)p->enc_spi);
		snprintf(to, sizeof to, "%08llx",
		    (unsigned long long)sa->enc_spi);
		model_tevent(t, now, "rekey", p->name, from, to);
		/* New SA: its counters start again, that is no reset. */
		p->enc_pkts = p->dec_pkts = PNUM_UNKNOWN;
	}
	p->enc_spi = sa->enc_spi;
	p->dec_spi = sa->dec_spi;
	p->expire_s = tnum_p(sa->expire_s);
	p->enc_delta = model_delta(t, now, p->enc_pkts, sa->enc_pkts,
	    "enc_pkts");
	p->dec_delta = model_delta(t, now, p->dec_pkts, sa->dec_pkts,
	    "dec_pkts");
	p->enc_pkts = sa->enc_pkts;
	p->enc_bytes = sa->enc_bytes;
	p->dec_pkts = sa->dec_pkts;
	p->dec_bytes = sa->dec_bytes;
	model_tset(&p->esp, sa->conf->enc_esp);
}

void
model_merge_tunnels(struct mvdom *v, const struct tunnel_list *tl,
    int full, double now)
{
	const struct tl_tunnel	*s;
	const struct tl_proxyid	*px;
	struct mtun		*t;
	size_t			 i, j, k;

	if (full)
		v->dev->full_round[SRC_TUNNELS] = v->dev->round;
	model_prefetch(v);
	for (i = 0; i < tl->ntunnels; i++) {
		s = tl->tunnels[i];
		if (s->name == NULL)
			continue;
		t = model_tunnel_get(v, s->name, now);
		model_seen(v, t, SRC_TUNNELS);
		if (s->parent != NULL)
			model_tset(&t->parent, s->parent);
		model_tset(&t->local_addr, s->local_addr);
		t->local_port = tnum_p(s->local_port);
		if (t->remote_addr == NULL)
			model_tset(&t->remote_addr, s->remote_addr);
		if (t->remote_port == PNUM_UNKNOWN)
			t->remote_port = tnum_p(s->remote_port);
		t->dpd_count = tnum_p(s->dpd_count);
		for (j = 0; j < t->np2; j++)
			t->p2[j].seen = 0;
		for (px = s->proxyids; px != NULL; px = px->next)
			model_merge_phase2(t, px, now);
		/* Selectors the listing no longer shows are gone. */
		for (j = k = 0; j < t->np2; j++) {
			if (t->p2[j].seen)
				t->p2[k++] = t->p2[j];
			else
				model_phase2_clear(&t->p2[j]);
		}
		t->np2 = k;
	}
	model_dirty(v->dev->owner);
}

static enum mtun_state
model_tunnel_state(const struct mtun *t)
{
	pnum	 total = t->selectors_total, up = t->selectors_up;
	size_t	 i;

	if (t->seen[SRC_SUMMARY] == 0 && t->np2 > 0) {
		total = (pnum)t->np2;
		for (up = 0, i = 0; i < t->np2; i++)
			if (t->p2[i].sa != PNUM_UNKNOWN && t->p2[i].sa > 0)
				up++;
	}
	if (total != PNUM_UNKNOWN && up != PNUM_UNKNOWN && total > 0)
		return (up == 0 ? MTUN_DOWN : up < total ? MTUN_DEGRADED :
		    MTUN_UP);
	if (t->has_phase1 && t->p1.status != NULL &&
	    strcmp(t->p1.status, "established") != 0)
		return (MTUN_DOWN);
	return (MTUN_UNKNOWN);
}

static double
model_rate(struct mtun *t, double now, pnum prev, pnum cur, const char *what)
{
	pnum	 d;

	if (t->prev_at <= 0 || now <= t->prev_at)
		return (NAN);
	if ((d = model_delta(t, now, prev, cur, what)) == PNUM_UNKNOWN)
		return (NAN);
	return ((double)d / (now - t->prev_at));
}

/* Deltas and rates of the summary counters, once per round. */
static void
model_tunnel_counters(struct mtun *t, double now)
{
	t->rx_pps = model_rate(t, now, t->prev_rx_pkt, t->rx_pkt, "rx_pkt");
	t->tx_pps = model_rate(t, now, t->prev_tx_pkt, t->tx_pkt, "tx_pkt");
	t->rx_err_delta = model_delta(t, now, t->prev_rx_err, t->rx_err,
	    "rx_err");
	t->tx_err_delta = model_delta(t, now, t->prev_tx_err, t->tx_err,
	    "tx_err");
	memmove(t->rx_hist, t->rx_hist + 1, sizeof t->rx_hist -
	    sizeof t->rx_hist[0]);
	memmove(t->tx_hist, t->tx_hist + 1, sizeof t->tx_hist -
	    sizeof t->tx_hist[0]);
	t->rx_hist[MODEL_RATE_SAMPLES - 1] = (float)t->rx_pps;
	t->tx_hist[MODEL_RATE_SAMPLES - 1] = (float)t->tx_pps;
	t->prev_rx_pkt = t->rx_pkt;
	t->prev_tx_pkt = t->tx_pkt;
	t->prev_rx_err = t->rx_err;
	t->prev_tx_err = t->tx_err;
	t->prev_at = now;
}

/* Whether every full listing since the tunnel was last seen left it out. */
static int
model_tunnel_gone(const struct mdev *d, const struct mtun *t)
{
	int	 src, seen = 0;

	for (src = 0; src < MODEL_NSOURCES; src++) {
		if (t->seen[src] == 0)
			continue;
		seen = 1;
		if (d->full_round[src] <= t->seen[src])
			return (0);
	}
	return (seen);
}

static void
model_vdom_round_end(struct mvdom *v, double now)
{
	struct mdev	*d = v->dev;
	struct mtun	*t, *p;
	enum mtun_state	 s;
	size_t		 i, k;
	int		 removed = 0;

	for (i = k = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (model_tunnel_gone(d, t)) {
			if (t->reported)
				model_tevent(t, now, "tunnel-removed", NULL,
				    mtun_state_name(t->state), NULL);
			model_tunnel_free(t);
			removed = 1;
			continue;
		}
		v->tunnels[k++] = t;
		t->nchildren = 0;
		if (t->seen[SRC_SUMMARY] == d->round)
			model_tunnel_counters(t, now);
		s = model_tunnel_state(t);
		if (!t->reported) {
			model_tevent(t, now, "tunnel-added", NULL, NULL,
			    mtun_state_name(s));
			t->reported = 1;
		} else if (s != t->state) {
			model_tevent(t, now, "tunnel-state", NULL,
			    mtun_state_name(t->state), mtun_state_name(s));
			t->changed_at = now;
		}
		model_history_note(t, s, now);
		t->state = s;
	}
	v->ntunnels = k;
	if (removed)
		model_index_rebuild(v);
	for (i = 0; i < v->ntunnels; i++) {
		t = v->tunnels[i];
		if (t->parent != NULL && (p = model_tunnel(v, t->parent)) != NULL)
			p->nchildren++;
	}
}

void
model_round_end(struct mdev *d, double now, double poll_ms)
{
	size_t	 i;

	for (i = 0; i < d->nvdoms; i++)
		model_vdom_round_end(d->vdoms[i], now);
	d->last_ok = now;
	d->poll_ms = poll_ms;
	d->rounds++;
	model_dirty(d->owner);
}

void
model_free(struct model *m)
{
	if (m == NULL)
		return;
	model_clear(m);
	free(m);
}

void
model_clear(struct model *m)
{
	struct mdev	*d;
	struct mvdom	*v;
	size_t		 i, j, k;
	unsigned	 dirty = m->dirty;

	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		for (j = 0; j < d->nvdoms; j++) {
			v = d->vdoms[j];
			for (k = 0; k < v->ntunnels; k++)
				model_tunnel_free(v->tunnels[k]);
			free(v->tunnels);
			free(v->index);
			free(v->name);
			free(v);
		}
		free(d->vdoms);
		free(d->name);
		free(d->host);
		free(d->error);
		free(d->hostname);
		free(d->version);
		free(d->model);
		free(d->serial);
		free(d->vdom_mode);
		free(d->ha_mode);
		mtools_free(d->tools);
		free(d);
	}
	free(m->devs);
	free(m->warning);
	model_history_free_pending(m);
	mevent_free(m->events);
	memset(m, 0, sizeof *m);
	m->events_tail = &m->events;
	m->dirty = dirty + 1;
}

size_t
model_ntunnels(const struct model *m)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < m->ndevs; i++)
		for (j = 0; j < m->devs[i]->nvdoms; j++)
			n += m->devs[i]->vdoms[j]->ntunnels;
	return (n);
}

static size_t
model_slen(const char *s)
{
	return (s == NULL ? 0 : strlen(s) + 1);
}

/* A shared string's share: its bytes over the holders. */
static size_t
model_sslen(const char *s)
{
	return (s == NULL ? 0 : (sizeof(struct mstr) + strlen(s) + 1) /
	    mstr_cof(s)->ref);
}

static size_t
model_tunnel_bytes(const struct mtun *t)
{
	const struct mphase1	*p = &t->p1;
	size_t			 n, i;

	n = sizeof *t + model_sslen(t->name) + model_sslen(t->parent) +
	    model_sslen(t->remote_addr) + model_sslen(t->local_addr);
	n += model_sslen(p->status) + model_sslen(p->direction) +
	    model_sslen(p->interface) + model_sslen(p->local_addr) +
	    model_sslen(p->remote_addr) + model_sslen(p->peer_id) +
	    model_sslen(p->xauth_user);
	for (i = 0; i < p->nsas; i++)
		n += sizeof p->sas[i] + model_sslen(p->sas[i].spi_i) +
		    model_sslen(p->sas[i].spi_r) +
		    model_sslen(p->sas[i].direction) +
		    model_sslen(p->sas[i].status);
	for (i = 0; i < t->np2; i++)
		n += sizeof t->p2[i] + model_sslen(t->p2[i].name) +
		    model_sslen(t->p2[i].src) + model_sslen(t->p2[i].dst) +
		    model_sslen(t->p2[i].esp);
	return (n + mtools_bytes(t->tools) + model_history_bytes(&t->hist));
}

size_t
model_bytes(const struct model *m)
{
	const struct mvdom	*v;
	size_t			 i, j, k, n = sizeof *m;

	for (i = 0; i < m->ndevs; i++) {
		n += sizeof *m->devs[i] + sizeof (void *) +
		    mtools_bytes(m->devs[i]->tools);
		for (j = 0; j < m->devs[i]->nvdoms; j++) {
			v = m->devs[i]->vdoms[j];
			n += sizeof *v + (v->cap + v->index_cap) *
			    sizeof (void *);
			for (k = 0; k < v->ntunnels; k++)
				n += model_tunnel_bytes(v->tunnels[k]);
		}
	}
	return (n);
}

/* JSON. */

/* v (0 <= v < 10^n) as n decimal digits at p. */
static void
model_json_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Wall-clock seconds as ISO 8601 UTC with milliseconds. */
void
model_json_time(struct json *j, const char *key, double t)
{
	char		 buf[64];
	struct tm	 tm;
	time_t		 s;
	int		 ms;

	json_key(j, key);
	if (!(t > 0)) {
		json_null(j);
		return;
	}
	s = (time_t)t;
	/*
	 * A time read back from this text (the journal) is a double a
	 * hair below its millisecond: nudge by 10 us so it writes again
	 * as the same text.
	 */
	ms = (int)((t - (double)s) * 1000 + 0.01);
	if (ms > 999)
		ms = 999;
	gmtime_r(&s, &tm);
	if (tm.tm_year + 1900 > 9999) {
		snprintf(buf, sizeof buf, "%d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ms);
		json_str(j, buf);
		return;
	}
	/*
	 * By hand: snprintf made this 4,000 instructions, and every event
	 * and every tunnel of a snapshot carries a time or three.
	 */
	memcpy(buf, "0000-00-00T00:00:00.000Z", 25);
	model_json_digits(buf, tm.tm_year + 1900, 4);
	model_json_digits(buf + 5, tm.tm_mon + 1, 2);
	model_json_digits(buf + 8, tm.tm_mday, 2);
	model_json_digits(buf + 11, tm.tm_hour, 2);
	model_json_digits(buf + 14, tm.tm_min, 2);
	model_json_digits(buf + 17, tm.tm_sec, 2);
	model_json_digits(buf + 20, ms, 3);
	json_str(j, buf);
}

static void
model_json_rate(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v, 2);	/* NaN -> null */
}

static void
model_json_bool(struct json *j, const char *key, int v)
{
	json_kbool(j, key, v);	/* -1 -> null */
}

static void
model_json_spi(struct json *j, const char *key, pnum v)
{
	char	 buf[24];

	if (v == PNUM_UNKNOWN) {
		json_kstr(j, key, NULL);
		return;
	}
	snprintf(buf, sizeof buf, "%08llx", (unsigned long long)v);
	json_kstr(j, key, buf);
}

static void
model_json_phase1(struct json *j, const struct mtun *t)
{
	const struct mphase1	*p = &t->p1;
	size_t			 i;

	json_key(j, "phase1");
	if (!t->has_phase1) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_kstr(j, "status", p->status);
	json_knum(j, "version", p->version);
	json_kstr(j, "direction", p->direction);
	json_kstr(j, "interface", p->interface);
	json_kstr(j, "local_addr", p->local_addr);
	json_knum(j, "local_port", p->local_port);
	json_kstr(j, "remote_addr", p->remote_addr);
	json_knum(j, "remote_port", p->remote_port);
	model_json_bool(j, "nat_me", p->nat_me);
	model_json_bool(j, "nat_peer", p->nat_peer);
	json_key(j, "ike_sa");
	json_obj_begin(j);
	json_kpair(j, "created", p->ike_created[0], p->ike_created[1]);
	json_kpair(j, "established", p->ike_established[0],
	    p->ike_established[1]);
	json_obj_end(j);
	json_key(j, "ipsec_sa");
	json_obj_begin(j);
	json_kpair(j, "created", p->ipsec_created[0], p->ipsec_created[1]);
	json_kpair(j, "established", p->ipsec_established[0],
	    p->ipsec_established[1]);
	json_obj_end(j);
	json_knum(j, "created_ago_s", p->created_ago_s);
	json_knum(j, "established_ago_s", p->established_ago_s);
	json_knum(j, "dpd_sent", p->dpd_sent);
	json_knum(j, "dpd_recv", p->dpd_recv);
	json_kstr(j, "peer_id", p->peer_id);
	json_kstr(j, "xauth_user", p->xauth_user);
	json_key(j, "sas");
	json_arr_begin(j);
	for (i = 0; i < p->nsas; i++) {
		json_obj_begin(j);
		json_kstr(j, "spi_i", p->sas[i].spi_i);
		json_kstr(j, "spi_r", p->sas[i].spi_r);
		json_kstr(j, "direction", p->sas[i].direction);
		json_kstr(j, "status", p->sas[i].status);
		json_knum(j, "created_ago_s", p->sas[i].created_ago_s);
		json_knum(j, "established_ago_s",
		    p->sas[i].established_ago_s);
		json_knum(j, "lifetime", p->sas[i].lifetime);
		json_knum(j, "rekey", p->sas[i].rekey);
		json_knum(j, "dpd_sent", p->sas[i].dpd_sent);
		json_knum(j, "dpd_recv", p->sas[i].dpd_recv);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void
model_json_phase2(struct json *j, const struct mphase2 *p)
{
	json_obj_begin(j);
	json_kstr(j, "name", p->name);
	json_knum(j, "sa", p->sa);
	json_kstr(j, "src", p->src);
	json_kstr(j, "dst", p->dst);
	model_json_spi(j, "enc_spi", p->enc_spi);
	model_json_spi(j, "dec_spi", p->dec_spi);
	json_knum(j, "expire_s", p->expire_s);
	json_knum(j, "enc_pkts", p->enc_pkts);
	json_knum(j, "enc_bytes", p->enc_bytes);
	json_knum(j, "dec_pkts", p->dec_pkts);
	json_knum(j, "dec_bytes", p->dec_bytes);
	json_knum(j, "enc_delta", p->enc_delta);
	json_knum(j, "dec_delta", p->dec_delta);
	json_kstr(j, "esp", p->esp);
	json_obj_end(j);
}

static void
model_json_tunnel_at(struct json *j, const struct mtun *t, double now,
    int snapshot, void (*findings_json)(struct json *, const struct mtun *))
{
	size_t	 i;

	json_obj_begin(j);
	json_kstr(j, "name", t->name);
	json_kstr(j, "parent", t->parent);
	json_knum(j, "children", (int64_t)t->nchildren);
	json_kstr(j, "state", mtun_state_name(t->state));
	json_kstr(j, "remote_addr", t->remote_addr);
	json_knum(j, "remote_port", t->remote_port);
	json_kstr(j, "local_addr", t->local_addr);
	json_knum(j, "local_port", t->local_port);
	json_knum(j, "selectors_total", t->selectors_total);
	json_knum(j, "selectors_up", t->selectors_up);
	json_knum(j, "rx_pkt", t->rx_pkt);
	json_knum(j, "rx_err", t->rx_err);
	json_knum(j, "tx_pkt", t->tx_pkt);
	json_knum(j, "tx_err", t->tx_err);
	model_json_rate(j, "rx_pps", t->rx_pps);
	model_json_rate(j, "tx_pps", t->tx_pps);
	model_json_time(j, "changed_at", t->changed_at);
	/* History (see model.h); unknown until a state is known. */
	json_key(j, "uptime_s");
	json_double(j, t->hist.first != 0 ? model_tunnel_uptime(t, now) :
	    NAN, 0);
	json_knum(j, "flaps_1h", t->hist.first != 0 ?
	    (int64_t)model_tunnel_flaps(t, now, MODEL_FLAP_WINDOW) :
	    PNUM_UNKNOWN);
	json_key(j, "down_24h_s");
	json_double(j, t->hist.first != 0 ? model_tunnel_downtime(t, now,
	    MODEL_HIST_SPAN) : NAN, 0);
	model_json_phase1(j, t);
	json_key(j, "phase2");
	json_arr_begin(j);
	for (i = 0; i < t->np2; i++)
		model_json_phase2(j, &t->p2[i]);
	json_arr_end(j);
	json_key(j, "findings");
	if (findings_json != NULL)
		findings_json(j, t);
	else {
		json_arr_begin(j);
		json_arr_end(j);
	}
	if (t->tools != NULL && !snapshot) {
		json_key(j, "tools");
		mtools_json(j, t->tools);
	}
	json_obj_end(j);
}

static void
model_json_device_at(struct json *j, const struct mdev *d, double now,
    int snapshot, void (*findings_json)(struct json *, const struct mtun *))
{
	const struct mvdom	*v;
	size_t			 i, k;

	json_obj_begin(j);
	json_kstr(j, "name", d->name);
	json_kstr(j, "host", d->host);
	json_knum(j, "port", d->port);
	json_kstr(j, "state", mdev_state_name(d->state));
	json_kstr(j, "error", d->error);
	json_kstr(j, "hostname", d->hostname);
	json_kstr(j, "version", d->version);
	json_knum(j, "build", d->build);
	json_kstr(j, "model", d->model);
	json_kstr(j, "serial", d->serial);
	json_kstr(j, "vdom_mode", d->vdom_mode);
	json_kstr(j, "ha_mode", d->ha_mode);
	model_json_time(j, "last_ok", d->last_ok);
	json_key(j, "poll_ms");
	json_double(j, d->rounds > 0 ? d->poll_ms : NAN, 1);
	if (d->tools != NULL && !snapshot) {
		json_key(j, "tools");
		mtools_json(j, d->tools);
	}
	json_key(j, "vdoms");
	json_arr_begin(j);
	for (i = 0; i < d->nvdoms; i++) {
		v = d->vdoms[i];
		json_obj_begin(j);
		json_kstr(j, "name", v->name);
		json_key(j, "tunnels");
		json_arr_begin(j);
		for (k = 0; k < v->ntunnels; k++)
			model_json_tunnel_at(j, v->tunnels[k], now, snapshot,
			    findings_json);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* As of the device's last poll: the history's numbers then. */
void
model_json_tunnel(struct json *j, const struct mtun *t,
    void (*findings_json)(struct json *, const struct mtun *))
{
	model_json_tunnel_at(j, t, t->vdom->dev->last_ok, 0, findings_json);
}

void
model_json_device(struct json *j, const struct mdev *d,
    void (*findings_json)(struct json *, const struct mtun *))
{
	model_json_device_at(j, d, d->last_ok, 0, findings_json);
}

static void
model_json_doc(struct json *j, const struct model *m, double now,
    const char *version, int snapshot,
    void (*findings_json)(struct json *, const struct mtun *))
{
	size_t	 i;

	json_obj_begin(j);
	json_kstr(j, "fgtop_version", version);
	model_json_time(j, "generated_at", now);
	json_key(j, "warnings");
	json_arr_begin(j);
	if (m->warning != NULL)
		json_str(j, m->warning);
	json_arr_end(j);
	json_key(j, "devices");
	json_arr_begin(j);
	for (i = 0; i < m->ndevs; i++)
		model_json_device_at(j, m->devs[i], now, snapshot,
		    findings_json);
	json_arr_end(j);
	json_obj_end(j);
}

void
model_json(struct json *j, const struct model *m, double now,
    const char *version,
    void (*findings_json)(struct json *, const struct mtun *))
{
	model_json_doc(j, m, now, version, 0, findings_json);
}

void
model_json_snapshot(struct json *j, const struct model *m, double now,
    const char *version,
    void (*findings_json)(struct json *, const struct mtun *))
{
	model_json_doc(j, m, now, version, 1, findings_json);
}

void
mevent_json(struct json *j, const struct mevent *e)
{
	json_obj_begin(j);
	model_json_time(j, "time", e->time);
	json_kstr(j, "event", e->type);
	json_kstr(j, "device", e->device);
	json_kstr(j, "vdom", e->vdom);
	json_kstr(j, "tunnel", e->tunnel);
	json_kstr(j, "item", e->item);
	json_kstr(j, "from", e->from);
	json_kstr(j, "to", e->to);
	json_kstr(j, "detail", e->detail);
	json_obj_end(j);
}

/* Tools: bounded rings of tool results and IKE debug lines. */

static void
mtools_free(struct mtools *mt)
{
	size_t	 i;

	if (mt == NULL)
		return;
	for (i = 0; i < MODEL_TOOL_RESULTS; i++) {
		free(mt->results[i].tool);
		free(mt->results[i].target);
		free(mt->results[i].reading);
		free(mt->results[i].text);
	}
	for (i = 0; i < MODEL_DEBUG_LINES; i++)
		free(mt->lines[i].text);
	free(mt);
}

static size_t
mtools_bytes(const struct mtools *mt)
{
	size_t	 i, n;

	if (mt == NULL)
		return (0);
	n = sizeof *mt;
	for (i = 0; i < MODEL_TOOL_RESULTS; i++)
		n += model_slen(mt->results[i].tool) +
		    model_slen(mt->results[i].target) +
		    model_slen(mt->results[i].reading) +
		    model_slen(mt->results[i].text);
	for (i = 0; i < MODEL_DEBUG_LINES; i++)
		n += model_slen(mt->lines[i].text);
	return (n);
}

static struct mtools *
model_tools_of(struct mdev *d, struct mtun *t)
{
	struct mtools	**p = t != NULL ? &t->tools : &d->tools;

	if (*p == NULL)
		*p = xcalloc(1, sizeof **p);
	return (*p);
}

/* Device text, made safe and bounded, as a new string. */
static char *
model_clean_text(const char *s, size_t n)
{
	char	*out;

	if (s == NULL)
		return (NULL);
	if (n > MODEL_TOOL_TEXT)
		n = MODEL_TOOL_TEXT;
	out = xmalloc(n + 1);
	n = cli_sanitize(s, n, out);
	out[n] = '\0';
	return (out);
}

struct mtun *
model_tunnel_by_peer(const struct mdev *d, const char *vdom,
    const char *addr)
{
	const struct mvdom	*v;
	struct mtun		*t;
	size_t			 i, k;

	for (i = 0; i < d->nvdoms; i++) {
		v = d->vdoms[i];
		if (vdom != NULL && strcmp(v->name, vdom) != 0)
			continue;
		for (k = 0; k < v->ntunnels; k++) {
			t = v->tunnels[k];
			if ((t->remote_addr != NULL &&
			    strcmp(t->remote_addr, addr) == 0) ||
			    (t->p1.remote_addr != NULL &&
			    strcmp(t->p1.remote_addr, addr) == 0))
				return (t);
		}
	}
	return (NULL);
}

void
model_tool_result(struct mdev *d, struct mtun *t, double now,
    const char *tool, const char *target, const char *reading,
    const char *text)
{
	struct mtools		*mt = model_tools_of(d, t);
	struct mtool_result	*r;

	if (mt->nresults == MODEL_TOOL_RESULTS) {
		r = &mt->results[mt->rhead];
		mt->rhead = (mt->rhead + 1) % MODEL_TOOL_RESULTS;
	} else
		r = &mt->results[(mt->rhead + mt->nresults++) %
		    MODEL_TOOL_RESULTS];
	free(r->tool);
	free(r->target);
	free(r->reading);
	free(r->text);
	r->time = now;
	r->tool = xstrdup(tool);
	r->target = model_clean_text(target, target != NULL ?
	    strlen(target) : 0);
	r->reading = model_clean_text(reading, reading != NULL ?
	    strlen(reading) : 0);
	r->text = model_clean_text(text, text != NULL ? strlen(text) : 0);
	model_dirty(d->owner);
}

void
model_debug_line(struct mdev *d, struct mtun *t, double now,
    const char *text, size_t len, int secret, const char *topic,
    const char *rule)
{
	static const char	 hidden[] = "(key material hidden)";
	struct mtools		*mt = model_tools_of(d, t);
	struct mdebug_line	*l;

	if (mt->nlines == MODEL_DEBUG_LINES) {
		l = &mt->lines[mt->lhead];
		mt->lhead = (mt->lhead + 1) % MODEL_DEBUG_LINES;
	} else
		l = &mt->lines[(mt->lhead + mt->nlines++) %
		    MODEL_DEBUG_LINES];
	free(l->text);
	l->time = now;
	l->text = secret ? xstrdup(hidden) : model_clean_text(text, len);
	l->topic = topic;
	l->rule = rule;
	mt->lines_total++;
	model_dirty(d->owner);
}

const struct mtool_result *
mtools_result(const struct mtools *mt, size_t i)
{
	if (mt == NULL || i >= mt->nresults)
		return (NULL);
	return (&mt->results[(mt->rhead + i) % MODEL_TOOL_RESULTS]);
}

const struct mdebug_line *
mtools_line(const struct mtools *mt, size_t i)
{
	if (mt == NULL || i >= mt->nlines)
		return (NULL);
	return (&mt->lines[(mt->lhead + i) % MODEL_DEBUG_LINES]);
}

void
mtools_json(struct json *j, const struct mtools *mt)
{
	const struct mtool_result	*r;
	const struct mdebug_line	*l;
	size_t				 i;

	json_obj_begin(j);
	json_key(j, "results");
	json_arr_begin(j);
	for (i = 0; (r = mtools_result(mt, i)) != NULL; i++) {
		json_obj_begin(j);
		model_json_time(j, "time", r->time);
		json_kstr(j, "tool", r->tool);
		json_kstr(j, "target", r->target);
		json_kstr(j, "reading", r->reading);
		json_kstr(j, "text", r->text);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_knum(j, "debug_lines_total", (int64_t)mt->lines_total);
	json_key(j, "debug_lines");
	json_arr_begin(j);
	for (i = 0; (l = mtools_line(mt, i)) != NULL; i++) {
		json_obj_begin(j);
		model_json_time(j, "time", l->time);
		json_kstr(j, "kind", l->topic);
		json_kstr(j, "rule", l->rule);
		json_kstr(j, "text", l->text);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
