/* SPDX-License-Identifier: ISC */
/*
 * tunnel_list - parse `diagnose vpn tunnel list` and `get vpn ipsec
 * tunnel name|details`; see the header for the layouts.
 *
 * Built for big outputs (a hub with 10,000 dial-up children): one pass,
 * each line is looked at once.  The first word picks the line's kind and
 * the key table of that kind; the rest is cut into words once, and each
 * key=value word is found in the table starting after the last key
 * matched (FortiOS prints them in table order, so that is one compare)
 * and stored at the field's offset.  What comes after the last key kept
 * on a line (key material, npu_ addresses) is only passed over by the
 * memchr that finds the newline, 32 bytes at a time.  Objects and
 * strings come from small slabs inside the arena with no rounding, a
 * string equal to the last one stored for the same field ("auto", "aes",
 * the local address...) is shared, not copied, and so are the settings
 * of a tunnel or SA equal to those of one of the last few (the children
 * of a hub): they are gathered in the context and stored when the tunnel
 * or SA ends.  There are hundreds of thousands of short lines, so what
 * runs once per value avoids calls into libc (memcmp) and branches on
 * data (hex digits, indents), and looks at words eight bytes at a time:
 * see tl_pfx, tl_at, tl_cached, tl_num, tl_span.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "tunnel_list.h"

/*
 * Where the first byte in memory is the lowest of a uint64_t read with
 * memcpy, and __builtin_ctzll exists, bytes are looked at eight at once.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TL_LE64
#endif

#define TL_SLAB		8192
#define TL_RECENT	4	/* stored settings compared before a copy */
#define TL_CWORDS	4	/* strings this many words long compare inline */

/* Fields whose last stored string is remembered for sharing. */
enum {
	TLC_LOCAL, TLC_MODE, TLC_ENCAP, TLC_LGWY, TLC_TUN, TLC_OPTIONS,
	TLC_ROLE, TLC_AD, TLC_DPD, TLC_NATT, TLC_PARENT, TLC_PNAME, TLC_SRC,
	TLC_DST, TLC_FLAGS, TLC_ESP, TLC_AH, TLC_IFACE, TLC_NONE
};

enum { TL_DIR_NONE, TL_DIR_DEC, TL_DIR_ENC };

/* How a value is read; numbers go to tnum or pnum fields alike. */
enum {
	TLV_DEC,
	TLV_HEX,
	TLV_SPI,	/* at most 8 hex digits */
	TLV_MS,		/* "20000ms" */
	TLV_SEC,	/* "42762/0B", "300s" */
	TLV_PAIR,	/* "a/b" into two fields, the second after the first */
	TLV_STR,
	TLV_HEAD,	/* string before '/': "auto" of "auto/1" */
	TLV_STOP,	/* key=N: what follows is key material */
	TLV_SKIP	/* printed, not kept */
};

/* A key of a line: where and how its value is stored. */
struct tl_key {
	char		 name[16];	/* "key=", zero-padded */
	uint64_t	 mask[2];	/* of its bytes, name read as words */
	unsigned char	 len;		/* its '=' included */
	unsigned char	 how;		/* TLV_* */
	unsigned char	 slot;		/* TLC_*, for strings */
	unsigned char	 last;		/* nothing kept after it */
	unsigned char	 conf;		/* the field is a setting */
	unsigned char	 size;		/* of the field */
	unsigned short	 off;		/* of the field */
};

/* What a bare word (no '=') on the line is. */
enum { TLB_SKIP, TLB_STOP, TLB_ADDRS, TLB_FLAGS };

/* The struct a line fills (and the settings that go with it). */
enum { TLO_TUNNEL, TLO_PROXYID, TLO_SA };

struct tl_keys {
	const struct tl_key	*k;
	size_t			 n;
	int			 obj;	/* TLO_* */
	int			 bare;	/* TLB_* */
};

/*
 * The mask of a key's bytes: a word with its lowest n bytes set (n below
 * 1 or above 8 is 0 or 8, and no shift is by 64 or by less than 0).
 */
#define TL_CL(n)	((n) < 1 ? 1 : (n) > 8 ? 8 : (n))
#define TL_ONES(n)	(((n) > 0) * ((2ULL << (8 * TL_CL(n) - 1)) - 1))
#define TL_MASK(len)	{ TL_ONES((int)(len)), TL_ONES((int)(len) - 8) }
#define TL_K(st, key, how, field, slot, last, conf) \
	{ key "=", TL_MASK(sizeof(key)), sizeof(key), how, slot, last, conf, \
	    sizeof(((st *)0)->field), offsetof(st, field) }
/* A key printed but not kept. */
#define XK(key)	{ key "=", TL_MASK(sizeof(key)), sizeof(key), TLV_SKIP, \
	TLC_NONE, 0, 0, 0, 0 }
/* Keys of a tunnel, of its settings, of an SA, of its settings, ... */
#define TK(key, how, field) \
	TL_K(struct tl_tunnel, key, how, field, TLC_NONE, 0, 0)
#define TC(key, how, field, slot) \
	TL_K(struct tl_conf, key, how, field, slot, 0, 1)
#define SK(key, how, field, last) \
	TL_K(struct tl_sa, key, how, field, TLC_NONE, last, 0)
#define SC(key, how, field, slot) \
	TL_K(struct tl_sa_conf, key, how, field, slot, 0, 1)
#define PK(key, how, field) \
	TL_K(struct tl_proxyid, key, how, field, TLC_NONE, 0, 0)
#define TL_KEYS(tab, obj, bare) { tab, sizeof(tab) / sizeof(tab[0]), obj, bare }

/* name=, bound_if=, parent=, proxyid_num=, stat: and run_tally= lines. */
static const struct tl_key tl_tunnel_k[] = {
	TC("ver", TLV_DEC, version, TLC_NONE),
	TK("serial", TLV_HEX, serial),
	TK("tun_id", TLV_STR, tun_id),
	TK("tun_id6", TLV_STR, tun_id6),
	TC("dst_mtu", TLV_DEC, dst_mtu, TLC_NONE),
	XK("dpd-link"),
	XK("weight"),
	TC("bound_if", TLV_DEC, bound_if, TLC_NONE),
	TC("lgwy", TLV_HEAD, lgwy, TLC_LGWY),
	TC("tun", TLV_HEAD, tun, TLC_TUN),
	TC("mode", TLV_HEAD, mode, TLC_MODE),
	TC("encap", TLV_HEAD, encap, TLC_ENCAP),
	TC("run_state", TLV_DEC, run_state, TLC_NONE),
	TC("role", TLV_STR, role, TLC_ROLE),
	TC("accept_traffic", TLV_DEC, accept_traffic, TLC_NONE),
	TC("overlay_id", TLV_DEC, overlay_id, TLC_NONE),
	TK("index", TLV_DEC, index),
	TK("proxyid_num", TLV_DEC, proxyid_num),
	TK("child_num", TLV_DEC, child_num),
	TK("refcnt", TLV_DEC, refcnt),
	TK("ilast", TLV_DEC, ilast),
	TK("olast", TLV_DEC, olast),
	TC("ad", TLV_STR, ad, TLC_AD),
	TK("rxp", TLV_DEC, rxp),
	TK("txp", TLV_DEC, txp),
	TK("rxb", TLV_DEC, rxb),
	TK("txb", TLV_DEC, txb),
	TK("run_tally", TLV_DEC, run_tally),
	TL_K(struct tl_tunnel, "parent", TLV_STR, parent, TLC_PARENT, 0, 0),
};

static const struct tl_key tl_dpd_k[] = {
	TC("mode", TLV_STR, dpd_mode, TLC_DPD),
	TC("on", TLV_DEC, dpd_on, TLC_NONE),
	TC("idle", TLV_MS, dpd_idle_ms, TLC_NONE),
	TC("retry", TLV_DEC, dpd_retry, TLC_NONE),
	TK("count", TLV_DEC, dpd_count),
	TK("seqno", TLV_DEC, dpd_seqno),
};

static const struct tl_key tl_natt_k[] = {
	TC("mode", TLV_STR, natt_mode, TLC_NATT),
	TC("draft", TLV_DEC, natt_draft, TLC_NONE),
	TC("interval", TLV_DEC, natt_interval, TLC_NONE),
	TK("remote_port", TLV_DEC, natt_remote_port),
};

static const struct tl_key tl_proxyid_k[] = {
	PK("proto", TLV_DEC, proto),
	PK("sa", TLV_DEC, sa),
	PK("ref", TLV_DEC, ref),
	PK("serial", TLV_HEX, serial),
};

/* The SA: line and its seqno= continuation (5.6 prints seqno= first). */
static const struct tl_key tl_sa_k[] = {
	SK("ref", TLV_DEC, ref, 0),
	SC("options", TLV_HEX, options, TLC_NONE),
	SC("type", TLV_HEX, type, TLC_NONE),
	SC("soft", TLV_DEC, soft, TLC_NONE),
	SC("mtu", TLV_DEC, mtu, TLC_NONE),
	SK("expire", TLV_SEC, expire_s, 0),
	SC("replaywin", TLV_DEC, replaywin, TLC_NONE),
	SK("seqno", TLV_HEX, seqno, 0),
	SC("esn", TLV_DEC, esn, TLC_NONE),
	XK("qat"),
	SK("rekey", TLV_DEC, rekey, 0),
	XK("hash_search_len"),
};

/*
 * dec: spi=.. esp=.. key=N <key>, then "ah=.. key=N <key>" (key twice so
 * that the key expected next is always the right one).
 */
static const struct tl_key tl_dec_k[] = {
	SK("spi", TLV_SPI, dec_spi, 0),
	SC("esp", TLV_STR, dec_esp, TLC_ESP),
	SK("key", TLV_STOP, dec_spi, 1),
	SC("ah", TLV_STR, dec_ah, TLC_AH),
	SK("key", TLV_STOP, dec_spi, 1),
};

static const struct tl_key tl_enc_k[] = {
	SK("spi", TLV_SPI, enc_spi, 0),
	SC("esp", TLV_STR, enc_esp, TLC_ESP),
	SK("key", TLV_STOP, enc_spi, 1),
	SC("ah", TLV_STR, enc_ah, TLC_AH),
	SK("key", TLV_STOP, enc_spi, 1),
};

static const struct tl_key tl_pkts_k[] = {
	SK("dec:pkts/bytes", TLV_PAIR, dec_pkts, 0),
	SK("enc:pkts/bytes", TLV_PAIR, enc_pkts, 1),
};
_Static_assert(offsetof(struct tl_sa, dec_bytes) ==
    offsetof(struct tl_sa, dec_pkts) + sizeof(pnum) &&
    offsetof(struct tl_sa, enc_bytes) ==
    offsetof(struct tl_sa, enc_pkts) + sizeof(pnum),
    "a TLV_PAIR fills two fields in a row");

/* The rest of the npu_flag= line repeats the tunnel's addresses. */
static const struct tl_key tl_npu_k[] = {
	TL_K(struct tl_sa_conf, "npu_flag", TLV_HEX, npu_flag, TLC_NONE, 1, 1),
};

static const struct tl_keys tl_tunnel_keys =
    TL_KEYS(tl_tunnel_k, TLO_TUNNEL, TLB_ADDRS);
static const struct tl_keys tl_dpd_keys =
    TL_KEYS(tl_dpd_k, TLO_TUNNEL, TLB_SKIP);
static const struct tl_keys tl_natt_keys =
    TL_KEYS(tl_natt_k, TLO_TUNNEL, TLB_SKIP);
static const struct tl_keys tl_proxyid_keys =
    TL_KEYS(tl_proxyid_k, TLO_PROXYID, TLB_FLAGS);
static const struct tl_keys tl_sa_keys = TL_KEYS(tl_sa_k, TLO_SA, TLB_SKIP);
static const struct tl_keys tl_dec_keys = TL_KEYS(tl_dec_k, TLO_SA, TLB_STOP);
static const struct tl_keys tl_enc_keys = TL_KEYS(tl_enc_k, TLO_SA, TLB_STOP);
static const struct tl_keys tl_pkts_keys =
    TL_KEYS(tl_pkts_k, TLO_SA, TLB_SKIP);
static const struct tl_keys tl_npu_keys = TL_KEYS(tl_npu_k, TLO_SA, TLB_SKIP);

/* New objects and settings start as copies of these: all unknown. */
static const struct tl_tunnel tl_tunnel0 = {
	.rxp = PNUM_UNKNOWN, .txp = PNUM_UNKNOWN, .rxb = PNUM_UNKNOWN,
	.txb = PNUM_UNKNOWN, .rx_err = PNUM_UNKNOWN, .tx_err = PNUM_UNKNOWN,
	.ilast = PNUM_UNKNOWN, .olast = PNUM_UNKNOWN,
	.dpd_seqno = PNUM_UNKNOWN,
	.serial = TNUM_UNKNOWN, .local_port = TNUM_UNKNOWN,
	.remote_port = TNUM_UNKNOWN, .index = TNUM_UNKNOWN,
	.proxyid_num = TNUM_UNKNOWN, .child_num = TNUM_UNKNOWN,
	.refcnt = TNUM_UNKNOWN, .dpd_count = TNUM_UNKNOWN,
	.natt_remote_port = TNUM_UNKNOWN, .run_tally = TNUM_UNKNOWN,
};

static const struct tl_conf tl_conf0 = {
	.version = TNUM_UNKNOWN, .bound_if = TNUM_UNKNOWN,
	.dst_mtu = TNUM_UNKNOWN, .options_mask = TNUM_UNKNOWN,
	.run_state = TNUM_UNKNOWN, .accept_traffic = TNUM_UNKNOWN,
	.overlay_id = TNUM_UNKNOWN, .dpd_on = TNUM_UNKNOWN,
	.dpd_idle_ms = TNUM_UNKNOWN, .dpd_retry = TNUM_UNKNOWN,
	.natt_draft = TNUM_UNKNOWN, .natt_interval = TNUM_UNKNOWN,
};

static const struct tl_proxyid tl_proxyid0 = {
	.proto = TNUM_UNKNOWN, .sa = TNUM_UNKNOWN, .ref = TNUM_UNKNOWN,
	.serial = TNUM_UNKNOWN, .auto_negotiate = -1,
};

static const struct tl_sa_conf tl_sa_conf0 = {
	.mtu = TNUM_UNKNOWN, .replaywin = TNUM_UNKNOWN,
	.life_total = TNUM_UNKNOWN, .options = TNUM_UNKNOWN,
	.soft = TNUM_UNKNOWN, .esn = TNUM_UNKNOWN, .npu_flag = TNUM_UNKNOWN,
	.type = TNUM_UNKNOWN,
};

/* Exported: the report writes it for a proxyid without an SA. */
const struct tl_sa tunnel_list_sa_unknown = {
	.conf = &tl_sa_conf0,
	.dec_spi = PNUM_UNKNOWN, .enc_spi = PNUM_UNKNOWN,
	.seqno = PNUM_UNKNOWN, .dec_pkts = PNUM_UNKNOWN,
	.dec_bytes = PNUM_UNKNOWN, .enc_pkts = PNUM_UNKNOWN,
	.enc_bytes = PNUM_UNKNOWN, .ref = TNUM_UNKNOWN,
	.expire_s = TNUM_UNKNOWN, .life_timeout = TNUM_UNKNOWN,
	.rekey = TNUM_UNKNOWN,
};

struct tl_ctx {
	struct tunnel_list *r;
	struct parena	*pa;
	const char	*bend;		/* end of the input */
	char		*slab;
	size_t		 left;
	int		 oom;
	struct tl_tunnel *t;		/* current tunnel */
	size_t		 cap;		/* of r->tunnels */
	struct tl_proxyid *p;		/* current proxyid of t */
	struct tl_sa	*sa;		/* current SA of p */
	int		 dir;		/* dec: or enc: seen last */
	int		 getsel;	/* get form: inside "selectors" */
	/* Bare words after options[..]= or on the proxyid= line. */
	const char	**collect;
	int		 collect_slot;
	const char	*cstart;
	const char	*cend;
	const struct tl_keys *hint_keys; /* of the last key found */
	const struct tl_key *hint;	/* the key expected next */
	const char	*cache[TLC_NONE];
	size_t		 cachelen[TLC_NONE];
	uint64_t	 cword[TLC_NONE][TL_CWORDS]; /* cache[], zero-padded */
	/*
	 * Settings of the current tunnel and SA, stored when it ends: as the
	 * same copy as one of the last few stored when they are equal.
	 */
	struct tl_conf	 tconf;
	struct tl_sa_conf sconf;
	size_t		 tname_n;	/* strlen(t->name) */
	const char	*an_flags;	/* flags tested last for auto-negotiate */
	int		 an;		/* and the result */
	const void	*trecent[TL_RECENT];
	const void	*srecent[TL_RECENT];
	int		 tnext;
	int		 snext;
};

/*
 * (s, n) starts with the literal.  Not memcmp (a call for every line):
 * the literal, zero-padded to 16 bytes, is compared as two masked words
 * that the compiler turns into constants.
 */
#define PFX(lit)	tl_pfx(s, n, c->bend, \
	(const char [sizeof(lit) < 16 ? 16 : sizeof(lit)]){ lit }, \
	sizeof(lit) - 1)

static inline int
tl_eq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (0);
	}
	return (1);
}

static inline int
tl_pfx(const char *s, size_t n, const char *bend, const char *lit,
    size_t ln)
{
	static const unsigned char ones[32] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	uint64_t	a[2], b[2], m[2];

	if (n < ln)
		return (0);
	if (ln > 16 || bend - s < 16)
		return (tl_eq(s, lit, ln));
	memcpy(a, s, 16);
	memcpy(b, lit, 16);
	memcpy(m, ones + 16 - ln, 16);
	return ((((a[0] ^ b[0]) & m[0]) | ((a[1] ^ b[1]) & m[1])) == 0);
}

/*
 * Slab allocation: no rounding to max_align_t for small objects.  The
 * memory is not zeroed: every caller writes the whole object.
 */
static void *
tl_alloc(struct tl_ctx *c, size_t size, size_t align)
{
	size_t	 pad;
	char	*p;

	pad = (align - ((uintptr_t)c->slab & (align - 1))) & (align - 1);
	if (c->slab == NULL || c->left < size + pad) {
		if (size > TL_SLAB / 8) {
			if ((p = pa_alloc_raw(c->pa, size)) == NULL)
				c->oom = 1;
			return (p);
		}
		if ((c->slab = pa_alloc_raw(c->pa, TL_SLAB)) == NULL) {
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

/*
 * Whether (s, n) is the string stored last for the slot.  Nearly every
 * string is, so this runs for most values: a short one is compared as
 * four masked 8-byte words against a zero-padded copy kept in the
 * context (no call to memcmp, no branch per byte), where 32 bytes of the
 * input are left to read.
 */
static inline int
tl_cached(const struct tl_ctx *c, int slot, const char *s, size_t n)
{
	static const unsigned char ones[2 * TL_CWORDS * 8] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	uint64_t	a[TL_CWORDS], m[TL_CWORDS], d = 0;
	const uint64_t	*b;
	int		 i;

	if (slot == TLC_NONE || c->cache[slot] == NULL ||
	    c->cachelen[slot] != n)
		return (0);
	if (n > sizeof(a) || (size_t)(c->bend - s) < sizeof(a))
		return (memcmp(c->cache[slot], s, n) == 0);
	b = c->cword[slot];
	memcpy(a, s, sizeof(a));
	memcpy(m, ones + sizeof(a) - n, sizeof(m));
	for (i = 0; i < TL_CWORDS; i++)
		d |= (a[i] ^ b[i]) & m[i];
	return (d == 0);
}

/* A copy of (s, n) in the arena, and the string of its slot from now on. */
static const char *
tl_str_new(struct tl_ctx *c, int slot, const char *s, size_t n)
{
	char	*p;

	/* A NUL would cut it short: shown as \x00 (see pa_strndup). */
	if (memchr(s, '\0', n) != NULL)
		return (pa_strndup(c->pa, s, n));
	if ((p = tl_alloc(c, n + 1, 1)) == NULL)
		return (NULL);
	memcpy(p, s, n);
	p[n] = '\0';
	if (slot != TLC_NONE) {
		c->cache[slot] = p;
		c->cachelen[slot] = n;
		memset(c->cword[slot], 0, sizeof(c->cword[slot]));
		memcpy(c->cword[slot], s, n < sizeof(c->cword[slot]) ? n :
		    sizeof(c->cword[slot]));
	}
	return (p);
}

/*
 * Store a string, sharing it with the last one stored for the slot: the
 * test is inline, as it nearly always is.
 */
static inline const char *
tl_str(struct tl_ctx *c, int slot, const char *s, size_t n)
{
	if (tl_cached(c, slot, s, n))
		return (c->cache[slot]);
	return (tl_str_new(c, slot, s, n));
}

/* The part of a value before '/' ("auto" of "auto/1"). */
static inline size_t
tl_head(const char *v, size_t vn)
{
	size_t	i;

	/* A few bytes: a loop costs less than a call to memchr. */
	for (i = 0; i < vn && v[i] != '/'; i++)
		;
	return (i);
}

/* The value of a hex digit, 0xff for any other byte. */
#define TL_H16(x) \
	((x) >= '0' && (x) <= '9' ? (x) - '0' : \
	(x) >= 'a' && (x) <= 'f' ? (x) - 'a' + 10 : \
	(x) >= 'A' && (x) <= 'F' ? (x) - 'A' + 10 : 0xff)
#define TL_H4(x)	TL_H16(x), TL_H16((x) + 1), TL_H16((x) + 2), \
	TL_H16((x) + 3)
#define TL_H16X(x)	TL_H4(x), TL_H4((x) + 4), TL_H4((x) + 8), \
	TL_H4((x) + 12)
#define TL_H64(x)	TL_H16X(x), TL_H16X((x) + 16), TL_H16X((x) + 32), \
	TL_H16X((x) + 48)
static const unsigned char tl_digit[256] = {
	TL_H64(0), TL_H64(64), TL_H64(128), TL_H64(192)
};

/*
 * The number at the start of (v, vn), decimal or hex (base 16), of at
 * most max digits (18 decimal or 15 hex digits cannot overflow, so the
 * loop needs no check per digit: it stops at max).  Returns the digits
 * read, 0 when there are none or too many, and the value in *x.  Digits
 * come from a table: SPIs mix letters and digits at random, and a test
 * for the kind of digit is a branch mispredicted every other byte.
 */
static inline size_t
tl_num(const char *v, size_t vn, unsigned int base, size_t max, pnum *x)
{
	uint64_t	acc = 0;
	size_t		i, lim = vn < max ? vn : max;
	unsigned int	d;

	for (i = 0; i < lim; i++) {
		d = tl_digit[(unsigned char)v[i]];
		if (d >= base)
			break;
		acc = acc * base + d;
	}
	/* Too many digits: tested once, after the loop. */
	if (i == max && i < vn && tl_digit[(unsigned char)v[i]] < base)
		return (0);
	*x = (pnum)acc;
	return (i);
}

/* A whole value as a number; anything else is unknown. */
static pnum
tl_pn(const char *v, size_t vn)
{
	pnum	x;

	if (vn == 0 || tl_num(v, vn, 10, 18, &x) != vn)
		return (PNUM_UNKNOWN);
	return (x);
}

static pnum
tl_px(const char *v, size_t vn, size_t max)
{
	pnum	x;

	if (vn == 0 || tl_num(v, vn, 16, max, &x) != vn)
		return (PNUM_UNKNOWN);
	return (x);
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

static tnum
tl_x(const char *v, size_t vn)
{
	return (tl_t(tl_px(v, vn, 15)));
}

/*
 * The first blank (space or tab), or '=' too if eq, at or after p and
 * before end; end if none.  Words are 2 to 25 bytes long: where eight
 * bytes can be read before bend (the end of the input), the eight are
 * tested at once for a byte below '!' (and for '='), and any other
 * control byte (a CR inside the line, a NUL) is passed over.
 */
static inline const char *
tl_span(const char *p, const char *end, const char *bend, int eq)
{
#ifdef TL_LE64
	uint64_t	 w, x, m;
	const char	*q;

	while (p < end && bend - p >= 8) {
		memcpy(&w, p, 8);
		/* The lowest byte flagged is the first below '!' (or '='). */
		m = (w - 0x2121212121212121ULL) & ~w;
		if (eq) {
			x = w ^ 0x3d3d3d3d3d3d3d3dULL;
			m |= (x - 0x0101010101010101ULL) & ~x;
		}
		m &= 0x8080808080808080ULL;
		if (m == 0) {
			p += 8;
			continue;
		}
		q = p + __builtin_ctzll(m) / 8;
		if (q >= end)
			return (end);
		if (*q == ' ' || *q == '\t' || (eq && *q == '='))
			return (q);
		p = q + 1;
	}
	if (p > end)
		return (end);
#endif
	while (p < end && *p != ' ' && *p != '\t' && !(eq && *p == '='))
		p++;
	return (p);
}

/* The end of the word at p: the next space or tab, or end.  Hot. */
static inline const char *
tl_wend(const char *p, const char *end, const char *bend)
{
	return (tl_span(p, end, bend, 0));
}

/*
 * A number followed by a unit or by "/..." ("20000ms", "42762/0B") at
 * the start of (v, vn); returns how much of it that is (0: none).
 */
static inline size_t
tl_unit(const char *v, size_t vn, const char *unit, pnum *x)
{
	size_t	u, ul = strlen(unit);

	if ((u = tl_num(v, vn, 10, 18, x)) == 0 || u == vn)
		return (u);
	if (v[u] == '/')
		return (tl_wend(v + u, v + vn, v + vn) - v);
	if (vn - u >= ul && tl_eq(v + u, unit, ul))
		return (u + ul);
	return (u);
}

static tnum
tl_n_unit(const char *v, size_t vn, const char *unit)
{
	pnum	x;

	return (vn > 0 && tl_unit(v, vn, unit, &x) == vn ? tl_t(x) :
	    TNUM_UNKNOWN);
}

/*
 * "a/b", optionally followed by a comma, at the start of (v, vn): both
 * halves or neither.  Returns how much of it that is (0: none).
 */
static inline size_t
tl_pair(const char *v, size_t vn, pnum *a, pnum *b)
{
	size_t	i, k;
	pnum	x, y;

	if ((i = tl_num(v, vn, 10, 18, &x)) == 0 || i == vn || v[i] != '/' ||
	    (k = tl_num(v + i + 1, vn - i - 1, 10, 18, &y)) == 0)
		return (0);
	i += 1 + k;
	if (i < vn && v[i] == ',')
		i++;
	*a = x;
	*b = y;
	return (i);
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

/* "10.0.0.1:500->10.0.0.3:500" (IPv6 too: the port is after the last ':'). */
static void
tl_addrs(struct tl_ctx *c, const char *w, size_t wn)
{
	struct tl_tunnel	*t = c->t;
	size_t			 i;

	if (t->local_addr != NULL || t->remote_addr != NULL)
		return;
	for (i = 0; i + 1 < wn; i++) {
		if (w[i] == '-' && w[i + 1] == '>')
			break;
	}
	if (i + 1 >= wn)
		return;
	tl_addr(c, TLC_LOCAL, w, i, &t->local_addr, &t->local_port);
	tl_addr(c, TLC_NONE, w + i + 2, wn - i - 2, &t->remote_addr,
	    &t->remote_port);
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
 * Whether the line [p, end) starts with e's "key=".  Where 16 bytes of
 * the input (bend is its end) are left, two masked 8-byte compares and
 * no branch per byte: this is the test that finds nearly every key.
 */
static inline int
tl_at(const struct tl_key *e, const char *p, const char *end,
    const char *bend)
{
	uint64_t	a[2], b[2];

	if (end - p < e->len)
		return (0);
	if (bend - p < 16)
		return (memcmp(p, e->name, e->len) == 0);
	memcpy(a, p, 16);
	memcpy(b, e->name, 16);
	return ((((a[0] ^ b[0]) & e->mask[0]) |
	    ((a[1] ^ b[1]) & e->mask[1])) == 0);
}

/*
 * tl_at where 16 bytes can be read at p and the byte at the end of the
 * line is white space (see tl_kvs): a key cannot match across it, as no
 * key has white space in it, so the length of the line is not tested.
 */
static inline int
tl_at_wide(const struct tl_key *e, const char *p)
{
	uint64_t	a[2], b[2];

	memcpy(a, p, 16);
	memcpy(b, e->name, 16);
	return ((((a[0] ^ b[0]) & e->mask[0]) |
	    ((a[1] ^ b[1]) & e->mask[1])) == 0);
}

/*
 * The key at k (its '=' at k + kn) in the table, or NULL.  The key
 * expected next, at, was tried before; keys come in table order, so a key
 * the device did not print is skipped by searching on from there (and
 * round), not from the top.  Where a name is in a table twice, both
 * entries are the same.
 */
static const struct tl_key *
tl_lookup(const struct tl_keys *ks, const struct tl_key *at, const char *k,
    size_t kn, const char *bend)
{
	const struct tl_key	*e = at, *kend = ks->k + ks->n;

	/* No key is that long, or ends in ']' (options[0228]=). */
	if (kn >= sizeof(e->name) || k[kn - 1] == ']')
		return (NULL);
	for (;;) {
		if (++e == kend)
			e = ks->k;
		if (e == at)
			return (NULL);
		if (e->len == kn + 1 && tl_at(e, k, k + kn + 1, bend))
			return (e);
	}
}

static void
tl_store(char *f, size_t size, pnum x)
{
	if (size == sizeof(pnum))
		*(pnum *)f = x;
	else
		*(tnum *)f = tl_t(x);
}

/*
 * Store the value at v of key e into the struct at base; returns the end
 * of the value.  Numbers are read in the same pass that finds the end.
 */
static inline const char *
tl_set(struct tl_ctx *c, const struct tl_key *e, void *base, const char *v,
    const char *end)
{
	char		*f = (char *)base + e->off;
	const char	*ve;
	size_t		 n = end - v, u;
	pnum		 a = PNUM_UNKNOWN, b = PNUM_UNKNOWN;

	switch (e->how) {
	case TLV_DEC:
		/* Most are one digit ("sa=1 ref=3"): no loop for them. */
		if (n > 0 && (unsigned int)(v[0] - '0') <= 9 &&
		    (n == 1 || v[1] == ' ' || v[1] == '\t')) {
			tl_store(f, e->size, v[0] - '0');
			return (v + 1);
		}
		u = tl_num(v, n, 10, 18, &a);
		break;
	case TLV_HEX:
		u = tl_num(v, n, 16, 15, &a);
		break;
	case TLV_SPI:
		u = tl_num(v, n, 16, 8, &a);
		break;
	case TLV_MS:
		u = tl_unit(v, n, "ms", &a);
		break;
	case TLV_SEC:
		u = tl_unit(v, n, "s", &a);
		break;
	case TLV_PAIR:
		u = tl_pair(v, n, &a, &b);
		break;
	case TLV_STOP:
		return (end);	/* last: nothing after it is read */
	default:
		ve = tl_wend(v, end, c->bend);
		if (e->how == TLV_STR)
			*(const char **)f = tl_str(c, e->slot, v, ve - v);
		else if (e->how == TLV_HEAD)
			*(const char **)f = tl_str(c, e->slot, v,
			    tl_head(v, ve - v));
		return (ve);
	}
	ve = v + u;
	if (u == 0 || (ve < end && *ve != ' ' && *ve != '\t')) {
		/* Not all of the value: unknown, and a pair is not stored. */
		if (e->how == TLV_PAIR)
			return (tl_wend(ve, end, c->bend));
		a = PNUM_UNKNOWN;
		ve = tl_wend(ve, end, c->bend);
	}
	tl_store(f, e->size, a);
	if (e->how == TLV_PAIR)
		tl_store(f + e->size, e->size, b);
	return (ve);
}

/* A key that is not in the table: only options[0228]= is of interest. */
static void
tl_other_key(struct tl_ctx *c, const struct tl_keys *ks, const char *k,
    size_t kn, const char *v, size_t vn)
{
	if (ks != &tl_tunnel_keys || kn <= 8 || memcmp(k, "options[", 8) != 0)
		return;
	c->tconf.options_mask = tl_x(k + 8, kn - 9);
	tl_collect_begin(c, &c->tconf.options, TLC_OPTIONS, v, vn);
}

/* A bare word; 1 when the rest of the line is of no interest. */
static int
tl_bare(struct tl_ctx *c, const struct tl_keys *ks, const char *w,
    size_t wn)
{
	if (c->collect != NULL) {
		c->cend = w + wn;
		return (0);
	}
	switch (ks->bare) {
	case TLB_STOP:
		return (1);
	case TLB_ADDRS:
		tl_addrs(c, w, wn);
		break;
	case TLB_FLAGS:
		tl_collect_begin(c, &c->p->flags, TLC_FLAGS, w, wn);
		break;
	}
	return (0);
}

/*
 * The words of a line: key=value words into the struct at base, bare
 * words (a word that starts with '=' is one) by the table's rule.
 */
static void
tl_kvs(struct tl_ctx *c, const char *s, size_t n, const struct tl_keys *ks)
{
	const char		*p = s, *end = s + n, *bend = c->bend, *w, *v;
	const struct tl_key	*e, *k0 = ks->k, *kend = ks->k + ks->n, *h;
	void			*base, *conf;
	int			 collect = 0, wide;

	/*
	 * The key expected next, the end of the input and whether bare
	 * words are being collected are kept in locals: the values are
	 * stored through char pointers, after which the compiler would load
	 * what is in the context again.
	 */
	h = c->hint_keys == ks ? c->hint : k0;
	/*
	 * Lines end in white space or a newline (they are trimmed): where
	 * 16 bytes are left after the line, a key is compared with no test
	 * of where the line or the input ends.
	 */
	wide = bend - end >= 16 && (*end == ' ' || *end == '\t' ||
	    *end == '\r' || *end == '\n');
	switch (ks->obj) {
	case TLO_TUNNEL:
		base = c->t;
		conf = &c->tconf;
		break;
	case TLO_PROXYID:
		base = conf = c->p;
		break;
	default:
		base = c->sa;
		conf = &c->sconf;
		break;
	}
	for (;;) {
		e = h;
		if (wide ? !tl_at_wide(e, p) : !tl_at(e, p, end, bend)) {
			/* Blanks (but the one after a value) are rare. */
			if (p == end)
				break;
			if (*p == ' ' || *p == '\t') {
				p++;
				continue;
			}
			w = p;
			p = tl_span(p, end, bend, 1);
			if (p == end || *p != '=' || p == w) {
				p = tl_wend(p, end, bend);
				if (tl_bare(c, ks, w, p - w))
					break;
				collect = c->collect != NULL;
				continue;
			}
			if ((e = tl_lookup(ks, h, w, p - w, bend)) == NULL) {
				tl_collect_end(c);
				v = p + 1;
				p = tl_wend(v, end, bend);
				tl_other_key(c, ks, w, v - 1 - w, v, p - v);
				collect = c->collect != NULL;
				continue;
			}
			p = w;
		}
		if ((h = e + 1) == kend)
			h = k0;
		if (collect) {
			tl_collect_end(c);
			collect = 0;
		}
		p = tl_set(c, e, e->conf ? conf : base, p + e->len, end);
		/* The value ends at a blank (skipped here) or at the end. */
		if (e->last || p == end)
			break;
		p++;
	}
	tl_collect_end(c);
	c->hint_keys = ks;
	c->hint = h;
}

/* tunnel_list_each's state while it runs. */
struct tl_stream {
	tl_tunnel_fn	 fn;
	void		*arg;
	size_t		 n;
	size_t		 kept;	/* of r->tunnels, already lent to fn */
	int		 rc;
};

/*
 * Streaming keeps this many ended tunnels before it drops them all:
 * settings and strings stay shared across them, and a new slab is not
 * zeroed for every tunnel.  A tunnel holds about 700 bytes.
 */
#define TL_STREAM_KEEP	256

/*
 * Streaming: the tunnel that just ended is lent to fn.  Every
 * TL_STREAM_KEEP tunnels, they are dropped with everything in the arena,
 * and so is what points into it (the string caches, the recent settings,
 * the slab).
 */
static void
tl_emit(struct tl_ctx *c)
{
	struct tl_stream	*st = c->r->stream;

	if (st == NULL || c->r->ntunnels == st->kept || c->oom)
		return;
	if ((st->rc = st->fn(c->r->tunnels[c->r->ntunnels - 1],
	    st->arg)) != 0) {
		c->oom = 1;	/* stops the walk */
		return;
	}
	st->n++;
	if (++st->kept < TL_STREAM_KEEP)
		return;
	st->kept = 0;
	pa_reset(c->pa);
	c->r->tunnels = NULL;
	c->r->ntunnels = c->cap = 0;
	c->slab = NULL;
	c->left = 0;
	memset(c->cache, 0, sizeof(c->cache));
	memset(c->cachelen, 0, sizeof(c->cachelen));
	memset(c->trecent, 0, sizeof(c->trecent));
	memset(c->srecent, 0, sizeof(c->srecent));
	c->an_flags = NULL;	/* and its answer for no flags */
	c->an = 0;
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
	if (c->sa != NULL)
		c->sa->conf = tl_intern(c, &c->sconf, sizeof(c->sconf),
		    c->srecent, &c->snext);
	c->sa = NULL;
	c->dir = TL_DIR_NONE;
}

/* The current tunnel ends: store its settings (and its last SA's). */
static void
tl_end_tunnel(struct tl_ctx *c)
{
	tl_end_sa(c);
	if (c->t != NULL)
		c->t->conf = tl_intern(c, &c->tconf, sizeof(c->tconf),
		    c->trecent, &c->tnext);
	c->t = NULL;
	c->p = NULL;
	c->getsel = 0;
}

static struct tl_tunnel *
tl_new_tunnel(struct tl_ctx *c)
{
	struct tl_tunnel	*t;

	tl_end_tunnel(c);
	tl_emit(c);
	if (c->oom)
		return (NULL);
	if (pa_grow(c->pa, (void **)&c->r->tunnels, &c->cap,
	    c->r->ntunnels + 1, sizeof(*c->r->tunnels)) != 0) {
		c->oom = 1;
		return (NULL);
	}
	if ((t = tl_alloc(c, sizeof(*t), sizeof(void *))) == NULL)
		return (NULL);
	*t = tl_tunnel0;
	c->tconf = tl_conf0;
	c->r->tunnels[c->r->ntunnels++] = t;
	c->t = t;
	return (t);
}

static struct tl_proxyid *
tl_new_proxyid(struct tl_ctx *c)
{
	struct tl_proxyid	*p;

	if (c->t == NULL)
		return (NULL);
	tl_end_sa(c);
	if ((p = tl_alloc(c, sizeof(*p), sizeof(void *))) == NULL)
		return (NULL);
	*p = tl_proxyid0;
	if (c->p != NULL)
		c->p->next = p;
	else
		c->t->proxyids = p;
	c->t->nproxyids++;
	c->p = p;
	return (p);
}

static struct tl_sa *
tl_new_sa(struct tl_ctx *c)
{
	struct tl_sa	*sa, *last = c->sa;

	if (c->p == NULL)
		return (NULL);
	tl_end_sa(c);
	if ((sa = tl_alloc(c, sizeof(*sa), sizeof(void *))) == NULL)
		return (NULL);
	*sa = tunnel_list_sa_unknown;
	c->sconf = tl_sa_conf0;
	if (last != NULL)
		last->next = sa;
	else
		c->p->sas = sa;
	c->p->nsas++;
	c->sa = sa;
	return (sa);
}

/*
 * A name that runs up to " <stop>" (names are key=value, but take no
 * chances with spaces), else to the first white space.  The usual case,
 * stop right after the first word, costs no search.
 */
static size_t
tl_name_len(const char *v, size_t vn, const char *bend, const char *stop,
    size_t sl)
{
	long	at;
	size_t	i = tl_wend(v, v + vn, bend) - v;

	if (i == vn || (vn - i >= sl && tl_eq(v + i, stop, sl)))
		return (i);
	if ((at = pu_find(v, vn, stop)) > 0)
		return (at);
	return (i);
}

#define TL_NAME_LEN(v, vn, lit) \
	tl_name_len(v, vn, c->bend, lit, sizeof(lit) - 1)

/* name=X ver=1 serial=2 a:p->b:q ... */
static void
tl_header(struct tl_ctx *c, const char *s, size_t n)
{
	size_t	nl;

	s += 5;
	n -= 5;
	nl = TL_NAME_LEN(s, n, " ver=");
	if (tl_new_tunnel(c) == NULL)
		return;
	c->t->name = tl_str(c, TLC_NONE, s, nl);
	c->tname_n = nl;
	tl_kvs(c, s + nl, n - nl, &tl_tunnel_keys);
}

static void
tl_parent(struct tl_ctx *c, const char *s, size_t n)
{
	size_t	nl;

	s += 7;
	n -= 7;
	nl = TL_NAME_LEN(s, n, " index=");
	c->t->parent = tl_str(c, TLC_PARENT, s, nl);
	tl_kvs(c, s + nl, n - nl, &tl_tunnel_keys);
}

static void
tl_proxyid(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_proxyid	*p;
	const char		*tn = c->t->name;
	size_t			 nl;

	s += 8;
	n -= 8;
	nl = TL_NAME_LEN(s, n, " proto=");
	if ((p = tl_new_proxyid(c)) == NULL)
		return;
	/* Phase 2 is often named after its phase 1: share the string. */
	if (tn != NULL && c->tname_n == nl && memcmp(tn, s, nl) == 0)
		p->name = tn;
	else
		p->name = tl_str(c, TLC_PNAME, s, nl);
	tl_kvs(c, s + nl, n - nl, &tl_proxyid_keys);
	/* The flags are shared between proxyids: so is their test. */
	if (p->flags != c->an_flags) {
		c->an_flags = p->flags;
		c->an = p->flags != NULL &&
		    strstr(p->flags, "auto-negotiate") != NULL;
	}
	p->auto_negotiate = c->an;
}

/* src:/dst: text, trimmed; often the same as the other one stored last. */
static void
tl_selector(struct tl_ctx *c, const char *s, size_t n, int src)
{
	int	slot = src ? TLC_SRC : TLC_DST;
	int	other = src ? TLC_DST : TLC_SRC;

	if (c->p == NULL)
		return;
	s += 4;
	n -= 4;
	/* The line is trimmed: only blanks after the label are left. */
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	pu_trim(&s, &n);
	*(src ? &c->p->src : &c->p->dst) = tl_cached(c, other, s, n) ?
	    c->cache[other] : tl_str(c, slot, s, n);
}

/* Text between the first and the last quote, or the first word. */
static const char *
tl_quoted(struct tl_ctx *c, int slot, const char *s, size_t n)
{
	const char	*w = s;
	size_t		 j, wn = 0, pos = 0;

	pu_trim(&s, &n);
	if (n >= 2 && s[0] == '\'') {
		for (j = n - 1; j > 0 && s[j] != '\''; j--)
			;
		if (j > 0)
			return (tl_str(c, slot, s + 1, j - 1));
	}
	(void)pu_word(s, n, &pos, &w, &wn);
	return (tl_str(c, slot, w, wn));
}

/* The first word of (s, n), or an empty one. */
static void
tl_first(const char *s, size_t n, const char **w, size_t *wn)
{
	size_t	pos = 0;

	*w = s;
	*wn = 0;
	(void)pu_word(s, n, &pos, w, wn);
}

/*
 * get form "label: value  label: value" lines (rx/tx, dpd:, nat
 * traversal mode:): the value of each label, to fn.  A value before any
 * label (the mode of dpd: and nat traversal) has no label (NULL).
 */
static void
tl_get_labels(struct tl_ctx *c, const char *s, size_t n,
    void (*fn)(struct tl_ctx *, const char *, size_t, const char *, size_t))
{
	const char	*w, *key = NULL;
	size_t		 wn, kn = 0, pos = 0;
	int		 first = 1;

	while (pu_word(s, n, &pos, &w, &wn)) {
		if (wn > 1 && w[wn - 1] == ':') {
			key = w;
			kn = wn - 1;
			continue;
		}
		if (key != NULL || first)
			fn(c, key, kn, w, wn);
		key = NULL;
		first = 0;
	}
}

#define LABEL(lit)	(kn == sizeof(lit) - 1 && memcmp(k, lit, kn) == 0)

static void
tl_get_rx(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn)
{
	if (k == NULL)
		return;
	if (LABEL("packets"))
		c->t->rxp = tl_pn(v, vn);
	else if (LABEL("bytes"))
		c->t->rxb = tl_pn(v, vn);
	else if (LABEL("errors"))
		c->t->rx_err = tl_pn(v, vn);
}

static void
tl_get_tx(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn)
{
	if (k == NULL)
		return;
	if (LABEL("packets"))
		c->t->txp = tl_pn(v, vn);
	else if (LABEL("bytes"))
		c->t->txb = tl_pn(v, vn);
	else if (LABEL("errors"))
		c->t->tx_err = tl_pn(v, vn);
}

/* "dpd: on-demand/negotiated  idle: 20000ms  retry: 3  count: 0" */
static void
tl_get_dpd(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn)
{
	struct tl_tunnel	*t = c->t;

	if (k == NULL)
		c->tconf.dpd_mode = tl_str(c, TLC_DPD, v, tl_head(v, vn));
	else if (LABEL("idle"))
		c->tconf.dpd_idle_ms = tl_n_unit(v, vn, "ms");
	else if (LABEL("retry"))
		c->tconf.dpd_retry = tl_n(v, vn);
	else if (LABEL("count"))
		t->dpd_count = tl_n(v, vn);
}

/* "nat traversal mode: keep-alive   RFC 3947   interval: 10" */
static void
tl_get_natt(struct tl_ctx *c, const char *k, size_t kn, const char *v,
    size_t vn)
{
	if (k == NULL)
		c->tconf.natt_mode = tl_str(c, TLC_NATT, v, vn);
	else if (LABEL("interval"))
		c->tconf.natt_interval = tl_n(v, vn);
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
	c->t->name = tl_quoted(c, TLC_NONE, s, n);
	c->tname_n = c->t->name != NULL ? strlen(c->t->name) : 0;
}

/* get form lines about the gateway; 1 if the line was one of them. */
static int
tl_get_gateway(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_tunnel	*t = c->t;
	const char		*w, *q;
	size_t			 wn;

	if (PFX("local-gateway:") || PFX("remote-gateway:")) {
		int	local = s[0] == 'l';

		s += local ? 14 : 15;
		n -= local ? 14 : 15;
		tl_first(s, n, &w, &wn);
		if (local)
			tl_addr(c, TLC_LOCAL, w, wn, &t->local_addr,
			    &t->local_port);
		else
			tl_addr(c, TLC_NONE, w, wn, &t->remote_addr,
			    &t->remote_port);
	} else if (PFX("mode:") && !c->getsel) {
		tl_first(s + 5, n - 5, &w, &wn);
		if (wn == 6 && memcmp(w, "ike-v", 5) == 0)
			c->tconf.version = tl_n(w + 5, 1);
	} else if (PFX("interface:")) {
		c->tconf.interface = tl_quoted(c, TLC_IFACE, s + 10, n - 10);
		if ((q = memchr(s, '(', n)) != NULL && s[n - 1] == ')')
			c->tconf.bound_if = tl_n(q + 1, s + n - 1 - q - 1);
	} else if (PFX("rx "))
		tl_get_labels(c, s + 3, n - 3, tl_get_rx);
	else if (PFX("tx "))
		tl_get_labels(c, s + 3, n - 3, tl_get_tx);
	else if (PFX("nat traversal mode:"))
		tl_get_labels(c, s + 19, n - 19, tl_get_natt);
	else if (PFX("auto-negotiate:") && c->p != NULL) {
		tl_first(s + 15, n - 15, &w, &wn);
		c->p->auto_negotiate = wn == 6 && memcmp(w, "enable", 6) == 0;
	} else
		return (0);
	return (1);
}

/* get form lines about an SA ("SA", then inbound/outbound blocks). */
static void
tl_get_sa(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_sa	*sa = c->sa;
	int		 dec = c->dir == TL_DIR_DEC;
	const char	*w;
	size_t		 wn;
	pnum		 a, b;

	if (PFX("lifetime/rekey:")) {
		tl_first(s + 15, n - 15, &w, &wn);
		if (wn > 0 && tl_pair(w, wn, &a, &b) == wn) {
			c->sconf.life_total = tl_t(a);
			sa->expire_s = tl_t(b);
		}
	} else if (PFX("mtu:")) {
		tl_first(s + 4, n - 4, &w, &wn);
		c->sconf.mtu = tl_n(w, wn);
	} else if (PFX("tx-esp-seq:")) {
		tl_first(s + 11, n - 11, &w, &wn);
		sa->seqno = tl_px(w, wn, 15);
	} else if (PFX("inbound") && n == 7)
		c->dir = TL_DIR_DEC;
	else if (PFX("outbound") && n == 8)
		c->dir = TL_DIR_ENC;
	else if (c->dir == TL_DIR_NONE)
		return;
	else if (PFX("spi:")) {
		tl_first(s + 4, n - 4, &w, &wn);
		*(dec ? &sa->dec_spi : &sa->enc_spi) = tl_px(w, wn, 8);
	} else if (PFX("enc:")) {
		/* "enc:  aes-gc  <key>": the algorithm only. */
		tl_first(s + 4, n - 4, &w, &wn);
		*(dec ? &c->sconf.dec_esp : &c->sconf.enc_esp) =
		    tl_str(c, TLC_ESP, w, wn);
	} else if (PFX("auth:")) {
		tl_first(s + 5, n - 5, &w, &wn);
		*(dec ? &c->sconf.dec_ah : &c->sconf.enc_ah) =
		    tl_str(c, TLC_AH, w, wn);
	}
}

/* Lines only the get form prints. */
static void
tl_get_line(struct tl_ctx *c, const char *s, size_t n)
{
	if (PFX("gateway") && n == 7)
		(void)tl_new_tunnel(c);
	else if (PFX("name:"))
		tl_get_name(c, s + 5, n - 5);
	else if (c->t == NULL || tl_get_gateway(c, s, n))
		return;
	else if (PFX("selectors") && n == 9) {
		c->getsel = 1;
		(void)tl_new_proxyid(c);
	} else if (PFX("SA") && n == 2)
		(void)tl_new_sa(c);
	else if (c->sa != NULL)
		tl_get_sa(c, s, n);
}

/* The first word after "label:" has a '=' (diagnose form). */
static int
tl_has_kv(const char *s, size_t n)
{
	size_t	i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '=')
		i++;
	return (i < n && s[i] == '=');
}

/* "dpd:" in either form. */
static void
tl_dpd(struct tl_ctx *c, const char *s, size_t n)
{
	if (tl_has_kv(s, n))
		tl_kvs(c, s, n, &tl_dpd_keys);
	else
		tl_get_labels(c, s, n, tl_get_dpd);
}

/* dec:/enc: in the diagnose form; 0 if it is the get form's enc:. */
static int
tl_dir(struct tl_ctx *c, const char *s, size_t n)
{
	if (!tl_has_kv(s + 4, n - 4))
		return (0);
	c->dir = s[0] == 'd' ? TL_DIR_DEC : TL_DIR_ENC;
	tl_kvs(c, s + 4, n - 4, c->dir == TL_DIR_DEC ? &tl_dec_keys :
	    &tl_enc_keys);
	return (1);
}

/* isspace(), without a call for the usual bytes. */
static inline int
tl_isspace(unsigned char ch)
{
	return (ch == ' ' || (unsigned int)(ch - '\t') <= '\r' - '\t' ||
	    (ch >= 0x80 && isspace(ch)));
}

/*
 * pu_kv(s, n, "timeout", v, vn) in one pass: the value of the first
 * "timeout=" at the start of the line or after white space or a comma, up
 * to white space or a comma.
 */
static int
tl_kv_timeout(const char *s, size_t n, const char **v, size_t *vn)
{
	const char	*t, *end = s + n;
	uint64_t	 w, key;
	size_t		 i, j;

	memcpy(&key, "timeout=", 8);
	/* Only where a 't' is (three times on the line), one compare each. */
	for (t = s; end - t >= 8 &&
	    (t = memchr(t, 't', end - t - 7)) != NULL; t++) {
		i = t - s;
		memcpy(&w, t, 8);
		if (w != key || (i > 0 &&
		    !tl_isspace((unsigned char)s[i - 1]) && s[i - 1] != ','))
			continue;
		for (j = i + 8; j < n && !tl_isspace((unsigned char)s[j]) &&
		    s[j] != ','; j++)
			;
		*v = s + i + 8;
		*vn = j - i - 8;
		return (0);
	}
	return (-1);
}

/* "life: type=01 bytes=0/0 timeout=43186/43200" */
static void
tl_life(struct tl_ctx *c, const char *s, size_t n)
{
	const char	*v;
	size_t		 vn;
	pnum		 a, b;

	if (tl_kv_timeout(s, n, &v, &vn) == 0 && vn > 0 &&
	    tl_pair(v, vn, &a, &b) == vn) {
		c->sa->life_timeout = tl_t(a);
		c->sconf.life_total = tl_t(b);
	}
}

static void
tl_list(struct tl_ctx *c, const char *s, size_t n)
{
	long	at;

	if ((at = pu_find(s, n, " in vd ")) >= 0)
		c->r->vd = tl_n(s + at + 7, n - at - 7);
}

/*
 * One line of the diagnose form, picked by its first character (this
 * runs for every line); 0 if it is none of them.
 */
static int
tl_diag_line(struct tl_ctx *c, const char *s, size_t n)
{
	struct tl_tunnel	*t = c->t;
	struct tl_sa		*sa = c->sa;

#define TL_KVS(skip, keys)	tl_kvs(c, s + skip, n - skip, keys)
	switch (s[0]) {
	case '-':
		return (1);	/* the separator between tunnels */
	case 'n':
		if (PFX("name="))
			tl_header(c, s, n);
		else if (t != NULL && PFX("natt:"))
			TL_KVS(5, &tl_natt_keys);
		else if (sa != NULL && PFX("npu_flag="))
			TL_KVS(0, &tl_npu_keys);
		else
			return (0);
		return (1);
	case 'b':
	case 'r':
		if (t == NULL || !(PFX("bound_if=") || PFX("run_tally=")))
			return (0);
		TL_KVS(0, &tl_tunnel_keys);
		return (1);
	case 'p':
		if (t != NULL && PFX("proxyid_num="))
			TL_KVS(0, &tl_tunnel_keys);
		else if (t != NULL && PFX("proxyid="))
			tl_proxyid(c, s, n);
		else if (t != NULL && PFX("parent="))
			tl_parent(c, s, n);
		else
			return (0);
		return (1);
	case 's':
		if (sa != NULL && PFX("seqno="))
			TL_KVS(0, &tl_sa_keys);
		else if (t != NULL && PFX("stat:"))
			TL_KVS(5, &tl_tunnel_keys);
		else if (t != NULL && PFX("src:"))
			tl_selector(c, s, n, 1);
		else
			return (0);
		return (1);
	case 'd':
		if (sa != NULL && PFX("dec:pkts/bytes="))
			TL_KVS(0, &tl_pkts_keys);
		else if (t != NULL && PFX("dst:"))
			tl_selector(c, s, n, 0);
		else if (t != NULL && PFX("dpd:"))
			tl_dpd(c, s + 4, n - 4);
		else
			return (sa != NULL && PFX("dec:") && tl_dir(c, s, n));
		return (1);
	case 'e':
		return (sa != NULL && PFX("enc:") && tl_dir(c, s, n));
	case 'a':
		if (sa == NULL || c->dir == TL_DIR_NONE || !PFX("ah="))
			return (0);
		TL_KVS(0, c->dir == TL_DIR_DEC ? &tl_dec_keys : &tl_enc_keys);
		return (1);
	case 'l':
		if (PFX("list "))
			tl_list(c, s, n);
		else if (sa != NULL && PFX("life:"))
			tl_life(c, s, n);
		else
			return (0);
		return (1);
	case 'S':
		if (!PFX("SA:"))
			return (0);
		if (tl_new_sa(c) != NULL)
			TL_KVS(3, &tl_sa_keys);
		return (1);
	}
	return (0);
#undef TL_KVS
}

static int
tl_space(char ch)
{
	return (ch == ' ' || ch == '\t' || ch == '\r');
}

/*
 * The blanks (space, tab, CR) at p, not past end.  Lines inside a
 * proxyid are indented by 2 or 7 spaces: eight bytes are looked at
 * at once where that many are left, to not mispredict the end of a loop.
 */
static inline const char *
tl_skip_blank(const char *p, const char *end)
{
#ifdef TL_LE64
	uint64_t	w;

	if (end - p >= 8) {
		memcpy(&w, p, 8);
		w ^= 0x2020202020202020ULL;
		if (w != 0)
			p += (size_t)__builtin_ctzll(w) / 8;
		else
			p += 8;
	}
#endif
	while (p < end && tl_space(*p))
		p++;
	return (p);
}

/*
 * The first newline at or after p, or end.  memchr looks at 16 or 32
 * bytes an instruction where an inline loop looks at eight: a call per
 * line costs less than the loop on lines of 60 bytes, and much less on
 * the 100-byte lines that end in key material.
 */
static inline const char *
tl_eol(const char *p, const char *end)
{
	const char	*nl;

	if ((nl = memchr(p, '\n', end - p)) == NULL)
		return (end);
	return (nl);
}

/*
 * The next line from *pp: the blanks in front skipped (the same as
 * skipping them after the newline is found, as a newline is not blank),
 * no CR before the newline, the pager's "--More--" and its erase gone,
 * trimmed.  0 at the end of the text.
 */
static inline __attribute__((always_inline)) int
tl_next_line(const char **pp, const char *end, const char **sp, size_t *np)
{
	const char	*s, *nl;
	size_t		 n;

	if (*pp >= end)
		return (0);
	s = tl_skip_blank(*pp, end);
	nl = tl_eol(s, end);
	*pp = nl < end ? nl + 1 : end;
	n = nl - s;
	if (n >= 8 && *s == '-' && memcmp(s, "--More--", 8) == 0)
		pu_visible(&s, &n);
	while (n > 0 && tl_space(s[n - 1]))
		n--;
	*sp = s;
	*np = n;
	return (1);
}

static void
tl_walk(struct tl_ctx *c, const char *buf, size_t len)
{
	const char	*p = buf, *s;
	size_t		 n;

	c->r->vd = TNUM_UNKNOWN;
	c->bend = buf != NULL ? buf + len : NULL;
	while (!c->oom && tl_next_line(&p, c->bend, &s, &n))
		if (n > 0 && !tl_diag_line(c, s, n))
			tl_get_line(c, s, n);
	tl_end_tunnel(c);
	tl_emit(c);
}

struct tunnel_list *
tunnel_list_parse(const char *buf, size_t len)
{
	struct tl_ctx	 c;

	memset(&c, 0, sizeof(c));
	if ((c.r = pa_new_result(sizeof(*c.r), &c.pa)) == NULL)
		return (NULL);
	c.r->arena = c.pa;
	tl_walk(&c, buf, len);
	if (c.oom) {
		pa_free(c.pa);
		return (NULL);
	}
	return (c.r);
}

tnum
tunnel_list_vd(const char *buf, size_t len)
{
	const char	*p = buf, *end = buf != NULL ? buf + len : NULL;
	const char	*hit, *ls, *s;
	size_t		 n;
	long		 at;
	tnum		 vd = TNUM_UNKNOWN;

	/*
	 * What tl_diag_line gives to tl_list, without reading every line:
	 * " in vd " is found through its 'v', a rare letter in a listing
	 * (memchr skips 20 MB in about a millisecond, where memmem took
	 * three), and its line read as the walk reads lines.
	 */
	while (p < end && (hit = memchr(p, 'v', end - p)) != NULL) {
		p = hit + 1;
		if (hit - buf < 4 || end - hit < 3 ||
		    memcmp(hit - 4, " in vd ", 7) != 0)
			continue;
		ls = memrchr(buf, '\n', hit - buf);
		ls = ls != NULL ? ls + 1 : buf;
		p = ls;
		if (!tl_next_line(&p, end, &s, &n))
			break;
		if (n >= 5 && s[0] == 'l' && memcmp(s, "list ", 5) == 0 &&
		    (at = pu_find(s, n, " in vd ")) >= 0)
			vd = tl_n(s + at + 7, n - at - 7);
	}
	return (vd);
}

int
tunnel_list_each(const char *buf, size_t len, tl_tunnel_fn fn, void *arg,
    size_t *count)
{
	struct tunnel_list	 r;
	struct tl_stream	 st;
	struct tl_ctx		 c;

	memset(&r, 0, sizeof(r));
	memset(&st, 0, sizeof(st));
	memset(&c, 0, sizeof(c));
	st.fn = fn;
	st.arg = arg;
	*count = 0;
	if ((c.pa = pa_new()) == NULL)
		return (-1);
	r.arena = c.pa;
	r.stream = &st;
	c.r = &r;
	tl_walk(&c, buf, len);
	pa_free(c.pa);
	*count = st.n;
	if (c.oom)
		return (st.rc != 0 ? st.rc : -1);
	return (0);
}

void
tunnel_list_free(struct tunnel_list *r)
{
	if (r != NULL)
		pa_free(r->arena);
}
