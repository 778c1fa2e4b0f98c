/*
 * sniffer - parse `diagnose sniffer packet`; see the header.
 */
#include "config.h"

#include <string.h>

#include "sniffer.h"

/* A (pointer, length) view into the input. */
struct sn_tok {
	const char	*s;
	size_t		 n;
};

static int
sn_space(char c)
{
	return (c == ' ' || c == '\t');
}

static int
sn_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
sn_eq(const struct sn_tok *t, const char *word)
{
	return (t->n == strlen(word) && memcmp(t->s, word, t->n) == 0);
}

/* Next white-space separated token from *i on; 0 at the end. */
static int
sn_next(const char *s, size_t n, size_t *i, struct sn_tok *t)
{
	while (*i < n && sn_space(s[*i]))
		(*i)++;
	if (*i >= n)
		return (0);
	t->s = s + *i;
	while (*i < n && !sn_space(s[*i]))
		(*i)++;
	t->n = s + *i - t->s;
	return (1);
}

/* Run of digits at s[*i]; how many. */
static size_t
sn_digits(const char *s, size_t n, size_t *i)
{
	size_t	start = *i;

	while (*i < n && sn_digit(s[*i]))
		(*i)++;
	return (*i - start);
}

/*
 * Seconds.fraction with at least one digit each side, as microseconds
 * (fraction digits past the sixth are dropped).
 */
static int
sn_reltime(const struct sn_tok *t, pnum *us)
{
	size_t	i = 0, k, d;
	pnum	sec, frac = 0;

	if ((k = pu_num(t->s, t->n, &sec)) == 0 || k > 12)
		return (-1);
	i = k;
	if (i >= t->n || t->s[i] != '.')
		return (-1);
	i++;
	for (d = 0; i < t->n && sn_digit(t->s[i]); i++, d++) {
		if (d < 6)
			frac = frac * 10 + (t->s[i] - '0');
	}
	if (d == 0 || i != t->n)
		return (-1);
	for (; d < 6; d++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return (0);
}

/* "2024-01-15" */
static int
sn_isdate(const struct sn_tok *t)
{
	size_t	i = 0;

	if (sn_digits(t->s, t->n, &i) != 4 || i >= t->n || t->s[i++] != '-')
		return (0);
	if (sn_digits(t->s, t->n, &i) == 0 || i >= t->n || t->s[i++] != '-')
		return (0);
	return (sn_digits(t->s, t->n, &i) > 0 && i == t->n);
}

/* "10:22:33" or "10:22:33.123456" */
static int
sn_isclock(const struct sn_tok *t)
{
	size_t	i = 0;

	if (sn_digits(t->s, t->n, &i) == 0 || i >= t->n || t->s[i++] != ':')
		return (0);
	if (sn_digits(t->s, t->n, &i) == 0 || i >= t->n || t->s[i++] != ':')
		return (0);
	if (sn_digits(t->s, t->n, &i) == 0)
		return (0);
	if (i < t->n && t->s[i] == '.') {
		i++;
		if (sn_digits(t->s, t->n, &i) == 0)
			return (0);
	}
	return (i == t->n);
}

/* Last c in (s, n), or NULL (memrchr is not portable). */
static const char *
sn_rchr(const char *s, size_t n, char c)
{
	while (n > 0) {
		if (s[--n] == c)
			return (s + n);
	}
	return (NULL);
}

static size_t
sn_count(const char *s, size_t n, char c)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == c)
			k++;
	return (k);
}

/*
 * "1.2.3.4.500", "1.2.3.4", "2001:db8::1.500", "::ffff:1.2.3.4.80":
 * the port follows the last dot only when the address part is complete
 * without it.  Anything else is kept whole, port unknown.
 */
static void
sn_addr(const struct sn_tok *t, struct sn_tok *addr, pnum *port)
{
	const char	*tail, *dot;
	size_t		 tn, dots, k;
	pnum		 p;
	int		 want;

	*addr = *t;
	*port = PNUM_UNKNOWN;
	tail = t->s;
	tn = t->n;
	if (memchr(t->s, ':', t->n) != NULL) {
		tail = sn_rchr(t->s, t->n, ':') + 1;
		tn = t->s + t->n - tail;
		dots = sn_count(tail, tn, '.');
		want = dots == 1 || dots == 4;
	} else {
		dots = sn_count(tail, tn, '.');
		want = dots == 4;
	}
	if (!want || (dot = sn_rchr(tail, tn, '.')) == NULL)
		return;
	k = t->s + t->n - (dot + 1);
	if (k == 0 || k > 5 || pu_num(dot + 1, k, &p) != k || p > 65535)
		return;
	addr->n = dot - t->s;
	*port = p;
}

static const char *
sn_dup(struct sniffer *r, const char *s, size_t n, int *err)
{
	const char	*d;

	if ((d = pa_strndup(r->arena, s, n)) == NULL)
		*err = 1;
	return (d);
}

static int
sn_tcpflag(const struct sn_tok *t)
{
	static const char *const flags[] = {
		"syn", "fin", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
	};
	size_t	i;

	for (i = 0; flags[i] != NULL; i++)
		if (sn_eq(t, flags[i]))
			return (1);
	return (0);
}

/* "syn 123", "psh fin 1 ack 2", "1 ack 2": flags, seq and ack. */
static int
sn_tcp(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	struct sn_tok	 t;
	char		 flags[64];
	size_t		 i = 0, fl = 0;
	pnum		 v;
	int		 after_ack = 0, any = 0, bad = 0;

	pk->seq = pk->ack = PNUM_UNKNOWN;
	while (sn_next(s, n, &i, &t)) {
		if (sn_tcpflag(&t)) {
			if (fl + t.n + 2 > sizeof(flags)) {
				bad = 1;
				break;
			}
			if (fl > 0)
				flags[fl++] = ' ';
			memcpy(flags + fl, t.s, t.n);
			fl += t.n;
			after_ack = sn_eq(&t, "ack");
		} else if (pu_num(t.s, t.n, &v) == t.n) {
			if (after_ack)
				pk->ack = v;
			else if (pk->seq == PNUM_UNKNOWN)
				pk->seq = v;
			after_ack = 0;
		} else {
			/* Later words (window, options) do not unmake tcp. */
			bad = !any;
			break;
		}
		any = 1;
	}
	if (!any || bad) {
		pk->seq = pk->ack = PNUM_UNKNOWN;
		return (0);
	}
	pk->proto = "tcp";
	if (fl > 0)
		pk->flags = sn_dup(r, flags, fl, err);
	return (1);
}

/* ESP(spi=0x2e03e37b,seq=0x2) */
static void
sn_esp(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	const char	*v;
	size_t		 vn;

	pk->proto = "esp";
	pk->ip_proto = 50;
	if (pu_kv(s + 4, n - 4, "spi", &v, &vn) == 0) {
		while (vn > 0 && v[vn - 1] == ')')
			vn--;
		pk->spi = sn_dup(r, v, vn, err);
	}
}

/* The text after "dst:" (or after the direction on arp lines). */
static void
sn_info(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	struct sn_tok	 t, u;
	size_t		 i = 0, j;
	pnum		 v;

	pu_trim(&s, &n);
	if (n == 0)
		return;
	pk->info = sn_dup(r, s, n, err);
	sn_next(s, n, &i, &t);
	j = i;
	if (sn_eq(&t, "udp") || sn_eq(&t, "tcp")) {
		pk->proto = sn_eq(&t, "udp") ? "udp" : "tcp";
		if (sn_next(s, n, &j, &u) && pu_num(u.s, u.n, &v) == u.n)
			pk->len = v;
	} else if (sn_eq(&t, "icmp:") || sn_eq(&t, "icmp6:")) {
		pk->proto = t.n == 5 ? "icmp" : "icmp6";
		while (i < n && sn_space(s[i]))
			i++;
		if (i < n)
			pk->icmp = sn_dup(r, s + i, n - i, err);
	} else if (pu_starts(t.s, t.n, "ip-proto-") &&
	    pu_num(t.s + 9, t.n - 9, &v) == t.n - 9 && t.n > 9) {
		pk->ip_proto = v;
		if (v == 50)
			pk->proto = "esp";
		else if (v == 51)
			pk->proto = "ah";
		else
			pk->proto = sn_dup(r, t.s, t.n, err);
		if (sn_next(s, n, &j, &u) && pu_num(u.s, u.n, &v) == u.n)
			pk->len = v;
	} else if (pu_starts(s, n, "ESP(")) {
		sn_esp(r, pk, s, n, err);
	} else if ((pk->sport != PNUM_UNKNOWN || pk->dport != PNUM_UNKNOWN) &&
	    sn_tcp(r, pk, s, n, err)) {
		/* tcp, recognised by its flags and sequence numbers */
	} else {
		while (t.n > 1 && t.s[t.n - 1] == ':')
			t.n--;
		pk->proto = sn_dup(r, t.s, t.n, err);
	}
}

/* "arp who-has A tell B", "arp reply A is-at MAC" */
static void
sn_arp(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	struct sn_tok	 t[5];
	size_t		 i = 0, k;

	for (k = 0; k < 5 && sn_next(s, n, &i, &t[k]); k++)
		;
	if (k < 3 || !sn_eq(&t[0], "arp"))
		return;
	pk->proto = "arp";
	if (k >= 5 && sn_eq(&t[1], "who-has") && sn_eq(&t[3], "tell")) {
		pk->dst = sn_dup(r, t[2].s, t[2].n, err);
		pk->src = sn_dup(r, t[4].s, t[4].n, err);
	} else if (sn_eq(&t[1], "reply"))
		pk->src = sn_dup(r, t[2].s, t[2].n, err);
}

static int
sn_dirword(const struct sn_tok *t)
{
	return (sn_eq(t, "in") || sn_eq(t, "out") || sn_eq(t, "--"));
}

static void
sn_iface(struct sniffer *r, struct sn_packet *pk, const struct sn_tok *ifc,
    const struct sn_tok *dir, int *err)
{
	pk->interface = sn_dup(r, ifc->s, ifc->n, err);
	if (!sn_eq(dir, "--"))
		pk->direction = sn_dup(r, dir->s, dir->n, err);
}

/*
 * The part of a packet line after the timestamp: "[if dir] src -> dst:
 * info" or "[if dir] arp ...".  0 when it is not a packet line.
 */
static int
sn_body(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	struct sn_tok	 t[3], src, dst, a;
	size_t		 i = 0, k, colon;
	long		 arrow;

	if ((arrow = pu_find(s, n, " -> ")) < 0) {
		for (k = 0; k < 2 && sn_next(s, n, &i, &t[k]); k++)
			;
		if (k == 0)
			return (0);
		i = 0;
		if (k == 2 && sn_dirword(&t[1])) {
			sn_iface(r, pk, &t[0], &t[1], err);
			i = t[1].s + t[1].n - s;
		}
		sn_info(r, pk, s + i, n - i, err);
		sn_arp(r, pk, s + i, n - i, err);
		return (pk->proto != NULL);
	}
	/* Up to three tokens before the arrow: [interface direction] src. */
	for (k = 0; k < 3 && sn_next(s, arrow, &i, &t[k]); k++)
		;
	if (k == 0 || sn_next(s, arrow, &i, &a))
		return (0);
	src = t[k - 1];
	if (k == 3 && sn_dirword(&t[1]))
		sn_iface(r, pk, &t[0], &t[1], err);
	else if (k == 2)
		pk->interface = sn_dup(r, t[0].s, t[0].n, err);
	else if (k != 1)
		return (0);
	i = arrow + 4;
	if (!sn_next(s, n, &i, &dst))
		return (0);
	colon = i;
	if (dst.n > 1 && dst.s[dst.n - 1] == ':')
		dst.n--;
	sn_addr(&src, &a, &pk->sport);
	pk->src = sn_dup(r, a.s, a.n, err);
	sn_addr(&dst, &a, &pk->dport);
	pk->dst = sn_dup(r, a.s, a.n, err);
	sn_info(r, pk, s + colon, n - colon, err);
	return (1);
}

static void
sn_unknown(struct sn_packet *pk)
{
	memset(pk, 0, sizeof(*pk));
	pk->time_us = pk->sport = pk->dport = pk->len = PNUM_UNKNOWN;
	pk->ip_proto = pk->seq = pk->ack = PNUM_UNKNOWN;
}

/* A timestamped packet line; 0 when the line is something else. */
static int
sn_packet(struct sniffer *r, const char *s, size_t n, int *err)
{
	struct sn_packet	 pk;
	struct sn_tok		 t, c;
	size_t			 i = 0, j;

	sn_unknown(&pk);
	if (!sn_next(s, n, &i, &t))
		return (0);
	if (sn_isdate(&t)) {
		j = i;
		if (!sn_next(s, n, &j, &c) || !sn_isclock(&c))
			return (0);
		pk.timestamp = sn_dup(r, t.s, c.s + c.n - t.s, err);
		i = j;
	} else if (sn_reltime(&t, &pk.time_us) != 0)
		return (0);
	if (!sn_body(r, &pk, s + i, n - i, err))
		return (0);
	if (pa_grow(r->arena, (void **)&r->packets, &r->cap, r->npackets + 1,
	    sizeof(pk)) != 0) {
		*err = 1;
		return (0);
	}
	r->packets[r->npackets++] = pk;
	return (1);
}

/* "interfaces=[any]" */
static void
sn_bracket(struct sniffer *r, const char *s, size_t n, const char *key,
    const char **out, int *err)
{
	size_t	klen = strlen(key), e;

	if (!pu_starts(s, n, key))
		return;
	for (e = n; e > klen; e--)
		if (s[e - 1] == ']')
			break;
	if (e <= klen)
		return;
	*out = sn_dup(r, s + klen, e - 1 - klen, err);
}

/* "3 packets received by filter", "0 packets dropped by kernel" */
static int
sn_counts(struct sniffer *r, const char *s, size_t n)
{
	size_t	k;
	pnum	v;

	if ((k = pu_num(s, n, &v)) == 0)
		return (0);
	if (pu_starts(s + k, n - k, " packets received by filter") ||
	    pu_starts(s + k, n - k, " packet received by filter"))
		r->received = v;
	else if (pu_starts(s + k, n - k, " packets dropped by kernel") ||
	    pu_starts(s + k, n - k, " packet dropped by kernel"))
		r->dropped = v;
	else
		return (0);
	return (1);
}

static int
sn_ishex(const char *s, size_t n)
{
	pnum	v;

	return (n > 2 && s[0] == '0' && s[1] == 'x' &&
	    pu_hex(s + 2, n - 2, &v) > 0);
}

static void
sn_line(struct sniffer *r, const char *s, size_t n, int *err)
{
	pu_trim(&s, &n);
	if (n == 0)
		return;
	if (sn_ishex(s, n)) {
		r->nhex++;
		return;
	}
	if (sn_counts(r, s, n))
		return;
	if (pu_starts(s, n, "interfaces=[")) {
		sn_bracket(r, s, n, "interfaces=[", &r->interfaces, err);
		return;
	}
	if (pu_starts(s, n, "filters=[")) {
		sn_bracket(r, s, n, "filters=[", &r->filters, err);
		return;
	}
	if (sn_digit(s[0]))
		(void)sn_packet(r, s, n, err);
}

struct sniffer *
sniffer_parse(const char *buf, size_t len)
{
	struct sniffer	*r;
	struct parena	*pa;
	struct plines	 pl;
	const char	*line;
	size_t		 n;
	int		 err = 0;

	if ((pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(pa, sizeof(*r))) == NULL) {
		pa_free(pa);
		return (NULL);
	}
	r->arena = pa;
	r->received = r->dropped = PNUM_UNKNOWN;
	pl_init(&pl, buf, len);
	while (!err && pl_next(&pl, &line, &n))
		sn_line(r, line, n, &err);
	if (err) {
		pa_free(pa);
		return (NULL);
	}
	return (r);
}

size_t
sniffer_count(const struct sniffer *r)
{
	if (r->npackets > 0)
		return (r->npackets);
	return (r->interfaces != NULL || r->filters != NULL ||
	    r->received != PNUM_UNKNOWN || r->dropped != PNUM_UNKNOWN);
}

void
sniffer_free(struct sniffer *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
