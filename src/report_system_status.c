/*
 * report_system_status - `get system status` as JSON.  (placeholder: being written)
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "system_status.h"

static void *
r_parse(const char *buf, size_t len)
{
	return (system_status_parse(buf, len));
}

static size_t
r_count(const void *p)
{
	return (((const struct system_status *)p)->n);
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
	system_status_free(p);
}

const struct kind kind_system_status = {
	.name = "system-status",
	.command = "get system status",
	.parse = r_parse,
	.count = r_count,
	.report = r_report,
	.free = r_free,
};
