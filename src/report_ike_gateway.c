/*
 * report_ike_gateway - `diagnose vpn ike gateway list` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "ike_gateway.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (ike_gateway_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct ike_gateway *)p)->n);
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
	ike_gateway_free(p);
}

const struct kind kind_ike_gateway = {
	.name = "ike-gateway-list",
	.command = "diagnose vpn ike gateway list",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
