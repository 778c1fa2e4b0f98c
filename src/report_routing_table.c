/* SPDX-License-Identifier: ISC */
/*
 * report_routing_table - `get router info routing-table` as JSON.
 *
 * {"routes":[{"type","prefix","distance","metric","nexthops":[{"gateway",
 * "interface",...}],"age",...}],"not_in_table"}: the keys first,
 * then extras (subtype, candidate_default, vrf, age_s, the details view's
 * protocol and best flag, each hop's tunnel, recursion and [priority/weight]).
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "routing_table.h"

static void *
rrt_parse(const char *buf, size_t len)
{
	return (routing_table_parse(buf, len));
}

static size_t
rrt_count(const void *p)
{
	const struct routing_table	*rt = p;

	return (rt->nroutes + (rt->not_in_table ? 1 : 0));
}

static void
rrt_hop(struct json *j, const struct rt_nexthop *h)
{
	json_obj_begin(j);
	json_kstr(j, "gateway", h->gateway);
	json_kstr(j, "interface", h->interface);
	json_kstr(j, "tunnel", h->tunnel);
	json_kbool(j, "connected", h->connected);
	json_kbool(j, "recursive", h->recursive);
	json_kstr(j, "resolved_via", h->resolved_via);
	json_kbool(j, "summary", h->summary);
	json_knum(j, "priority", h->priority);
	json_knum(j, "weight", h->weight);
	json_kbool(j, "fib", h->fib);
	json_obj_end(j);
}

static void
rrt_route(struct json *j, const struct rt_route *r)
{
	size_t	i;

	json_obj_begin(j);
	json_kstr(j, "type", r->type);
	json_kstr(j, "prefix", r->prefix);
	json_knum(j, "distance", r->distance);
	json_knum(j, "metric", r->metric);
	json_key(j, "nexthops");
	json_arr_begin(j);
	for (i = 0; i < r->nnexthops; i++)
		rrt_hop(j, &r->nexthops[i]);
	json_arr_end(j);
	json_kstr(j, "age", r->age);
	json_knum(j, "age_s", r->age_s);
	json_kstr(j, "subtype", r->subtype);
	json_kbool(j, "candidate_default", r->candidate_default);
	json_kstr(j, "flags", r->flags);
	json_knum(j, "vrf", r->vrf);
	json_kstr(j, "protocol", r->protocol);
	json_kbool(j, "best", r->best);
	json_kbool(j, "inactive", r->inactive);
	json_obj_end(j);
}

static void
rrt_report(struct json *j, const void *p)
{
	const struct routing_table	*rt = p;
	size_t				 i;

	json_obj_begin(j);
	json_key(j, "routes");
	json_arr_begin(j);
	for (i = 0; i < rt->nroutes; i++)
		rrt_route(j, &rt->routes[i]);
	json_arr_end(j);
	json_kbool(j, "not_in_table", rt->not_in_table);
	json_obj_end(j);
}

static int
rrt_stream_route(const struct rt_route *r, void *j)
{
	rrt_route(j, r);
	return (0);
}

/* The same document as rrt_report, each route written once complete. */
static int
rrt_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	struct routing_table	 rt;
	int			 rc;

	json_obj_begin(j);
	json_key(j, "routes");
	json_arr_begin(j);
	rc = routing_table_each(buf, len, rrt_stream_route, j, &rt);
	json_arr_end(j);
	json_kbool(j, "not_in_table", rt.not_in_table);
	json_obj_end(j);
	*count = rrt_count(&rt);
	return (rc);
}

static void
rrt_free(void *p)
{
	routing_table_free(p);
}

const struct kind kind_routing_table = {
	.name = "routing-table",
	.parse = rrt_parse,
	.count = rrt_count,
	.report = rrt_report,
	.stream = rrt_stream,
	.free = rrt_free,
};
