/* SPDX-License-Identifier: ISC */
/*
 * report_ike_debug - `diagnose debug application ike -1` as JSON.
 *
 * {"lines":N,"noise":K,"events":[...]}: every line is counted, noise
 * lines (hex dumps, key material, heap messages) are not listed, so key
 * material never reaches the output.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "ike_debug.h"

static void *
rid_parse(const char *buf, size_t len)
{
	return (ike_debug_parse(buf, len));
}

/* IKE lines recognised: listed events and noise. */
static size_t
rid_count(const void *p)
{
	const struct ike_debug	*r = p;

	return (r->nevents + r->noise);
}

static void
rid_event(struct json *j, const struct ike_event *ev)
{
	json_obj_begin(j);
	json_knum(j, "line", (int64_t)ev->line);
	json_kstr(j, "time", ev->time);
	/* Exact, unlike a double: microseconds of the device's clock. */
	json_knum(j, "epoch_us", ev->time_us);
	json_kstr(j, "vd", ev->vd);
	json_knum(j, "vdom", ev->vdom);
	json_kstr(j, "gateway", ev->gateway);
	json_kbool(j, "gateway_inferred", ev->gateway_inferred);
	json_kstr(j, "child", ev->child);
	json_kstr(j, "cookie", ev->cookie);
	json_knum(j, "serial", ev->serial);
	json_knum(j, "sub_serial", ev->sub_serial);
	json_kstr(j, "peer", ev->peer);
	json_knum(j, "peer_port", ev->peer_port);
	json_kbool(j, "peer_inferred", ev->peer_inferred);
	json_kstr(j, "local", ev->local);
	json_knum(j, "local_port", ev->local_port);
	json_kstr(j, "kind", ike_topic_name(ev->topic));
	json_kstr(j, "rule", ev->rule);
	json_kstr(j, "class", ike_class_name(ev->cls));
	json_kstr(j, "phase", ike_phase_name(ev->phase));
	json_kstr(j, "reaction", ike_reaction_name(ev->reaction));
	json_kstr(j, "text", ev->text);
	json_obj_end(j);
}

static void
rid_report(struct json *j, const void *p)
{
	const struct ike_debug	*r = p;
	size_t			 i;

	json_obj_begin(j);
	json_knum(j, "lines", (int64_t)r->lines);
	json_knum(j, "noise", (int64_t)r->noise);
	json_key(j, "events");
	json_arr_begin(j);
	for (i = 0; i < r->nevents; i++)
		rid_event(j, &r->events[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static int
rid_stream_event(const struct ike_event *ev, void *j)
{
	rid_event(j, ev);
	return (0);
}

/*
 * The same document as rid_report, each event written as its line is
 * read; the line and noise counts that come first take a first pass.
 */
static int
rid_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	size_t	lines, noise, nevents;
	int	rc;

	ike_debug_count(buf, len, &lines, &noise);
	json_obj_begin(j);
	json_knum(j, "lines", (int64_t)lines);
	json_knum(j, "noise", (int64_t)noise);
	json_key(j, "events");
	json_arr_begin(j);
	rc = ike_debug_each(buf, len, rid_stream_event, j, &nevents);
	json_arr_end(j);
	json_obj_end(j);
	*count = nevents + noise;
	return (rc);
}

static void
rid_free(void *p)
{
	ike_debug_free(p);
}

const struct kind kind_ike_debug = {
	.name = "ike-debug",
	.parse = rid_parse,
	.count = rid_count,
	.report = rid_report,
	.stream = rid_stream,
	.free = rid_free,
};
