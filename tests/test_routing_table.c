/* SPDX-License-Identifier: ISC */
/*
 * test_routing_table - `get router info routing-table` (all, database,
 * details) and `get router info6 routing-table` on real captures and on
 * the layouts of other FortiOS versions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "routing_table.h"

#define U	PNUM_UNKNOWN

struct whop {
	const char	*gw, *iface, *tunnel;
	int		 connected, recursive;
	pnum		 prio, weight;
};

struct wroute {
	const char	*type, *subtype, *prefix;
	pnum		 distance, metric, age_s;
	size_t		 nhops;
	const struct whop *hops;
};

static void
check_hop(const char *what, const struct rt_nexthop *h, const struct whop *w)
{
	tu_str(what, "gateway", h->gateway, w->gw);
	tu_str(what, "interface", h->interface, w->iface);
	tu_str(what, "tunnel", h->tunnel, w->tunnel);
	tu_num(what, "connected", h->connected, w->connected);
	tu_num(what, "recursive", h->recursive, w->recursive);
	tu_num(what, "priority", h->priority, w->prio);
	tu_num(what, "weight", h->weight, w->weight);
}

static void
check_route(const char *rel, const struct rt_route *r, const struct wroute *w)
{
	char	what[256];
	size_t	i;

	snprintf(what, sizeof(what), "%s: %s", rel, w->prefix);
	tu_str(what, "type", r->type, w->type);
	tu_str(what, "subtype", r->subtype, w->subtype);
	tu_str(what, "prefix", r->prefix, w->prefix);
	tu_num(what, "distance", r->distance, w->distance);
	tu_num(what, "metric", r->metric, w->metric);
	tu_num(what, "age_s", r->age_s, w->age_s);
	if (r->nnexthops != w->nhops)
		fail_msg("%s: %zu next hops, want %zu", what, r->nnexthops,
		    w->nhops);
	for (i = 0; i < w->nhops; i++) {
		snprintf(what, sizeof(what), "%s: %s hop %zu", rel, w->prefix,
		    i);
		check_hop(what, &r->nexthops[i], &w->hops[i]);
	}
}

/* "<type>[ <subtype>] <prefix>", the form manifest.json lists. */
static int
has_prefix(const struct routing_table *rt, const char *want)
{
	char	buf[256];
	size_t	i;

	for (i = 0; i < rt->nroutes; i++) {
		const struct rt_route *r = &rt->routes[i];

		snprintf(buf, sizeof(buf), "%s%s%s %s",
		    r->type ? r->type : "null", r->subtype ? " " : "",
		    r->subtype ? r->subtype : "",
		    r->prefix ? r->prefix : "null");
		if (strcmp(buf, want) == 0)
			return (1);
	}
	return (0);
}

static struct routing_table *
parse_fixture(const char *rel, size_t nroutes, const char *const *prefixes)
{
	struct routing_table	*rt;
	char			*buf;
	size_t			 len;

	buf = tu_fixture(rel, &len);
	rt = routing_table_parse(buf, len);
	free(buf);
	assert_non_null(rt);
	if (rt->nroutes != nroutes)
		fail_msg("%s: %zu routes, want %zu", rel, rt->nroutes, nroutes);
	for (; prefixes != NULL && *prefixes != NULL; prefixes++) {
		if (!has_prefix(rt, *prefixes))
			fail_msg("%s: no route \"%s\"", rel, *prefixes);
	}
	return (rt);
}

/* Synthetic text of exactly n routes, all of them checked. */
static void
check_text(const char *what, const char *in, size_t len,
    const struct wroute *w, size_t n)
{
	struct routing_table	*rt;
	size_t			 i;

	rt = routing_table_parse(in, len);
	assert_non_null(rt);
	if (rt->nroutes != n)
		fail_msg("%s: %zu routes, want %zu", what, rt->nroutes, n);
	for (i = 0; i < n; i++)
		check_route(what, &rt->routes[i], &w[i]);
	routing_table_free(rt);
}

static void
test_hub_bgp_dialup(void **state)
{
	static const char *const rel =
	    "real/routing-table/01-hub-bgp-over-dialup.txt";
	static const char *const pfx[] = { "S 0.0.0.0/0", "C 10.10.10.0/24",
	    "C 10.10.10.1/32", "B 192.168.1.0/24", "B 192.168.2.0/24", NULL };
	static const struct whop h0[] = {
		{ "100.1.1.1", "port2", NULL, 0, 0, 1, 0 } };
	static const struct whop h1[] = { { NULL, "HUB", NULL, 1, 0, U, U } };
	static const struct whop h5[] = {
		{ "10.10.10.2", "HUB", NULL, 0, 1, U, U } };
	static const struct wroute w0 = { "S", NULL, "0.0.0.0/0", 10, 0, U,
	    1, h0 };
	static const struct wroute w1 = { "C", NULL, "10.10.10.0/24", U, U, U,
	    1, h1 };
	static const struct wroute w5 = { "B", NULL, "192.168.1.0/24", 200, 0,
	    21 * 60 + 21, 1, h5 };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 7, pfx);
	check_route(rel, &rt->routes[0], &w0);
	assert_true(rt->routes[0].candidate_default);
	assert_int_equal(rt->routes[0].vrf, 0);
	check_route(rel, &rt->routes[1], &w1);
	assert_false(rt->routes[1].candidate_default);
	check_route(rel, &rt->routes[5], &w5);
	assert_string_equal(rt->routes[5].age, "00:21:21");
	routing_table_free(rt);
}

static void
test_sdwan_hub_ecmp(void **state)
{
	static const char *const rel =
	    "real/routing-table/04-sdwan-hub-ecmp-bgp-loopback.txt";
	static const char *const pfx[] = { "S 0.0.0.0/0", "B 10.5.0.0/24",
	    "B 10.6.0.0/24", "S 172.16.0.0/12", "S 172.16.1.11/32",
	    "C 192.168.0.0/24", NULL };
	static const struct whop h0[] = {
		{ "100.64.11.254", "INET_1", NULL, 0, 0, 1, 0 },
		{ "100.64.12.254", "INET_2", NULL, 0, 0, 1, 0 } };
	static const struct whop h2[] = {
		{ "172.16.1.11", "VPN1", "172.16.1.11", 0, 1, U, U },
		{ "172.16.1.11", "VPN2", "10.0.0.17", 0, 1, 1, 0 } };
	static const struct whop h7[] = { { NULL, "Null", NULL, 0, 0, 1, 0 } };
	static const struct whop h9[] = {
		{ NULL, "VPN1", "172.16.1.11", 0, 0, 1, 0 },
		{ NULL, "VPN2", "10.0.0.17", 0, 0, 1, 0 } };
	static const struct whop h8[] = { { NULL, "Lo", NULL, 1, 0, U, U } };
	static const struct wroute w0 = { "S", NULL, "0.0.0.0/0", 1, 0, U,
	    2, h0 };
	static const struct wroute w2 = { "B", NULL, "10.5.0.0/24", 200, 0,
	    11 * 3600 + 27 * 60 + 21, 2, h2 };
	static const struct wroute w7 = { "S", NULL, "172.16.0.0/12", 10, 0,
	    U, 1, h7 };
	static const struct wroute w8 = { "C", NULL, "172.16.1.1/32", U, U, U,
	    1, h8 };
	static const struct wroute w9 = { "S", NULL, "172.16.1.11/32", 15, 0,
	    U, 2, h9 };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 12, pfx);
	check_route(rel, &rt->routes[0], &w0);
	check_route(rel, &rt->routes[2], &w2);
	check_route(rel, &rt->routes[6], &w7);
	assert_true(rt->routes[6].nexthops[0].summary);
	check_route(rel, &rt->routes[7], &w8);
	check_route(rel, &rt->routes[8], &w9);
	assert_string_equal(rt->routes[9].nexthops[1].tunnel, "10.0.0.16");
	assert_string_equal(rt->routes[10].nexthops[0].interface, "Lo-HC");
	assert_string_equal(rt->routes[11].nexthops[0].interface, "internal");
	routing_table_free(rt);
}

static void
test_ntc_ospf_e2(void **state)
{
	static const char *const rel =
	    "real/routing-table/07-ntc-ospf-e2-tunnels-ecmp.txt";
	static const char *const pfx[] = { "S 8.8.8.8/32", "O 10.80.58.224/27",
	    "O E2 10.80.130.0/24", "C 10.149.0.0/16", "B 10.160.0.0/23",
	    "S 1.2.3.4/32", "O E2 0.0.0.0/0", NULL };
	static const struct whop ht[] = {
		{ "10.149.127.253", "Tu-Hub01-Main", NULL, 0, 0, U, U } };
	static const struct whop hc[] = {
		{ NULL, "Tu-Hub01-Main", NULL, 1, 0, U, U },
		{ NULL, "Tu-Hub02-Main", NULL, 1, 0, U, U } };
	static const struct whop hs[] = {
		{ "10.152.1.229", "lan", NULL, 0, 0, U, U },
		{ "4.3.2.1", "wan", NULL, 0, 0, U, U } };
	static const struct whop hb[] = {
		{ "10.142.0.74", "port3", NULL, 0, 0, U, U } };
	static const struct wroute w0 = { "O", "E2", "0.0.0.0/0", 110, 10,
	    3 * 604800 + 2 * 86400 + 20 * 3600, 1, ht };
	static const struct wroute w2 = { "O", NULL, "10.80.58.224/27", 110,
	    201, 3 * 86400 + 13 * 3600 + 31 * 60, 1, ht };
	static const struct wroute w3 = { "O", "E2", "10.80.130.0/24", 110, 20,
	    22 * 3600 + 53, 1, ht };
	static const struct wroute w5 = { "C", NULL, "10.149.0.0/16", U, U, U,
	    2, hc };
	static const struct wroute w6 = { "B", NULL, "10.160.0.0/23", 20, 0,
	    2 * 86400 + 18 * 3600 + 2 * 60, 1, hb };
	static const struct wroute w7 = { "S", NULL, "1.2.3.4/32", 10, 0, U,
	    2, hs };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 8, pfx);
	check_route(rel, &rt->routes[0], &w0);
	assert_true(rt->routes[0].candidate_default);
	check_route(rel, &rt->routes[2], &w2);
	check_route(rel, &rt->routes[3], &w3);
	assert_false(rt->routes[3].candidate_default);
	check_route(rel, &rt->routes[5], &w5);
	check_route(rel, &rt->routes[6], &w6);
	check_route(rel, &rt->routes[7], &w7);
	routing_table_free(rt);
}

static void
test_database_view(void **state)
{
	static const char *const rel =
	    "real/routing-table/08-database-view-ipsec-bug-833399-flags.txt";
	static const struct whop h0[] = {
		{ NULL, "some_IPSEC_A", "1.2.3.4", 0, 0, 1, 0 },
		{ NULL, "some_IPSEC_B", "6.7.8.9", 0, 0, 1, 0 } };
	static const struct whop h1[] = {
		{ "a.a.a.a", "port1", NULL, 0, 0, 200, 0 },
		{ "b.b.b.b", "port2", NULL, 0, 0, 201, 0 } };
	static const struct wroute w0 = { "S", NULL, "0.0.0.0/0", 15, 0, U,
	    2, h0 };
	static const struct wroute w1 = { "S", NULL, "0.0.0.0/0", 10, 0, U,
	    2, h1 };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 2, NULL);
	check_route(rel, &rt->routes[0], &w0);
	assert_null(rt->routes[0].flags);
	check_route(rel, &rt->routes[1], &w1);
	assert_string_equal(rt->routes[1].flags, "*>");
	assert_false(rt->routes[1].candidate_default);
	assert_int_equal(rt->routes[0].nexthops[1].fib, -1);
	assert_int_equal(rt->routes[1].nexthops[0].fib, 1);
	assert_int_equal(rt->routes[1].nexthops[1].fib, 1);
	routing_table_free(rt);
}

static void
test_details_view(void **state)
{
	static const char *const rel =
	    "real/routing-table/09-details-two-default-routes-ipsec.txt";
	static const struct whop h0[] = {
		{ NULL, "some_IPSEC_A", "1.2.3.4", 0, 0, U, U },
		{ NULL, "some_IPSEC_B", "6.7.8.9", 0, 0, U, U } };
	static const struct whop h1[] = {
		{ "a.a.a.a", "port1", NULL, 0, 0, U, U },
		{ "b.b.b.b", "port2", NULL, 0, 0, U, U } };
	static const struct wroute w0 = { "S", NULL, "0.0.0.0/0", 15, 0, U,
	    2, h0 };
	static const struct wroute w1 = { "S", NULL, "0.0.0.0/0", 10, 0, U,
	    2, h1 };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 2, NULL);
	check_route(rel, &rt->routes[0], &w0);
	assert_int_equal(rt->routes[0].best, 0);
	assert_int_equal(rt->routes[0].nexthops[0].fib, 0);
	check_route(rel, &rt->routes[1], &w1);
	assert_int_equal(rt->routes[1].best, 1);
	assert_true(rt->routes[1].nexthops[1].fib);
	assert_string_equal(rt->routes[1].protocol, "static");
	assert_int_equal(rt->routes[1].vrf, 0);
	routing_table_free(rt);
}

static void
test_ospf_ecmp_gre(void **state)
{
	static const char *const rel =
	    "real/routing-table/10-ospf-ecmp-gre-tunnels.txt";
	static const char *const pfx[] = { "O 10.2.1.0/24", "O 10.50.0.0/22",
	    NULL };
	static const struct whop h[] = {
		{ "10.99.1.2", "GRE_1_1", NULL, 0, 0, U, U },
		{ "10.99.2.2", "GRE_2_2", NULL, 0, 0, U, U } };
	static const struct wroute w = { "O", NULL, "10.50.0.0/22", 110, 11,
	    101, 2, h };
	struct routing_table	*rt;

	rt = parse_fixture(rel, 2, pfx);
	check_route(rel, &rt->routes[1], &w);
	routing_table_free(rt);
}

/* IPv6 table: "via ::" for connected, link-local gateways, names with
 * spaces, the IPv6 legend and a trailing prompt; CRLF. */
static void
test_ipv6_crlf(void **state)
{
	static const char in[] =
	    "FGT # get router info6 routing-table\r\n"
	    "IPv6 Routing Table\r\n"
	    "Codes: K - kernel route, C - connected, S - static, R - RIP, "
	    "O - OSPF,\r\n"
	    "       IA - OSPF inter area\r\n"
	    "       I - IS-IS, B - BGP\r\n"
	    "       * - candidate default\r\n"
	    "\r\n"
	    "Timers: Uptime\r\n"
	    "\r\n"
	    "Routing table for VRF=0\r\n"
	    "S*      ::/0 [10/0] via 2001:db8:1::1, port1, 00:05:12, "
	    "[1024/0]\r\n"
	    "C       ::1/128 via ::, root, 10d03h26m\r\n"
	    "O       2001:db8:9::/64 [110/20] via fe80::20c:29ff:fe4f:1a2b, "
	    "to HQ 1, 1w2d03h\r\n"
	    "FGT # ";
	static const struct whop h0[] = {
		{ "2001:db8:1::1", "port1", NULL, 0, 0, 1024, 0 } };
	static const struct whop h1[] = { { "::", "root", NULL, 0, 0, U, U } };
	static const struct whop h2[] = {
		{ "fe80::20c:29ff:fe4f:1a2b", "to HQ 1", NULL, 0, 0, U, U } };
	static const struct wroute w[] = {
		{ "S", NULL, "::/0", 10, 0, 312, 1, h0 },
		{ "C", NULL, "::1/128", U, U, 10 * 86400 + 3 * 3600 + 26 * 60,
		    1, h1 },
		{ "O", NULL, "2001:db8:9::/64", 110, 20,
		    604800 + 2 * 86400 + 3 * 3600, 1, h2 },
	};

	check_text("ipv6", in, sizeof(in) - 1, w, 3);
}

/*
 * 6.x without a VRF header, IS-IS and inter-area codes, the database
 * view's "inactive", a pager remnant, a details answer for a connected
 * route, and "% Network not in table".
 */
static void
test_other_layouts(void **state)
{
	static const char in[] =
	    "S       0.0.0.0/0 [10/0] via 8.8.8.8, wan1 inactive\n"
	    "C    *> 3.3.3.0/24 is directly connected, internal\n"
	    "--More-- \r          \ri L1    10.9.0.0/16 [115/20] via 10.0.0.9, "
	    "port 9, 1y2w\n"
	    "O IA    10.7.0.0/16 [110/3] via 10.0.0.7, port7, 01:02:03\n"
	    "Routing entry for 10.1.1.0/24\n"
	    "  Known via \"connected\", distance 0, metric 0, best\n"
	    "  Last update 1d02h46m ago\n"
	    "  * is directly connected, port1\n"
	    "% Network not in table\n";
	struct routing_table	*rt;
	struct rt_route		*r;

	rt = routing_table_parse(in, sizeof(in) - 1);
	assert_non_null(rt);
	assert_int_equal(rt->nroutes, 5);
	r = &rt->routes[0];
	assert_int_equal(r->vrf, PNUM_UNKNOWN);
	assert_true(r->inactive);
	assert_string_equal(r->nexthops[0].interface, "wan1");
	r = &rt->routes[1];
	assert_false(r->inactive);
	assert_string_equal(r->flags, "*>");
	assert_true(r->nexthops[0].connected);
	assert_string_equal(r->nexthops[0].interface, "internal");
	r = &rt->routes[2];
	assert_string_equal(r->type, "i");
	assert_string_equal(r->subtype, "L1");
	assert_string_equal(r->nexthops[0].interface, "port 9");
	assert_int_equal(r->age_s, 365 * 86400 + 14 * 86400);
	r = &rt->routes[3];
	assert_string_equal(r->type, "O");
	assert_string_equal(r->subtype, "IA");
	assert_int_equal(r->age_s, 3723);
	r = &rt->routes[4];
	assert_string_equal(r->type, "C");
	assert_string_equal(r->prefix, "10.1.1.0/24");
	assert_int_equal(r->distance, 0);
	assert_int_equal(r->best, 1);
	assert_int_equal(r->age_s, 86400 + 2 * 3600 + 46 * 60);
	assert_int_equal(r->nnexthops, 1);
	assert_true(r->nexthops[0].connected);
	assert_true(r->nexthops[0].fib);
	assert_string_equal(r->nexthops[0].interface, "port1");
	assert_true(rt->not_in_table);
	routing_table_free(rt);
}

static void
test_age(void **state)
{
	static const struct {
		const char	*s;
		pnum		 want;
	} t[] = {
		{ "00:21:21", 1281 }, { "3d13h31m", 307860 },
		{ "03w2d20h", 2059200 }, { "2d18h02m", 237720 },
		{ "11:27:21", 41241 }, { "1y", 31536000 }, { "45s", 45 },
		{ "", U }, { "port1", U }, { "1x", U }, { "1:2", U },
		{ "00:61:00", U }, { "12", U }, { "1d2", U }, { "1:2:3:4", U },
		{ "99999999999999999999d", U }, { "99999999999999w", U },
		{ "99999999999999999:00:00", U },
	};
	size_t	i;
	pnum	got;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = routing_table_age(t[i].s, strlen(t[i].s));
		if (got != t[i].want)
			fail_msg("age \"%s\": %lld, want %lld", t[i].s,
			    (long long)got, (long long)t[i].want);
	}
}

/*
 * The JSON: the keys first, unknown as null (not zero), and the
 * details answer for an address with no route is still an answer.
 */
static void
test_json(void **state)
{
	static const char rel01[] =
	    "real/routing-table/01-hub-bgp-over-dialup.txt";
	static const char rel09[] =
	    "real/routing-table/09-details-two-default-routes-ipsec.txt";
	static const char conn[] = "C 10.0.0.0/8 is directly connected, lan\n";
	static const char none[] =
	    "FGT # get router info routing-table details 192.0.2.1\n"
	    "% Network not in table\n"
	    "FGT # ";
	static const struct {
		const char	*rel;	/* a fixture, or NULL for in */
		const char	*in;
		const char	*frag;
	} t[] = {
		{ rel01, NULL, "{\"type\":\"S\",\"prefix\":\"0.0.0.0/0\","
		    "\"distance\":10,\"metric\":0,\"nexthops\":[{\"gateway\":"
		    "\"100.1.1.1\",\"interface\":\"port2\"," },
		{ rel01, NULL, "\"candidate_default\":true," },
		{ rel01, NULL, "\"age\":\"00:21:21\",\"age_s\":1281," },
		{ rel09, NULL, "\"protocol\":\"static\",\"best\":true," },
		{ rel09, NULL, "\"not_in_table\":false}" },
		{ NULL, none, "{\"routes\":[],\"not_in_table\":true}" },
		{ NULL, conn, "\"distance\":null,\"metric\":null," },
		{ NULL, conn, "\"gateway\":null,\"interface\":\"lan\"," },
		{ NULL, conn, "\"age\":null,\"age_s\":null," },
		{ NULL, conn, "\"vrf\":null," },	/* no VRF header */
		{ NULL, conn, "\"weight\":null,\"fib\":null}" },
	};
	char	*json;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].rel != NULL)
			json = tu_report_fixture(&kind_routing_table, t[i].rel);
		else
			json = tu_report(&kind_routing_table, t[i].in,
			    strlen(t[i].in));
		tu_has(json, t[i].frag, t[i].rel != NULL ? t[i].rel : t[i].in);
		free(json);
	}
}

/*
 * What the terminal shows: a CR CR LF ending erases nothing (the route
 * used to vanish), and two spaces after "via" still give the gateway.
 */
static void
test_crcrlf_spacing(void **state)
{
	static const char in[] =
	    "S       0.0.0.0/0 [10/0] via  8.8.8.8, wan1\r\r\n"
	    "                  [10/0] via 10.0.0.1, port 2, [5/0]\r\r\n";
	static const struct whop h[] = {
		{ "8.8.8.8", "wan1", NULL, 0, 0, U, U },
		{ "10.0.0.1", "port 2", NULL, 0, 0, 5, 0 } };
	static const struct wroute w = { "S", NULL, "0.0.0.0/0", 10, 0, U,
	    2, h };

	check_text("crcrlf", in, sizeof(in) - 1, &w, 1);
}

/* Hostile bytes: no crash, nothing invented, names kept bounded. */
static void
test_garbage(void **state)
{
	static const char in[] =
	    "\x1b[2J\x1b]0;x\x07S*\n"
	    "[1/0] via 1.1.1.1, x\n"			/* no route yet */
	    "(recursive via\n"
	    "S 1.2.3.4/\n"				/* not a prefix */
	    "S 10.0.0.0/8 [\n"
	    "S 10.0.0.0/9 [1/0] via (recursive is directly connected, \n"
	    "   (\n"
	    "   is directly connected\n"
	    "Routing entry for \n"			/* no prefix: skipped */
	    "Routing entry for 10.9.9.9/32\n"
	    "  Known via \"\n"
	    "  * vrf\n"
	    "Codes: K - kernel\n"
	    "ABC 1.2.3.0/24 via 1.1.1.1, x\n"		/* 3-letter code */
	    "S x y z 1.2.3.0/24\n";			/* too many words */
	struct routing_table	*rt;
	char			*big, *json;
	size_t			 n, i;

	rt = routing_table_parse(in, sizeof(in) - 1);
	assert_non_null(rt);
	assert_int_equal(rt->nroutes, 3);
	assert_string_equal(rt->routes[0].prefix, "10.0.0.0/8");
	assert_int_equal(rt->routes[0].distance, PNUM_UNKNOWN);
	assert_string_equal(rt->routes[1].prefix, "10.0.0.0/9");
	assert_true(rt->routes[1].nexthops[0].recursive);
	assert_string_equal(rt->routes[2].prefix, "10.9.9.9/32");
	assert_null(rt->routes[2].protocol);
	assert_null(rt->routes[2].type);
	routing_table_free(rt);

	/* NULs, and one route with a very long line of next hops. */
	n = 1 << 20;
	big = malloc(n);
	assert_non_null(big);
	memcpy(big, "S 0.0.0.0/0 ", 12);
	for (i = 12; i + 8 <= n; i += 8)
		memcpy(big + i, "via a, ,", 8);
	for (; i < n; i++)
		big[i] = '\0';
	rt = routing_table_parse(big, n);
	assert_non_null(rt);
	assert_int_equal(rt->nroutes, 1);
	tu_assert_cmp(rt->routes[0].nnexthops, >, 100000);
	routing_table_free(rt);
	memset(big, 0, n);
	json = tu_report(&kind_routing_table, big, n);
	tu_has(json, "{\"routes\":[],", "NULs");
	free(json);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hub_bgp_dialup),
		cmocka_unit_test(test_sdwan_hub_ecmp),
		cmocka_unit_test(test_ntc_ospf_e2),
		cmocka_unit_test(test_database_view),
		cmocka_unit_test(test_details_view),
		cmocka_unit_test(test_ospf_ecmp_gre),
		cmocka_unit_test(test_ipv6_crlf),
		cmocka_unit_test(test_other_layouts),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_crcrlf_spacing),
		cmocka_unit_test(test_garbage),
	};
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
