/* SPDX-License-Identifier: ISC */
/*
 * reading - what a tool's output says, in one sentence for a NOC
 * engineer: "active route via wan1 203.0.113.254", "reached in 7 hops",
 * "4 IKE packets out to 10.189.0.182:500, none back: the peer does not
 * answer on UDP 500".
 *
 * Pure functions over the parsers' results (parsers/routing_table,
 * traceroute, sniffer): no I/O, no allocation, so they are tested on
 * fixtures and reused by the dashboard.  The sentence is written into
 * the caller's buffer, truncated to fit, and sanitised (cli_sanitize):
 * it quotes device text (interface names, addresses).
 *
 * Ownership: nothing is kept; the result is the caller's buffer.
 */
#ifndef READING_H
#define READING_H

#include <stddef.h>

struct routing_table;
struct traceroute;
struct sniffer;

#define READING_MAX	256

/*
 * `get router info routing-table details PEER`.  iface, when known, is
 * the tunnel's phase-1 interface: IKE leaves through it, so a best route
 * through another interface is no route for IKE.
 */
const char	*reading_route(char *, size_t, const struct routing_table *,
		    const char *peer, const char *iface);
/* `execute traceroute PEER`, ended or cut short. */
const char	*reading_trace(char *, size_t, const struct traceroute *);
/* `diagnose sniffer packet any 'host PEER and (udp port 500 ...)'`. */
const char	*reading_sniff(char *, size_t, const struct sniffer *,
		    const char *peer);

#endif
