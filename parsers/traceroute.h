/* SPDX-License-Identifier: ISC */
/*
 * traceroute - parse `execute traceroute <host>` (and traceroute6).
 *
 *   traceroute to 8.8.8.8 (8.8.8.8), 32 hops max, 3 probe packets per hop, 84 byte packets
 *    1  1.2.3.4  0.423 ms  2.123 ms  0.274 ms
 *    3  * * *
 *    4  10.0.0.1  1.2 ms *  1.4 ms
 *    3  154.11.15.73 <qubcpqajdr02.bb.telus.com>  4.216 ms ...	(7.x names)
 *    1  gw.example.net (10.0.0.1)  0.4 ms ...			(name (addr))
 *    5  10.0.0.1  1.1 ms 10.0.0.2  1.3 ms !H *			(second responder)
 * Older builds print no probe count.  RTTs are kept as integer
 * microseconds, a '*' probe as PNUM_UNKNOWN.  "reached" is 1 when the
 * last hop answered from the target address, 0 when the trace ended
 * without it (max hops, !H/!N/!P/!X, or a prompt after the hops), -1
 * when the output just stops (cut off, or still running).
 *
 * Ownership: the result belongs to its arena, and what the current trace
 * holds (hops, strings) to a second one, reset when a new trace starts;
 * traceroute_free releases both.
 */
#ifndef TRACEROUTE_H
#define TRACEROUTE_H

#include "util.h"

struct tr_responder {
	const char	*addr;		/* NULL: only a name printed */
	const char	*name;
};

struct tr_probe {
	pnum		 rtt_us;	/* PNUM_UNKNOWN for '*' */
	size_t		 responder;	/* index into responders */
	const char	*note;		/* "!H", "!N", ... or NULL */
};

struct tr_hop {
	pnum		 hop;
	struct tr_responder *responders;	/* [0] is the hop's address */
	size_t		 nresponders;
	size_t		 rcap;
	struct tr_probe	*probes;
	size_t		 nprobes;
	size_t		 pcap;
};

struct traceroute {
	struct parena	*arena;
	struct parena	*trace;		/* the current trace's memory */
	const char	*target;	/* as given: a name or an address */
	const char	*target_addr;	/* in parentheses */
	pnum		 max_hops;
	pnum		 probes;	/* per hop, when printed */
	pnum		 packet_len;
	const char	*error;		/* "traceroute: unknown ..." */
	int		 reached;	/* 1, 0, -1 unknown */
	struct tr_hop	*hops;
	size_t		 nhops;
	size_t		 cap;
};

/* NULL only when memory runs out. */
struct traceroute	*traceroute_parse(const char *, size_t);
void			 traceroute_free(struct traceroute *);
/* Hops, or 1 when only the header or an error was recognised. */
size_t			 traceroute_count(const struct traceroute *);
/*
 * One line of a trace still running, read with the same hop grammar:
 * 1 when it is a hop none of whose probes was answered (" 5  * * *"),
 * so a caller can stop a trace that has gone quiet.  0 otherwise, and
 * when memory runs out.
 */
int			 traceroute_hop_silent(const char *, size_t);

#endif
