/* SPDX-License-Identifier: ISC */
/*
 * report_sniffer - `diagnose sniffer packet` as JSON.
 *
 * "time" is the relative time in seconds (null with the a and l time
 * formats, whose text is in "timestamp"); protocol details that only
 * some packets carry (tcp flags, ESP SPI, ICMP type text) are extras.
 */
#include "config.h"

#include "json.h"
#include "kind.h"
#include "sniffer.h"

static void *
rsn_parse(const char *buf, size_t len)
{
	return (sniffer_parse(buf, len));
}

static size_t
rsn_count(const void *p)
{
	return (sniffer_count(p));
}

static void
rsn_report_packet(struct json *j, const struct sn_packet *pk)
{
	json_obj_begin(j);
	json_key(j, "time");
	if (pk->time_us == PNUM_UNKNOWN)
		json_null(j);
	else
		json_double(j, (double)pk->time_us / 1e6, 6);
	json_kstr(j, "timestamp", pk->timestamp);
	json_kstr(j, "interface", pk->interface);
	json_kstr(j, "direction", pk->direction);
	json_kstr(j, "src", pk->src);
	json_knum(j, "sport", pk->sport);
	json_kstr(j, "dst", pk->dst);
	json_knum(j, "dport", pk->dport);
	json_kstr(j, "proto", pk->proto);
	json_knum(j, "len", pk->len);
	json_knum(j, "ip_proto", pk->ip_proto);
	json_kstr(j, "flags", pk->flags);
	json_knum(j, "seq", pk->seq);
	json_knum(j, "ack", pk->ack);
	json_kstr(j, "spi", pk->spi);
	json_kstr(j, "icmp", pk->icmp);
	json_kstr(j, "info", pk->info);
	json_obj_end(j);
}

static void
rsn_report(struct json *j, const void *p)
{
	const struct sniffer	*r = p;
	size_t			 i;

	json_obj_begin(j);
	json_kstr(j, "interfaces", r->interfaces);
	json_kstr(j, "filters", r->filters);
	json_key(j, "packets");
	json_arr_begin(j);
	for (i = 0; i < r->npackets; i++)
		rsn_report_packet(j, &r->packets[i]);
	json_arr_end(j);
	json_knum(j, "received", r->received);
	json_knum(j, "dropped", r->dropped);
	json_obj_end(j);
}

static int
rsn_stream_packet(const struct sn_packet *pk, void *j)
{
	rsn_report_packet(j, pk);
	return (0);
}

/*
 * The same document as rsn_report, each packet written as it is read.
 * The header comes first in the document but may come anywhere in the
 * text, so a first pass reads everything but the packets.
 */
static int
rsn_stream(struct json *j, const char *buf, size_t len, size_t *count)
{
	struct sniffer	*h, *again;
	int		 rc;

	if (sniffer_each(buf, len, NULL, NULL, &h) != 0)
		return (-1);
	json_obj_begin(j);
	json_kstr(j, "interfaces", h->interfaces);
	json_kstr(j, "filters", h->filters);
	json_key(j, "packets");
	json_arr_begin(j);
	if ((rc = sniffer_each(buf, len, rsn_stream_packet, j, &again)) == 0)
		sniffer_free(again);
	json_arr_end(j);
	json_knum(j, "received", h->received);
	json_knum(j, "dropped", h->dropped);
	json_obj_end(j);
	*count = sniffer_count(h);
	sniffer_free(h);
	return (rc);
}

static void
rsn_free(void *p)
{
	sniffer_free(p);
}

const struct kind kind_sniffer = {
	.name = "sniffer",
	.parse = rsn_parse,
	.count = rsn_count,
	.report = rsn_report,
	.stream = rsn_stream,
	.free = rsn_free,
};
