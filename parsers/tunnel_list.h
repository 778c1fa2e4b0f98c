/* SPDX-License-Identifier: ISC */
/*
 * tunnel_list - parse `diagnose vpn tunnel list [name X]` and
 * `get vpn ipsec tunnel name X` / `get vpn ipsec tunnel details`.
 *
 * The diagnose form prints one block per tunnel (phase 1 + its phase-2
 * selectors), from 5.6 to 7.6, with or without `------` separators:
 *   name=HUB_0 ver=1 serial=5 100.1.1.2:0->200.1.1.2:0 tun_id=... dst_mtu=1500
 *   bound_if=10 lgwy=static/1 tun=intf mode=dial_inst/3 encap=none/8872 ...
 *   parent=HUB index=0
 *   proxyid_num=1 child_num=0 refcnt=5 ilast=0 olast=0 ad=s/1
 *   stat: rxp=2 txp=482 rxb=32710 txb=34637
 *   dpd: mode=on-idle on=1 idle=20000ms retry=3 count=0 seqno=1
 *   natt: mode=none draft=0 interval=0 remote_port=0
 *   proxyid=HUB proto=0 sa=1 ref=4 serial=1 ads
 *     src: 0:0.0.0.0-255.255.255.255:0
 *     SA:  ref=6 options=a26 ... expire=43082/0B replaywin=2048
 *          seqno=f2 esn=0 ...
 *     life: type=01 bytes=0/0 timeout=43186/43200
 *     dec: spi=9fbaba90 esp=aes key=16 <key>   (+ "ah=sha1 key=20 <key>")
 *     dec:pkts/bytes=2/16392, enc:pkts/bytes=482/47064
 *     npu_flag=03 ...
 * A proxyid has one SA block per SA (two while rekeying, sa=2).  The get
 * form ("gateway", "name: 'X'", "selectors", "inbound"/"outbound") fills
 * the same structs.  Key material is never stored.
 *
 * Memory is kept small on purpose (10,000 tunnels must fit in well under
 * 1 KB each): small fields are 32-bit (tnum, TNUM_UNKNOWN when not
 * printed; tnum_p() widens one to a pnum), counters are pnum, strings are
 * shared when equal, and the settings of a tunnel (struct tl_conf) and of
 * an SA (struct tl_sa_conf) are stored once for all the tunnels or SAs
 * that have the same: the 10,000 children of a hub share one of each.
 *
 * Ownership: the result and everything it points to belong to its arena;
 * tunnel_list_free releases all of it.  Strings and conf structs may be
 * shared between tunnels: never modify them.
 */
#ifndef TUNNEL_LIST_H
#define TUNNEL_LIST_H

#include "util.h"

/* A small number the device did not print is TNUM_UNKNOWN, never 0. */
typedef int32_t tnum;
#define TNUM_UNKNOWN	INT32_MIN

static inline pnum
tnum_p(tnum v)
{
	return (v == TNUM_UNKNOWN ? PNUM_UNKNOWN : (pnum)v);
}

/* What the SAs of a hub mostly share (algorithms, MTU, lifetime). */
struct tl_sa_conf {
	const char	*dec_esp;	/* "aes", "aes-gcm", ... */
	const char	*dec_ah;	/* "sha1", "null", ... */
	const char	*enc_esp;
	const char	*enc_ah;
	tnum		 mtu;
	tnum		 replaywin;
	tnum		 life_total;	/* lifetime set, seconds */
	tnum		 options;	/* printed in hex */
	tnum		 soft;
	tnum		 esn;
	tnum		 npu_flag;	/* printed in hex */
	tnum		 type;		/* printed in hex */
};

/* One IPsec SA (one `SA:` block); dec = inbound, enc = outbound. */
struct tl_sa {
	struct tl_sa	*next;		/* next SA of the proxyid */
	const struct tl_sa_conf *conf;	/* never NULL */
	pnum		 dec_spi;	/* at most 8 hex digits */
	pnum		 enc_spi;
	pnum		 seqno;		/* printed in hex */
	pnum		 dec_pkts;	/* each *_bytes follows its *_pkts */
	pnum		 dec_bytes;
	pnum		 enc_pkts;
	pnum		 enc_bytes;
	tnum		 ref;
	tnum		 expire_s;	/* seconds to rekey */
	tnum		 life_timeout;	/* seconds to hard expiry */
	tnum		 rekey;
};

/* One phase-2 selector (`proxyid=` or a get-form selector). */
struct tl_proxyid {
	struct tl_proxyid *next;
	const char	*name;
	const char	*src;		/* text after "src:", trimmed */
	const char	*dst;
	const char	*flags;		/* "auto-negotiate ads" */
	struct tl_sa	*sas;		/* first = current, or NULL */
	tnum		 nsas;
	tnum		 proto;
	tnum		 sa;		/* sa=0/1/2 as printed */
	tnum		 ref;
	tnum		 serial;
	signed char	 auto_negotiate; /* 1, 0, or -1 unknown */
};

/* The settings of a tunnel, as opposed to its state. */
struct tl_conf {
	const char	*mode;		/* "auto", "dialup", ... */
	const char	*encap;		/* "none" of encap=none/552 */
	const char	*lgwy;		/* "static" of lgwy=static/1 */
	const char	*tun;		/* "intf" of tun=intf/0 */
	const char	*options;	/* "npu frag-rfc" */
	const char	*role;
	const char	*ad;		/* ADVPN flags: "s/1" */
	const char	*dpd_mode;
	const char	*natt_mode;
	const char	*interface;	/* get form: "wan1" */
	tnum		 version;	/* IKE version: ver=, ike-v2 */
	tnum		 bound_if;
	tnum		 dst_mtu;
	tnum		 options_mask;	/* the hex in options[0228] */
	tnum		 run_state;
	tnum		 accept_traffic;
	tnum		 overlay_id;
	tnum		 dpd_on;
	tnum		 dpd_idle_ms;
	tnum		 dpd_retry;
	tnum		 natt_draft;
	tnum		 natt_interval;
};

/* One tunnel (phase 1), a dial-up child, or a get-form gateway. */
struct tl_tunnel {
	const char	*name;
	const char	*local_addr;
	const char	*remote_addr;
	const char	*tun_id;
	const char	*tun_id6;
	const char	*parent;	/* dial-up child: its server tunnel */
	const struct tl_conf *conf;	/* never NULL */
	struct tl_proxyid *proxyids;
	pnum		 rxp;
	pnum		 txp;
	pnum		 rxb;
	pnum		 txb;
	pnum		 rx_err;	/* get form only */
	pnum		 tx_err;
	pnum		 ilast;
	pnum		 olast;
	pnum		 dpd_seqno;
	tnum		 nproxyids;
	tnum		 serial;	/* printed in hex */
	tnum		 local_port;
	tnum		 remote_port;
	tnum		 index;
	tnum		 proxyid_num;
	tnum		 child_num;
	tnum		 refcnt;
	tnum		 dpd_count;
	tnum		 natt_remote_port;
	tnum		 run_tally;
};

struct tunnel_list {
	struct parena	*arena;
	struct tl_tunnel **tunnels;	/* ntunnels, in the order printed */
	size_t		 ntunnels;
	tnum		 vd;		/* "... tunnel in vd 0" */
	struct tl_stream *stream;	/* while tunnel_list_each runs */
};

/* NULL only when memory runs out. */
struct tunnel_list	*tunnel_list_parse(const char *, size_t);
/*
 * The same parse, streamed, for listings of any size: fn is lent each
 * tunnel once it ends and may keep nothing it points to (settings are
 * then shared within a tunnel only); *count gets how many.  0, -1 when
 * memory runs out, or the first non-zero fn returned (which stops it).
 * tunnel_list_vd reads the "in vd N" alone, which a document may want
 * before the tunnels.
 */
typedef int (*tl_tunnel_fn)(const struct tl_tunnel *, void *);
int			 tunnel_list_each(const char *, size_t, tl_tunnel_fn,
			    void *, size_t *);
tnum			 tunnel_list_vd(const char *, size_t);
/*
 * An SA with every field unknown (its conf too): what a new SA starts
 * as, and what the report writes for a proxyid that has none.
 */
extern const struct tl_sa	 tunnel_list_sa_unknown;
void			 tunnel_list_free(struct tunnel_list *);

#endif
