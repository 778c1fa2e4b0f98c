/*
 * report_tunnel_list - `diagnose vpn tunnel list` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "tunnel_list.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (tunnel_list_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct tunnel_list *)p)->n);
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
	tunnel_list_free(p);
}

const struct kind kind_tunnel_list = {
	.name = "tunnel-list",
	.command = "diagnose vpn tunnel list",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
