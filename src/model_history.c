/* SPDX-License-Identifier: ISC */
/*
 * model_history - per-tunnel state history: uptime, downtime, flaps and
 * the sparkline's cells, in bounded buckets.  See "History" in model.h
 * for the contract.
 *
 * Two rings of buckets, tagged with the minute or hour they hold, so a
 * slot whose tag is not the one asked for is stale and simply reused:
 * no sweeping, nothing grows.  A minute bucket keeps the state before
 * its first transition and after its last, so the state at any time in
 * the last hour can be told from the buckets alone.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xmalloc.h"

#define HIST_MINS	64	/* > the 61 minutes an hour's window touches */
#define HIST_HOURS	26	/* > the 25 hours a day's window touches */
#define HIST_EMPTY	INT32_MIN

struct mhist_min {
	int32_t		 min;		/* minutes since the epoch */
	float		 down_s;	/* seconds down in the minute */
	uint16_t	 flaps;
	uint8_t		 seen;		/* 1 << state, for every state held */
	uint8_t		 before;	/* state before the first transition */
	uint8_t		 last;		/* state after the last one */
};

struct mhist_hour {
	int32_t		 hour;		/* hours since the epoch */
	uint32_t	 flaps;
	float		 down_s;	/* seconds down in the hour */
};

struct mhist_ring {
	struct mhist_min  m[HIST_MINS];
	struct mhist_hour h[HIST_HOURS];
};

struct mhist_pending {
	char		*key;		/* device, vdom, tunnel joined by 0x1f */
	struct mhist	 h;
	int		 adopted;
};

static int32_t
hist_minute(double t)
{
	return ((int32_t)floor(t / 60));
}

static int32_t
hist_hour(double t)
{
	return ((int32_t)floor(t / 3600));
}

static struct mhist_ring *
hist_ring_new(void)
{
	struct mhist_ring	*r;
	size_t			 i;

	r = xcalloc(1, sizeof *r);
	for (i = 0; i < HIST_MINS; i++)
		r->m[i].min = HIST_EMPTY;
	for (i = 0; i < HIST_HOURS; i++)
		r->h[i].hour = HIST_EMPTY;
	return (r);
}

static struct mhist_hour *
hist_hour_get(struct mhist_ring *r, int32_t hr)
{
	struct mhist_hour	*b = &r->h[(uint32_t)hr % HIST_HOURS];

	if (b->hour != hr) {
		b->hour = hr;
		b->flaps = 0;
		b->down_s = 0;
	}
	return (b);
}

/*
 * The minute bucket of m, reset when it held another minute: then the
 * tunnel held state s all through it so far.
 */
static struct mhist_min *
hist_min_get(struct mhist_ring *r, int32_t m, int s)
{
	struct mhist_min	*b = &r->m[(uint32_t)m % HIST_MINS];

	if (b->min != m) {
		b->min = m;
		b->flaps = 0;
		b->down_s = 0;
		b->before = b->last = (uint8_t)s;
		b->seen = (uint8_t)(1u << s);
	}
	return (b);
}

/*
 * The down period [from, to) spread over the minutes (the last hour's)
 * and hours (the last day's) it covers.
 */
static void
hist_add_down(struct mhist_ring *r, double from, double to)
{
	double			 lo, hs, a, b, x;
	struct mhist_min	*mb;
	int32_t			 i;

	lo = to - (double)(HIST_HOURS - 1) * 3600;
	for (x = from > lo ? from : lo, i = hist_hour(x); x < to; i++) {
		hs = (double)i * 3600;
		a = x > hs ? x : hs;
		b = to < hs + 3600 ? to : hs + 3600;
		if (b > a)
			hist_hour_get(r, i)->down_s += (float)(b - a);
		x = hs + 3600;
	}
	lo = to - (double)(HIST_MINS - 1) * 60;
	for (x = from > lo ? from : lo, i = hist_minute(x); x < to; i++) {
		hs = (double)i * 60;
		a = x > hs ? x : hs;
		b = to < hs + 60 ? to : hs + 60;
		mb = hist_min_get(r, i, MTUN_DOWN);
		if (b > a)
			mb->down_s += (float)(b - a);
		x = hs + 60;
	}
}

static int
hist_is_flap(int from, int to)
{
	return (from == MTUN_UP && (to == MTUN_DOWN || to == MTUN_DEGRADED));
}

static void
hist_note(struct mhist *h, int s, double now)
{
	struct mhist_min	*mb;
	int32_t			 m;

	if (h->first == 0) {
		if (s == MTUN_UNKNOWN)
			return;
		h->first = h->since = now;
		h->state = s;
		return;
	}
	if (s == h->state)
		return;
	if (now < h->since)
		now = h->since;		/* never backwards */
	if (h->ring == NULL)
		h->ring = hist_ring_new();
	if (h->state == MTUN_DOWN)
		hist_add_down(h->ring, h->since, now);
	m = hist_minute(now);
	mb = hist_min_get(h->ring, m, h->state);
	mb->seen |= (uint8_t)(1u << s);
	mb->last = (uint8_t)s;
	if (hist_is_flap(h->state, s)) {
		if (mb->flaps < UINT16_MAX)
			mb->flaps++;
		hist_hour_get(h->ring, hist_hour(now))->flaps++;
	}
	h->state = s;
	h->since = now;
}

void
model_history_note(struct mtun *t, int s, double now)
{
	hist_note(&t->hist, s, now);
}

double
model_tunnel_uptime(const struct mtun *t, double now)
{
	const struct mhist	*h = &t->hist;

	if (h->first == 0 || h->state != MTUN_UP || now < h->since)
		return (0);
	return (now - h->since);
}

double
model_tunnel_held(const struct mtun *t, double now, int *state)
{
	const struct mhist	*h = &t->hist;

	*state = h->first == 0 ? MTUN_UNKNOWN : h->state;
	if (h->first == 0 || now < h->since)
		return (0);
	return (now - h->since);
}

/*
 * Down seconds of a bucket [hs, hs + len) inside [lo, now]: a bucket the
 * window's start cuts counts in part (the current one is full so far).
 */
static double
hist_down_part(double down_s, double hs, double len, double lo, double now)
{
	double	 he = hs + len < now ? hs + len : now, a;

	if (down_s == 0 || he <= lo || hs > now || he <= hs)
		return (0);
	a = hs > lo ? hs : lo;
	return (down_s * (he - a) / (he - hs));
}

double
model_tunnel_downtime(const struct mtun *t, double now, double window)
{
	const struct mhist	*h = &t->hist;
	const struct mhist_ring	*r = h->ring;
	double			 lo, sum = 0;
	size_t			 i;

	if (window > MODEL_HIST_SPAN)
		window = MODEL_HIST_SPAN;
	lo = now - window;
	for (i = 0; r != NULL && window <= 3600 && i < HIST_MINS; i++)
		if (r->m[i].min != HIST_EMPTY)
			sum += hist_down_part(r->m[i].down_s,
			    (double)r->m[i].min * 60, 60, lo, now);
	for (i = 0; r != NULL && window > 3600 && i < HIST_HOURS; i++)
		if (r->h[i].hour != HIST_EMPTY)
			sum += hist_down_part(r->h[i].down_s,
			    (double)r->h[i].hour * 3600, 3600, lo, now);
	if (h->first != 0 && h->state == MTUN_DOWN && now > h->since)
		sum += now - (h->since > lo ? h->since : lo);
	return (sum);
}

unsigned
model_tunnel_flaps(const struct mtun *t, double now, double window)
{
	const struct mhist_ring	*r = t->hist.ring;
	double			 lo, s;
	unsigned		 n = 0;
	size_t			 i;

	if (r == NULL)
		return (0);
	if (window > MODEL_HIST_SPAN)
		window = MODEL_HIST_SPAN;
	lo = now - window;
	if (window <= 3600) {
		for (i = 0; i < HIST_MINS; i++) {
			if (r->m[i].min == HIST_EMPTY)
				continue;
			s = (double)r->m[i].min * 60;
			if (s + 60 > lo && s <= now)
				n += r->m[i].flaps;
		}
		return (n);
	}
	for (i = 0; i < HIST_HOURS; i++) {
		if (r->h[i].hour == HIST_EMPTY)
			continue;
		s = (double)r->h[i].hour * 3600;
		if (s + 3600 > lo && s <= now)
			n += r->h[i].flaps;
	}
	return (n);
}

/* The state held at time x (x <= now), as well as the buckets tell. */
static int
hist_state_at(const struct mhist *h, double now, double x)
{
	const struct mhist_min	*b, *before = NULL, *after = NULL;
	int32_t			 mx = hist_minute(x), oldest;
	size_t			 i;

	if (h->first == 0 || x < h->first)
		return (MTUN_UNKNOWN);
	if (x >= h->since || h->ring == NULL)
		return (h->state);
	oldest = hist_minute(now) - HIST_MINS + 1;
	for (i = 0; i < HIST_MINS; i++) {
		b = &h->ring->m[i];
		if (b->min == HIST_EMPTY || b->min < oldest)
			continue;
		if (b->min < mx && (before == NULL || b->min > before->min))
			before = b;
		if (b->min >= mx && (after == NULL || b->min < after->min))
			after = b;
	}
	if (before != NULL)
		return (before->last);
	if (after != NULL)
		return (after->before);
	return (MTUN_UNKNOWN);
}

/* Down > degraded > up > unknown: the cell shows the worst. */
static int
hist_worst(unsigned mask)
{
	static const int order[] = { MTUN_DOWN, MTUN_DEGRADED, MTUN_UP };
	size_t		 i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (mask & (1u << order[i]))
			return (order[i]);
	return (MTUN_UNKNOWN);
}

void
model_tunnel_spark(const struct mtun *t, double now, double window,
    unsigned char *cells, size_t n)
{
	const struct mhist	*h = &t->hist;
	const struct mhist_min	*b;
	double			 lo = now - window, cs, ce, ms;
	unsigned		 mask;
	size_t			 i, k;

	for (i = 0; i < n; i++) {
		cs = lo + window * (double)i / (double)n;
		ce = lo + window * (double)(i + 1) / (double)n;
		/*
		 * The cell's state when it started, or when the first state
		 * came if that was inside the cell: a tunnel first seen
		 * down 7 s ago shows a down cell, not a blank one.
		 */
		mask = 1u << hist_state_at(h, now, cs > h->first ? cs :
		    h->first);
		for (k = 0; h->ring != NULL && k < HIST_MINS; k++) {
			b = &h->ring->m[k];
			if (b->min == HIST_EMPTY)
				continue;
			ms = (double)b->min * 60;
			/* Within the minute, when is not known: any overlap. */
			if (ms < ce && ms + 60 > cs && ms >= h->first - 60)
				mask |= b->seen;
		}
		if (h->first == 0 || ce <= h->first)
			mask = 0;
		cells[i] = (unsigned char)hist_worst(mask);
	}
}

/* Restored histories: an open-addressing table by device/vdom/tunnel. */

static char *
hist_key(const char *device, const char *vdom, const char *tunnel)
{
	size_t	 a = strlen(device), b = strlen(vdom), c = strlen(tunnel);
	char	*k = xmalloc(a + b + c + 3);

	memcpy(k, device, a);
	k[a] = '\x1f';
	memcpy(k + a + 1, vdom, b);
	k[a + 1 + b] = '\x1f';
	memcpy(k + a + b + 2, tunnel, c + 1);
	return (k);
}

static size_t
hist_hash(const char *s)
{
	size_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

/* The slot of key: its entry, or the empty slot it would take. */
static struct mhist_pending **
hist_slot(struct model *m, const char *key)
{
	size_t	 i = hist_hash(key) & (m->pending_cap - 1);

	while (m->pending[i] != NULL && strcmp(m->pending[i]->key, key) != 0)
		i = (i + 1) & (m->pending_cap - 1);
	return (&m->pending[i]);
}

static void
hist_pending_grow(struct model *m)
{
	struct mhist_pending	**old = m->pending;
	size_t			  i, n = m->pending_cap;

	m->pending_cap = n == 0 ? 64 : n * 2;
	m->pending = xcalloc(m->pending_cap, sizeof *m->pending);
	for (i = 0; i < n; i++)
		if (old[i] != NULL)
			*hist_slot(m, old[i]->key) = old[i];
	free(old);
}

static struct mvdom *
hist_find_vdom(const struct model *m, const char *device, const char *vdom)
{
	size_t	 i, j;

	for (i = 0; i < m->ndevs; i++) {
		if (strcmp(m->devs[i]->name, device) != 0)
			continue;
		for (j = 0; j < m->devs[i]->nvdoms; j++)
			if (strcmp(m->devs[i]->vdoms[j]->name, vdom) == 0)
				return (m->devs[i]->vdoms[j]);
	}
	return (NULL);
}

void
model_history_restore(struct model *m, const char *device, const char *vdom,
    const char *tunnel, int s, double time)
{
	struct mvdom		 *v;
	struct mtun		 *t;
	struct mhist_pending	**slot;
	char			 *key;

	if (s < MTUN_UNKNOWN || s > MTUN_UP)
		return;
	if ((v = hist_find_vdom(m, device, vdom)) != NULL &&
	    (t = model_tunnel(v, tunnel)) != NULL) {
		hist_note(&t->hist, s, time);
		return;
	}
	if ((m->npending + 1) * 2 > m->pending_cap)
		hist_pending_grow(m);
	key = hist_key(device, vdom, tunnel);
	slot = hist_slot(m, key);
	if (*slot == NULL) {
		*slot = xcalloc(1, sizeof **slot);
		(*slot)->key = key;
		m->npending++;
	} else
		free(key);
	if ((*slot)->adopted)
		return;		/* the tunnel exists now: too late */
	hist_note(&(*slot)->h, s, time);
}

void
model_history_adopt(struct model *m, struct mtun *t)
{
	struct mhist_pending	**slot;
	char			 *key;

	if (m->npending == 0)
		return;
	key = hist_key(t->vdom->dev->name, t->vdom->name, t->name);
	slot = hist_slot(m, key);
	free(key);
	if (*slot == NULL || (*slot)->adopted)
		return;
	model_history_clear(&t->hist);
	t->hist = (*slot)->h;
	memset(&(*slot)->h, 0, sizeof (*slot)->h);
	(*slot)->adopted = 1;
}

void
model_history_clear(struct mhist *h)
{
	free(h->ring);
	memset(h, 0, sizeof *h);
}

void
model_history_free_pending(struct model *m)
{
	size_t	 i;

	for (i = 0; i < m->pending_cap; i++) {
		if (m->pending[i] == NULL)
			continue;
		model_history_clear(&m->pending[i]->h);
		free(m->pending[i]->key);
		free(m->pending[i]);
	}
	free(m->pending);
	m->pending = NULL;
	m->pending_cap = m->npending = 0;
}

size_t
model_history_bytes(const struct mhist *h)
{
	return (h->ring != NULL ? sizeof *h->ring : 0);
}
