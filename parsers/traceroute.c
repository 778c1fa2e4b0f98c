/* SPDX-License-Identifier: ISC */
/*
 * traceroute - parse `execute traceroute`; see the header.
 *
 * Each line is what the terminal shows of it (pu_visible): a header, a
 * hop, an error or something else (a prompt) that ends the trace.  A hop
 * line is read word by word; what a word is decides what it adds.
 */
#include "config.h"

#include <string.h>

#include "traceroute.h"

static int
tr_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
tr_is(const char *w, size_t wn, const char *word)
{
	return (wn == strlen(word) && memcmp(w, word, wn) == 0);
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

	if ((d = pa_strndup(r->trace, s, n)) == NULL)
		*err = 1;
	return (d);
}

/* A new trace: what the last one held is dropped, its memory too. */
static void
tr_reset(struct traceroute *r)
{
	pa_reset(r->trace);
	r->hops = NULL;
	r->nhops = r->cap = 0;
	r->error = NULL;
	r->target = r->target_addr = NULL;
	r->max_hops = r->probes = r->packet_len = PNUM_UNKNOWN;
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
 * "traceroute to HOST (ADDR), ..." starts a new trace: an earlier one in
 * the same text is dropped, its memory too (its hops, strings and
 * arrays live in r->trace), so many traces cost what the last one does.
 */
static int
tr_header(struct traceroute *r, const char *s, size_t n, int *err)
{
	const char	*w;
	size_t		 wn, i, c;

	if (pu_starts(s, n, "traceroute to "))
		i = 14;
	else if (pu_starts(s, n, "traceroute6 to "))
		i = 15;
	else
		return (0);
	if (!pu_word(s, n, &i, &w, &wn))
		return (0);
	while (wn > 0 && w[wn - 1] == ',')
		wn--;
	tr_reset(r);
	r->target = tr_dup(r, w, wn, err);
	s += i;
	n -= i;
	pu_trim(&s, &n);
	i = 0;
	if (n > 0 && s[0] == '(') {
		for (c = 1; c < n && s[c] != ')'; c++)
			;
		if (c < n)
			r->target_addr = tr_dup(r, s + 1, c - 1, err);
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

	if (pa_grow(r->trace, (void **)&h->responders, &h->rcap,
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

	if (pa_grow(r->trace, (void **)&h->probes, &h->pcap, h->nprobes + 1,
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
tr_bracketed(struct traceroute *r, struct tr_hop *h, const char *w,
    size_t wn, int *err)
{
	struct tr_responder	*rs;
	const char		*in = w + 1;
	size_t			 inn = wn - 2;

	if (h->nresponders == 0)
		return;
	rs = &h->responders[h->nresponders - 1];
	if (w[0] == '<')
		rs->name = tr_dup(r, in, inn, err);
	else if (rs->addr != NULL && strlen(rs->addr) == inn &&
	    memcmp(rs->addr, in, inn) == 0)
		return;		/* "10.0.0.1 (10.0.0.1)": no name to add. */
	else if (rs->addr != NULL && rs->name == NULL && !tr_isaddr(in, inn))
		rs->name = tr_dup(r, in, inn, err);	/* "addr (name)" */
	else {
		if (rs->name == NULL)
			rs->name = rs->addr;
		rs->addr = tr_dup(r, in, inn, err);
	}
}

/*
 * One word (w, wn) of the hop line s after the hop number; *i is just
 * past it and moves past a following "ms" when the word is an RTT.
 */
static void
tr_hop_word(struct traceroute *r, struct tr_hop *h, const char *w,
    size_t wn, const char *s, size_t n, size_t *i, int *err)
{
	struct tr_responder	*rs;
	const char		*u;
	size_t			 un, j = *i;
	pnum			 us;

	if (tr_is(w, wn, "*")) {
		(void)tr_probe(r, h, PNUM_UNKNOWN, err);
	} else if (w[0] == '!') {
		if (h->nprobes > 0 && h->probes[h->nprobes - 1].note == NULL)
			h->probes[h->nprobes - 1].note = tr_dup(r, w, wn, err);
	} else if (wn > 2 && ((w[0] == '(' && w[wn - 1] == ')') ||
	    (w[0] == '<' && w[wn - 1] == '>'))) {
		tr_bracketed(r, h, w, wn, err);
	} else if (wn > 2 && pu_starts(w + wn - 2, 2, "ms") &&
	    tr_ms(w, wn - 2, &us) == 0) {
		(void)tr_probe(r, h, us, err);
	} else if (tr_ms(w, wn, &us) == 0) {
		/* A number is an RTT only when "ms" follows. */
		if (pu_word(s, n, &j, &u, &un) && tr_is(u, un, "ms")) {
			(void)tr_probe(r, h, us, err);
			*i = j;
		}
	} else if (!tr_is(w, wn, "ms")) {
		if ((rs = tr_responder(r, h, err)) == NULL)
			return;
		if (tr_isaddr(w, wn))
			rs->addr = tr_dup(r, w, wn, err);
		else
			rs->name = tr_dup(r, w, wn, err);
	}
}

/* The hop line s into h: 0 when it is not one. */
static int
tr_hop_read(struct traceroute *r, struct tr_hop *h, const char *s, size_t n,
    int *err)
{
	const char	*w;
	size_t		 wn, i;
	pnum		 hop;

	if ((i = pu_num(s, n, &hop)) == 0 || i > 3 || i >= n ||
	    (s[i] != ' ' && s[i] != '\t') || hop > 255)
		return (0);
	memset(h, 0, sizeof(*h));
	h->hop = hop;
	while (!*err && pu_word(s, n, &i, &w, &wn))
		tr_hop_word(r, h, w, wn, s, n, &i, err);
	return (!*err && h->nprobes > 0);
}

/*
 * " 1  1.2.3.4  0.423 ms ...".  A trace numbers its hops upwards, one
 * line each, so a number that does not go up starts another trace whose
 * "traceroute to" line is not in the text: the hops so far are dropped
 * like a superseded trace's (at most 255 hops are ever held), and the
 * target is unknown.
 */
static int
tr_hop(struct traceroute *r, const char *s, size_t n, int *err)
{
	struct tr_hop	 h;

	if (!tr_hop_read(r, &h, s, n, err))
		return (0);
	if (r->nhops > 0 && h.hop <= r->hops[r->nhops - 1].hop) {
		tr_reset(r);	/* h's strings went too: read it again */
		if (!tr_hop_read(r, &h, s, n, err))
			return (0);
	}
	if (pa_grow(r->trace, (void **)&r->hops, &r->cap, r->nhops + 1,
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

	if ((r = pa_new_result(sizeof(*r), &pa)) == NULL)
		return (NULL);
	r->arena = pa;
	if ((r->trace = pa_new()) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	r->max_hops = r->probes = r->packet_len = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (!err && pl_next(&pl, &s, &n)) {
		/* Trim first: a CR CR LF ending is no pager erase. */
		pu_trim(&s, &n);
		pu_visible(&s, &n);
		if (n == 0)
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
		traceroute_free(r);
		return (NULL);
	}
	r->reached = tr_reached(r, ended);
	return (r);
}

int
traceroute_hop_silent(const char *s, size_t n)
{
	struct traceroute	 r;
	size_t			 i;
	int			 err = 0, silent;

	memset(&r, 0, sizeof(r));
	if ((r.trace = pa_new()) == NULL)
		return (0);
	r.arena = r.trace;
	pu_trim(&s, &n);
	pu_visible(&s, &n);
	silent = tr_hop(&r, s, n, &err) && r.hops[0].nresponders == 0;
	for (i = 0; silent && i < r.hops[0].nprobes; i++)
		if (r.hops[0].probes[i].rtt_us != PNUM_UNKNOWN ||
		    r.hops[0].probes[i].note != NULL)
			silent = 0;
	pa_free(r.trace);
	return (silent);
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
	if (r != NULL) {
		pa_free(r->trace);
		pa_free(r->arena);
	}
}
