/* SPDX-License-Identifier: ISC */
/*
 * routing_table - parse `get router info routing-table`; see the header.
 *
 * A route line is split into comma-separated items (commas inside the
 * "(recursive ...)" part or a bracket do not count), and each item is
 * recognised by its first word: "[d/m]", "via", "is directly connected",
 * "is a summary", "(recursive", an age.  The item after a plain "via
 * GATEWAY" or "is directly connected" is the interface, whatever it looks
 * like, so interface names with spaces or dashes need no special case.
 */
#include "config.h"

#include <string.h>

#include "routing_table.h"

/* What one line is doing to the route it belongs to. */
struct rt_cursor {
	struct routing_table	*rt;
	struct rt_route		*r;
	struct rt_nexthop	*h;	/* the hop this line added last */
	int			 expect_iface;
	int			 fib;	/* "*" flag on this line, -1 none */
};

static void
rt_skip(const char **s, size_t *n, size_t k)
{
	if (k > *n)
		k = *n;
	*s += k;
	*n -= k;
	pu_trim(s, n);
}

static int
rt_dup(struct routing_table *rt, const char **dst, const char *s, size_t n)
{
	pu_trim(&s, &n);
	if (n == 0)
		return (0);
	if ((*dst = pa_strndup(rt->arena, s, n)) == NULL)
		return (-1);
	return (0);
}

/* The first word of (s, n) into *dst, when there is one. */
static int
rt_word(struct routing_table *rt, const char **dst, const char *s, size_t n)
{
	const char	*w;
	size_t		 wn, i = 0;

	if (!pu_word(s, n, &i, &w, &wn))
		return (0);
	return (rt_dup(rt, dst, w, wn));
}

/* "00:21:21": hours, minutes and seconds. */
static pnum
rt_age_clock(const char *s, size_t n)
{
	pnum	v, part[3];
	size_t	i = 0, k;
	int	np = 0;

	while (i < n) {
		if (np == 3 || (k = pu_num(s + i, n - i, &v)) == 0)
			return (PNUM_UNKNOWN);
		part[np++] = v;
		if ((i += k) == n)
			break;
		if (s[i++] != ':' || i == n)
			return (PNUM_UNKNOWN);
	}
	if (np != 3 || part[0] > INT64_MAX / 7200 || part[1] > 59 ||
	    part[2] > 59)
		return (PNUM_UNKNOWN);
	return (part[0] * 3600 + part[1] * 60 + part[2]);
}

/* Seconds in one unit letter of "3d13h31m", or 0. */
static pnum
rt_age_unit(char c)
{
	switch (c) {
	case 'y':
		return (365 * 86400);
	case 'w':
		return (7 * 86400);
	case 'd':
		return (86400);
	case 'h':
		return (3600);
	case 'm':
		return (60);
	case 's':
		return (1);
	}
	return (0);
}

pnum
routing_table_age(const char *s, size_t n)
{
	pnum	v, total = 0, mul;
	size_t	i = 0, k;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return (PNUM_UNKNOWN);
	if (memchr(s, ':', n) != NULL)
		return (rt_age_clock(s, n));
	while (i < n) {
		if ((k = pu_num(s + i, n - i, &v)) == 0 || (i += k) == n)
			return (PNUM_UNKNOWN);
		if ((mul = rt_age_unit(s[i++])) == 0 ||
		    v > (INT64_MAX - total) / mul)
			return (PNUM_UNKNOWN);
		total += v * mul;
	}
	return (total);
}

/* routing_table_each's state while it runs. */
struct rt_stream {
	rt_route_fn	 fn;
	void		*arg;
	size_t		 n;	/* routes handed to fn */
	int		 rc;
};

/*
 * Streaming: the route parsed so far is complete (the next one starts,
 * or the text ends); lend it to fn and drop it with everything in the
 * arena, which holds nothing else then.
 */
static int
rt_emit(struct routing_table *rt)
{
	struct rt_stream	*st = rt->stream;

	if (st == NULL || rt->nroutes == 0)
		return (0);
	st->n++;
	if ((st->rc = st->fn(&rt->routes[0], st->arg)) != 0)
		return (-1);
	pa_reset(rt->arena);
	rt->routes = NULL;
	rt->nroutes = rt->cap = 0;
	return (0);
}

static struct rt_route *
rt_route_new(struct routing_table *rt)
{
	struct rt_route	*r;

	if (rt_emit(rt) != 0)
		return (NULL);
	if (pa_grow(rt->arena, (void **)&rt->routes, &rt->cap,
	    rt->nroutes + 1, sizeof(*r)) != 0)
		return (NULL);
	r = &rt->routes[rt->nroutes++];
	memset(r, 0, sizeof(*r));
	r->vrf = rt->vrf;
	r->distance = r->metric = r->age_s = PNUM_UNKNOWN;
	r->best = -1;
	return (r);
}

static void
rt_cursor_init(struct rt_cursor *l, struct routing_table *rt,
    struct rt_route *r, int fib)
{
	memset(l, 0, sizeof(*l));
	l->rt = rt;
	l->r = r;
	l->fib = fib;
}

/* Hops grow from 2: most routes have one, and tables can be large. */
static struct rt_nexthop *
rt_hop_new(struct rt_cursor *l)
{
	struct rt_route		*r = l->r;
	struct rt_nexthop	*h;
	size_t			 ncap;

	if (r->nnexthops == r->cap) {
		ncap = r->cap == 0 ? 2 : r->cap * 2;
		if (ncap > SIZE_MAX / 2 / sizeof(*h))
			return (NULL);
		if ((h = pa_alloc(l->rt->arena, ncap * sizeof(*h))) == NULL)
			return (NULL);
		if (r->nnexthops > 0)
			memcpy(h, r->nexthops, r->nnexthops * sizeof(*h));
		r->nexthops = h;
		r->cap = ncap;
	}
	h = &r->nexthops[r->nnexthops++];
	memset(h, 0, sizeof(*h));
	h->priority = h->weight = PNUM_UNKNOWN;
	h->fib = l->fib;
	l->h = h;
	return (h);
}

/* "[a/b]" at the start of s; returns the length consumed, 0 if none. */
static size_t
rt_bracket(const char *s, size_t n, pnum *a, pnum *b)
{
	size_t	i = 1, k;

	if (n == 0 || s[0] != '[')
		return (0);
	if ((k = pu_num(s + i, n - i, a)) == 0)
		return (0);
	i += k;
	if (i >= n || s[i] != '/')
		return (0);
	i++;
	if ((k = pu_num(s + i, n - i, b)) == 0)
		return (0);
	i += k;
	if (i >= n || s[i] != ']')
		return (0);
	return (i + 1);
}

/* "IFACE tunnel ADDR [1]" -> interface and tunnel; 0 if no " tunnel ". */
static int
rt_tunnel(struct routing_table *rt, struct rt_nexthop *h, const char *s,
    size_t n, int *found)
{
	long	t;

	*found = 0;
	if ((t = pu_find(s, n, " tunnel ")) < 0)
		return (0);
	*found = 1;
	if (rt_dup(rt, &h->interface, s, t) != 0)
		return (-1);
	s += t + 8;
	n -= t + 8;
	pu_trim(&s, &n);
	return (rt_word(rt, &h->tunnel, s, n));
}

/*
 * "(recursive is directly connected, HUB)", "(recursive via VPN1 tunnel
 * 172.16.1.11 [1])" or "(recursive via ADDR, IFACE)".
 */
static int
rt_recursive(struct routing_table *rt, struct rt_nexthop *h, const char *s,
    size_t n)
{
	long	comma;
	int	tun;

	if (n > 0 && s[0] == '(')
		rt_skip(&s, &n, 1);
	if (n > 0 && s[n - 1] == ')')
		n--;
	pu_trim(&s, &n);
	if (!pu_starts(s, n, "recursive"))
		return (0);
	rt_skip(&s, &n, 9);
	h->recursive = 1;
	if (pu_starts(s, n, "is directly connected")) {
		rt_skip(&s, &n, 21);
		if (n > 0 && s[0] == ',')
			rt_skip(&s, &n, 1);
		return (rt_dup(rt, &h->interface, s, n));
	}
	if (!pu_starts(s, n, "via "))
		return (0);
	rt_skip(&s, &n, 4);
	if (rt_tunnel(rt, h, s, n, &tun) != 0)
		return (-1);
	if (tun)
		return (0);
	if ((comma = pu_find(s, n, ",")) < 0)
		return (rt_word(rt, &h->resolved_via, s, n));
	if (rt_word(rt, &h->resolved_via, s, comma) != 0)
		return (-1);
	return (rt_dup(rt, &h->interface, s + comma + 1, n - comma - 1));
}

/* "via GATEWAY", "via GATEWAY (recursive ...)", "via IFACE tunnel ADDR". */
static int
rt_via(struct rt_cursor *l, const char *s, size_t n)
{
	struct rt_nexthop	*h;
	size_t			 vn;
	long			 paren;
	int			 tun;

	if ((h = rt_hop_new(l)) == NULL)
		return (-1);
	paren = pu_find(s, n, "(");
	vn = paren >= 0 ? (size_t)paren : n;
	if (rt_tunnel(l->rt, h, s, vn, &tun) != 0)
		return (-1);
	if (!tun && rt_word(l->rt, &h->gateway, s, vn) != 0)
		return (-1);
	if (paren >= 0)
		return (rt_recursive(l->rt, h, s + paren, n - paren));
	l->expect_iface = !tun;
	return (0);
}

/* One comma-separated item; brackets at its start already consumed. */
static int
rt_item(struct rt_cursor *l, const char *s, size_t n)
{
	struct rt_nexthop	*h;
	const char		*gw;
	pnum			 age;

	age = routing_table_age(s, n);
	if (l->expect_iface) {
		l->expect_iface = 0;
		if (age == PNUM_UNKNOWN && l->h != NULL && s[0] != '(' &&
		    !pu_starts(s, n, "via ") && !pu_starts(s, n, "is ")) {
			/* The database view marks unusable routes. */
			if (n > 9 && memcmp(s + n - 9, " inactive", 9) == 0) {
				l->r->inactive = 1;
				n -= 9;
			}
			return (rt_dup(l->rt, &l->h->interface, s, n));
		}
	}
	if (pu_starts(s, n, "via "))
		return (rt_via(l, s + 4, n - 4));
	if (pu_starts(s, n, "is directly connected") ||
	    pu_starts(s, n, "is a summary")) {
		if ((h = rt_hop_new(l)) == NULL)
			return (-1);
		if (s[3] == 'd')
			h->connected = 1;
		else
			h->summary = 1;
		l->expect_iface = 1;
		return (0);
	}
	if (s[0] == '(') {
		/* ECMP via another resolution of the same gateway. */
		gw = l->r->nnexthops > 0 ?
		    l->r->nexthops[l->r->nnexthops - 1].gateway : NULL;
		if ((h = rt_hop_new(l)) == NULL)
			return (-1);
		h->gateway = gw;
		return (rt_recursive(l->rt, h, s, n));
	}
	if (age != PNUM_UNKNOWN && l->r->age == NULL) {
		l->r->age_s = age;
		return (rt_dup(l->rt, &l->r->age, s, n));
	}
	return (0);
}

/* Next comma-separated item from *pos; commas in () or [] don't split. */
static int
rt_next_item(const char *s, size_t n, size_t *pos, const char **it,
    size_t *itn)
{
	size_t	i, start;
	int	depth = 0;

	if ((i = *pos) >= n)
		return (0);
	for (start = i; i < n; i++) {
		if (s[i] == '(' || s[i] == '[')
			depth++;
		else if ((s[i] == ')' || s[i] == ']') && depth > 0)
			depth--;
		else if (s[i] == ',' && depth == 0)
			break;
	}
	*it = s + start;
	*itn = i - start;
	*pos = i < n ? i + 1 : n;
	pu_trim(it, itn);
	return (1);
}

/* Everything after the prefix, or a whole continuation line. */
static int
rt_rest(struct rt_cursor *l, const char *s, size_t n)
{
	const char	*it;
	size_t		 itn, pos = 0, k;
	pnum		 a, b;

	while (rt_next_item(s, n, &pos, &it, &itn)) {
		while ((k = rt_bracket(it, itn, &a, &b)) > 0) {
			if (l->h == NULL) {
				if (l->r->distance == PNUM_UNKNOWN) {
					l->r->distance = a;
					l->r->metric = b;
				}
			} else if (l->h->priority == PNUM_UNKNOWN) {
				l->h->priority = a;
				l->h->weight = b;
				l->expect_iface = 0;
			}
			rt_skip(&it, &itn, k);
		}
		if (itn > 0 && rt_item(l, it, itn) != 0)
			return (-1);
	}
	return (0);
}

static int
rt_is_flags(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] != '*' && s[i] != '>')
			return (0);
	}
	return (n > 0);
}

static int
rt_is_alnum(char c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

static int
rt_is_prefix(const char *s, size_t n)
{
	size_t	i;
	int	slash = -1;

	if (n < 3 || !(rt_is_alnum(s[0]) || s[0] == ':'))
		return (0);
	for (i = 0; i < n; i++) {
		if (s[i] == '/' && slash < 0) {
			slash = i;
			continue;
		}
		if (slash >= 0 ? !(s[i] >= '0' && s[i] <= '9') :
		    !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F') ||
		    s[i] == '.' || s[i] == ':'))
			return (0);
	}
	return (slash > 0 && (size_t)slash < n - 1 && n - slash <= 4);
}

/* The words of a route line before the rest: "O*E2", "O E2", "S    *>". */
struct rt_head {
	const char	*type, *sub, *flags, *prefix;
	size_t		 typen, subn, flagsn, prefixn;
	int		 star;
};

/* The first word: one or two code letters, '*', a glued subtype. */
static int
rt_code(const char *s, size_t tl, struct rt_head *h)
{
	size_t	i;

	for (i = 0; i < tl && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z')); i++)
		;
	if (i == 0 || i > 2)
		return (0);
	h->type = s;
	h->typen = i;
	for (; i < tl && s[i] == '*'; i++)
		h->star = 1;
	if (i < tl) {
		h->sub = s + i;
		h->subn = tl - i;
		for (; i < tl && rt_is_alnum(s[i]); i++)
			;
		if (i < tl || h->subn > 3)
			return (0);
	}
	return (1);
}

/*
 * "CODE[*][SUB] [SUB] [FLAGS] PREFIX": 1 and (s, n) moved past the
 * prefix if the line starts a route, 0 if it does not.
 */
static int
rt_head(const char **s, size_t *n, struct rt_head *h)
{
	const char	*w;
	size_t		 wn, i = 0;
	int		 nw;

	memset(h, 0, sizeof(*h));
	if (!pu_word(*s, *n, &i, &w, &wn) || !rt_code(w, wn, h))
		return (0);
	for (nw = 0; ; nw++) {
		if (nw == 3 || !pu_word(*s, *n, &i, &w, &wn))
			return (0);
		if (rt_is_prefix(w, wn))
			break;
		if (rt_is_flags(w, wn) && h->flags == NULL) {
			h->flags = w;
			h->flagsn = wn;
		} else if (h->sub == NULL && wn <= 3 && rt_is_alnum(w[0]) &&
		    rt_is_alnum(w[wn - 1])) {
			h->sub = w;
			h->subn = wn;
		} else
			return (0);
	}
	h->prefix = w;
	h->prefixn = wn;
	rt_skip(s, n, i);
	return (1);
}

/* 1 if the line was a route line, 0 if not, -1 when memory ran out. */
static int
rt_route_line(struct routing_table *rt, const char *s, size_t n)
{
	struct rt_cursor	 l;
	struct rt_head		 h;
	struct rt_route		*r;

	if (!rt_head(&s, &n, &h))
		return (0);
	if ((r = rt_route_new(rt)) == NULL)
		return (-1);
	rt_cursor_init(&l, rt, r, h.flags == NULL ? -1 :
	    memchr(h.flags, '*', h.flagsn) != NULL);
	l.r->candidate_default = h.star;
	if (rt_dup(rt, &l.r->type, h.type, h.typen) != 0 ||
	    (h.sub != NULL && rt_dup(rt, &l.r->subtype, h.sub, h.subn) != 0) ||
	    (h.flags != NULL &&
	    rt_dup(rt, &l.r->flags, h.flags, h.flagsn) != 0) ||
	    rt_dup(rt, &l.r->prefix, h.prefix, h.prefixn) != 0)
		return (-1);
	rt->details = 0;
	return (rt_rest(&l, s, n) == 0 ? 1 : -1);
}

/* A next hop of the route above, or 0 if the line is something else. */
static int
rt_continuation(struct routing_table *rt, const char *s, size_t n)
{
	struct rt_cursor	 l;
	const char		*w;
	size_t			 wn, i = 0, flagsend = 0;
	int			 fib = -1;

	if (rt->nroutes == 0 || rt->details)
		return (0);
	while (pu_word(s, n, &i, &w, &wn) && rt_is_flags(w, wn)) {
		fib = memchr(w, '*', wn) != NULL;
		flagsend = i;
	}
	rt_skip(&s, &n, flagsend);
	if (n == 0 || !(s[0] == '[' || s[0] == '(' || pu_starts(s, n, "via ") ||
	    pu_starts(s, n, "is directly connected") ||
	    pu_starts(s, n, "is a summary")))
		return (0);
	rt_cursor_init(&l, rt, &rt->routes[rt->nroutes - 1], fib);
	return (rt_rest(&l, s, n));
}

static const struct {
	const char	*proto;
	const char	*code;
} rt_protos[] = {
	{ "static", "S" }, { "connected", "C" }, { "bgp", "B" },
	{ "ospf", "O" }, { "ospf6", "O" }, { "rip", "R" }, { "ripng", "R" },
	{ "kernel", "K" }, { "isis", "i" },
};

/* Known via "static", distance 10, metric 0, best */
static int
rt_known(struct routing_table *rt, struct rt_route *r, const char *s,
    size_t n)
{
	const char	*p;
	size_t		 pn, i;
	long		 at;
	pnum		 v;

	rt_skip(&s, &n, 9);
	if (n > 0 && s[0] == '"') {
		for (pn = 1; pn < n && s[pn] != '"'; pn++)
			;
		p = s + 1;
		pn -= 1;
		if (rt_dup(rt, &r->protocol, p, pn) != 0)
			return (-1);
		for (i = 0; i < sizeof(rt_protos) / sizeof(rt_protos[0]); i++) {
			if (strlen(rt_protos[i].proto) == pn &&
			    memcmp(rt_protos[i].proto, p, pn) == 0)
				r->type = rt_protos[i].code;
		}
	}
	if ((at = pu_find(s, n, "distance ")) >= 0 &&
	    pu_num(s + at + 9, n - at - 9, &v) > 0)
		r->distance = v;
	if ((at = pu_find(s, n, "metric ")) >= 0 &&
	    pu_num(s + at + 7, n - at - 7, &v) > 0)
		r->metric = v;
	r->best = pu_find(s, n, ", best") >= 0;
	return (0);
}

/* "* vrf 0 100.1.1.1, via port2", "via VPN1 tunnel 1.2.3.4 vrf 0" */
static int
rt_detail_hop(struct routing_table *rt, struct rt_route *r, const char *s,
    size_t n)
{
	struct rt_cursor	 l;
	struct rt_nexthop	*h;
	const char		*it;
	size_t			 itn, pos = 0;
	long			 at;
	pnum			 v;
	int			 tun;

	rt_cursor_init(&l, rt, r, s[0] == '*');
	if ((h = rt_hop_new(&l)) == NULL)
		return (-1);
	if (s[0] == '*')
		rt_skip(&s, &n, 1);
	if (pu_starts(s, n, "vrf ")) {
		pos = 4;
		if (pu_word(s, n, &pos, &it, &itn) && pu_num(it, itn, &v) > 0 &&
		    r->vrf == PNUM_UNKNOWN)
			r->vrf = v;
		rt_skip(&s, &n, pos);
		pos = 0;
	}
	while (rt_next_item(s, n, &pos, &it, &itn)) {
		if ((at = pu_find(it, itn, " vrf ")) >= 0)
			itn = at;
		if (pu_starts(it, itn, "via ")) {
			rt_skip(&it, &itn, 4);
			if (rt_tunnel(rt, h, it, itn, &tun) != 0)
				return (-1);
			if (!tun && rt_dup(rt, &h->interface, it, itn) != 0)
				return (-1);
		} else if (pu_starts(it, itn, "is directly connected") ||
		    pu_starts(it, itn, "directly connected"))
			h->connected = 1;
		else if (h->connected && h->interface == NULL) {
			if (rt_dup(rt, &h->interface, it, itn) != 0)
				return (-1);
		} else if (h->gateway == NULL && itn > 0) {
			at = pu_find(it, itn, "(");
			if (rt_word(rt, &h->gateway, it,
			    at >= 0 ? (size_t)at : itn) != 0)
				return (-1);
			if (at >= 0 && rt_recursive(rt, h, it + at,
			    itn - at) != 0)
				return (-1);
		}
	}
	return (0);
}

static int
rt_details(struct routing_table *rt, const char *s, size_t n)
{
	struct rt_route	*r;
	const char	*w;
	size_t		 wn, i = 12;
	pnum		 age;

	if (rt->nroutes == 0)
		return (0);
	r = &rt->routes[rt->nroutes - 1];
	if (pu_starts(s, n, "Known via "))
		return (rt_known(rt, r, s, n));
	if (pu_starts(s, n, "Last update ")) {
		if (pu_word(s, n, &i, &w, &wn) && r->age == NULL &&
		    (age = routing_table_age(w, wn)) != PNUM_UNKNOWN) {
			r->age_s = age;
			return (rt_dup(rt, &r->age, w, wn));
		}
		return (0);
	}
	if (s[0] == '*' || pu_starts(s, n, "via "))
		return (rt_detail_hop(rt, r, s, n));
	return (0);
}

static int
rt_line(struct routing_table *rt, const char *s, size_t n)
{
	struct rt_route	*r;
	pnum		 v;
	int		 rc;

	pu_trim(&s, &n);
	pu_visible(&s, &n);
	if (n == 0)
		return (0);
	if (pu_find(s, n, "Network not in table") >= 0) {
		rt->not_in_table = 1;
		return (0);
	}
	if (pu_starts(s, n, "Routing table for VRF=")) {
		if (pu_num(s + 22, n - 22, &v) > 0)
			rt->vrf = v;
		return (0);
	}
	if (pu_starts(s, n, "Routing entry for ")) {
		rt_skip(&s, &n, 18);
		if ((r = rt_route_new(rt)) == NULL)
			return (-1);
		r->best = 0;
		rt->details = 1;
		return (rt_word(rt, &r->prefix, s, n));
	}
	if ((rc = rt_route_line(rt, s, n)) != 0)
		return (rc < 0 ? -1 : 0);
	if (rt->details)
		return (rt_details(rt, s, n));
	return (rt_continuation(rt, s, n));
}

struct routing_table *
routing_table_parse(const char *buf, size_t len)
{
	struct routing_table	*rt;
	struct parena		*pa;
	struct plines		 pl;
	const char		*line;
	size_t			 n;

	if ((rt = pa_new_result(sizeof(*rt), &pa)) == NULL)
		return (NULL);
	rt->arena = pa;
	rt->vrf = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		if (rt_line(rt, line, n) != 0) {
			pa_free(pa);
			return (NULL);
		}
	}
	return (rt);
}

int
routing_table_each(const char *buf, size_t len, rt_route_fn fn, void *arg,
    struct routing_table *out)
{
	struct routing_table	 rt;
	struct rt_stream	 st;
	struct plines		 pl;
	const char		*line;
	size_t			 n;
	int			 rc = 0;

	memset(&rt, 0, sizeof(rt));
	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.arg = arg;
	if ((rt.arena = pa_new()) == NULL)
		return (-1);
	rt.vrf = PNUM_UNKNOWN;
	rt.stream = &st;
	pl_init(&pl, buf, len);
	while (rc == 0 && pl_next(&pl, &line, &n))
		rc = rt_line(&rt, line, n);
	if (rc == 0)
		rc = rt_emit(&rt);
	pa_free(rt.arena);
	memset(out, 0, sizeof(*out));
	out->nroutes = st.n;
	out->not_in_table = rt.not_in_table;
	if (rc != 0)
		return (st.rc != 0 ? st.rc : -1);
	return (0);
}

void
routing_table_free(struct routing_table *rt)
{
	if (rt != NULL)
		pa_free(rt->arena);
}
