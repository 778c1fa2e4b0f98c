/*
 * tunnel_list - parse `diagnose vpn tunnel list` and `get vpn ipsec
 * tunnel name|details`; see the header for the layouts.
 *
 * Built for big outputs (a hub with 10,000 dial-up children): one pass,
 * each line is looked at once.  The first word picks the line's kind, and
 * the rest is cut into words once; each key=value word is dispatched on
 * its length and then compared, so no line is searched again per key.
 * Objects and strings come from small slabs inside the arena with no
 * rounding, and a string equal to the last one stored for the same field
 * ("auto", "none", "aes", the local address...) is shared, not copied.
 */
#include "config.h"

#include <string.h>

#include "tunnel_list.h"

#define TL_SLAB		8192
#define TL_RECENT	4	/* stored settings compared before a copy */

/* The few functions on the per-byte path must not stay calls. */
#if defined(__GNUC__)
#define TL_INLINE	static inline __attribute__((always_inline))
#else
#define TL_INLINE	static inline
#endif

/* Fields whose last stored value is remembered for sharing. */
enum {
	TLC_LOCAL, TLC_MODE, TLC_ENCAP, TLC_LGWY, TLC_TUN, TLC_OPTIONS,
	TLC_ROLE, TLC_AD, TLC_DPD, TLC_NATT, TLC_PARENT, TLC_PNAME, TLC_SRC,
	TLC_DST, TLC_FLAGS, TLC_ESP, TLC_AH, TLC_IFACE, TLC_MAX
};

enum { DIR_NONE, DIR_DEC, DIR_ENC };

struct tl_ctx {
	struct tunnel_list *r;
	struct parena	*pa;
	char		*slab;
	size_t		 left;
	int		 oom;
	struct tl_tunnel *t;		/* current tunnel */
	struct tl_tunnel *first;
	struct tl_tunnel *tail;
	struct tl_proxyid *p;		/* current proxyid of t */
	struct tl_sa	*sa;		/* current SA of p */
	int		 dir;		/* dec: or enc: seen last */
	int		 getsel;	/* get form: inside "selectors" */
	size_t		 tnamelen;	/* bytes stored in t->name */
	/* Bare words after options[..]= or on the proxyid= line. */
	const char	**collect;
	int		 collect_slot;
	const char	*cstart;
	const char	*cend;
	const char	*cache[TLC_MAX];
	size_t		 cachelen[TLC_MAX];
	/* Settings of the current tunnel and SA, and the last few stored. */
	struct tl_conf	 tconf;
	struct tl_sa_conf sconf;
	const void	*trecent[TL_RECENT];
	const void	*srecent[TL_RECENT];
	int		 tnext;
	int		 snext;
};

/* A key=value handler: num is the value when it is all digits. */
typedef int (*tl_kv_fn)(struct tl_ctx *, const char *, size_t,
    const char *, size_t, pnum);

#define K(lit)	\
	(kn == sizeof(lit) - 1 && memcmp(k, lit, sizeof(lit) - 1) == 0)
#define PFX(lit) \
	(n >= sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)

/*
 * Slab allocation: no rounding to max_align_t for small objects.  The
 * memory is zeroed (pa_alloc zeroes the slabs).
 */
static void *
tl_alloc(struct tl_ctx *c, size_t size, size_t align)
{
	size_t	 pad;
	char	*p;

	pad = (align - ((uintptr_t)c->slab & (align - 1))) & (align - 1);
	if (c->slab == NULL || c->left < size + pad) {
		if (size > TL_SLAB / 8) {
			if ((p = pa_alloc(c->pa, size)) == NULL)
				c->oom = 1;
			return (p);
		}
		if ((c->slab = pa_alloc(c->pa, TL_SLAB)) == NULL) {
			c->oom = 1;
			c->left = 0;
			return (NULL);
		}
		c->left = TL_SLAB;
		pad = 0;
	}
	p = c->slab + pad;
	c->slab += pad + size;
	c->left -= pad + size;
	return (p);
}

/* Store a string, sharing it with the last one stored for the slot. */
static const char *
tl_str(struct tl_ctx *c, int slot, const char *s, size_t n)
{
	char	*p;

	if (slot >= 0 && c->cache[slot] != NULL && c->cachelen[slot] == n &&
	    memcmp(c->cache[slot], s, n) == 0)
		return (c->cache[slot]);
	if ((p = tl_alloc(c, n + 1, 1)) == NULL)
		return (NULL);
	memcpy(p, s, n);
	p[n] = '\0';
	if (slot >= 0) {
		c->cache[slot] = p;
		c->cachelen[slot] = n;
	}
	return (p);
}

/* The part of a value before '/' ("auto" of "auto/1"). */
static size_t
tl_head(const char *v, size_t vn)
{
	const char	*sl;

	if ((sl = memchr(v, '/', vn)) != NULL)
		return (sl - v);
	return (vn);
}

/*
 * Decimal prefix; *used is how much was consumed (0: none).  Up to 18
 * digits cannot overflow int64, so the loop needs no check per digit;
 * longer numbers are refused like pu_num refuses overflow.
 */
TL_INLINE pnum
tl_dec(const char *v, size_t vn, size_t *used)
{
	size_t		i;
	uint64_t	x = 0;
	unsigned int	d;

	for (i = 0; i < vn && i < 19; i++) {
		if ((d = (unsigned char)v[i] - '0') > 9)
			break;
		x = x * 10 + d;
	}
	if (i == 0 || i == 19) {
		*used = 0;
		return (PNUM_UNKNOWN);
	}
	*used = i;
	return ((pnum)x);
}

/* A whole value as a number; anything else is unknown. */
static pnum
tl_pn(const char *v, size_t vn)
{
	size_t	used;
	pnum	x;

	x = tl_dec(v, vn, &used);
	return (used == vn ? x : PNUM_UNKNOWN);
}

static tnum
tl_t(pnum x)
{
	if (x == PNUM_UNKNOWN || x > INT32_MAX || x < -INT32_MAX)
		return (TNUM_UNKNOWN);
	return ((tnum)x);
}

static tnum
tl_n(const char *v, size_t vn)
{
	return (tl_t(tl_pn(v, vn)));
}

/* A whole value in hex, up to 15 digits (no overflow to check). */
static pnum
tl_px(const char *v, size_t vn)
{
	uint64_t	x = 0;
	size_t		i;
	unsigned int	ch, d;

	if (vn == 0 || vn > 15)
		return (PNUM_UNKNOWN);
	for (i = 0; i < vn; i++) {
		ch = (unsigned char)v[i];
		if ((d = ch - '0') > 9) {
			if ((d = (ch | 0x20) - 'a') > 5)
				return (PNUM_UNKNOWN);
			d += 10;
		}
		x = (x << 4) | d;
	}
	return ((pnum)x);
}

static tnum
tl_x(const char *v, size_t vn)
{
	return (tl_t(tl_px(v, vn)));
}

/* A number followed by a unit or "/..." ("20000ms", "42762/0B"). */
TL_INLINE tnum
tl_n_unit(const char *v, size_t vn, const char *unit)
{
	size_t	used, ul = strlen(unit);
	pnum	x;

	x = tl_dec(v, vn, &used);
	if (used == 0)
		return (TNUM_UNKNOWN);
	if (used == vn || v[used] == '/' ||
	    (vn - used == ul && memcmp(v + used, unit, ul) == 0))
		return (tl_t(x));
	return (TNUM_UNKNOWN);
}

/* "a/b", optionally followed by a comma; both halves or neither. */
static int
tl_pair(const char *v, size_t vn, pnum *a, pnum *b)
{
	size_t	i, k;
	pnum	x, y;

	if (vn > 0 && v[vn - 1] == ',')
		vn--;
	x = tl_dec(v, vn, &i);
	if (i == 0 || i >= vn || v[i] != '/')
		return (-1);
	y = tl_dec(v + i + 1, vn - i - 1, &k);
	if (k == 0 || i + 1 + k != vn)
		return (-1);
	*a = x;
	*b = y;
	return (0);
}

/* An SPI: at most 8 hex digits. */
static void
tl_spi(const char *v, size_t vn, uint32_t *spi, unsigned char *has)
{
	pnum	x;

	if (vn == 0 || vn > 8 || (x = tl_px(v, vn)) == PNUM_UNKNOWN)
		return;
	*spi = (uint32_t)x;
	*has = 1;
}

/* "addr:port" into a string and a port; nothing if it does not split. */
static void
tl_addr(struct tl_ctx *c, int slot, const char *s, size_t n,
    const char **addr, tnum *port)
{
	const char	*a;
	size_t		 an;
	pnum		 p;

	if (pu_addr_port(s, n, &a, &an, &p) != 0)
		return;
	*addr = tl_str(c, slot, a, an);
	*port = tl_t(p);
}

/* First ' ', '\t' (or '=' when eq) in [p, end): most bytes pass here. */
TL_INLINE const char *
tl_scan(const char *p, const char *end, int eq)
{
	while (p < end && *p != ' ' && *p != '\t' && (!eq || *p != '='))
		p++;
	return (p);
}

/*
 * Next white-space separated word of [p, end); NULL at the end.  *eq is
 * its first '=', or NULL.  A value made of digits only is converted on
 * the way (*num, else PNUM_UNKNOWN), so numbers are read once.
 */
TL_INLINE const char *
tl_word(const char *p, const char *end, const char **w, size_t *wn,
    const char **eq, pnum *num)
{
	const char	*e = NULL, *v;
	uint64_t	 x = 0;
	unsigned int	 d;

	*num = PNUM_UNKNOWN;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return (NULL);
	*w = p;
	p = tl_scan(p, end, 1);
	if (p < end && *p == '=') {
		e = p;
		v = ++p;
		while (p < end && (d = (unsigned char)*p - '0') <= 9) {
			x = x * 10 + d;
			p++;
		}
		if (p < end && *p != ' ' && *p != '\t')
			p = tl_scan(p, end, 0);
		else if (p > v && p - v <= 18)
			*num = (pnum)x;
	}
	*wn = p - *w;
	*eq = e;
	return (p);
}

/* Stop collecting bare words and store what was collected. */
static void
tl_collect_end(struct tl_ctx *c)
{
	if (c->collect == NULL)
		return;
	*c->collect = tl_str(c, c->collect_slot, c->cstart,
	    c->cend - c->cstart);
	c->collect = NULL;
}

static void
tl_collect_begin(struct tl_ctx *c, const char **dst, int slot,
    const char *s, size_t n)
{
	tl_collect_end(c);
	c->collect = dst;
	c->collect_slot = slot;
	c->cstart = s;
	c->cend = s + n;
}

/*
 * Run fn over every word of a line: key=value words as (k, v), bare
 * words as (NULL, word).  Bare words extend a collection in progress.
 * fn returns 1 when the rest of the line is of no interest (key
 * material, fields after the last one kept): it is then not even read.
 */
TL_INLINE void
tl_kvs(struct tl_ctx *c, const char *s, size_t n, tl_kv_fn fn)
{
	const char	*p = s, *end = s + n, *w, *eq;
	size_t		 wn;
	pnum		 num;

	while ((p = tl_word(p, end, &w, &wn, &eq, &num)) != NULL) {
		if (eq == NULL || eq == w) {
			if (c->collect != NULL)
				c->cend = w + wn;
			else if (fn(c, NULL, 0, w, wn, PNUM_UNKNOWN))
				break;
			continue;
		}
		if (c->collect != NULL)
			tl_collect_end(c);
		if (fn(c, w, eq - w, eq + 1, w + wn - eq - 1, num))
			break;
	}
	if (c->collect != NULL)
		tl_collect_end(c);
}

/*
 * Settings are gathered in the context while a tunnel or an SA is read,
 * and stored when it ends: the copy is shared with one of the last few
 * stored when they are equal (pointers to shared strings compare equal),
 * which is the common case of a hub's dial-up children.
 */
static void
tl_conf_reset(struct tl_conf *f)
{
	memset(f, 0, sizeof(*f));
	f->version = f->bound_if = f->dst_mtu = f->options_mask = TNUM_UNKNOWN;
	f->run_state = f->accept_traffic = f->overlay_id = TNUM_UNKNOWN;
	f->dpd_on = f->dpd_idle_ms = f->dpd_retry = TNUM_UNKNOWN;
	f->natt_draft = f->natt_interval = TNUM_UNKNOWN;
}

static void
tl_sa_conf_reset(struct tl_sa_conf *f)
{
	memset(f, 0, sizeof(*f));
	f->mtu = f->replaywin = f->life_total = f->options = TNUM_UNKNOWN;
	f->soft = f->esn = f->npu_flag = f->type = TNUM_UNKNOWN;
}

/* The stored copy of (f, size): an equal recent one, or a new one. */
static const void *
tl_intern(struct tl_ctx *c, const void *f, size_t size, const void **recent,
    int *next)
{
	void	*copy;
	int	 i;

	for (i = 0; i < TL_RECENT; i++) {
		if (recent[i] != NULL && memcmp(recent[i], f, size) == 0)
			return (recent[i]);
	}
	if ((copy = tl_alloc(c, size, sizeof(void *))) == NULL)
		return (NULL);
	memcpy(copy, f, size);
	recent[*next] = copy;
	*next = (*next + 1) % TL_RECENT;
	return (copy);
}

/* The current SA ends: store its settings. */
static void
tl_end_sa(struct tl_ctx *c)
{
	if (c->sa != NULL && c->sa->conf == NULL)
		c->sa->conf = tl_intern(c, &c->sconf, sizeof(c->sconf),
		    c->srecent, &c->snext);
	c->sa = NULL;
	c->dir = DIR_NONE;
}

/* The current tunnel ends: store its settings (and its last SA's). */
static void
tl_end_tunnel(struct tl_ctx *c)
{
	tl_end_sa(c);
	if (c->t != NULL && c->t->conf == NULL)
		c->t->conf = tl_intern(c, &c->tconf, sizeof(c->tconf),
		    c->trecent, &c->tnext);
}

static struct tl_tunnel *
tl_new_tunnel(struct tl_ctx *c)
{
	struct tl_tunnel	*t;

	tl_end_tunnel(c);
	if ((t = tl_alloc(c, sizeof(*t), sizeof(void *))) == NULL)
		return (NULL);
	/* Zeroed: only the unknowns to set. */
	t->rxp = t->txp = t->rxb = t->txb = PNUM_UNKNOWN;
	t->rx_err = t->tx_err = PNUM_UNKNOWN;
	t->ilast = t->olast = t->dpd_seqno = PNUM_UNKNOWN;
	t->serial = t->local_port = t->remote_port = t->index = TNUM_UNKNOWN;
	t->proxyid_num = t->child_num = t->refcnt = TNUM_UNKNOWN;
	t->dpd_count = t->natt_remote_port = t->run_tally = TNUM_UNKNOWN;
	tl_conf_reset(&c->tconf);
	if (c->tail != NULL)
		c->tail->next = t;
	else
		c->first = t;
	c->tail = t;
	c->r->ntunnels++;
	c->t = t;
	c->p = NULL;
	c->getsel = 0;
	c->tnamelen = 0;	/* t->name is NULL until set */
	return (t);
}

static struct tl_proxyid *
tl_new_proxyid(struct tl_ctx *c)
{
	struct tl_proxyid	*p, *q;

	if (c->t == NULL)
		return (NULL);
	tl_end_sa(c);
	if ((p = tl_alloc(c, sizeof(*p), sizeof(void *))) == NULL)
		return (NULL);
	p->proto = p->sa = p->ref = p->serial = TNUM_UNKNOWN;
	p->auto_negotiate = -1;
	if ((q = c->p) != NULL)
		q->next = p;
	else
		c->t->proxyids = p;
	c->t->nproxyids++;
	c->p = p;
	return (p);
}

static struct tl_sa *
tl_new_sa(struct tl_ctx *c)
{
	struct tl_sa	*sa, *last;

	if (c->p == NULL)
		return (NULL);
	last = c->sa;
	tl_end_sa(c);
	if ((sa = tl_alloc(c, sizeof(*sa), sizeof(void *))) == NULL)
		return (NULL);
	sa->seqno = sa->dec_pkts = sa->dec_bytes = PNUM_UNKNOWN;
	sa->enc_pkts = sa->enc_bytes = PNUM_UNKNOWN;
	sa->ref = sa->expire_s = sa->life_timeout = sa->rekey = TNUM_UNKNOWN;
	tl_sa_conf_reset(&c->sconf);
	if (last != NULL)
		last->next = sa;
	else
		c->p->sas = sa;
	c->p->nsas++;
	c->sa = sa;
	return (sa);
}

/* "10.0.0.1:500->10.0.0.3:500" (IPv6 too: the port is after the last ':'). */
static void
tl_addrs(struct tl_ctx *c, const char *w, size_t wn)
{
	size_t	i;

	for (i = 0; i + 1 < wn; i++) {
		if (w[i] == '-' && w[i + 1] == '>')
			break;
	}
	if (i + 1 >= wn)
		return;
	tl_addr(c, TLC_LOCAL, w, i, &c->t->local_addr, &c->t->local_port);
	tl_addr(c, -1, w + i + 2, wn - i - 2, &c->t->remote_addr,
	    &c->t->remote_port);
}

/* Keys of the tunnel-level lines: header, bound_if=, proxyid_num=, stat:. */
static int
tl_tunnel_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_tunnel	*t = c->t;

	if (k == NULL) {
		if (t->local_addr == NULL && t->remote_addr == NULL)
			tl_addrs(c, v, vn);
		return (0);
	}
	if (kn > 8 && memcmp(k, "options[", 8) == 0) {
		c->tconf.options_mask = tl_x(k + 8, kn - 9);
		tl_collect_begin(c, &c->tconf.options, TLC_OPTIONS, v, vn);
		return (0);
	}
	switch (kn) {
	case 2:
		if (K("ad"))
			c->tconf.ad = tl_str(c, TLC_AD, v, vn);
		break;
	case 3:
		if (K("ver"))
			c->tconf.version = tl_t(num);
		else if (K("tun"))
			c->tconf.tun = tl_str(c, TLC_TUN, v, tl_head(v, vn));
		else if (K("rxp"))
			t->rxp = num;
		else if (K("txp"))
			t->txp = num;
		else if (K("rxb"))
			t->rxb = num;
		else if (K("txb"))
			t->txb = num;
		break;
	case 4:
		if (K("mode"))
			c->tconf.mode = tl_str(c, TLC_MODE, v, tl_head(v, vn));
		else if (K("lgwy"))
			c->tconf.lgwy = tl_str(c, TLC_LGWY, v, tl_head(v, vn));
		else if (K("role"))
			c->tconf.role = tl_str(c, TLC_ROLE, v, vn);
		break;
	case 5:
		if (K("index"))
			t->index = tl_t(num);
		else if (K("ilast"))
			t->ilast = num;
		else if (K("olast"))
			t->olast = num;
		else if (K("encap"))
			c->tconf.encap = tl_str(c, TLC_ENCAP, v,
			    tl_head(v, vn));
		break;
	case 6:
		if (K("serial"))
			t->serial = tl_x(v, vn);
		else if (K("tun_id"))
			t->tun_id = tl_str(c, -1, v, vn);
		else if (K("refcnt"))
			t->refcnt = tl_t(num);
		else if (K("parent"))
			t->parent = tl_str(c, TLC_PARENT, v, vn);
		break;
	case 7:
		if (K("dst_mtu"))
			c->tconf.dst_mtu = tl_t(num);
		else if (K("tun_id6"))
			t->tun_id6 = tl_str(c, -1, v, vn);
		break;
	case 8:
		if (K("bound_if"))
			c->tconf.bound_if = tl_t(num);
		break;
	case 9:
		if (K("run_state"))
			c->tconf.run_state = tl_t(num);
		else if (K("child_num"))
			t->child_num = tl_t(num);
		else if (K("run_tally"))
			t->run_tally = tl_t(num);
		break;
	case 10:
		if (K("overlay_id"))
			c->tconf.overlay_id = tl_t(num);
		break;
	case 11:
		if (K("proxyid_num"))
			t->proxyid_num = tl_t(num);
		break;
	case 14:
		if (K("accept_traffic"))
			c->tconf.accept_traffic = tl_t(num);
		break;
	}
	return (0);
}

static int
tl_dpd_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_tunnel	*t = c->t;

	if (k == NULL)
		return (0);
	if (K("mode"))
		c->tconf.dpd_mode = tl_str(c, TLC_DPD, v, vn);
	else if (K("on"))
		c->tconf.dpd_on = tl_t(num);
	else if (K("idle"))
		c->tconf.dpd_idle_ms = tl_n_unit(v, vn, "ms");
	else if (K("retry"))
		c->tconf.dpd_retry = tl_t(num);
	else if (K("count"))
		t->dpd_count = tl_t(num);
	else if (K("seqno"))
		t->dpd_seqno = num;
	return (0);
}

static int
tl_natt_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_tunnel	*t = c->t;

	if (k == NULL)
		return (0);
	if (K("mode"))
		c->tconf.natt_mode = tl_str(c, TLC_NATT, v, vn);
	else if (K("draft"))
		c->tconf.natt_draft = tl_t(num);
	else if (K("interval"))
		c->tconf.natt_interval = tl_t(num);
	else if (K("remote_port"))
		t->natt_remote_port = tl_t(num);
	return (0);
}

static int
tl_proxyid_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_proxyid	*p = c->p;

	if (k == NULL) {
		/* The first bare word starts the flags. */
		tl_collect_begin(c, &p->flags, TLC_FLAGS, v, vn);
		return (0);
	}
	if (K("proto"))
		p->proto = tl_t(num);
	else if (K("sa"))
		p->sa = tl_t(num);
	else if (K("ref"))
		p->ref = tl_t(num);
	else if (K("serial"))
		p->serial = tl_x(v, vn);
	return (0);
}

/* The `SA:` line and its `seqno=` continuation. */
static int
tl_sa_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_sa	*sa = c->sa;

	if (k == NULL)
		return (0);
	switch (kn) {
	case 3:
		if (K("ref"))
			sa->ref = tl_t(num);
		else if (K("mtu"))
			c->sconf.mtu = tl_t(num);
		else if (K("esn"))
			c->sconf.esn = tl_t(num);
		break;
	case 4:
		if (K("soft"))
			c->sconf.soft = tl_t(num);
		else if (K("type"))
			c->sconf.type = tl_x(v, vn);
		break;
	case 5:
		if (K("seqno"))
			sa->seqno = tl_px(v, vn);
		else if (K("rekey"))
			sa->rekey = tl_t(num);
		break;
	case 6:
		if (K("expire"))
			sa->expire_s = tl_n_unit(v, vn, "s");
		break;
	case 7:
		if (K("options"))
			c->sconf.options = tl_x(v, vn);
		break;
	case 9:
		if (K("replaywin"))
			c->sconf.replaywin = tl_t(num);
		break;
	}
	return (0);
}

static int
tl_life_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	pnum	a, b;

	(void)num;
	if (k != NULL && K("timeout")) {
		if (tl_pair(v, vn, &a, &b) == 0) {
			c->sa->life_timeout = tl_t(a);
			c->sconf.life_total = tl_t(b);
		}
		return (1);
	}
	return (0);
}

/* `dec: spi=.. esp=.. key=N <key>` and its `ah=.. key=N <key>` line. */
static int
tl_dir_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_sa	*sa = c->sa;
	int		 dec = c->dir == DIR_DEC;

	(void)num;
	/* What follows key=N is key material: never looked at. */
	if (k == NULL || c->dir == DIR_NONE || K("key"))
		return (1);
	if (K("spi")) {
		if (dec)
			tl_spi(v, vn, &sa->dec_spi, &sa->has_dec_spi);
		else
			tl_spi(v, vn, &sa->enc_spi, &sa->has_enc_spi);
	} else if (K("esp")) {
		if (dec)
			c->sconf.dec_esp = tl_str(c, TLC_ESP, v, vn);
		else
			c->sconf.enc_esp = tl_str(c, TLC_ESP, v, vn);
	} else if (K("ah")) {
		if (dec)
			c->sconf.dec_ah = tl_str(c, TLC_AH, v, vn);
		else
			c->sconf.enc_ah = tl_str(c, TLC_AH, v, vn);
	}
	return (0);
}

static int
tl_pkts_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	struct tl_sa	*sa = c->sa;

	(void)num;
	if (k == NULL)
		return (0);
	if (K("dec:pkts/bytes"))
		(void)tl_pair(v, vn, &sa->dec_pkts, &sa->dec_bytes);
	else if (K("enc:pkts/bytes")) {
		(void)tl_pair(v, vn, &sa->enc_pkts, &sa->enc_bytes);
		return (1);
	}
	return (0);
}

static int
tl_npu_kv(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn, pnum num)
{
	(void)num;
	if (k != NULL && K("npu_flag")) {
		c->sconf.npu_flag = tl_x(v, vn);
		return (1);	/* the rest repeats the tunnel's addresses */
	}
	return (0);
}

/*
 * A name that runs up to " <stop>" (names are key=value, but take no
 * chances with spaces), else to the first white space.  The usual case,
 * stop right after the first word, costs no search.
 */
TL_INLINE size_t
tl_name_len(const char *v, size_t vn, const char *stop)
{
	long	at;
	size_t	i, sl = strlen(stop);

	for (i = 0; i < vn && v[i] != ' ' && v[i] != '\t'; i++)
		;
	if (i == vn || (vn - i >= sl && memcmp(v + i, stop, sl) == 0))
		return (i);
	if ((at = pu_find(v, vn, stop)) > 0)
		return (at);
	return (i);
}

/* name=X ver=1 serial=2 a:p->b:q ... */
static void
tl_header(struct tl_ctx *c, const char *s, size_t n)
{
	size_t	nl;

	s += 5;
	n -= 5;
	nl = tl_name_len(s, n, " ver=");
	if (tl_new_tunnel(c) == NULL)
		return;
	c->t->name = tl_str(c, -1, s, nl);
	c->tnamelen = nl;
	tl_kvs(c, s + nl, n - nl, tl_tunnel_kv);
}

static void
tl_parent(struct tl_ctx *c, const char *s, size_t n)
{
	size_t	nl;

	s += 7;
	n -= 7;
	nl = tl_name_len(s, n, " index=");
	c->t->parent = tl_str(c, TLC_PARENT, s, nl);
	tl_kvs(c, s + nl, n - nl, tl_tunnel_kv);
}

static void
tl_proxyid(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_proxyid	*p;
	const char		*tn;
	size_t			 nl;

	s += 8;
	n -= 8;
	nl = tl_name_len(s, n, " proto=");
	if ((p = tl_new_proxyid(c)) == NULL)
		return;
	/* Phase 2 is often named after its phase 1: share the string. */
	tn = c->t->name;
	if (tn != NULL && c->tnamelen == nl && memcmp(tn, s, nl) == 0)
		p->name = tn;
	else
		p->name = tl_str(c, TLC_PNAME, s, nl);
	p->auto_negotiate = 0;
	tl_kvs(c, s + nl, n - nl, tl_proxyid_kv);
	if (p->flags != NULL && pu_find(p->flags, strlen(p->flags),
	    "auto-negotiate") >= 0)
		p->auto_negotiate = 1;
}

/* src:/dst: text, trimmed; the two often match the last ones stored. */
static void
tl_selector(struct tl_ctx *c, const char *s, size_t n, int src)
{
	const char	**dst;
	int		 slot = src ? TLC_SRC : TLC_DST;

	if (c->p == NULL)
		return;
	s += 4;
	n -= 4;
	pu_trim(&s, &n);
	dst = src ? &c->p->src : &c->p->dst;
	if (c->cache[slot ^ (TLC_SRC ^ TLC_DST)] != NULL &&
	    c->cachelen[slot ^ (TLC_SRC ^ TLC_DST)] == n &&
	    memcmp(c->cache[slot ^ (TLC_SRC ^ TLC_DST)], s, n) == 0)
		*dst = c->cache[slot ^ (TLC_SRC ^ TLC_DST)];
	else
		*dst = tl_str(c, slot, s, n);
}

/* Text between the first and the last quote, or the trimmed text. */
static const char *
tl_quoted(struct tl_ctx *c, int slot, const char *s, size_t n)
{
	size_t	i, j;

	pu_trim(&s, &n);
	if (n >= 2 && s[0] == '\'') {
		for (j = n - 1; j > 0 && s[j] != '\''; j--)
			;
		if (j > 0)
			return (tl_str(c, slot, s + 1, j - 1));
	}
	for (i = 0; i < n && s[i] != ' '; i++)
		;
	return (tl_str(c, slot, s, i));
}

/* get form: "rx  packets: 0  bytes: 0  errors: 0" */
static void
tl_get_rxtx(struct tl_ctx *c, const char *s, size_t n, int rx)
{
	const char	*p = s, *end = s + n, *w, *eq, *key = NULL;
	pnum		 num;
	size_t		 wn, kn = 0;
	pnum		 x;

	if (c->t == NULL)
		return;
	while ((p = tl_word(p, end, &w, &wn, &eq, &num)) != NULL) {
		if (wn > 1 && w[wn - 1] == ':') {
			key = w;
			kn = wn - 1;
			continue;
		}
		if (key == NULL)
			continue;
		x = tl_pn(w, wn);
		if (kn == 7 && memcmp(key, "packets", 7) == 0)
			*(rx ? &c->t->rxp : &c->t->txp) = x;
		else if (kn == 5 && memcmp(key, "bytes", 5) == 0)
			*(rx ? &c->t->rxb : &c->t->txb) = x;
		else if (kn == 6 && memcmp(key, "errors", 6) == 0)
			*(rx ? &c->t->rx_err : &c->t->tx_err) = x;
		key = NULL;
	}
}

/*
 * get form "label: value  label: value" lines (dpd:, nat traversal
 * mode:): the first value is the mode, the others by label.
 */
static void
tl_get_dpd_natt(struct tl_ctx *c, const char *s, size_t n, int dpd)
{
	const char	*p = s, *end = s + n, *w, *eq, *key = NULL;
	pnum		 num;
	size_t		 wn, kn = 0;
	struct tl_tunnel *t = c->t;
	int		 first = 1;

	if (t == NULL)
		return;
	while ((p = tl_word(p, end, &w, &wn, &eq, &num)) != NULL) {
		if (wn > 1 && w[wn - 1] == ':') {
			key = w;
			kn = wn - 1;
			continue;
		}
		if (first) {
			first = 0;
			if (dpd)
				c->tconf.dpd_mode = tl_str(c, TLC_DPD, w,
				    tl_head(w, wn));
			else
				c->tconf.natt_mode = tl_str(c, TLC_NATT, w, wn);
			continue;
		}
		if (key == NULL)
			continue;
		if (!dpd) {
			if (kn == 8 && memcmp(key, "interval", 8) == 0)
				c->tconf.natt_interval = tl_n(w, wn);
		} else if (kn == 4 && memcmp(key, "idle", 4) == 0)
			c->tconf.dpd_idle_ms = tl_n_unit(w, wn, "ms");
		else if (kn == 5 && memcmp(key, "retry", 5) == 0)
			c->tconf.dpd_retry = tl_n(w, wn);
		else if (kn == 5 && memcmp(key, "count", 5) == 0)
			t->dpd_count = tl_n(w, wn);
		key = NULL;
	}
}

/* get form "name: 'X'": a gateway, or a selector inside "selectors". */
static void
tl_get_name(struct tl_ctx *c, const char *s, size_t n)
{
	if (c->getsel && c->t != NULL) {
		if ((c->p == NULL || c->p->name != NULL) &&
		    tl_new_proxyid(c) == NULL)
			return;
		c->p->name = tl_quoted(c, TLC_PNAME, s, n);
		return;
	}
	if ((c->t == NULL || c->t->name != NULL) && tl_new_tunnel(c) == NULL)
		return;
	c->t->name = tl_quoted(c, -1, s, n);
	c->tnamelen = c->t->name != NULL ? strlen(c->t->name) : 0;
}

/* The value after "label:" as a word. */
static void
tl_get_word(const char *s, size_t n, const char **w, size_t *wn)
{
	size_t	i;

	pu_trim(&s, &n);
	for (i = 0; i < n && s[i] != ' ' && s[i] != '\t'; i++)
		;
	*w = s;
	*wn = i;
}

/* Lines only the get form prints; 1 if the line was one of them. */
static int
tl_get_line(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_tunnel	*t = c->t;
	const char		*w;
	size_t			 wn;
	pnum			 a, b;

	if (PFX("gateway") && n == 7) {
		(void)tl_new_tunnel(c);
		return (1);
	}
	if (PFX("name:")) {
		tl_get_name(c, s + 5, n - 5);
		return (1);
	}
	if (t == NULL)
		return (0);
	if (PFX("selectors") && n == 9) {
		c->getsel = 1;
		(void)tl_new_proxyid(c);
		return (1);
	}
	if (PFX("local-gateway:") || PFX("remote-gateway:")) {
		int	local = s[0] == 'l';

		s += local ? 14 : 15;
		n -= local ? 14 : 15;
		tl_get_word(s, n, &w, &wn);
		if (local)
			tl_addr(c, TLC_LOCAL, w, wn, &t->local_addr,
			    &t->local_port);
		else
			tl_addr(c, -1, w, wn, &t->remote_addr,
			    &t->remote_port);
		return (1);
	}
	if (PFX("mode:") && !c->getsel) {
		tl_get_word(s + 5, n - 5, &w, &wn);
		if (wn == 6 && memcmp(w, "ike-v", 5) == 0)
			c->tconf.version = tl_n(w + 5, 1);
		return (1);
	}
	if (PFX("interface:")) {
		const char	*q;

		c->tconf.interface = tl_quoted(c, TLC_IFACE, s + 10, n - 10);
		if ((q = memchr(s, '(', n)) != NULL && s[n - 1] == ')')
			c->tconf.bound_if = tl_n(q + 1, s + n - 1 - q - 1);
		return (1);
	}
	if (PFX("rx ") || PFX("tx ")) {
		tl_get_rxtx(c, s + 3, n - 3, s[0] == 'r');
		return (1);
	}
	if (PFX("nat traversal mode:")) {
		tl_get_dpd_natt(c, s + 19, n - 19, 0);
		return (1);
	}
	if (PFX("auto-negotiate:") && c->p != NULL) {
		tl_get_word(s + 15, n - 15, &w, &wn);
		c->p->auto_negotiate = wn == 6 && memcmp(w, "enable", 6) == 0;
		return (1);
	}
	if (PFX("SA") && n == 2) {
		(void)tl_new_sa(c);
		return (1);
	}
	if (c->sa == NULL)
		return (0);
	if (PFX("lifetime/rekey:")) {
		tl_get_word(s + 15, n - 15, &w, &wn);
		if (tl_pair(w, wn, &a, &b) == 0) {
			c->sconf.life_total = tl_t(a);
			c->sa->expire_s = tl_t(b);
		}
	} else if (PFX("mtu:")) {
		tl_get_word(s + 4, n - 4, &w, &wn);
		c->sconf.mtu = tl_n(w, wn);
	} else if (PFX("tx-esp-seq:")) {
		tl_get_word(s + 11, n - 11, &w, &wn);
		c->sa->seqno = tl_px(w, wn);
	} else if (PFX("inbound") && n == 7)
		c->dir = DIR_DEC;
	else if (PFX("outbound") && n == 8)
		c->dir = DIR_ENC;
	else if (PFX("spi:") && c->dir != DIR_NONE) {
		tl_get_word(s + 4, n - 4, &w, &wn);
		if (c->dir == DIR_DEC)
			tl_spi(w, wn, &c->sa->dec_spi, &c->sa->has_dec_spi);
		else
			tl_spi(w, wn, &c->sa->enc_spi, &c->sa->has_enc_spi);
	} else if (PFX("enc:") && c->dir != DIR_NONE) {
		/* "enc:  aes-gc  <key>": the algorithm only. */
		tl_get_word(s + 4, n - 4, &w, &wn);
		*(c->dir == DIR_DEC ? &c->sconf.dec_esp : &c->sconf.enc_esp) =
		    tl_str(c, TLC_ESP, w, wn);
	} else if (PFX("auth:") && c->dir != DIR_NONE) {
		tl_get_word(s + 5, n - 5, &w, &wn);
		*(c->dir == DIR_DEC ? &c->sconf.dec_ah : &c->sconf.enc_ah) =
		    tl_str(c, TLC_AH, w, wn);
	} else
		return (0);
	return (1);
}

/* The first word after "label:" has a '=' (diagnose form). */
static int
tl_has_kv(const char *s, size_t n)
{
	const char	*w, *eq;
	size_t		 wn;
	pnum		 num;

	return (tl_word(s, s + n, &w, &wn, &eq, &num) != NULL && eq != NULL);
}

static void
tl_list_line(struct tl_ctx *c, const char *s, size_t n)
{
	long	at;

	if ((at = pu_find(s, n, " in vd ")) >= 0)
		c->r->vd = tl_n(s + at + 7, n - at - 7);
}

/* One trimmed, non-empty line of the diagnose form. */
static void
tl_line(struct tl_ctx *c, const char *s, size_t n)
{
	switch (s[0]) {
	case 'n':
		if (PFX("name=")) {
			tl_header(c, s, n);
			return;
		}
		if (c->t == NULL)
			break;
		if (PFX("natt:"))
			tl_kvs(c, s + 5, n - 5, tl_natt_kv);
		else if (PFX("npu_flag=") && c->sa != NULL)
			tl_kvs(c, s, n, tl_npu_kv);
		else
			break;
		return;
	case 'l':
		if (PFX("list ")) {
			tl_list_line(c, s, n);
			return;
		}
		if (PFX("life:") && c->sa != NULL) {
			tl_kvs(c, s + 5, n - 5, tl_life_kv);
			return;
		}
		break;
	case 'b':
	case 'r':
		if (c->t != NULL && (PFX("bound_if=") || PFX("run_tally="))) {
			tl_kvs(c, s, n, tl_tunnel_kv);
			return;
		}
		break;
	case 'p':
		if (c->t == NULL)
			break;
		if (PFX("proxyid_num=")) {
			tl_kvs(c, s, n, tl_tunnel_kv);
			return;
		}
		if (PFX("proxyid=")) {
			tl_proxyid(c, s, n);
			return;
		}
		if (PFX("parent=")) {
			tl_parent(c, s, n);
			return;
		}
		break;
	case 's':
		if (c->t == NULL)
			break;
		if (PFX("stat:")) {
			tl_kvs(c, s + 5, n - 5, tl_tunnel_kv);
			return;
		}
		if (PFX("src:")) {
			tl_selector(c, s, n, 1);
			return;
		}
		if (PFX("seqno=") && c->sa != NULL) {
			tl_kvs(c, s, n, tl_sa_kv);
			return;
		}
		break;
	case 'd':
		if (c->t == NULL)
			break;
		if (PFX("dst:")) {
			tl_selector(c, s, n, 0);
			return;
		}
		if (PFX("dpd:")) {
			if (tl_has_kv(s + 4, n - 4))
				tl_kvs(c, s + 4, n - 4, tl_dpd_kv);
			else
				tl_get_dpd_natt(c, s + 4, n - 4, 1);
			return;
		}
		if (PFX("dec:pkts/bytes=") && c->sa != NULL) {
			tl_kvs(c, s, n, tl_pkts_kv);
			return;
		}
		/* FALLTHROUGH */
	case 'e':
		if (c->sa != NULL && (PFX("dec:") || PFX("enc:")) &&
		    tl_has_kv(s + 4, n - 4)) {
			c->dir = s[0] == 'd' ? DIR_DEC : DIR_ENC;
			tl_kvs(c, s + 4, n - 4, tl_dir_kv);
			return;
		}
		break;
	case 'a':
		if (c->sa != NULL && PFX("ah=")) {
			tl_kvs(c, s, n, tl_dir_kv);
			return;
		}
		break;
	case 'S':
		if (PFX("SA:") && c->p != NULL) {
			if (tl_new_sa(c) != NULL)
				tl_kvs(c, s + 3, n - 3, tl_sa_kv);
			return;
		}
		break;
	}
	(void)tl_get_line(c, s, n);
}

static int
tl_space(char ch)
{
	return (ch == ' ' || ch == '\t' || ch == '\r');
}

struct tunnel_list *
tunnel_list_parse(const char *buf, size_t len)
{
	struct tl_ctx		 c;
	struct tunnel_list	*r;
	struct tl_tunnel	*t;
	const char		*p, *bend, *nl, *s, *e, *cr;
	size_t			 i;

	memset(&c, 0, sizeof(c));
	if ((c.pa = pa_new()) == NULL)
		return (NULL);
	if ((r = pa_alloc(c.pa, sizeof(*r))) == NULL) {
		pa_free(c.pa);
		return (NULL);
	}
	r->arena = c.pa;
	r->vd = TNUM_UNKNOWN;
	c.r = r;
	bend = buf != NULL ? buf + len : NULL;
	for (p = buf; p != NULL && p < bend; p = nl) {
		/* The line, without its LF or CRLF. */
		s = p;
		if ((nl = memchr(p, '\n', bend - p)) != NULL) {
			e = nl;
			nl++;
		} else
			e = bend;
		if (e > s && e[-1] == '\r')
			e--;
		while (s < e && tl_space(*s))
			s++;
		/* The pager's "--More--" and its erase: keep what follows. */
		if (s < e && *s == '-' && e - s >= 8 &&
		    memcmp(s, "--More--", 8) == 0) {
			for (cr = e; cr > s && cr[-1] != '\r'; cr--)
				;
			s = cr > s ? cr : e;
			while (s < e && tl_space(*s))
				s++;
		}
		while (e > s && tl_space(e[-1]))
			e--;
		if (s == e)
			continue;
		tl_line(&c, s, e - s);
		if (c.oom) {
			pa_free(c.pa);
			return (NULL);
		}
	}
	tl_end_tunnel(&c);
	if (c.oom) {
		pa_free(c.pa);
		return (NULL);
	}
	if (r->ntunnels > 0) {
		r->tunnels = pa_alloc(c.pa, r->ntunnels * sizeof(*r->tunnels));
		if (r->tunnels == NULL) {
			pa_free(c.pa);
			return (NULL);
		}
		i = 0;
		for (t = c.first; t != NULL && i < r->ntunnels; t = t->next)
			r->tunnels[i++] = t;
	}
	return (r);
}

void
tunnel_list_free(struct tunnel_list *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
