/*
 * report_sniffer - `diagnose sniffer packet` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "sniffer.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (sniffer_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct sniffer *)p)->n);
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
	sniffer_free(p);
}

const struct kind kind_sniffer = {
	.name = "sniffer",
	.command = "diagnose sniffer packet",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
