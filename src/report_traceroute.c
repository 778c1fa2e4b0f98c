/* SPDX-License-Identifier: ISC */
/*
 * report_traceroute - `execute traceroute` as JSON.
 *
 * Each hop carries its first responder as "addr"/"name", every probe's
 * RTT in milliseconds in "rtt_ms" (null for '*'), all responders when a
 * second router answered mid-line, and the !H/!N annotations.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "traceroute.h"

static void *
rtr_parse(const char *buf, size_t len)
{
	return (traceroute_parse(buf, len));
}

static size_t
rtr_count(const void *p)
{
	return (traceroute_count(p));
}

static void
rtr_report_hop(struct json *j, const struct tr_hop *h)
{
	size_t	i;

	json_obj_begin(j);
	json_knum(j, "hop", h->hop);
	json_kstr(j, "addr", h->nresponders > 0 ? h->responders[0].addr :
	    NULL);
	json_kstr(j, "name", h->nresponders > 0 ? h->responders[0].name :
	    NULL);
	json_key(j, "rtt_ms");
	json_arr_begin(j);
	for (i = 0; i < h->nprobes; i++) {
		if (h->probes[i].rtt_us == PNUM_UNKNOWN)
			json_null(j);
		else
			json_double(j, (double)h->probes[i].rtt_us / 1000.0,
			    3);
	}
	json_arr_end(j);
	json_key(j, "responders");
	json_arr_begin(j);
	for (i = 0; i < h->nresponders; i++) {
		json_obj_begin(j);
		json_kstr(j, "addr", h->responders[i].addr);
		json_kstr(j, "name", h->responders[i].name);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "notes");
	json_arr_begin(j);
	for (i = 0; i < h->nprobes; i++)
		if (h->probes[i].note != NULL)
			json_str(j, h->probes[i].note);
	json_arr_end(j);
	json_obj_end(j);
}

static void
rtr_report(struct json *j, const void *p)
{
	const struct traceroute	*r = p;
	size_t			 i;

	json_obj_begin(j);
	json_kstr(j, "target", r->target);
	json_kstr(j, "target_addr", r->target_addr);
	json_knum(j, "max_hops", r->max_hops);
	json_knum(j, "probes_per_hop", r->probes);
	json_knum(j, "packet_len", r->packet_len);
	json_key(j, "hops");
	json_arr_begin(j);
	for (i = 0; i < r->nhops; i++)
		rtr_report_hop(j, &r->hops[i]);
	json_arr_end(j);
	json_kbool(j, "reached", r->reached);
	json_kstr(j, "error", r->error);
	json_obj_end(j);
}

static void
rtr_free(void *p)
{
	traceroute_free(p);
}

const struct kind kind_traceroute = {
	.name = "traceroute",
	.parse = rtr_parse,
	.count = rtr_count,
	.report = rtr_report,
	.free = rtr_free,
};
