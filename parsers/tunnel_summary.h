/* SPDX-License-Identifier: ISC */
/*
 * tunnel_summary - parse `get vpn ipsec tunnel summary`.
 *
 * One line per tunnel, in two layouts across FortiOS versions:
 *   'to10.189.0.182'  selectors(total,up): 1/0  rx(pkt,err): 0/0  tx(pkt,err): 0/0
 *   'VPN1_0' 100.64.15.1:0  selectors(total,up): 1/1  rx(pkt,err): 83904/0  ...
 * Names may contain spaces and quotes.  Lines that are not tunnel lines
 * (the echoed command, prompts, --More--) are skipped.
 *
 * Ownership: the result and everything it points to belong to its arena;
 * tunnel_summary_free releases all of it.
 */
#ifndef TUNNEL_SUMMARY_H
#define TUNNEL_SUMMARY_H

#include "util.h"

struct ts_tunnel {
	const char	*name;
	const char	*remote_addr;	/* NULL when the column is absent */
	pnum		 remote_port;
	pnum		 selectors_total;
	pnum		 selectors_up;
	pnum		 rx_pkt;
	pnum		 rx_err;
	pnum		 tx_pkt;
	pnum		 tx_err;
};

struct tunnel_summary {
	struct parena	*arena;
	struct ts_tunnel *tunnels;
	size_t		 ntunnels;
	size_t		 cap;
	struct ts_stream *stream;	/* while tunnel_summary_each runs */
};

/* NULL only when memory runs out. */
struct tunnel_summary	*tunnel_summary_parse(const char *, size_t);
/*
 * The same parse, streamed: fn is lent each tunnel as its line is read
 * and may keep nothing it points to; *count gets how many.  0, -1 when
 * memory runs out, or the first non-zero fn returned (which stops it).
 */
typedef int (*ts_tunnel_fn)(const struct ts_tunnel *, void *);
int	tunnel_summary_each(const char *, size_t, ts_tunnel_fn, void *,
	    size_t *);
void			 tunnel_summary_free(struct tunnel_summary *);

#endif
