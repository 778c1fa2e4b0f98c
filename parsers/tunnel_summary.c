/* SPDX-License-Identifier: ISC */
/*
 * tunnel_summary - parse `get vpn ipsec tunnel summary`; see the header.
 */
#include "config.h"

#include <string.h>

#include "tunnel_summary.h"

#define TS_SEL	"selectors(total,up):"
#define TS_RX	"rx(pkt,err):"
#define TS_TX	"tx(pkt,err):"
/* A label's length, known at compile time. */
#define TS_LEN(l)	(sizeof(l) - 1)

/*
 * The steps of a line, inline in ts_line: as calls, saving and restoring
 * registers cost as much as the work.
 */
#define TS_INLINE	static inline __attribute__((always_inline))

/* The text has no CR, looked for once rather than in each line. */
#define TS_NOCR		0x1	/* no pager erase to look for */

/*
 * Past the blanks at s[i].  The line is trimmed, so its last byte is not
 * blank: once i is inside it, a run of blanks ends inside it too.
 */
TS_INLINE size_t
ts_blanks(const char *s, size_t n, size_t i)
{
	if (i < n) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
	}
	return (i);
}

/*
 * "T/U" at s[i], after blanks; both halves or nothing.  Returns the
 * offset just past it, or 0.
 */
TS_INLINE size_t
ts_nums(const char *s, size_t n, size_t i, pnum *a, pnum *b)
{
	size_t	k;
	pnum	x, y;

	i = ts_blanks(s, n, i);
	if ((k = pu_num1(s + i, n - i, &x)) == 0)
		return (0);
	i += k;
	if (i >= n || s[i] != '/')
		return (0);
	i++;
	if ((k = pu_num1(s + i, n - i, &y)) == 0)
		return (0);
	*a = x;
	*b = y;
	return (i + k);
}

/*
 * The pair after a label of len bytes.  The columns come in order, so
 * the label is looked for after the previous one first (at), then from
 * the start (a build that moved a column).  Returns the new at.
 */
TS_INLINE size_t
ts_pair(const char *s, size_t n, size_t at, const char *label, size_t len,
    pnum *a, pnum *b)
{
	size_t	i, end;
	long	off;

	*a = *b = PNUM_UNKNOWN;
	i = ts_blanks(s, n, at);
	if (n - i >= len && memcmp(s + i, label, len) == 0)
		;	/* where FortiOS prints it: no search */
	else if ((off = pu_findn(s + at, n - at, label, len)) >= 0)
		i = at + (size_t)off;
	else if ((off = pu_findn(s, at, label, len)) >= 0)
		i = (size_t)off;
	else
		return (at);
	end = ts_nums(s, n, i + len, a, b);
	return (end != 0 ? end : at);
}

/* tunnel_summary_each's state while it runs. */
struct ts_stream {
	ts_tunnel_fn	 fn;
	void		*arg;
	size_t		 n;
	int		 rc;
};

/* Streaming: lend the line's tunnel to fn and drop it. */
static int
ts_emit(struct tunnel_summary *ts)
{
	struct ts_stream	*st = ts->stream;

	if (st == NULL)
		return (0);
	st->n++;
	if ((st->rc = st->fn(&ts->tunnels[0], st->arg)) != 0)
		return (-1);
	pa_reset(ts->arena);
	ts->tunnels = NULL;
	ts->ntunnels = ts->cap = 0;
	return (0);
}

/* One line; text is TS_NOCR when the whole text has no CR. */
static int
ts_line(struct tunnel_summary *ts, const char *s, size_t n, int text)
{
	struct ts_tunnel	*t;
	const char		*name, *col, *addr, *q;
	size_t			 namelen, coln, alen, at;
	long			 sel;
	pnum			 port;

	if (text & TS_NOCR)
		pu_visible_nocr(&s, &n);
	else
		pu_visible(&s, &n);
	if (n == 0 || s[0] != '\'')
		return (0);
	if ((sel = pu_findn(s, n, TS_SEL, TS_LEN(TS_SEL))) < 0)
		return (0);
	/*
	 * The name ends at the last quote before the selectors column (sel
	 * is at least 1: s[0] is a quote).
	 */
	if ((q = memrchr(s + 1, '\'', sel - 1)) == NULL)
		return (0);
	namelen = q + 1 - s;
	name = s + 1;
	col = s + namelen;
	coln = sel - namelen;
	namelen -= 2;

	/* Every field is set below: the new slots need no zeroing. */
	if (ts->ntunnels == ts->cap && pa_grow_raw(ts->arena,
	    (void **)&ts->tunnels, &ts->cap, ts->ntunnels + 1, sizeof(*t)) != 0)
		return (-1);
	t = &ts->tunnels[ts->ntunnels];
	t->remote_addr = NULL;
	t->remote_port = PNUM_UNKNOWN;
	pu_trim(&col, &coln);
	if (coln == 0 || pu_addr_port(col, coln, &addr, &alen, &port) != 0)
		addr = NULL;
	if ((t->name = pa_strndup(ts->arena, name, namelen)) == NULL ||
	    (addr != NULL && (t->remote_addr = pa_strndup(ts->arena, addr,
	    alen)) == NULL))
		return (-1);
	if (addr != NULL)
		t->remote_port = port;
	/*
	 * The counters follow the name, which may contain anything; the
	 * selectors label is at s[sel], where the search found it.
	 */
	s += sel;
	n -= sel;
	t->selectors_total = t->selectors_up = PNUM_UNKNOWN;
	at = ts_nums(s, n, TS_LEN(TS_SEL), &t->selectors_total,
	    &t->selectors_up);
	at = ts_pair(s, n, at, TS_RX, TS_LEN(TS_RX), &t->rx_pkt, &t->rx_err);
	(void)ts_pair(s, n, at, TS_TX, TS_LEN(TS_TX), &t->tx_pkt,
	    &t->tx_err);
	ts->ntunnels++;
	return (ts_emit(ts));
}

/* TS_NOCR for the whole of (buf, len). */
static int
ts_text(const char *buf, size_t len)
{
	return (buf == NULL || memchr(buf, '\r', len) == NULL ? TS_NOCR : 0);
}

int
tunnel_summary_each(const char *buf, size_t len, ts_tunnel_fn fn, void *arg,
    size_t *count)
{
	struct tunnel_summary	 ts;
	struct ts_stream	 st;
	struct plines		 pl;
	const char		*line;
	size_t			 n;
	int			 rc = 0, text;

	memset(&ts, 0, sizeof(ts));
	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.arg = arg;
	*count = 0;
	if ((ts.arena = pa_new()) == NULL)
		return (-1);
	ts.stream = &st;
	text = ts_text(buf, len);
	pl_init(&pl, buf, len);
	while (rc == 0 && pl_next(&pl, &line, &n))
		rc = ts_line(&ts, line, n, text);
	pa_free(ts.arena);
	*count = st.n;
	if (rc != 0)
		return (st.rc != 0 ? st.rc : -1);
	return (0);
}

struct tunnel_summary *
tunnel_summary_parse(const char *buf, size_t len)
{
	struct tunnel_summary	*ts;
	struct parena		*pa;
	struct plines		 pl;
	const char		*line;
	size_t			 n;
	int			 text;

	if ((ts = pa_new_result(sizeof(*ts), &pa)) == NULL)
		return (NULL);
	ts->arena = pa;
	text = ts_text(buf, len);
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		if (ts_line(ts, line, n, text) != 0) {
			pa_free(pa);
			return (NULL);
		}
	}
	return (ts);
}

void
tunnel_summary_free(struct tunnel_summary *ts)
{
	if (ts != NULL)
		pa_free(ts->arena);
}
