/* SPDX-License-Identifier: ISC */
/*
 * routing_table - parse `get router info routing-table all|static|bgp|...`,
 * `get router info6 routing-table` and `get router info routing-table
 * details X`.
 *
 * Table view, one route a line after the Codes legend and a
 * "Routing table for VRF=N" header (absent before 6.x):
 *   S*      0.0.0.0/0 [10/0] via 100.1.1.1, port2, [1/0]
 *   O*E2    0.0.0.0/0 [110/10] via 10.149.127.253, Tu-Hub01-Main, 03w2d20h
 *   O E2    10.80.130.0/24 [110/20] via 10.149.127.253, Tu-Hub01-Main, 22:00:53
 *   C       10.149.0.0/16 is directly connected, Tu-Hub01-Main
 *                         is directly connected, Tu-Hub02-Main
 *   B       10.5.0.0/24 [200/0] via 172.16.1.11 (recursive via VPN1 tunnel
 *           172.16.1.11 [1]), 11:27:21
 *                       (recursive via VPN2 tunnel 10.0.0.17 [1]), 11:27:21, [1/0]
 *   S       172.16.1.11/32 [15/0] via VPN1 tunnel 172.16.1.11, [1/0]
 *   S       172.16.0.0/12 [10/0] is a summary, Null, [1/0]
 *   S    *> 0.0.0.0/0 [10/0] via a.a.a.a, port1, [200/0]      (database view)
 *   S       0.0.0.0/0 [10/0] via 8.8.8.8, wan1 inactive         (database view)
 * Indented lines that start with "[d/m] via", "(recursive", "via" or "is
 * directly connected" are further next hops (ECMP) of the route above.
 * The trailing "[p/w]" of a next hop is its priority and weight.
 *
 * Details view:
 *   Routing entry for 0.0.0.0/0
 *     Known via "static", distance 10, metric 0, best
 *     * vrf 0 100.1.1.1, via port2
 * and "% Network not in table" when nothing matches.
 *
 * Ownership: the result and everything it points to belong to its arena;
 * routing_table_free releases all of it.  routing_table_each lends each
 * route to its callback only.  Fields not printed are NULL or
 * PNUM_UNKNOWN; flags not printed are 0.
 */
#ifndef ROUTING_TABLE_H
#define ROUTING_TABLE_H

#include "util.h"

struct rt_nexthop {
	const char	*gateway;	/* "via" address; NULL if connected */
	const char	*interface;	/* outgoing interface; "Null" */
	const char	*tunnel;	/* peer of "via IFACE tunnel ADDR" */
	const char	*resolved_via;	/* "(recursive via ADDR, IFACE)" */
	int		 connected;	/* "is directly connected" */
	int		 recursive;	/* resolved through another route */
	int		 summary;	/* "is a summary" */
	int		 fib;		/* "*" in the database and details
					   views; -1 when not printed */
	pnum		 priority;	/* trailing [p/w] */
	pnum		 weight;
};

struct rt_route {
	const char	*type;		/* code letters: "S", "O", "B", "i" */
	const char	*subtype;	/* "E2", "IA", "L1"; NULL if none */
	const char	*flags;		/* database view "*>" as printed */
	int		 candidate_default;	/* "S*", "O*E2" */
	const char	*prefix;	/* "10.0.0.0/8", "::/0" */
	pnum		 vrf;
	pnum		 distance;
	pnum		 metric;
	const char	*age;		/* as printed: "3d13h31m" */
	pnum		 age_s;
	const char	*protocol;	/* details view: "static", "bgp" */
	int		 best;		/* details view: -1 unknown */
	int		 inactive;	/* database view: "wan1 inactive" */
	struct rt_nexthop *nexthops;
	size_t		 nnexthops;
	size_t		 cap;
};

struct routing_table {
	struct parena	*arena;
	struct rt_route	*routes;
	size_t		 nroutes;
	size_t		 cap;
	int		 not_in_table;	/* "% Network not in table" */
	/* Parser state. */
	pnum		 vrf;
	int		 details;
	struct rt_stream *stream;	/* while routing_table_each runs */
};

/* NULL only when memory runs out. */
struct routing_table	*routing_table_parse(const char *, size_t);
/*
 * The same parse, streamed, for tables of any size: fn is lent each
 * route once it is complete and may keep nothing it points to.  *out
 * gets nroutes and not_in_table, nothing else.  0, -1 when memory runs
 * out, or the first non-zero fn returned (which stops the parse).
 */
typedef int (*rt_route_fn)(const struct rt_route *, void *);
int	routing_table_each(const char *, size_t, rt_route_fn, void *,
	    struct routing_table *);
void			 routing_table_free(struct routing_table *);

/* "00:21:21", "3d13h31m", "03w2d20h" as seconds; PNUM_UNKNOWN if not one. */
pnum	routing_table_age(const char *, size_t);

#endif
