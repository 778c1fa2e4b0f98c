/*
 * report_routing_table - `get router info routing-table` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "routing_table.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (routing_table_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct routing_table *)p)->n);
}

static void
r_report(struct json *j, const void *p)
{
	json_obj_begin(j);
	json_obj_end(j);
}

static void
r_free(void *p)
{
	routing_table_free(p);
}

const struct kind kind_routing_table = {
	.name = "routing-table",
	.command = "get router info routing-table",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
