/* SPDX-License-Identifier: ISC */
/*
 * sniffer - parse `diagnose sniffer packet`; see the header.
 *
 * A packet line is a timestamp, then "[if dir] src -> dst: info" (or
 * "[if dir] arp ..." and "802.1Q ..." without an arrow); words are
 * split with pu_word.  Everything that is not a packet, the two header
 * lines or the closing counts is skipped.
 */
#include "config.h"

#include <string.h>

#include "sniffer.h"

static int
sn_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
sn_is(const char *w, size_t wn, const char *word)
{
	return (wn == strlen(word) && memcmp(w, word, wn) == 0);
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
sn_reltime(const char *s, size_t n, pnum *us)
{
	size_t	i, d;
	pnum	sec, frac = 0;

	if ((i = pu_num(s, n, &sec)) == 0 || i > 12)
		return (-1);
	if (i >= n || s[i] != '.')
		return (-1);
	for (i++, d = 0; i < n && sn_digit(s[i]); i++, d++) {
		if (d < 6)
			frac = frac * 10 + (s[i] - '0');
	}
	if (d == 0 || i != n)
		return (-1);
	for (; d < 6; d++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return (0);
}

/* "2024-01-15" */
static int
sn_isdate(const char *s, size_t n)
{
	size_t	i = 0;

	if (sn_digits(s, n, &i) != 4 || i >= n || s[i++] != '-')
		return (0);
	if (sn_digits(s, n, &i) == 0 || i >= n || s[i++] != '-')
		return (0);
	return (sn_digits(s, n, &i) > 0 && i == n);
}

/* "10:22:33" or "10:22:33.123456" */
static int
sn_isclock(const char *s, size_t n)
{
	size_t	i = 0;

	if (sn_digits(s, n, &i) == 0 || i >= n || s[i++] != ':')
		return (0);
	if (sn_digits(s, n, &i) == 0 || i >= n || s[i++] != ':')
		return (0);
	if (sn_digits(s, n, &i) == 0)
		return (0);
	if (i < n && s[i] == '.') {
		i++;
		if (sn_digits(s, n, &i) == 0)
			return (0);
	}
	return (i == n);
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
 * without it.  Anything else is kept whole, port unknown.  Returns the
 * length of the address.
 */
static size_t
sn_addr(const char *s, size_t n, pnum *port)
{
	const char	*tail = s, *dot;
	size_t		 tn = n, dots, k;
	pnum		 p;
	int		 want;

	*port = PNUM_UNKNOWN;
	if (memchr(s, ':', n) != NULL) {
		tail = sn_rchr(s, n, ':') + 1;
		tn = s + n - tail;
		dots = sn_count(tail, tn, '.');
		want = dots == 1 || dots == 4;
	} else
		want = sn_count(s, n, '.') == 4;
	if (!want || (dot = sn_rchr(tail, tn, '.')) == NULL)
		return (n);
	k = s + n - (dot + 1);
	if (k == 0 || k > 5 || pu_num(dot + 1, k, &p) != k || p > 65535)
		return (n);
	*port = p;
	return (dot - s);
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
sn_tcpflag(const char *w, size_t wn)
{
	static const char *const flags[] = {
		"syn", "fin", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
	};
	size_t	i;

	for (i = 0; flags[i] != NULL; i++)
		if (sn_is(w, wn, flags[i]))
			return (1);
	return (0);
}

/* "syn 123", "psh fin 1 ack 2", "1 ack 2": flags, seq and ack. */
static int
sn_tcp(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	const char	*w;
	char		 flags[64];
	size_t		 wn, i = 0, fl = 0;
	pnum		 v;
	int		 after_ack = 0, any = 0, bad = 0;

	pk->seq = pk->ack = PNUM_UNKNOWN;
	while (pu_word(s, n, &i, &w, &wn)) {
		if (sn_tcpflag(w, wn)) {
			if (fl + wn + 2 > sizeof(flags)) {
				bad = 1;
				break;
			}
			if (fl > 0)
				flags[fl++] = ' ';
			memcpy(flags + fl, w, wn);
			fl += wn;
			after_ack = sn_is(w, wn, "ack");
		} else if (pu_num(w, wn, &v) == wn) {
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

/* The length after "udp", "tcp" or "ip-proto-N", when printed. */
static void
sn_len(struct sn_packet *pk, const char *s, size_t n, size_t i)
{
	const char	*w;
	size_t		 wn;
	pnum		 v;

	if (pu_word(s, n, &i, &w, &wn) && pu_num(w, wn, &v) == wn)
		pk->len = v;
}

/* The text after "dst:" (or after the direction on arp lines). */
static void
sn_info(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	const char	*w, *rest;
	size_t		 wn, restn, i = 0;
	pnum		 v;

	pu_trim(&s, &n);
	if (n == 0)
		return;
	pk->info = sn_dup(r, s, n, err);
	(void)pu_word(s, n, &i, &w, &wn);
	if (sn_is(w, wn, "udp") || sn_is(w, wn, "tcp")) {
		pk->proto = sn_is(w, wn, "udp") ? "udp" : "tcp";
		sn_len(pk, s, n, i);
	} else if (sn_is(w, wn, "icmp:") || sn_is(w, wn, "icmp6:")) {
		pk->proto = wn == 5 ? "icmp" : "icmp6";
		rest = s + i;
		restn = n - i;
		pu_trim(&rest, &restn);
		if (restn > 0)
			pk->icmp = sn_dup(r, rest, restn, err);
	} else if (wn > 9 && pu_starts(w, wn, "ip-proto-") &&
	    pu_num(w + 9, wn - 9, &v) == wn - 9) {
		pk->ip_proto = v;
		if (v == 50)
			pk->proto = "esp";
		else if (v == 51)
			pk->proto = "ah";
		else
			pk->proto = sn_dup(r, w, wn, err);
		sn_len(pk, s, n, i);
	} else if (pu_starts(s, n, "ESP(")) {
		sn_esp(r, pk, s, n, err);
	} else if ((pk->sport == PNUM_UNKNOWN && pk->dport == PNUM_UNKNOWN) ||
	    !sn_tcp(r, pk, s, n, err)) {
		/* Not tcp recognised by its flags and sequence numbers. */
		while (wn > 1 && w[wn - 1] == ':')
			wn--;
		pk->proto = sn_dup(r, w, wn, err);
	}
}

/* "arp who-has A tell B", "arp reply A is-at MAC" */
static void
sn_arp(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	const char	*w[5];
	size_t		 wn[5], i = 0, k;

	for (k = 0; k < 5 && pu_word(s, n, &i, &w[k], &wn[k]); k++)
		;
	if (k < 3 || !sn_is(w[0], wn[0], "arp"))
		return;
	pk->proto = "arp";
	if (k == 5 && sn_is(w[1], wn[1], "who-has") &&
	    sn_is(w[3], wn[3], "tell")) {
		pk->dst = sn_dup(r, w[2], wn[2], err);
		pk->src = sn_dup(r, w[4], wn[4], err);
	} else if (sn_is(w[1], wn[1], "reply"))
		pk->src = sn_dup(r, w[2], wn[2], err);
}

static int
sn_dirword(const char *w, size_t wn)
{
	return (sn_is(w, wn, "in") || sn_is(w, wn, "out") ||
	    sn_is(w, wn, "--"));
}

/* "port1 in"; "--" (transparent mode) is no direction. */
static void
sn_iface(struct sniffer *r, struct sn_packet *pk, const char *const *w,
    const size_t *wn, int *err)
{
	pk->interface = sn_dup(r, w[0], wn[0], err);
	if (!sn_is(w[1], wn[1], "--"))
		pk->direction = sn_dup(r, w[1], wn[1], err);
}

/* "[if dir] arp ...", "[if dir] 802.1Q ...": a packet without an arrow. */
static int
sn_noarrow(struct sniffer *r, struct sn_packet *pk, const char *s,
    size_t n, int *err)
{
	const char	*w[2];
	size_t		 wn[2], i = 0, k;

	for (k = 0; k < 2 && pu_word(s, n, &i, &w[k], &wn[k]); k++)
		;
	if (k == 0)
		return (0);
	i = 0;
	if (k == 2 && sn_dirword(w[1], wn[1])) {
		sn_iface(r, pk, w, wn, err);
		i = w[1] + wn[1] - s;
	}
	sn_info(r, pk, s + i, n - i, err);
	sn_arp(r, pk, s + i, n - i, err);
	return (pk->proto != NULL);
}

/*
 * The part of a packet line after the timestamp: "[if dir] src -> dst:
 * info" or a line without an arrow.  0 when it is not a packet line.
 */
static int
sn_body(struct sniffer *r, struct sn_packet *pk, const char *s, size_t n,
    int *err)
{
	const char	*w[3], *dst, *extra;
	size_t		 wn[3], dstn, extran, i = 0, k, an;
	long		 arrow;

	if ((arrow = pu_find(s, n, " -> ")) < 0)
		return (sn_noarrow(r, pk, s, n, err));
	/* Up to three words before the arrow: [interface direction] src. */
	for (k = 0; k < 3 && pu_word(s, arrow, &i, &w[k], &wn[k]); k++)
		;
	if (k == 0 || pu_word(s, arrow, &i, &extra, &extran))
		return (0);
	if (k == 3 && sn_dirword(w[1], wn[1]))
		sn_iface(r, pk, w, wn, err);
	else if (k == 2)
		pk->interface = sn_dup(r, w[0], wn[0], err);
	else if (k != 1)
		return (0);
	i = arrow + 4;
	if (!pu_word(s, n, &i, &dst, &dstn))
		return (0);
	if (dstn > 1 && dst[dstn - 1] == ':')
		dstn--;
	an = sn_addr(w[k - 1], wn[k - 1], &pk->sport);
	pk->src = sn_dup(r, w[k - 1], an, err);
	an = sn_addr(dst, dstn, &pk->dport);
	pk->dst = sn_dup(r, dst, an, err);
	sn_info(r, pk, s + i, n - i, err);
	return (1);
}

static void
sn_unknown(struct sn_packet *pk)
{
	memset(pk, 0, sizeof(*pk));
	pk->time_us = pk->sport = pk->dport = pk->len = PNUM_UNKNOWN;
	pk->ip_proto = pk->seq = pk->ack = PNUM_UNKNOWN;
}

/* A timestamped packet line into *pk: 0 when the line is something else. */
static int
sn_packet_read(struct sniffer *r, struct sn_packet *pk, const char *s,
    size_t n, int *err)
{
	const char		*w, *c;
	size_t			 wn, cn, i = 0;

	sn_unknown(pk);
	if (!pu_word(s, n, &i, &w, &wn))
		return (0);
	if (sn_isdate(w, wn)) {
		if (!pu_word(s, n, &i, &c, &cn) || !sn_isclock(c, cn))
			return (0);
		pk->timestamp = sn_dup(r, w, c + cn - w, err);
	} else if (sn_reltime(w, wn, &pk->time_us) != 0)
		return (0);
	return (sn_body(r, pk, s + i, n - i, err) && !*err);
}

/* sniffer_each's state while it runs. */
struct sn_stream {
	sniffer_fn	 fn;
	void		*arg;
	struct parena	*scratch;	/* the current packet's strings */
	int		 rc;
};

static void
sn_packet(struct sniffer *r, const char *s, size_t n, int *err)
{
	struct sn_stream	*st = r->stream;
	struct parena		*keep = r->arena;
	struct sn_packet	 pk;
	int			 ok;

	if (st == NULL) {
		if (!sn_packet_read(r, &pk, s, n, err))
			return;
		if (pa_grow(r->arena, (void **)&r->packets, &r->cap,
		    r->npackets + 1, sizeof(pk)) != 0) {
			*err = 1;
			return;
		}
		r->packets[r->npackets++] = pk;
		return;
	}
	/* Streaming: counted, lent to fn, dropped. */
	r->arena = st->scratch;
	ok = sn_packet_read(r, &pk, s, n, err);
	r->arena = keep;
	if (ok) {
		r->npackets++;
		if (st->fn != NULL && (st->rc = st->fn(&pk, st->arg)) != 0)
			*err = 1;
	}
	pa_reset(st->scratch);
}

/* "interfaces=[any]": 1 when the line starts with key. */
static int
sn_bracket(struct sniffer *r, const char *s, size_t n, const char *key,
    const char **out, int *err)
{
	size_t	klen = strlen(key), e;

	if (!pu_starts(s, n, key))
		return (0);
	for (e = n; e > klen; e--)
		if (s[e - 1] == ']')
			break;
	if (e > klen)
		*out = sn_dup(r, s + klen, e - 1 - klen, err);
	return (1);
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

/* "0x0000	 4500 0054 ...": the hex dump of verbosity 2, 3, 5, 6. */
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
	if (sn_ishex(s, n))
		r->nhex++;
	else if (!sn_counts(r, s, n) &&
	    !sn_bracket(r, s, n, "interfaces=[", &r->interfaces, err) &&
	    !sn_bracket(r, s, n, "filters=[", &r->filters, err) &&
	    sn_digit(s[0]))
		sn_packet(r, s, n, err);
}

int
sniffer_each(const char *buf, size_t len, sniffer_fn fn, void *arg,
    struct sniffer **out)
{
	struct sn_stream	 st;
	struct sniffer		*r;
	struct parena		*pa;
	struct plines		 pl;
	const char		*line;
	size_t			 n;
	int			 err = 0;

	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.arg = arg;
	if ((st.scratch = pa_new()) == NULL)
		return (-1);
	if ((r = pa_new_result(sizeof(*r), &pa)) == NULL) {
		pa_free(st.scratch);
		return (-1);
	}
	r->arena = pa;
	r->received = r->dropped = PNUM_UNKNOWN;
	r->stream = &st;
	pl_init(&pl, buf, len);
	while (!err && pl_next(&pl, &line, &n))
		sn_line(r, line, n, &err);
	r->stream = NULL;
	pa_free(st.scratch);
	if (err) {
		pa_free(pa);
		return (st.rc != 0 ? st.rc : -1);
	}
	*out = r;
	return (0);
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

	if ((r = pa_new_result(sizeof(*r), &pa)) == NULL)
		return (NULL);
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
