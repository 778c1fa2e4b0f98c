/*
 * report_traceroute - `execute traceroute` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "traceroute.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (traceroute_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct traceroute *)p)->n);
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
	traceroute_free(p);
}

const struct kind kind_traceroute = {
	.name = "traceroute",
	.command = "execute traceroute",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
