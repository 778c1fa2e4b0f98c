/* SPDX-License-Identifier: ISC */
/*
 * report_tunnel_summary - `get vpn ipsec tunnel summary` as JSON.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "tunnel_summary.h"

static void *
rts_parse(const char *buf, size_t len)
{
	return (tunnel_summary_parse(buf, len));
}

static size_t
rts_count(const void *p)
{
	return (((const struct tunnel_summary *)p)->ntunnels);
}

static int
rts_tunnel(const struct ts_tunnel *t, void *arg)
{
	struct json	*j = arg;

	json_obj_begin(j);
	json_kstr(j, "name", t->name);
	json_kstr(j, "remote_addr", t->remote_addr);
	json_knum(j, "remote_port", t->remote_port);
	json_knum(j, "selectors_total", t->selectors_total);
	json_knum(j, "selectors_up", t->selectors_up);
	json_knum(j, "rx_pkt", t->rx_pkt);
	json_knum(j, "rx_err", t->rx_err);
	json_knum(j, "tx_pkt", t->tx_pkt);
	json_knum(j, "tx_err", t->tx_err);
	json_obj_end(j);
	return (0);
}

static void
rts_report(struct json *j, const void *p)
{
	const struct tunnel_summary	*ts = p;
	size_t				 i;

	json_obj_begin(j);
	json_key(j, "tunnels");
	json_arr_begin(j);
	for (i = 0; i < ts->ntunnels; i++)
		(void)rts_tunnel(&ts->tunnels[i], j);
	json_arr_end(j);
	json_obj_end(j);
}

/* The same document, each tunnel written as its line is read. */
static int
rts_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	int	rc;

	json_obj_begin(j);
	json_key(j, "tunnels");
	json_arr_begin(j);
	rc = tunnel_summary_each(buf, len, rts_tunnel, j, count);
	json_arr_end(j);
	json_obj_end(j);
	return (rc);
}

static void
rts_free(void *p)
{
	tunnel_summary_free(p);
}

const struct kind kind_tunnel_summary = {
	.name = "tunnel-summary",
	.parse = rts_parse,
	.count = rts_count,
	.report = rts_report,
	.stream = rts_stream,
	.free = rts_free,
};
