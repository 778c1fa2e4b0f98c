/* SPDX-License-Identifier: ISC */
/*
 * report_system_status - `get system status` as JSON.
 *
 * The keys of the contract (version, build, model, hostname,
 * serial, vdom_mode, current_vdom, ha_mode) come first; the numeric
 * version parts and the other fields follow as extras.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "system_status.h"

static void *
rss_parse(const char *buf, size_t len)
{
	return (system_status_parse(buf, len));
}

static size_t
rss_count(const void *p)
{
	return (((const struct system_status *)p)->n);
}

static void
rss_report(struct json *j, const void *p)
{
	const struct system_status	*st = p;

	json_obj_begin(j);
	json_kstr(j, "version", st->version);
	json_knum(j, "build", st->build);
	json_kstr(j, "model", st->model);
	json_kstr(j, "hostname", st->hostname);
	json_kstr(j, "serial", st->serial);
	json_kstr(j, "vdom_mode", st->vdom_mode);
	json_kstr(j, "current_vdom", st->current_vdom);
	json_kstr(j, "ha_mode", st->ha_mode);
	json_kstr(j, "ha_role", st->ha_role);
	json_knum(j, "version_major", st->major);
	json_knum(j, "version_minor", st->minor);
	json_knum(j, "version_patch", st->patch);
	json_kstr(j, "build_date", st->build_date);
	json_kstr(j, "release", st->release);
	json_kstr(j, "release_info", st->release_info);
	json_knum(j, "branch_point", st->branch_point);
	json_kstr(j, "operation_mode", st->operation_mode);
	json_knum(j, "max_vdoms", st->max_vdoms);
	json_kstr(j, "system_time", st->system_time);
	json_kstr(j, "last_reboot_reason", st->last_reboot);
	json_obj_end(j);
}

static void
rss_free(void *p)
{
	system_status_free(p);
}

const struct kind kind_system_status = {
	.name = "system-status",
	.parse = rss_parse,
	.count = rss_count,
	.report = rss_report,
	.free = rss_free,
};
