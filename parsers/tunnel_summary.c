/* SPDX-License-Identifier: ISC */
/*
 * tunnel_summary - parse `get vpn ipsec tunnel summary`; see the header.
 */
#include "config.h"

#include <string.h>

#include "tunnel_summary.h"

/*
 * "T/U" after the label; both halves or nothing.  The columns come in
 * order, so the label is looked for after the previous one first (*at),
 * then from the start (a build that moved a column).
 */
static void
ts_pair(const char *s, size_t n, size_t *at, const char *label, pnum *a,
    pnum *b)
{
	size_t	len = strlen(label), i, k;
	long	off;
	pnum	x, y;

	*a = *b = PNUM_UNKNOWN;
	for (i = *at; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (n - i >= len && memcmp(s + i, label, len) == 0)
		;	/* where FortiOS prints it: no search */
	else if ((off = pu_find(s + *at, n - *at, label)) >= 0)
		i = *at + (size_t)off;
	else if ((off = pu_find(s, *at, label)) >= 0)
		i = (size_t)off;
	else
		return;
	i += len;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if ((k = pu_num(s + i, n - i, &x)) == 0)
		return;
	i += k;
	if (i >= n || s[i] != '/')
		return;
	i++;
	if ((k = pu_num(s + i, n - i, &y)) == 0)
		return;
	*a = x;
	*b = y;
	*at = i + k;
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

static int
ts_line(struct tunnel_summary *ts, const char *s, size_t n)
{
	struct ts_tunnel	*t;
	const char		*name, *col, *addr;
	size_t			 namelen, coln, alen, at;
	long			 sel;
	pnum			 port;

	pu_visible(&s, &n);
	if (n == 0 || s[0] != '\'')
		return (0);
	if ((sel = pu_find(s, n, "selectors(total,up):")) < 0)
		return (0);
	/* The name ends at the last quote before the selectors column. */
	for (namelen = sel; namelen > 1; namelen--) {
		if (s[namelen - 1] == '\'')
			break;
	}
	if (namelen <= 1)
		return (0);
	name = s + 1;
	col = s + namelen;
	coln = sel - namelen;
	namelen -= 2;

	if (pa_grow(ts->arena, (void **)&ts->tunnels, &ts->cap,
	    ts->ntunnels + 1, sizeof(*t)) != 0)
		return (-1);
	t = &ts->tunnels[ts->ntunnels];
	if ((t->name = pa_strndup(ts->arena, name, namelen)) == NULL)
		return (-1);
	t->remote_port = PNUM_UNKNOWN;
	pu_trim(&col, &coln);
	if (coln > 0 && pu_addr_port(col, coln, &addr, &alen, &port) == 0) {
		if ((t->remote_addr = pa_strndup(ts->arena, addr, alen)) ==
		    NULL)
			return (-1);
		t->remote_port = port;
	}
	/* The counters follow the name, which may contain anything. */
	s += sel;
	n -= sel;
	at = 0;
	ts_pair(s, n, &at, "selectors(total,up):", &t->selectors_total,
	    &t->selectors_up);
	ts_pair(s, n, &at, "rx(pkt,err):", &t->rx_pkt, &t->rx_err);
	ts_pair(s, n, &at, "tx(pkt,err):", &t->tx_pkt, &t->tx_err);
	ts->ntunnels++;
	return (ts_emit(ts));
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
	int			 rc = 0;

	memset(&ts, 0, sizeof(ts));
	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.arg = arg;
	*count = 0;
	if ((ts.arena = pa_new()) == NULL)
		return (-1);
	ts.stream = &st;
	pl_init(&pl, buf, len);
	while (rc == 0 && pl_next(&pl, &line, &n))
		rc = ts_line(&ts, line, n);
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

	if ((ts = pa_new_result(sizeof(*ts), &pa)) == NULL)
		return (NULL);
	ts->arena = pa;
	pl_init(&pl, buf, len);
	while (pl_next(&pl, &line, &n)) {
		if (ts_line(ts, line, n) != 0) {
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
