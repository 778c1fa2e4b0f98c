/* SPDX-License-Identifier: ISC */
/*
 * sniffer - parse `diagnose sniffer packet <if> '<filter>' <v> <n> <a|l>`.
 *
 * Output at every verbosity (1-6) and time format:
 *   interfaces=[any]
 *   filters=[host 200.1.1.2 and udp port 500]
 *   8.239752 port2 out 100.1.1.2.500 -> 200.1.1.2.500: udp 192	(4-6)
 *   0.918957 10.1.1.1.500 -> 10.2.2.2.500: udp 120			(1-3)
 *   2024-01-15 10:22:33.123456 port1 in 1.1.1.1 -> 2.2.2.2: ip-proto-50 92
 *   0x0000	 4500 0054 ...	E..T..@.@.......		(2,3,5,6: skipped)
 *   3 packets received by filter
 *   0 packets dropped by kernel
 * Addresses are IPv4 or IPv6 with the port after the last dot.  The text
 * after "dst: " names the protocol: udp/tcp flags/icmp/ip-proto-N/
 * ESP(spi=..,seq=..); arp and 802.1Q lines have no arrow.  Everything
 * else (prompts, the echoed command, "Using Original Sniffing Mode",
 * ^C) is skipped.
 *
 * Ownership: the result and every string it points to belong to its
 * arena; sniffer_free releases all of it.  sniffer_each lends each packet
 * to its callback only.
 */
#ifndef SNIFFER_H
#define SNIFFER_H

#include "util.h"

struct sn_packet {
	pnum		 time_us;	/* relative; unknown with a, l */
	const char	*timestamp;	/* a, l: "2024-01-15 10:22:33.1" */
	const char	*interface;	/* verbosity 4-6 only */
	const char	*direction;	/* "in", "out"; NULL for "--" */
	const char	*src;
	pnum		 sport;
	const char	*dst;
	pnum		 dport;
	const char	*proto;		/* udp tcp icmp esp arp ... */
	pnum		 ip_proto;	/* N of ip-proto-N */
	pnum		 len;
	const char	*flags;		/* tcp: "syn", "psh ack" */
	pnum		 seq;
	pnum		 ack;
	const char	*spi;		/* ESP(spi=0x...) as printed */
	const char	*icmp;		/* "echo request" */
	const char	*info;		/* protocol text as printed */
};

struct sniffer {
	struct parena	*arena;
	const char	*interfaces;	/* inside interfaces=[...] */
	const char	*filters;	/* inside filters=[...] */
	pnum		 received;	/* packets received by filter */
	pnum		 dropped;	/* packets dropped by kernel */
	size_t		 nhex;		/* hex dump lines skipped */
	struct sn_packet *packets;	/* sniffer_each: none kept */
	size_t		 npackets;
	size_t		 cap;
	struct sn_stream *stream;	/* while sniffer_each runs */
};

/* NULL only when memory runs out. */
struct sniffer	*sniffer_parse(const char *, size_t);
/*
 * The same parse, streamed, for captures of any size: fn (when not
 * NULL) is lent each packet as it is read and may keep nothing it
 * points to; *out gets the rest (interfaces, filters, the counts, and
 * npackets, with no packets kept), for sniffer_free.  0, -1 when memory
 * runs out, or the first non-zero fn returned (which stops the parse).
 */
typedef int (*sniffer_fn)(const struct sn_packet *, void *);
int		 sniffer_each(const char *, size_t, sniffer_fn, void *,
		    struct sniffer **);
void		 sniffer_free(struct sniffer *);
/* Packets, or 1 when only the header or the counts were recognised. */
size_t		 sniffer_count(const struct sniffer *);

#endif
