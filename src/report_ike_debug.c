/*
 * report_ike_debug - `diagnose debug application ike -1` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "ike_debug.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (ike_debug_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct ike_debug *)p)->n);
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
	ike_debug_free(p);
}

const struct kind kind_ike_debug = {
	.name = "ike-debug",
	.command = "diagnose debug application ike -1",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
