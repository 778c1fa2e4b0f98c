/*
 * traceroute - parse `execute traceroute`; see the header.
 */
#include "config.h"

#include <string.h>

#include "traceroute.h"

struct tr_tok {
	const char	*s;
	size_t		 n;
};

static int
tr_space(char c)
{
	return (c == ' ' || c == '\t');
}

static int
tr_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
tr_next(const char *s, size_t n, size_t *i, struct tr_tok *t)
{
	while (*i < n && tr_space(s[*i]))
		(*i)++;
	if (*i >= n)
		return (0);
	t->s = s + *i;
	while (*i < n && !tr_space(s[*i]))
		(*i)++;
	t->n = s + *i - t->s;
	return (1);
}

static int
tr_eq(const struct tr_tok *t, const char *w)
{
	return (t->n == strlen(w) && memcmp(t->s, w, t->n) == 0);
}

/* "0.423" as microseconds; digits past the third decimal are dropped. */
static int
tr_ms(const char *s, size_t n, pnum *us)
{
	size_t	i, d;
	pnum	ms, frac = 0;

	if ((i = pu_num(s, n, &ms)) == 0 || i > 9)
		return (-1);
	if (i < n && s[i] == '.') {
		for (i++, d = 0; i < n && tr_digit(s[i]); i++, d++)
			if (d < 3)
				frac = frac * 10 + (s[i] - '0');
		if (d == 0)
			return (-1);
		for (; d < 3; d++)
			frac *= 10;
	}
	if (i != n)
		return (-1);
	*us = ms * 1000 + frac;
	return (0);
}

/* Dotted IPv4 or IPv6: digits and dots, or hex digits, colons, dots. */
static int
tr_isaddr(const char *s, size_t n)
{
	size_t	i;
	int	colon = 0, dot = 0, digit = 0, hex = 0;

	for (i = 0; i < n; i++) {
		if (tr_digit(s[i]))
			digit = 1;
		else if (s[i] == '.')
			dot = 1;
		else if (s[i] == ':')
			colon = 1;
		else if ((s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F'))
			hex = 1;
		else
			return (0);
	}
	if (colon)
		return (1);
	return (dot && digit && !hex);
}

static const char *
tr_dup(struct traceroute *r, const char *s, size_t n, int *err)
{
	const char	*d;

	if ((d = pa_strndup(r->arena, s, n)) == NULL)
		*err = 1;
	return (d);
}

/* ", 32 hops max", " 3 probe packets per hop", " 84 byte packets" */
static void
tr_header_field(struct traceroute *r, const char *s, size_t n)
{
	size_t	k;
	pnum	v;

	pu_trim(&s, &n);
	if ((k = pu_num(s, n, &v)) == 0)
		return;
	if (pu_starts(s + k, n - k, " hops max"))
		r->max_hops = v;
	else if (pu_starts(s + k, n - k, " probe packet"))
		r->probes = v;
	else if (pu_starts(s + k, n - k, " byte packets"))
		r->packet_len = v;
}

/*
 * "traceroute to HOST (ADDR), ..." starts a new trace: hops of an
 * earlier one in the same text are dropped.
 */
static int
tr_header(struct traceroute *r, const char *s, size_t n, int *err)
{
	struct tr_tok	 t;
	size_t		 i, c;

	if (pu_starts(s, n, "traceroute to "))
		i = 14;
	else if (pu_starts(s, n, "traceroute6 to "))
		i = 15;
	else
		return (0);
	if (!tr_next(s, n, &i, &t))
		return (0);
	while (t.n > 0 && t.s[t.n - 1] == ',')
		t.n--;
	r->target = tr_dup(r, t.s, t.n, err);
	r->target_addr = NULL;
	r->max_hops = r->probes = r->packet_len = PNUM_UNKNOWN;
	r->nhops = 0;
	r->error = NULL;
	while (i < n && tr_space(s[i]))
		i++;
	if (i < n && s[i] == '(') {
		for (c = i + 1; c < n && s[c] != ')'; c++)
			;
		if (c < n)
			r->target_addr = tr_dup(r, s + i + 1, c - i - 1, err);
		i = c;
	}
	while (i < n) {
		for (c = i + 1; c < n && s[c] != ','; c++)
			;
		if (s[i] == ',')
			tr_header_field(r, s + i + 1, c - i - 1);
		i = c;
	}
	return (1);
}

static struct tr_responder *
tr_responder(struct traceroute *r, struct tr_hop *h, int *err)
{
	struct tr_responder	*rs;

	if (pa_grow(r->arena, (void **)&h->responders, &h->rcap,
	    h->nresponders + 1, sizeof(*rs)) != 0) {
		*err = 1;
		return (NULL);
	}
	rs = &h->responders[h->nresponders++];
	rs->addr = rs->name = NULL;
	return (rs);
}

static struct tr_probe *
tr_probe(struct traceroute *r, struct tr_hop *h, pnum us, int *err)
{
	struct tr_probe	*p;

	if (pa_grow(r->arena, (void **)&h->probes, &h->pcap, h->nprobes + 1,
	    sizeof(*p)) != 0) {
		*err = 1;
		return (NULL);
	}
	p = &h->probes[h->nprobes++];
	p->rtt_us = us;
	p->responder = h->nresponders > 0 ? h->nresponders - 1 : 0;
	p->note = NULL;
	return (p);
}

/* "(addr)" after a name, or "<name>" after an address. */
static void
tr_bracketed(struct traceroute *r, struct tr_hop *h, const struct tr_tok *t,
    int *err)
{
	struct tr_responder	*rs;

	if (h->nresponders == 0)
		return;
	rs = &h->responders[h->nresponders - 1];
	if (t->s[0] == '(') {
		/* "10.0.0.1 (10.0.0.1)": no name to add. */
		if (rs->addr != NULL && strlen(rs->addr) == t->n - 2 &&
		    memcmp(rs->addr, t->s + 1, t->n - 2) == 0)
			return;
		if (rs->addr != NULL && rs->name == NULL &&
		    !tr_isaddr(t->s + 1, t->n - 2)) {
			/* "10.0.0.1 (name)": keep the address. */
			rs->name = tr_dup(r, t->s + 1, t->n - 2, err);
			return;
		}
		if (rs->name == NULL)
			rs->name = rs->addr;
		rs->addr = tr_dup(r, t->s + 1, t->n - 2, err);
	} else
		rs->name = tr_dup(r, t->s + 1, t->n - 2, err);
}

/* One token of a hop line after the hop number. */
static void
tr_hop_token(struct traceroute *r, struct tr_hop *h, const struct tr_tok *t,
    const char *s, size_t n, size_t *i, int *err)
{
	struct tr_responder	*rs;
	struct tr_tok		 u;
	size_t			 j = *i;
	pnum			 us;

	if (tr_eq(t, "*")) {
		(void)tr_probe(r, h, PNUM_UNKNOWN, err);
	} else if (t->s[0] == '!') {
		if (h->nprobes > 0 && h->probes[h->nprobes - 1].note == NULL)
			h->probes[h->nprobes - 1].note =
			    tr_dup(r, t->s, t->n, err);
	} else if (t->n > 2 && ((t->s[0] == '(' && t->s[t->n - 1] == ')') ||
	    (t->s[0] == '<' && t->s[t->n - 1] == '>'))) {
		tr_bracketed(r, h, t, err);
	} else if (t->n > 2 && pu_starts(t->s + t->n - 2, 2, "ms") &&
	    tr_ms(t->s, t->n - 2, &us) == 0) {
		(void)tr_probe(r, h, us, err);
	} else if (tr_ms(t->s, t->n, &us) == 0) {
		/* A number is an RTT only when "ms" follows. */
		if (tr_next(s, n, &j, &u) && tr_eq(&u, "ms")) {
			(void)tr_probe(r, h, us, err);
			*i = j;
		}
	} else if (!tr_eq(t, "ms")) {
		if ((rs = tr_responder(r, h, err)) == NULL)
			return;
		if (tr_isaddr(t->s, t->n))
			rs->addr = tr_dup(r, t->s, t->n, err);
		else
			rs->name = tr_dup(r, t->s, t->n, err);
	}
}

/* " 1  1.2.3.4  0.423 ms ..." */
static int
tr_hop(struct traceroute *r, const char *s, size_t n, int *err)
{
	struct tr_hop	 h;
	struct tr_tok	 t;
	size_t		 i, k;
	pnum		 hop;

	if ((k = pu_num(s, n, &hop)) == 0 || k > 3 || k >= n ||
	    !tr_space(s[k]) || hop > 255)
		return (0);
	memset(&h, 0, sizeof(h));
	h.hop = hop;
	i = k;
	while (!*err && tr_next(s, n, &i, &t))
		tr_hop_token(r, &h, &t, s, n, &i, err);
	if (*err || h.nprobes == 0)
		return (0);
	if (pa_grow(r->arena, (void **)&r->hops, &r->cap, r->nhops + 1,
	    sizeof(h)) != 0) {
		*err = 1;
		return (0);
	}
	r->hops[r->nhops++] = h;
	return (1);
}

static int
tr_same(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
tr_reached(const struct traceroute *r, int ended)
{
	const struct tr_hop	*h;
	const char		*want;
	size_t			 i;

	if (r->nhops == 0)
		return (r->error != NULL ? 0 : -1);
	h = &r->hops[r->nhops - 1];
	want = r->target_addr != NULL ? r->target_addr : r->target;
	for (i = 0; i < h->nresponders; i++)
		if (tr_same(h->responders[i].addr, want))
			return (1);
	for (i = 0; i < h->nprobes; i++)
		if (h->probes[i].note != NULL)
			return (0);
	if (r->max_hops != PNUM_UNKNOWN && h->hop >= r->max_hops)
		return (0);
	return (ended ? 0 : -1);
}

struct traceroute *
traceroute_parse(const char *buf, size_t len)
{
	struct traceroute	*r;
	struct parena		*pa;
	struct plines		 pl;
	const char		*s;
	size_t			 n;
	int			 err = 0, ended = 0;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(pa, sizeof(*r))) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	r->arena = pa;
	r->max_hops = r->probes = r->packet_len = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (!err && pl_next(&pl, &s, &n)) {
		pu_trim(&s, &n);
		if (n == 0 || pu_find(s, n, "--More--") >= 0)
			continue;
		if (tr_header(r, s, n, &err)) {
			ended = 0;
			continue;
		}
		if (tr_hop(r, s, n, &err)) {
			ended = 0;
			continue;
		}
		if (r->error == NULL && pu_starts(s, n, "traceroute"))
			r->error = tr_dup(r, s, n, &err);
		/* Anything after the hops (a prompt): the trace is over. */
		if (r->nhops > 0)
			ended = 1;
	}
	if (err) {
		pa_free(pa);
		return (NULL);
	}
	r->reached = tr_reached(r, ended);
	return (r);
}

size_t
traceroute_count(const struct traceroute *r)
{
	if (r->nhops > 0)
		return (r->nhops);
	return (r->target != NULL || r->error != NULL);
}

void
traceroute_free(struct traceroute *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
